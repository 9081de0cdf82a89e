//! A booking holds `[start, end + buffer)`, not `[start - buffer, end + buffer)`: the buffer is
//! the clean-up time between two uses, so two bookings of a space are one buffer apart, not
//! two. Existing blocks lose their leading buffer (which never makes two of them overlap).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE booking_blocks SET starts_at = \
                 (SELECT b.starts_at FROM bookings b WHERE b.id = booking_blocks.booking_id)",
            )
            .await?;
        Ok(())
    }

    /// Widens the blocks again by their booked space's buffer. Refused by the database (and
    /// so not applied) if bookings made since sit in a gap of one buffer.
    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        let sql = match manager.get_database_backend() {
            sea_orm::DbBackend::Postgres => {
                "UPDATE booking_blocks SET starts_at = \
                 (SELECT b.starts_at - make_interval(mins => s.buffer_minutes) \
                  FROM bookings b JOIN spaces s ON s.id = b.space_id \
                  WHERE b.id = booking_blocks.booking_id)"
            }
            _ => {
                // Timestamps are stored as `2027-01-12T10:00:00+00:00` (UTC, whole seconds).
                "UPDATE booking_blocks SET starts_at = \
                 (SELECT CASE WHEN s.buffer_minutes = 0 THEN b.starts_at ELSE \
                   strftime('%Y-%m-%dT%H:%M:%S', b.starts_at, '-' || s.buffer_minutes || ' minutes') || '+00:00' END \
                  FROM bookings b JOIN spaces s ON s.id = b.space_id \
                  WHERE b.id = booking_blocks.booking_id)"
            }
        };
        conn.execute_unprepared(sql).await?;
        Ok(())
    }
}

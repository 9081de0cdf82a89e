//! Spaces (with their rates and hierarchy), opening hours, and bookings.
//!
//! The no-double-booking guarantee lives in `booking_blocks`: one row per active booking and per
//! space it occupies (the booked space and every space below it), holding the booking's
//! footprint `[start - buffer, end + buffer)`. Two blocks of one space must never overlap. On
//! PostgreSQL the database itself enforces it with an exclusion constraint (btree_gist), so
//! that concurrent writers, even in several processes, cannot both win; on SQLite every write
//! transaction is `BEGIN IMMEDIATE`, which serializes the check and the insert.

use crate::support::index;
use sea_orm_migration::{prelude::*, schema::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Sites {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum People {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Revenues {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Spaces {
    Table,
    Id,
    SiteId,
    ParentId,
    Name,
    Kind,
    Capacity,
    Accessible,
    Description,
    RequiresApproval,
    BufferMinutes,
    ArchivedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SpaceRates {
    Table,
    SpaceId,
    Tier,
    HourlyCents,
    DailyCents,
}

#[derive(DeriveIden)]
enum OpeningHours {
    Table,
    Id,
    SiteId,
    Weekday,
    OpensMinute,
    ClosesMinute,
}

#[derive(DeriveIden)]
enum ClosedDates {
    Table,
    SiteId,
    Date,
    Reason,
}

#[derive(DeriveIden)]
enum Bookings {
    Table,
    Id,
    SiteId,
    SpaceId,
    StartsAt,
    EndsAt,
    Title,
    Status,
    PersonId,
    OrganizationId,
    Tier,
    PriceCents,
    Attendees,
    Notes,
    SeriesId,
    CreatedBy,
    CreatedAt,
    ConfirmedAt,
    CancelledAt,
    CancelReason,
    PaidAt,
    RevenueId,
}

#[derive(DeriveIden)]
enum BookingBlocks {
    Table,
    BookingId,
    SpaceId,
    StartsAt,
    EndsAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Spaces::Table)
                    .col(uuid(Spaces::Id).primary_key())
                    .col(uuid(Spaces::SiteId))
                    .col(uuid_null(Spaces::ParentId))
                    .col(string(Spaces::Name))
                    .col(string_len(Spaces::Kind, 32))
                    .col(integer(Spaces::Capacity))
                    .col(boolean(Spaces::Accessible).default(false))
                    .col(text_null(Spaces::Description))
                    .col(boolean(Spaces::RequiresApproval).default(false))
                    .col(integer(Spaces::BufferMinutes).default(0))
                    .col(timestamp_with_time_zone_null(Spaces::ArchivedAt))
                    .col(timestamp_with_time_zone(Spaces::CreatedAt))
                    .col(timestamp_with_time_zone(Spaces::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Spaces::Table, Spaces::SiteId)
                            .to(Sites::Table, Sites::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Spaces::Table, Spaces::ParentId)
                            .to(Spaces::Table, Spaces::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_spaces_site",
                Spaces::Table,
                &["site_id", "name"],
            ))
            .await?;
        manager
            .create_index(index("idx_spaces_parent", Spaces::Table, &["parent_id"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SpaceRates::Table)
                    .col(uuid(SpaceRates::SpaceId))
                    .col(string_len(SpaceRates::Tier, 16))
                    .col(big_integer(SpaceRates::HourlyCents))
                    .col(big_integer_null(SpaceRates::DailyCents))
                    .primary_key(
                        Index::create()
                            .col(SpaceRates::SpaceId)
                            .col(SpaceRates::Tier),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(SpaceRates::Table, SpaceRates::SpaceId)
                            .to(Spaces::Table, Spaces::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OpeningHours::Table)
                    .col(uuid(OpeningHours::Id).primary_key())
                    .col(uuid(OpeningHours::SiteId))
                    // ISO weekday: 1 = Monday … 7 = Sunday.
                    .col(small_integer(OpeningHours::Weekday))
                    // Local wall-clock minutes since midnight; closes may be 1440 (midnight).
                    .col(integer(OpeningHours::OpensMinute))
                    .col(integer(OpeningHours::ClosesMinute))
                    .foreign_key(
                        ForeignKey::create()
                            .from(OpeningHours::Table, OpeningHours::SiteId)
                            .to(Sites::Table, Sites::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_opening_hours_site",
                OpeningHours::Table,
                &["site_id", "weekday"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ClosedDates::Table)
                    .col(uuid(ClosedDates::SiteId))
                    .col(date(ClosedDates::Date))
                    .col(string_null(ClosedDates::Reason))
                    .primary_key(
                        Index::create()
                            .col(ClosedDates::SiteId)
                            .col(ClosedDates::Date),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ClosedDates::Table, ClosedDates::SiteId)
                            .to(Sites::Table, Sites::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Bookings::Table)
                    .col(uuid(Bookings::Id).primary_key())
                    .col(uuid(Bookings::SiteId))
                    .col(uuid(Bookings::SpaceId))
                    .col(timestamp_with_time_zone(Bookings::StartsAt))
                    .col(timestamp_with_time_zone(Bookings::EndsAt))
                    .col(string(Bookings::Title))
                    .col(string_len(Bookings::Status, 16))
                    .col(uuid_null(Bookings::PersonId))
                    .col(uuid_null(Bookings::OrganizationId))
                    .col(string_len(Bookings::Tier, 16))
                    .col(big_integer(Bookings::PriceCents))
                    .col(integer_null(Bookings::Attendees))
                    .col(text_null(Bookings::Notes))
                    .col(uuid_null(Bookings::SeriesId))
                    .col(uuid_null(Bookings::CreatedBy))
                    .col(timestamp_with_time_zone(Bookings::CreatedAt))
                    .col(timestamp_with_time_zone_null(Bookings::ConfirmedAt))
                    .col(timestamp_with_time_zone_null(Bookings::CancelledAt))
                    .col(string_null(Bookings::CancelReason))
                    .col(timestamp_with_time_zone_null(Bookings::PaidAt))
                    .col(uuid_null(Bookings::RevenueId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Bookings::Table, Bookings::SiteId)
                            .to(Sites::Table, Sites::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Bookings::Table, Bookings::SpaceId)
                            .to(Spaces::Table, Spaces::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Bookings::Table, Bookings::PersonId)
                            .to(People::Table, People::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Bookings::Table, Bookings::OrganizationId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Bookings::Table, Bookings::CreatedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Bookings::Table, Bookings::RevenueId)
                            .to(Revenues::Table, Revenues::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("idx_bookings_space_start", &["space_id", "starts_at"][..]),
            ("idx_bookings_site_start", &["site_id", "starts_at"]),
            ("idx_bookings_start", &["starts_at"]),
            ("idx_bookings_person", &["person_id", "starts_at"]),
            (
                "idx_bookings_organization",
                &["organization_id", "starts_at"],
            ),
            ("idx_bookings_series", &["series_id", "starts_at"]),
        ] {
            manager
                .create_index(index(name, Bookings::Table, cols))
                .await?;
        }
        // One revenue per paid booking, whatever the concurrency.
        manager
            .create_index(
                index("idx_bookings_revenue", Bookings::Table, &["revenue_id"])
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(BookingBlocks::Table)
                    .col(uuid(BookingBlocks::BookingId))
                    .col(uuid(BookingBlocks::SpaceId))
                    .col(timestamp_with_time_zone(BookingBlocks::StartsAt))
                    .col(timestamp_with_time_zone(BookingBlocks::EndsAt))
                    .primary_key(
                        Index::create()
                            .col(BookingBlocks::BookingId)
                            .col(BookingBlocks::SpaceId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(BookingBlocks::Table, BookingBlocks::BookingId)
                            .to(Bookings::Table, Bookings::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(BookingBlocks::Table, BookingBlocks::SpaceId)
                            .to(Spaces::Table, Spaces::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_booking_blocks_space_time",
                BookingBlocks::Table,
                &["space_id", "starts_at", "ends_at"],
            ))
            .await?;

        let conn = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                conn.execute_unprepared("CREATE EXTENSION IF NOT EXISTS btree_gist")
                    .await?;
                conn.execute_unprepared(
                    "ALTER TABLE booking_blocks ADD CONSTRAINT booking_blocks_no_overlap \
                     EXCLUDE USING gist (space_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)",
                )
                .await?;
            }
            _ => {
                // The same rule, enforced by SQLite itself (timestamps are stored as UTC RFC 3339
                // text, whose order is the order of time). Writers are serialized by
                // BEGIN IMMEDIATE, so this check cannot race.
                for event in ["INSERT", "UPDATE"] {
                    conn.execute_unprepared(&format!(
                        "CREATE TRIGGER booking_blocks_no_overlap_{} BEFORE {event} ON booking_blocks \
                         WHEN EXISTS (SELECT 1 FROM booking_blocks b WHERE b.space_id = NEW.space_id \
                           AND b.booking_id <> NEW.booking_id \
                           AND b.starts_at < NEW.ends_at AND b.ends_at > NEW.starts_at) \
                         BEGIN SELECT RAISE(ABORT, 'booking_blocks_no_overlap'); END",
                        event.to_lowercase()
                    ))
                    .await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            BookingBlocks::Table.into_iden(),
            Bookings::Table.into_iden(),
            ClosedDates::Table.into_iden(),
            OpeningHours::Table.into_iden(),
            SpaceRates::Table.into_iden(),
            Spaces::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        // btree_gist stays: other databases objects may use it, and it is harmless.
        Ok(())
    }
}

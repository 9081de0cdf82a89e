//! Events and their registrations. An event reserves its spaces through the booking rules:
//! one booking per space, pointing back at the event (`bookings.event_id`), holding blocks like
//! any booking, so that an event and a booking can never overlap.
//!
//! Registrations count seats; the capacity is kept by locking the event row before counting
//! (PostgreSQL) and by serialized write transactions (SQLite). One active registration per
//! person, and per email, for one event: partial unique indexes.

use crate::support::index;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Sites {
    Table,
    Id,
    PublicUrl,
}

#[derive(DeriveIden)]
enum People {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Spaces {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Revenues {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Bookings {
    Table,
    EventId,
}

#[derive(DeriveIden)]
enum Events {
    Table,
    Id,
    SiteId,
    ParentId,
    SeriesId,
    Title,
    Description,
    Category,
    StartsAt,
    EndsAt,
    Capacity,
    Public,
    PriceCents,
    MemberPriceCents,
    MinPriceCents,
    Status,
    Sequence,
    CancelledAt,
    CancelReason,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum EventSpaces {
    Table,
    EventId,
    SpaceId,
}

#[derive(DeriveIden)]
enum Registrations {
    Table,
    Id,
    EventId,
    PersonId,
    Name,
    Email,
    EmailKey,
    Seats,
    Status,
    WaitlistPosition,
    Code,
    CheckedInAt,
    PaidAt,
    RevenueId,
    CreatedBy,
    CreatedAt,
    CancelledAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Sites::Table)
                    .add_column(string_null(Sites::PublicUrl))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Events::Table)
                    .col(uuid(Events::Id).primary_key())
                    .col(uuid(Events::SiteId))
                    .col(uuid_null(Events::ParentId))
                    .col(uuid_null(Events::SeriesId))
                    .col(string(Events::Title))
                    .col(text_null(Events::Description))
                    .col(string_len(Events::Category, 32))
                    .col(timestamp_with_time_zone(Events::StartsAt))
                    .col(timestamp_with_time_zone(Events::EndsAt))
                    .col(integer_null(Events::Capacity))
                    .col(boolean(Events::Public).default(false))
                    .col(big_integer_null(Events::PriceCents))
                    .col(big_integer_null(Events::MemberPriceCents))
                    .col(big_integer_null(Events::MinPriceCents))
                    .col(string_len(Events::Status, 16))
                    // RFC 5545's SEQUENCE: bumped on every change calendars should pick up.
                    .col(integer(Events::Sequence).default(0))
                    .col(timestamp_with_time_zone_null(Events::CancelledAt))
                    .col(string_null(Events::CancelReason))
                    .col(uuid_null(Events::CreatedBy))
                    .col(timestamp_with_time_zone(Events::CreatedAt))
                    .col(timestamp_with_time_zone(Events::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Events::Table, Events::SiteId)
                            .to(Sites::Table, Sites::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Events::Table, Events::ParentId)
                            .to(Events::Table, Events::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Events::Table, Events::CreatedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("idx_events_start", &["starts_at"][..]),
            ("idx_events_site_start", &["site_id", "starts_at"]),
            ("idx_events_parent", &["parent_id", "starts_at"]),
            ("idx_events_series", &["series_id", "starts_at"]),
            (
                "idx_events_public_start",
                &["public", "status", "starts_at"],
            ),
        ] {
            manager
                .create_index(index(name, Events::Table, cols))
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(EventSpaces::Table)
                    .col(uuid(EventSpaces::EventId))
                    .col(uuid(EventSpaces::SpaceId))
                    .primary_key(
                        Index::create()
                            .col(EventSpaces::EventId)
                            .col(EventSpaces::SpaceId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(EventSpaces::Table, EventSpaces::EventId)
                            .to(Events::Table, Events::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(EventSpaces::Table, EventSpaces::SpaceId)
                            .to(Spaces::Table, Spaces::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_event_spaces_space",
                EventSpaces::Table,
                &["space_id"],
            ))
            .await?;

        manager
            .alter_table(
                Table::alter()
                    .table(Bookings::Table)
                    .add_column(uuid_null(Bookings::EventId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("idx_bookings_event", Bookings::Table, &["event_id"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Registrations::Table)
                    .col(uuid(Registrations::Id).primary_key())
                    .col(uuid(Registrations::EventId))
                    .col(uuid_null(Registrations::PersonId))
                    .col(string(Registrations::Name))
                    .col(string_null(Registrations::Email))
                    // The email lower-cased: one active registration per email and event.
                    .col(string_null(Registrations::EmailKey))
                    .col(integer(Registrations::Seats))
                    .col(string_len(Registrations::Status, 16))
                    .col(integer_null(Registrations::WaitlistPosition))
                    .col(string_len(Registrations::Code, 16))
                    .col(timestamp_with_time_zone_null(Registrations::CheckedInAt))
                    .col(timestamp_with_time_zone_null(Registrations::PaidAt))
                    .col(uuid_null(Registrations::RevenueId))
                    .col(uuid_null(Registrations::CreatedBy))
                    .col(timestamp_with_time_zone(Registrations::CreatedAt))
                    .col(timestamp_with_time_zone_null(Registrations::CancelledAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Registrations::Table, Registrations::EventId)
                            .to(Events::Table, Events::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Registrations::Table, Registrations::PersonId)
                            .to(People::Table, People::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Registrations::Table, Registrations::RevenueId)
                            .to(Revenues::Table, Revenues::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Registrations::Table, Registrations::CreatedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "idx_registrations_event",
                &["event_id", "status", "waitlist_position"][..],
            ),
            ("idx_registrations_person", &["person_id", "created_at"]),
        ] {
            manager
                .create_index(index(name, Registrations::Table, cols))
                .await?;
        }
        let conn = manager.get_connection();
        for sql in [
            // A registration's code is what a confirmation prints and a scanner reads.
            "CREATE UNIQUE INDEX idx_registrations_code ON registrations (code)",
            "CREATE UNIQUE INDEX idx_registrations_revenue ON registrations (revenue_id)",
            "CREATE UNIQUE INDEX idx_registrations_active_person ON registrations (event_id, person_id) \
             WHERE status <> 'CANCELLED' AND person_id IS NOT NULL",
            "CREATE UNIQUE INDEX idx_registrations_active_email ON registrations (event_id, email_key) \
             WHERE status <> 'CANCELLED' AND email_key IS NOT NULL",
        ] {
            conn.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Registrations::Table).to_owned())
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_bookings_event")
                    .table(Bookings::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Bookings::Table)
                    .drop_column(Bookings::EventId)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(EventSpaces::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Events::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Sites::Table)
                    .drop_column(Sites::PublicUrl)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}

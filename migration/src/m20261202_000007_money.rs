//! The hybrid model in figures: revenues that say what they pay for and can be reversed (never
//! edited), grants with their funders, status history, payments and reporting deadlines,
//! volunteer hours and their dated valuation rates, the venue's yearly impact objectives, the
//! in-kind value of free room loans, and the postal code a site's territory is measured from.

use crate::support::index;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Sites {
    Table,
    Id,
    PostalCode,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum People {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Bookings {
    Table,
    InKindCents,
}

#[derive(DeriveIden)]
enum Revenues {
    Table,
    SourceKind,
    SourceId,
    ReversalOf,
    ReversedAt,
    ReversalReason,
    CreatedBy,
}

#[derive(DeriveIden)]
enum Funders {
    Table,
    Id,
    Name,
    NameKey,
    Kind,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Grants {
    Table,
    Id,
    FunderId,
    SiteId,
    Program,
    Title,
    Purpose,
    Status,
    AmountRequestedCents,
    AmountAwardedCents,
    PeriodStart,
    PeriodEnd,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum GrantStatusChanges {
    Table,
    Id,
    GrantId,
    FromStatus,
    ToStatus,
    ChangedBy,
    ChangedAt,
}

#[derive(DeriveIden)]
enum GrantPayments {
    Table,
    Id,
    GrantId,
    AmountCents,
    ReceivedOn,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ReportingDeadlines {
    Table,
    Id,
    GrantId,
    Label,
    DueOn,
    DoneOn,
    CreatedAt,
}

#[derive(DeriveIden)]
enum VolunteerEntries {
    Table,
    Id,
    PersonId,
    SiteId,
    Date,
    /// Hundredths of an hour: 1.25 h is 125.
    HoursCenti,
    Activity,
    Note,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum VolunteerRates {
    Table,
    EffectiveFrom,
    HourlyCents,
    CreatedAt,
}

#[derive(DeriveIden)]
enum StaffPeople {
    Table,
    UserId,
    PersonId,
}

#[derive(DeriveIden)]
enum ImpactObjectives {
    Table,
    Year,
    Metric,
    /// Ten-thousandths: 0.35 (a ratio) is 3500, 2,000 participants 20,000,000.
    TargetE4,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Sites::Table)
                    .add_column(string_len_null(Sites::PostalCode, 16))
                    .to_owned(),
            )
            .await?;
        // A free loan of a room: priced at nothing, worth its PUBLIC rate (in-kind).
        manager
            .alter_table(
                Table::alter()
                    .table(Bookings::Table)
                    .add_column(big_integer_null(Bookings::InKindCents))
                    .to_owned(),
            )
            .await?;
        for column in [
            string_len_null(Revenues::SourceKind, 16),
            uuid_null(Revenues::SourceId),
            uuid_null(Revenues::ReversalOf),
            timestamp_with_time_zone_null(Revenues::ReversedAt),
            string_null(Revenues::ReversalReason),
            uuid_null(Revenues::CreatedBy),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Revenues::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        let conn = manager.get_connection();
        for sql in [
            // What automatic revenues already paid for.
            "UPDATE revenues SET source_kind = 'MEMBERSHIP', source_id = membership_id \
             WHERE membership_id IS NOT NULL",
            "UPDATE revenues SET source_kind = 'BOOKING', source_id = \
             (SELECT b.id FROM bookings b WHERE b.revenue_id = revenues.id) \
             WHERE EXISTS (SELECT 1 FROM bookings b WHERE b.revenue_id = revenues.id)",
            "UPDATE revenues SET source_kind = 'REGISTRATION', source_id = \
             (SELECT r.id FROM registrations r WHERE r.revenue_id = revenues.id) \
             WHERE EXISTS (SELECT 1 FROM registrations r WHERE r.revenue_id = revenues.id)",
            // One reversal per revenue, whatever the concurrency.
            "CREATE UNIQUE INDEX idx_revenues_reversal ON revenues (reversal_of)",
            // Covering the reports' sums: an index-only read of the period (10x on SQLite).
            "CREATE INDEX idx_revenues_received ON revenues (received_on, stream, amount_cents)",
            "CREATE INDEX idx_revenues_site_received ON revenues (site_id, received_on)",
            "CREATE INDEX idx_revenues_source ON revenues (source_kind, source_id)",
        ] {
            conn.execute_unprepared(sql).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(Funders::Table)
                    .col(uuid(Funders::Id).primary_key())
                    .col(string(Funders::Name))
                    // The name folded (case and accents): a funder is reused by name.
                    .col(string_uniq(Funders::NameKey))
                    .col(string_len(Funders::Kind, 24))
                    .col(timestamp_with_time_zone(Funders::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Grants::Table)
                    .col(uuid(Grants::Id).primary_key())
                    .col(uuid(Grants::FunderId))
                    .col(uuid_null(Grants::SiteId))
                    .col(string_null(Grants::Program))
                    .col(string(Grants::Title))
                    .col(text_null(Grants::Purpose))
                    .col(string_len(Grants::Status, 16))
                    .col(big_integer(Grants::AmountRequestedCents))
                    .col(big_integer_null(Grants::AmountAwardedCents))
                    .col(date(Grants::PeriodStart))
                    .col(date(Grants::PeriodEnd))
                    .col(uuid_null(Grants::CreatedBy))
                    .col(timestamp_with_time_zone(Grants::CreatedAt))
                    .col(timestamp_with_time_zone(Grants::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Grants::Table, Grants::FunderId)
                            .to(Funders::Table, Funders::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Grants::Table, Grants::SiteId)
                            .to(Sites::Table, Sites::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Grants::Table, Grants::CreatedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_grants_status",
                Grants::Table,
                &["status", "period_start"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(GrantStatusChanges::Table)
                    .col(uuid(GrantStatusChanges::Id).primary_key())
                    .col(uuid(GrantStatusChanges::GrantId))
                    .col(string_len_null(GrantStatusChanges::FromStatus, 16))
                    .col(string_len(GrantStatusChanges::ToStatus, 16))
                    .col(uuid_null(GrantStatusChanges::ChangedBy))
                    .col(timestamp_with_time_zone(GrantStatusChanges::ChangedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(GrantStatusChanges::Table, GrantStatusChanges::GrantId)
                            .to(Grants::Table, Grants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(GrantStatusChanges::Table, GrantStatusChanges::ChangedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_grant_status_changes_grant",
                GrantStatusChanges::Table,
                &["grant_id", "changed_at"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(GrantPayments::Table)
                    .col(uuid(GrantPayments::Id).primary_key())
                    .col(uuid(GrantPayments::GrantId))
                    .col(big_integer(GrantPayments::AmountCents))
                    .col(date(GrantPayments::ReceivedOn))
                    .col(uuid_null(GrantPayments::CreatedBy))
                    .col(timestamp_with_time_zone(GrantPayments::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(GrantPayments::Table, GrantPayments::GrantId)
                            .to(Grants::Table, Grants::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(GrantPayments::Table, GrantPayments::CreatedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("idx_grant_payments_grant", &["grant_id", "received_on"][..]),
            (
                "idx_grant_payments_received",
                &["received_on", "grant_id", "amount_cents"],
            ),
        ] {
            manager
                .create_index(index(name, GrantPayments::Table, cols))
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(ReportingDeadlines::Table)
                    .col(uuid(ReportingDeadlines::Id).primary_key())
                    .col(uuid(ReportingDeadlines::GrantId))
                    .col(string(ReportingDeadlines::Label))
                    .col(date(ReportingDeadlines::DueOn))
                    .col(date_null(ReportingDeadlines::DoneOn))
                    .col(timestamp_with_time_zone(ReportingDeadlines::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReportingDeadlines::Table, ReportingDeadlines::GrantId)
                            .to(Grants::Table, Grants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_reporting_deadlines_due",
                ReportingDeadlines::Table,
                &["due_on"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(VolunteerEntries::Table)
                    .col(uuid(VolunteerEntries::Id).primary_key())
                    .col(uuid(VolunteerEntries::PersonId))
                    .col(uuid_null(VolunteerEntries::SiteId))
                    .col(date(VolunteerEntries::Date))
                    .col(big_integer(VolunteerEntries::HoursCenti))
                    .col(string_len(VolunteerEntries::Activity, 24))
                    .col(string_null(VolunteerEntries::Note))
                    .col(uuid_null(VolunteerEntries::CreatedBy))
                    .col(timestamp_with_time_zone(VolunteerEntries::CreatedAt))
                    .col(timestamp_with_time_zone(VolunteerEntries::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(VolunteerEntries::Table, VolunteerEntries::PersonId)
                            .to(People::Table, People::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(VolunteerEntries::Table, VolunteerEntries::SiteId)
                            .to(Sites::Table, Sites::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(VolunteerEntries::Table, VolunteerEntries::CreatedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "idx_volunteer_entries_date",
                &["date", "hours_centi", "person_id", "activity"][..],
            ),
            ("idx_volunteer_entries_person", &["person_id", "date"]),
        ] {
            manager
                .create_index(index(name, VolunteerEntries::Table, cols))
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(VolunteerRates::Table)
                    .col(date(VolunteerRates::EffectiveFrom).primary_key())
                    .col(big_integer(VolunteerRates::HourlyCents))
                    .col(timestamp_with_time_zone(VolunteerRates::CreatedAt))
                    .to_owned(),
            )
            .await?;
        // A staff account and the person it is (a volunteer logs and reads their own hours).
        manager
            .create_table(
                Table::create()
                    .table(StaffPeople::Table)
                    .col(uuid(StaffPeople::UserId).primary_key())
                    .col(uuid_uniq(StaffPeople::PersonId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(StaffPeople::Table, StaffPeople::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(StaffPeople::Table, StaffPeople::PersonId)
                            .to(People::Table, People::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ImpactObjectives::Table)
                    .col(integer(ImpactObjectives::Year))
                    .col(string_len(ImpactObjectives::Metric, 32))
                    .col(big_integer(ImpactObjectives::TargetE4))
                    .col(timestamp_with_time_zone(ImpactObjectives::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(ImpactObjectives::Year)
                            .col(ImpactObjectives::Metric),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ImpactObjectives::Table.into_iden(),
            StaffPeople::Table.into_iden(),
            VolunteerRates::Table.into_iden(),
            VolunteerEntries::Table.into_iden(),
            ReportingDeadlines::Table.into_iden(),
            GrantPayments::Table.into_iden(),
            GrantStatusChanges::Table.into_iden(),
            Grants::Table.into_iden(),
            Funders::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        let conn = manager.get_connection();
        for index in [
            "idx_revenues_reversal",
            "idx_revenues_received",
            "idx_revenues_site_received",
            "idx_revenues_source",
        ] {
            conn.execute_unprepared(&format!("DROP INDEX {index}"))
                .await?;
        }
        for column in [
            Revenues::SourceKind.into_iden(),
            Revenues::SourceId.into_iden(),
            Revenues::ReversalOf.into_iden(),
            Revenues::ReversedAt.into_iden(),
            Revenues::ReversalReason.into_iden(),
            Revenues::CreatedBy.into_iden(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Revenues::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Bookings::Table)
                    .drop_column(Bookings::InKindCents)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Sites::Table)
                    .drop_column(Sites::PostalCode)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}

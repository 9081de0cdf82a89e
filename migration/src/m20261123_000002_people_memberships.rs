//! People, organizations, membership plans and memberships, and the revenue ledger that
//! memberships, bookings and later the money area all write to.

use crate::support::index;
use sea_orm_migration::{prelude::*, schema::*};

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
    FirstName,
    LastName,
    Email,
    EmailKey,
    Phone,
    PostalCode,
    BirthYear,
    ConsentToContact,
    ConsentGivenAt,
    Notes,
    FirstKey,
    LastKey,
    SearchText,
    ErasedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
    Name,
    Kind,
    Resident,
    Email,
    Phone,
    SearchText,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum OrganizationContacts {
    Table,
    OrganizationId,
    PersonId,
    Role,
}

#[derive(DeriveIden)]
enum MembershipPlans {
    Table,
    Id,
    NameKey,
    Name,
    Period,
    PeriodMonths,
    PriceCents,
    MinPriceCents,
    ForOrganizations,
    ArchivedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Memberships {
    Table,
    Id,
    PlanId,
    PersonId,
    OrganizationId,
    StartsOn,
    EndsOn,
    AmountPaidCents,
    CancelledAt,
    PreviousId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Revenues {
    Table,
    Id,
    Stream,
    AmountCents,
    ReceivedOn,
    Description,
    SiteId,
    MembershipId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(People::Table)
                    .col(uuid(People::Id).primary_key())
                    .col(string(People::FirstName))
                    .col(string(People::LastName))
                    .col(string_null(People::Email))
                    // Lower-cased email; unique when present (NULLs do not collide).
                    .col(string_null(People::EmailKey).unique_key())
                    .col(string_null(People::Phone))
                    .col(string_null(People::PostalCode))
                    .col(integer_null(People::BirthYear))
                    .col(boolean(People::ConsentToContact).default(false))
                    .col(timestamp_with_time_zone_null(People::ConsentGivenAt))
                    .col(text_null(People::Notes))
                    // First and last name folded to lower-case ASCII words: accent-blind
                    // sorting, and the "name starts with" ranks of search.
                    .col(string(People::FirstKey).default(""))
                    .col(string(People::LastKey).default(""))
                    // Last name, first name and email folded the same way, for search.
                    .col(string(People::SearchText).default(""))
                    .col(timestamp_with_time_zone_null(People::ErasedAt))
                    .col(timestamp_with_time_zone(People::CreatedAt))
                    .col(timestamp_with_time_zone(People::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_people_sort",
                People::Table,
                &["last_key", "first_key", "id"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Organizations::Table)
                    .col(uuid(Organizations::Id).primary_key())
                    .col(string(Organizations::Name))
                    .col(string_len(Organizations::Kind, 32))
                    .col(boolean(Organizations::Resident).default(false))
                    .col(string_null(Organizations::Email))
                    .col(string_null(Organizations::Phone))
                    .col(string(Organizations::SearchText).default(""))
                    .col(timestamp_with_time_zone(Organizations::CreatedAt))
                    .col(timestamp_with_time_zone(Organizations::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_organizations_sort",
                Organizations::Table,
                &["search_text", "id"],
            ))
            .await?;
        // Two organizations may not share a name (folded): the database decides between two
        // concurrent creations, whatever the number of API processes.
        manager
            .create_index(
                index(
                    "idx_organizations_name_unique",
                    Organizations::Table,
                    &["search_text"],
                )
                .unique()
                .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OrganizationContacts::Table)
                    .col(uuid(OrganizationContacts::OrganizationId))
                    .col(uuid(OrganizationContacts::PersonId))
                    .col(string_null(OrganizationContacts::Role))
                    .primary_key(
                        Index::create()
                            .col(OrganizationContacts::OrganizationId)
                            .col(OrganizationContacts::PersonId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                OrganizationContacts::Table,
                                OrganizationContacts::OrganizationId,
                            )
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(OrganizationContacts::Table, OrganizationContacts::PersonId)
                            .to(People::Table, People::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_organization_contacts_person",
                OrganizationContacts::Table,
                &["person_id"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(MembershipPlans::Table)
                    .col(uuid(MembershipPlans::Id).primary_key())
                    .col(string(MembershipPlans::Name))
                    // The name folded (case and accents): unique among plans on offer.
                    .col(string(MembershipPlans::NameKey))
                    .col(string_len(MembershipPlans::Period, 16))
                    .col(integer(MembershipPlans::PeriodMonths))
                    .col(big_integer(MembershipPlans::PriceCents))
                    .col(big_integer_null(MembershipPlans::MinPriceCents))
                    .col(boolean(MembershipPlans::ForOrganizations).default(false))
                    .col(timestamp_with_time_zone_null(MembershipPlans::ArchivedAt))
                    .col(timestamp_with_time_zone(MembershipPlans::CreatedAt))
                    .to_owned(),
            )
            .await?;
        // Plans on offer have distinct names (archived ones may repeat an old name).
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX idx_membership_plans_name_on_offer \
                 ON membership_plans (name_key) WHERE archived_at IS NULL",
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Memberships::Table)
                    .col(uuid(Memberships::Id).primary_key())
                    .col(uuid(Memberships::PlanId))
                    .col(uuid_null(Memberships::PersonId))
                    .col(uuid_null(Memberships::OrganizationId))
                    .col(date(Memberships::StartsOn))
                    .col(date(Memberships::EndsOn))
                    .col(big_integer(Memberships::AmountPaidCents))
                    .col(timestamp_with_time_zone_null(Memberships::CancelledAt))
                    .col(uuid_null(Memberships::PreviousId))
                    .col(timestamp_with_time_zone(Memberships::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Memberships::Table, Memberships::PlanId)
                            .to(MembershipPlans::Table, MembershipPlans::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Memberships::Table, Memberships::PersonId)
                            .to(People::Table, People::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Memberships::Table, Memberships::OrganizationId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("idx_memberships_person", &["person_id", "ends_on"][..]),
            (
                "idx_memberships_organization",
                &["organization_id", "ends_on"],
            ),
            ("idx_memberships_ends_on", &["ends_on"]),
            ("idx_memberships_previous", &["previous_id"]),
            ("idx_memberships_plan", &["plan_id"]),
        ] {
            manager
                .create_index(index(name, Memberships::Table, cols))
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(Revenues::Table)
                    .col(uuid(Revenues::Id).primary_key())
                    .col(string_len(Revenues::Stream, 32))
                    .col(big_integer(Revenues::AmountCents))
                    .col(date(Revenues::ReceivedOn))
                    .col(string(Revenues::Description))
                    .col(uuid_null(Revenues::SiteId))
                    .col(uuid_null(Revenues::MembershipId))
                    .col(timestamp_with_time_zone(Revenues::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Revenues::Table, Revenues::SiteId)
                            .to(Sites::Table, Sites::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Revenues::Table, Revenues::MembershipId)
                            .to(Memberships::Table, Memberships::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_revenues_received_on",
                Revenues::Table,
                &["received_on", "stream"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_revenues_membership",
                Revenues::Table,
                &["membership_id"],
            ))
            .await?;

        // Search matches every word of the query anywhere in `search_text` (`LIKE '%word%'`).
        // On PostgreSQL a trigram GIN index serves those patterns; on SQLite a scan of the
        // folded column is fast enough at 100,000 people (docs/benchmarks.md).
        if manager.get_database_backend() == sea_orm_migration::sea_orm::DbBackend::Postgres {
            let db = manager.get_connection();
            db.execute_unprepared("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                .await?;
            db.execute_unprepared(
                "CREATE INDEX idx_people_search_trgm ON people USING gin (search_text gin_trgm_ops)",
            )
            .await?;
            db.execute_unprepared(
                "CREATE INDEX idx_organizations_search_trgm ON organizations \
                 USING gin (search_text gin_trgm_ops)",
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Revenues::Table.into_iden(),
            Memberships::Table.into_iden(),
            MembershipPlans::Table.into_iden(),
            OrganizationContacts::Table.into_iden(),
            Organizations::Table.into_iden(),
            People::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

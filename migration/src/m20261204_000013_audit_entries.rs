//! The audit trail: one row per object a mutation changed (or one per mutation that names
//! none), written in the transaction of the change, so an entry exists if and only if its
//! change committed. Append-only, except that erasing a person scrubs the summaries that may
//! hold their data (`person_id`, or the person as the object).

use sea_orm_migration::{prelude::*, schema::*};

use crate::support::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditEntries {
    Table,
    Id,
    At,
    Actor,
    UserId,
    ApiKeyId,
    Operation,
    ObjectType,
    ObjectId,
    PersonId,
    RequestId,
    Summary,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditEntries::Table)
                    .col(uuid(AuditEntries::Id).primary_key())
                    .col(timestamp_with_time_zone(AuditEntries::At))
                    // `user:<email>`, `apikey:<name>` or `anonymous:<address>` (API.md).
                    .col(string_len(AuditEntries::Actor, 400))
                    // No foreign keys: the trail outlives the accounts and keys it names.
                    .col(uuid_null(AuditEntries::UserId))
                    .col(uuid_null(AuditEntries::ApiKeyId))
                    .col(string_len(AuditEntries::Operation, 100))
                    .col(string_len_null(AuditEntries::ObjectType, 100))
                    .col(uuid_null(AuditEntries::ObjectId))
                    // The person whose data the summary may hold, for erasure.
                    .col(uuid_null(AuditEntries::PersonId))
                    .col(string_len_null(AuditEntries::RequestId, 200))
                    .col(text_null(AuditEntries::Summary))
                    .to_owned(),
            )
            .await?;
        // The trail is read newest first, by period, by object, by user or by operation.
        for (name, columns) in [
            ("idx_audit_entries_at", &["at", "id"][..]),
            ("idx_audit_entries_object", &["object_id", "at"][..]),
            ("idx_audit_entries_user", &["user_id", "at"][..]),
            ("idx_audit_entries_operation", &["operation", "at"][..]),
            ("idx_audit_entries_person", &["person_id"][..]),
        ] {
            manager
                .create_index(index(name, AuditEntries::Table, columns))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditEntries::Table).to_owned())
            .await
    }
}

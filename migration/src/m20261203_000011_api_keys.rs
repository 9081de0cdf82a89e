//! API keys, for the venue's website, a regional agenda or a trusted tool: a name, a scope
//! (PUBLIC, or a staff role's rights), and the SHA-256 of the key (the key itself is shown once
//! and never stored, like a session token). A key is revoked by stamping `revoked_at`, never
//! deleted, so that the list says which keys existed and when they stopped.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ApiKeys {
    Table,
    Id,
    Name,
    Scope,
    KeyHash,
    CreatedAt,
    LastUsedAt,
    ExpiresAt,
    RevokedAt,
    CreatedBy,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ApiKeys::Table)
                    .col(uuid(ApiKeys::Id).primary_key())
                    .col(string_len(ApiKeys::Name, 200))
                    .col(string_len(ApiKeys::Scope, 16))
                    // The lookup of every request made with a key: unique, so indexed.
                    .col(string_uniq(ApiKeys::KeyHash))
                    .col(timestamp_with_time_zone(ApiKeys::CreatedAt))
                    .col(timestamp_with_time_zone_null(ApiKeys::LastUsedAt))
                    .col(timestamp_with_time_zone_null(ApiKeys::ExpiresAt))
                    .col(timestamp_with_time_zone_null(ApiKeys::RevokedAt))
                    .col(uuid_null(ApiKeys::CreatedBy))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ApiKeys::Table, ApiKeys::CreatedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        // A key's name is what logs and metrics show: two live keys with one name would be
        // two callers that cannot be told apart. A revoked key frees its name.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX idx_api_keys_live_name ON api_keys (name) \
                 WHERE revoked_at IS NULL",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ApiKeys::Table).to_owned())
            .await
    }
}

//! Webhooks: an https URL (or loopback http, for tests) subscribed to activity kinds, and the
//! durable queue of their deliveries. The secret is stored as given (not hashed, unlike API
//! keys): the server needs it to sign every delivery; it is shown once and never returned.
//! A delivery row is written in the transaction of the change it reports, so it exists if and
//! only if that change committed; a worker in each server process sends the due ones.

use sea_orm_migration::{prelude::*, schema::*};

use crate::support::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Webhooks {
    Table,
    Id,
    Url,
    Kinds,
    Secret,
    Active,
    ConsecutiveFailures,
    LastError,
    CreatedAt,
}

#[derive(DeriveIden)]
enum WebhookDeliveries {
    Table,
    Id,
    WebhookId,
    Kind,
    Payload,
    Attempts,
    Status,
    DeliveredAt,
    NextAttemptAt,
    LastError,
    CreatedAt,
    ClaimedUntil,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Webhooks::Table)
                    .col(uuid(Webhooks::Id).primary_key())
                    .col(string_len(Webhooks::Url, 2048))
                    // Comma-separated ActivityKind names.
                    .col(string_len(Webhooks::Kinds, 400))
                    .col(string_len(Webhooks::Secret, 100))
                    .col(boolean(Webhooks::Active))
                    .col(integer(Webhooks::ConsecutiveFailures).default(0))
                    .col(text_null(Webhooks::LastError))
                    .col(timestamp_with_time_zone(Webhooks::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookDeliveries::Table)
                    .col(uuid(WebhookDeliveries::Id).primary_key())
                    .col(uuid(WebhookDeliveries::WebhookId))
                    .col(string_len(WebhookDeliveries::Kind, 40))
                    // The ActivityEvent as JSON, sent byte for byte (the signature covers it).
                    .col(text(WebhookDeliveries::Payload))
                    .col(integer(WebhookDeliveries::Attempts).default(0))
                    // The last HTTP status received; null: none yet, or no answer.
                    .col(integer_null(WebhookDeliveries::Status))
                    .col(timestamp_with_time_zone_null(
                        WebhookDeliveries::DeliveredAt,
                    ))
                    // Null once delivered or given up.
                    .col(timestamp_with_time_zone_null(
                        WebhookDeliveries::NextAttemptAt,
                    ))
                    .col(text_null(WebhookDeliveries::LastError))
                    .col(timestamp_with_time_zone(WebhookDeliveries::CreatedAt))
                    // A worker sending it holds it until then (see the worker's claim).
                    .col(timestamp_with_time_zone_null(
                        WebhookDeliveries::ClaimedUntil,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .from(WebhookDeliveries::Table, WebhookDeliveries::WebhookId)
                            .to(Webhooks::Table, Webhooks::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // The worker's scan for due deliveries, and a webhook's latest deliveries.
        manager
            .create_index(index(
                "idx_webhook_deliveries_due",
                WebhookDeliveries::Table,
                &["next_attempt_at"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_webhook_deliveries_webhook",
                WebhookDeliveries::Table,
                &["webhook_id", "created_at"],
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(WebhookDeliveries::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Webhooks::Table).to_owned())
            .await
    }
}

//! Webhooks (ADMIN): an https URL (loopback http for tests and local tools) subscribed to
//! activity kinds. Each activity of those kinds is POSTed to it as JSON, signed (see
//! `signature`), from a durable queue in the database:
//!
//! - [`enqueue`] writes the deliveries inside the transaction that publishes the activity
//!   (`ActivityBus::commit`): a delivery exists if and only if its change committed, and the
//!   request that caused it never waits for a receiver;
//! - the `worker` of each server process sends what is due, retries with exponential backoff,
//!   and disables a webhook after [`MAX_CONSECUTIVE_FAILURES`] failed attempts in a row.

pub mod gdpr;
pub mod signature;
pub mod worker;

use chrono::{DateTime, Utc};
use lieu_entity::{webhook, webhook_delivery};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::Serialize;
use uuid::Uuid;

use crate::auth::token;
use crate::db;
use crate::domain::StoredEnum;
use crate::error::{AppError, AppResult};
use crate::service::activity::{Activity, ActivityBus, ActivityKind};

pub use worker::{WebhookWorker, spawn_worker};

/// A webhook is disabled after this many failed attempts in a row (any of its deliveries).
pub const MAX_CONSECUTIVE_FAILURES: i32 = 5;

/// The start of every webhook secret (recognisable when pasted where it should not be).
const SECRET_PREFIX: &str = "lieu_whsec_";

/// The longest URL accepted.
const URL_MAX: usize = 2048;

/// Deliveries listed per webhook when `first` is not given, and at most.
pub const DELIVERIES_DEFAULT: u64 = 20;
pub const DELIVERIES_MAX: u64 = 100;

/// A checked webhook URL: https anywhere, or http to this machine only (127.0.0.1, ::1,
/// localhost): a plain-http receiver elsewhere would expose payloads on the way.
#[derive(Clone, Debug)]
pub struct WebhookUrl(String);

impl WebhookUrl {
    pub fn parse(field: &str, raw: &str) -> AppResult<Self> {
        let raw = raw.trim();
        if raw.len() > URL_MAX {
            return Err(AppError::validation(
                field,
                format!("a URL of at most {URL_MAX} characters"),
            ));
        }
        let url = reqwest::Url::parse(raw)
            .map_err(|err| AppError::validation(field, format!("'{raw}' is not a URL ({err})")))?;
        let host = url.host_str().unwrap_or_default();
        match url.scheme() {
            "https" if !host.is_empty() => {}
            "http" if matches!(host, "127.0.0.1" | "[::1]" | "localhost") => {}
            "http" => {
                return Err(AppError::validation(
                    field,
                    "use https:// (plain http:// is accepted for 127.0.0.1, ::1 and localhost only)",
                ));
            }
            _ => {
                return Err(AppError::validation(
                    field,
                    format!("'{raw}' is not an https:// URL"),
                ));
            }
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(AppError::validation(
                field,
                "no credentials in the URL: each delivery is signed instead",
            ));
        }
        Ok(Self(url.to_string()))
    }
}

pub struct NewWebhook {
    pub url: WebhookUrl,
    pub kinds: Vec<ActivityKind>,
}

/// The kinds a webhook is subscribed to, in declaration order.
pub fn kinds_of(model: &webhook::Model) -> AppResult<Vec<ActivityKind>> {
    model
        .kinds
        .split(',')
        .filter(|name| !name.is_empty())
        .map(|name| ActivityKind::from_stored("webhooks.kinds", name))
        .collect()
}

pub fn kind_of(model: &webhook_delivery::Model) -> AppResult<ActivityKind> {
    ActivityKind::from_stored("webhook_deliveries.kind", &model.kind)
}

/// Creates a webhook; returns its secret (shown once) with its row.
pub async fn create(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    input: NewWebhook,
) -> AppResult<(String, webhook::Model)> {
    if input.kinds.is_empty() {
        return Err(AppError::validation(
            "kinds",
            "give at least one activity kind to deliver",
        ));
    }
    let kinds: Vec<&str> = ActivityKind::ALL
        .iter()
        .filter(|kind| input.kinds.contains(kind))
        .map(|kind| kind.as_str())
        .collect();
    let secret = format!("{SECRET_PREFIX}{}", token::generate());
    let txn = db::begin_write(conn).await?;
    let model = webhook::ActiveModel {
        id: Set(Uuid::new_v4()),
        url: Set(input.url.0),
        kinds: Set(kinds.join(",")),
        secret: Set(secret.clone()),
        active: Set(true),
        consecutive_failures: Set(0),
        last_error: Set(None),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    crate::service::audit::created("Webhook", model.id, &model);
    crate::service::audit::commit(txn).await?;
    tracing::info!(webhook = %model.id, url = %model.url, "webhook created");
    Ok((secret, model))
}

/// Every webhook, oldest first.
pub async fn list(conn: &DatabaseConnection) -> AppResult<Vec<webhook::Model>> {
    Ok(webhook::Entity::find()
        .order_by_asc(webhook::Column::CreatedAt)
        .order_by_asc(webhook::Column::Id)
        .all(conn)
        .await?)
}

/// Deletes a webhook and its deliveries (a delivery being sent at that moment still goes).
pub async fn delete(conn: &DatabaseConnection, id: Uuid) -> AppResult<()> {
    let txn = db::begin_write(conn).await?;
    webhook_delivery::Entity::delete_many()
        .filter(webhook_delivery::Column::WebhookId.eq(id))
        .exec(&txn)
        .await?;
    let deleted = webhook::Entity::delete_by_id(id).exec(&txn).await?;
    if deleted.rows_affected == 0 {
        return Err(AppError::not_found("webhook", id));
    }
    crate::service::audit::commit(txn).await?;
    tracing::info!(webhook = %id, "webhook deleted");
    Ok(())
}

/// A webhook's latest deliveries, newest first.
pub async fn deliveries(
    conn: &DatabaseConnection,
    webhook_id: Uuid,
    first: u64,
) -> AppResult<Vec<webhook_delivery::Model>> {
    Ok(webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::WebhookId.eq(webhook_id))
        .order_by_desc(webhook_delivery::Column::CreatedAt)
        .order_by_desc(webhook_delivery::Column::Id)
        .limit(first)
        .all(conn)
        .await?)
}

/// Queues a test delivery to a webhook: an `ActivityEvent` of its first kind, with no ids,
/// that says it is a test. INVALID_STATE for a disabled webhook (nothing is sent to those).
pub async fn send_test(
    conn: &DatabaseConnection,
    bus: &ActivityBus,
    now: DateTime<Utc>,
    webhook_id: Uuid,
) -> AppResult<webhook_delivery::Model> {
    let txn = db::begin_write(conn).await?;
    let found = webhook::Entity::find_by_id(webhook_id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::unknown("webhookId", "webhook", webhook_id))?;
    if !found.active {
        return Err(AppError::InvalidState(
            "this webhook is disabled (see its lastError): create it again to receive deliveries"
                .into(),
        ));
    }
    let kind = kinds_of(&found)?
        .first()
        .copied()
        .unwrap_or(ActivityKind::BookingCreated);
    let payload = Payload {
        kind,
        at: now,
        summary: "A test delivery from Lieu: your endpoint and its signature check work",
        booking_id: None,
        event_id: None,
        registration_id: None,
    };
    let model = delivery(webhook_id, &payload, now).insert(&txn).await?;
    crate::service::audit::created("WebhookDelivery", model.id, &model);
    crate::service::audit::commit(txn).await?;
    bus.webhook_wake().notify_one();
    Ok(model)
}

/// The body of a delivery: the `ActivityEvent` of the GraphQL API, as staff see it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Payload<'a> {
    kind: ActivityKind,
    at: DateTime<Utc>,
    summary: &'a str,
    booking_id: Option<Uuid>,
    event_id: Option<Uuid>,
    registration_id: Option<Uuid>,
}

fn delivery(
    webhook_id: Uuid,
    payload: &Payload<'_>,
    now: DateTime<Utc>,
) -> webhook_delivery::ActiveModel {
    webhook_delivery::ActiveModel {
        id: Set(Uuid::new_v4()),
        webhook_id: Set(webhook_id),
        kind: Set(payload.kind.as_str().to_string()),
        payload: Set(serde_json::to_string(payload).expect("a payload is JSON")),
        attempts: Set(0),
        status: Set(None),
        delivered_at: Set(None),
        next_attempt_at: Set(Some(now)),
        last_error: Set(None),
        created_at: Set(now),
        claimed_until: Set(None),
    }
}

/// Rows per INSERT: well under SQLite's limit of bound values (11 columns each).
const INSERT_CHUNK: usize = 500;

/// Queues, in the caller's transaction, one delivery per event and active webhook subscribed
/// to its kind. Returns how many. Costs no query when there are no events.
pub async fn enqueue(conn: &impl ConnectionTrait, events: &[Activity]) -> AppResult<usize> {
    if events.is_empty() {
        return Ok(0);
    }
    let hooks = webhook::Entity::find()
        .filter(webhook::Column::Active.eq(true))
        .all(conn)
        .await?;
    if hooks.is_empty() {
        return Ok(0);
    }
    let mut rows = Vec::new();
    for hook in &hooks {
        let kinds = kinds_of(hook)?;
        for activity in events.iter().filter(|a| kinds.contains(&a.kind)) {
            let payload = Payload {
                kind: activity.kind,
                at: activity.at,
                summary: &activity.summary,
                booking_id: activity.booking_id,
                event_id: activity.event_id,
                registration_id: activity.registration_id,
            };
            rows.push(delivery(hook.id, &payload, activity.at));
        }
    }
    let queued = rows.len();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(INSERT_CHUNK).collect();
        webhook_delivery::Entity::insert_many(chunk)
            .exec_without_returning(conn)
            .await?;
    }
    Ok(queued)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_https_or_loopback_http() {
        for good in [
            "https://hooks.example.org/lieu",
            "http://127.0.0.1:9000/hook",
            "http://localhost/x",
            "http://[::1]:8080/",
        ] {
            assert!(WebhookUrl::parse("url", good).is_ok(), "{good}");
        }
        for bad in [
            "http://hooks.example.org/",
            "http://10.0.0.1/",
            "ftp://example.org/",
            "not a url",
            "https://user:pw@example.org/",
        ] {
            let err = WebhookUrl::parse("url", bad).unwrap_err();
            assert_eq!(err.code(), "VALIDATION", "{bad}");
        }
    }
}

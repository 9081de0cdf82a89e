//! The delivery worker, one per server process. It wakes when a commit queued deliveries
//! (the bus's `Notify`) and polls every second anyway (for retries that fall due, and for
//! what other processes queued). Each due delivery is first claimed with a conditional
//! UPDATE, so that two processes sharing a database never send one delivery at the same time;
//! a claim lapses after [`LEASE`], so a delivery whose process died mid-send goes again.
//! Delivery is at least once: receivers deduplicate on `Lieu-Delivery`.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::StreamExt;
use lieu_entity::{webhook, webhook_delivery};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use tokio::sync::{Notify, watch};

use super::MAX_CONSECUTIVE_FAILURES;
use super::signature::{self, DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER};
use crate::clock::Clock;
use crate::db;
use crate::error::AppResult;
use crate::state::AppState;

/// How long a receiver has to answer.
pub const TIMEOUT: Duration = Duration::from_secs(10);
/// How long a claim holds: longer than a send can take.
const LEASE: chrono::Duration = chrono::Duration::seconds(30);
/// The longest wait between two attempts.
const BACKOFF_CAP: Duration = Duration::from_secs(3600);
/// How often the queue is looked at without being woken.
const POLL: Duration = Duration::from_secs(1);
/// Deliveries claimed per round, and sent at once.
const BATCH: u64 = 16;
const CONCURRENCY: usize = 8;
/// A receiver's error text kept with a failure, at most.
const ERROR_MAX: usize = 300;

/// The running worker; [`WebhookWorker::stop`] ends it.
pub struct WebhookWorker {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl WebhookWorker {
    /// Lets the deliveries being sent finish (each has [`TIMEOUT`]), then stops; what is
    /// still queued stays queued, for the next start.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let mut task = self.task;
        if tokio::time::timeout(TIMEOUT + Duration::from_secs(2), &mut task)
            .await
            .is_err()
        {
            task.abort();
        }
    }
}

#[derive(Clone)]
struct Worker {
    db: DatabaseConnection,
    clock: Clock,
    client: reqwest::Client,
    retry_base: Duration,
}

pub fn spawn_worker(state: &AppState) -> WebhookWorker {
    let worker = Worker {
        db: state.db.clone(),
        clock: state.clock.clone(),
        client: reqwest::Client::builder()
            .timeout(TIMEOUT)
            // A redirect could lead a signed payload somewhere else: a 3xx is a failure.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("Lieu-Webhooks/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("the webhook HTTP client builds"),
        retry_base: state.config.webhook_retry_base,
    };
    let wake = state.activity.webhook_wake();
    let (stop, stopped) = watch::channel(false);
    let task = tokio::spawn(worker.run(wake, stopped));
    WebhookWorker { stop, task }
}

impl Worker {
    async fn run(self, wake: Arc<Notify>, mut stopped: watch::Receiver<bool>) {
        loop {
            // Sends until nothing is due, then waits.
            loop {
                if *stopped.borrow() {
                    return;
                }
                match self.round().await {
                    Ok(0) => break,
                    Ok(_) => {}
                    Err(err) => {
                        tracing::warn!(?err, "webhook worker could not read its queue");
                        break;
                    }
                }
            }
            tokio::select! {
                _ = wake.notified() => {}
                _ = tokio::time::sleep(POLL) => {}
                _ = stopped.changed() => return,
            }
        }
    }

    /// Claims up to a batch of due deliveries and sends them; returns how many it sent.
    async fn round(&self) -> AppResult<usize> {
        let now = self.clock.now();
        let due = webhook_delivery::Entity::find()
            .find_also_related(webhook::Entity)
            .filter(webhook::Column::Active.eq(true))
            .filter(webhook_delivery::Column::DeliveredAt.is_null())
            .filter(webhook_delivery::Column::NextAttemptAt.lte(now))
            .filter(unclaimed(now))
            .order_by_asc(webhook_delivery::Column::NextAttemptAt)
            .limit(BATCH)
            .all(&self.db)
            .await?;
        let mut claimed = Vec::new();
        for (delivery, hook) in due {
            if let Some(hook) = hook
                && self.claim(&delivery, now).await?
            {
                claimed.push((delivery, hook));
            }
        }
        let sent = claimed.len();
        futures::stream::iter(claimed)
            .for_each_concurrent(CONCURRENCY, |(delivery, hook)| async move {
                let outcome = self.send(&delivery, &hook).await;
                if let Err(err) = self.record(&delivery, &hook, outcome).await {
                    // The claim lapses and the delivery goes again: at least once.
                    tracing::warn!(?err, delivery = %delivery.id, "could not record a webhook delivery");
                }
            })
            .await;
        Ok(sent)
    }

    /// Takes a delivery for this process, unless another process took it first.
    async fn claim(
        &self,
        delivery: &webhook_delivery::Model,
        now: DateTime<Utc>,
    ) -> AppResult<bool> {
        let taken = webhook_delivery::Entity::update_many()
            .col_expr(
                webhook_delivery::Column::ClaimedUntil,
                Expr::value(now + LEASE),
            )
            .filter(webhook_delivery::Column::Id.eq(delivery.id))
            .filter(webhook_delivery::Column::DeliveredAt.is_null())
            .filter(webhook_delivery::Column::NextAttemptAt.lte(now))
            .filter(unclaimed(now))
            .exec(&self.db)
            .await?;
        Ok(taken.rows_affected == 1)
    }

    /// POSTs the delivery, signed; `Ok(status)` for a 2xx, else what went wrong.
    async fn send(&self, delivery: &webhook_delivery::Model, hook: &webhook::Model) -> Outcome {
        let timestamp = self.clock.now().timestamp();
        let body = delivery.payload.clone().into_bytes();
        let signature = signature::sign(&hook.secret, timestamp, &body);
        let response = self
            .client
            .post(&hook.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(DELIVERY_HEADER, delivery.id.to_string())
            .header(TIMESTAMP_HEADER, timestamp.to_string())
            .header(SIGNATURE_HEADER, signature)
            .body(body)
            .send()
            .await;
        match response {
            Ok(response) if response.status().is_success() => Outcome {
                status: Some(response.status().as_u16()),
                error: None,
            },
            Ok(response) => {
                let status = response.status();
                let text = response.text().await.unwrap_or_default();
                let text = cut(text.trim());
                let error = if text.is_empty() {
                    format!("HTTP {status}")
                } else {
                    format!("HTTP {status}: {text}")
                };
                Outcome {
                    status: Some(status.as_u16()),
                    error: Some(error),
                }
            }
            Err(err) => Outcome {
                status: None,
                error: Some(if err.is_timeout() {
                    format!("no answer within {} s", TIMEOUT.as_secs())
                } else if err.is_connect() {
                    "could not connect to the receiver".to_string()
                } else {
                    "the request failed before an answer".to_string()
                }),
            },
        }
    }

    /// Writes the outcome: delivered, or the next attempt; and the webhook's run of failures,
    /// which disables it at [`MAX_CONSECUTIVE_FAILURES`].
    async fn record(
        &self,
        delivery: &webhook_delivery::Model,
        hook: &webhook::Model,
        outcome: Outcome,
    ) -> AppResult<()> {
        use webhook::Column as W;
        use webhook_delivery::Column as D;
        let now = self.clock.now();
        let attempts = delivery.attempts + 1;
        let status = outcome.status.map(i32::from);
        let txn = db::begin_write(&self.db).await?;
        let Some(error) = outcome.error else {
            webhook_delivery::Entity::update_many()
                .col_expr(D::Attempts, Expr::value(attempts))
                .col_expr(D::Status, Expr::value(status))
                .col_expr(D::DeliveredAt, Expr::value(Some(now)))
                .col_expr(D::NextAttemptAt, Expr::value(Option::<DateTime<Utc>>::None))
                .col_expr(D::LastError, Expr::value(Option::<String>::None))
                .col_expr(D::ClaimedUntil, Expr::value(Option::<DateTime<Utc>>::None))
                .filter(D::Id.eq(delivery.id))
                .exec(&txn)
                .await?;
            webhook::Entity::update_many()
                .col_expr(W::ConsecutiveFailures, Expr::value(0))
                .col_expr(W::LastError, Expr::value(Option::<String>::None))
                .filter(W::Id.eq(hook.id))
                // A disabled webhook keeps the reason it was disabled for.
                .filter(W::Active.eq(true))
                .exec(&txn)
                .await?;
            txn.commit().await?;
            tracing::debug!(delivery = %delivery.id, attempts, "webhook delivered");
            return Ok(());
        };
        // Counted in the database: several deliveries of one webhook may fail at once. Only
        // while it is active, so that a failure recorded after it was disabled keeps the reason.
        webhook::Entity::update_many()
            .col_expr(
                W::ConsecutiveFailures,
                sea_orm::sea_query::ExprTrait::add(Expr::col(W::ConsecutiveFailures), 1),
            )
            .col_expr(W::LastError, Expr::value(Some(error.clone())))
            .filter(W::Id.eq(hook.id))
            .filter(W::Active.eq(true))
            .exec(&txn)
            .await?;
        let (active, failures) = webhook::Entity::find_by_id(hook.id)
            .one(&txn)
            .await?
            .map_or((false, 0), |hook| (hook.active, hook.consecutive_failures));
        let disable = active && failures >= MAX_CONSECUTIVE_FAILURES;
        // A disabled (or deleted) webhook gets no more attempts.
        let next = (active && !disable)
            .then(|| now + chrono::Duration::from_std(self.backoff(attempts)).unwrap_or(LEASE));
        webhook_delivery::Entity::update_many()
            .col_expr(D::Attempts, Expr::value(attempts))
            .col_expr(D::Status, Expr::value(status))
            .col_expr(D::NextAttemptAt, Expr::value(next))
            .col_expr(D::LastError, Expr::value(Some(error.clone())))
            .col_expr(D::ClaimedUntil, Expr::value(Option::<DateTime<Utc>>::None))
            .filter(D::Id.eq(delivery.id))
            .exec(&txn)
            .await?;
        if disable {
            let reason = format!(
                "disabled after {MAX_CONSECUTIVE_FAILURES} failed deliveries in a row; the last: {error}"
            );
            webhook::Entity::update_many()
                .col_expr(W::Active, Expr::value(false))
                .col_expr(W::LastError, Expr::value(Some(reason.clone())))
                .filter(W::Id.eq(hook.id))
                .exec(&txn)
                .await?;
            // Nothing more goes to it: its queue is given up.
            webhook_delivery::Entity::update_many()
                .col_expr(D::NextAttemptAt, Expr::value(Option::<DateTime<Utc>>::None))
                .filter(D::WebhookId.eq(hook.id))
                .filter(D::DeliveredAt.is_null())
                .exec(&txn)
                .await?;
            tracing::warn!(webhook = %hook.id, url = %hook.url, %reason, "webhook disabled");
        }
        txn.commit().await?;
        tracing::info!(delivery = %delivery.id, attempts, %error, "webhook delivery failed");
        Ok(())
    }

    /// The wait after the `attempts`-th failed attempt: the base, doubled each time, capped.
    fn backoff(&self, attempts: i32) -> Duration {
        backoff(self.retry_base, attempts)
    }
}

fn backoff(base: Duration, attempts: i32) -> Duration {
    let doublings = u32::try_from(attempts.saturating_sub(1))
        .unwrap_or(0)
        .min(30);
    base.saturating_mul(1 << doublings).min(BACKOFF_CAP)
}

/// Not claimed, or its claim has lapsed.
fn unclaimed(now: DateTime<Utc>) -> Condition {
    Condition::any()
        .add(webhook_delivery::Column::ClaimedUntil.is_null())
        .add(webhook_delivery::Column::ClaimedUntil.lte(now))
}

struct Outcome {
    status: Option<u16>,
    /// `None`: delivered.
    error: Option<String>,
}

fn cut(text: &str) -> String {
    if text.len() <= ERROR_MAX {
        return text.to_string();
    }
    let mut end = ERROR_MAX;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backoff_doubles_from_the_base_up_to_an_hour() {
        let base = Duration::from_secs(30);
        assert_eq!(backoff(base, 1), Duration::from_secs(30));
        assert_eq!(backoff(base, 2), Duration::from_secs(60));
        assert_eq!(backoff(base, 5), Duration::from_secs(480));
        assert_eq!(backoff(base, 8), Duration::from_secs(3600));
        assert_eq!(backoff(base, 1000), Duration::from_secs(3600));
    }
}

//! The activity bus: what just happened at the venue (a booking made, a registration
//! cancelled, someone checked in), for the `activity` subscription.
//!
//! A service gathers its `Activity` while its transaction runs and hands both to
//! [`ActivityBus::commit`] instead of committing itself. So an event exists only for a
//! committed change: a refused or rolled-back booking publishes nothing.
//!
//! - In this process, events go through a tokio broadcast channel, after the commit.
//! - With PostgreSQL, `commit` also queues them with `pg_notify` inside the transaction:
//!   PostgreSQL delivers notifications at commit, and never those of a transaction rolled back.
//!   Each process runs one listener connection (`listener`) that feeds what the *other*
//!   processes published into its own broadcast channel; its own it already has.

mod listener;
pub mod summary;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend};
use serde::{Deserialize, Serialize};
use tokio::sync::{Notify, broadcast};
use uuid::Uuid;

use crate::error::AppResult;

pub use listener::spawn_listener;

/// The PostgreSQL channel every process publishes on and listens to.
pub const CHANNEL: &str = "lieu_activity";

/// How many events a slow subscriber may fall behind before it skips some.
const BUFFER: usize = 1024;

crate::domain::stored_enum::stored_enum! {
    /// Stored by name in a webhook's kinds and its deliveries.
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
    pub enum ActivityKind {
        BookingCreated => "BOOKING_CREATED",
        BookingConfirmed => "BOOKING_CONFIRMED",
        BookingCancelled => "BOOKING_CANCELLED",
        RegistrationCreated => "REGISTRATION_CREATED",
        RegistrationCancelled => "REGISTRATION_CANCELLED",
        CheckedIn => "CHECKED_IN",
    }
}

/// One thing that happened, with the ids a client needs to refetch what changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    pub kind: ActivityKind,
    pub at: DateTime<Utc>,
    pub site_id: Uuid,
    pub booking_id: Option<Uuid>,
    pub event_id: Option<Uuid>,
    pub registration_id: Option<Uuid>,
    /// For staff: may name a booking's title or who registered.
    pub summary: String,
    /// What anyone may see, without personal data or private titles; `None`: staff only.
    pub public_summary: Option<String>,
}

/// What travels over `pg_notify`: the events and which process sent them.
#[derive(Serialize, Deserialize)]
struct Envelope<'a> {
    origin: Uuid,
    #[serde(borrow)]
    activity: std::borrow::Cow<'a, Activity>,
}

/// A notification's payload must stay under 8000 bytes; a summary is cut well before.
const SUMMARY_MAX: usize = 600;

/// The bus of one process. Cheap to clone.
#[derive(Clone)]
pub struct ActivityBus {
    sender: broadcast::Sender<Arc<Activity>>,
    /// This process, to tell its own notifications from the others' (see `listener`).
    origin: Uuid,
    /// Woken after a commit that queued webhook deliveries (see `service::webhooks`).
    webhooks: Arc<Notify>,
}

impl Default for ActivityBus {
    fn default() -> Self {
        Self::new()
    }
}

impl ActivityBus {
    pub fn new() -> Self {
        let (sender, _) = broadcast::channel(BUFFER);
        Self {
            sender,
            origin: Uuid::new_v4(),
            webhooks: Arc::new(Notify::new()),
        }
    }

    /// What this process's webhook worker waits on between its polls.
    pub fn webhook_wake(&self) -> Arc<Notify> {
        self.webhooks.clone()
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Activity>> {
        self.sender.subscribe()
    }

    /// Subscribers of this process.
    pub fn subscribers(&self) -> usize {
        self.sender.receiver_count()
    }

    /// Commits `txn`, then publishes `events`. With PostgreSQL the events are also notified
    /// inside the transaction, so that other processes get them at commit and only then.
    /// The webhook deliveries of the events are queued in `txn` too: a delivery exists if and
    /// only if its change committed, and the request never waits for a receiver.
    pub async fn commit(&self, txn: DatabaseTransaction, events: Vec<Activity>) -> AppResult<()> {
        let events: Vec<Activity> = events.into_iter().map(trimmed).collect();
        let queued = crate::service::webhooks::enqueue(&txn, &events).await?;
        if txn.get_database_backend() == DbBackend::Postgres && !events.is_empty() {
            let payloads: Vec<String> = events
                .iter()
                .map(|activity| {
                    serde_json::to_string(&Envelope {
                        origin: self.origin,
                        activity: std::borrow::Cow::Borrowed(activity),
                    })
                    .expect("an activity is JSON")
                })
                .collect();
            // One statement however many events (a series makes up to 366).
            let payloads = serde_json::to_string(&payloads).expect("strings are JSON");
            txn.execute_raw(sea_orm::Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT pg_notify($1, payload) FROM json_array_elements_text($2::json) AS payload",
                [CHANNEL.into(), payloads.into()],
            ))
            .await?;
        }
        crate::service::audit::commit(txn).await?;
        if queued > 0 {
            self.webhooks.notify_one();
        }
        for activity in events {
            self.deliver(activity);
        }
        Ok(())
    }

    /// Hands an event to this process's subscribers (none listening is fine).
    fn deliver(&self, activity: Activity) {
        let _ = self.sender.send(Arc::new(activity));
    }

    /// An event another process notified, unless it is this process's own.
    fn deliver_notified(&self, payload: &str) {
        match serde_json::from_str::<Envelope<'_>>(payload) {
            Ok(envelope) if envelope.origin == self.origin => {}
            Ok(envelope) => self.deliver(envelope.activity.into_owned()),
            Err(err) => tracing::warn!(%err, "an activity notification that is not ours"),
        }
    }
}

fn trimmed(mut activity: Activity) -> Activity {
    for text in std::iter::once(&mut activity.summary).chain(activity.public_summary.as_mut()) {
        if text.len() > SUMMARY_MAX {
            let mut cut = SUMMARY_MAX;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
            text.push('…');
        }
    }
    activity
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Activity {
        Activity {
            kind: ActivityKind::BookingCreated,
            at: Utc::now(),
            site_id: Uuid::new_v4(),
            booking_id: Some(Uuid::new_v4()),
            event_id: None,
            registration_id: None,
            summary: "é".repeat(400),
            public_summary: None,
        }
    }

    #[test]
    fn notifications_from_this_process_are_not_delivered_twice() {
        let bus = ActivityBus::new();
        let mut rx = bus.subscribe();
        let activity = sample();
        let own = serde_json::to_string(&Envelope {
            origin: bus.origin,
            activity: std::borrow::Cow::Borrowed(&activity),
        })
        .unwrap();
        let other = serde_json::to_string(&Envelope {
            origin: Uuid::new_v4(),
            activity: std::borrow::Cow::Borrowed(&activity),
        })
        .unwrap();
        bus.deliver_notified(&own);
        bus.deliver_notified(&other);
        bus.deliver_notified("not json");
        assert_eq!(*rx.try_recv().unwrap(), activity);
        assert!(rx.try_recv().is_err());
    }

    #[test]
    fn long_summaries_are_cut_on_a_character() {
        let cut = trimmed(sample());
        assert!(cut.summary.len() <= SUMMARY_MAX + '…'.len_utf8());
        assert!(cut.summary.ends_with('…'));
    }
}

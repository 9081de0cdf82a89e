//! Live updates: `subscription { activity(siteId) }`, over `GET /graphql/ws` (see
//! `http::ws`). The events come from the services through the activity bus, after their
//! transaction commits.

use std::sync::Arc;

use async_graphql::{Context, Enum, ID, Object, Subscription};
use futures::Stream;
use tokio::sync::broadcast::error::RecvError;
use uuid::Uuid;

use crate::domain::parse_id;
use crate::graphql::context::ContextExt;
use crate::graphql::scalars::DateTime;
use crate::service::activity::Activity;
use crate::telemetry::metrics::SubscriptionGauge;

/// What happened.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "crate::service::activity::ActivityKind")]
pub enum ActivityKind {
    BookingCreated,
    BookingConfirmed,
    BookingCancelled,
    RegistrationCreated,
    RegistrationCancelled,
    /// A registration checked in (the first time only: a repeated scan is not news).
    CheckedIn,
}

/// One thing that just happened at the venue, with the ids to refetch what changed.
pub struct ActivityEvent {
    activity: Arc<Activity>,
    staff: bool,
}

#[Object]
impl ActivityEvent {
    async fn kind(&self) -> ActivityKind {
        self.activity.kind.into()
    }

    /// When it happened (the commit of the change).
    async fn at(&self) -> DateTime {
        self.activity.at.into()
    }

    /// A short sentence for a feed. Staff read the booking's title or who registered; the
    /// public only the event and the seats.
    async fn summary(&self) -> &str {
        match (&self.activity.public_summary, self.staff) {
            (Some(public), false) => public,
            _ => &self.activity.summary,
        }
    }

    /// The booking to refetch (staff only).
    async fn booking_id(&self) -> Option<ID> {
        self.staff.then(|| id(self.activity.booking_id)).flatten()
    }

    /// The event to refetch: its counts of seats changed, or its booking did.
    async fn event_id(&self) -> Option<ID> {
        id(self.activity.event_id)
    }

    /// The registration to refetch (staff only).
    async fn registration_id(&self) -> Option<ID> {
        self.staff
            .then(|| id(self.activity.registration_id))
            .flatten()
    }
}

fn id(value: Option<Uuid>) -> Option<ID> {
    value.map(|v| ID(v.to_string()))
}

/// Whether the session a socket signed in with is still open: the socket checks it
/// periodically (`http::ws`), and a subscription before each delivery.
pub trait SessionCheck: Send + Sync {
    fn still_open(&self) -> futures::future::BoxFuture<'_, bool>;
}

#[derive(Default)]
pub struct ActivitySubscription;

#[Subscription(name = "Subscription")]
impl ActivitySubscription {
    /// What happens at the venue, as it happens, optionally on one site only. Over
    /// `GET /graphql/ws` (graphql-transport-ws), signed in with
    /// `connection_init {"Authorization": "Bearer <token>"}`.
    ///
    /// Staff (VOLUNTEER and above) get every kind: bookings made, confirmed and cancelled,
    /// registrations made and cancelled, check-ins, with their ids and titles. Anonymous
    /// sockets get the registrations and check-ins of public, scheduled events only: the
    /// event's id and a sentence with its title and the number of seats, never a booking, a
    /// person, a registration id or a private event. When the socket's session ends (logout,
    /// deactivation, expiry) the socket is closed (code 4401).
    async fn activity(
        &self,
        ctx: &Context<'_>,
        site_id: Option<ID>,
    ) -> async_graphql::Result<impl Stream<Item = ActivityEvent> + use<>> {
        let request = ctx.request()?;
        let site = site_id.map(|id| parse_id("siteId", &id)).transpose()?;
        let staff = request.caller.role().is_some();
        let session = ctx.data_opt::<Arc<dyn SessionCheck>>().cloned();
        let receiver = request.state.activity.subscribe();
        // Moved into the stream: however it ends, the gauge of active subscriptions drops.
        let gauge = SubscriptionGauge::open();
        Ok(futures::stream::unfold(
            (receiver, gauge),
            move |(mut receiver, gauge)| {
                let session = session.clone();
                async move {
                    loop {
                        let activity = match receiver.recv().await {
                            Ok(activity) => activity,
                            // A subscriber too slow for the burst skips what it missed; the
                            // next event tells it to refetch anyway.
                            Err(RecvError::Lagged(missed)) => {
                                tracing::debug!(missed, "an activity subscriber lagged");
                                continue;
                            }
                            Err(RecvError::Closed) => return None,
                        };
                        if !visible(&activity, staff, site) {
                            continue;
                        }
                        if let Some(session) = &session
                            && !session.still_open().await
                        {
                            return None;
                        }
                        let event = ActivityEvent { activity, staff };
                        return Some((event, (receiver, gauge)));
                    }
                }
            },
        ))
    }
}

/// Whether a subscriber sees an event: staff everything (of the site asked for), the public
/// only what has a public summary.
fn visible(activity: &Activity, staff: bool, site: Option<Uuid>) -> bool {
    site.is_none_or(|site| site == activity.site_id) && (staff || activity.public_summary.is_some())
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::service::activity::ActivityKind as Kind;

    #[test]
    fn the_public_sees_only_what_has_a_public_summary_and_a_site_filter_holds() {
        let site = Uuid::new_v4();
        let mut activity = Activity {
            kind: Kind::BookingCreated,
            at: Utc::now(),
            site_id: site,
            booking_id: Some(Uuid::new_v4()),
            event_id: None,
            registration_id: None,
            summary: "Salle Jaurès booked for “AG”".into(),
            public_summary: None,
        };
        assert!(visible(&activity, true, None));
        assert!(visible(&activity, true, Some(site)));
        assert!(!visible(&activity, true, Some(Uuid::new_v4())));
        assert!(!visible(&activity, false, None));
        activity.public_summary = Some("2 seats taken for “Repair café”".into());
        assert!(visible(&activity, false, Some(site)));
    }
}

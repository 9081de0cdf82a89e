//! The events the services publish, and their sentences. A staff summary may name a booking's
//! title or who registered (staff read both anyway); a public one is given only for public,
//! scheduled events and names the event and the seats, never a person.

use chrono::{DateTime, Utc};
use lieu_entity::{booking, event, registration};

use super::{Activity, ActivityKind};
use crate::domain::{BookingStatus, EventStatus, RegistrationStatus};

/// A booking made, confirmed or cancelled, in the space named `space`. `tz` (the site's) dates
/// a new booking in the summary.
pub fn booking(
    kind: ActivityKind,
    at: DateTime<Utc>,
    model: &booking::Model,
    space: &str,
    tz: Option<chrono_tz::Tz>,
) -> Activity {
    let title = &model.title;
    let summary = match kind {
        ActivityKind::BookingCreated => {
            let when = tz.map_or_else(String::new, |tz| {
                format!(
                    " on {}–{}",
                    model.starts_at.with_timezone(&tz).format("%d/%m %H:%M"),
                    model.ends_at.with_timezone(&tz).format("%H:%M")
                )
            });
            let pending = if model.status == BookingStatus::Pending.as_str() {
                " (waiting for approval)"
            } else {
                ""
            };
            format!("{space} booked for “{title}”{when}{pending}")
        }
        ActivityKind::BookingConfirmed => format!("Booking “{title}” in {space} confirmed"),
        _ => format!("Booking “{title}” in {space} cancelled"),
    };
    Activity {
        kind,
        at,
        site_id: model.site_id,
        booking_id: Some(model.id),
        event_id: model.event_id,
        registration_id: None,
        summary,
        // Bookings are not public (API.md: the public sees free/busy through `availability`).
        public_summary: None,
    }
}

/// A registration made, cancelled or checked in.
pub fn registration(
    kind: ActivityKind,
    at: DateTime<Utc>,
    model: &registration::Model,
    event: &event::Model,
) -> Activity {
    let seats = match model.seats {
        1 => "1 seat".to_string(),
        n => format!("{n} seats"),
    };
    let title = &event.title;
    let waitlisted = model.status == RegistrationStatus::Waitlisted.as_str();
    let (summary, public) = match kind {
        ActivityKind::RegistrationCreated if waitlisted => (
            format!("{} joined the waitlist of “{title}” ({seats})", model.name),
            format!("A registration for {seats} joined the waitlist of “{title}”"),
        ),
        ActivityKind::RegistrationCreated if model.checked_in_at.is_some() => (
            format!("{} walked in to “{title}” ({seats})", model.name),
            format!("{seats} taken at the door for “{title}”"),
        ),
        ActivityKind::RegistrationCreated => (
            format!("{} registered for “{title}” ({seats})", model.name),
            format!("{seats} taken for “{title}”"),
        ),
        ActivityKind::RegistrationCancelled => (
            format!(
                "{}'s registration for “{title}” cancelled ({seats})",
                model.name
            ),
            format!("A registration for {seats} to “{title}” was cancelled"),
        ),
        _ => (
            format!("{} checked in at “{title}” ({seats})", model.name),
            format!("{seats} checked in at “{title}”"),
        ),
    };
    let open = event.public && event.status == EventStatus::Scheduled.as_str();
    Activity {
        kind,
        at,
        site_id: event.site_id,
        booking_id: None,
        event_id: Some(event.id),
        registration_id: Some(model.id),
        summary,
        public_summary: open.then_some(public),
    }
}

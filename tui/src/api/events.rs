//! The events and check-in half of [`perform`](super::perform).

use super::client::Client;
use super::model::*;
use super::ops;
use super::request::{Payload, Request, Response, api_name};

/// The same fragments, generated once per operation that spreads them.
macro_rules! event_row {
    ($module:ident) => {
        impl From<ops::$module::EventFields> for EventRow {
            fn from(e: ops::$module::EventFields) -> Self {
                EventRow {
                    id: e.id,
                    title: e.title,
                    start: e.start,
                    end: e.end,
                    capacity: e.capacity,
                    public: e.public,
                    cancelled: api_name(&e.status) == "CANCELLED",
                    price: e.price,
                    confirmed: e.confirmed_count,
                    waitlisted: e.waitlist_count,
                    checked_in: e.checked_in_count,
                    remaining: e.remaining_seats,
                    spaces: e.spaces.into_iter().map(|s| s.name).collect(),
                }
            }
        }
    };
}
event_row!(events);
event_row!(event_desk);

macro_rules! registration_row {
    ($module:ident) => {
        impl From<ops::$module::RegistrationFields> for RegistrationRow {
            fn from(r: ops::$module::RegistrationFields) -> Self {
                RegistrationRow {
                    id: r.id,
                    name: r.name,
                    email: r.email,
                    seats: r.seats,
                    status: RegistrationStatus::parse(&api_name(&r.status)),
                    position: r.waitlist_position,
                    code: r.code,
                    checked_in_at: r.checked_in_at,
                    paid: r.paid,
                    created_at: r.created_at,
                    person_id: r.person.map(|p| p.id),
                }
            }
        }
    };
}
registration_row!(event_desk);
registration_row!(check_in);
registration_row!(check_in_by_code);
registration_row!(undo_check_in);
registration_row!(walk_in);
registration_row!(register);
registration_row!(cancel_registration);

macro_rules! register_input {
    ($module:ident, $r:expr) => {{
        let r: NewRegistration = $r;
        ops::$module::RegisterInput {
            event_id: r.event_id,
            person_id: r.person_id,
            name: r.name,
            email: r.email,
            seats: Some(r.seats),
        }
    }};
}

pub async fn perform(client: &Client, request: Request) -> Response {
    let row = |r: RegistrationRow| Ok(Payload::Registration(r));
    match request {
        Request::Events { site_id, from, to } => {
            let data = client
                .run::<ops::Events>(ops::events::Variables { site_id, from, to })
                .await?;
            Ok(Payload::Events(
                data.events.nodes.into_iter().map(Into::into).collect(),
            ))
        }
        Request::EventDesk { event_id } => {
            let data = client
                .run::<ops::EventDesk>(ops::event_desk::Variables { id: event_id })
                .await?;
            Ok(Payload::EventDesk(EventDesk {
                event: data.event.map(Into::into),
                registrations: data.registrations.into_iter().map(Into::into).collect(),
            }))
        }
        Request::CheckIn { registration_id } => {
            let data = client
                .run::<ops::CheckIn>(ops::check_in::Variables { registration_id })
                .await?;
            row(data.check_in.into())
        }
        Request::CheckInByCode { event_id, code } => {
            let data = client
                .run::<ops::CheckInByCode>(ops::check_in_by_code::Variables { event_id, code })
                .await?;
            row(data.check_in_by_code.into())
        }
        Request::UndoCheckIn { registration_id } => {
            let data = client
                .run::<ops::UndoCheckIn>(ops::undo_check_in::Variables { registration_id })
                .await?;
            row(data.undo_check_in.into())
        }
        Request::WalkIn(r) => {
            let input = register_input!(walk_in, r);
            let data = client
                .run::<ops::WalkIn>(ops::walk_in::Variables { input })
                .await?;
            row(data.walk_in.into())
        }
        Request::Register(r) => {
            let input = register_input!(register, r);
            let data = client
                .run::<ops::Register>(ops::register::Variables { input })
                .await?;
            row(data.register.into())
        }
        Request::CancelRegistration { id, refund } => {
            let data = client
                .run::<ops::CancelRegistration>(ops::cancel_registration::Variables { id, refund })
                .await?;
            row(data.cancel_registration.into())
        }
        other => super::hours::perform(client, other).await,
    }
}

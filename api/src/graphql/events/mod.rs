//! Events and registrations: anyone reads the public agenda and registers to a public event;
//! the front desk (VOLUNTEER) registers, checks in, takes walk-ins and payments; a MANAGER
//! makes, moves and cancels events.

pub mod inputs;
pub mod plan;
pub mod types;

use async_graphql::{Context, ID, Object};

pub use inputs::{CreateEventInput, EventFilter, RegisterInput, UpdateEventInput};
pub use types::{Event, EventCategory, EventStatus, Registration, RegistrationStatus};

use crate::auth::guard::{Permission, Require};
use crate::auth::limiter::PublicClient;
use crate::domain::{Money, Recurrence, optional_text, parse_id};
use crate::error::AppResult;
use crate::graphql::bookings::RecurrenceInput;
use crate::graphql::context::ContextExt;
use crate::graphql::inputs::optional_id;
use crate::graphql::pagination;
use crate::graphql::plan::{Listed, with_zones};
use crate::graphql::scalars::{DateTime, Decimal};
use crate::service::events::registrations::{self, NewRegistration, Registrant};
use crate::service::events::{self, EventChanges, EventFilter as Filter, NewEvent};

const REASON_MAX: usize = 1000;

fn events_out(rows: Vec<lieu_entity::event::Model>) -> Vec<Event> {
    rows.into_iter().map(Event).collect()
}

fn registrations_out(rows: Vec<lieu_entity::registration::Model>) -> Vec<Registration> {
    rows.into_iter().map(Registration).collect()
}

#[derive(Default)]
pub struct EventQuery;

#[Object]
impl EventQuery {
    /// Events by start. The public sees public, scheduled events only.
    async fn events(
        &self,
        ctx: &Context<'_>,
        filter: Option<EventFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> AppResult<Listed<Event>> {
        let mut filter = Filter::try_from(filter.unwrap_or_default())?;
        filter.public_only |= !types::is_staff(ctx);
        let window = pagination::window(ctx, first, after.as_deref())?;
        let slice = with_zones(ctx, events::list_events(&ctx.state()?.db, &filter, window)).await?;
        let relations = plan::prefetch(ctx, &slice.rows).await?;
        let page = pagination::keyed_connection(slice.map(Event), window, |e| pagination::Key {
            at: e.0.starts_at,
            id: e.0.id,
        });
        Ok(Listed::new(page, relations))
    }

    /// One event, or null (for the public: unless public and scheduled).
    async fn event(&self, ctx: &Context<'_>, id: ID) -> AppResult<Option<Event>> {
        let id = parse_id("id", &id)?;
        let found = events::find_event(&ctx.state()?.db, id).await?;
        Ok(found.filter(|e| types::visible(ctx, e)).map(Event))
    }

    /// Registrations of a person and/or an event, the latest first. VOLUNTEER.
    #[graphql(guard = "Require(Permission::ReadOperations)")]
    async fn registrations(
        &self,
        ctx: &Context<'_>,
        person_id: Option<ID>,
        event_id: Option<ID>,
    ) -> AppResult<Vec<Registration>> {
        let person_id = optional_id("personId", person_id.as_ref())?;
        let event_id = optional_id("eventId", event_id.as_ref())?;
        let rows = registrations::list_registrations(&ctx.state()?.db, person_id, event_id).await?;
        Ok(registrations_out(rows))
    }
}

#[derive(Default)]
pub struct EventMutation;

#[Object]
impl EventMutation {
    /// Creates an event and reserves its spaces (BOOKING_CONFLICT lists what is in the way).
    /// MANAGER.
    #[graphql(guard = "Require(Permission::Manage)")]
    async fn create_event(&self, ctx: &Context<'_>, input: CreateEventInput) -> AppResult<Event> {
        let input = NewEvent::try_from(input)?;
        let state = ctx.state()?;
        let created = events::create_event(
            &state.db,
            &state.activity,
            state.clock.now(),
            ctx.actor()?,
            input,
        );
        Ok(Event(created.await?))
    }

    /// Creates every occurrence of a series (each its own event with its own registrations)
    /// or none; BOOKING_CONFLICT lists each occurrence in the way. MANAGER.
    #[graphql(guard = "Require(Permission::Manage)")]
    async fn create_event_series(
        &self,
        ctx: &Context<'_>,
        input: CreateEventInput,
        recurrence: RecurrenceInput,
    ) -> AppResult<Vec<Event>> {
        let input = NewEvent::try_from(input)?;
        let recurrence = Recurrence::try_from(recurrence)?;
        let state = ctx.state()?;
        let now = state.clock.now();
        let created = events::create_series(
            &state.db,
            &state.activity,
            now,
            ctx.actor()?,
            input,
            recurrence,
        );
        Ok(events_out(created.await?))
    }

    /// Changes an event that is not cancelled; new times or spaces move its bookings through
    /// the booking rules. MANAGER.
    #[graphql(guard = "Require(Permission::Manage)")]
    async fn update_event(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateEventInput,
    ) -> AppResult<Event> {
        let changes = EventChanges::try_from(input)?;
        let id = parse_id("id", &id)?;
        let state = ctx.state()?;
        let updated = events::update_event(
            &state.db,
            &state.activity,
            state.clock.now(),
            ctx.actor()?,
            id,
            changes,
        );
        Ok(Event(updated.await?))
    }

    /// Cancels an event: frees its spaces, cancels its registrations, and the same for its
    /// sessions. INVALID_STATE when already cancelled. When some registrations were paid,
    /// `refund` says whether to pay them back (reversing entries) or keep the money; without
    /// it, VALIDATION asks. MANAGER.
    #[graphql(guard = "Require(Permission::Manage)")]
    async fn cancel_event(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reason: Option<String>,
        refund: Option<bool>,
    ) -> AppResult<Event> {
        let id = parse_id("id", &id)?;
        let reason = optional_text("reason", reason.as_deref(), REASON_MAX)?;
        let state = ctx.state()?;
        let now = state.clock.now();
        let cancelled = events::cancel_event(
            &state.db,
            &state.activity,
            now,
            ctx.actor()?,
            id,
            reason,
            refund,
        );
        Ok(Event(cancelled.await?))
    }

    /// Cancels the occurrences of a series that start at or after `from` (default: all still
    /// scheduled), with their sessions. Paid registrations need `refund`, as in
    /// `cancelEvent`. MANAGER.
    #[graphql(guard = "Require(Permission::Manage)")]
    async fn cancel_event_series(
        &self,
        ctx: &Context<'_>,
        series_id: ID,
        from: Option<DateTime>,
        reason: Option<String>,
        refund: Option<bool>,
    ) -> AppResult<Vec<Event>> {
        let series_id = parse_id("seriesId", &series_id)?;
        let reason = optional_text("reason", reason.as_deref(), REASON_MAX)?;
        let state = ctx.state()?;
        let from = from.map(|t| t.instant);
        let (now, actor) = (state.clock.now(), ctx.actor()?);
        let cancelled = events::cancel_series(
            &state.db,
            &state.activity,
            now,
            actor,
            series_id,
            from,
            reason,
            refund,
        );
        Ok(events_out(cancelled.await?))
    }

    /// Registers to an event: CONFIRMED while its seats fit, else WAITLISTED at the end of
    /// the line. Anyone may register to a public, scheduled event that is not over, with a
    /// name and an email (rate limited per client, its address or its PUBLIC API key, and per
    /// event: RATE_LIMITED with `retryAfterSeconds`); the front desk to any event,
    /// a known person too. One active registration per person and per email: VALIDATION names
    /// the existing one. INVALID_STATE for a cancelled or finished event.
    async fn register(&self, ctx: &Context<'_>, input: RegisterInput) -> AppResult<Registration> {
        let input = NewRegistration::try_from(input)?;
        let request = ctx.request()?;
        let now = request.state.clock.now();
        let who = match ctx.actor() {
            Ok(actor) => Registrant::Staff(actor),
            Err(_) => {
                // The public: an anonymous caller by its address, a PUBLIC key by the key.
                let client = match request.caller.api_key() {
                    Some(key) => PublicClient::Key(key.key_id),
                    None => PublicClient::Address(request.client_addr),
                };
                let limiter = &request.state.registration_limiter;
                limiter.check(input.event_id, client)?;
                Registrant::Public
            }
        };
        let registered =
            registrations::register(&request.state.db, &request.state.activity, now, who, input);
        Ok(Registration(registered.await?))
    }

    /// Someone at the door, in one step: a registration checked in at once while seats remain;
    /// INVALID_STATE saying the event is full otherwise (`register` waitlists). VOLUNTEER.
    #[graphql(guard = "Require(Permission::FrontDesk)")]
    async fn walk_in(&self, ctx: &Context<'_>, input: RegisterInput) -> AppResult<Registration> {
        let input = NewRegistration::try_from(input)?;
        let state = ctx.state()?;
        let now = state.clock.now();
        let walked = registrations::walk_in(&state.db, &state.activity, now, ctx.actor()?, input);
        Ok(Registration(walked.await?))
    }

    /// Cancels a registration. Its seats let the waitlist in, in arrival order: the first
    /// entry that fits goes first, so a smaller group may pass a group too big for the freed
    /// seats (which keeps its place); positions close up (1..n). A paid registration needs
    /// `refund`: true pays it back (a reversing entry; no longer paid), false keeps the money;
    /// without it, VALIDATION asks. VOLUNTEER.
    #[graphql(guard = "Require(Permission::FrontDesk)")]
    async fn cancel_registration(
        &self,
        ctx: &Context<'_>,
        id: ID,
        refund: Option<bool>,
    ) -> AppResult<Registration> {
        let id = parse_id("id", &id)?;
        let state = ctx.state()?;
        let (now, actor) = (state.clock.now(), ctx.actor()?);
        let cancelled =
            registrations::cancel_registration(&state.db, &state.activity, now, actor, id, refund);
        Ok(Registration(cancelled.await?))
    }

    /// Checks a CONFIRMED registration in at the door. Idempotent: a second scan returns the
    /// first `checkedInAt`. VOLUNTEER.
    #[graphql(guard = "Require(Permission::FrontDesk)")]
    async fn check_in(&self, ctx: &Context<'_>, registration_id: ID) -> AppResult<Registration> {
        let id = parse_id("registrationId", &registration_id)?;
        let state = ctx.state()?;
        let checked = registrations::check_in(&state.db, &state.activity, state.clock.now(), id);
        Ok(Registration(checked.await?))
    }

    /// Checks in the registration of this event with this code (typed or scanned; case,
    /// spaces and dashes do not matter). NOT_FOUND for an unknown code. VOLUNTEER.
    #[graphql(guard = "Require(Permission::FrontDesk)")]
    async fn check_in_by_code(
        &self,
        ctx: &Context<'_>,
        event_id: ID,
        code: String,
    ) -> AppResult<Registration> {
        let event_id = parse_id("eventId", &event_id)?;
        let state = ctx.state()?;
        let now = state.clock.now();
        let checked =
            registrations::check_in_by_code(&state.db, &state.activity, now, event_id, &code);
        Ok(Registration(checked.await?))
    }

    /// Undoes a mistaken check-in. INVALID_STATE when not checked in. VOLUNTEER.
    #[graphql(guard = "Require(Permission::FrontDesk)")]
    async fn undo_check_in(
        &self,
        ctx: &Context<'_>,
        registration_id: ID,
    ) -> AppResult<Registration> {
        let id = parse_id("registrationId", &registration_id)?;
        let undone = registrations::undo_check_in(&ctx.state()?.db, id);
        Ok(Registration(undone.await?))
    }

    /// Records the payment of a registration as one EVENT_TICKETS revenue, once: its seats at
    /// the event's price (the member price for a member), or `amount` from the floor up on a
    /// pay-what-you-can event. INVALID_STATE when free, cancelled or already paid. VOLUNTEER.
    #[graphql(guard = "Require(Permission::FrontDesk)")]
    async fn mark_registration_paid(
        &self,
        ctx: &Context<'_>,
        id: ID,
        amount: Option<Decimal>,
    ) -> AppResult<Registration> {
        let id = parse_id("id", &id)?;
        let amount = amount
            .map(|a| Money::parse_non_negative("amount", a.0))
            .transpose()?;
        let state = ctx.state()?;
        let paid = events::payments::mark_paid(&state.db, state.clock.now(), id, amount);
        Ok(Registration(paid.await?))
    }
}

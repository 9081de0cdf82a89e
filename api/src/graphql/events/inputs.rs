//! What the API takes to make, change and find events and registrations, and the domain types
//! each input becomes.

use async_graphql::{ID, InputObject, MaybeUndefined};
use chrono::Duration;

use super::types::EventCategory;
use crate::domain::{Email, EventPrices, Money, Name, TimeRange, optional_text, parse_id, seats};
use crate::error::{AppError, AppResult};
use crate::graphql::inputs::{change, maybe, optional_id};
use crate::graphql::scalars::{DateTime, Decimal};
use crate::service::events::registrations::NewRegistration;
use crate::service::events::{EventChanges, EventFilter as Filter, MAX_EVENT_DAYS, NewEvent};

const DESCRIPTION_MAX: usize = 8000;

#[derive(InputObject)]
pub struct CreateEventInput {
    pub title: String,
    pub description: Option<String>,
    pub category: EventCategory,
    pub start: DateTime,
    /// After `start`; at most 31 days later.
    pub end: DateTime,
    /// The spaces it takes place in, all on one site, none inside another (a hall already
    /// holds its halves). Each is reserved through the booking rules: BOOKING_CONFLICT lists
    /// what is in the way. A session may not take a space its programme holds at the same
    /// time: a programme holds the spaces its sessions do not use. May be empty (an event
    /// elsewhere).
    pub space_ids: Vec<ID>,
    /// Seats, at most what its spaces hold; absent: unlimited.
    pub capacity: Option<i32>,
    /// Listed in the public agenda and open to registration by anyone; false when absent.
    pub public: Option<bool>,
    /// EUR per seat; absent: free.
    pub price: Option<Decimal>,
    /// EUR per seat for members, at most `price`.
    pub member_price: Option<Decimal>,
    /// Pay what you can from this amount per seat (at most `price`, the suggestion).
    pub min_price: Option<Decimal>,
    /// The programme this event is a session of (one level): it lies within it.
    pub parent_id: Option<ID>,
}

fn money(field: &str, value: Option<Decimal>) -> AppResult<Option<Money>> {
    value
        .map(|v| Money::parse_non_negative(field, v.0))
        .transpose()
}

fn ids(field: &str, values: &[ID]) -> AppResult<Vec<uuid::Uuid>> {
    values.iter().map(|v| parse_id(field, v)).collect()
}

impl TryFrom<CreateEventInput> for NewEvent {
    type Error = AppError;

    fn try_from(input: CreateEventInput) -> AppResult<Self> {
        Ok(Self {
            title: Name::parse("title", &input.title)?,
            description: optional_text(
                "description",
                input.description.as_deref(),
                DESCRIPTION_MAX,
            )?,
            category: input.category.into(),
            range: TimeRange::new(
                input.start.instant,
                input.end.instant,
                Duration::days(MAX_EVENT_DAYS),
                "end",
            )?,
            space_ids: ids("spaceIds", &input.space_ids)?,
            capacity: input.capacity,
            public: input.public.unwrap_or(false),
            prices: EventPrices::new(
                money("price", input.price)?,
                money("memberPrice", input.member_price)?,
                money("minPrice", input.min_price)?,
            )?,
            parent_id: optional_id("parentId", input.parent_id.as_ref())?,
        })
    }
}

/// What to change in an event; omitted fields stay as they are, `null` clears an optional one.
#[derive(InputObject)]
pub struct UpdateEventInput {
    pub title: Option<String>,
    pub description: MaybeUndefined<String>,
    pub category: Option<EventCategory>,
    /// New times move its bookings through the booking rules.
    pub start: Option<DateTime>,
    pub end: Option<DateTime>,
    /// Replaces its spaces (reserved anew through the booking rules).
    pub space_ids: Option<Vec<ID>>,
    /// Null: unlimited. Not below the seats already confirmed; more lets the waitlist in.
    pub capacity: MaybeUndefined<i32>,
    pub public: Option<bool>,
    pub price: MaybeUndefined<Decimal>,
    pub member_price: MaybeUndefined<Decimal>,
    pub min_price: MaybeUndefined<Decimal>,
}

fn money_change(field: &str, value: MaybeUndefined<Decimal>) -> AppResult<Option<Option<Money>>> {
    maybe(value).map(|v| money(field, v)).transpose()
}

impl TryFrom<UpdateEventInput> for EventChanges {
    type Error = AppError;

    fn try_from(input: UpdateEventInput) -> AppResult<Self> {
        Ok(Self {
            title: change(input.title.as_deref(), |t| Name::parse("title", t))?,
            description: maybe(input.description)
                .map(|d| optional_text("description", d.as_deref(), DESCRIPTION_MAX))
                .transpose()?,
            category: input.category.map(Into::into),
            start: input.start.map(|t| t.instant),
            end: input.end.map(|t| t.instant),
            space_ids: input.space_ids.map(|v| ids("spaceIds", &v)).transpose()?,
            capacity: maybe(input.capacity),
            public: input.public,
            price: money_change("price", input.price)?,
            member_price: money_change("memberPrice", input.member_price)?,
            min_price: money_change("minPrice", input.min_price)?,
        })
    }
}

/// Which events to list. `from`/`to` select events that overlap `[from, to)`.
#[derive(InputObject, Default)]
pub struct EventFilter {
    pub from: Option<DateTime>,
    pub to: Option<DateTime>,
    /// Public, scheduled events only (always so for the public).
    pub public_only: Option<bool>,
    pub category: Option<EventCategory>,
    pub site_id: Option<ID>,
    /// Events taking place in this space.
    pub space_id: Option<ID>,
    /// The sessions of this programme.
    pub parent_id: Option<ID>,
    /// The occurrences of one series.
    pub series_id: Option<ID>,
}

impl TryFrom<EventFilter> for Filter {
    type Error = AppError;

    fn try_from(input: EventFilter) -> AppResult<Self> {
        Ok(Self {
            from: input.from.map(|t| t.instant),
            to: input.to.map(|t| t.instant),
            public_only: input.public_only.unwrap_or(false),
            category: input.category.map(Into::into),
            site_id: optional_id("siteId", input.site_id.as_ref())?,
            space_id: optional_id("spaceId", input.space_id.as_ref())?,
            parent_id: optional_id("parentId", input.parent_id.as_ref())?,
            series_id: optional_id("seriesId", input.series_id.as_ref())?,
            status: None,
        })
    }
}

/// Who comes: a known person (`personId`, the front desk only) or a name with an email (the
/// email is required from the public).
#[derive(InputObject)]
pub struct RegisterInput {
    pub event_id: ID,
    pub person_id: Option<ID>,
    pub name: Option<String>,
    pub email: Option<String>,
    /// A group that comes together: 1 to 10 (default 1).
    pub seats: Option<i32>,
}

impl TryFrom<RegisterInput> for NewRegistration {
    type Error = AppError;

    fn try_from(input: RegisterInput) -> AppResult<Self> {
        Ok(Self {
            event_id: parse_id("eventId", &input.event_id)?,
            person_id: optional_id("personId", input.person_id.as_ref())?,
            name: change(
                input.name.as_deref().filter(|n| !n.trim().is_empty()),
                |n| Name::parse("name", n),
            )?,
            email: Email::parse_optional("email", input.email.as_deref())?,
            seats: seats("seats", input.seats)?,
        })
    }
}

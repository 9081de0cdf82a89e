//! What the API takes to make, change and find bookings, and the domain types each input
//! becomes (`TryFrom`, on a resolver's first line).

use async_graphql::{Enum, ID, InputObject, MaybeUndefined};
use chrono::Duration;

use super::types::BookingStatus;
use crate::domain::{self, Holder, Name, Recurrence, TimeRange, optional_text, parse_id};
use crate::error::{AppError, AppResult};
use crate::graphql::bookings::spaces::PriceTier;
use crate::graphql::inputs::{change, maybe, optional_id};
use crate::graphql::scalars::{Date, DateTime};
use crate::graphql::sites::opening_hours::Weekday;
use crate::service::bookings::changes::BookingChanges;
use crate::service::bookings::{BookingFilter as Filter, MAX_BOOKING_DAYS, NewBooking, Pricing};

/// The longest staff notes of a booking.
const NOTES_MAX: usize = 4000;

#[derive(InputObject)]
pub struct CreateBookingInput {
    pub space_id: ID,
    pub start: DateTime,
    /// After `start`; at most 366 days later.
    pub end: DateTime,
    pub title: String,
    /// The person it is for (or give `organizationId`, or neither for the venue's own use).
    pub person_id: Option<ID>,
    pub organization_id: Option<ID>,
    /// Force a tier (staff decision); otherwise RESIDENT, MEMBER or PUBLIC from the booker.
    pub tier: Option<PriceTier>,
    /// At most the space's capacity.
    pub attendees: Option<i32>,
    pub notes: Option<String>,
    /// A free loan by decision (to a resident association, a partner): priced at nothing and
    /// reported as an in-kind contribution worth the space's PUBLIC rate. MANAGER.
    pub free_loan: Option<bool>,
}

impl TryFrom<CreateBookingInput> for NewBooking {
    type Error = AppError;

    fn try_from(input: CreateBookingInput) -> AppResult<Self> {
        Ok(Self {
            booker: Holder::from_input(
                optional_id("personId", input.person_id.as_ref())?,
                optional_id("organizationId", input.organization_id.as_ref())?,
            )?,
            space_id: parse_id("spaceId", &input.space_id)?,
            range: TimeRange::new(
                input.start.instant,
                input.end.instant,
                Duration::days(MAX_BOOKING_DAYS),
                "end",
            )?,
            title: Name::parse("title", &input.title)?,
            tier: input.tier.map(Into::into),
            attendees: input.attendees,
            notes: optional_text("notes", input.notes.as_deref(), NOTES_MAX)?,
            pricing: if input.free_loan == Some(true) {
                Pricing::FreeLoan
            } else {
                Pricing::Rated
            },
        })
    }
}

/// What to change in a booking; omitted fields stay as they are.
#[derive(InputObject)]
pub struct UpdateBookingInput {
    /// A new start (the end stays unless given too).
    pub start: Option<DateTime>,
    /// A new end.
    pub end: Option<DateTime>,
    pub title: Option<String>,
    /// At most the space's capacity; null clears it.
    pub attendees: MaybeUndefined<i32>,
    /// An empty string clears them.
    pub notes: Option<String>,
}

impl TryFrom<UpdateBookingInput> for BookingChanges {
    type Error = AppError;

    fn try_from(input: UpdateBookingInput) -> AppResult<Self> {
        Ok(Self {
            start: input.start.map(|t| t.instant),
            end: input.end.map(|t| t.instant),
            title: change(input.title.as_deref(), |t| Name::parse("title", t))?,
            attendees: maybe(input.attendees),
            notes: change(input.notes.as_deref(), |n| {
                optional_text("notes", Some(n), NOTES_MAX)
            })?,
        })
    }
}

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum Frequency {
    Daily,
    Weekly,
    /// On one weekday of the month (`onWeekday` + `weekOfMonth`): "every first Saturday".
    Monthly,
}

/// How a series repeats: every `interval` days, weeks or months, `count` times or until a day.
/// Occurrences keep the first one's local wall-clock time across DST changes.
#[derive(InputObject)]
pub struct RecurrenceInput {
    pub frequency: Frequency,
    /// MONTHLY: the weekday (with `weekOfMonth`).
    pub on_weekday: Option<Weekday>,
    /// MONTHLY: 1 to 4 (the first to the fourth such weekday of the month), or -1 (the last).
    pub week_of_month: Option<i32>,
    /// Default 1.
    pub interval: Option<i32>,
    /// Number of occurrences, the first included (at most 366).
    pub count: Option<i32>,
    /// The last local day an occurrence may start on.
    pub until: Option<Date>,
}

impl TryFrom<RecurrenceInput> for Recurrence {
    type Error = AppError;

    fn try_from(input: RecurrenceInput) -> AppResult<Self> {
        let frequency = match input.frequency {
            Frequency::Monthly => domain::Frequency::monthly(
                input.on_weekday.map(Weekday::to_chrono),
                input.week_of_month,
            )?,
            _ if input.on_weekday.is_some() || input.week_of_month.is_some() => {
                return Err(AppError::validation(
                    "recurrence.onWeekday",
                    "onWeekday and weekOfMonth are for MONTHLY series",
                ));
            }
            Frequency::Daily => domain::Frequency::Daily,
            Frequency::Weekly => domain::Frequency::Weekly,
        };
        Recurrence::new(
            frequency,
            input.interval,
            input.count,
            input.until.map(|d| d.0),
        )
    }
}

/// Which bookings to list. `from`/`to` select bookings that overlap `[from, to)`.
#[derive(InputObject, Default)]
pub struct BookingFilter {
    pub space_id: Option<ID>,
    pub site_id: Option<ID>,
    pub from: Option<DateTime>,
    pub to: Option<DateTime>,
    pub status: Option<BookingStatus>,
    /// Bookings made for this person.
    pub person_id: Option<ID>,
    /// Bookings made for this organization.
    pub organization_id: Option<ID>,
    /// The occurrences of one series.
    pub series_id: Option<ID>,
}

impl TryFrom<BookingFilter> for Filter {
    type Error = AppError;

    fn try_from(input: BookingFilter) -> AppResult<Self> {
        Ok(Self {
            space_id: optional_id("spaceId", input.space_id.as_ref())?,
            site_id: optional_id("siteId", input.site_id.as_ref())?,
            from: input.from.map(|t| t.instant),
            to: input.to.map(|t| t.instant),
            status: input.status.map(Into::into),
            person_id: optional_id("personId", input.person_id.as_ref())?,
            organization_id: optional_id("organizationId", input.organization_id.as_ref())?,
            series_id: optional_id("seriesId", input.series_id.as_ref())?,
        })
    }
}

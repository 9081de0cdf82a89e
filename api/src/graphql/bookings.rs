//! Bookings: VOLUNTEER and above read, create and cancel; MANAGER confirms those that need
//! approval. Anonymous callers never see bookings (they see free slots through
//! `availability`).

use async_graphql::{
    Context, Enum, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject, Union,
};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use lieu_entity::{booking, space};

use super::context::ContextExt;
use super::loaders::{self, OrganizationKey, PersonKey};
use super::pagination::{self, Page};
use super::people::{Organization, Person};
use super::scalars::{Date, Decimal};
use super::spaces::{PriceTier, Space, TimeSlot};
use crate::auth::guard::{Permission, Require};
use crate::domain::{self, Money, Name, Recurrence, TimeRange, optional_text, parse_id};
use crate::error::{AppError, Conflict};
use crate::service::booking_changes::{self, BookingChanges};
use crate::service::booking_queries::{self, BookingFilter as Filter};
use crate::service::bookings::{self, MAX_BOOKING_DAYS, NewBooking};
use crate::service::memberships::Holder;

/// PENDING and CONFIRMED bookings hold their slot; CANCELLED ones free it.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "crate::domain::BookingStatus")]
pub enum BookingStatus {
    /// Waiting for a manager's confirmation (the space requires approval).
    Pending,
    Confirmed,
    Cancelled,
}

/// Who a booking is for.
#[derive(Union)]
pub enum Booker {
    Person(Person),
    Organization(Organization),
}

/// A space reserved for `[start, end)`.
pub struct Booking(pub booking::Model);

#[Object]
impl Booking {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn space(&self, ctx: &Context<'_>) -> Result<Space> {
        Ok(Space(
            loaders::row::<space::Entity>(ctx, self.0.space_id).await?,
        ))
    }

    async fn start(&self) -> DateTime<Utc> {
        self.0.starts_at
    }

    async fn end(&self) -> DateTime<Utc> {
        self.0.ends_at
    }

    async fn title(&self) -> &str {
        &self.0.title
    }

    async fn status(&self) -> Result<BookingStatus> {
        Ok(bookings::status_of(&self.0)?.into())
    }

    /// The person or organization it is for; null for the venue's own use.
    async fn booker(&self, ctx: &Context<'_>) -> Result<Option<Booker>> {
        let people = loaders::people_loader(ctx);
        if let Some(id) = self.0.person_id
            && let Some(person) = people.load_one(PersonKey(id)).await?
        {
            return Ok(Some(Booker::Person(person.into())));
        }
        if let Some(id) = self.0.organization_id
            && let Some(organization) = people.load_one(OrganizationKey(id)).await?
        {
            return Ok(Some(Booker::Organization(organization.into())));
        }
        Ok(None)
    }

    /// The tier whose rate priced it.
    async fn tier(&self) -> Result<PriceTier> {
        Ok(bookings::tier_of(&self.0)?.into())
    }

    /// EUR, fixed when the booking was made.
    async fn price(&self) -> Decimal {
        Money::from_cents(self.0.price_cents).into()
    }

    /// Paid: a SPACE_RENTAL revenue was recorded for it.
    async fn paid(&self) -> bool {
        self.0.revenue_id.is_some()
    }

    async fn paid_at(&self) -> Option<DateTime<Utc>> {
        self.0.paid_at
    }

    /// Shared by the occurrences of one series.
    async fn series_id(&self) -> Option<ID> {
        self.0.series_id.map(|id| ID(id.to_string()))
    }

    /// How many people are expected (never above the space's capacity).
    async fn attendees(&self) -> Option<i32> {
        self.0.attendees
    }

    /// Staff notes.
    async fn notes(&self) -> Option<&str> {
        self.0.notes.as_deref()
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    async fn cancelled_at(&self) -> Option<DateTime<Utc>> {
        self.0.cancelled_at
    }

    async fn cancel_reason(&self) -> Option<&str> {
        self.0.cancel_reason.as_deref()
    }
}

/// What a booking would cost and what stands in its way; nothing is written.
#[derive(SimpleObject)]
pub struct BookingQuote {
    /// The tier whose rate applies (PUBLIC when the space has no rate for the booker's tier).
    pub tier: PriceTier,
    /// EUR.
    pub price: Decimal,
    /// Bookings in the way (empty: it can be booked).
    pub conflicts: Vec<TimeSlot>,
}

#[derive(InputObject)]
pub struct CreateBookingInput {
    pub space_id: ID,
    pub start: DateTime<Utc>,
    /// After `start`; at most 366 days later.
    pub end: DateTime<Utc>,
    pub title: String,
    /// The person it is for (or give `organizationId`, or neither for the venue's own use).
    pub person_id: Option<ID>,
    pub organization_id: Option<ID>,
    /// Force a tier (staff decision); otherwise RESIDENT, MEMBER or PUBLIC from the booker.
    pub tier: Option<PriceTier>,
    /// At most the space's capacity.
    pub attendees: Option<i32>,
    pub notes: Option<String>,
}

impl CreateBookingInput {
    fn validate(&self) -> Result<NewBooking, AppError> {
        let booker = match (&self.person_id, &self.organization_id) {
            (Some(_), Some(_)) => {
                return Err(AppError::validation(
                    "organizationId",
                    "a booking is for a person or for an organization, not both",
                ));
            }
            (Some(id), None) => Some(Holder::Person(parse_id("personId", id)?)),
            (None, Some(id)) => Some(Holder::Organization(parse_id("organizationId", id)?)),
            (None, None) => None,
        };
        Ok(NewBooking {
            space_id: parse_id("spaceId", &self.space_id)?,
            range: TimeRange::new(
                self.start,
                self.end,
                Duration::days(MAX_BOOKING_DAYS),
                "end",
            )?,
            title: Name::parse("title", &self.title)?,
            booker,
            tier: self.tier.map(Into::into),
            attendees: self.attendees,
            notes: optional_text("notes", self.notes.as_deref(), 4000)?,
        })
    }
}

/// What to change in a booking; omitted fields stay as they are.
#[derive(InputObject)]
pub struct UpdateBookingInput {
    /// A new start (the end stays unless given too).
    pub start: Option<DateTime<Utc>>,
    /// A new end.
    pub end: Option<DateTime<Utc>>,
    pub title: Option<String>,
    /// At most the space's capacity; null clears it.
    pub attendees: MaybeUndefined<i32>,
    /// An empty string clears them.
    pub notes: Option<String>,
}

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum Frequency {
    Daily,
    Weekly,
}

/// How a series repeats: every `interval` days or weeks, `count` times or until a day.
#[derive(InputObject)]
pub struct RecurrenceInput {
    pub frequency: Frequency,
    /// Default 1.
    pub interval: Option<i32>,
    /// Number of occurrences, the first included (at most 366).
    pub count: Option<i32>,
    /// The last local day an occurrence may start on.
    pub until: Option<Date>,
}

impl RecurrenceInput {
    fn validate(&self) -> Result<Recurrence, AppError> {
        Recurrence::new(
            match self.frequency {
                Frequency::Daily => domain::Frequency::Daily,
                Frequency::Weekly => domain::Frequency::Weekly,
            },
            self.interval,
            self.count,
            self.until.map(|d: Date| -> NaiveDate { d.0 }),
        )
    }
}

/// Which bookings to list. `from`/`to` select bookings that overlap `[from, to)`.
#[derive(InputObject, Default)]
pub struct BookingFilter {
    pub space_id: Option<ID>,
    pub site_id: Option<ID>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub status: Option<BookingStatus>,
    /// Bookings made for this person.
    pub person_id: Option<ID>,
    /// Bookings made for this organization.
    pub organization_id: Option<ID>,
    /// The occurrences of one series.
    pub series_id: Option<ID>,
}

impl BookingFilter {
    fn validate(&self) -> Result<Filter, AppError> {
        let id = |field: &str, value: &Option<ID>| {
            value.as_ref().map(|v| parse_id(field, v)).transpose()
        };
        Ok(Filter {
            space_id: id("spaceId", &self.space_id)?,
            site_id: id("siteId", &self.site_id)?,
            from: self.from,
            to: self.to,
            status: self.status.map(Into::into),
            person_id: id("personId", &self.person_id)?,
            organization_id: id("organizationId", &self.organization_id)?,
            series_id: id("seriesId", &self.series_id)?,
        })
    }
}

#[derive(Default)]
pub struct BookingQuery;

#[Object]
impl BookingQuery {
    /// Price and conflicts of a booking before making it; nothing is written. VOLUNTEER.
    #[graphql(guard = "Require(Permission::ReadOperations)")]
    async fn quote_booking(
        &self,
        ctx: &Context<'_>,
        input: CreateBookingInput,
    ) -> Result<BookingQuote> {
        let quote = bookings::quote(&ctx.state().db, &input.validate()?).await?;
        Ok(BookingQuote {
            tier: quote.tier.into(),
            price: quote.price.into(),
            conflicts: quote.conflicts.iter().map(slot_of).collect(),
        })
    }

    /// Bookings by start time. VOLUNTEER.
    #[graphql(guard = "Require(Permission::ReadOperations)")]
    async fn bookings(
        &self,
        ctx: &Context<'_>,
        filter: Option<BookingFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Page<Booking>> {
        let filter = filter.unwrap_or_default().validate()?;
        let window = pagination::window(first, after.as_deref())?;
        let (rows, total) =
            booking_queries::list_bookings(&ctx.state().db, &filter, window).await?;
        Ok(pagination::connection(
            rows.into_iter().map(Booking).collect(),
            window,
            total,
        ))
    }

    /// One booking, or null. VOLUNTEER.
    #[graphql(guard = "Require(Permission::ReadOperations)")]
    async fn booking(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Booking>> {
        let id = parse_id("id", &id)?;
        Ok(booking_queries::find_booking(&ctx.state().db, id)
            .await?
            .map(Booking))
    }
}

fn slot_of(conflict: &Conflict) -> TimeSlot {
    TimeSlot {
        start: conflict.start,
        end: conflict.end,
    }
}

#[derive(Default)]
pub struct BookingMutation;

#[Object]
impl BookingMutation {
    /// Books a space. CONFIRMED, or PENDING when the space requires approval (it holds the
    /// slot either way). BOOKING_CONFLICT lists the bookings in the way. VOLUNTEER.
    #[graphql(guard = "Require(Permission::FrontDesk)")]
    async fn create_booking(
        &self,
        ctx: &Context<'_>,
        input: CreateBookingInput,
    ) -> Result<Booking> {
        let input = input.validate()?;
        let state = ctx.state();
        let actor = ctx.caller().user().map(|u| u.user_id);
        Ok(Booking(
            bookings::create_booking(&state.db, state.clock.now(), actor, input).await?,
        ))
    }

    /// Books every occurrence of a series, or none: BOOKING_CONFLICT lists each occurrence in
    /// the way (`occurrenceStart`/`occurrenceEnd` next to the booking in the way). Occurrences
    /// keep their local wall-clock time across DST changes. VOLUNTEER.
    #[graphql(guard = "Require(Permission::FrontDesk)")]
    async fn create_booking_series(
        &self,
        ctx: &Context<'_>,
        input: CreateBookingInput,
        recurrence: RecurrenceInput,
    ) -> Result<Vec<Booking>> {
        let input = input.validate()?;
        let recurrence = recurrence.validate()?;
        let state = ctx.state();
        let actor = ctx.caller().user().map(|u| u.user_id);
        let created =
            bookings::create_series(&state.db, state.clock.now(), actor, input, recurrence).await?;
        Ok(created.into_iter().map(Booking).collect())
    }

    /// Changes a booking that is not cancelled: moves it (checked like a new booking, its own
    /// old slot aside, and priced again at its tier; a paid booking may move only to a time of
    /// the same price), retitles it, or changes its attendees or notes. VOLUNTEER.
    #[graphql(guard = "Require(Permission::FrontDesk)")]
    async fn update_booking(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateBookingInput,
    ) -> Result<Booking> {
        let id = parse_id("id", &id)?;
        let state = ctx.state();
        let changes = BookingChanges {
            start: input.start,
            end: input.end,
            title: input
                .title
                .as_deref()
                .map(|t| Name::parse("title", t))
                .transpose()?,
            attendees: match input.attendees {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(n) => Some(Some(n)),
            },
            notes: input
                .notes
                .as_deref()
                .map(|n| optional_text("notes", Some(n), 4000))
                .transpose()?,
        };
        Ok(Booking(
            booking_changes::update_booking(&state.db, id, changes).await?,
        ))
    }

    /// Approves a PENDING booking. MANAGER.
    #[graphql(guard = "Require(Permission::Manage)")]
    async fn confirm_booking(&self, ctx: &Context<'_>, id: ID) -> Result<Booking> {
        let id = parse_id("id", &id)?;
        let state = ctx.state();
        Ok(Booking(
            bookings::confirm(&state.db, state.clock.now(), id).await?,
        ))
    }

    /// Cancels a booking and frees its slot. INVALID_STATE if it already is. VOLUNTEER.
    #[graphql(guard = "Require(Permission::FrontDesk)")]
    async fn cancel_booking(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reason: Option<String>,
    ) -> Result<Booking> {
        let id = parse_id("id", &id)?;
        let reason = optional_text("reason", reason.as_deref(), 1000)?;
        let state = ctx.state();
        Ok(Booking(
            bookings::cancel(&state.db, state.clock.now(), id, reason).await?,
        ))
    }

    /// Cancels the occurrences of a series that start at or after `from` (default: all that
    /// are still active), frees their slots, and returns them. VOLUNTEER.
    #[graphql(guard = "Require(Permission::FrontDesk)")]
    async fn cancel_booking_series(
        &self,
        ctx: &Context<'_>,
        series_id: ID,
        from: Option<DateTime<Utc>>,
        reason: Option<String>,
    ) -> Result<Vec<Booking>> {
        let series_id = parse_id("seriesId", &series_id)?;
        let reason = optional_text("reason", reason.as_deref(), 1000)?;
        let state = ctx.state();
        let cancelled =
            bookings::cancel_series(&state.db, state.clock.now(), series_id, from, reason).await?;
        Ok(cancelled.into_iter().map(Booking).collect())
    }

    /// Records the booking's price as a SPACE_RENTAL revenue received today, once
    /// (INVALID_STATE when already paid, cancelled or free). VOLUNTEER: the front desk takes
    /// payments.
    #[graphql(guard = "Require(Permission::FrontDesk)")]
    async fn mark_booking_paid(&self, ctx: &Context<'_>, id: ID) -> Result<Booking> {
        let id = parse_id("id", &id)?;
        let state = ctx.state();
        Ok(Booking(
            bookings::mark_paid(&state.db, state.clock.now(), id).await?,
        ))
    }
}

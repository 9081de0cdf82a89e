//! Bookings: VOLUNTEER and above read, create and cancel; MANAGER confirms those that need
//! approval. Anonymous callers never see bookings (they see free slots through
//! `availability`).

pub mod inputs;
pub mod plan;
pub mod spaces;
pub mod types;

use async_graphql::{Context, ID, Object};

pub use inputs::{
    BookingFilter, CreateBookingInput, Frequency, RecurrenceInput, UpdateBookingInput,
};
pub use types::{Booker, Booking, BookingQuote, BookingStatus};

use crate::auth::guard::{Permission, Require};
use crate::domain::{Recurrence, optional_text, parse_id};
use crate::error::AppResult;
use crate::graphql::context::ContextExt;
use crate::graphql::pagination;
use crate::graphql::plan::{Listed, with_zones};
use crate::graphql::scalars::DateTime;
use crate::service::bookings::changes::{self, BookingChanges};
use crate::service::bookings::{self, BookingFilter as Filter, NewBooking};

/// The longest cancellation reason.
const REASON_MAX: usize = 1000;

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
    ) -> AppResult<BookingQuote> {
        let input = NewBooking::try_from(input)?;
        Ok(bookings::quote(&ctx.state()?.db, &input).await?.into())
    }

    /// Bookings by start time. VOLUNTEER.
    #[graphql(guard = "Require(Permission::ReadOperations)")]
    async fn bookings(
        &self,
        ctx: &Context<'_>,
        filter: Option<BookingFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> AppResult<Listed<Booking>> {
        let filter = Filter::try_from(filter.unwrap_or_default())?;
        let window = pagination::window(ctx, first, after.as_deref())?;
        let slice = with_zones(
            ctx,
            bookings::list_bookings(&ctx.state()?.db, &filter, window),
        )
        .await?;
        let relations = plan::prefetch(ctx, &slice.rows).await?;
        let page = pagination::keyed_connection(slice.map(Booking), window, |b| pagination::Key {
            at: b.0.starts_at,
            id: b.0.id,
        });
        Ok(Listed::new(page, relations))
    }

    /// One booking, or null. VOLUNTEER.
    #[graphql(guard = "Require(Permission::ReadOperations)")]
    async fn booking(&self, ctx: &Context<'_>, id: ID) -> AppResult<Option<Booking>> {
        let id = parse_id("id", &id)?;
        Ok(bookings::find_booking(&ctx.state()?.db, id)
            .await?
            .map(Booking))
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
    ) -> AppResult<Booking> {
        let input = NewBooking::try_from(input)?;
        let state = ctx.state()?;
        Ok(Booking(
            bookings::create_booking(
                &state.db,
                &state.activity,
                state.clock.now(),
                ctx.actor()?,
                input,
            )
            .await?,
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
    ) -> AppResult<Vec<Booking>> {
        let input = NewBooking::try_from(input)?;
        let recurrence = Recurrence::try_from(recurrence)?;
        let state = ctx.state()?;
        let (now, actor) = (state.clock.now(), ctx.actor()?);
        let created =
            bookings::create_series(&state.db, &state.activity, now, actor, input, recurrence);
        let created = created.await?;
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
    ) -> AppResult<Booking> {
        let changes = BookingChanges::try_from(input)?;
        let id = parse_id("id", &id)?;
        let state = ctx.state()?;
        Ok(Booking(
            changes::update_booking(&state.db, state.clock.now(), ctx.actor()?, id, changes)
                .await?,
        ))
    }

    /// Approves a PENDING booking. MANAGER.
    #[graphql(guard = "Require(Permission::Manage)")]
    async fn confirm_booking(&self, ctx: &Context<'_>, id: ID) -> AppResult<Booking> {
        let id = parse_id("id", &id)?;
        let state = ctx.state()?;
        Ok(Booking(
            bookings::confirm(&state.db, &state.activity, state.clock.now(), id).await?,
        ))
    }

    /// Cancels a booking and frees its slot. INVALID_STATE if it already is. A paid booking
    /// needs `refund`: true pays it back (a reversing entry of its revenue; the booking is no
    /// longer paid), false keeps the money; without it, VALIDATION asks. VOLUNTEER.
    #[graphql(guard = "Require(Permission::FrontDesk)")]
    async fn cancel_booking(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reason: Option<String>,
        refund: Option<bool>,
    ) -> AppResult<Booking> {
        let id = parse_id("id", &id)?;
        let reason = optional_text("reason", reason.as_deref(), REASON_MAX)?;
        let state = ctx.state()?;
        let now = state.clock.now();
        Ok(Booking(
            bookings::cancel(
                &state.db,
                &state.activity,
                now,
                ctx.actor()?,
                id,
                reason,
                refund,
            )
            .await?,
        ))
    }

    /// Cancels the occurrences of a series that start at or after `from` (default: all that
    /// are still active), frees their slots, and returns them. Paid occurrences need
    /// `refund`, as in `cancelBooking`. VOLUNTEER.
    #[graphql(guard = "Require(Permission::FrontDesk)")]
    async fn cancel_booking_series(
        &self,
        ctx: &Context<'_>,
        series_id: ID,
        from: Option<DateTime>,
        reason: Option<String>,
        refund: Option<bool>,
    ) -> AppResult<Vec<Booking>> {
        let series_id = parse_id("seriesId", &series_id)?;
        let reason = optional_text("reason", reason.as_deref(), REASON_MAX)?;
        let state = ctx.state()?;
        let cancelled = bookings::cancel_series(
            &state.db,
            &state.activity,
            state.clock.now(),
            ctx.actor()?,
            series_id,
            from.map(|t| t.instant),
            reason,
            refund,
        )
        .await?;
        Ok(cancelled.into_iter().map(Booking).collect())
    }

    /// Records the booking's price as a SPACE_RENTAL revenue received today, once
    /// (INVALID_STATE when already paid, cancelled or free). VOLUNTEER: the front desk takes
    /// payments.
    #[graphql(guard = "Require(Permission::FrontDesk)")]
    async fn mark_booking_paid(&self, ctx: &Context<'_>, id: ID) -> AppResult<Booking> {
        let id = parse_id("id", &id)?;
        let state = ctx.state()?;
        Ok(Booking(
            bookings::mark_paid(&state.db, state.clock.now(), id).await?,
        ))
    }
}

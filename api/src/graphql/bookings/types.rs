//! What the API shows of bookings.

use async_graphql::{Context, Enum, ID, Object, SimpleObject, Union};
use chrono::Utc;
use lieu_entity::booking;

use crate::domain::Money;
use crate::error::{AppResult, Conflict};
use crate::graphql::bookings::spaces::{PriceTier, Space, TimeSlot};
use crate::graphql::context::ContextExt;
use crate::graphql::events::Event;
use crate::graphql::loaders::{OrganizationKey, PersonKey};
use crate::graphql::people::{Organization, Person};
use crate::graphql::scalars::{DateTime, Decimal};
use crate::service::bookings::{self, Quote};

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

    async fn space(&self, ctx: &Context<'_>) -> AppResult<Space> {
        Ok(Space(ctx.loaders()?.space(self.0.space_id).await?))
    }

    /// In the site's own offset.
    async fn start(&self, ctx: &Context<'_>) -> AppResult<DateTime> {
        self.local(ctx, self.0.starts_at).await
    }

    /// In the site's own offset.
    async fn end(&self, ctx: &Context<'_>) -> AppResult<DateTime> {
        self.local(ctx, self.0.ends_at).await
    }

    async fn title(&self) -> &str {
        &self.0.title
    }

    async fn status(&self) -> AppResult<BookingStatus> {
        Ok(bookings::status_of(&self.0)?.into())
    }

    /// The person or organization it is for; null for the venue's own use.
    async fn booker(&self, ctx: &Context<'_>) -> AppResult<Option<Booker>> {
        let people = &ctx.loaders()?.people;
        if let Some(id) = self.0.person_id
            && let Some(person) = people.load_one(PersonKey(id)).await?
        {
            return Ok(Some(Booker::Person(person.into())));
        }
        if let Some(id) = self.0.organization_id
            && let Some(organization) = people.load_one(OrganizationKey(id)).await?
        {
            return Ok(Some(Booker::Organization(organization.try_into()?)));
        }
        Ok(None)
    }

    /// The tier whose rate priced it.
    async fn tier(&self) -> AppResult<PriceTier> {
        Ok(bookings::tier_of(&self.0)?.into())
    }

    /// EUR, fixed when the booking was made.
    async fn price(&self) -> Decimal {
        Money::from_cents(self.0.price_cents).into()
    }

    /// A free loan (`freeLoan`): what it is worth at the space's PUBLIC rate, reported as an
    /// in-kind contribution; null for any other booking.
    async fn free_loan_value(&self) -> Option<Decimal> {
        self.0.in_kind_cents.map(|c| Money::from_cents(c).into())
    }

    /// Paid: a SPACE_RENTAL revenue was recorded for it.
    async fn paid(&self) -> bool {
        self.0.revenue_id.is_some()
    }

    async fn paid_at(&self, ctx: &Context<'_>) -> AppResult<Option<DateTime>> {
        self.local_opt(ctx, self.0.paid_at).await
    }

    /// The event this booking reserves the space for (an event holds one booking per space;
    /// it changes with its event only).
    async fn event(&self, ctx: &Context<'_>) -> AppResult<Option<Event>> {
        match self.0.event_id {
            Some(id) => Ok(Some(Event(ctx.loaders()?.event(id).await?))),
            None => Ok(None),
        }
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

    async fn created_at(&self, ctx: &Context<'_>) -> AppResult<DateTime> {
        self.local(ctx, self.0.created_at).await
    }

    async fn cancelled_at(&self, ctx: &Context<'_>) -> AppResult<Option<DateTime>> {
        self.local_opt(ctx, self.0.cancelled_at).await
    }

    async fn cancel_reason(&self) -> Option<&str> {
        self.0.cancel_reason.as_deref()
    }
}

impl Booking {
    /// A time of this booking in its site's offset.
    async fn local(&self, ctx: &Context<'_>, t: chrono::DateTime<Utc>) -> AppResult<DateTime> {
        ctx.loaders()?.zones.local(self.0.site_id, t).await
    }

    async fn local_opt(
        &self,
        ctx: &Context<'_>,
        t: Option<chrono::DateTime<Utc>>,
    ) -> AppResult<Option<DateTime>> {
        ctx.loaders()?.zones.local_opt(self.0.site_id, t).await
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

impl From<Quote> for BookingQuote {
    fn from(quote: Quote) -> Self {
        Self {
            tier: quote.tier.into(),
            price: quote.price.into(),
            conflicts: quote.conflicts.iter().map(TimeSlot::from).collect(),
        }
    }
}

impl From<&Conflict> for TimeSlot {
    fn from(conflict: &Conflict) -> Self {
        Self {
            start: DateTime::local(conflict.start, conflict.tz),
            end: DateTime::local(conflict.end, conflict.tz),
            booking_id: Some(ID(conflict.booking_id.to_string())),
        }
    }
}

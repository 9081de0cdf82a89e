//! What the API shows of events and registrations. The public (anonymous callers and public
//! keys) sees public, scheduled events with their public fields and remaining seats; never
//! registrations, never people.

use async_graphql::{Context, Enum, ID, Object};
use chrono::Utc;
use lieu_entity::{event, registration};

use crate::auth::guard::{Permission, Require};
use crate::domain::{EventStatus as Status, Money};
use crate::error::AppResult;
use crate::graphql::bookings::spaces::Space;
use crate::graphql::context::ContextExt;
use crate::graphql::loaders::PersonKey;
use crate::graphql::people::Person;
use crate::graphql::scalars::{DateTime, Decimal};
use crate::graphql::sites::Site;
use crate::service::events::{self, registrations};

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "crate::domain::EventCategory")]
pub enum EventCategory {
    Workshop,
    Talk,
    Concert,
    Screening,
    Market,
    RepairCafe,
    Meeting,
    Training,
    Festival,
    Other,
}

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "crate::domain::EventStatus")]
pub enum EventStatus {
    Scheduled,
    /// Its spaces are freed and its registrations cancelled.
    Cancelled,
}

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "crate::domain::RegistrationStatus")]
pub enum RegistrationStatus {
    /// Holds its seats.
    Confirmed,
    /// Waits in line (`waitlistPosition`) for seats to be freed.
    Waitlisted,
    Cancelled,
}

/// Whether the caller is staff (sees every event, registrations, people).
pub fn is_staff(ctx: &Context<'_>) -> bool {
    Permission::ReadOperations.check(ctx.caller()).is_ok()
}

/// What the public may see of an event: public and scheduled.
pub fn visible(ctx: &Context<'_>, model: &event::Model) -> bool {
    is_staff(ctx) || (model.public && model.status == Status::Scheduled.as_str())
}

fn money(cents: Option<i64>) -> Option<Decimal> {
    cents.map(|c| Money::from_cents(c).into())
}

/// Something that happens at the venue: a workshop, a concert, a repair café, a forum and its
/// sessions.
pub struct Event(pub event::Model);

#[Object]
impl Event {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn title(&self) -> &str {
        &self.0.title
    }

    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    async fn category(&self) -> AppResult<EventCategory> {
        Ok(events::category_of(&self.0)?.into())
    }

    /// In the site's own offset.
    async fn start(&self, ctx: &Context<'_>) -> AppResult<DateTime> {
        ctx.loaders()?
            .zones
            .local(self.0.site_id, self.0.starts_at)
            .await
    }

    /// In the site's own offset.
    async fn end(&self, ctx: &Context<'_>) -> AppResult<DateTime> {
        ctx.loaders()?
            .zones
            .local(self.0.site_id, self.0.ends_at)
            .await
    }

    async fn site(&self, ctx: &Context<'_>) -> AppResult<Site> {
        Ok(ctx.loaders()?.site(self.0.site_id).await?.into())
    }

    /// Where it takes place; each is reserved for it (a booking that points back here).
    async fn spaces(&self, ctx: &Context<'_>) -> AppResult<Vec<Space>> {
        let rows = ctx.loaders()?.event_spaces.load_one(self.0.id).await?;
        Ok(rows.unwrap_or_default().into_iter().map(Space).collect())
    }

    /// Seats; null is unlimited.
    async fn capacity(&self) -> Option<i32> {
        self.0.capacity
    }

    /// Listed in the public agenda and open to registration by anyone.
    async fn public(&self) -> bool {
        self.0.public
    }

    /// EUR per seat; null is free.
    async fn price(&self) -> Option<Decimal> {
        money(self.0.price_cents)
    }

    /// EUR per seat for a member on the event's day.
    async fn member_price(&self) -> Option<Decimal> {
        money(self.0.member_price_cents)
    }

    /// Pay what you can from this amount per seat (`price` is the suggestion).
    async fn min_price(&self) -> Option<Decimal> {
        money(self.0.min_price_cents)
    }

    async fn status(&self) -> AppResult<EventStatus> {
        Ok(events::status_of(&self.0)?.into())
    }

    async fn cancelled_at(&self, ctx: &Context<'_>) -> AppResult<Option<DateTime>> {
        ctx.loaders()?
            .zones
            .local_opt(self.0.site_id, self.0.cancelled_at)
            .await
    }

    async fn cancel_reason(&self) -> Option<&str> {
        self.0.cancel_reason.as_deref()
    }

    /// The programme this event is a session of (null for the public when it is not public).
    async fn parent(&self, ctx: &Context<'_>) -> AppResult<Option<Event>> {
        let Some(id) = self.0.parent_id else {
            return Ok(None);
        };
        let parent = ctx.loaders()?.event(id).await?;
        Ok(visible(ctx, &parent).then_some(Event(parent)))
    }

    /// The sessions of a programme, by start (the public sees the public, scheduled ones).
    async fn sessions(&self, ctx: &Context<'_>) -> AppResult<Vec<Event>> {
        let rows = ctx.loaders()?.event_sessions.load_one(self.0.id).await?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .filter(|s| visible(ctx, s))
            .map(Event)
            .collect())
    }

    /// Shared by the occurrences of one series.
    async fn series_id(&self) -> Option<ID> {
        self.0.series_id.map(|id| ID(id.to_string()))
    }

    /// Seats of CONFIRMED registrations (a group of 3 counts 3).
    async fn confirmed_count(&self, ctx: &Context<'_>) -> AppResult<i32> {
        Ok(self.seats(ctx).await?.confirmed)
    }

    /// Seats waiting in line.
    async fn waitlist_count(&self, ctx: &Context<'_>) -> AppResult<i32> {
        Ok(self.seats(ctx).await?.waitlisted)
    }

    /// Seats of checked-in registrations.
    async fn checked_in_count(&self, ctx: &Context<'_>) -> AppResult<i32> {
        Ok(self.seats(ctx).await?.checked_in)
    }

    /// Seats still free; null when the event has no capacity (unlimited).
    async fn remaining_seats(&self, ctx: &Context<'_>) -> AppResult<Option<i32>> {
        Ok(self.seats(ctx).await?.remaining(self.0.capacity))
    }

    /// Every registration, cancelled ones too: confirmed first, then the waitlist in order.
    /// VOLUNTEER.
    #[graphql(guard = "Require(Permission::ReadOperations)")]
    async fn registrations(&self, ctx: &Context<'_>) -> AppResult<Vec<Registration>> {
        let rows = ctx
            .loaders()?
            .event_registrations
            .load_one(self.0.id)
            .await?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .map(Registration)
            .collect())
    }

    async fn created_at(&self, ctx: &Context<'_>) -> AppResult<DateTime> {
        ctx.loaders()?
            .zones
            .local(self.0.site_id, self.0.created_at)
            .await
    }
}

impl Event {
    async fn seats(&self, ctx: &Context<'_>) -> AppResult<events::seats::Seats> {
        let seats = ctx.loaders()?.event_seats.load_one(self.0.id).await?;
        Ok(seats.unwrap_or_default())
    }
}

/// Someone, or a group, coming to an event.
pub struct Registration(pub registration::Model);

#[Object]
impl Registration {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn event(&self, ctx: &Context<'_>) -> AppResult<Event> {
        Ok(Event(ctx.loaders()?.event(self.0.event_id).await?))
    }

    /// The person of the venue's records, when the registration is theirs. VOLUNTEER.
    #[graphql(guard = "Require(Permission::ReadOperations)")]
    async fn person(&self, ctx: &Context<'_>) -> AppResult<Option<Person>> {
        let Some(id) = self.0.person_id else {
            return Ok(None);
        };
        let row = ctx.loaders()?.people.load_one(PersonKey(id)).await?;
        Ok(row.map(Person::from))
    }

    /// As given (`(erased)` after the person's erasure).
    async fn name(&self) -> &str {
        &self.0.name
    }

    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }

    /// How many come together (1 to 10); they wait and are let in together.
    async fn seats(&self) -> i32 {
        self.0.seats
    }

    async fn status(&self) -> AppResult<RegistrationStatus> {
        Ok(registrations::status_of_registration(&self.0)?.into())
    }

    /// 1..n in line, for a WAITLISTED registration.
    async fn waitlist_position(&self) -> Option<i32> {
        self.0.waitlist_position
    }

    /// 8 characters without ambiguous letters, printed on the confirmation: `checkInByCode`
    /// takes it, typed or scanned.
    async fn code(&self) -> &str {
        &self.0.code
    }

    /// When it was checked in at the door (the first time, however often it is scanned).
    async fn checked_in_at(&self, ctx: &Context<'_>) -> AppResult<Option<DateTime>> {
        self.local_opt(ctx, self.0.checked_in_at).await
    }

    /// An EVENT_TICKETS revenue was recorded for it.
    async fn paid(&self) -> bool {
        self.0.revenue_id.is_some()
    }

    async fn paid_at(&self, ctx: &Context<'_>) -> AppResult<Option<DateTime>> {
        self.local_opt(ctx, self.0.paid_at).await
    }

    async fn cancelled_at(&self, ctx: &Context<'_>) -> AppResult<Option<DateTime>> {
        self.local_opt(ctx, self.0.cancelled_at).await
    }

    async fn created_at(&self, ctx: &Context<'_>) -> AppResult<DateTime> {
        self.local(ctx, self.0.created_at).await
    }
}

impl Registration {
    /// A time of this registration in its event's site's offset.
    async fn local(&self, ctx: &Context<'_>, t: chrono::DateTime<Utc>) -> AppResult<DateTime> {
        let loaders = ctx.loaders()?;
        let site = loaders.event(self.0.event_id).await?.site_id;
        loaders.zones.local(site, t).await
    }

    async fn local_opt(
        &self,
        ctx: &Context<'_>,
        t: Option<chrono::DateTime<Utc>>,
    ) -> AppResult<Option<DateTime>> {
        let loaders = ctx.loaders()?;
        let site = loaders.event(self.0.event_id).await?.site_id;
        loaders.zones.local_opt(site, t).await
    }
}

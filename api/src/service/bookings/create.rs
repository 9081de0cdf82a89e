//! Making bookings: one, or a series (every occurrence or none), and their quote.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use lieu_entity::{booking, space};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel,
};
use uuid::Uuid;

use super::space_tree::{self, SpaceTree};
use super::{blocks, pricing, spaces};
use crate::db;
use crate::db::constraints::{self, Constraint};
use crate::domain::{
    Actor, BookingStatus, Holder, Money, Name, PriceTier, Recurrence, Role, TimeRange, attendees,
    check_booking_day, local_date,
};
use crate::error::{AppError, AppResult};
use crate::service::activity::{ActivityBus, ActivityKind, summary};
use crate::service::holders::{self, Lock};
use crate::service::{memberships, sites};

/// The longest single booking (a lodging may be taken for weeks, not for years).
pub const MAX_BOOKING_DAYS: i64 = 366;

pub struct NewBooking {
    pub space_id: Uuid,
    pub range: TimeRange,
    pub title: Name,
    pub booker: Option<Holder>,
    /// Chosen by staff; otherwise derived from the booker.
    pub tier: Option<PriceTier>,
    pub attendees: Option<i32>,
    pub notes: Option<String>,
    pub pricing: Pricing,
}

/// How a booking is priced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pricing {
    /// At the rate of its tier (API.md's price rule).
    Rated,
    /// The venue's own use (an event's room): priced at nothing. Tickets pay for events.
    VenueUse,
    /// A free loan by decision (to a resident association, a partner): priced at nothing, and
    /// worth its PUBLIC-rate price as an in-kind contribution.
    FreeLoan,
}

/// One booking to be written.
pub(crate) struct Item {
    pub range: TimeRange,
    pub footprint: TimeRange,
    pub tier: PriceTier,
    pub price: Money,
    /// What a free loan is worth at the PUBLIC rate.
    pub in_kind: Option<Money>,
}

/// Everything decided before anything is written.
pub(crate) struct Plan {
    pub space: space::Model,
    /// The site's time zone.
    pub tz: chrono_tz::Tz,
    /// The booked space and every space below it.
    pub occupies: Vec<Uuid>,
    pub items: Vec<Item>,
}

impl Plan {
    /// The first and the last occurrence start on plausible days for `actor`.
    pub fn check_days(&self, actor: Actor, now: DateTime<Utc>) -> AppResult<()> {
        let today = local_date(now, self.tz);
        for item in [self.items.first(), self.items.last()]
            .into_iter()
            .flatten()
        {
            check_booking_day(actor, local_date(item.range.start, self.tz), today)?;
        }
        Ok(())
    }

    pub fn wanted(&self) -> Vec<(TimeRange, TimeRange)> {
        self.items.iter().map(|i| (i.range, i.footprint)).collect()
    }
}

/// What a booking would cost, and what stands in its way. Nothing is written.
pub struct Quote {
    pub tier: PriceTier,
    pub price: Money,
    pub conflicts: Vec<crate::error::Conflict>,
    /// The site's time zone.
    pub tz: chrono_tz::Tz,
}

pub async fn quote(conn: &DatabaseConnection, input: &NewBooking) -> AppResult<Quote> {
    let plan = plan(conn, input, None).await?;
    let conflicts = blocks::conflicts(conn, &plan.occupies, &plan.wanted(), &[], plan.tz).await?;
    let item = &plan.items[0];
    Ok(Quote {
        tier: item.tier,
        price: item.price,
        conflicts,
        tz: plan.tz,
    })
}

pub async fn create_booking(
    conn: &DatabaseConnection,
    bus: &ActivityBus,
    now: DateTime<Utc>,
    actor: Actor,
    input: NewBooking,
) -> AppResult<booking::Model> {
    let mut created = create(conn, bus, now, actor, &input, None).await?;
    Ok(created.remove(0))
}

/// Every occurrence or none; a conflict lists every occurrence that is in the way.
pub async fn create_series(
    conn: &DatabaseConnection,
    bus: &ActivityBus,
    now: DateTime<Utc>,
    actor: Actor,
    input: NewBooking,
    recurrence: Recurrence,
) -> AppResult<Vec<booking::Model>> {
    create(conn, bus, now, actor, &input, Some(recurrence)).await
}

async fn create(
    conn: &DatabaseConnection,
    bus: &ActivityBus,
    now: DateTime<Utc>,
    actor: Actor,
    input: &NewBooking,
    recurrence: Option<Recurrence>,
) -> AppResult<Vec<booking::Model>> {
    if input.pricing == Pricing::FreeLoan && !actor.is_at_least(Role::Manager) {
        return Err(AppError::Forbidden(
            "a free loan is a manager's decision: book at the usual price, or ask a manager".into(),
        ));
    }
    let txn = db::begin_write(conn).await?;
    space_tree::lock_for_booking(&txn, input.space_id).await?;
    let plan = plan(&txn, input, recurrence).await?;
    plan.check_days(actor, now)?;
    refuse_conflicts(&txn, &[&plan]).await?;
    let status = if plan.space.requires_approval {
        BookingStatus::Pending
    } else {
        BookingStatus::Confirmed
    };
    let spec = Spec {
        title: input.title.as_str(),
        booker: input.booker,
        attendees: input.attendees,
        notes: input.notes.as_deref(),
        status,
        series_id: recurrence.map(|_| Uuid::new_v4()),
    };
    let models = rows(&plan, &spec, now, actor, |_| None);
    if let Err(lost) = write(&txn, &[(&plan, &models)]).await {
        txn.rollback().await?;
        return Err(lost.refusal(conn, &[&plan]).await);
    }
    let made = models
        .iter()
        .map(|model| {
            let (space, tz) = (plan.space.name.as_str(), Some(plan.tz));
            summary::booking(ActivityKind::BookingCreated, now, model, space, tz)
        })
        .collect();
    for model in &models {
        crate::service::audit::created("Booking", model.id, model);
    }
    bus.commit(txn, made).await?;
    crate::telemetry::metrics::bookings_created(models.len());
    tracing::debug!(space_id = %plan.space.id, count = models.len(), "booking created");
    Ok(models)
}

/// What bookings of a plan say beyond their times and prices.
pub(crate) struct Spec<'a> {
    pub title: &'a str,
    pub booker: Option<Holder>,
    pub attendees: Option<i32>,
    pub notes: Option<&'a str>,
    pub status: BookingStatus,
    pub series_id: Option<Uuid>,
}

/// The rows of `plan`'s bookings (not yet written); `event_of(i)` is the event the `i`-th
/// occurrence reserves its space for, if any.
pub(crate) fn rows(
    plan: &Plan,
    spec: &Spec<'_>,
    now: DateTime<Utc>,
    actor: Actor,
    event_of: impl Fn(usize) -> Option<Uuid>,
) -> Vec<booking::Model> {
    let (person_id, organization_id) = Holder::columns(spec.booker);
    plan.items
        .iter()
        .enumerate()
        .map(|(i, item)| booking::Model {
            id: Uuid::new_v4(),
            site_id: plan.space.site_id,
            space_id: plan.space.id,
            starts_at: item.range.start,
            ends_at: item.range.end,
            title: spec.title.to_string(),
            status: spec.status.as_str().to_string(),
            person_id,
            organization_id,
            tier: item.tier.as_str().to_string(),
            price_cents: item.price.cents(),
            attendees: spec.attendees,
            notes: spec.notes.map(str::to_string),
            series_id: spec.series_id,
            created_by: actor.user_id(),
            created_at: now,
            confirmed_at: (spec.status == BookingStatus::Confirmed).then_some(now),
            cancelled_at: None,
            cancel_reason: None,
            paid_at: None,
            revenue_id: None,
            event_id: event_of(i),
            in_kind_cents: item.in_kind.map(Money::cents),
        })
        .collect()
}

/// Refuses with BOOKING_CONFLICT, listing every booking in the way of any of `plans`.
pub(crate) async fn refuse_conflicts(
    conn: &impl ConnectionTrait,
    plans: &[&Plan],
) -> AppResult<()> {
    blocks::refuse_if_any(conflicts_of(conn, plans).await?)
}

async fn conflicts_of(
    conn: &impl ConnectionTrait,
    plans: &[&Plan],
) -> AppResult<Vec<crate::error::Conflict>> {
    let mut all = Vec::new();
    for plan in plans {
        all.extend(blocks::conflicts(conn, &plan.occupies, &plan.wanted(), &[], plan.tz).await?);
    }
    Ok(all)
}

/// A write the database refused because a concurrent writer took a slot first.
pub(crate) enum Lost {
    Race,
    Other(AppError),
}

impl Lost {
    /// The error to send, once the transaction is rolled back: what is in the way now.
    pub async fn refusal(self, conn: &DatabaseConnection, plans: &[&Plan]) -> AppError {
        match self {
            Lost::Other(err) => err,
            Lost::Race => {
                tracing::info!("lost a race to a concurrent booking");
                match conflicts_of(conn, plans).await {
                    Ok(conflicts) => AppError::BookingConflict(conflicts),
                    Err(err) => err,
                }
            }
        }
    }
}

/// Inserts bookings and their blocks inside the caller's transaction. The database refuses
/// overlapping blocks by itself (a concurrent writer that slipped past `refuse_conflicts`):
/// that is `Lost::Race`, and the transaction must be rolled back.
pub(crate) async fn write(
    txn: &impl ConnectionTrait,
    written: &[(&Plan, &[booking::Model])],
) -> Result<(), Lost> {
    let result = async {
        for (_, models) in written {
            for chunk in models.chunks(200) {
                booking::Entity::insert_many(
                    chunk
                        .iter()
                        .map(|m| m.clone().into_active_model().reset_all()),
                )
                .exec_without_returning(txn)
                .await?;
            }
        }
        let blocks = written
            .iter()
            .flat_map(|(plan, models)| {
                models.iter().zip(&plan.items).flat_map(|(model, item)| {
                    blocks::rows(model.id, &plan.occupies, item.footprint)
                })
            })
            .collect();
        blocks::insert(txn, blocks).await
    }
    .await;
    match result {
        Ok(()) => Ok(()),
        Err(err) if constraints::is(&err, Constraint::BookingOverlap) => Err(Lost::Race),
        Err(err) => Err(Lost::Other(err.into())),
    }
}

/// Reads the space, the booker and the rates, and prices every occurrence.
pub(crate) async fn plan(
    conn: &impl ConnectionTrait,
    input: &NewBooking,
    recurrence: Option<Recurrence>,
) -> AppResult<Plan> {
    let space = spaces::get_space(conn, "spaceId", input.space_id).await?;
    if space.archived_at.is_some() {
        return Err(AppError::InvalidState(format!(
            "{} is archived: it cannot be booked",
            space.name
        )));
    }
    if let Some(n) = input.attendees {
        attendees("attendees", n, space.capacity)?;
    }
    let site = sites::get_site(conn, space.site_id).await?;
    let tz = sites::timezone_of(&site)?;
    // Shared lock: an erasure of this person waits for the booking, then cleans it.
    let resident = match input.booker {
        Some(holder) => holders::lock(conn, holder, Lock::Shared, "book")
            .await?
            .resident(),
        None => false,
    };
    let ranges = match recurrence {
        None => vec![input.range],
        Some(rule) => rule.occurrences(input.range, tz)?,
    };
    let footprints: Vec<TimeRange> = ranges
        .iter()
        .map(|r| blocks::footprint(*r, space.buffer_minutes))
        .collect();
    if let Some(pair) = footprints.windows(2).find(|w| w[0].overlaps(&w[1])) {
        return Err(AppError::validation(
            "recurrence",
            format!(
                "occurrences would overlap each other (from {}): make the interval longer",
                pair[1].start.with_timezone(&tz).format("%Y-%m-%d %H:%M")
            ),
        ));
    }

    let member_days = match (input.tier, input.booker, resident) {
        (None, Some(holder), false) => {
            let days: Vec<NaiveDate> = ranges.iter().map(|r| local_date(r.start, tz)).collect();
            memberships::member_days(conn, holder, &days).await?
        }
        _ => HashSet::new(),
    };
    let rates = spaces::rates_of(conn, [space.id])
        .await?
        .remove(&space.id)
        .unwrap_or_default();
    let items = ranges
        .into_iter()
        .zip(footprints)
        .map(|(range, footprint)| {
            let member = member_days.contains(&local_date(range.start, tz));
            let wanted = pricing::requested_tier(input.tier, resident, member);
            let (tier, rate) = pricing::applied_rate(rates.entries(), wanted);
            let (price, in_kind) = match input.pricing {
                Pricing::Rated => (pricing::price(range, tz, rate), None),
                Pricing::VenueUse => (Money::ZERO, None),
                Pricing::FreeLoan => {
                    let (_, public) = pricing::applied_rate(rates.entries(), PriceTier::Public);
                    (Money::ZERO, Some(pricing::price(range, tz, public)))
                }
            };
            Item {
                range,
                footprint,
                tier,
                price,
                in_kind,
            }
        })
        .collect();
    let occupies = SpaceTree::load(conn, space.site_id)
        .await?
        .subtree(space.id);
    Ok(Plan {
        space,
        tz,
        occupies,
        items,
    })
}

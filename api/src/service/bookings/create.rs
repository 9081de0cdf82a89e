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
    Actor, BookingStatus, Holder, Money, Name, PriceTier, Recurrence, TimeRange, attendees,
    check_booking_day, local_date,
};
use crate::error::{AppError, AppResult};
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
}

/// One booking to be written.
pub(crate) struct Item {
    pub range: TimeRange,
    pub footprint: TimeRange,
    pub tier: PriceTier,
    pub price: Money,
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
    now: DateTime<Utc>,
    actor: Actor,
    input: NewBooking,
) -> AppResult<booking::Model> {
    let mut created = create(conn, now, actor, &input, None).await?;
    Ok(created.remove(0))
}

/// Every occurrence or none; a conflict lists every occurrence that is in the way.
pub async fn create_series(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    actor: Actor,
    input: NewBooking,
    recurrence: Recurrence,
) -> AppResult<Vec<booking::Model>> {
    create(conn, now, actor, &input, Some(recurrence)).await
}

async fn create(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    actor: Actor,
    input: &NewBooking,
    recurrence: Option<Recurrence>,
) -> AppResult<Vec<booking::Model>> {
    let txn = db::begin_write(conn).await?;
    space_tree::lock_for_booking(&txn, input.space_id).await?;
    let plan = plan(&txn, input, recurrence).await?;
    plan.check_days(actor, now)?;
    let wanted = plan.wanted();
    blocks::refuse_if_any(blocks::conflicts(&txn, &plan.occupies, &wanted, &[], plan.tz).await?)?;

    let status = if plan.space.requires_approval {
        BookingStatus::Pending
    } else {
        BookingStatus::Confirmed
    };
    let series_id = recurrence.map(|_| Uuid::new_v4());
    let (person_id, organization_id) = Holder::columns(input.booker);
    let models: Vec<booking::Model> = plan
        .items
        .iter()
        .map(|item| booking::Model {
            id: Uuid::new_v4(),
            site_id: plan.space.site_id,
            space_id: plan.space.id,
            starts_at: item.range.start,
            ends_at: item.range.end,
            title: input.title.as_str().to_string(),
            status: status.as_str().to_string(),
            person_id,
            organization_id,
            tier: item.tier.as_str().to_string(),
            price_cents: item.price.cents(),
            attendees: input.attendees,
            notes: input.notes.clone(),
            series_id,
            created_by: actor.user_id(),
            created_at: now,
            confirmed_at: (status == BookingStatus::Confirmed).then_some(now),
            cancelled_at: None,
            cancel_reason: None,
            paid_at: None,
            revenue_id: None,
        })
        .collect();
    let blocks = models
        .iter()
        .zip(&plan.items)
        .flat_map(|(model, item)| blocks::rows(model.id, &plan.occupies, item.footprint))
        .collect();

    let written = async {
        for chunk in models.chunks(200) {
            booking::Entity::insert_many(
                chunk
                    .iter()
                    .map(|m| m.clone().into_active_model().reset_all()),
            )
            .exec_without_returning(&txn)
            .await?;
        }
        blocks::insert(&txn, blocks).await
    }
    .await;
    match written {
        Ok(()) => {}
        Err(err) if constraints::is(&err, Constraint::BookingOverlap) => {
            // A concurrent booking committed between our question and our insert; the
            // database refused ours. Say what is in the way now.
            tracing::info!(space_id = %plan.space.id, "lost a race to a concurrent booking");
            txn.rollback().await?;
            let conflicts = blocks::conflicts(conn, &plan.occupies, &wanted, &[], plan.tz).await?;
            return Err(AppError::BookingConflict(conflicts));
        }
        Err(err) => return Err(err.into()),
    }
    txn.commit().await?;
    tracing::debug!(space_id = %plan.space.id, count = models.len(), "booking created");
    Ok(models)
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
            Item {
                range,
                footprint,
                tier,
                price: pricing::price(range, tz, rate),
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

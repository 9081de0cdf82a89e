//! Bookings: create one or a series, quote, confirm, cancel, mark paid, and rebuild what
//! bookings occupy when a space's hierarchy or buffer changes.
//!
//! Every write runs in one transaction. Creating takes a shared lock on the space (PostgreSQL),
//! asks `booking_blocks` what is in the way, and writes the booking with its blocks; the
//! database refuses overlapping blocks by itself, so a concurrent writer that slipped past the
//! question still loses, and gets the same `BOOKING_CONFLICT`.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use lieu_entity::{booking, organization, person, space};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::memberships::{self, Holder};
use super::pricing;
use super::space_tree::{self, SpaceTree};
use super::{booking_blocks, revenues, sites, spaces};
use crate::db;
use crate::domain::{
    BookingStatus, Money, Name, PriceTier, Recurrence, RevenueStream, TimeRange, attendees,
    local_date, parse_stored,
};
use crate::error::{AppError, AppResult};

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
    /// The booked space and every space below it.
    pub occupies: Vec<Uuid>,
    pub items: Vec<Item>,
}

impl Plan {
    pub fn wanted(&self) -> Vec<(TimeRange, TimeRange)> {
        self.items.iter().map(|i| (i.range, i.footprint)).collect()
    }
}

/// What a booking would cost, and what stands in its way. Nothing is written.
pub struct Quote {
    pub tier: PriceTier,
    pub price: Money,
    pub conflicts: Vec<crate::error::Conflict>,
}

pub async fn quote(conn: &DatabaseConnection, input: &NewBooking) -> AppResult<Quote> {
    let plan = plan(conn, input, None).await?;
    let conflicts = booking_blocks::conflicts(conn, &plan.occupies, &plan.wanted(), &[]).await?;
    let item = &plan.items[0];
    Ok(Quote {
        tier: item.tier,
        price: item.price,
        conflicts,
    })
}

pub async fn create_booking(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    actor: Option<Uuid>,
    input: NewBooking,
) -> AppResult<booking::Model> {
    let mut created = create(conn, now, actor, &input, None).await?;
    Ok(created.remove(0))
}

/// Every occurrence or none; a conflict lists every occurrence that is in the way.
pub async fn create_series(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    actor: Option<Uuid>,
    input: NewBooking,
    recurrence: Recurrence,
) -> AppResult<Vec<booking::Model>> {
    create(conn, now, actor, &input, Some(recurrence)).await
}

async fn create(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    actor: Option<Uuid>,
    input: &NewBooking,
    recurrence: Option<Recurrence>,
) -> AppResult<Vec<booking::Model>> {
    let txn = db::begin_write(conn).await?;
    space_tree::lock_for_booking(&txn, input.space_id).await?;
    let plan = plan(&txn, input, recurrence).await?;
    let wanted = plan.wanted();
    booking_blocks::refuse_if_any(
        booking_blocks::conflicts(&txn, &plan.occupies, &wanted, &[]).await?,
    )?;

    let status = if plan.space.requires_approval {
        BookingStatus::Pending
    } else {
        BookingStatus::Confirmed
    };
    let series_id = recurrence.map(|_| Uuid::new_v4());
    let (person_id, organization_id) = match input.booker {
        Some(Holder::Person(id)) => (Some(id), None),
        Some(Holder::Organization(id)) => (None, Some(id)),
        None => (None, None),
    };
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
            created_by: actor,
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
        .flat_map(|(model, item)| booking_blocks::rows(model.id, &plan.occupies, item.footprint))
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
        booking_blocks::insert(&txn, blocks).await
    }
    .await;
    match written {
        Ok(()) => {}
        Err(err) if db::is_booking_overlap(&err) => {
            // A concurrent booking committed between our question and our insert; the
            // database refused ours. Say what is in the way now.
            tracing::info!(space_id = %plan.space.id, "lost a race to a concurrent booking");
            txn.rollback().await?;
            let conflicts = booking_blocks::conflicts(conn, &plan.occupies, &wanted, &[]).await?;
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
    let space = spaces::find_space(conn, input.space_id)
        .await?
        .ok_or_else(|| {
            AppError::validation("spaceId", format!("no space has the id {}", input.space_id))
        })?;
    if space.archived_at.is_some() {
        return Err(AppError::InvalidState(format!(
            "{} is archived: it cannot be booked",
            space.name
        )));
    }
    if let Some(n) = input.attendees {
        attendees("attendees", n, space.capacity)?;
    }
    let site = sites::find_site(conn, space.site_id).await?;
    let tz = sites::timezone_of(&site)?;
    let resident = match input.booker {
        Some(Holder::Person(id)) => {
            // Shared lock: an erasure of this person waits for the booking, then cleans it.
            let found = person::Entity::find_by_id(id)
                .lock_shared()
                .one(conn)
                .await?;
            match found {
                None => {
                    return Err(AppError::validation(
                        "personId",
                        format!("no person has the id {id}"),
                    ));
                }
                Some(p) if p.erased_at.is_some() => {
                    return Err(AppError::validation(
                        "personId",
                        "this person's data was erased: they cannot book",
                    ));
                }
                Some(_) => false,
            }
        }
        Some(Holder::Organization(id)) => {
            organization::Entity::find_by_id(id)
                .one(conn)
                .await?
                .ok_or_else(|| {
                    AppError::validation(
                        "organizationId",
                        format!("no organization has the id {id}"),
                    )
                })?
                .resident
        }
        None => false,
    };

    let ranges = match recurrence {
        None => vec![input.range],
        Some(rule) => rule.occurrences(input.range, tz)?,
    };
    let footprints: Vec<TimeRange> = ranges
        .iter()
        .map(|r| booking_blocks::footprint(*r, space.buffer_minutes))
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
        occupies,
        items,
    })
}

/// PENDING -> CONFIRMED (a manager approves).
pub async fn confirm(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    id: Uuid,
) -> AppResult<booking::Model> {
    let txn = db::begin_write(conn).await?;
    let current = find_or_404(&txn, id).await?;
    if current.status != BookingStatus::Pending.as_str() {
        return Err(AppError::InvalidState(format!(
            "only a PENDING booking can be confirmed; this one is {}",
            current.status
        )));
    }
    transition(
        &txn,
        &current,
        [
            (
                booking::Column::Status,
                Expr::value(BookingStatus::Confirmed.as_str()),
            ),
            (booking::Column::ConfirmedAt, Expr::value(now)),
        ],
    )
    .await?;
    let updated = find_or_404(&txn, id).await?;
    txn.commit().await?;
    Ok(updated)
}

/// Cancels a booking and frees its slot. A paid booking stays paid (refunds are money
/// matters, recorded separately).
pub async fn cancel(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    id: Uuid,
    reason: Option<String>,
) -> AppResult<booking::Model> {
    let txn = db::begin_write(conn).await?;
    let current = find_or_404(&txn, id).await?;
    if current.status == BookingStatus::Cancelled.as_str() {
        return Err(AppError::InvalidState(
            "this booking is already cancelled".into(),
        ));
    }
    transition(
        &txn,
        &current,
        [
            (
                booking::Column::Status,
                Expr::value(BookingStatus::Cancelled.as_str()),
            ),
            (booking::Column::CancelledAt, Expr::value(now)),
            (booking::Column::CancelReason, Expr::value(reason)),
        ],
    )
    .await?;
    booking_blocks::remove(&txn, &[id]).await?;
    let updated = find_or_404(&txn, id).await?;
    txn.commit().await?;
    tracing::debug!(booking_id = %id, "booking cancelled");
    Ok(updated)
}

/// Cancels every occurrence of a series still active that starts at or after `from` (all of
/// them when `None`), in one transaction.
pub async fn cancel_series(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    series_id: Uuid,
    from: Option<DateTime<Utc>>,
    reason: Option<String>,
) -> AppResult<Vec<booking::Model>> {
    let txn = db::begin_write(conn).await?;
    let exists = booking::Entity::find()
        .filter(booking::Column::SeriesId.eq(series_id))
        .count(&txn)
        .await?;
    if exists == 0 {
        return Err(AppError::not_found("series", series_id));
    }
    let mut query = booking::Entity::find()
        .filter(booking::Column::SeriesId.eq(series_id))
        .filter(booking::Column::Status.ne(BookingStatus::Cancelled.as_str()));
    if let Some(from) = from {
        query = query.filter(booking::Column::StartsAt.gte(from));
    }
    let ids: Vec<Uuid> = query
        .order_by_asc(booking::Column::StartsAt)
        .all(&txn)
        .await?
        .into_iter()
        .map(|b| b.id)
        .collect();
    if ids.is_empty() {
        return Err(AppError::InvalidState(
            "no occurrence of this series is left to cancel".into(),
        ));
    }
    booking::Entity::update_many()
        .col_expr(
            booking::Column::Status,
            Expr::value(BookingStatus::Cancelled.as_str()),
        )
        .col_expr(booking::Column::CancelledAt, Expr::value(now))
        .col_expr(booking::Column::CancelReason, Expr::value(reason))
        .filter(booking::Column::Id.is_in(ids.iter().copied()))
        .filter(booking::Column::Status.ne(BookingStatus::Cancelled.as_str()))
        .exec(&txn)
        .await?;
    booking_blocks::remove(&txn, &ids).await?;
    let cancelled = booking::Entity::find()
        .filter(booking::Column::Id.is_in(ids.iter().copied()))
        .order_by_asc(booking::Column::StartsAt)
        .all(&txn)
        .await?;
    txn.commit().await?;
    tracing::info!(series_id = %series_id, count = cancelled.len(), "series cancelled");
    Ok(cancelled)
}

/// Records the booking's price as a SPACE_RENTAL revenue received today (local day of the
/// site), once.
pub async fn mark_paid(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    id: Uuid,
) -> AppResult<booking::Model> {
    let txn = db::begin_write(conn).await?;
    let current = find_or_404(&txn, id).await?;
    if current.status == BookingStatus::Cancelled.as_str() {
        return Err(AppError::InvalidState(
            "this booking is cancelled: it cannot be paid".into(),
        ));
    }
    if current.revenue_id.is_some() {
        return Err(AppError::InvalidState(
            "this booking is already paid".into(),
        ));
    }
    if current.price_cents == 0 {
        return Err(AppError::InvalidState(
            "this booking is free: there is nothing to pay".into(),
        ));
    }
    let space = spaces::find_space(&txn, current.space_id)
        .await?
        .ok_or_else(|| AppError::not_found("space", current.space_id))?;
    let site = sites::find_site(&txn, current.site_id).await?;
    let tz = sites::timezone_of(&site)?;
    // The description names the space and the day, never the booker: the ledger must not
    // hold personal data.
    let revenue = revenues::record(
        &txn,
        now,
        revenues::NewRevenue {
            stream: RevenueStream::SpaceRental,
            amount: Money::from_cents(current.price_cents),
            received_on: local_date(now, tz),
            description: format!(
                "Location {} du {}",
                space.name,
                local_date(current.starts_at, tz).format("%d/%m/%Y")
            ),
            site_id: Some(current.site_id),
            membership_id: None,
        },
    )
    .await?;
    let updated = booking::Entity::update_many()
        .col_expr(booking::Column::PaidAt, Expr::value(now))
        .col_expr(booking::Column::RevenueId, Expr::value(revenue.id))
        .filter(booking::Column::Id.eq(id))
        .filter(booking::Column::RevenueId.is_null())
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(AppError::InvalidState(
            "this booking is already paid".into(),
        ));
    }
    let paid = find_or_404(&txn, id).await?;
    txn.commit().await?;
    Ok(paid)
}

/// Applies a status change only if nobody changed the booking meanwhile (two front desks
/// cancelling at once: one wins, the other gets INVALID_STATE).
async fn transition<const N: usize>(
    conn: &impl ConnectionTrait,
    current: &booking::Model,
    set: [(booking::Column, sea_orm::sea_query::SimpleExpr); N],
) -> AppResult<()> {
    let mut update = booking::Entity::update_many();
    for (column, value) in set {
        update = update.col_expr(column, value);
    }
    let result = update
        .filter(booking::Column::Id.eq(current.id))
        .filter(booking::Column::Status.eq(current.status.clone()))
        .exec(conn)
        .await?;
    if result.rows_affected != 1 {
        return Err(AppError::InvalidState(
            "this booking was changed by someone else meanwhile; reload it".into(),
        ));
    }
    Ok(())
}

pub(crate) async fn find_or_404(
    conn: &impl ConnectionTrait,
    id: Uuid,
) -> AppResult<booking::Model> {
    super::booking_queries::find_booking(conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("booking", id))
}

/// The stored status of a booking.
pub fn status_of(model: &booking::Model) -> AppResult<BookingStatus> {
    parse_stored(&model.status)
}

/// The stored tier of a booking.
pub fn tier_of(model: &booking::Model) -> AppResult<PriceTier> {
    parse_stored(&model.tier)
}

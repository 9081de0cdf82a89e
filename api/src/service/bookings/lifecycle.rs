//! What happens to a booking after it is made: a manager confirms it, someone cancels it (one
//! or the rest of a series), the front desk takes its payment.

use chrono::{DateTime, Utc};
use lieu_entity::booking;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

use super::{blocks, get_active, get_booking, spaces};
use crate::db;
use crate::domain::{Actor, BookingStatus, Money, RevenueStream, SourceKind, local_date};
use crate::error::{AppError, AppResult};
use crate::service::activity::{ActivityBus, ActivityKind, summary};
use crate::service::events::refuse_event_booking;
use crate::service::money::{self, NewRevenue, Source};
use crate::service::sites;

/// PENDING -> CONFIRMED (a manager approves).
pub async fn confirm(
    conn: &DatabaseConnection,
    bus: &ActivityBus,
    now: DateTime<Utc>,
    id: Uuid,
) -> AppResult<booking::Model> {
    let txn = db::begin_write(conn).await?;
    let current = get_booking(&txn, id).await?;
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
    let updated = get_booking(&txn, id).await?;
    let space = spaces::get_space(&txn, "spaceId", updated.space_id).await?;
    let confirmed = summary::booking(
        ActivityKind::BookingConfirmed,
        now,
        &updated,
        &space.name,
        None,
    );
    bus.commit(txn, vec![confirmed]).await?;
    Ok(updated)
}

/// Cancels a booking and frees its slot. A paid booking needs `refund`: true reverses its
/// payment (and the booking is no longer paid), false keeps the money.
pub async fn cancel(
    conn: &DatabaseConnection,
    bus: &ActivityBus,
    now: DateTime<Utc>,
    actor: Actor,
    id: Uuid,
    reason: Option<String>,
    refund: Option<bool>,
) -> AppResult<booking::Model> {
    let txn = db::begin_write(conn).await?;
    let current = get_active(&txn, id, "this booking is already cancelled").await?;
    refuse_event_booking(current.event_id)?;
    let paid = current
        .revenue_id
        .map(|_| Money::from_cents(current.price_cents));
    if money::refund_wanted(paid, refund, "this booking was")? {
        refund_all(&txn, now, actor, &[id], reason.as_deref()).await?;
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
    blocks::remove(&txn, &[id]).await?;
    let updated = get_booking(&txn, id).await?;
    let space = spaces::get_space(&txn, "spaceId", updated.space_id).await?;
    let cancelled = summary::booking(
        ActivityKind::BookingCancelled,
        now,
        &updated,
        &space.name,
        None,
    );
    bus.commit(txn, vec![cancelled]).await?;
    tracing::debug!(booking_id = %id, "booking cancelled");
    Ok(updated)
}

/// Cancels every occurrence of a series still active that starts at or after `from` (all of
/// them when `None`), in one transaction. Paid occurrences need `refund`, as for one booking.
#[allow(clippy::too_many_arguments)] // what the mutation says, plus where to publish
pub async fn cancel_series(
    conn: &DatabaseConnection,
    bus: &ActivityBus,
    now: DateTime<Utc>,
    actor: Actor,
    series_id: Uuid,
    from: Option<DateTime<Utc>>,
    reason: Option<String>,
    refund: Option<bool>,
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
    let active = query
        .order_by_asc(booking::Column::StartsAt)
        .all(&txn)
        .await?;
    if active.is_empty() {
        return Err(AppError::InvalidState(
            "no occurrence of this series is left to cancel".into(),
        ));
    }
    let ids: Vec<Uuid> = active.iter().map(|b| b.id).collect();
    let paid: Vec<&booking::Model> = active.iter().filter(|b| b.revenue_id.is_some()).collect();
    let cents: Vec<i64> = paid.iter().map(|b| b.price_cents).collect();
    if money::refund_wanted_of_many(&cents, refund, "occurrence")? {
        let paid_ids: Vec<Uuid> = paid.iter().map(|b| b.id).collect();
        refund_all(&txn, now, actor, &paid_ids, reason.as_deref()).await?;
    }
    cancel_many(&txn, now, &ids, reason.as_deref()).await?;
    let cancelled = booking::Entity::find()
        .filter(booking::Column::Id.is_in(ids.iter().copied()))
        .order_by_asc(booking::Column::StartsAt)
        .all(&txn)
        .await?;
    // A series is booked in one space.
    let space = spaces::get_space(&txn, "spaceId", cancelled[0].space_id).await?;
    let events = cancelled
        .iter()
        .map(|b| summary::booking(ActivityKind::BookingCancelled, now, b, &space.name, None))
        .collect();
    bus.commit(txn, events).await?;
    tracing::info!(series_id = %series_id, count = cancelled.len(), "series cancelled");
    Ok(cancelled)
}

/// Cancels active bookings (kept, for history) and frees what they held, inside the caller's
/// transaction.
pub(crate) async fn cancel_many(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    ids: &[Uuid],
    reason: Option<&str>,
) -> AppResult<()> {
    for chunk in ids.chunks(500) {
        booking::Entity::update_many()
            .col_expr(
                booking::Column::Status,
                Expr::value(BookingStatus::Cancelled.as_str()),
            )
            .col_expr(booking::Column::CancelledAt, Expr::value(now))
            .col_expr(booking::Column::CancelReason, Expr::value(reason))
            .filter(booking::Column::Id.is_in(chunk.iter().copied()))
            .filter(booking::Column::Status.ne(BookingStatus::Cancelled.as_str()))
            .exec(txn)
            .await?;
    }
    blocks::remove(txn, ids).await
}

/// Pays back paid bookings (inside the caller's transaction): each payment is reversed and
/// the bookings are no longer paid.
async fn refund_all(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    actor: Actor,
    ids: &[Uuid],
    reason: Option<&str>,
) -> AppResult<()> {
    let why = reason.unwrap_or("réservation annulée");
    money::refund(txn, now, actor, SourceKind::Booking, ids, why).await?;
    booking::Entity::update_many()
        .col_expr(
            booking::Column::PaidAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            booking::Column::RevenueId,
            Expr::value(Option::<Uuid>::None),
        )
        .filter(booking::Column::Id.is_in(ids.iter().copied()))
        .exec(txn)
        .await?;
    Ok(())
}

/// Records the booking's price as a SPACE_RENTAL revenue received today (local day of the
/// site), once.
pub async fn mark_paid(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    id: Uuid,
) -> AppResult<booking::Model> {
    let txn = db::begin_write(conn).await?;
    let current = get_active(&txn, id, "this booking is cancelled: it cannot be paid").await?;
    refuse_event_booking(current.event_id)?;
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
    let space = spaces::get_space(&txn, "spaceId", current.space_id).await?;
    let site = sites::get_site(&txn, current.site_id).await?;
    let tz = sites::timezone_of(&site)?;
    // The description names the space and the day, never the booker: the ledger must not
    // hold personal data.
    let revenue = money::record(
        &txn,
        now,
        NewRevenue {
            stream: RevenueStream::SpaceRental,
            amount: Money::from_cents(current.price_cents),
            received_on: local_date(now, tz),
            description: format!(
                "Location {} du {}",
                space.name,
                local_date(current.starts_at, tz).format("%d/%m/%Y")
            ),
            site_id: Some(current.site_id),
            source: Some(Source::Booking(id)),
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
    let paid = get_booking(&txn, id).await?;
    crate::service::audit::commit(txn).await?;
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

//! Seats: counted over CONFIRMED registrations, never above the capacity, whatever the
//! concurrency. Every change of an event's registrations first locks the event's row
//! (`SELECT … FOR UPDATE` on PostgreSQL: a probe without it oversold 55 seats of 50; SQLite's
//! write transactions are serialized by `BEGIN IMMEDIATE`), then counts, then writes.

use std::collections::HashMap;

use lieu_entity::{event, registration};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::domain::{RegistrationStatus, promotions};
use crate::error::{AppError, AppResult};

/// The event, locked until the transaction ends.
pub async fn lock_event(
    txn: &impl ConnectionTrait,
    field: Option<&str>,
    id: Uuid,
) -> AppResult<event::Model> {
    event::Entity::find_by_id(id)
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or_else(|| match field {
            Some(field) => AppError::unknown(field, "event", id),
            None => AppError::not_found("event", id),
        })
}

/// Seats of an event's registrations, by status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Seats {
    pub confirmed: i32,
    pub waitlisted: i32,
    pub checked_in: i32,
}

impl Seats {
    /// Seats still free; `None` for an event without a capacity (unlimited).
    pub fn remaining(self, capacity: Option<i32>) -> Option<i32> {
        capacity.map(|c| (c - self.confirmed).max(0))
    }

    /// Whether `seats` more fit.
    pub fn fit(self, capacity: Option<i32>, seats: i32) -> bool {
        self.remaining(capacity).is_none_or(|free| seats <= free)
    }
}

/// The seats of several events, in one statement.
pub async fn seats_of(
    conn: &impl ConnectionTrait,
    event_ids: impl IntoIterator<Item = Uuid>,
) -> AppResult<HashMap<Uuid, Seats>> {
    let rows: Vec<(Uuid, String, Option<i64>, Option<i64>)> = registration::Entity::find()
        .select_only()
        .column(registration::Column::EventId)
        .column(registration::Column::Status)
        .column_as(registration::Column::Seats.sum(), "seats")
        .column_as(
            Expr::cust("SUM(CASE WHEN checked_in_at IS NOT NULL THEN seats ELSE 0 END)"),
            "checked_in",
        )
        .filter(registration::Column::EventId.is_in(event_ids))
        .filter(registration::Column::Status.ne(RegistrationStatus::Cancelled.as_str()))
        .group_by(registration::Column::EventId)
        .group_by(registration::Column::Status)
        .into_tuple()
        .all(conn)
        .await?;
    let mut out: HashMap<Uuid, Seats> = HashMap::new();
    for (event_id, status, seats, checked_in) in rows {
        let entry = out.entry(event_id).or_default();
        let seats = i32::try_from(seats.unwrap_or(0)).unwrap_or(i32::MAX);
        if status == RegistrationStatus::Confirmed.as_str() {
            entry.confirmed += seats;
            entry.checked_in += i32::try_from(checked_in.unwrap_or(0)).unwrap_or(i32::MAX);
        } else {
            entry.waitlisted += seats;
        }
    }
    Ok(out)
}

/// The seats of one event.
pub async fn seats(conn: &impl ConnectionTrait, event_id: Uuid) -> AppResult<Seats> {
    Ok(seats_of(conn, [event_id])
        .await?
        .remove(&event_id)
        .unwrap_or_default())
}

/// The event's waitlist, in line.
pub async fn waitlist(
    conn: &impl ConnectionTrait,
    event_id: Uuid,
) -> AppResult<Vec<registration::Model>> {
    Ok(registration::Entity::find()
        .filter(registration::Column::EventId.eq(event_id))
        .filter(registration::Column::Status.eq(RegistrationStatus::Waitlisted.as_str()))
        .order_by_asc(registration::Column::WaitlistPosition)
        .order_by_asc(registration::Column::CreatedAt)
        .all(conn)
        .await?)
}

/// The next place in line (one statement, whatever the length of the line).
pub async fn next_position(conn: &impl ConnectionTrait, event_id: Uuid) -> AppResult<i32> {
    let last: Option<Option<i32>> = registration::Entity::find()
        .select_only()
        .column_as(registration::Column::WaitlistPosition.max(), "last")
        .filter(registration::Column::EventId.eq(event_id))
        .filter(registration::Column::Status.eq(RegistrationStatus::Waitlisted.as_str()))
        .into_tuple()
        .one(conn)
        .await?;
    Ok(last.flatten().unwrap_or(0) + 1)
}

/// After seats were freed (a cancellation, a bigger capacity): lets in the waitlisted
/// registrations that fit, in arrival order (see `domain::promotions`), and closes up the
/// positions of those still waiting (1..n, no gaps). The event must be locked. Returns the
/// promoted registrations.
pub async fn promote(txn: &impl ConnectionTrait, event: &event::Model) -> AppResult<Vec<Uuid>> {
    let line = waitlist(txn, event.id).await?;
    if line.is_empty() {
        return Ok(Vec::new());
    }
    let free = seats(txn, event.id)
        .await?
        .remaining(event.capacity)
        .unwrap_or(i32::MAX);
    let entries: Vec<(Uuid, i32)> = line.iter().map(|r| (r.id, r.seats)).collect();
    let promoted = promotions(free, &entries);
    if !promoted.is_empty() {
        registration::Entity::update_many()
            .col_expr(
                registration::Column::Status,
                Expr::value(RegistrationStatus::Confirmed.as_str()),
            )
            .col_expr(
                registration::Column::WaitlistPosition,
                Expr::value(Option::<i32>::None),
            )
            .filter(registration::Column::Id.is_in(promoted.iter().copied()))
            .exec(txn)
            .await?;
    }
    let still: Vec<&registration::Model> =
        line.iter().filter(|r| !promoted.contains(&r.id)).collect();
    close_up(txn, &still).await?;
    Ok(promoted)
}

/// Renumbers a waitlist 1..n in its order.
pub async fn close_up(txn: &impl ConnectionTrait, line: &[&registration::Model]) -> AppResult<()> {
    for (i, r) in line.iter().enumerate() {
        let position = i32::try_from(i + 1).unwrap_or(i32::MAX);
        if r.waitlist_position != Some(position) {
            registration::Entity::update_many()
                .col_expr(
                    registration::Column::WaitlistPosition,
                    Expr::value(position),
                )
                .filter(registration::Column::Id.eq(r.id))
                .exec(txn)
                .await?;
        }
    }
    Ok(())
}

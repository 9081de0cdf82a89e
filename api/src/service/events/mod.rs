//! Events: programmes (an event and its sessions), series, and what they hold. An event
//! reserves its spaces through the booking rules (`reservations`), in its own transaction;
//! moving it moves its bookings, cancelling it frees them and cancels its registrations (and
//! its sessions). Registrations and their seats are in `registrations` and `seats`.

pub mod calendar;
pub mod gdpr;
pub mod payments;
pub mod queries;
pub mod registrations;
mod reservations;
pub mod seats;

use chrono::{DateTime, Utc};
use lieu_entity::{booking, event, event_space, space};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

pub use queries::{EventFilter, find_event, get_event, list_events};

use crate::db;
use crate::domain::{
    Actor, EventCategory, EventPrices, EventStatus, Money, Name, Recurrence, StoredEnum, TimeRange,
};
use crate::error::{AppError, AppResult};
use crate::service::activity::{ActivityBus, ActivityKind};
use crate::service::sites;

/// The longest event (a two-week festival; a residency is a booking).
pub const MAX_EVENT_DAYS: i64 = 31;

/// A validated event.
pub struct NewEvent {
    pub title: Name,
    pub description: Option<String>,
    pub category: EventCategory,
    pub range: TimeRange,
    pub space_ids: Vec<Uuid>,
    /// `None`: unlimited.
    pub capacity: Option<i32>,
    pub public: bool,
    pub prices: EventPrices,
    /// The programme this event is a session of.
    pub parent_id: Option<Uuid>,
}

/// What an update changes; `None` leaves a field as it is.
#[derive(Default)]
pub struct EventChanges {
    pub title: Option<Name>,
    /// `Some(None)` clears it.
    pub description: Option<Option<String>>,
    pub category: Option<EventCategory>,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    pub space_ids: Option<Vec<Uuid>>,
    /// `Some(None)`: unlimited.
    pub capacity: Option<Option<i32>>,
    pub public: Option<bool>,
    /// Each `Some(None)` clears that price.
    pub price: Option<Option<Money>>,
    pub member_price: Option<Option<Money>>,
    pub min_price: Option<Option<Money>>,
}

pub fn status_of(model: &event::Model) -> AppResult<EventStatus> {
    EventStatus::from_stored("events.status", &model.status)
}

pub fn category_of(model: &event::Model) -> AppResult<EventCategory> {
    EventCategory::from_stored("events.category", &model.category)
}

pub fn prices_of(model: &event::Model) -> EventPrices {
    EventPrices {
        price: model.price_cents.map(Money::from_cents),
        member_price: model.member_price_cents.map(Money::from_cents),
        min_price: model.min_price_cents.map(Money::from_cents),
    }
}

/// A capacity within the seats of the event's spaces (unlimited when the event has none).
fn check_capacity(capacity: Option<i32>, spaces: &[space::Model]) -> AppResult<()> {
    let Some(capacity) = capacity else {
        return Ok(());
    };
    if capacity < 1 {
        return Err(AppError::validation(
            "capacity",
            "must be at least 1 (leave it out for unlimited)",
        ));
    }
    let room: i32 = spaces.iter().map(|s| s.capacity).sum();
    if !spaces.is_empty() && capacity > room {
        return Err(AppError::validation(
            "capacity",
            format!("{capacity} seats do not fit: its spaces hold {room}"),
        ));
    }
    Ok(())
}

/// The parent of a session: scheduled, not itself a session, and spanning the session.
async fn check_parent(
    txn: &impl ConnectionTrait,
    parent_id: Uuid,
    range: TimeRange,
) -> AppResult<event::Model> {
    let parent = seats::lock_event(txn, Some("parentId"), parent_id).await?;
    if parent.parent_id.is_some() {
        return Err(AppError::validation(
            "parentId",
            format!(
                "'{}' is itself a session: a programme has one level of sessions",
                parent.title
            ),
        ));
    }
    if status_of(&parent)? == EventStatus::Cancelled {
        return Err(AppError::InvalidState(format!(
            "'{}' is cancelled: it takes no new sessions",
            parent.title
        )));
    }
    if range.start < parent.starts_at || range.end > parent.ends_at {
        return Err(AppError::validation(
            "start",
            format!(
                "a session lies within its programme, '{}' ({} to {})",
                parent.title,
                parent.starts_at.to_rfc3339(),
                parent.ends_at.to_rfc3339()
            ),
        ));
    }
    Ok(parent)
}

/// Creates an event and reserves its spaces. MANAGER (the resolver's guard).
pub async fn create_event(
    conn: &DatabaseConnection,
    bus: &ActivityBus,
    now: DateTime<Utc>,
    actor: Actor,
    input: NewEvent,
) -> AppResult<event::Model> {
    let mut created = create(conn, bus, now, actor, input, None).await?;
    Ok(created.remove(0))
}

/// Creates every occurrence of a series, each an event with its own registrations, or none:
/// BOOKING_CONFLICT lists every occurrence in the way.
pub async fn create_series(
    conn: &DatabaseConnection,
    bus: &ActivityBus,
    now: DateTime<Utc>,
    actor: Actor,
    input: NewEvent,
    recurrence: Recurrence,
) -> AppResult<Vec<event::Model>> {
    if input.parent_id.is_some() {
        return Err(AppError::validation(
            "parentId",
            "a series is not a session: create its occurrences' sessions one by one",
        ));
    }
    create(conn, bus, now, actor, input, Some(recurrence)).await
}

async fn create(
    conn: &DatabaseConnection,
    bus: &ActivityBus,
    now: DateTime<Utc>,
    actor: Actor,
    input: NewEvent,
    recurrence: Option<Recurrence>,
) -> AppResult<Vec<event::Model>> {
    let txn = db::begin_write(conn).await?;
    let parent = match input.parent_id {
        Some(id) => Some(check_parent(&txn, id, input.range).await?),
        None => None,
    };
    let spaces = reservations::check_spaces(&txn, &input.space_ids).await?;
    check_capacity(input.capacity, &spaces)?;
    let site = match (spaces.first(), &parent) {
        (Some(space), _) => sites::get_site(&txn, space.site_id).await?,
        (None, Some(parent)) => sites::get_site(&txn, parent.site_id).await?,
        (None, None) => sites::default_site(&txn).await?,
    };
    let tz = sites::timezone_of(&site)?;
    let ranges = match recurrence {
        Some(rule) => rule.occurrences(input.range, tz)?,
        None => vec![input.range],
    };
    let plans = reservations::plans(&txn, &input.title, &spaces, input.range, recurrence).await?;
    reservations::refuse_conflicts(&txn, &plans, &[], actor, now).await?;

    let series_id = recurrence.map(|_| Uuid::new_v4());
    let events: Vec<event::Model> = ranges
        .iter()
        .map(|range| event::Model {
            id: Uuid::new_v4(),
            site_id: site.id,
            parent_id: input.parent_id,
            series_id,
            title: input.title.as_str().to_string(),
            description: input.description.clone(),
            category: input.category.as_str().to_string(),
            starts_at: range.start,
            ends_at: range.end,
            capacity: input.capacity,
            public: input.public,
            price_cents: input.prices.price.map(Money::cents),
            member_price_cents: input.prices.member_price.map(Money::cents),
            min_price_cents: input.prices.min_price.map(Money::cents),
            status: EventStatus::Scheduled.as_str().to_string(),
            sequence: 0,
            cancelled_at: None,
            cancel_reason: None,
            created_by: actor.user_id(),
            created_at: now,
            updated_at: now,
        })
        .collect();
    for chunk in events.chunks(200) {
        event::Entity::insert_many(chunk.iter().map(|e| e.clone().into_active_model()))
            .exec_without_returning(&txn)
            .await?;
    }
    let links: Vec<event_space::ActiveModel> = events
        .iter()
        .flat_map(|e| {
            spaces.iter().map(|s| event_space::ActiveModel {
                event_id: Set(e.id),
                space_id: Set(s.id),
            })
        })
        .collect();
    for chunk in links.chunks(500) {
        event_space::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    let event_of = |i: usize| events.get(i).map(|e| e.id);
    let held = reservations::hold(
        &txn,
        conn,
        now,
        actor,
        &plans,
        input.title.as_str(),
        event_of,
    )
    .await?;
    let made = ActivityKind::BookingCreated;
    let news = reservations::booking_news(&txn, made, now, &held, Some(tz)).await?;
    for event in &events {
        crate::service::audit::created("Event", event.id, event);
    }
    bus.commit(txn, news).await?;
    tracing::info!(count = events.len(), "event created");
    Ok(events)
}

/// Changes an event that is not cancelled. New times or spaces move its bookings through the
/// booking rules (its own old slots aside); a session stays within its programme and a
/// programme keeps its sessions within it; a capacity below the seats already confirmed is
/// refused, a bigger one lets the waitlist in.
pub async fn update_event(
    conn: &DatabaseConnection,
    bus: &ActivityBus,
    now: DateTime<Utc>,
    actor: Actor,
    id: Uuid,
    changes: EventChanges,
) -> AppResult<event::Model> {
    let txn = db::begin_write(conn).await?;
    let current = seats::lock_event(&txn, None, id).await?;
    if status_of(&current)? == EventStatus::Cancelled {
        return Err(AppError::InvalidState(
            "this event is cancelled: create a new one instead".into(),
        ));
    }
    let range = TimeRange::new(
        changes.start.unwrap_or(current.starts_at),
        changes.end.unwrap_or(current.ends_at),
        chrono::Duration::days(MAX_EVENT_DAYS),
        "end",
    )?;
    let moved = range.start != current.starts_at || range.end != current.ends_at;
    let title = match &changes.title {
        Some(title) => title.clone(),
        None => Name::parse("title", &current.title)?,
    };
    if moved {
        if let Some(parent_id) = current.parent_id {
            check_parent(&txn, parent_id, range).await?;
        }
        let outside = queries::sessions_of(&txn, [id])
            .await?
            .remove(&id)
            .unwrap_or_default()
            .into_iter()
            .filter(|s| s.status == EventStatus::Scheduled.as_str())
            .find(|s| s.starts_at < range.start || s.ends_at > range.end);
        if let Some(session) = outside {
            return Err(AppError::validation(
                "start",
                format!(
                    "its session '{}' would lie outside it: move or cancel that session first",
                    session.title
                ),
            ));
        }
    }
    let space_ids = match &changes.space_ids {
        Some(ids) => ids.clone(),
        None => queries::space_ids_of(&txn, id).await?,
    };
    let spaces = reservations::check_spaces(&txn, &space_ids).await?;
    let capacity = changes.capacity.unwrap_or(current.capacity);
    check_capacity(capacity, &spaces)?;
    let confirmed = seats::seats(&txn, id).await?.confirmed;
    if capacity.is_some_and(|c| c < confirmed) {
        return Err(AppError::InvalidState(format!(
            "{confirmed} seats are already confirmed: cancel registrations before lowering the capacity"
        )));
    }
    if let Some(site) = spaces.first().map(|s| s.site_id)
        && site != current.site_id
    {
        return Err(AppError::validation(
            "spaceIds",
            "an event stays on its site: cancel it and create it on the other one",
        ));
    }
    let mut wanted: Vec<Uuid> = spaces.iter().map(|s| s.id).collect();
    let mut held = queries::space_ids_of(&txn, id).await?;
    wanted.sort();
    held.sort();
    let mut news = Vec::new();
    if moved || wanted != held {
        let (released, held) =
            rebook(&txn, conn, now, actor, &current, &title, &spaces, range).await?;
        let (gone, made) = (ActivityKind::BookingCancelled, ActivityKind::BookingCreated);
        news = reservations::booking_news(&txn, gone, now, &released, None).await?;
        news.extend(reservations::booking_news(&txn, made, now, &held, None).await?);
    } else if changes.title.is_some() {
        reservations::retitle(&txn, id, title.as_str()).await?;
    }

    let prices = EventPrices::new(
        changes
            .price
            .unwrap_or(current.price_cents.map(Money::from_cents)),
        changes
            .member_price
            .unwrap_or(current.member_price_cents.map(Money::from_cents)),
        changes
            .min_price
            .unwrap_or(current.min_price_cents.map(Money::from_cents)),
    )?;
    let mut row = current.clone().into_active_model();
    row.title = Set(title.into_inner());
    if let Some(description) = changes.description {
        row.description = Set(description);
    }
    if let Some(category) = changes.category {
        row.category = Set(category.as_str().to_string());
    }
    row.starts_at = Set(range.start);
    row.ends_at = Set(range.end);
    row.capacity = Set(capacity);
    if let Some(public) = changes.public {
        row.public = Set(public);
    }
    row.price_cents = Set(prices.price.map(Money::cents));
    row.member_price_cents = Set(prices.member_price.map(Money::cents));
    row.min_price_cents = Set(prices.min_price.map(Money::cents));
    row.sequence = Set(current.sequence + 1);
    row.updated_at = Set(now);
    let updated = row.update(&txn).await?;
    seats::promote(&txn, &updated).await?;
    bus.commit(txn, news).await?;
    Ok(updated)
}

/// Moves an event's bookings to `range` in `spaces`: the old ones are released, new ones made
/// through the booking rules, the event's own old slots aside.
#[allow(clippy::too_many_arguments)]
async fn rebook(
    txn: &sea_orm::DatabaseTransaction,
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    actor: Actor,
    event: &event::Model,
    title: &Name,
    spaces: &[space::Model],
    range: TimeRange,
) -> AppResult<(Vec<booking::Model>, Vec<booking::Model>)> {
    let own: Vec<Uuid> = reservations::active_bookings(txn, &[event.id])
        .await?
        .iter()
        .map(|b| b.id)
        .collect();
    let plans = reservations::plans(txn, title, spaces, range, None).await?;
    reservations::refuse_conflicts(txn, &plans, &own, actor, now).await?;
    let released = reservations::release(txn, now, &[event.id], "the event moved").await?;
    event_space::Entity::delete_many()
        .filter(event_space::Column::EventId.eq(event.id))
        .exec(txn)
        .await?;
    if !spaces.is_empty() {
        event_space::Entity::insert_many(spaces.iter().map(|s| event_space::ActiveModel {
            event_id: Set(event.id),
            space_id: Set(s.id),
        }))
        .exec_without_returning(txn)
        .await?;
    }
    let held = reservations::hold(txn, conn, now, actor, &plans, title.as_str(), |_| {
        Some(event.id)
    })
    .await?;
    Ok((released, held))
}

/// Cancels an event with a reason: its bookings are freed, its registrations cancelled, and
/// the same for its sessions. INVALID_STATE when already cancelled.
pub async fn cancel_event(
    conn: &DatabaseConnection,
    bus: &ActivityBus,
    now: DateTime<Utc>,
    actor: Actor,
    id: Uuid,
    reason: Option<String>,
    refund: Option<bool>,
) -> AppResult<event::Model> {
    let txn = db::begin_write(conn).await?;
    let current = seats::lock_event(&txn, None, id).await?;
    if status_of(&current)? == EventStatus::Cancelled {
        return Err(AppError::InvalidState(
            "this event is already cancelled".into(),
        ));
    }
    let mut ids = vec![id];
    ids.extend(
        queries::sessions_of(&txn, [id])
            .await?
            .remove(&id)
            .unwrap_or_default()
            .into_iter()
            .filter(|s| s.status == EventStatus::Scheduled.as_str())
            .map(|s| s.id),
    );
    payments::settle_paid(&txn, now, actor, &ids, refund).await?;
    let released = cancel_all(&txn, now, &ids, reason.as_deref()).await?;
    let cancelled = get_event(&txn, id).await?;
    let gone = ActivityKind::BookingCancelled;
    let news = reservations::booking_news(&txn, gone, now, &released, None).await?;
    bus.commit(txn, news).await?;
    tracing::info!(event_id = %id, sessions = ids.len() - 1, "event cancelled");
    Ok(cancelled)
}

/// Cancels the occurrences of a series that start at or after `from` (all still scheduled
/// when `None`), with their sessions, in one transaction.
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
) -> AppResult<Vec<event::Model>> {
    let txn = db::begin_write(conn).await?;
    let mut query = event::Entity::find().filter(event::Column::SeriesId.eq(series_id));
    let all = query.clone().all(&txn).await?;
    if all.is_empty() {
        return Err(AppError::not_found("series", series_id));
    }
    query = query.filter(event::Column::Status.eq(EventStatus::Scheduled.as_str()));
    if let Some(from) = from {
        query = query.filter(event::Column::StartsAt.gte(from));
    }
    let occurrences = query
        .order_by_asc(event::Column::StartsAt)
        .lock_exclusive()
        .all(&txn)
        .await?;
    if occurrences.is_empty() {
        return Err(AppError::InvalidState(
            "no occurrence of this series is left to cancel".into(),
        ));
    }
    let mut ids: Vec<Uuid> = occurrences.iter().map(|e| e.id).collect();
    for sessions in queries::sessions_of(&txn, ids.clone()).await?.into_values() {
        ids.extend(
            sessions
                .into_iter()
                .filter(|s| s.status == EventStatus::Scheduled.as_str())
                .map(|s| s.id),
        );
    }
    payments::settle_paid(&txn, now, actor, &ids, refund).await?;
    let released = cancel_all(&txn, now, &ids, reason.as_deref()).await?;
    let cancelled = event::Entity::find()
        .filter(event::Column::Id.is_in(occurrences.iter().map(|e| e.id)))
        .order_by_asc(event::Column::StartsAt)
        .all(&txn)
        .await?;
    let gone = ActivityKind::BookingCancelled;
    let news = reservations::booking_news(&txn, gone, now, &released, None).await?;
    bus.commit(txn, news).await?;
    Ok(cancelled)
}

/// Cancels events (already locked or new to the caller): status, bookings, registrations.
/// Returns the bookings freed.
async fn cancel_all(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    ids: &[Uuid],
    reason: Option<&str>,
) -> AppResult<Vec<booking::Model>> {
    event::Entity::update_many()
        .col_expr(
            event::Column::Status,
            Expr::value(EventStatus::Cancelled.as_str()),
        )
        .col_expr(event::Column::CancelledAt, Expr::value(now))
        .col_expr(event::Column::CancelReason, Expr::value(reason))
        .col_expr(
            event::Column::Sequence,
            Expr::col(event::Column::Sequence).add(1),
        )
        .col_expr(event::Column::UpdatedAt, Expr::value(now))
        .filter(event::Column::Id.is_in(ids.iter().copied()))
        .exec(txn)
        .await?;
    let released = reservations::release(txn, now, ids, "the event was cancelled").await?;
    registrations::cancel_all_of(txn, now, ids).await?;
    Ok(released)
}

/// The event a booking reserves its space for, when it is an event's: such a booking changes
/// with its event only.
pub fn refuse_event_booking(event_id: Option<Uuid>) -> AppResult<()> {
    match event_id {
        Some(id) => Err(AppError::InvalidState(format!(
            "this booking holds the space for event {id}: change or cancel the event instead"
        ))),
        None => Ok(()),
    }
}

//! How an event holds its spaces: one booking per space (and per occurrence of a series),
//! through the booking rules of `service::bookings`, in the event's own transaction: an event
//! never overlaps a booking or another event in its spaces, their parents or their parts.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use lieu_entity::{booking, space};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::domain::{Actor, BookingStatus, Name, Recurrence, TimeRange};
use crate::error::{AppError, AppResult};
use crate::service::activity::{Activity, ActivityKind, summary};
use crate::service::bookings::space_tree::{self, SpaceTree};
use crate::service::bookings::{self, NewBooking, Plan, Spec, blocks, spaces};

/// The spaces an event takes place in: each exists and is bookable, all on one site, none
/// inside another (booking a hall already holds its halves).
pub async fn check_spaces(
    conn: &impl ConnectionTrait,
    space_ids: &[Uuid],
) -> AppResult<Vec<space::Model>> {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(space_ids.len());
    for id in space_ids {
        if !seen.insert(*id) {
            continue;
        }
        let space = spaces::get_space(conn, "spaceIds", *id).await?;
        if space.archived_at.is_some() {
            return Err(AppError::InvalidState(format!(
                "{} is archived: an event cannot take place there",
                space.name
            )));
        }
        out.push(space);
    }
    if let Some(first) = out.first() {
        if let Some(other) = out.iter().find(|s| s.site_id != first.site_id) {
            return Err(AppError::validation(
                "spaceIds",
                format!(
                    "{} and {} are on two sites: an event is on one",
                    first.name, other.name
                ),
            ));
        }
        let tree = SpaceTree::load(conn, first.site_id).await?;
        for a in &out {
            if let Some(b) = out
                .iter()
                .find(|b| b.id != a.id && tree.ancestors(b.id).contains(&a.id))
            {
                return Err(AppError::validation(
                    "spaceIds",
                    format!(
                        "{} is part of {}: booking {} already holds it",
                        b.name, a.name, a.name
                    ),
                ));
            }
        }
    }
    Ok(out)
}

/// The booking plans of an event in `spaces` over `range` (and its recurrence), priced at
/// nothing: tickets pay for events. Each space is locked against hierarchy changes first.
pub async fn plans(
    txn: &impl ConnectionTrait,
    title: &Name,
    spaces: &[space::Model],
    range: TimeRange,
    recurrence: Option<Recurrence>,
) -> AppResult<Vec<Plan>> {
    let mut out = Vec::with_capacity(spaces.len());
    for space in spaces {
        space_tree::lock_for_booking(txn, space.id).await?;
        let input = NewBooking {
            space_id: space.id,
            range,
            title: title.clone(),
            booker: None,
            tier: None,
            attendees: None,
            notes: None,
            pricing: crate::service::bookings::Pricing::VenueUse,
        };
        out.push(bookings::plan(txn, &input, recurrence).await?);
    }
    Ok(out)
}

/// What an event's bookings say: its title, CONFIRMED (a manager made it), never a booker.
fn spec(title: &str) -> Spec<'_> {
    Spec {
        title,
        booker: None,
        attendees: None,
        notes: None,
        status: BookingStatus::Confirmed,
        series_id: None,
    }
}

/// Writes the bookings of `plans` for the events, inside the caller's transaction: the `i`-th
/// occurrence's bookings are `event_of(i)`'s. A concurrent writer that took a slot first makes
/// the write fail with what is in the way now (the caller's transaction is then refused whole).
pub async fn hold(
    txn: &impl ConnectionTrait,
    conn: &sea_orm::DatabaseConnection,
    now: DateTime<Utc>,
    actor: Actor,
    plans: &[Plan],
    title: &str,
    event_of: impl Fn(usize) -> Option<Uuid>,
) -> AppResult<Vec<booking::Model>> {
    let spec = spec(title);
    let rows: Vec<Vec<booking::Model>> = plans
        .iter()
        .map(|plan| bookings::rows(plan, &spec, now, actor, &event_of))
        .collect();
    let written: Vec<_> = plans
        .iter()
        .zip(&rows)
        .map(|(p, r)| (p, r.as_slice()))
        .collect();
    if let Err(lost) = bookings::write(txn, &written).await {
        let plans: Vec<_> = plans.iter().collect();
        return Err(lost.refusal(conn, &plans).await);
    }
    Ok(rows.into_iter().flatten().collect())
}

/// Checks that `plans` are free (the event's own current bookings aside) for `actor`.
pub async fn refuse_conflicts(
    txn: &impl ConnectionTrait,
    plans: &[Plan],
    own: &[Uuid],
    actor: Actor,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let mut conflicts = Vec::new();
    for plan in plans {
        plan.check_days(actor, now)?;
        conflicts
            .extend(blocks::conflicts(txn, &plan.occupies, &plan.wanted(), own, plan.tz).await?);
    }
    blocks::refuse_if_any(conflicts)
}

/// The active bookings that hold an event's spaces.
pub async fn active_bookings(
    conn: &impl ConnectionTrait,
    event_ids: &[Uuid],
) -> AppResult<Vec<booking::Model>> {
    Ok(booking::Entity::find()
        .filter(booking::Column::EventId.is_in(event_ids.iter().copied()))
        .filter(booking::Column::Status.ne(BookingStatus::Cancelled.as_str()))
        .order_by_asc(booking::Column::StartsAt)
        .all(conn)
        .await?)
}

/// Frees the spaces of these events: their bookings are cancelled (kept, for history) and
/// their blocks removed. Returns them (as they were).
pub async fn release(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    event_ids: &[Uuid],
    reason: &str,
) -> AppResult<Vec<booking::Model>> {
    let held = active_bookings(txn, event_ids).await?;
    let ids: Vec<Uuid> = held.iter().map(|b| b.id).collect();
    bookings::cancel_many(txn, now, &ids, Some(reason)).await?;
    Ok(held)
}

/// The activity of an event's bookings made or cancelled (`tz` dates the new ones), their
/// spaces' names read in one statement.
pub async fn booking_news(
    txn: &impl ConnectionTrait,
    kind: ActivityKind,
    now: DateTime<Utc>,
    held: &[booking::Model],
    tz: Option<chrono_tz::Tz>,
) -> AppResult<Vec<Activity>> {
    if held.is_empty() {
        return Ok(Vec::new());
    }
    let names: HashMap<Uuid, String> = space::Entity::find()
        .filter(space::Column::Id.is_in(held.iter().map(|b| b.space_id)))
        .all(txn)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    Ok(held
        .iter()
        .map(|b| {
            let name = names.get(&b.space_id).map_or("a space", String::as_str);
            summary::booking(kind, now, b, name, tz)
        })
        .collect())
}

/// An event's new title on the bookings that hold its spaces.
pub async fn retitle(txn: &impl ConnectionTrait, event_id: Uuid, title: &str) -> AppResult<()> {
    booking::Entity::update_many()
        .col_expr(booking::Column::Title, Expr::value(title))
        .filter(booking::Column::EventId.eq(event_id))
        .exec(txn)
        .await?;
    Ok(())
}

//! Reading events: one by id, filtered pages, and the relations lists show (spaces,
//! sessions), each in one statement for many events.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use lieu_entity::{event, event_space, space};
use sea_orm::sea_query::Query;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Select,
};
use uuid::Uuid;

use crate::db::pages::{self, by_start};
use crate::db::window_bounds::{self, Spanned};
use crate::domain::{EventCategory, EventStatus, Slice, Window};
use crate::error::{AppError, AppResult};

pub async fn find_event(conn: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<event::Model>> {
    Ok(event::Entity::find_by_id(id).one(conn).await?)
}

pub async fn get_event(conn: &impl ConnectionTrait, id: Uuid) -> AppResult<event::Model> {
    find_event(conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("event", id))
}

pub async fn events_by_ids(
    conn: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> AppResult<Vec<event::Model>> {
    Ok(event::Entity::find()
        .filter(event::Column::Id.is_in(ids))
        .all(conn)
        .await?)
}

/// Which events a list shows. Times select events that overlap `[from, to)`.
#[derive(Clone, Debug, Default)]
pub struct EventFilter {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// Public and scheduled ones only (always, for anonymous callers).
    pub public_only: bool,
    pub category: Option<EventCategory>,
    pub site_id: Option<Uuid>,
    pub space_id: Option<Uuid>,
    /// The sessions of this programme.
    pub parent_id: Option<Uuid>,
    pub series_id: Option<Uuid>,
    pub status: Option<EventStatus>,
}

/// One page of events by start, and how many match in all if the window asks.
pub async fn list_events(
    conn: &impl ConnectionTrait,
    filter: &EventFilter,
    window: Window,
) -> AppResult<Slice<event::Model>> {
    let query = matching(conn, filter).await?;
    Ok(pages::read(
        conn,
        query,
        window,
        event::Column::StartsAt,
        event::Column::Id,
    )
    .await?)
}

/// The events `filter` selects. A window's lower end also bounds `starts_at` by the longest
/// event, so that the `starts_at` indexes serve "overlaps this window" (see
/// [`window_bounds`]).
pub async fn matching(
    conn: &impl ConnectionTrait,
    filter: &EventFilter,
) -> AppResult<Select<event::Entity>> {
    let mut condition = Condition::all();
    if let Some(from) = filter.from {
        let earliest = window_bounds::earliest_start(conn, Spanned::Events, from).await?;
        condition = condition
            .add(event::Column::StartsAt.gte(earliest))
            .add(event::Column::EndsAt.gt(from));
    }
    if let Some(to) = filter.to {
        condition = condition.add(event::Column::StartsAt.lt(to));
    }
    if filter.public_only {
        condition = condition
            .add(event::Column::Public.eq(true))
            .add(event::Column::Status.eq(EventStatus::Scheduled.as_str()));
    }
    if let Some(status) = filter.status {
        condition = condition.add(event::Column::Status.eq(status.as_str()));
    }
    if let Some(category) = filter.category {
        condition = condition.add(event::Column::Category.eq(category.as_str()));
    }
    for (column, value) in [
        (event::Column::SiteId, filter.site_id),
        (event::Column::ParentId, filter.parent_id),
        (event::Column::SeriesId, filter.series_id),
    ] {
        if let Some(value) = value {
            condition = condition.add(column.eq(value));
        }
    }
    if let Some(space_id) = filter.space_id {
        condition = condition.add(
            event::Column::Id.in_subquery(
                Query::select()
                    .column(event_space::Column::EventId)
                    .from(event_space::Entity)
                    .and_where(event_space::Column::SpaceId.eq(space_id))
                    .to_owned(),
            ),
        );
    }
    Ok(event::Entity::find().filter(condition))
}

/// The rows of `window` among `query`'s, by start then id (the keyset cursors' order).
pub fn page(query: Select<event::Entity>, window: Window) -> Select<event::Entity> {
    by_start(query, window, event::Column::StartsAt, event::Column::Id)
}

/// The sessions of several programmes, by start.
pub async fn sessions_of(
    conn: &impl ConnectionTrait,
    parent_ids: impl IntoIterator<Item = Uuid>,
) -> AppResult<HashMap<Uuid, Vec<event::Model>>> {
    let rows = event::Entity::find()
        .filter(event::Column::ParentId.is_in(parent_ids))
        .order_by_asc(event::Column::StartsAt)
        .order_by_asc(event::Column::Id)
        .all(conn)
        .await?;
    let mut out: HashMap<Uuid, Vec<event::Model>> = HashMap::new();
    for row in rows {
        if let Some(parent) = row.parent_id {
            out.entry(parent).or_default().push(row);
        }
    }
    Ok(out)
}

/// The spaces of several events, by name.
pub async fn spaces_of(
    conn: &impl ConnectionTrait,
    event_ids: impl IntoIterator<Item = Uuid>,
) -> AppResult<HashMap<Uuid, Vec<space::Model>>> {
    let links = event_space::Entity::find()
        .filter(event_space::Column::EventId.is_in(event_ids))
        .all(conn)
        .await?;
    let spaces: HashMap<Uuid, space::Model> = space::Entity::find()
        .filter(space::Column::Id.is_in(links.iter().map(|l| l.space_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let mut out: HashMap<Uuid, Vec<space::Model>> = HashMap::new();
    for link in links {
        if let Some(space) = spaces.get(&link.space_id) {
            out.entry(link.event_id).or_default().push(space.clone());
        }
    }
    for list in out.values_mut() {
        list.sort_by(|a, b| a.name.cmp(&b.name));
    }
    Ok(out)
}

/// The ids of one event's spaces.
pub async fn space_ids_of(conn: &impl ConnectionTrait, event_id: Uuid) -> AppResult<Vec<Uuid>> {
    Ok(event_space::Entity::find()
        .select_only()
        .column(event_space::Column::SpaceId)
        .filter(event_space::Column::EventId.eq(event_id))
        .into_tuple()
        .all(conn)
        .await?)
}

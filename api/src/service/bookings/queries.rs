//! Reading bookings: one by id, and filtered, paginated lists.

use chrono::{DateTime, Utc};
use lieu_entity::booking;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Select};
use uuid::Uuid;

use crate::db::pages::{self, by_start};
use crate::db::window_bounds::{self, Spanned};
use crate::domain::BookingStatus;
use crate::domain::{Slice, Window};
use crate::error::AppResult;

pub async fn find_booking(
    conn: &impl ConnectionTrait,
    id: Uuid,
) -> AppResult<Option<booking::Model>> {
    Ok(booking::Entity::find_by_id(id).one(conn).await?)
}

/// Which bookings a list shows. Times select bookings that overlap `[from, to)`.
#[derive(Clone, Debug, Default)]
pub struct BookingFilter {
    pub space_id: Option<Uuid>,
    pub site_id: Option<Uuid>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub status: Option<BookingStatus>,
    pub person_id: Option<Uuid>,
    pub organization_id: Option<Uuid>,
    pub series_id: Option<Uuid>,
}

/// One page of bookings by start time, and how many match in all if the window asks.
pub async fn list_bookings(
    conn: &impl ConnectionTrait,
    filter: &BookingFilter,
    window: Window,
) -> AppResult<Slice<booking::Model>> {
    let query = matching(conn, filter).await?;
    Ok(pages::read(
        conn,
        query,
        window,
        booking::Column::StartsAt,
        booking::Column::Id,
    )
    .await?)
}

/// The bookings `filter` selects. A window's lower end also bounds `starts_at` by the longest
/// booking, so that the `starts_at` indexes serve "overlaps this window" (see
/// [`window_bounds`]).
pub async fn matching(
    conn: &impl ConnectionTrait,
    filter: &BookingFilter,
) -> AppResult<Select<booking::Entity>> {
    let earliest = match filter.from {
        Some(from) => Some(window_bounds::earliest_start(conn, Spanned::Bookings, from).await?),
        None => None,
    };
    let mut query = booking::Entity::find();
    let eq = |column: booking::Column, value: Option<Uuid>| value.map(|v| column.eq(v));
    for condition in [
        eq(booking::Column::SpaceId, filter.space_id),
        eq(booking::Column::SiteId, filter.site_id),
        eq(booking::Column::PersonId, filter.person_id),
        eq(booking::Column::OrganizationId, filter.organization_id),
        eq(booking::Column::SeriesId, filter.series_id),
        earliest.map(|earliest| booking::Column::StartsAt.gte(earliest)),
        filter.from.map(|from| booking::Column::EndsAt.gt(from)),
        filter.to.map(|to| booking::Column::StartsAt.lt(to)),
        filter
            .status
            .map(|s| booking::Column::Status.eq(s.as_str())),
    ]
    .into_iter()
    .flatten()
    {
        query = query.filter(condition);
    }
    Ok(query)
}

/// The rows of `window` among `query`'s, by start then id (the keyset cursors' order).
pub fn page(query: Select<booking::Entity>, window: Window) -> Select<booking::Entity> {
    by_start(
        query,
        window,
        booking::Column::StartsAt,
        booking::Column::Id,
    )
}

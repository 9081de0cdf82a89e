//! Reading bookings: one by id, and filtered, paginated lists.

use chrono::{DateTime, Utc};
use lieu_entity::booking;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

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
    let mut query = booking::Entity::find();
    let eq = |column: booking::Column, value: Option<Uuid>| value.map(|v| column.eq(v));
    for condition in [
        eq(booking::Column::SpaceId, filter.space_id),
        eq(booking::Column::SiteId, filter.site_id),
        eq(booking::Column::PersonId, filter.person_id),
        eq(booking::Column::OrganizationId, filter.organization_id),
        eq(booking::Column::SeriesId, filter.series_id),
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
    let total = match window.count {
        true => Some(query.clone().count(conn).await?),
        false => None,
    };
    if let Some(key) = window.after {
        query = query.filter(
            Condition::any()
                .add(booking::Column::StartsAt.gt(key.at))
                .add(
                    Condition::all()
                        .add(booking::Column::StartsAt.eq(key.at))
                        .add(booking::Column::Id.gt(key.id)),
                ),
        );
    }
    let rows = query
        .order_by_asc(booking::Column::StartsAt)
        .order_by_asc(booking::Column::Id)
        .offset(window.offset)
        .limit(window.fetch_limit())
        .all(conn)
        .await?;
    Ok(Slice::from_overfetch(rows, window, total))
}

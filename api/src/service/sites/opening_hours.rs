//! When a site is open: its weekly schedule and closed dates, as stored. The arithmetic that
//! turns them into instants is `domain::opening_hours`.

use std::collections::HashMap;

use chrono::NaiveDate;
use lieu_entity::{closed_date, opening_hours};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use crate::db;
use crate::domain::{Week, WeeklyInterval};
use crate::error::AppResult;

/// Replaces a site's weekly schedule. An empty week means "no schedule": always open.
pub async fn set_week(
    conn: &DatabaseConnection,
    site_id: Uuid,
    week: Week,
) -> AppResult<Vec<opening_hours::Model>> {
    let txn = db::begin_write(conn).await?;
    super::get_site(&txn, site_id).await?;
    opening_hours::Entity::delete_many()
        .filter(opening_hours::Column::SiteId.eq(site_id))
        .exec(&txn)
        .await?;
    let mut out = Vec::with_capacity(week.intervals().len());
    for interval in week.intervals() {
        out.push(
            opening_hours::ActiveModel {
                id: Set(Uuid::new_v4()),
                site_id: Set(site_id),
                weekday: Set(interval.weekday),
                opens_minute: Set(interval.opens_minute),
                closes_minute: Set(interval.closes_minute),
            }
            .insert(&txn)
            .await?,
        );
    }
    crate::service::audit::commit(txn).await?;
    Ok(out)
}

/// The stored schedule as intervals.
pub fn intervals(rows: &[opening_hours::Model]) -> Vec<WeeklyInterval> {
    rows.iter()
        .map(|r| WeeklyInterval {
            weekday: r.weekday,
            opens_minute: r.opens_minute,
            closes_minute: r.closes_minute,
        })
        .collect()
}

/// The weekly schedules of several sites, in one query, by day and time.
pub async fn weeks_of(
    conn: &impl ConnectionTrait,
    site_ids: impl IntoIterator<Item = Uuid>,
) -> AppResult<HashMap<Uuid, Vec<opening_hours::Model>>> {
    let rows = opening_hours::Entity::find()
        .filter(opening_hours::Column::SiteId.is_in(site_ids))
        .order_by_asc(opening_hours::Column::Weekday)
        .order_by_asc(opening_hours::Column::OpensMinute)
        .all(conn)
        .await?;
    let mut out: HashMap<Uuid, Vec<_>> = HashMap::new();
    for row in rows {
        out.entry(row.site_id).or_default().push(row);
    }
    Ok(out)
}

/// Marks a local day closed (idempotent: a second call updates the reason).
pub async fn close_date(
    conn: &DatabaseConnection,
    site_id: Uuid,
    date: NaiveDate,
    reason: Option<String>,
) -> AppResult<closed_date::Model> {
    let txn = db::begin_write(conn).await?;
    super::get_site(&txn, site_id).await?;
    closed_date::Entity::delete_by_id((site_id, date))
        .exec(&txn)
        .await?;
    let model = closed_date::ActiveModel {
        site_id: Set(site_id),
        date: Set(date),
        reason: Set(reason),
    }
    .insert(&txn)
    .await?;
    crate::service::audit::commit(txn).await?;
    Ok(model)
}

/// Opens a day again. False when it was not closed.
pub async fn reopen_date(
    conn: &DatabaseConnection,
    site_id: Uuid,
    date: NaiveDate,
) -> AppResult<bool> {
    let txn = db::begin_write(conn).await?;
    super::get_site(&txn, site_id).await?;
    let deleted = closed_date::Entity::delete_by_id((site_id, date))
        .exec(&txn)
        .await?;
    crate::service::audit::commit(txn).await?;
    Ok(deleted.rows_affected > 0)
}

/// A site's closed days within `[from, to]`, in order.
pub async fn closed_dates(
    conn: &impl ConnectionTrait,
    site_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<closed_date::Model>> {
    Ok(closed_date::Entity::find()
        .filter(closed_date::Column::SiteId.eq(site_id))
        .filter(closed_date::Column::Date.gte(from))
        .filter(closed_date::Column::Date.lte(to))
        .order_by_asc(closed_date::Column::Date)
        .all(conn)
        .await?)
}

//! The public agenda as an iCalendar feed (`/ical/events.ics`): public events from 30 days
//! back to a year ahead, each with a stable UID and its SEQUENCE, so that subscribed calendars
//! update rather than duplicate; a cancelled event stays 30 days as STATUS:CANCELLED so that
//! they drop it.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use lieu_entity::event;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::queries;
use crate::db::window_bounds::{self, Spanned};
use crate::domain::EventStatus;
use crate::error::AppResult;
use crate::service::calendar::{FeedEntry, FeedStatus, render};
use crate::service::sites;

const PAST_DAYS: i64 = 30;
const AHEAD_DAYS: i64 = 366;
/// How long a cancelled event stays in the feed after its cancellation.
const CANCELLED_DAYS: i64 = 30;

pub async fn events_feed(conn: &impl ConnectionTrait, now: DateTime<Utc>) -> AppResult<String> {
    let from = now - Duration::days(PAST_DAYS);
    let earliest = window_bounds::earliest_start(conn, Spanned::Events, from).await?;
    let events = event::Entity::find()
        .filter(event::Column::Public.eq(true))
        .filter(event::Column::StartsAt.gte(earliest))
        .filter(event::Column::EndsAt.gt(from))
        .filter(event::Column::StartsAt.lt(now + Duration::days(AHEAD_DAYS)))
        .filter(
            Condition::any()
                .add(event::Column::Status.eq(EventStatus::Scheduled.as_str()))
                .add(event::Column::CancelledAt.gt(now - Duration::days(CANCELLED_DAYS))),
        )
        .order_by_asc(event::Column::StartsAt)
        .all(conn)
        .await?;
    let all_sites = sites::list_sites(conn).await?;
    let by_id: HashMap<_, _> = all_sites.iter().map(|s| (s.id, s)).collect();
    let spaces = queries::spaces_of(conn, events.iter().map(|e| e.id)).await?;
    let default = sites::default_site(conn).await?;
    let mut entries = Vec::with_capacity(events.len());
    for e in &events {
        let Some(site) = by_id.get(&e.site_id) else {
            continue;
        };
        let mut place: Vec<String> = spaces
            .get(&e.id)
            .map(|list| list.iter().map(|s| s.name.clone()).collect())
            .unwrap_or_default();
        place.push(site.name.clone());
        if let Some(address) = &site.address {
            place.push(address.clone());
        }
        entries.push(FeedEntry {
            uid: format!("event-{}@lieu", e.id),
            start: e.starts_at,
            end: e.ends_at,
            summary: e.title.clone(),
            description: e.description.clone(),
            location: Some(place.join(", ")),
            url: site.public_url.clone(),
            sequence: e.sequence,
            status: if e.status == EventStatus::Cancelled.as_str() {
                FeedStatus::Cancelled
            } else {
                FeedStatus::Confirmed
            },
            tz: sites::timezone_of(site)?,
        });
    }
    Ok(render(
        &format!("{} — agenda", default.name),
        sites::timezone_of(&default)?,
        &entries,
        now,
    ))
}

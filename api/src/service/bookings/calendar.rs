//! A space's calendar feed: its busy times, for calendar clients (rendered by
//! `service::calendar`).

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::space_tree::SpaceTree;
use super::{blocks, spaces};
use crate::domain::{BookingStatus, TimeRange};
use crate::error::AppResult;
use crate::service::calendar::{FeedEntry, FeedStatus, render};
use crate::service::sites;

/// What the public sees of a booking: the venue's language, and nothing about it.
pub const BUSY: &str = "Occupé";

/// How far back and ahead a space's feed looks.
const FEED_PAST_DAYS: i64 = 31;
const FEED_AHEAD_DAYS: i64 = 400;

/// The busy times of a space (its own bookings, its parent's, its parts'), from a month ago to
/// a year ahead. The public sees "Occupé" (busy) only; staff (`with_titles`) see titles. `None` when
/// the space does not exist.
pub async fn space_feed(
    conn: &impl ConnectionTrait,
    space_id: Uuid,
    now: DateTime<Utc>,
    with_titles: bool,
) -> AppResult<Option<String>> {
    let Some(space) = spaces::find_space(conn, space_id).await? else {
        return Ok(None);
    };
    let site = sites::get_site(conn, space.site_id).await?;
    let tz = sites::timezone_of(&site)?;
    let occupies = SpaceTree::load(conn, space.site_id)
        .await?
        .subtree(space.id);
    let window = TimeRange {
        start: now - Duration::days(FEED_PAST_DAYS),
        end: now + Duration::days(FEED_AHEAD_DAYS),
    };
    let mut seen = HashSet::new();
    let entries: Vec<FeedEntry> = blocks::blocks_near(conn, &occupies, &[window])
        .await?
        .into_iter()
        .filter(|b| seen.insert(b.booking.id))
        .map(|b| FeedEntry {
            uid: format!("{}@lieu", b.booking.id),
            start: b.booking.starts_at,
            end: b.booking.ends_at,
            summary: if with_titles {
                b.booking.title
            } else {
                BUSY.to_string()
            },
            status: if b.booking.status == BookingStatus::Pending.as_str() {
                FeedStatus::Tentative
            } else {
                FeedStatus::Confirmed
            },
            tz,
            ..FeedEntry::default()
        })
        .collect();
    Ok(Some(render(
        &format!("{} — {}", space.name, site.name),
        tz,
        &entries,
        now,
    )))
}

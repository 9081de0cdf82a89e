//! Free slots of a space: within the site's opening hours, outside every booking that
//! occupies it (its own, its parent's, its parts'), with room for the space's buffer.

use std::collections::HashSet;

use chrono::Duration;
use uuid::Uuid;

use super::opening_hours::{self, open_intervals, subtract};
use super::space_tree::SpaceTree;
use super::{booking_blocks, sites, spaces};
use crate::domain::TimeRange;
use crate::error::{AppError, AppResult};

/// The widest window one question may cover.
pub const MAX_WINDOW_DAYS: i64 = 92;

/// Where a booking of the space could start and end within `window`. An archived space has
/// none. A new booking there holds `[start - buffer, end + buffer)`, so each existing
/// footprint is widened by this space's buffer before it is taken out.
pub async fn free_slots(
    conn: &impl sea_orm::ConnectionTrait,
    space_id: Uuid,
    window: TimeRange,
) -> AppResult<Vec<TimeRange>> {
    let space = spaces::find_space(conn, space_id)
        .await?
        .ok_or_else(|| AppError::not_found("space", space_id))?;
    if space.archived_at.is_some() {
        return Ok(Vec::new());
    }
    let site = sites::find_site(conn, space.site_id).await?;
    let tz = sites::timezone_of(&site)?;
    let week = opening_hours::weeks_of(conn, [site.id])
        .await?
        .remove(&site.id)
        .unwrap_or_default();
    let closed: HashSet<_> = opening_hours::closed_dates(
        conn,
        site.id,
        window.start.with_timezone(&tz).date_naive() - Duration::days(1),
        window.end.with_timezone(&tz).date_naive(),
    )
    .await?
    .into_iter()
    .map(|c| c.date)
    .collect();
    let open = open_intervals(tz, &week, &closed, window);

    let buffer = Duration::minutes(i64::from(space.buffer_minutes));
    let occupies = SpaceTree::load(conn, space.site_id)
        .await?
        .subtree(space.id);
    let busy = booking_blocks::blocks_near(conn, &occupies, &[window.widened(buffer)])
        .await?
        .into_iter()
        .map(|b| b.footprint.widened(buffer))
        .collect();
    Ok(subtract(open, busy))
}

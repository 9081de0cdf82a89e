//! Free slots of a space: within the site's opening hours, outside every booking that
//! occupies it (its own, its parent's, its parts'), with room for the space's buffer.

use std::collections::HashSet;

use chrono::Duration;
use uuid::Uuid;

use super::space_tree::SpaceTree;
use super::{blocks, spaces};
use crate::domain::{TimeRange, open_intervals, subtract};
use crate::error::AppResult;
use crate::service::sites::{self, opening_hours};

/// The widest window one question may cover.
pub const MAX_WINDOW_DAYS: i64 = 92;

/// Free slots, and the zone of the site they are in.
pub struct FreeSlots {
    pub slots: Vec<TimeRange>,
    pub tz: chrono_tz::Tz,
}

/// Where a booking of the space could start and end within `window`. An archived space has
/// none. A new booking there holds `[start, end + buffer)`: it must end a buffer before the
/// next footprint starts, so each existing footprint is moved earlier at its start by this
/// space's buffer before it is taken out (its own end already holds its clean-up time).
pub async fn free_slots(
    conn: &impl sea_orm::ConnectionTrait,
    space_id: Uuid,
    window: TimeRange,
) -> AppResult<FreeSlots> {
    let space = spaces::get_space(conn, "spaceId", space_id).await?;
    let site = sites::get_site(conn, space.site_id).await?;
    let tz = sites::timezone_of(&site)?;
    if space.archived_at.is_some() {
        return Ok(FreeSlots {
            slots: Vec::new(),
            tz,
        });
    }
    let week = opening_hours::intervals(
        &opening_hours::weeks_of(conn, [site.id])
            .await?
            .remove(&site.id)
            .unwrap_or_default(),
    );
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

    let buffer = blocks::buffer(space.buffer_minutes);
    let occupies = SpaceTree::load(conn, space.site_id)
        .await?
        .subtree(space.id);
    let near = TimeRange {
        start: window.start,
        end: window.end + buffer,
    };
    let busy = blocks::blocks_near(conn, &occupies, &[near])
        .await?
        .into_iter()
        .map(|b| TimeRange {
            start: b.footprint.start - buffer,
            end: b.footprint.end,
        })
        .collect();
    Ok(FreeSlots {
        slots: subtract(open, busy),
        tz,
    })
}

//! The no-double-booking rule. An active booking holds one block per space it occupies (its
//! own and every space below it), over its footprint `[start, end + buffer)`: the booking and
//! the clean-up time after it. Blocks of one space never overlap, so two bookings of a space
//! with a 30-minute buffer are 30 minutes apart; through the hierarchy, the earlier booking's
//! space's buffer applies.
//!
//! The database enforces it (PostgreSQL: exclusion constraint, SQLite: trigger, see migration
//! 3). This module asks first, so that a refusal can list what is in the way, and turns the
//! database's own refusal (a concurrent writer won the race) into the same answer.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use lieu_entity::{booking, booking_block};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select,
    Set,
};
use uuid::Uuid;

use super::space_tree::SpaceTree;
use super::spaces;
use crate::db::window_bounds::{self, Spanned};
use crate::domain::{BookingStatus, TimeRange};
use crate::error::{AppError, AppResult, Collision, Conflict};
use crate::service::sites;

/// Rows per INSERT: well under SQLite's 32,766 bound variables and PostgreSQL's 65,535.
const INSERT_CHUNK: usize = 500;

/// What a booking of `range` occupies in a space with `buffer_minutes` of clean-up time.
pub fn footprint(range: TimeRange, buffer_minutes: i32) -> TimeRange {
    TimeRange {
        start: range.start,
        end: range.end + buffer(buffer_minutes),
    }
}

pub fn buffer(buffer_minutes: i32) -> Duration {
    Duration::minutes(i64::from(buffer_minutes))
}

/// An existing block and the booking that holds it.
pub struct Blocking {
    pub footprint: TimeRange,
    pub booking: booking::Model,
}

/// Every block on `spaces` that overlaps the span covering all of `footprints`, with its
/// booking, oldest first. (One query, whatever the number of footprints.)
pub async fn blocks_near(
    conn: &impl ConnectionTrait,
    spaces: &[Uuid],
    footprints: &[TimeRange],
) -> AppResult<Vec<Blocking>> {
    let (Some(from), Some(to)) = (
        footprints.iter().map(|f| f.start).min(),
        footprints.iter().map(|f| f.end).max(),
    ) else {
        return Ok(Vec::new());
    };
    let earliest = window_bounds::earliest_start(conn, Spanned::BookingBlocks, from).await?;
    let rows = near(spaces, earliest, from, to)
        .find_also_related(booking::Entity)
        .order_by_asc(booking_block::Column::StartsAt)
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(block, booking)| {
            Some(Blocking {
                footprint: TimeRange {
                    start: block.starts_at,
                    end: block.ends_at,
                },
                booking: booking?,
            })
        })
        .collect())
}

/// The blocks on `spaces` that overlap `[from, to)`, none of which starts before `earliest`
/// (the longest block before `from`): a range of `idx_booking_blocks_space_time` per space,
/// however long the history.
pub fn near(
    spaces: &[Uuid],
    earliest: DateTime<Utc>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Select<booking_block::Entity> {
    booking_block::Entity::find()
        .filter(booking_block::Column::SpaceId.is_in(spaces.iter().copied()))
        .filter(booking_block::Column::StartsAt.gte(earliest))
        .filter(booking_block::Column::StartsAt.lt(to))
        .filter(booking_block::Column::EndsAt.gt(from))
}

/// The spaces each of `bookings` blocks, in one query.
pub async fn spaces_of(
    conn: &impl ConnectionTrait,
    bookings: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<Uuid>>> {
    let mut out: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for chunk in bookings.chunks(INSERT_CHUNK) {
        let rows: Vec<(Uuid, Uuid)> = booking_block::Entity::find()
            .select_only()
            .column(booking_block::Column::BookingId)
            .column(booking_block::Column::SpaceId)
            .filter(booking_block::Column::BookingId.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(conn)
            .await?;
        for (booking, space) in rows {
            out.entry(booking).or_default().push(space);
        }
    }
    Ok(out)
}

/// For each wanted footprint (with the booking times it stands for), the bookings in the way,
/// with what collides. `ignore` are bookings being rebuilt, whose old blocks do not count;
/// `tz` is the site's zone, in which the conflicts are told.
pub async fn conflicts(
    conn: &impl ConnectionTrait,
    spaces: &[Uuid],
    wanted: &[(TimeRange, TimeRange)],
    ignore: &[Uuid],
    tz: Tz,
) -> AppResult<Vec<Conflict>> {
    let footprints: Vec<TimeRange> = wanted.iter().map(|(_, f)| *f).collect();
    let existing = blocks_near(conn, spaces, &footprints).await?;
    let mut out: Vec<Conflict> = Vec::new();
    for (occurrence, footprint) in wanted {
        for block in &existing {
            if ignore.contains(&block.booking.id) || !block.footprint.overlaps(footprint) {
                continue;
            }
            let booked = TimeRange {
                start: block.booking.starts_at,
                end: block.booking.ends_at,
            };
            let collision = if occurrence.overlaps(&booked) {
                Collision::Booking
            } else if occurrence.overlaps(&block.footprint) {
                Collision::ItsCleanUp
            } else {
                Collision::YourCleanUp
            };
            let conflict = Conflict {
                booking_id: block.booking.id,
                start: booked.start,
                end: booked.end,
                occurrence: (wanted.len() > 1).then_some((occurrence.start, occurrence.end)),
                collision,
                clean_up_minutes: (block.footprint.end - booked.end).num_minutes(),
                your_clean_up_minutes: (footprint.end - occurrence.end).num_minutes(),
                tz,
            };
            // A booking blocks several spaces of a hierarchy: list it once per occurrence.
            if !out
                .iter()
                .any(|c| c.booking_id == conflict.booking_id && c.occurrence == conflict.occurrence)
            {
                out.push(conflict);
            }
        }
    }
    Ok(out)
}

/// Writes the blocks of one booking: `footprint` on each of `spaces`.
pub fn rows(
    booking_id: Uuid,
    spaces: &[Uuid],
    footprint: TimeRange,
) -> Vec<booking_block::ActiveModel> {
    spaces
        .iter()
        .map(|space_id| booking_block::ActiveModel {
            booking_id: Set(booking_id),
            space_id: Set(*space_id),
            starts_at: Set(footprint.start),
            ends_at: Set(footprint.end),
        })
        .collect()
}

/// Inserts blocks in chunks. Fails with the database's overlap error if a concurrent writer
/// got there first (`Constraint::BookingOverlap`).
pub async fn insert(
    conn: &impl ConnectionTrait,
    blocks: Vec<booking_block::ActiveModel>,
) -> Result<(), DbErr> {
    let mut blocks = blocks.into_iter().peekable();
    while blocks.peek().is_some() {
        let chunk: Vec<_> = blocks.by_ref().take(INSERT_CHUNK).collect();
        booking_block::Entity::insert_many(chunk)
            .exec_without_returning(conn)
            .await?;
    }
    Ok(())
}

/// Frees what these bookings occupied.
pub async fn remove(conn: &impl ConnectionTrait, booking_ids: &[Uuid]) -> AppResult<()> {
    for chunk in booking_ids.chunks(INSERT_CHUNK) {
        booking_block::Entity::delete_many()
            .filter(booking_block::Column::BookingId.is_in(chunk.iter().copied()))
            .exec(conn)
            .await?;
    }
    Ok(())
}

/// The refusal to send when `conflicts` is not empty.
pub fn refuse_if_any(conflicts: Vec<Conflict>) -> AppResult<()> {
    if conflicts.is_empty() {
        Ok(())
    } else {
        Err(AppError::BookingConflict(conflicts))
    }
}

/// Recomputes what the active bookings of `booked_in` occupy, after their spaces' hierarchy or
/// buffer changed: those whose footprint may still run (ended less than a day ago: buffers are
/// at most a day). Refuses with BOOKING_CONFLICT, naming both bookings of each colliding pair,
/// when the new blocks would overlap (two halves booked at once, and the halves now one space).
pub(crate) async fn rebuild_blocks(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    site_id: Uuid,
    booked_in: &[Uuid],
) -> AppResult<()> {
    let affected = booking::Entity::find()
        .filter(booking::Column::SpaceId.is_in(booked_in.iter().copied()))
        .filter(booking::Column::Status.ne(BookingStatus::Cancelled.as_str()))
        .filter(booking::Column::EndsAt.gt(now - chrono::Duration::days(1)))
        .order_by_asc(booking::Column::StartsAt)
        .all(txn)
        .await?;
    if affected.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = affected.iter().map(|b| b.id).collect();
    remove(txn, &ids).await?;

    let tree = SpaceTree::load(txn, site_id).await?;
    let buffers: HashMap<Uuid, i32> = spaces::list_spaces(txn, Some(site_id), true)
        .await?
        .into_iter()
        .map(|s| (s.id, s.buffer_minutes))
        .collect();
    let planned: Vec<(&booking::Model, Vec<Uuid>, TimeRange)> = affected
        .iter()
        .map(|b| {
            let range = TimeRange {
                start: b.starts_at,
                end: b.ends_at,
            };
            let buffer = buffers.get(&b.space_id).copied().unwrap_or(0);
            (b, tree.subtree(b.space_id), footprint(range, buffer))
        })
        .collect();

    // What the others (not rebuilt) hold on any of these spaces, in one query.
    let mut all_spaces: Vec<Uuid> = planned.iter().flat_map(|(_, s, _)| s.clone()).collect();
    all_spaces.sort();
    all_spaces.dedup();
    let footprints: Vec<TimeRange> = planned.iter().map(|(_, _, f)| *f).collect();
    let others = blocks_near(txn, &all_spaces, &footprints).await?;
    let others_spaces: HashMap<Uuid, Vec<Uuid>> = spaces_of(
        txn,
        &others.iter().map(|b| b.booking.id).collect::<Vec<_>>(),
    )
    .await?;

    let tz = sites::timezone_of(&sites::get_site(txn, site_id).await?)?;
    let side = |b: &booking::Model| Conflict {
        booking_id: b.id,
        start: b.starts_at,
        end: b.ends_at,
        occurrence: None,
        collision: Collision::Booking,
        clean_up_minutes: 0,
        your_clean_up_minutes: 0,
        tz,
    };
    let mut conflicts: Vec<Conflict> = Vec::new();
    let mut push = |c: Conflict| {
        if !conflicts.contains(&c) {
            conflicts.push(c);
        }
    };
    for (i, (booking, occupies, footprint)) in planned.iter().enumerate() {
        for other in &others {
            let shares = others_spaces
                .get(&other.booking.id)
                .is_some_and(|s| s.iter().any(|x| occupies.contains(x)));
            if shares && other.footprint.overlaps(footprint) {
                push(side(booking));
                push(side(&other.booking));
            }
        }
        for (other, other_spaces, other_footprint) in &planned[i + 1..] {
            if other_footprint.overlaps(footprint)
                && other_spaces.iter().any(|s| occupies.contains(s))
            {
                push(side(booking));
                push(side(other));
            }
        }
    }
    refuse_if_any(conflicts)?;
    let rows = planned
        .iter()
        .flat_map(|(b, spaces, footprint)| rows(b.id, spaces, *footprint))
        .collect();
    // The database's refusal (Constraint::BookingOverlap) maps to BOOKING_CONFLICT.
    Ok(insert(txn, rows).await?)
}

//! The no-double-booking rule. An active booking holds one block per space it occupies, over
//! its footprint `[start - buffer, end + buffer)`; blocks of one space never overlap.
//!
//! The database enforces it (PostgreSQL: exclusion constraint, SQLite: trigger, see migration
//! 3). This module asks first, so that a refusal can list what is in the way, and turns the
//! database's own refusal (a concurrent writer won the race) into the same answer.

use chrono::Duration;
use lieu_entity::{booking, booking_block};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::domain::TimeRange;
use crate::error::{AppError, AppResult, Conflict};

/// Rows per INSERT: well under SQLite's 32,766 bound variables and PostgreSQL's 65,535.
const INSERT_CHUNK: usize = 500;

/// What a booking of `range` occupies in a space with `buffer_minutes` of set-up/clean-up.
pub fn footprint(range: TimeRange, buffer_minutes: i32) -> TimeRange {
    range.widened(Duration::minutes(i64::from(buffer_minutes)))
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
    let rows = booking_block::Entity::find()
        .filter(booking_block::Column::SpaceId.is_in(spaces.iter().copied()))
        .filter(booking_block::Column::StartsAt.lt(to))
        .filter(booking_block::Column::EndsAt.gt(from))
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

/// The spaces each of `bookings` blocks, in one query.
pub async fn spaces_of(
    conn: &impl ConnectionTrait,
    bookings: &[Uuid],
) -> AppResult<std::collections::HashMap<Uuid, Vec<Uuid>>> {
    let mut out: std::collections::HashMap<Uuid, Vec<Uuid>> = Default::default();
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

/// For each wanted footprint (with the booking times it stands for), the bookings in the way.
/// `ignore` are bookings being rebuilt, whose old blocks do not count.
pub async fn conflicts(
    conn: &impl ConnectionTrait,
    spaces: &[Uuid],
    wanted: &[(TimeRange, TimeRange)],
    ignore: &[Uuid],
) -> AppResult<Vec<Conflict>> {
    let footprints: Vec<TimeRange> = wanted.iter().map(|(_, f)| *f).collect();
    let existing = blocks_near(conn, spaces, &footprints).await?;
    let mut out: Vec<Conflict> = Vec::new();
    for (occurrence, footprint) in wanted {
        for block in &existing {
            if ignore.contains(&block.booking.id) || !block.footprint.overlaps(footprint) {
                continue;
            }
            let conflict = Conflict {
                booking_id: block.booking.id,
                start: block.booking.starts_at,
                end: block.booking.ends_at,
                occurrence: (wanted.len() > 1).then_some((occurrence.start, occurrence.end)),
            };
            // A booking blocks several spaces of a hierarchy: list it once per occurrence.
            if !out.contains(&conflict) {
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
/// got there first (see [`crate::db::is_booking_overlap`]).
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

//! The bookings of a synthetic site: each space's days cut into slots, so that no two overlap
//! (clean-up time included), written in multi-row inserts with their blocks.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use indicatif::ProgressBar;
use lieu_entity::{booking, booking_block, site};
use rand::Rng;
use rand::rngs::StdRng;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::{
    Added, Booker, DAY_MINUTES, DAY_OPENS, DAYS_AHEAD, DAYS_BACK, FLUSH, Room, Size, insert_chunked,
};
use crate::db;
use crate::demo::people::pick;
use crate::domain::{BookingStatus, Holder, PriceTier, TimeRange, local_date, resolve_local};
use crate::error::{AppError, AppResult};
use crate::service::bookings::blocks;
use crate::service::bookings::pricing;

/// The site's bookings, space by space: each day's bookings of a space in slots of the day,
/// so that none overlaps another or its clean-up.
#[allow(clippy::too_many_arguments)]
pub(super) async fn bookings(
    db: &DatabaseConnection,
    tz: Tz,
    today: NaiveDate,
    site: &site::Model,
    rooms: &[Room],
    bookers: &[Booker],
    size: Size,
    rng: &mut StdRng,
    progress: &ProgressBar,
    added: &mut Added,
) -> AppResult<()> {
    // The people come first in `bookers`, then the organizations.
    let people = bookers
        .iter()
        .take_while(|b| matches!(b.holder, Holder::Person(_)))
        .count();
    let first_day = today - Duration::days(DAYS_BACK);
    let days = DAYS_BACK + DAYS_AHEAD;
    let midnight = today.and_time(NaiveTime::MIN).and_utc();
    let mut pending: Vec<(booking::Model, Option<TimeRange>)> = Vec::with_capacity(FLUSH * 2);
    for (r, room) in rooms.iter().enumerate() {
        let quota = size.bookings_per_site / rooms.len()
            + usize::from(r < size.bookings_per_site % rooms.len());
        let quota = quota as i64;
        // The shortest slot a booking and its clean-up fit in.
        let shortest = 30 + i64::from(room.buffer);
        if quota > days * (DAY_MINUTES / shortest) {
            return Err(AppError::validation(
                "bookingsPerSite",
                format!("{quota} bookings do not fit in a space in {days} days: add spaces"),
            ));
        }
        for d in 0..days {
            // Exactly `quota` over the days, spread evenly.
            let today_count = (d + 1) * quota / days - d * quota / days;
            if today_count == 0 {
                continue;
            }
            let day = first_day + Duration::days(d);
            let slot = DAY_MINUTES / today_count;
            for s in 0..today_count {
                let room_for = slot - i64::from(room.buffer);
                let longest = room.template.longest.min(room_for) / 15;
                let quarters = rng.random_range(2..=longest.max(2));
                let offset = rng.random_range(0..=(room_for / 15 - quarters).max(0)) * 15;
                let start_minutes = i64::from(DAY_OPENS) * 60 + s * slot + offset;
                let local = day.and_time(NaiveTime::MIN) + Duration::minutes(start_minutes);
                let start = resolve_local(tz, local);
                let range = TimeRange {
                    start,
                    end: start + Duration::minutes(quarters * 15),
                };
                // Mostly people; an organization for about one booking in seven.
                let who = match (people, bookers.len() - people) {
                    (0, orgs) => &bookers[rng.random_range(0..orgs)],
                    (people, 0) => &bookers[rng.random_range(0..people)],
                    (people, orgs) if rng.random_bool(0.15) => {
                        &bookers[people + rng.random_range(0..orgs)]
                    }
                    (people, _) => &bookers[rng.random_range(0..people)],
                };
                let model = booking_row(site, room, who, range, tz, midnight, rng);
                let footprint = (model.status != BookingStatus::Cancelled.as_str())
                    .then(|| blocks::footprint(range, room.buffer));
                pending.push((model, footprint));
            }
            if pending.len() >= FLUSH {
                write_bookings(db, std::mem::take(&mut pending), progress, added).await?;
            }
        }
    }
    write_bookings(db, pending, progress, added).await
}

/// One booking of `room` by `who`, priced as `create` would price it: the tier from the
/// booker (resident, member that day, else public; a few at the solidarity rate, chosen by
/// staff), the space's rate for it (else PUBLIC), `pricing::price` over the local days.
fn booking_row(
    site: &site::Model,
    room: &Room,
    who: &Booker,
    range: TimeRange,
    tz: Tz,
    midnight: DateTime<Utc>,
    rng: &mut StdRng,
) -> booking::Model {
    let day = local_date(range.start, tz);
    let member = who
        .member
        .is_some_and(|(from, to)| from <= day && day <= to);
    let chosen = rng.random_bool(0.03).then_some(PriceTier::Solidarity);
    let wanted = pricing::requested_tier(chosen, who.resident, member);
    let (tier, rate) = pricing::applied_rate(&room.rates, wanted);
    let price = pricing::price(range, tz, rate);
    let cancelled = rng.random_bool(0.06);
    let created = (range.start - Duration::days(rng.random_range(1..60))).min(midnight);
    let (person_id, organization_id) = Holder::columns(Some(who.holder));
    let what = pick(rng, room.template.titles);
    let attendees = rng
        .random_bool(0.7)
        .then(|| rng.random_range(1..=room.capacity));
    booking::Model {
        id: Uuid::new_v4(),
        site_id: site.id,
        space_id: room.id,
        starts_at: range.start,
        ends_at: range.end,
        title: format!("{what} ({})", who.name),
        status: if cancelled {
            BookingStatus::Cancelled
        } else {
            BookingStatus::Confirmed
        }
        .as_str()
        .to_string(),
        person_id,
        organization_id,
        tier: tier.as_str().to_string(),
        price_cents: price.cents(),
        attendees,
        notes: None,
        series_id: None,
        created_by: None,
        created_at: created,
        confirmed_at: Some(created),
        cancelled_at: cancelled.then(|| created + Duration::hours(rng.random_range(1..48))),
        cancel_reason: cancelled.then(|| "Annulé par le demandeur".to_string()),
        paid_at: None,
        revenue_id: None,
        event_id: None,
        in_kind_cents: None,
    }
}

/// Writes bookings and the blocks of the active ones in one transaction.
async fn write_bookings(
    db: &DatabaseConnection,
    rows: Vec<(booking::Model, Option<TimeRange>)>,
    progress: &ProgressBar,
    added: &mut Added,
) -> AppResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let count = rows.len();
    let mut block_rows = Vec::with_capacity(count);
    let mut booking_rows = Vec::with_capacity(count);
    for (model, footprint) in rows {
        match footprint {
            Some(footprint) => {
                block_rows.extend(blocks::rows(model.id, &[model.space_id], footprint))
            }
            None => added.cancelled += 1,
        }
        booking_rows.push(booking::ActiveModel::from(model));
    }
    added.bookings += count;
    added.blocks += block_rows.len();
    let txn = db::begin_write(db).await?;
    insert_chunked(&txn, booking_rows).await?;
    insert_chunked::<booking_block::ActiveModel>(&txn, block_rows).await?;
    txn.commit().await?;
    progress.inc(count as u64);
    Ok(())
}

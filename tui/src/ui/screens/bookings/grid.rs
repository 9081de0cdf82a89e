//! What one hour of one day holds, from the week's bookings and free slots.

use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;

use crate::api::model::{BookingRow, BookingStatus, WeekData};
use crate::format;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cell<'a> {
    /// Not loaded yet.
    Unknown,
    /// Free for the whole hour.
    Free,
    /// Free for part of the hour.
    Partly,
    /// A booking of this space (the first one in the hour).
    Booked(&'a BookingRow),
    /// Not bookable: closed, a buffer, or a space above or below it is booked.
    Blocked,
}

pub fn cell<'a>(data: &'a WeekData, tz: Tz, day: NaiveDate, hour: u32) -> Cell<'a> {
    span(data, tz, day, (hour, 0), 60)
}

/// What `minutes` from a local time hold (half-hour rows on tall terminals).
pub fn span<'a>(
    data: &'a WeekData,
    tz: Tz,
    day: NaiveDate,
    at: (u32, u32),
    minutes: i64,
) -> Cell<'a> {
    let start = format::at_time(tz, day, at);
    let end = start + Duration::minutes(minutes);
    if let Some(b) = data
        .bookings
        .iter()
        .find(|b| b.status != BookingStatus::Cancelled && b.overlaps(start, end))
    {
        return Cell::Booked(b);
    }
    let free: Duration = data
        .free
        .iter()
        .filter(|s| s.start < end && start < s.end)
        .map(|s| s.end.min(end) - s.start.max(start))
        .sum();
    if free >= end - start {
        Cell::Free
    } else if free > Duration::zero() {
        Cell::Partly
    } else {
        Cell::Blocked
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::Slot;

    #[test]
    fn cells_follow_bookings_and_free_slots() {
        let tz: Tz = "Europe/Paris".parse().unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 3, 12).unwrap();
        let at = |h, m| format::at_time(tz, day, (h, m));
        let booking = BookingRow {
            id: "b".into(),
            start: at(10, 0),
            end: at(12, 0),
            title: "AG".into(),
            status: BookingStatus::Confirmed,
            tier: "PUBLIC".into(),
            price: rust_decimal::Decimal::ZERO,
            paid: false,
            series_id: None,
            attendees: None,
            notes: None,
            cancel_reason: None,
            space_id: "s".into(),
            space_name: "Salle".into(),
            booker: None,
        };
        let data = WeekData {
            bookings: vec![booking],
            free: vec![
                Slot {
                    start: at(8, 0),
                    end: at(10, 0),
                },
                Slot {
                    start: at(12, 30),
                    end: at(20, 0),
                },
            ],
        };
        assert_eq!(cell(&data, tz, day, 9), Cell::Free);
        assert!(matches!(cell(&data, tz, day, 11), Cell::Booked(b) if b.title == "AG"));
        assert_eq!(cell(&data, tz, day, 12), Cell::Partly);
        assert_eq!(cell(&data, tz, day, 7), Cell::Blocked);
    }
}

//! Opening hours: a weekly schedule in local wall-clock time, and the interval arithmetic
//! that turns it into instants (free slots lie within opening hours). No database here.

use std::collections::HashSet;

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Timelike};
use chrono_tz::Tz;

use super::{TimeRange, resolve_local};
use crate::error::AppError;

pub const MINUTES_PER_DAY: i32 = 24 * 60;

/// One opening interval of the week: ISO weekday (1 = Monday) and minutes since midnight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct WeeklyInterval {
    pub weekday: i16,
    pub opens_minute: i32,
    pub closes_minute: i32,
}

/// Parses `HH:MM` (00:00 to 24:00) into minutes since midnight.
pub fn parse_clock(field: &str, raw: &str) -> Result<i32, AppError> {
    let raw = raw.trim();
    if raw == "24:00" {
        return Ok(MINUTES_PER_DAY);
    }
    NaiveTime::parse_from_str(raw, "%H:%M")
        .map(|t| (t.hour() * 60 + t.minute()) as i32)
        .map_err(|_| AppError::validation(field, format!("'{raw}' is not a time like 09:30")))
}

/// `HH:MM` for minutes since midnight (1440 is `24:00`).
pub fn format_clock(minutes: i32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// A validated weekly schedule: each interval opens before it closes, intervals of one day do
/// not overlap, sorted by day and time. Empty: the site keeps no hours (always open).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Week(Vec<WeeklyInterval>);

impl Week {
    pub fn new(week: Vec<WeeklyInterval>) -> Result<Self, AppError> {
        validate_week(week).map(Self)
    }

    pub fn intervals(&self) -> &[WeeklyInterval] {
        &self.0
    }
}

/// Checks a week typed by a manager: each interval opens before it closes, and intervals of
/// one day do not overlap. Returns them sorted.
fn validate_week(mut week: Vec<WeeklyInterval>) -> Result<Vec<WeeklyInterval>, AppError> {
    for interval in &week {
        if !(1..=7).contains(&interval.weekday) {
            return Err(AppError::validation(
                "weekday",
                "must be 1 (Monday) to 7 (Sunday)",
            ));
        }
        if interval.opens_minute >= interval.closes_minute {
            return Err(AppError::validation(
                "closes",
                format!(
                    "{} is not after {}",
                    format_clock(interval.closes_minute),
                    format_clock(interval.opens_minute)
                ),
            ));
        }
    }
    week.sort();
    if let Some(pair) = week
        .windows(2)
        .find(|w| w[0].weekday == w[1].weekday && w[1].opens_minute < w[0].closes_minute)
    {
        return Err(AppError::validation(
            "hours",
            format!(
                "two intervals of the same day overlap ({}-{} and {}-{})",
                format_clock(pair[0].opens_minute),
                format_clock(pair[0].closes_minute),
                format_clock(pair[1].opens_minute),
                format_clock(pair[1].closes_minute)
            ),
        ));
    }
    Ok(week)
}

/// The instants within `window` when the site is open. No weekly schedule at all means the
/// site keeps no hours: open all the time (closed dates still apply).
pub fn open_intervals(
    tz: Tz,
    week: &[WeeklyInterval],
    closed: &HashSet<NaiveDate>,
    window: TimeRange,
) -> Vec<TimeRange> {
    let first = window.start.with_timezone(&tz).date_naive();
    let last = window.end.with_timezone(&tz).date_naive();
    let mut out: Vec<TimeRange> = Vec::new();
    let mut day = first - Duration::days(1);
    while day <= last {
        if !closed.contains(&day) {
            let at = |minute: i32| {
                let date = day + Duration::days(i64::from(minute / MINUTES_PER_DAY));
                let time = NaiveTime::from_num_seconds_from_midnight_opt(
                    (minute % MINUTES_PER_DAY) as u32 * 60,
                    0,
                )
                .expect("minutes within a day");
                resolve_local(tz, date.and_time(time))
            };
            let weekday = day.weekday().number_from_monday() as i16;
            let intervals: Vec<(i32, i32)> = if week.is_empty() {
                vec![(0, MINUTES_PER_DAY)]
            } else {
                week.iter()
                    .filter(|w| w.weekday == weekday)
                    .map(|w| (w.opens_minute, w.closes_minute))
                    .collect()
            };
            for (opens, closes) in intervals {
                let range = TimeRange {
                    start: at(opens).max(window.start),
                    end: at(closes).min(window.end),
                };
                if range.start < range.end {
                    push_merged(&mut out, range);
                }
            }
        }
        day += Duration::days(1);
    }
    out
}

/// Appends a range to a sorted list, merging it with the last one when they touch.
fn push_merged(list: &mut Vec<TimeRange>, range: TimeRange) {
    if let Some(last) = list.last_mut()
        && range.start <= last.end
    {
        last.end = last.end.max(range.end);
        return;
    }
    list.push(range);
}

/// `open` minus `busy`: the free parts, in order. Both lists may be in any order.
pub fn subtract(mut open: Vec<TimeRange>, mut busy: Vec<TimeRange>) -> Vec<TimeRange> {
    open.sort_by_key(|r| r.start);
    busy.sort_by_key(|r| r.start);
    let mut out = Vec::new();
    for slot in open {
        let mut cursor = slot.start;
        for b in busy.iter().filter(|b| b.overlaps(&slot)) {
            if b.start > cursor {
                out.push(TimeRange {
                    start: cursor,
                    end: b.start,
                });
            }
            cursor = cursor.max(b.end);
        }
        if cursor < slot.end {
            out.push(TimeRange {
                start: cursor,
                end: slot.end,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use super::*;

    const PARIS: Tz = chrono_tz::Europe::Paris;

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn r(a: &str, b: &str) -> TimeRange {
        TimeRange {
            start: t(a),
            end: t(b),
        }
    }

    fn hours(weekday: i16, opens: i32, closes: i32) -> WeeklyInterval {
        WeeklyInterval {
            weekday,
            opens_minute: opens,
            closes_minute: closes,
        }
    }

    #[test]
    fn clocks() {
        assert_eq!(parse_clock("opens", "09:30").unwrap(), 570);
        assert_eq!(parse_clock("closes", "24:00").unwrap(), 1440);
        assert!(parse_clock("opens", "9h30").is_err());
        assert!(parse_clock("opens", "25:00").is_err());
        assert_eq!(format_clock(1440), "24:00");
        assert_eq!(format_clock(570), "09:30");
    }

    #[test]
    fn weeks_are_validated() {
        let ok = validate_week(vec![
            WeeklyInterval {
                weekday: 1,
                opens_minute: 840,
                closes_minute: 1080,
            },
            WeeklyInterval {
                weekday: 1,
                opens_minute: 540,
                closes_minute: 720,
            },
        ])
        .unwrap();
        assert_eq!(ok[0].opens_minute, 540);
        assert!(
            validate_week(vec![WeeklyInterval {
                weekday: 1,
                opens_minute: 600,
                closes_minute: 600
            }])
            .is_err()
        );
        assert!(
            validate_week(vec![WeeklyInterval {
                weekday: 8,
                opens_minute: 0,
                closes_minute: 60
            }])
            .is_err()
        );
        assert!(
            validate_week(vec![
                WeeklyInterval {
                    weekday: 2,
                    opens_minute: 540,
                    closes_minute: 720
                },
                WeeklyInterval {
                    weekday: 2,
                    opens_minute: 700,
                    closes_minute: 800
                },
            ])
            .is_err()
        );
    }

    #[test]
    fn opening_hours_in_local_time_with_closed_days() {
        // Tuesday 12 and Wednesday 13 January 2027, open 09:00-12:00 and 14:00-18:00 on
        // Tuesdays, 09:00-18:00 on Wednesdays; Wednesday 13 closed.
        let week = [hours(2, 540, 720), hours(2, 840, 1080), hours(3, 540, 1080)];
        let window = r("2027-01-11T23:00:00Z", "2027-01-13T23:00:00Z");
        let open = open_intervals(PARIS, &week, &HashSet::new(), window);
        assert_eq!(
            open,
            vec![
                r("2027-01-12T08:00:00Z", "2027-01-12T11:00:00Z"),
                r("2027-01-12T13:00:00Z", "2027-01-12T17:00:00Z"),
                r("2027-01-13T08:00:00Z", "2027-01-13T17:00:00Z"),
            ]
        );
        let closed: HashSet<NaiveDate> = ["2027-01-13".parse().unwrap()].into();
        assert_eq!(open_intervals(PARIS, &week, &closed, window).len(), 2);
    }

    #[test]
    fn open_all_day_across_dst_and_without_schedule() {
        // Sunday 28 March 2027 00:00-24:00 local is 23 hours long.
        let week = [hours(7, 0, 1440)];
        let window = r("2027-03-27T00:00:00Z", "2027-03-29T12:00:00Z");
        let open = open_intervals(PARIS, &week, &HashSet::new(), window);
        assert_eq!(
            open,
            vec![r("2027-03-27T23:00:00Z", "2027-03-28T22:00:00Z")]
        );
        // No schedule: the whole window.
        assert_eq!(
            open_intervals(PARIS, &[], &HashSet::new(), window),
            vec![window]
        );
    }

    #[test]
    fn free_is_open_minus_busy() {
        let open = vec![r("2027-01-12T08:00:00Z", "2027-01-12T17:00:00Z")];
        let busy = vec![
            r("2027-01-12T10:00:00Z", "2027-01-12T11:00:00Z"),
            r("2027-01-12T07:00:00Z", "2027-01-12T08:30:00Z"),
            r("2027-01-12T10:30:00Z", "2027-01-12T12:00:00Z"),
        ];
        assert_eq!(
            subtract(open, busy),
            vec![
                r("2027-01-12T08:30:00Z", "2027-01-12T10:00:00Z"),
                r("2027-01-12T12:00:00Z", "2027-01-12T17:00:00Z"),
            ]
        );
    }
}

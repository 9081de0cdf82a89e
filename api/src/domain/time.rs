//! Local days and wall-clock times in a site's time zone. DST is chrono-tz's business: nothing
//! here adds hours by hand.

use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc,
};
use chrono_tz::Tz;

use crate::error::AppError;

/// The local calendar day of an instant in a site's time zone.
pub fn local_date(instant: DateTime<Utc>, tz: Tz) -> NaiveDate {
    instant.with_timezone(&tz).date_naive()
}

/// The instant a local wall-clock time denotes, by RFC 5545's rules: a time that occurs twice
/// (autumn) is the first of the two; a time that does not exist (spring gap) is read with the
/// UTC offset in force before the gap, so 02:30 on the March change in Paris is 03:30 CEST.
pub fn resolve_local(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    if let Some(instant) = tz.from_local_datetime(&local).earliest() {
        return instant.with_timezone(&Utc);
    }
    // In a gap. Zones change offset at most a few times a year, so a day earlier is before it.
    let offset_before = tz
        .offset_from_utc_datetime(&(local - Duration::days(1)))
        .fix();
    Utc.from_utc_datetime(&(local - offset_before))
}

/// The first instant of a local day (usually its midnight).
pub fn start_of_day(tz: Tz, date: NaiveDate) -> DateTime<Utc> {
    resolve_local(tz, date.and_time(NaiveTime::MIN))
}

/// The years a typed time may fall in.
pub const MIN_YEAR: i32 = 2000;
pub const MAX_YEAR: i32 = 2200;

/// A half-open interval of time `[start, end)` with `start < end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeRange {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl TimeRange {
    /// Validates a range typed by someone: `end` after `start`, at most `max` long. PostgreSQL
    /// keeps microseconds, so finer precision is dropped here for both databases to agree.
    pub fn new(
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        max: Duration,
        end_field: &str,
    ) -> Result<Self, AppError> {
        let (start, end) = (truncate_micros(start), truncate_micros(end));
        // Far dates are typing mistakes; bounding them also keeps SQLite's text timestamps in
        // the four-digit years whose text order is the order of time.
        for (field, t) in [("start", start), (end_field, end)] {
            if !(MIN_YEAR..=MAX_YEAR).contains(&t.year()) {
                return Err(AppError::validation(
                    field,
                    format!("must be between the years {MIN_YEAR} and {MAX_YEAR}"),
                ));
            }
        }
        if end <= start {
            return Err(AppError::validation(
                end_field,
                if end == start {
                    "the end is the start: a booking must last some time"
                } else {
                    "the end is before the start"
                },
            ));
        }
        if end - start > max {
            return Err(AppError::validation(
                end_field,
                format!("at most {} days long", max.num_days()),
            ));
        }
        Ok(Self { start, end })
    }

    pub fn overlaps(&self, other: &TimeRange) -> bool {
        self.start < other.end && other.start < self.end
    }

    pub fn duration(&self) -> Duration {
        self.end - self.start
    }

    /// The same range widened by `by` on both sides.
    pub fn widened(&self, by: Duration) -> TimeRange {
        TimeRange {
            start: self.start - by,
            end: self.end + by,
        }
    }
}

/// A span of local days `[from, to]`, both included, at most `max_days` apart: the window of a
/// list or a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DayRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl DayRange {
    pub fn new(from: NaiveDate, to: NaiveDate, max_days: i64) -> Result<Self, AppError> {
        if to < from {
            return Err(AppError::validation("to", "is before from"));
        }
        if (to - from).num_days() > max_days {
            return Err(AppError::validation(
                "to",
                format!("at most {max_days} days after from"),
            ));
        }
        Ok(Self { from, to })
    }
}

fn truncate_micros(t: DateTime<Utc>) -> DateTime<Utc> {
    let nanos = t.timestamp_subsec_nanos();
    t - Duration::nanoseconds(i64::from(nanos % 1000))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARIS: Tz = chrono_tz::Europe::Paris;

    fn local(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn late_evening_utc_is_the_next_day_in_paris() {
        let instant = "2026-07-14T22:30:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(local_date(instant, PARIS).to_string(), "2026-07-15");
        assert_eq!(
            local_date(instant, chrono_tz::UTC).to_string(),
            "2026-07-14"
        );
    }

    #[test]
    fn local_times_across_the_changes() {
        // Ordinary winter and summer times.
        assert_eq!(
            resolve_local(PARIS, local("2027-01-10 10:00")).to_rfc3339(),
            "2027-01-10T09:00:00+00:00"
        );
        assert_eq!(
            resolve_local(PARIS, local("2027-07-10 10:00")).to_rfc3339(),
            "2027-07-10T08:00:00+00:00"
        );
        // 28 March 2027: 02:00 jumps to 03:00; 02:30 does not exist and reads as 03:30 CEST.
        assert_eq!(
            resolve_local(PARIS, local("2027-03-28 02:30")).to_rfc3339(),
            "2027-03-28T01:30:00+00:00"
        );
        // 31 October 2027: 02:30 happens twice; the first (CEST) is meant.
        assert_eq!(
            resolve_local(PARIS, local("2027-10-31 02:30")).to_rfc3339(),
            "2027-10-31T00:30:00+00:00"
        );
    }

    #[test]
    fn ranges_are_validated() {
        let t = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let max = Duration::days(366);
        assert!(
            TimeRange::new(
                t("2026-01-01T10:00:00Z"),
                t("2026-01-01T09:00:00Z"),
                max,
                "end"
            )
            .is_err()
        );
        assert!(
            TimeRange::new(
                t("2026-01-01T10:00:00Z"),
                t("2026-01-01T10:00:00Z"),
                max,
                "end"
            )
            .is_err()
        );
        assert!(
            TimeRange::new(
                t("2026-01-01T10:00:00Z"),
                t("2028-01-01T10:00:00Z"),
                max,
                "end"
            )
            .is_err()
        );
        assert!(
            TimeRange::new(
                t("1999-12-31T10:00:00Z"),
                t("1999-12-31T11:00:00Z"),
                max,
                "end"
            )
            .is_err()
        );
        assert!(
            TimeRange::new(
                t("2200-12-31T23:00:00Z"),
                t("2201-01-01T01:00:00Z"),
                max,
                "end"
            )
            .is_err()
        );
        let r = TimeRange::new(
            t("2026-01-01T10:00:00Z"),
            t("2026-01-01T11:00:00Z"),
            max,
            "end",
        )
        .unwrap();
        let next = TimeRange::new(
            t("2026-01-01T11:00:00Z"),
            t("2026-01-01T12:00:00Z"),
            max,
            "end",
        )
        .unwrap();
        assert!(
            !r.overlaps(&next),
            "half-open: back-to-back does not overlap"
        );
        assert!(r.widened(Duration::minutes(1)).overlaps(&next));
    }
}

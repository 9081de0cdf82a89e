//! Repeating bookings. DAILY and WEEKLY with an interval are calendar arithmetic on local
//! dates; each occurrence keeps the first one's local wall-clock times, and chrono-tz turns
//! them into instants (so a 10:00 weekly meeting stays at 10:00 across the DST changes).

use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;

use super::time::{TimeRange, resolve_local};
use crate::error::AppError;

/// The most occurrences one series may have.
pub const MAX_OCCURRENCES: u32 = 366;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Frequency {
    Daily,
    Weekly,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecurrenceEnd {
    /// This many occurrences, the first included.
    Count(u32),
    /// Occurrences starting on or before this local day.
    Until(NaiveDate),
}

/// A validated recurrence rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Recurrence {
    pub frequency: Frequency,
    pub interval: u32,
    pub end: RecurrenceEnd,
}

impl Recurrence {
    /// Checks what a person typed: an interval of at least 1, and exactly one of `count` and
    /// `until`, with at most 366 occurrences.
    pub fn new(
        frequency: Frequency,
        interval: Option<i32>,
        count: Option<i32>,
        until: Option<NaiveDate>,
    ) -> Result<Self, AppError> {
        let interval = match interval {
            None => 1,
            Some(n) if (1..=366).contains(&n) => n as u32,
            Some(_) => {
                return Err(AppError::validation(
                    "recurrence.interval",
                    "must be between 1 and 366",
                ));
            }
        };
        let end = match (count, until) {
            (Some(_), Some(_)) => {
                return Err(AppError::validation(
                    "recurrence",
                    "give either count or until, not both",
                ));
            }
            (None, None) => {
                return Err(AppError::validation(
                    "recurrence",
                    "give count (how many occurrences) or until (the last day)",
                ));
            }
            (Some(n), None) if n < 1 => {
                return Err(AppError::validation(
                    "recurrence.count",
                    "must be at least 1",
                ));
            }
            (Some(n), None) if n as u32 > MAX_OCCURRENCES => {
                return Err(AppError::validation(
                    "recurrence.count",
                    format!("at most {MAX_OCCURRENCES} occurrences in one series"),
                ));
            }
            (Some(n), None) => RecurrenceEnd::Count(n as u32),
            (None, Some(day)) => RecurrenceEnd::Until(day),
        };
        Ok(Self {
            frequency,
            interval,
            end,
        })
    }

    fn step_days(&self) -> i64 {
        let unit = match self.frequency {
            Frequency::Daily => 1,
            Frequency::Weekly => 7,
        };
        unit * i64::from(self.interval)
    }

    /// Every occurrence of a series whose first occurrence is `first`, in the time zone `tz`.
    pub fn occurrences(&self, first: TimeRange, tz: Tz) -> Result<Vec<TimeRange>, AppError> {
        let local_start = first.start.with_timezone(&tz).naive_local();
        let local_end = first.end.with_timezone(&tz).naive_local();
        if let RecurrenceEnd::Until(day) = self.end
            && day < local_start.date()
        {
            return Err(AppError::validation(
                "recurrence.until",
                "is before the first occurrence",
            ));
        }
        let mut out = Vec::new();
        for k in 0i64.. {
            let shift = Duration::days(self.step_days() * k);
            let (start, end) = (local_start + shift, local_end + shift);
            match self.end {
                RecurrenceEnd::Count(n) if out.len() as u32 >= n => break,
                RecurrenceEnd::Until(day) if start.date() > day => break,
                _ => {}
            }
            if out.len() as u32 >= MAX_OCCURRENCES {
                return Err(AppError::validation(
                    "recurrence.until",
                    format!(
                        "this makes more than {MAX_OCCURRENCES} occurrences; end the series earlier"
                    ),
                ));
            }
            if k == 0 {
                // The first occurrence is the range as given (its offsets settle which of two
                // repeated autumn hours was meant).
                out.push(first);
                continue;
            }
            let range = TimeRange {
                start: resolve_local(tz, start),
                end: resolve_local(tz, end),
            };
            if range.end <= range.start {
                return Err(AppError::validation(
                    "recurrence",
                    format!(
                        "on {}, {}-{} does not exist in {} (the clocks change that night): \
                         choose other times or end the series before",
                        start.date(),
                        start.format("%H:%M"),
                        end.format("%H:%M"),
                        tz.name()
                    ),
                ));
            }
            out.push(range);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    const PARIS: Tz = chrono_tz::Europe::Paris;

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn first_range(start: DateTime<Utc>, end: DateTime<Utc>) -> TimeRange {
        TimeRange { start, end }
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn weekly_keeps_wall_clock_time_across_march_and_october() {
        // Tuesdays 10:00-12:00 Paris from 16 March 2027 (CET) over the 28 March change.
        let rule = Recurrence::new(Frequency::Weekly, None, Some(3), None).unwrap();
        let occ = rule
            .occurrences(
                first_range(t("2027-03-16T09:00:00Z"), t("2027-03-16T11:00:00Z")),
                PARIS,
            )
            .unwrap();
        let starts: Vec<String> = occ.iter().map(|r| r.start.to_rfc3339()).collect();
        assert_eq!(
            starts,
            [
                "2027-03-16T09:00:00+00:00",
                "2027-03-23T09:00:00+00:00",
                "2027-03-30T08:00:00+00:00" // 10:00 CEST
            ]
        );
        assert!(occ.iter().all(|r| r.duration() == Duration::hours(2)));

        // And back in October (31 October 2027).
        let occ = rule
            .occurrences(
                first_range(t("2027-10-26T08:00:00Z"), t("2027-10-26T10:00:00Z")),
                PARIS,
            )
            .unwrap();
        assert_eq!(occ[1].start.to_rfc3339(), "2027-11-02T09:00:00+00:00");
    }

    #[test]
    fn a_night_over_the_change_keeps_its_local_times() {
        // 22:00 to 06:00 local, daily, across the October night that lasts an hour longer.
        let rule = Recurrence::new(Frequency::Daily, None, Some(2), None).unwrap();
        let occ = rule
            .occurrences(
                first_range(t("2027-10-29T20:00:00Z"), t("2027-10-30T04:00:00Z")),
                PARIS,
            )
            .unwrap();
        assert_eq!(occ[1].duration(), Duration::hours(9));
    }

    #[test]
    fn occurrences_in_the_spring_gap_are_refused_and_the_first_is_kept_as_given() {
        // Daily 02:30-03:10 from 27 March 2027: on the 28th that time does not exist.
        let rule = Recurrence::new(Frequency::Daily, None, Some(3), None).unwrap();
        let err = rule
            .occurrences(
                first_range(t("2027-03-27T01:30:00Z"), t("2027-03-27T02:10:00Z")),
                PARIS,
            )
            .unwrap_err();
        assert_eq!(err.code(), "VALIDATION");
        assert!(err.message().contains("2027-03-28"), "{}", err.message());
        // 02:30-03:30 would be zero long on the 28th: refused too.
        let err = rule
            .occurrences(
                first_range(t("2027-03-27T01:30:00Z"), t("2027-03-27T02:30:00Z")),
                PARIS,
            )
            .unwrap_err();
        assert_eq!(err.code(), "VALIDATION");
        // 02:30-05:00 starts at 03:30 CEST that day (RFC 5545), and ends at 05:00.
        let occ = rule
            .occurrences(
                first_range(t("2027-03-27T01:30:00Z"), t("2027-03-27T04:00:00Z")),
                PARIS,
            )
            .unwrap();
        assert_eq!(occ[1].start.to_rfc3339(), "2027-03-28T01:30:00+00:00");
        assert_eq!(occ[1].end.to_rfc3339(), "2027-03-28T03:00:00+00:00");
        // The second 02:30 of 31 October (CET, +01:00), as given, stays one hour long.
        let first = first_range(t("2027-10-31T01:30:00Z"), t("2027-10-31T02:30:00Z"));
        let occ = Recurrence::new(Frequency::Weekly, None, Some(2), None)
            .unwrap()
            .occurrences(first, PARIS)
            .unwrap();
        assert_eq!(occ[0], first);
    }

    #[test]
    fn until_interval_and_limits() {
        let rule = Recurrence::new(Frequency::Daily, Some(2), None, Some(d("2027-01-09"))).unwrap();
        let occ = rule
            .occurrences(
                first_range(t("2027-01-01T09:00:00Z"), t("2027-01-01T10:00:00Z")),
                PARIS,
            )
            .unwrap();
        assert_eq!(occ.len(), 5, "1, 3, 5, 7, 9 January");

        assert!(Recurrence::new(Frequency::Daily, None, Some(367), None).is_err());
        assert!(Recurrence::new(Frequency::Daily, None, Some(0), None).is_err());
        assert!(Recurrence::new(Frequency::Daily, Some(0), Some(3), None).is_err());
        assert!(Recurrence::new(Frequency::Daily, None, None, None).is_err());
        assert!(Recurrence::new(Frequency::Daily, None, Some(2), Some(d("2027-01-09"))).is_err());

        let too_long =
            Recurrence::new(Frequency::Daily, None, None, Some(d("2028-06-01"))).unwrap();
        let err = too_long
            .occurrences(
                first_range(t("2027-01-01T09:00:00Z"), t("2027-01-01T10:00:00Z")),
                PARIS,
            )
            .unwrap_err();
        assert_eq!(err.code(), "VALIDATION");
        let exactly = Recurrence::new(Frequency::Daily, None, Some(366), None).unwrap();
        assert_eq!(
            exactly
                .occurrences(
                    first_range(t("2027-01-01T09:00:00Z"), t("2027-01-01T10:00:00Z")),
                    PARIS
                )
                .unwrap()
                .len(),
            366
        );
        let before = Recurrence::new(Frequency::Weekly, None, None, Some(d("2026-12-31"))).unwrap();
        assert!(
            before
                .occurrences(
                    first_range(t("2027-01-01T09:00:00Z"), t("2027-01-01T10:00:00Z")),
                    PARIS
                )
                .is_err()
        );
    }
}

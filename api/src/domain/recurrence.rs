//! Repeating bookings and events. Which local days a series falls on is RFC 5545's business
//! (the `rrule` crate: DAILY, WEEKLY, and MONTHLY on a weekday's ordinal, "every first
//! Saturday"); each occurrence keeps the first one's local wall-clock times on its day, and
//! chrono-tz turns them into instants (so a 10:00 weekly meeting stays at 10:00 across the DST
//! changes).

use chrono::{Datelike, NaiveDate, Weekday};
use chrono_tz::Tz;

use super::time::{TimeRange, resolve_local};
use crate::error::AppError;

/// The most occurrences one series may have.
pub const MAX_OCCURRENCES: u32 = 366;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Frequency {
    Daily,
    Weekly,
    /// On one weekday of the month: its `week`-th (1 to 4), or the last (-1).
    Monthly {
        weekday: Weekday,
        week: i8,
    },
}

impl Frequency {
    /// A monthly rule from what a person typed: a weekday and its ordinal in the month.
    pub fn monthly(weekday: Option<Weekday>, week: Option<i32>) -> Result<Self, AppError> {
        let weekday = weekday.ok_or_else(|| {
            AppError::validation(
                "recurrence.onWeekday",
                "a MONTHLY series needs onWeekday (and weekOfMonth): \"every first SATURDAY\"",
            )
        })?;
        let week = match week {
            Some(w @ (1..=4 | -1)) => w as i8,
            Some(_) => {
                return Err(AppError::validation(
                    "recurrence.weekOfMonth",
                    "must be 1 to 4 (first to fourth), or -1 (the last of the month)",
                ));
            }
            None => {
                return Err(AppError::validation(
                    "recurrence.weekOfMonth",
                    "a MONTHLY series needs weekOfMonth: 1 to 4, or -1 for the last",
                ));
            }
        };
        Ok(Self::Monthly { weekday, week })
    }
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

    /// The rule as RFC 5545 writes it, from `first` (a local day).
    fn rrule(&self, first: NaiveDate) -> String {
        let freq = match self.frequency {
            Frequency::Daily => "DAILY".to_string(),
            Frequency::Weekly => "WEEKLY".to_string(),
            Frequency::Monthly { weekday, week } => {
                let day = &format!("{weekday:?}").to_uppercase()[..2];
                format!("MONTHLY;BYDAY={week}{day}")
            }
        };
        let end = match self.end {
            RecurrenceEnd::Count(n) => format!("COUNT={n}"),
            // One more than the limit, to tell a series that is too long.
            RecurrenceEnd::Until(day) => format!(
                "UNTIL={}T235959Z;COUNT={}",
                day.format("%Y%m%d"),
                MAX_OCCURRENCES + 1
            ),
        };
        format!(
            "DTSTART:{}T000000Z\nRRULE:FREQ={freq};INTERVAL={};{end}",
            first.format("%Y%m%d"),
            self.interval
        )
    }

    /// The local days of a series starting on `first`, which must itself fall on the rule.
    pub fn days(&self, first: NaiveDate) -> Result<Vec<NaiveDate>, AppError> {
        if let RecurrenceEnd::Until(day) = self.end
            && day < first
        {
            return Err(AppError::validation(
                "recurrence.until",
                "is before the first occurrence",
            ));
        }
        let set: rrule::RRuleSet = self
            .rrule(first)
            .parse()
            .map_err(|e| AppError::internal(anyhow::anyhow!("recurrence rule: {e}")))?;
        let days: Vec<NaiveDate> = set
            .all(u16::try_from(MAX_OCCURRENCES + 1).unwrap_or(u16::MAX))
            .dates
            .iter()
            .map(|d| d.date_naive())
            .collect();
        if days.first() != Some(&first) {
            let rule = match self.frequency {
                Frequency::Monthly { weekday, week } => {
                    format!("{} {weekday} of the month", ordinal(week))
                }
                _ => "the rule".to_string(),
            };
            return Err(AppError::validation(
                "start",
                format!(
                    "{first} ({}) is not the {rule}: start the series on one",
                    first.weekday()
                ),
            ));
        }
        if days.len() as u32 > MAX_OCCURRENCES {
            return Err(AppError::validation(
                "recurrence.until",
                format!(
                    "this makes more than {MAX_OCCURRENCES} occurrences; end the series earlier"
                ),
            ));
        }
        Ok(days)
    }

    /// Every occurrence of a series whose first occurrence is `first`, in the time zone `tz`.
    pub fn occurrences(&self, first: TimeRange, tz: Tz) -> Result<Vec<TimeRange>, AppError> {
        let local_start = first.start.with_timezone(&tz).naive_local();
        let local_end = first.end.with_timezone(&tz).naive_local();
        let length = local_end - local_start;
        let days = self.days(local_start.date())?;
        let mut out = Vec::with_capacity(days.len());
        for (k, day) in days.into_iter().enumerate() {
            if k == 0 {
                // The first occurrence is the range as given (its offsets settle which of two
                // repeated autumn hours was meant).
                out.push(first);
                continue;
            }
            let start = day.and_time(local_start.time());
            let end = start + length;
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

fn ordinal(week: i8) -> &'static str {
    match week {
        1 => "first",
        2 => "second",
        3 => "third",
        4 => "fourth",
        _ => "last",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Duration, Utc};

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
    fn every_first_saturday_across_the_october_change_keeps_ten_oclock() {
        let rule = Recurrence::new(
            Frequency::monthly(Some(Weekday::Sat), Some(1)).unwrap(),
            None,
            Some(3),
            None,
        )
        .unwrap();
        // Saturday 2 October 2027, 10:00-12:00 CEST; then 6 November and 4 December (CET).
        let occ = rule
            .occurrences(
                first_range(t("2027-10-02T08:00:00Z"), t("2027-10-02T10:00:00Z")),
                PARIS,
            )
            .unwrap();
        let starts: Vec<String> = occ
            .iter()
            .map(|r| r.start.with_timezone(&PARIS).to_rfc3339())
            .collect();
        assert_eq!(
            starts,
            [
                "2027-10-02T10:00:00+02:00",
                "2027-11-06T10:00:00+01:00",
                "2027-12-04T10:00:00+01:00"
            ]
        );
        // The last Friday, until the end of the year.
        let last = Recurrence::new(
            Frequency::monthly(Some(Weekday::Fri), Some(-1)).unwrap(),
            None,
            None,
            Some(d("2027-12-31")),
        )
        .unwrap();
        assert_eq!(
            last.days(d("2027-10-29")).unwrap(),
            [d("2027-10-29"), d("2027-11-26"), d("2027-12-31")]
        );
        // A first day off the rule is refused, naming it.
        let err = rule.days(d("2027-10-09")).unwrap_err();
        assert_eq!(err.code(), "VALIDATION");
        assert!(err.message().contains("first Sat"), "{}", err.message());
        assert!(Frequency::monthly(Some(Weekday::Sat), Some(5)).is_err());
        assert!(Frequency::monthly(None, Some(1)).is_err());
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

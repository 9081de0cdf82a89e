//! Membership rules that need no database: period ends, status on a day, prices.

use chrono::{Datelike, Months, NaiveDate};

use super::stored_enum::stored_enum;
use crate::domain::Money;
use crate::error::AppError;

stored_enum! {
    /// How a plan's period is computed from its start day.
    pub enum PlanPeriod {
        /// `periodMonths` months from the start day.
        Rolling => "ROLLING",
        /// Until 31 December of the start's year.
        CalendarYear => "CALENDAR_YEAR",
        /// Until the 31 August after the start.
        SchoolYear => "SCHOOL_YEAR",
    }
}

impl PlanPeriod {
    /// The length of a period of this kind: ROLLING plans choose 1 to 120 months (12 when
    /// not given); calendar and school years are 12 months, and another value is refused.
    pub fn months(self, given: Option<i32>, field: &str) -> Result<u32, AppError> {
        match (self, given) {
            (Self::Rolling, None) => Ok(12),
            (Self::Rolling, Some(m)) if (1..=120).contains(&m) => Ok(m.unsigned_abs()),
            (Self::Rolling, Some(_)) => {
                Err(AppError::validation(field, "must be between 1 and 120"))
            }
            (_, None | Some(12)) => Ok(12),
            (_, Some(_)) => Err(AppError::validation(
                field,
                "calendar and school years last 12 months; only ROLLING plans choose",
            )),
        }
    }

    /// The last day (included) of a period of this kind starting on `start`.
    ///
    /// - ROLLING: API.md's `startsOn + periodMonths - 1 day`, where adding months keeps the day
    ///   of the month or, when that day does not exist, takes the month's last day (as chrono,
    ///   PostgreSQL's `+ interval` and Python's dateutil do): 31 Jan + 1 month is 28 Feb, so the
    ///   period ends on 27 Feb; 29 Feb 2028 + 12 months is 28 Feb 2029, so it ends on 27 Feb.
    /// - CALENDAR_YEAR: 31 December of the start's year.
    /// - SCHOOL_YEAR: the first 31 August strictly after the start. A start on 31 August itself
    ///   ends on 31 August of the next year (someone who joins on the eve of the school year
    ///   gets that school year, not a one-day membership); a start on 1 September 2026 ends on
    ///   31 August 2027.
    pub fn end(self, start: NaiveDate, months: u32) -> NaiveDate {
        match self {
            Self::Rolling => start
                .checked_add_months(Months::new(months.max(1)))
                .and_then(|d| d.pred_opt())
                .expect("dates stay in range"),
            Self::CalendarYear => NaiveDate::from_ymd_opt(start.year(), 12, 31).expect("31 Dec"),
            Self::SchoolYear => {
                let this_year = NaiveDate::from_ymd_opt(start.year(), 8, 31).expect("31 Aug");
                if start < this_year {
                    this_year
                } else {
                    NaiveDate::from_ymd_opt(start.year() + 1, 8, 31).expect("31 Aug")
                }
            }
        }
    }
}

/// A membership's first day, within years a venue can mean (1900 to 2200): anything else is a
/// typing mistake, and far dates would overflow period arithmetic.
pub fn check_start_day(field: &str, day: NaiveDate) -> Result<NaiveDate, AppError> {
    if !(1900..=2200).contains(&day.year()) {
        return Err(AppError::validation(
            field,
            format!("{day} is not a plausible start day (years 1900 to 2200)"),
        ));
    }
    Ok(day)
}

stored_enum! {
    /// A membership's state on a given local day (computed, never stored).
    pub enum MembershipStatus {
        /// Today is within the period.
        Active => "ACTIVE",
        /// Paid ahead (an early renewal): the period starts after today.
        Upcoming => "UPCOMING",
        /// The period is over.
        Expired => "EXPIRED",
        Cancelled => "CANCELLED",
    }
}

impl MembershipStatus {
    pub fn on(today: NaiveDate, starts_on: NaiveDate, ends_on: NaiveDate, cancelled: bool) -> Self {
        if cancelled {
            Self::Cancelled
        } else if today > ends_on {
            Self::Expired
        } else if today < starts_on {
            Self::Upcoming
        } else {
            Self::Active
        }
    }
}

/// What a plan charges: a fixed price, or pay-what-you-can from a floor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlanPrice {
    /// The fixed price, or the suggested amount of a pay-what-you-can plan.
    pub price: Money,
    /// Set on pay-what-you-can plans: the least accepted amount.
    pub min_price: Option<Money>,
}

impl PlanPrice {
    pub fn new(price: Money, min_price: Option<Money>) -> Result<Self, AppError> {
        if let Some(min) = min_price
            && min > price
        {
            return Err(AppError::validation(
                "minPrice",
                format!(
                    "the floor ({}) must not be above the suggested price ({})",
                    min.to_decimal(),
                    price.to_decimal()
                ),
            ));
        }
        Ok(Self { price, min_price })
    }

    /// Checks an amount paid against the plan (`VALIDATION` on `field`).
    pub fn check(self, field: &str, paid: Money) -> Result<(), AppError> {
        match self.min_price {
            Some(min) if paid < min => Err(AppError::validation(
                field,
                format!(
                    "this plan is pay-what-you-can from {} EUR; {} is below that",
                    min.to_decimal(),
                    paid.to_decimal()
                ),
            )),
            Some(_) => Ok(()),
            None if paid != self.price => Err(AppError::validation(
                field,
                format!(
                    "this plan costs {} EUR; {} was given",
                    self.price.to_decimal(),
                    paid.to_decimal()
                ),
            )),
            None => Ok(()),
        }
    }
}

stored_enum! {
    /// What kind of structure an organization is.
    pub enum OrganizationKind {
        Association => "ASSOCIATION",
        Company => "COMPANY",
        PublicBody => "PUBLIC_BODY",
        Collective => "COLLECTIVE",
        Other => "OTHER",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn rolling_periods_end_the_day_before_the_same_day_later() {
        let r = PlanPeriod::Rolling;
        assert_eq!(r.end(d("2026-03-14"), 12), d("2027-03-13"));
        assert_eq!(r.end(d("2026-01-01"), 1), d("2026-01-31"));
        assert_eq!(r.end(d("2026-01-15"), 1), d("2026-02-14"));
        assert_eq!(r.end(d("2026-12-01"), 3), d("2027-02-28"));
        // 31 January + 1 month is 28 February (no 31st): the period ends the day before.
        assert_eq!(r.end(d("2026-01-31"), 1), d("2026-02-27"));
        assert_eq!(r.end(d("2028-01-31"), 1), d("2028-02-28"), "leap year");
        assert_eq!(r.end(d("2026-01-30"), 1), d("2026-02-27"));
        assert_eq!(r.end(d("2028-01-29"), 1), d("2028-02-28"), "29 Feb exists");
        assert_eq!(r.end(d("2026-03-31"), 1), d("2026-04-29"));
        assert_eq!(r.end(d("2026-08-31"), 6), d("2027-02-27"));
        // A year from 29 February: 28 February of the next year, minus a day.
        assert_eq!(r.end(d("2028-02-29"), 12), d("2029-02-27"));
        assert_eq!(r.end(d("2028-02-29"), 48), d("2032-02-28"));
        assert_eq!(r.end(d("2027-03-01"), 12), d("2028-02-29"));
        assert_eq!(r.end(d("2026-03-01"), 12), d("2027-02-28"));
    }

    #[test]
    fn calendar_years_end_on_31_december_of_the_start() {
        let c = PlanPeriod::CalendarYear;
        assert_eq!(c.end(d("2026-01-01"), 12), d("2026-12-31"));
        assert_eq!(c.end(d("2026-09-15"), 12), d("2026-12-31"));
        assert_eq!(c.end(d("2028-02-29"), 12), d("2028-12-31"));
        assert_eq!(c.end(d("2026-12-31"), 12), d("2026-12-31"));
    }

    #[test]
    fn school_years_end_on_the_31_august_after_the_start() {
        let s = PlanPeriod::SchoolYear;
        assert_eq!(s.end(d("2026-09-01"), 12), d("2027-08-31"));
        assert_eq!(s.end(d("2026-09-15"), 12), d("2027-08-31"));
        assert_eq!(s.end(d("2027-01-10"), 12), d("2027-08-31"));
        assert_eq!(s.end(d("2027-08-30"), 12), d("2027-08-31"));
        assert_eq!(
            s.end(d("2026-08-31"), 12),
            d("2027-08-31"),
            "a start on 31 August gets the next school year"
        );
        assert_eq!(s.end(d("2028-02-29"), 12), d("2028-08-31"));
    }

    #[test]
    fn period_lengths() {
        assert_eq!(PlanPeriod::Rolling.months(None, "m").unwrap(), 12);
        assert_eq!(PlanPeriod::Rolling.months(Some(6), "m").unwrap(), 6);
        assert!(PlanPeriod::Rolling.months(Some(0), "m").is_err());
        assert!(PlanPeriod::Rolling.months(Some(121), "m").is_err());
        assert_eq!(PlanPeriod::SchoolYear.months(Some(12), "m").unwrap(), 12);
        assert!(PlanPeriod::CalendarYear.months(Some(6), "m").is_err());
    }

    #[test]
    fn start_days_are_plausible() {
        assert!(check_start_day("startsOn", d("2026-09-01")).is_ok());
        assert!(check_start_day("startsOn", d("1899-12-31")).is_err());
        assert!(check_start_day("startsOn", d("2201-01-01")).is_err());
    }

    #[test]
    fn status_by_day() {
        let (start, end) = (d("2026-01-01"), d("2026-12-31"));
        use MembershipStatus::*;
        assert_eq!(
            MembershipStatus::on(d("2025-12-31"), start, end, false),
            Upcoming
        );
        assert_eq!(
            MembershipStatus::on(d("2026-01-01"), start, end, false),
            Active
        );
        assert_eq!(
            MembershipStatus::on(d("2026-12-31"), start, end, false),
            Active
        );
        assert_eq!(
            MembershipStatus::on(d("2027-01-01"), start, end, false),
            Expired
        );
        assert_eq!(
            MembershipStatus::on(d("2026-06-01"), start, end, true),
            Cancelled
        );
    }

    #[test]
    fn fixed_prices_and_floors() {
        let fixed = PlanPrice::new(Money::from_cents(1500), None).unwrap();
        assert!(fixed.check("amountPaid", Money::from_cents(1500)).is_ok());
        assert!(fixed.check("amountPaid", Money::from_cents(1400)).is_err());
        assert!(fixed.check("amountPaid", Money::from_cents(1600)).is_err());
        let pwyc = PlanPrice::new(Money::from_cents(1000), Some(Money::from_cents(200))).unwrap();
        assert!(pwyc.check("amountPaid", Money::from_cents(200)).is_ok());
        assert!(pwyc.check("amountPaid", Money::from_cents(5000)).is_ok());
        let err = pwyc
            .check("amountPaid", Money::from_cents(199))
            .unwrap_err();
        assert_eq!(err.code(), "VALIDATION");
        assert!(PlanPrice::new(Money::from_cents(100), Some(Money::from_cents(200))).is_err());
    }
}

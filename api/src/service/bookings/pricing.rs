//! What a booking costs (API.md, "Price"). Pure functions: the booking service gathers the
//! facts (rates, booker, membership) and these decide.

use chrono::Duration;
use chrono_tz::Tz;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::domain::{Money, PriceTier, TimeRange, local_date, start_of_day};

/// A space's price for one tier, in cents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate {
    pub hourly_cents: i64,
    /// The most one local day costs; `None` is no cap.
    pub daily_cents: Option<i64>,
}

/// A space's rates, at most one per tier.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rates(Vec<(PriceTier, Rate)>);

impl Rates {
    /// Validates rates typed by a manager: one per tier, amounts not negative, whole cents.
    pub fn new(
        entries: impl IntoIterator<
            Item = (
                PriceTier,
                rust_decimal::Decimal,
                Option<rust_decimal::Decimal>,
            ),
        >,
    ) -> Result<Self, crate::error::AppError> {
        let mut out: Vec<(PriceTier, Rate)> = Vec::new();
        for (tier, hourly, daily) in entries {
            if out.iter().any(|(t, _)| *t == tier) {
                return Err(crate::error::AppError::validation(
                    "rates",
                    format!("{tier} appears twice: give one rate per tier"),
                ));
            }
            let hourly = Money::parse_non_negative("rates.hourly", hourly)?;
            let daily = daily
                .map(|d| Money::parse_non_negative("rates.daily", d))
                .transpose()?;
            out.push((
                tier,
                Rate {
                    hourly_cents: hourly.cents(),
                    daily_cents: daily.map(Money::cents),
                },
            ));
        }
        out.sort_by_key(|(tier, _)| *tier);
        Ok(Self(out))
    }

    pub fn from_stored(entries: Vec<(PriceTier, Rate)>) -> Self {
        Self(entries)
    }

    pub fn entries(&self) -> &[(PriceTier, Rate)] {
        &self.0
    }
}

/// The tier a booking is priced at, before looking at the space's rates: the one staff chose,
/// else RESIDENT for a resident organization, MEMBER for a booker with a membership active on
/// the booking's first day, else PUBLIC.
pub fn requested_tier(chosen: Option<PriceTier>, resident: bool, member: bool) -> PriceTier {
    match chosen {
        Some(tier) => tier,
        None if resident => PriceTier::Resident,
        None if member => PriceTier::Member,
        None => PriceTier::Public,
    }
}

/// The tier actually applied and its rate: a tier the space has no rate for falls back to
/// PUBLIC; no PUBLIC rate either means the booking is free (`None`).
pub fn applied_rate(rates: &[(PriceTier, Rate)], tier: PriceTier) -> (PriceTier, Option<Rate>) {
    let find = |wanted: PriceTier| rates.iter().find(|(t, _)| *t == wanted).map(|(_, r)| *r);
    match find(tier) {
        Some(rate) => (tier, Some(rate)),
        None => (PriceTier::Public, find(PriceTier::Public)),
    }
}

/// For each local day the booking touches, `min(hourly x hours that day, daily)`; the price is
/// their sum, rounded half-up to the cent once at the end. Days are local days of `tz`, so a
/// day of the DST change has 23 or 25 hours.
pub fn price(range: TimeRange, tz: Tz, rate: Option<Rate>) -> Money {
    let Some(rate) = rate else {
        return Money::ZERO;
    };
    let mut total_cents = Decimal::ZERO;
    let mut day = local_date(range.start, tz);
    loop {
        let day_start = start_of_day(tz, day);
        if day_start >= range.end {
            break;
        }
        let next_day = day
            .succ_opt()
            .expect("a booking ends before the year 262143");
        let day_end = start_of_day(tz, next_day);
        let overlap = range.end.min(day_end) - range.start.max(day_start);
        if overlap > Duration::zero() {
            let seconds = Decimal::from(overlap.num_seconds());
            let mut amount = Decimal::from(rate.hourly_cents) * seconds / Decimal::from(3600);
            if let Some(cap) = rate.daily_cents {
                amount = amount.min(Decimal::from(cap));
            }
            total_cents += amount;
        }
        day = next_day;
    }
    let cents = total_cents.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    Money::from_cents(i64::try_from(cents).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use super::*;

    const PARIS: Tz = chrono_tz::Europe::Paris;

    fn range(start: &str, end: &str) -> TimeRange {
        TimeRange {
            start: start.parse::<DateTime<Utc>>().unwrap(),
            end: end.parse::<DateTime<Utc>>().unwrap(),
        }
    }

    fn rate(hourly: i64, daily: Option<i64>) -> Option<Rate> {
        Some(Rate {
            hourly_cents: hourly,
            daily_cents: daily,
        })
    }

    #[test]
    fn hours_times_rate_rounded_half_up() {
        // 2 h at 12.50 = 25.00.
        let r = range("2027-01-12T09:00:00Z", "2027-01-12T11:00:00Z");
        assert_eq!(price(r, PARIS, rate(1250, None)).cents(), 2500);
        // 1 h 20 at 12.50 = 16.666… -> 16.67.
        let r = range("2027-01-12T09:00:00Z", "2027-01-12T10:20:00Z");
        assert_eq!(price(r, PARIS, rate(1250, None)).cents(), 1667);
        // 30 min at 0.15 = 0.075 -> 0.08 (half-up, not to even).
        let r = range("2027-01-12T09:00:00Z", "2027-01-12T09:30:00Z");
        assert_eq!(price(r, PARIS, rate(15, None)).cents(), 8);
        // 10 min at 0.03 = 0.005 -> 0.01.
        let r = range("2027-01-12T09:00:00Z", "2027-01-12T09:10:00Z");
        assert_eq!(price(r, PARIS, rate(3, None)).cents(), 1);
    }

    #[test]
    fn the_daily_cap_applies_per_local_day() {
        // 9 h on one day at 20/h, capped at 120.
        let r = range("2027-01-12T07:00:00Z", "2027-01-12T16:00:00Z");
        assert_eq!(price(r, PARIS, rate(2000, Some(12000))).cents(), 12000);
        // 20:00 local to 10:00 local next day: 4 h (80) + 10 h (capped 120) = 200.
        let r = range("2027-01-12T19:00:00Z", "2027-01-13T09:00:00Z");
        assert_eq!(price(r, PARIS, rate(2000, Some(12000))).cents(), 20000);
        // Without a cap, 14 h = 280.
        assert_eq!(price(r, PARIS, rate(2000, None)).cents(), 28000);
        // Three whole local days, capped: 3 x 120.
        let r = range("2027-01-11T23:00:00Z", "2027-01-14T23:00:00Z");
        assert_eq!(price(r, PARIS, rate(2000, Some(12000))).cents(), 36000);
    }

    #[test]
    fn dst_days_have_23_and_25_hours() {
        // The whole local day of 28 March 2027 (23 h) and of 31 October 2027 (25 h), at 10/h.
        let spring = range("2027-03-27T23:00:00Z", "2027-03-28T22:00:00Z");
        assert_eq!(price(spring, PARIS, rate(1000, None)).cents(), 23000);
        let autumn = range("2027-10-30T22:00:00Z", "2027-10-31T23:00:00Z");
        assert_eq!(price(autumn, PARIS, rate(1000, None)).cents(), 25000);
        // Capped, each is one day.
        assert_eq!(price(autumn, PARIS, rate(1000, Some(15000))).cents(), 15000);
        // 00:00-04:00 local on 31 October is 5 real hours.
        let night = range("2027-10-30T22:00:00Z", "2027-10-31T03:00:00Z");
        assert_eq!(price(night, PARIS, rate(1000, None)).cents(), 5000);
    }

    #[test]
    fn a_local_day_is_the_sites_day_not_utcs() {
        // 23:00-01:00 Paris in winter is 22:00-00:00 UTC: one UTC day, two local days.
        let r = range("2027-01-12T22:00:00Z", "2027-01-13T00:00:00Z");
        assert_eq!(price(r, PARIS, rate(6000, Some(5000))).cents(), 10000);
        assert_eq!(
            price(r, chrono_tz::UTC, rate(6000, Some(5000))).cents(),
            5000
        );
    }

    #[test]
    fn tiers_and_fallbacks() {
        assert_eq!(requested_tier(None, false, false), PriceTier::Public);
        assert_eq!(requested_tier(None, false, true), PriceTier::Member);
        assert_eq!(requested_tier(None, true, true), PriceTier::Resident);
        assert_eq!(
            requested_tier(Some(PriceTier::Solidarity), true, true),
            PriceTier::Solidarity
        );
        let public = Rate {
            hourly_cents: 2000,
            daily_cents: None,
        };
        let member = Rate {
            hourly_cents: 1500,
            daily_cents: None,
        };
        let rates = [(PriceTier::Public, public), (PriceTier::Member, member)];
        assert_eq!(
            applied_rate(&rates, PriceTier::Member),
            (PriceTier::Member, Some(member))
        );
        assert_eq!(
            applied_rate(&rates, PriceTier::Resident),
            (PriceTier::Public, Some(public))
        );
        assert_eq!(
            applied_rate(&[(PriceTier::Member, member)], PriceTier::Resident),
            (PriceTier::Public, None)
        );
        assert_eq!(
            price(
                range("2027-01-12T09:00:00Z", "2027-01-12T11:00:00Z"),
                PARIS,
                None
            ),
            Money::ZERO
        );
    }
}

//! The vocabulary and pure rules of the hybrid model: funders and grants, volunteer hours, the
//! venue's impact objectives, where a revenue comes from.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::Money;
use super::stored_enum::stored_enum;
use crate::error::AppError;

stored_enum! {
    /// Who a funder is; public bodies and the EU make public funding, the others private.
    pub enum FunderKind {
        State => "STATE",
        Region => "REGION",
        Department => "DEPARTMENT",
        Intercommunality => "INTERCOMMUNALITY",
        Municipality => "MUNICIPALITY",
        Eu => "EU",
        Foundation => "FOUNDATION",
        Company => "COMPANY",
        Other => "OTHER",
    }
}

impl FunderKind {
    /// Public funding (API.md): the State, the local authorities and the EU.
    pub fn is_public(self) -> bool {
        matches!(
            self,
            Self::State
                | Self::Region
                | Self::Department
                | Self::Intercommunality
                | Self::Municipality
                | Self::Eu
        )
    }
}

stored_enum! {
    pub enum GrantStatus {
        Draft => "DRAFT",
        Submitted => "SUBMITTED",
        Awarded => "AWARDED",
        Rejected => "REJECTED",
        Closed => "CLOSED",
    }
}

impl GrantStatus {
    /// API.md's transitions: DRAFT -> SUBMITTED -> AWARDED or REJECTED, DRAFT -> AWARDED (a
    /// grant recorded after the fact), AWARDED -> CLOSED.
    pub fn may_become(self, next: GrantStatus) -> bool {
        use GrantStatus::*;
        matches!(
            (self, next),
            (Draft, Submitted)
                | (Submitted, Awarded | Rejected)
                | (Draft, Awarded)
                | (Awarded, Closed)
        )
    }
}

stored_enum! {
    pub enum VolunteerActivity {
        FrontDesk => "FRONT_DESK",
        Events => "EVENTS",
        Maintenance => "MAINTENANCE",
        Garden => "GARDEN",
        Cafe => "CAFE",
        Admin => "ADMIN",
        Communication => "COMMUNICATION",
        Other => "OTHER",
    }
}

stored_enum! {
    /// What a yearly impact objective measures.
    pub enum ImpactMetric {
        UniqueParticipants => "UNIQUE_PARTICIPANTS",
        EventsHeld => "EVENTS_HELD",
        VolunteerHours => "VOLUNTEER_HOURS",
        ActiveMembers => "ACTIVE_MEMBERS",
        /// A ratio from 0 to 1.
        SelfFinancingRatio => "SELF_FINANCING_RATIO",
        /// A ratio from 0 to 1: participants living in the site's département (its commune
        /// included), over all participants.
        ShareFromDepartement => "SHARE_FROM_DEPARTEMENT",
    }
}

impl ImpactMetric {
    /// Ratios are targets between 0 and 1; the others are counts or hours.
    pub fn is_ratio(self) -> bool {
        matches!(self, Self::SelfFinancingRatio | Self::ShareFromDepartement)
    }
}

stored_enum! {
    /// What an automatic revenue pays for.
    pub enum SourceKind {
        Booking => "BOOKING",
        Membership => "MEMBERSHIP",
        Registration => "REGISTRATION",
    }
}

/// The largest single amount of money Lieu takes (a typo beyond it: a tiers-lieu's biggest
/// grant is far below).
pub const AMOUNT_CEILING_EUROS: i64 = 10_000_000;

/// An amount a person types for money received: above zero, whole cents, below the ceiling.
pub fn received_amount(field: &str, amount: Decimal) -> Result<Money, AppError> {
    let money = Money::parse_positive(field, amount)?;
    if money.cents() > AMOUNT_CEILING_EUROS * 100 {
        return Err(AppError::validation(
            field,
            format!("is above {AMOUNT_CEILING_EUROS} EUR: check the amount"),
        ));
    }
    Ok(money)
}

/// Hours of volunteering, exact to the hundredth: above 0, at most 24 in one entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Hours(i64);

impl Hours {
    pub const ZERO: Hours = Hours(0);

    pub fn parse(field: &str, value: Decimal) -> Result<Self, AppError> {
        if value.normalize().scale() > 2 {
            return Err(AppError::validation(
                field,
                "at most two decimals (1.25 is an hour and a quarter)",
            ));
        }
        if value <= Decimal::ZERO || value > Decimal::from(24) {
            return Err(AppError::validation(
                field,
                "must be more than 0 and at most 24 hours for one day",
            ));
        }
        let centi = (value * Decimal::ONE_HUNDRED).trunc();
        Ok(Self(i64::try_from(centi).unwrap_or(0)))
    }

    pub fn from_centi(centi: i64) -> Self {
        Self(centi)
    }

    pub fn centi(self) -> i64 {
        self.0
    }

    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, 2)
    }

    /// What these hours are worth at `hourly`, rounded half-up to the cent.
    pub fn value_at(self, hourly: Money) -> Money {
        Money::round_half_up(self.to_decimal() * hourly.to_decimal())
    }
}

impl std::ops::Add for Hours {
    type Output = Hours;
    fn add(self, other: Hours) -> Hours {
        Hours(self.0 + other.0)
    }
}

/// A grant's period: its end not before its start.
pub fn grant_period(start: NaiveDate, end: NaiveDate) -> Result<(NaiveDate, NaiveDate), AppError> {
    if end < start {
        return Err(AppError::validation("periodEnd", "is before periodStart"));
    }
    Ok((start, end))
}

/// An objective's target: a ratio between 0 and 1 for ratios, not negative otherwise; kept in
/// ten-thousandths.
pub fn objective_target(metric: ImpactMetric, target: Decimal) -> Result<i64, AppError> {
    if target.is_sign_negative() {
        return Err(AppError::validation("target", "must not be negative"));
    }
    if metric.is_ratio() && target > Decimal::ONE {
        return Err(AppError::validation("target", "is a ratio: 0.4 for 40 %"));
    }
    if target.normalize().scale() > 4 {
        return Err(AppError::validation("target", "at most four decimals"));
    }
    i64::try_from((target * Decimal::from(10_000)).trunc())
        .map_err(|_| AppError::validation("target", "is implausibly large"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn grant_transitions_are_api_mds() {
        use GrantStatus::*;
        assert!(Draft.may_become(Submitted));
        assert!(Draft.may_become(Awarded));
        assert!(Submitted.may_become(Rejected));
        assert!(Awarded.may_become(Closed));
        assert!(!Rejected.may_become(Awarded));
        assert!(!Closed.may_become(Awarded));
        assert!(!Draft.may_become(Closed));
        assert!(!Submitted.may_become(Draft));
    }

    #[test]
    fn hours_are_exact_and_bounded() {
        assert_eq!(Hours::parse("h", dec!(1.25)).unwrap().centi(), 125);
        assert!(Hours::parse("h", dec!(0)).is_err());
        assert!(Hours::parse("h", dec!(24.01)).is_err());
        assert!(Hours::parse("h", dec!(1.255)).is_err());
        assert_eq!(
            Hours::from_centi(150).value_at(Money::from_cents(1188)),
            Money::from_cents(1782)
        );
        assert_eq!(
            Hours::from_centi(125).value_at(Money::from_cents(1190)),
            Money::from_cents(1488),
            "14.875 rounds half-up"
        );
    }

    #[test]
    fn amounts_and_targets() {
        assert!(received_amount("a", dec!(0)).is_err());
        assert!(received_amount("a", dec!(12.505)).is_err());
        assert!(received_amount("a", dec!(10000001)).is_err());
        assert_eq!(received_amount("a", dec!(12.5)).unwrap().cents(), 1250);
        assert_eq!(
            objective_target(ImpactMetric::SelfFinancingRatio, dec!(0.35)).unwrap(),
            3500
        );
        assert!(objective_target(ImpactMetric::SelfFinancingRatio, dec!(35)).is_err());
        assert_eq!(
            objective_target(ImpactMetric::VolunteerHours, dec!(3000)).unwrap(),
            30_000_000
        );
        assert!(FunderKind::Eu.is_public() && !FunderKind::Foundation.is_public());
    }
}

use rust_decimal::{Decimal, RoundingStrategy};

use crate::error::AppError;

/// An amount of euros, exact to the cent. Stored in the database as whole cents (`i64`), so
/// that SQLite (which has no decimal type) and PostgreSQL hold the same exact value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(i64);

impl Money {
    pub const ZERO: Money = Money(0);

    pub fn from_cents(cents: i64) -> Self {
        Self(cents)
    }

    pub fn cents(self) -> i64 {
        self.0
    }

    /// Rounds a computed amount to the cent, half-up (away from zero on .5), as API.md says.
    pub fn round_half_up(amount: Decimal) -> Self {
        let rounded = amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        let cents = (rounded * Decimal::ONE_HUNDRED).trunc();
        Self(i64::try_from(cents).unwrap_or(if cents.is_sign_negative() {
            i64::MIN
        } else {
            i64::MAX
        }))
    }

    /// An amount typed by a person: not negative, at most two decimals, at most a billion.
    pub fn parse_non_negative(field: &str, amount: Decimal) -> Result<Self, AppError> {
        if amount.is_sign_negative() && !amount.is_zero() {
            return Err(AppError::validation(field, "must not be negative"));
        }
        Self::parse(field, amount)
    }

    /// Like [`Money::parse_non_negative`] but refuses zero too.
    pub fn parse_positive(field: &str, amount: Decimal) -> Result<Self, AppError> {
        let money = Self::parse_non_negative(field, amount)?;
        if money.0 == 0 {
            return Err(AppError::validation(field, "must be more than zero"));
        }
        Ok(money)
    }

    fn parse(field: &str, amount: Decimal) -> Result<Self, AppError> {
        if amount.normalize().scale() > 2 {
            return Err(AppError::validation(
                field,
                "must be a whole number of cents (at most two decimals)",
            ));
        }
        if amount.abs() > Decimal::from(1_000_000_000) {
            return Err(AppError::validation(field, "is implausibly large"));
        }
        Ok(Self::round_half_up(amount))
    }

    /// The amount as a decimal with exactly two places (`12.50`).
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, 2)
    }
}

impl std::ops::Add for Money {
    type Output = Money;
    fn add(self, other: Money) -> Money {
        Money(self.0 + other.0)
    }
}

impl std::ops::Sub for Money {
    type Output = Money;
    fn sub(self, other: Money) -> Money {
        Money(self.0 - other.0)
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        Money(iter.map(|m| m.0).sum())
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn rounds_half_up_to_the_cent() {
        assert_eq!(Money::round_half_up(d("12.345")).cents(), 1235);
        assert_eq!(Money::round_half_up(d("12.344")).cents(), 1234);
        assert_eq!(Money::round_half_up(d("0.005")).cents(), 1);
        assert_eq!(Money::round_half_up(d("-0.005")).cents(), -1);
        assert_eq!(Money::from_cents(1250).to_decimal().to_string(), "12.50");
    }

    #[test]
    fn typed_amounts_are_validated() {
        assert_eq!(
            Money::parse_non_negative("a", d("12.5")).unwrap().cents(),
            1250
        );
        assert_eq!(
            Money::parse_non_negative("a", d("12.500")).unwrap().cents(),
            1250
        );
        assert!(Money::parse_non_negative("a", d("-1")).is_err());
        assert!(Money::parse_non_negative("a", d("1.001")).is_err());
        assert!(Money::parse_positive("a", d("0")).is_err());
        assert_eq!(Money::parse_non_negative("a", d("0")).unwrap(), Money::ZERO);
    }
}

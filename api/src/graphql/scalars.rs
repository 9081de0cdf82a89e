//! The API's own scalars: `Date` (a local calendar day, `2026-03-14`) and `Decimal` (money and
//! hours, exchanged as strings such as `"12.50"`; JSON floats are refused).

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::NaiveDate;

use crate::domain::Money;

/// A calendar day, `YYYY-MM-DD`, in the site's local time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub NaiveDate);

#[Scalar(name = "Date")]
/// A calendar day, `YYYY-MM-DD` (ISO 8601), meaning a local day in the site's time zone.
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
                .map(Date)
                .map_err(|_| {
                    InputValueError::custom(format!("'{s}' is not a date like 2026-03-14"))
                }),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

impl From<NaiveDate> for Date {
    fn from(date: NaiveDate) -> Self {
        Date(date)
    }
}

/// An exact decimal number, sent and returned as a string (`"12.50"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Decimal(pub rust_decimal::Decimal);

#[Scalar(name = "Decimal")]
/// An exact decimal number (money in EUR, hours), sent and returned as a string such as
/// `"12.50"`. Whole JSON integers are accepted; JSON floats are refused (they are not exact).
impl ScalarType for Decimal {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => s
                .trim()
                .parse::<rust_decimal::Decimal>()
                .map(Decimal)
                .map_err(|_| {
                    InputValueError::custom(format!("'{s}' is not a decimal number like \"12.50\""))
                }),
            Value::Number(n) if n.is_i64() => Ok(Decimal(rust_decimal::Decimal::from(
                n.as_i64().expect("checked"),
            ))),
            Value::Number(_) => Err(InputValueError::custom(
                "send decimals as strings (\"12.50\"): JSON floats are not exact",
            )),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_string())
    }
}

impl From<Money> for Decimal {
    fn from(money: Money) -> Self {
        Decimal(money.to_decimal())
    }
}

impl From<rust_decimal::Decimal> for Decimal {
    fn from(value: rust_decimal::Decimal) -> Self {
        Decimal(value)
    }
}

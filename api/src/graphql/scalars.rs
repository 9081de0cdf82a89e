//! The API's own scalars: `DateTime` (an instant with its offset), `Date` (a local calendar
//! day, `2026-03-14`) and `Decimal` (money and hours, exchanged as strings such as `"12.50"`;
//! JSON floats are refused). Each says what to send when it refuses a value; the error boundary
//! adds the field (`errors::finish`).

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::{FixedOffset, NaiveDate, Offset, TimeZone, Utc};
use chrono_tz::Tz;

use crate::domain::Money;

/// An instant, and the offset it is shown in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateTime {
    pub instant: chrono::DateTime<Utc>,
    offset: FixedOffset,
}

impl DateTime {
    /// Shown in UTC (`+00:00`).
    pub fn utc(instant: chrono::DateTime<Utc>) -> Self {
        Self {
            instant,
            offset: FixedOffset::east_opt(0).expect("UTC"),
        }
    }

    /// Shown in the offset `tz` has at that instant (`+01:00` in a Paris winter).
    pub fn local(instant: chrono::DateTime<Utc>, tz: Tz) -> Self {
        Self {
            instant,
            offset: tz.offset_from_utc_datetime(&instant.naive_utc()).fix(),
        }
    }
}

impl From<chrono::DateTime<Utc>> for DateTime {
    fn from(instant: chrono::DateTime<Utc>) -> Self {
        Self::utc(instant)
    }
}

#[Scalar(name = "DateTime")]
/// An instant, in RFC 3339 with its UTC offset: `2027-02-03T10:00:00+01:00` (sent without an
/// offset it is refused: a time without one means nothing to a server). Times of a site's
/// bookings, events and free slots come back in that site's own offset, as a person there reads
/// them (`+01:00` or `+02:00` in Paris, depending on the date); other times come back in UTC.
/// Compare instants, not strings.
impl ScalarType for DateTime {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => chrono::DateTime::parse_from_rfc3339(s.trim())
                .map(|t| Self {
                    instant: t.with_timezone(&Utc),
                    offset: *t.offset(),
                })
                .map_err(|_| {
                    InputValueError::custom(format!(
                        "'{s}' is not a date-time with an offset like 2027-02-03T10:00:00+01:00"
                    ))
                }),
            _ => Err(InputValueError::custom(format!(
                "{value} is not a date-time: send a string like \"2027-02-03T10:00:00+01:00\""
            ))),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.instant.with_timezone(&self.offset).to_rfc3339())
    }
}

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
                    InputValueError::custom(if s.contains(',') {
                        format!(
                            "'{s}' is not a decimal number: write it with a dot, like \"12.50\""
                        )
                    } else {
                        format!("'{s}' is not a decimal number like \"12.50\"")
                    })
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

//! The vocabulary of exports: the two spreadsheet formats, the two languages, and the keys and
//! account numbers of the chart of accounts the FEC follows.

use super::{FunderKind, RevenueStream};
use crate::error::AppError;

/// How a CSV export is written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CsvFormat {
    /// What a French spreadsheet opens as is: `;` between cells, decimal comma, `dd/mm/yyyy`,
    /// UTF-8 with a byte-order mark (without it Excel reads the accents as Windows-1252).
    #[default]
    Fr,
    /// For programs: `,`, decimal dot, ISO dates, no byte-order mark.
    Plain,
}

impl CsvFormat {
    pub fn parse(field: &str, raw: &str) -> Result<Self, AppError> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "fr" => Ok(Self::Fr),
            "plain" => Ok(Self::Plain),
            other => Err(AppError::validation(
                field,
                format!("'{other}' is not a format: fr (the default) or plain"),
            )),
        }
    }
}

/// The language of headers, labels and the funder report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    Fr,
    En,
}

impl Lang {
    pub fn parse(field: &str, raw: &str) -> Result<Self, AppError> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "fr" => Ok(Self::Fr),
            "en" => Ok(Self::En),
            other => Err(AppError::validation(
                field,
                format!("'{other}' is not a language: fr (the default) or en"),
            )),
        }
    }

    /// The French or the English of a pair.
    pub fn pick<'a>(self, fr: &'a str, en: &'a str) -> &'a str {
        match self {
            Self::Fr => fr,
            Self::En => en,
        }
    }

    pub fn code(self) -> &'static str {
        self.pick("fr", "en")
    }
}

/// What an account of the chart is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AccountKey {
    /// Where money comes in (512).
    Bank,
    /// The revenue account of a stream (70x, 75x).
    Stream(RevenueStream),
    /// The grant account of a kind of funder (74x).
    Funder(FunderKind),
    /// The use of volunteering (864), debited by its valuation.
    VolunteeringExpense,
    /// Volunteering as a resource (875), credited.
    VolunteeringIncome,
    /// The use of free loans of rooms (861).
    InKindExpense,
    /// Free loans as a resource (871).
    InKindIncome,
}

impl AccountKey {
    /// Every key, in the order the chart is shown.
    pub fn all() -> Vec<AccountKey> {
        let mut keys = vec![Self::Bank];
        keys.extend(RevenueStream::ALL.iter().map(|s| Self::Stream(*s)));
        keys.extend(FunderKind::ALL.iter().map(|k| Self::Funder(*k)));
        keys.extend([
            Self::VolunteeringExpense,
            Self::VolunteeringIncome,
            Self::InKindExpense,
            Self::InKindIncome,
        ]);
        keys
    }

    /// The stored and API name: `BANK`, `STREAM:CAFE_BAR`, `FUNDER:REGION`…
    pub fn as_key(self) -> String {
        match self {
            Self::Bank => "BANK".into(),
            Self::Stream(s) => format!("STREAM:{s}"),
            Self::Funder(k) => format!("FUNDER:{k}"),
            Self::VolunteeringExpense => "VOLUNTEERING_EXPENSE".into(),
            Self::VolunteeringIncome => "VOLUNTEERING_INCOME".into(),
            Self::InKindExpense => "IN_KIND_EXPENSE".into(),
            Self::InKindIncome => "IN_KIND_INCOME".into(),
        }
    }

    pub fn parse(field: &str, raw: &str) -> Result<Self, AppError> {
        let raw = raw.trim();
        Self::all()
            .into_iter()
            .find(|k| k.as_key() == raw)
            .ok_or_else(|| {
                AppError::validation(
                    field,
                    format!(
                        "'{raw}' is not a key of the chart: BANK, STREAM:<revenue stream> \
                         (STREAM:CAFE_BAR), FUNDER:<funder kind> (FUNDER:REGION), \
                         VOLUNTEERING_EXPENSE, VOLUNTEERING_INCOME, IN_KIND_EXPENSE or \
                         IN_KIND_INCOME"
                    ),
                )
            })
    }

    /// The class (leading digits) the account must be in: a bank account is in class 5, a
    /// revenue or a grant in class 7, the contributions in 86 (their use) and 87 (the
    /// resource). A number outside it is a typo that would put money on the wrong side.
    pub fn class(self) -> &'static str {
        match self {
            Self::Bank => "5",
            Self::Stream(_) | Self::Funder(_) => "7",
            Self::VolunteeringExpense | Self::InKindExpense => "86",
            Self::VolunteeringIncome | Self::InKindIncome => "87",
        }
    }
}

/// An account number for `key`: 3 to 12 digits, in the key's class.
pub fn account_number(key: AccountKey, raw: &str) -> Result<String, AppError> {
    let account = raw.trim();
    if !(3..=12).contains(&account.len()) || !account.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::validation(
            "account",
            format!("'{account}' is not an account number: 3 to 12 digits (706, 7541)"),
        ));
    }
    if !account.starts_with(key.class()) {
        return Err(AppError::validation(
            "account",
            format!(
                "{} takes an account of class {} ({account} is not)",
                key.as_key(),
                key.class()
            ),
        ));
    }
    Ok(account.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_accounts_are_checked() {
        for key in AccountKey::all() {
            assert_eq!(AccountKey::parse("key", &key.as_key()).unwrap(), key);
        }
        assert_eq!(AccountKey::all().len(), 1 + 10 + 9 + 4);
        assert!(AccountKey::parse("key", "STREAM:RENT").is_err());
        let cafe = AccountKey::Stream(RevenueStream::CafeBar);
        assert_eq!(account_number(cafe, " 7070 ").unwrap(), "7070");
        assert!(account_number(cafe, "70").is_err());
        assert!(account_number(cafe, "70A").is_err());
        assert!(account_number(cafe, "512").is_err(), "a bank account");
        assert!(account_number(AccountKey::VolunteeringIncome, "864").is_err());
        assert!(CsvFormat::parse("format", "excel").is_err());
        assert_eq!(Lang::parse("lang", "EN").unwrap(), Lang::En);
    }
}

use chrono_tz::Tz;

use crate::error::AppError;

/// An IANA time zone name known to chrono-tz (`Europe/Paris`, `America/Cayenne`…).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeZoneName(Tz);

impl TimeZoneName {
    pub fn parse(field: &str, raw: &str) -> Result<Self, AppError> {
        raw.trim().parse::<Tz>().map(Self).map_err(|_| {
            AppError::validation(
                field,
                format!("'{raw}' is not an IANA time zone name (for example Europe/Paris)"),
            )
        })
    }

    pub fn tz(self) -> Tz {
        self.0
    }

    pub fn name(self) -> &'static str {
        self.0.name()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_iana_names_only() {
        assert_eq!(
            TimeZoneName::parse("tz", "Europe/Paris").unwrap().name(),
            "Europe/Paris"
        );
        assert_eq!(
            TimeZoneName::parse("tz", "America/Cayenne").unwrap().name(),
            "America/Cayenne"
        );
        assert!(TimeZoneName::parse("tz", "Paris").is_err());
        assert!(TimeZoneName::parse("tz", "CEST").is_err());
        assert!(TimeZoneName::parse("tz", "").is_err());
    }
}

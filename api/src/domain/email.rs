use crate::error::AppError;

/// A syntactically plausible email address. `key()` is the lower-cased form used for
/// uniqueness and lookups: addresses are unique without regard to case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(field: &str, raw: &str) -> Result<Self, AppError> {
        let value = raw.trim();
        let invalid =
            || AppError::validation(field, format!("'{value}' is not a valid email address"));
        if value.is_empty() {
            return Err(AppError::validation(field, "an email address is required"));
        }
        if value.len() > 254 || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid());
        }
        let (local, domain) = value.rsplit_once('@').ok_or_else(invalid)?;
        let domain_ok = !domain.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
            && !domain.contains("..");
        if local.is_empty() || local.contains('@') || !domain_ok {
            return Err(invalid());
        }
        Ok(Self(value.to_string()))
    }

    /// An optional email: blank means none.
    pub fn parse_optional(field: &str, raw: Option<&str>) -> Result<Option<Self>, AppError> {
        match raw.map(str::trim).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(value) => Self::parse(field, value).map(Some),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_addresses_and_keys_them_in_lower_case() {
        let email = Email::parse("email", "  Hélène.Dupré@Example.org ").unwrap();
        assert_eq!(email.as_str(), "Hélène.Dupré@Example.org");
        assert_eq!(email.key(), "hélène.dupré@example.org");
    }

    #[test]
    fn rejects_what_is_not_an_address() {
        for bad in [
            "",
            "   ",
            "plain",
            "a@b",
            "@x.org",
            "a@.org",
            "a@x.",
            "a b@x.org",
            "a@@x.org",
            "a@x..org",
        ] {
            let err = Email::parse("email", bad).unwrap_err();
            assert_eq!(err.code(), "VALIDATION", "{bad}");
        }
    }
}

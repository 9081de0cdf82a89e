use crate::error::AppError;

/// A new password: at least 10 characters (counted as characters, so accents count once), and at
/// most 1,024 so that hashing cannot be turned into a denial of service.
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 10;
    pub const MAX_CHARS: usize = 1024;

    /// The password of a new account (input field `password`).
    pub fn parse(raw: &str) -> Result<Self, AppError> {
        Self::parse_field("password", raw)
    }

    /// A password typed into the input field `field` (`newPassword` when changing one).
    pub fn parse_field(field: &str, raw: &str) -> Result<Self, AppError> {
        let count = raw.chars().count();
        if count < Self::MIN_CHARS {
            return Err(AppError::validation(
                field,
                format!(
                    "the password has {count} characters; use at least {}",
                    Self::MIN_CHARS
                ),
            ));
        }
        if count > Self::MAX_CHARS {
            return Err(AppError::validation(
                field,
                format!("the password is longer than {} characters", Self::MAX_CHARS),
            ));
        }
        Ok(Self(raw.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_is_counted_in_characters() {
        assert!(Password::parse("short").is_err());
        assert!(Password::parse("123456789").is_err());
        assert!(Password::parse("1234567890").is_ok());
        assert!(Password::parse("éééééééééé").is_ok());
        assert!(Password::parse(&"x".repeat(1025)).is_err());
    }
}

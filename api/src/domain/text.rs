use crate::error::AppError;

/// A required, trimmed, non-empty name of at most 200 characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name(String);

impl Name {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(field: &str, raw: &str) -> Result<Self, AppError> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(AppError::validation(field, "must not be empty"));
        }
        if value.chars().count() > Self::MAX_CHARS {
            return Err(AppError::validation(
                field,
                format!("must be at most {} characters", Self::MAX_CHARS),
            ));
        }
        Ok(Self(value.to_string()))
    }

    pub fn into_inner(self) -> String {
        self.0
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An optional free text: trimmed, empty becomes absent, at most `max` characters.
pub fn optional_text(
    field: &str,
    raw: Option<&str>,
    max: usize,
) -> Result<Option<String>, AppError> {
    let Some(value) = raw.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if value.chars().count() > max {
        return Err(AppError::validation(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    Ok(Some(value.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_required() {
        assert_eq!(
            Name::parse("name", "  Atelier  ").unwrap().as_str(),
            "Atelier"
        );
        assert!(Name::parse("name", "   ").is_err());
        assert!(Name::parse("name", &"a".repeat(201)).is_err());
        assert_eq!(optional_text("d", Some("  "), 10).unwrap(), None);
        assert!(optional_text("d", Some("12345678901"), 10).is_err());
    }
}

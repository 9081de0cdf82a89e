//! Contact details of people and organizations, validated where they enter.

use crate::error::AppError;

/// A phone number as typed (`06 12 34 56 78`, `+33 6 12 34 56 78`): digits and the usual
/// separators, with 6 to 15 digits (the international maximum).
pub fn parse_phone(field: &str, raw: &str) -> Result<Option<String>, AppError> {
    let value = raw.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let allowed = |c: char| c.is_ascii_digit() || " +.-()/".contains(c);
    let digits = value.chars().filter(char::is_ascii_digit).count();
    if !value.chars().all(allowed) || !(6..=15).contains(&digits) {
        return Err(AppError::validation(
            field,
            format!("'{value}' is not a phone number (6 to 15 digits, spaces, + . - allowed)"),
        ));
    }
    Ok(Some(value.split_whitespace().collect::<Vec<_>>().join(" ")))
}

/// A postal code, stored in upper case: a French one is five digits (`44200`); another
/// country's starts with its ISO code and a hyphen (`BE-4000`, `GB-SW1A 1AA`), so that a
/// four-digit typo of a French code is not taken for a Belgian one.
pub fn parse_postal_code(field: &str, raw: &str) -> Result<Option<String>, AppError> {
    let value = raw.trim().to_ascii_uppercase();
    if value.is_empty() {
        return Ok(None);
    }
    let french = value.len() == 5 && value.chars().all(|c| c.is_ascii_digit());
    let foreign = value.split_once('-').is_some_and(|(country, code)| {
        country.len() == 2
            && country.chars().all(|c| c.is_ascii_uppercase())
            && country != "FR"
            && (2..=10).contains(&code.len())
            && code.chars().any(|c| c.is_ascii_alphanumeric())
            && code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-')
    });
    if !french && !foreign {
        return Err(AppError::validation(
            field,
            format!(
                "'{}' is not a postal code: a French one has five digits (44200); another country's starts with its code (BE-4000)",
                raw.trim()
            ),
        ));
    }
    Ok(Some(value))
}

/// A birth year between 1900 and `this_year`: used for age brackets, never a full birth date.
pub fn parse_birth_year(field: &str, year: i32, this_year: i32) -> Result<i32, AppError> {
    if !(1900..=this_year).contains(&year) {
        return Err(AppError::validation(
            field,
            format!("{year} is not a plausible birth year (1900 to {this_year})"),
        ));
    }
    Ok(year)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones() {
        assert_eq!(
            parse_phone("phone", " 06  12 34 56 78 ")
                .unwrap()
                .as_deref(),
            Some("06 12 34 56 78")
        );
        assert_eq!(
            parse_phone("phone", "+33 (0)6.12.34.56.78")
                .unwrap()
                .as_deref(),
            Some("+33 (0)6.12.34.56.78")
        );
        assert_eq!(parse_phone("phone", "  ").unwrap(), None);
        for bad in ["12", "call me", "0612345678901234567", "06 12 34 56 7x"] {
            assert_eq!(parse_phone("phone", bad).unwrap_err().code(), "VALIDATION");
        }
    }

    #[test]
    fn postal_codes() {
        assert_eq!(
            parse_postal_code("p", " 44200 ").unwrap().as_deref(),
            Some("44200")
        );
        assert_eq!(
            parse_postal_code("p", "be-4000").unwrap().as_deref(),
            Some("BE-4000")
        );
        assert_eq!(
            parse_postal_code("p", "GB-SW1A 1AA").unwrap().as_deref(),
            Some("GB-SW1A 1AA")
        );
        assert_eq!(parse_postal_code("p", "").unwrap(), None);
        for bad in [
            "123",
            "1000",
            "4420000",
            "44 200!",
            "sw1a 1aa",
            "FR-44200",
            "B-4000",
            "BE-",
            "abcdefghijk",
        ] {
            let err = parse_postal_code("p", bad).unwrap_err();
            assert!(err.message().contains("five digits"), "{bad}");
        }
    }

    #[test]
    fn birth_years() {
        assert_eq!(parse_birth_year("b", 1984, 2026).unwrap(), 1984);
        assert!(parse_birth_year("b", 1899, 2026).is_err());
        assert!(parse_birth_year("b", 2027, 2026).is_err());
    }
}

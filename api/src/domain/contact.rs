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

/// A postal code: 2 to 10 letters, digits, spaces or hyphens, stored in upper case. French codes
/// (`44200`) are five digits; a code of digits only must have 4 or 5 (French, Belgian, Swiss…).
pub fn parse_postal_code(field: &str, raw: &str) -> Result<Option<String>, AppError> {
    let value = raw.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let ok_chars = value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-');
    let len = value.chars().count();
    let digits_only = value.chars().all(|c| c.is_ascii_digit());
    if !ok_chars || !(2..=10).contains(&len) || (digits_only && !(4..=5).contains(&len)) {
        return Err(AppError::validation(
            field,
            format!("'{value}' is not a postal code (for example 44200)"),
        ));
    }
    Ok(Some(value.to_ascii_uppercase()))
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
            parse_postal_code("p", "1000").unwrap().as_deref(),
            Some("1000")
        );
        assert_eq!(
            parse_postal_code("p", "sw1a 1aa").unwrap().as_deref(),
            Some("SW1A 1AA")
        );
        assert_eq!(parse_postal_code("p", "").unwrap(), None);
        for bad in ["123", "4420000", "44 200!", "abcdefghijk"] {
            assert!(parse_postal_code("p", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn birth_years() {
        assert_eq!(parse_birth_year("b", 1984, 2026).unwrap(), 1984);
        assert!(parse_birth_year("b", 1899, 2026).is_err());
        assert!(parse_birth_year("b", 2027, 2026).is_err());
    }
}

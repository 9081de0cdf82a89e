use uuid::Uuid;

use crate::error::AppError;

/// Parses an API `ID` (a UUID string); `field` names the argument in the error.
pub fn parse_id(field: &str, raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw.trim())
        .map_err(|_| AppError::validation(field, format!("'{raw}' is not a valid id (UUID)")))
}

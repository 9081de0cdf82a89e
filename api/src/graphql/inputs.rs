//! Small pieces every area's inputs use on their way to domain types.

use async_graphql::{ID, MaybeUndefined};
use uuid::Uuid;

use crate::domain::parse_id;
use crate::error::AppResult;

/// An optional id argument or input field.
pub fn optional_id(field: &str, id: Option<&ID>) -> AppResult<Option<Uuid>> {
    id.map(|id| parse_id(field, id)).transpose()
}

/// A field of an update: absent (`None`) leaves it as it is; present, it is parsed.
pub fn change<T>(
    value: Option<&str>,
    parse: impl FnOnce(&str) -> AppResult<T>,
) -> AppResult<Option<T>> {
    value.map(parse).transpose()
}

/// A nullable field of an update: absent leaves it (`None`), `null` clears it (`Some(None)`).
pub fn maybe<T>(value: MaybeUndefined<T>) -> Option<Option<T>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(v)),
    }
}

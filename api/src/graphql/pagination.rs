//! Relay connections (`first`, `after`, `edges`, `pageInfo`, `totalCount`) over the domain's
//! page [`Window`]. Cursors are opaque strings; today they carry the offset of the row.

use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::{OutputType, SimpleObject};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

pub use crate::domain::Window;
use crate::error::AppError;

/// Extra field every connection has.
#[derive(SimpleObject)]
pub struct ConnectionFields {
    /// How many items match, over all pages.
    pub total_count: u64,
}

pub type Page<T> = Connection<String, T, ConnectionFields, EmptyFields>;

/// The window a `first`/`after` pair asks for.
pub fn window(first: Option<i32>, after: Option<&str>) -> Result<Window, AppError> {
    let offset = match after {
        None => 0,
        Some(cursor) => decode(cursor)? + 1,
    };
    Window::new(first, offset)
}

fn encode(offset: u64) -> String {
    URL_SAFE_NO_PAD.encode(format!("o:{offset}"))
}

fn decode(cursor: &str) -> Result<u64, AppError> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| text.strip_prefix("o:").and_then(|n| n.parse().ok()))
        .ok_or_else(|| AppError::validation("after", "not a cursor from this list"))
}

/// Builds the connection for the rows of `window`, out of `total` matching rows.
pub fn connection<T: OutputType>(rows: Vec<T>, window: Window, total: u64) -> Page<T> {
    let has_next = window.offset + (rows.len() as u64) < total;
    let mut page = Connection::with_additional_fields(
        window.offset > 0,
        has_next,
        ConnectionFields { total_count: total },
    );
    page.edges.extend(
        rows.into_iter()
            .enumerate()
            .map(|(i, node)| Edge::new(encode(window.offset + i as u64), node)),
    );
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_bad_ones_are_refused() {
        let w = window(Some(10), None).unwrap();
        assert_eq!(
            w,
            Window {
                offset: 0,
                limit: 10
            }
        );
        let w = window(Some(10), Some(&encode(9))).unwrap();
        assert_eq!(w.offset, 10);
        assert!(window(None, Some("garbage")).is_err());
        assert!(window(Some(-1), None).is_err());
        assert_eq!(
            window(Some(100_000), None).unwrap().limit,
            crate::domain::MAX_PAGE
        );
    }
}

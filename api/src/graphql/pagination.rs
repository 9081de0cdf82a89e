//! Relay connections (`first`, `after`, `edges`, `pageInfo`, `totalCount`) over the domain's
//! page [`Window`]. Cursors are opaque strings; today they carry the offset of the row.

use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::{Context, Object, OutputType};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

pub use crate::domain::{Slice, Window};
use crate::error::{AppError, AppResult};

/// Extra field every connection has.
pub struct ConnectionFields {
    /// `None` when the request did not select `totalCount` (so it is never read).
    total_count: Option<u64>,
}

#[Object]
impl ConnectionFields {
    /// How many items match, over all pages.
    async fn total_count(&self) -> AppResult<u64> {
        self.total_count.ok_or_else(|| {
            AppError::internal(anyhow::anyhow!("totalCount was resolved but not counted"))
        })
    }
}

pub type Page<T> = Connection<String, T, ConnectionFields, EmptyFields>;

/// The window a `first`/`after` pair asks for, counting the matches only when the request
/// selects `totalCount` (look-ahead from the connection field that `ctx` resolves).
pub fn window(ctx: &Context<'_>, first: Option<i32>, after: Option<&str>) -> AppResult<Window> {
    let mut window = offset_window(first, after)?;
    window.count = ctx.look_ahead().field("totalCount").exists();
    Ok(window)
}

fn offset_window(first: Option<i32>, after: Option<&str>) -> AppResult<Window> {
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

/// Builds the connection for the rows of `window`.
pub fn connection<T: OutputType>(slice: Slice<T>, window: Window) -> Page<T> {
    let mut page = Connection::with_additional_fields(
        window.offset > 0,
        slice.has_next,
        ConnectionFields {
            total_count: slice.total,
        },
    );
    page.edges.extend(
        slice
            .rows
            .into_iter()
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
        let w = offset_window(Some(10), None).unwrap();
        assert_eq!(
            w,
            Window {
                offset: 0,
                limit: 10,
                count: true,
            }
        );
        let w = offset_window(Some(10), Some(&encode(9))).unwrap();
        assert_eq!(w.offset, 10);
        assert!(offset_window(None, Some("garbage")).is_err());
        assert!(offset_window(Some(-1), None).is_err());
        assert_eq!(
            offset_window(Some(100_000), None).unwrap().limit,
            crate::domain::MAX_PAGE
        );
    }
}

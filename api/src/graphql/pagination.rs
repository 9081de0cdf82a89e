//! Relay connections (`first`, `after`, `edges`, `pageInfo`, `totalCount`) over the domain's
//! page [`Window`]. Cursors are opaque strings: lists ordered by a time and an id (bookings,
//! events) carry the row's [`Key`] (keyset pages: any page costs what the first does), lists
//! ordered by search rank carry the row's offset.

use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::{Context, Object, OutputType};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

pub use crate::domain::{Key, Slice, Window};
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
    let cursor = after.map(decode).transpose()?;
    let mut window = Window::new(
        first,
        match cursor {
            Some(Cursor::Offset(offset)) => offset + 1,
            _ => 0,
        },
    )?;
    if let Some(Cursor::Key(key)) = cursor {
        window.after = Some(key);
    }
    Ok(window)
}

enum Cursor {
    Offset(u64),
    Key(Key),
}

fn encode_offset(offset: u64) -> String {
    URL_SAFE_NO_PAD.encode(format!("o:{offset}"))
}

fn encode_key(key: Key) -> String {
    URL_SAFE_NO_PAD.encode(format!("k:{}:{}", key.at.timestamp_micros(), key.id))
}

fn decode(cursor: &str) -> AppResult<Cursor> {
    let text = URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok());
    let parse = |text: &str| {
        if let Some(offset) = text.strip_prefix("o:") {
            return offset.parse().ok().map(Cursor::Offset);
        }
        let (micros, id) = text.strip_prefix("k:")?.split_once(':')?;
        Some(Cursor::Key(Key {
            at: chrono::DateTime::from_timestamp_micros(micros.parse().ok()?)?,
            id: id.parse().ok()?,
        }))
    };
    text.as_deref()
        .and_then(parse)
        .ok_or_else(|| AppError::validation("after", "not a cursor from this list"))
}

/// Refuses a keyset cursor on a list ordered by rank (it came from another list).
pub fn offsets_only(window: &Window) -> AppResult<()> {
    match window.after {
        Some(_) => Err(AppError::validation("after", "not a cursor from this list")),
        None => Ok(()),
    }
}

/// Builds the connection of a list ordered by rank: offset cursors.
pub fn connection<T: OutputType>(slice: Slice<T>, window: Window) -> Page<T> {
    let offset = window.offset;
    build(slice, window, |i, _| encode_offset(offset + i as u64))
}

/// Builds the connection of a list ordered by [`Key`]: keyset cursors.
pub fn keyed_connection<T: OutputType>(
    slice: Slice<T>,
    window: Window,
    key: impl Fn(&T) -> Key,
) -> Page<T> {
    build(slice, window, |_, node| encode_key(key(node)))
}

fn build<T: OutputType>(
    slice: Slice<T>,
    window: Window,
    cursor: impl Fn(usize, &T) -> String,
) -> Page<T> {
    let mut page = Connection::with_additional_fields(
        window.has_previous(),
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
            .map(|(i, node)| Edge::new(cursor(i, &node), node)),
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
                after: None,
                count: true,
            }
        );
        let w = offset_window(Some(10), Some(&encode_offset(9))).unwrap();
        assert_eq!(w.offset, 10);
        let key = Key {
            at: chrono::DateTime::from_timestamp_micros(1_800_000_000_123_456).unwrap(),
            id: uuid::Uuid::new_v4(),
        };
        let w = offset_window(Some(10), Some(&encode_key(key))).unwrap();
        assert_eq!((w.offset, w.after), (0, Some(key)));
        assert!(offsets_only(&w).is_err());
        assert!(offset_window(None, Some("garbage")).is_err());
        assert!(offset_window(Some(-1), None).is_err());
        assert_eq!(
            offset_window(Some(100_000), None).unwrap().limit,
            crate::domain::MAX_PAGE
        );
    }
}

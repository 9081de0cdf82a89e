//! Which slice of a list a client asks for. The GraphQL layer turns Relay's `first`/`after`
//! into a [`Window`]; services read exactly that slice.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::AppError;

/// Rows per page when `first` is not given.
pub const DEFAULT_PAGE: u64 = 50;
/// The most rows one page may hold.
pub const MAX_PAGE: u64 = 500;

/// Where a row sits in a list ordered by a time, then by id (bookings, events): a page that
/// starts after it costs what the first page costs, however deep it is, and rows added or
/// removed before it do not shift it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    pub at: DateTime<Utc>,
    pub id: Uuid,
}

/// A slice of an ordered list: `limit` rows after the first `offset` (lists ordered by rank),
/// or after the row at `after` (lists ordered by a [`Key`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub offset: u64,
    pub limit: u64,
    pub after: Option<Key>,
    /// Whether the caller wants the number of matches over all pages: a `COUNT(*)` the
    /// services skip when nobody reads it (the week grid and the agenda do not).
    pub count: bool,
}

impl Window {
    /// `first` rows (default [`DEFAULT_PAGE`], at most [`MAX_PAGE`]) from `offset`.
    pub fn new(first: Option<i32>, offset: u64) -> Result<Self, AppError> {
        let limit = match first {
            None => DEFAULT_PAGE,
            Some(n) => u64::try_from(n)
                .map_err(|_| AppError::validation("first", "must not be negative"))?
                .min(MAX_PAGE),
        };
        Ok(Self {
            offset,
            limit,
            after: None,
            count: true,
        })
    }

    /// Whether rows come before this window.
    pub fn has_previous(&self) -> bool {
        self.offset > 0 || self.after.is_some()
    }

    /// How many rows to read for this window: one more than the page, so that whether a next
    /// page exists is known without counting.
    pub fn fetch_limit(&self) -> u64 {
        self.limit + 1
    }
}

/// The rows of one window, whether more follow, and the number of matches if it was asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Slice<T> {
    pub rows: Vec<T>,
    pub has_next: bool,
    pub total: Option<u64>,
}

impl<T> Slice<T> {
    /// From rows read with [`Window::fetch_limit`]: the extra row, if any, only says that a
    /// next page exists.
    pub fn from_overfetch(mut rows: Vec<T>, window: Window, total: Option<u64>) -> Self {
        let has_next = rows.len() as u64 > window.limit;
        rows.truncate(window.limit as usize);
        Self {
            rows,
            has_next,
            total,
        }
    }

    /// From exactly the window's rows and the number of matches over all pages.
    pub fn counted(rows: Vec<T>, window: Window, total: u64) -> Self {
        let has_next = window.offset + (rows.len() as u64) < total;
        Self {
            rows,
            has_next,
            total: Some(total),
        }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Slice<U> {
        Slice {
            rows: self.rows.into_iter().map(f).collect(),
            has_next: self.has_next,
            total: self.total,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_bounded() {
        assert_eq!(
            Window::new(Some(10), 0).unwrap(),
            Window {
                offset: 0,
                limit: 10,
                after: None,
                count: true,
            }
        );
        assert_eq!(Window::new(None, 5).unwrap().limit, DEFAULT_PAGE);
        assert_eq!(Window::new(Some(100_000), 0).unwrap().limit, MAX_PAGE);
        assert!(Window::new(Some(-1), 0).is_err());
    }

    #[test]
    fn an_overfetched_row_means_a_next_page() {
        let window = Window::new(Some(2), 0).unwrap();
        let full = Slice::from_overfetch(vec![1, 2, 3], window, None);
        assert_eq!(full.rows, vec![1, 2]);
        assert!(full.has_next);
        let last = Slice::from_overfetch(vec![1, 2], window, Some(2));
        assert!(!last.has_next);
        assert_eq!(last.total, Some(2));
        assert!(Slice::counted(vec![1, 2], window, 3).has_next);
        assert!(!Slice::counted(vec![1, 2], window, 2).has_next);
    }
}

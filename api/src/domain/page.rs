//! Which slice of a list a client asks for. The GraphQL layer turns Relay's `first`/`after`
//! into a [`Window`]; services read exactly that slice.

use crate::error::AppError;

/// Rows per page when `first` is not given.
pub const DEFAULT_PAGE: u64 = 50;
/// The most rows one page may hold.
pub const MAX_PAGE: u64 = 500;

/// A slice of an ordered list: `limit` rows after the first `offset`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub offset: u64,
    pub limit: u64,
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
        Ok(Self { offset, limit })
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
                limit: 10
            }
        );
        assert_eq!(Window::new(None, 5).unwrap().limit, DEFAULT_PAGE);
        assert_eq!(Window::new(Some(100_000), 0).unwrap().limit, MAX_PAGE);
        assert!(Window::new(Some(-1), 0).is_err());
    }
}

//! The earliest start of a row that can overlap a window, from the longest row a table holds
//! (kept by the database itself, see migration 10). Window filters add `starts_at >=` this
//! floor, so that the `starts_at` indexes read `[floor, to)` instead of all the history before
//! `to`: the week grid of the last week of ten years costs what the first week's does.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DbErr};

/// A table whose rows are listed by the windows they overlap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spanned {
    Bookings,
    BookingBlocks,
    Events,
}

impl Spanned {
    fn table(self) -> &'static str {
        match self {
            Spanned::Bookings => "bookings",
            Spanned::BookingBlocks => "booking_blocks",
            Spanned::Events => "events",
        }
    }
}

/// The earliest `starts_at` of a row of `table` that ends after `from`. One primary-key read.
pub async fn earliest_start(
    conn: &impl ConnectionTrait,
    table: Spanned,
    from: DateTime<Utc>,
) -> Result<DateTime<Utc>, DbErr> {
    let query = Query::select()
        .column(Alias::new("longest_seconds"))
        .from(Alias::new("window_bounds"))
        .and_where(ExprTrait::eq(Expr::col(Alias::new("kind")), table.table()))
        .to_owned();
    let longest: i64 = match conn.query_one(&query).await? {
        Some(row) => row.try_get("", "longest_seconds")?,
        // The migration writes one row per table; without it, no bound is known.
        None => return Ok(DateTime::<Utc>::MIN_UTC),
    };
    Ok(from
        .checked_sub_signed(Duration::seconds(longest))
        .unwrap_or(DateTime::<Utc>::MIN_UTC))
}

//! The revenue ledger: the one seam through which any area records money. Memberships, paid
//! bookings, imports and the demo record here, inside their own transaction, so that a
//! payment and what it pays for are written together or not at all, and every line has the
//! same shape whoever wrote it.

use chrono::{DateTime, NaiveDate, Utc};
use lieu_entity::revenue;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};
use uuid::Uuid;

use crate::domain::{Money, RevenueStream};
use crate::error::AppResult;

/// What a revenue line pays for, when it pays for something Lieu knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// A membership period (the line points at it).
    Membership(Uuid),
    /// A booking (the booking points at its line).
    Booking(Uuid),
    /// A registration's tickets (the registration points at its line).
    Registration(Uuid),
}

pub struct NewRevenue {
    pub stream: RevenueStream,
    pub amount: Money,
    pub received_on: NaiveDate,
    /// Never personal data (names, emails): erasure does not rewrite the ledger.
    pub description: String,
    pub site_id: Option<Uuid>,
    pub source: Option<Source>,
}

/// Rows per INSERT: well under the bound-parameter limits of both databases.
const CHUNK: usize = 500;

/// The row of one revenue line (not yet inserted).
pub fn row(now: DateTime<Utc>, input: NewRevenue) -> revenue::ActiveModel {
    revenue::ActiveModel {
        id: Set(Uuid::new_v4()),
        stream: Set(input.stream.as_str().to_string()),
        amount_cents: Set(input.amount.cents()),
        received_on: Set(input.received_on),
        description: Set(input.description),
        site_id: Set(input.site_id),
        membership_id: Set(match input.source {
            Some(Source::Membership(id)) => Some(id),
            _ => None,
        }),
        created_at: Set(now),
    }
}

/// Writes one revenue line on `conn` (normally the caller's open transaction).
pub async fn record(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    input: NewRevenue,
) -> AppResult<revenue::Model> {
    Ok(row(now, input).insert(conn).await?)
}

/// Writes many revenue lines (imports, the demo) in a few multi-row statements.
pub async fn record_many(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    lines: impl IntoIterator<Item = NewRevenue>,
) -> AppResult<()> {
    let mut rows = lines.into_iter().map(|l| row(now, l)).peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(CHUNK).collect();
        revenue::Entity::insert_many(chunk)
            .exec_without_returning(conn)
            .await?;
    }
    Ok(())
}

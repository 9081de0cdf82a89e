//! The revenue ledger. Other areas record into it inside their own transaction, so that a
//! payment and what it pays for are written together or not at all.

use chrono::{DateTime, NaiveDate, Utc};
use lieu_entity::revenue;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use uuid::Uuid;

use crate::domain::{Money, RevenueStream};
use crate::error::AppResult;

pub struct NewRevenue {
    pub stream: RevenueStream,
    pub amount: Money,
    pub received_on: NaiveDate,
    /// Never personal data (names, emails): erasure does not rewrite the ledger.
    pub description: String,
    pub site_id: Option<Uuid>,
    pub membership_id: Option<Uuid>,
}

/// Writes one revenue line on `conn` (normally the caller's open transaction).
pub async fn record(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    input: NewRevenue,
) -> AppResult<revenue::Model> {
    Ok(revenue::ActiveModel {
        id: Set(Uuid::new_v4()),
        stream: Set(input.stream.as_str().to_string()),
        amount_cents: Set(input.amount.cents()),
        received_on: Set(input.received_on),
        description: Set(input.description),
        site_id: Set(input.site_id),
        membership_id: Set(input.membership_id),
        created_at: Set(now),
    }
    .insert(conn)
    .await?)
}

//! What the memberships area holds about a person, for the GDPR seam (`service::gdpr`): their
//! memberships and the payments recorded for them. Erasure changes nothing here: a membership
//! names no one but its (now anonymous) holder, and the ledger never holds names.

use chrono::NaiveDate;
use lieu_entity::{membership, membership_plan, person, revenue};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::domain::Money;
use crate::error::AppResult;

/// The person's memberships and their payments; statuses as of `today`.
pub async fn export(
    conn: &impl ConnectionTrait,
    person: &person::Model,
    today: NaiveDate,
) -> AppResult<Vec<(&'static str, Value)>> {
    let memberships = membership::Entity::find()
        .filter(membership::Column::PersonId.eq(person.id))
        .find_also_related(membership_plan::Entity)
        .order_by_asc(membership::Column::StartsOn)
        .all(conn)
        .await?;
    let ids: Vec<Uuid> = memberships.iter().map(|(m, _)| m.id).collect();
    let payments = revenue::Entity::find()
        .filter(revenue::Column::MembershipId.is_in(ids))
        .order_by_asc(revenue::Column::ReceivedOn)
        .all(conn)
        .await?;
    let money = |cents: i64| Money::from_cents(cents).to_decimal().to_string();
    let memberships = memberships
        .iter()
        .map(|(m, plan)| {
            json!({
                "id": m.id,
                "plan": plan.as_ref().map(|p| p.name.clone()),
                "startsOn": m.starts_on.to_string(),
                "endsOn": m.ends_on.to_string(),
                "amountPaid": money(m.amount_paid_cents),
                "status": super::status_on(m, today).as_str(),
                "cancelledAt": m.cancelled_at.map(|t| t.to_rfc3339()),
                "createdAt": m.created_at.to_rfc3339(),
            })
        })
        .collect();
    let payments = payments
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "stream": r.stream,
                "amount": money(r.amount_cents),
                "receivedOn": r.received_on.to_string(),
                "description": r.description,
                "membershipId": r.membership_id,
            })
        })
        .collect();
    Ok(vec![
        ("memberships", Value::Array(memberships)),
        ("payments", Value::Array(payments)),
    ])
}

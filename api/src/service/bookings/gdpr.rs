//! What bookings hold about a person, for the GDPR seam (`service::gdpr`).

use lieu_entity::{booking, person, space};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::domain::{Money, fold};
use crate::error::AppResult;

/// The title a booking keeps when its own title named the erased person.
pub const ERASED_TITLE: &str = "Réservation";

/// A person's bookings, oldest first, for their personal-data export.
pub async fn export(
    conn: &impl ConnectionTrait,
    person: &person::Model,
) -> AppResult<Vec<(&'static str, Value)>> {
    let rows = booking::Entity::find()
        .filter(booking::Column::PersonId.eq(person.id))
        .find_also_related(space::Entity)
        .order_by_asc(booking::Column::StartsAt)
        .all(conn)
        .await?;
    let bookings = rows
        .into_iter()
        .map(|(b, space)| {
            json!({
                "id": b.id,
                "space": space.map(|s| s.name),
                "start": b.starts_at.to_rfc3339(),
                "end": b.ends_at.to_rfc3339(),
                "title": b.title,
                "status": b.status,
                "attendees": b.attendees,
                "notes": b.notes,
                "price": Money::from_cents(b.price_cents).to_decimal().to_string(),
                "paidAt": b.paid_at.map(|t| t.to_rfc3339()),
                "cancelledAt": b.cancelled_at.map(|t| t.to_rfc3339()),
                "cancelReason": b.cancel_reason,
                "createdAt": b.created_at.to_rfc3339(),
            })
        })
        .collect();
    Ok(vec![("bookings", Value::Array(bookings))])
}

/// Erasure, inside the caller's transaction: the person's bookings stay (the space was used,
/// the money was received) but lose their staff notes and cancellation reasons, and a title
/// that names the person (first name, last name or email, whatever the case and accents)
/// becomes "Réservation".
pub async fn erase(conn: &impl ConnectionTrait, person: &person::Model) -> AppResult<()> {
    booking::Entity::update_many()
        .col_expr(booking::Column::Notes, Expr::value(Option::<String>::None))
        .col_expr(
            booking::Column::CancelReason,
            Expr::value(Option::<String>::None),
        )
        .filter(booking::Column::PersonId.eq(person.id))
        .exec(conn)
        .await?;
    let names: Vec<String> = [
        Some(person.first_name.as_str()),
        Some(person.last_name.as_str()),
        person.email.as_deref(),
    ]
    .into_iter()
    .flatten()
    .map(fold)
    .filter(|n| n.len() >= 2)
    .collect();
    let naming: Vec<Uuid> = booking::Entity::find()
        .filter(booking::Column::PersonId.eq(person.id))
        .all(conn)
        .await?
        .into_iter()
        .filter(|b| {
            let title = format!(" {} ", fold(&b.title));
            names.iter().any(|n| title.contains(&format!(" {n} ")))
        })
        .map(|b| b.id)
        .collect();
    if !naming.is_empty() {
        booking::Entity::update_many()
            .col_expr(booking::Column::Title, Expr::value(ERASED_TITLE))
            .filter(booking::Column::Id.is_in(naming))
            .exec(conn)
            .await?;
    }
    Ok(())
}

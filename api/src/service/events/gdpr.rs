//! What registrations hold about a person, for the GDPR seam (`service::gdpr`): those made
//! for them, and those made with their email without knowing them.

use lieu_entity::{event, person, registration};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::{Value, json};

use crate::error::AppResult;

/// What an erased registration is called: it stays, counted, without a name.
pub const ERASED_NAME: &str = "(erased)";

/// The registrations that are this person's (also used to scrub webhook payloads).
pub(crate) fn of(person: &person::Model) -> Condition {
    let mut any = Condition::any().add(registration::Column::PersonId.eq(person.id));
    if let Some(email) = &person.email {
        any = any.add(registration::Column::EmailKey.eq(email.to_lowercase()));
    }
    any
}

pub async fn export(
    conn: &impl ConnectionTrait,
    person: &person::Model,
) -> AppResult<Vec<(&'static str, Value)>> {
    let rows = registration::Entity::find()
        .filter(of(person))
        .find_also_related(event::Entity)
        .order_by_asc(registration::Column::CreatedAt)
        .all(conn)
        .await?;
    let list = rows
        .into_iter()
        .map(|(r, event)| {
            json!({
                "id": r.id,
                "event": event.as_ref().map(|e| e.title.clone()),
                "eventStart": event.map(|e| e.starts_at.to_rfc3339()),
                "name": r.name,
                "email": r.email,
                "seats": r.seats,
                "status": r.status,
                "code": r.code,
                "checkedInAt": r.checked_in_at.map(|t| t.to_rfc3339()),
                "paidAt": r.paid_at.map(|t| t.to_rfc3339()),
                "createdAt": r.created_at.to_rfc3339(),
            })
        })
        .collect();
    Ok(vec![("registrations", Value::Array(list))])
}

/// The ids of the person's registrations (their audit entries hold the names they were made
/// with).
pub async fn registration_ids(
    conn: &impl ConnectionTrait,
    person: &person::Model,
) -> AppResult<Vec<uuid::Uuid>> {
    Ok(registration::Entity::find()
        .select_only()
        .column(registration::Column::Id)
        .filter(of(person))
        .into_tuple()
        .all(conn)
        .await?)
}

/// Blanks the name and email of the person's registrations; they stay, counted.
pub async fn erase(conn: &impl ConnectionTrait, person: &person::Model) -> AppResult<()> {
    registration::Entity::update_many()
        .col_expr(registration::Column::Name, Expr::value(ERASED_NAME))
        .col_expr(
            registration::Column::Email,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            registration::Column::EmailKey,
            Expr::value(Option::<String>::None),
        )
        .filter(of(person))
        .exec(conn)
        .await?;
    Ok(())
}

//! What the people area holds about a person, for the GDPR seam (`service::gdpr`): the
//! person's own fields and their links to organizations.

use chrono::{DateTime, Utc};
use lieu_entity::{organization, organization_contact, person};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set,
};
use serde_json::{Value, json};

use crate::error::AppResult;

/// What the last name of an erased person reads as (the first name is empty).
pub const ERASED_LAST_NAME: &str = "(erased)";

/// The person's fields and organization links.
pub async fn export(
    conn: &impl ConnectionTrait,
    person: &person::Model,
) -> AppResult<Vec<(&'static str, Value)>> {
    let links = organization_contact::Entity::find()
        .filter(organization_contact::Column::PersonId.eq(person.id))
        .find_also_related(organization::Entity)
        .all(conn)
        .await?;
    let fields = json!({
        "id": person.id,
        "firstName": person.first_name,
        "lastName": person.last_name,
        "email": person.email,
        "phone": person.phone,
        "postalCode": person.postal_code,
        "birthYear": person.birth_year,
        "consentToContact": person.consent_to_contact,
        "consentGivenAt": person.consent_given_at.map(|t| t.to_rfc3339()),
        "notes": person.notes,
        "createdAt": person.created_at.to_rfc3339(),
        "updatedAt": person.updated_at.to_rfc3339(),
        "erasedAt": person.erased_at.map(|t| t.to_rfc3339()),
    });
    let organizations = links
        .iter()
        .map(|(link, org)| {
            json!({
                "organizationId": link.organization_id,
                "name": org.as_ref().map(|o| o.name.clone()),
                "role": link.role,
            })
        })
        .collect();
    Ok(vec![
        ("person", fields),
        ("organizations", Value::Array(organizations)),
    ])
}

/// Erasure, inside the seam's transaction: names, email, phone, postal code, birth year,
/// consent, notes, the search keys and the organization links go for good; the row stays as an
/// anonymous placeholder (`erased_at` set) so that memberships, counts and money totals do not
/// change.
pub async fn erase(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    person: &person::Model,
) -> AppResult<()> {
    organization_contact::Entity::delete_many()
        .filter(organization_contact::Column::PersonId.eq(person.id))
        .exec(conn)
        .await?;
    let mut row = person.clone().into_active_model();
    row.first_name = Set(String::new());
    row.last_name = Set(ERASED_LAST_NAME.to_string());
    row.email = Set(None);
    row.email_key = Set(None);
    row.phone = Set(None);
    row.postal_code = Set(None);
    row.birth_year = Set(None);
    row.consent_to_contact = Set(false);
    row.consent_given_at = Set(None);
    row.notes = Set(None);
    row.first_key = Set(String::new());
    row.last_key = Set(String::new());
    row.search_text = Set(String::new());
    row.erased_at = Set(Some(now));
    row.updated_at = Set(now);
    row.update(conn).await?;
    Ok(())
}

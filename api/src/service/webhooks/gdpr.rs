//! Erasure (`service::gdpr`): a registration's summary names who registered, and a delivery
//! keeps its payload (pending ones to send, sent ones as a record). The erased person's name
//! is replaced in the payloads of their registrations' deliveries before it is sent or kept.

use lieu_entity::{person, registration, webhook_delivery};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde_json::Value;

use crate::error::AppResult;
use crate::service::events::gdpr::{ERASED_NAME, of};

/// Runs before the registrations themselves are erased: their names are what it looks for.
pub async fn erase(conn: &impl ConnectionTrait, person: &person::Model) -> AppResult<()> {
    let registrations = registration::Entity::find()
        .filter(of(person))
        .all(conn)
        .await?;
    for registration in registrations {
        let deliveries = webhook_delivery::Entity::find()
            .filter(webhook_delivery::Column::Payload.contains(registration.id.to_string()))
            .all(conn)
            .await?;
        for delivery in deliveries {
            let Ok(mut payload) = serde_json::from_str::<Value>(&delivery.payload) else {
                continue;
            };
            let Some(summary) = payload["summary"].as_str() else {
                continue;
            };
            let scrubbed = summary.replace(registration.name.as_str(), ERASED_NAME);
            if scrubbed == summary {
                continue;
            }
            payload["summary"] = Value::from(scrubbed);
            let mut model: webhook_delivery::ActiveModel = delivery.into();
            model.payload = Set(payload.to_string());
            model.update(conn).await?;
        }
    }
    Ok(())
}

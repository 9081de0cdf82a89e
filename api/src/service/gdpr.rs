//! GDPR across every area: a person's right of access (`export_person`) and erasure
//! (`erase_person`). Each area that stores something about people has a `gdpr` module with
//! `export` and, when it keeps personal data of its own, `erase`; this seam lists them, so a
//! new area plugs in here and nowhere else. (`docs`: erasure keeps counts and money totals.)

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::holders::{self, Lock};
use super::{audit, bookings, events, memberships, people, sites, webhooks};
use crate::db;
use crate::error::{AppError, AppResult};

/// Everything held about one person, as one JSON document.
pub async fn export_person(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    id: Uuid,
) -> AppResult<Value> {
    let person = people::get_person(conn, id).await?;
    let today = sites::today(conn, now).await?;
    let mut doc = Map::new();
    doc.insert("exportedAt".into(), Value::from(now.to_rfc3339()));
    doc.insert(
        "about".into(),
        Value::from(
            "Everything Lieu holds about this person. Dates are local days of the venue; amounts are EUR.",
        ),
    );
    let sections = [
        people::gdpr::export(conn, &person).await?,
        memberships::gdpr::export(conn, &person, today).await?,
        bookings::gdpr::export(conn, &person).await?,
        events::gdpr::export(conn, &person).await?,
    ];
    for (key, value) in sections.into_iter().flatten() {
        doc.insert(key.into(), value);
    }
    Ok(Value::Object(doc))
}

/// Erases a person's personal data for good, in every area, in one transaction. Erasing an
/// erased person is INVALID_STATE: the first erasure already removed everything.
pub async fn erase_person(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    id: Uuid,
) -> AppResult<()> {
    let txn = db::begin_write(conn).await?;
    // Locked: a change, a booking, a membership or a contact link being made for this person
    // commits first (and is then erased below) or waits and finds the person erased.
    let person = match holders::lock_person(&txn, id, Lock::Exclusive, "be erased again").await {
        Err(AppError::InvalidState(_)) => {
            let erased_on = people::get_person(&txn, id)
                .await?
                .erased_at
                .map(|at| at.format("%Y-%m-%d").to_string())
                .unwrap_or_default();
            return Err(AppError::InvalidState(format!(
                "person {id} was already erased on {erased_on}"
            )));
        }
        Err(AppError::NotFound { entity, id, .. }) => {
            return Err(AppError::NotFound {
                entity,
                id,
                field: None,
            });
        }
        other => other?,
    };
    bookings::gdpr::erase(&txn, &person).await?;
    // Before the registrations: it looks for their names in the webhook payloads.
    webhooks::gdpr::erase(&txn, &person).await?;
    // Before the registrations: it finds them by the person's name and email.
    let registrations = events::gdpr::registration_ids(&txn, &person).await?;
    audit::erase(&txn, person.id, person.email.as_deref(), registrations).await?;
    events::gdpr::erase(&txn, &person).await?;
    // Last: the person's own row, whose names the areas above matched against.
    people::gdpr::erase(&txn, now, &person).await?;
    audit::touched("Person", person.id);
    crate::service::audit::commit(txn).await?;
    if conn.get_database_backend() == DbBackend::Sqlite {
        // SQLite runs with secure_delete (old cell contents are zeroed); moving the WAL into
        // the database and truncating it leaves no copy of the old row in the WAL file either.
        // Best effort: a busy reader only delays it to the next checkpoint.
        conn.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
            .await
            .ok();
    }
    tracing::info!(person_id = %id, "person erased");
    Ok(())
}

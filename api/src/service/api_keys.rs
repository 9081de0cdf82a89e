//! API keys: created by an ADMIN (the key shown once, only its SHA-256 kept), listed, revoked;
//! and resolved on every request made with one, from the database each time, so that a key
//! revoked or expired fails on its very next request on every server process (no cache to go
//! stale: one indexed lookup, as for a session token).

use chrono::{DateTime, Utc};
use lieu_entity::api_key;
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::auth::{ApiKeyCaller, Caller, token};
use crate::db;
use crate::db::constraints::{self, Constraint};
use crate::domain::{ApiKeyScope, Name, StoredEnum};
use crate::error::{AppError, AppResult};

/// `last_used_at` is written at most this often per key: a busy website must not cost a write
/// per request.
const LAST_USED_EVERY: chrono::Duration = chrono::Duration::seconds(60);

pub struct NewApiKey {
    pub name: Name,
    pub scope: ApiKeyScope,
    pub expires_at: Option<DateTime<Utc>>,
}

pub fn scope_of(model: &api_key::Model) -> AppResult<ApiKeyScope> {
    ApiKeyScope::from_stored("api_keys.scope", &model.scope)
}

/// Creates a key; returns it (shown once) with its row. `created_by`: the ADMIN who asked.
pub async fn create(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    created_by: Option<Uuid>,
    input: NewApiKey,
) -> AppResult<(String, api_key::Model)> {
    if let Some(expires_at) = input.expires_at.filter(|at| *at <= now) {
        return Err(AppError::validation(
            "expiresAt",
            format!(
                "{expires_at} is not in the future: give a later time, or none for a key that does not expire"
            ),
        ));
    }
    let key = token::generate_api_key();
    let txn = db::begin_write(conn).await?;
    let taken = api_key::Entity::find()
        .filter(api_key::Column::Name.eq(input.name.as_str()))
        .filter(api_key::Column::RevokedAt.is_null())
        .one(&txn)
        .await?;
    if taken.is_some() {
        return Err(duplicate_name(&input.name));
    }
    let model = api_key::ActiveModel {
        id: Set(Uuid::new_v4()),
        name: Set(input.name.as_str().to_string()),
        scope: Set(input.scope.as_str().to_string()),
        key_hash: Set(token::hash(&key)),
        created_at: Set(now),
        last_used_at: Set(None),
        expires_at: Set(input.expires_at),
        revoked_at: Set(None),
        created_by: Set(created_by),
    }
    .insert(&txn)
    .await
    .map_err(|e| {
        // Two concurrent creations of one name: the partial unique index decides.
        if constraints::is(&e, Constraint::ApiKeyName) {
            duplicate_name(&input.name)
        } else {
            e.into()
        }
    })?;
    crate::service::audit::created("ApiKey", model.id, &model);
    crate::service::audit::commit(txn).await?;
    tracing::info!(api_key = %model.name, scope = %model.scope, "API key created");
    Ok((key, model))
}

fn duplicate_name(name: &Name) -> AppError {
    AppError::validation(
        "name",
        format!(
            "a key named '{}' exists and is not revoked: choose another name (each key's name is what the logs show)",
            name.as_str()
        ),
    )
}

/// Every key, revoked ones too, newest first.
pub async fn list(conn: &DatabaseConnection) -> AppResult<Vec<api_key::Model>> {
    Ok(api_key::Entity::find()
        .order_by_desc(api_key::Column::CreatedAt)
        .order_by_asc(api_key::Column::Id)
        .all(conn)
        .await?)
}

/// Revokes a key: its next request, on any server process, is UNAUTHENTICATED. Revoking a
/// revoked key is INVALID_STATE.
pub async fn revoke(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    id: Uuid,
) -> AppResult<api_key::Model> {
    let txn = db::begin_write(conn).await?;
    let found = api_key::Entity::find_by_id(id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found("API key", id))?;
    if found.revoked_at.is_some() {
        return Err(AppError::InvalidState(format!(
            "the key '{}' is already revoked",
            found.name
        )));
    }
    let mut model = found.into_active_model();
    model.revoked_at = Set(Some(now));
    let model = model.update(&txn).await?;
    crate::service::audit::commit(txn).await?;
    tracing::info!(api_key = %model.name, "API key revoked");
    Ok(model)
}

fn is_live(model: &api_key::Model, now: DateTime<Utc>) -> bool {
    model.revoked_at.is_none() && model.expires_at.is_none_or(|at| at > now)
}

/// Who an API key belongs to: a live key, or a rejected token (unknown, revoked, expired).
pub async fn resolve(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    key: &str,
) -> AppResult<Caller> {
    let found = api_key::Entity::find()
        .filter(api_key::Column::KeyHash.eq(token::hash(key)))
        .one(conn)
        .await?;
    let Some(model) = found.filter(|model| is_live(model, now)) else {
        return Ok(Caller::RejectedToken);
    };
    if model
        .last_used_at
        .is_none_or(|at| at <= now - LAST_USED_EVERY)
    {
        touch(conn, now, model.id).await;
    }
    Ok(Caller::Key(ApiKeyCaller {
        key_id: model.id,
        scope: scope_of(&model)?,
        name: model.name,
    }))
}

/// Records a use. Conditional, so that several processes seeing the same stale value write
/// once between them; a failure (a busy SQLite) costs the request nothing but a log line.
async fn touch(conn: &DatabaseConnection, now: DateTime<Utc>, id: Uuid) {
    let stale = Condition::any()
        .add(api_key::Column::LastUsedAt.is_null())
        .add(api_key::Column::LastUsedAt.lte(now - LAST_USED_EVERY));
    let updated = api_key::Entity::update_many()
        .col_expr(api_key::Column::LastUsedAt, Expr::value(now))
        .filter(api_key::Column::Id.eq(id))
        .filter(stale)
        .exec(conn)
        .await;
    if let Err(err) = updated {
        tracing::warn!(?err, api_key = %id, "could not record the use of an API key");
    }
}

/// Whether a key is still live: for sockets that re-check the key they signed in with.
pub async fn key_is_live(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    id: Uuid,
) -> AppResult<bool> {
    let found = api_key::Entity::find_by_id(id).one(conn).await?;
    Ok(found.is_some_and(|model| is_live(&model, now)))
}

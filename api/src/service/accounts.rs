//! Staff accounts and login sessions.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use lieu_entity::{session, user};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::auth::{AuthUser, Caller, Credential, password, token};
use crate::db;
use crate::db::constraints::{self, Constraint};
use crate::domain::{Email, Name, Password, Role, StoredEnum};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use sea_orm::{ConnectionTrait, DatabaseTransaction, IntoActiveModel, QuerySelect};

pub struct NewUser {
    pub email: Email,
    pub name: Name,
    pub role: Role,
    pub password: Password,
}

pub fn role_of(model: &user::Model) -> AppResult<Role> {
    Role::from_stored("users.role", &model.role)
}

pub async fn create_user(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    input: NewUser,
) -> AppResult<user::Model> {
    let password_hash = password::hash(input.password.expose().to_string()).await?;
    let txn = db::begin_write(conn).await?;
    let email_key = input.email.key();
    if user::Entity::find()
        .filter(user::Column::EmailKey.eq(email_key.clone()))
        .one(&txn)
        .await?
        .is_some()
    {
        return Err(duplicate_email(&input.email));
    }
    let model = user::ActiveModel {
        id: Set(Uuid::new_v4()),
        email: Set(input.email.as_str().to_string()),
        email_key: Set(email_key),
        name: Set(input.name.into_inner()),
        role: Set(input.role.as_str().to_string()),
        password_hash: Set(password_hash),
        created_at: Set(now),
        active: Set(true),
    }
    .insert(&txn)
    .await
    .map_err(|e| {
        // Two concurrent creations of one email: the unique index decides.
        if constraints::is(&e, Constraint::UserEmail) {
            duplicate_email(&input.email)
        } else {
            e.into()
        }
    })?;
    crate::service::audit::created("User", model.id, &model);
    crate::service::audit::commit(txn).await?;
    Ok(model)
}

fn duplicate_email(email: &Email) -> AppError {
    AppError::validation(
        "email",
        format!("a user with the email {} already exists", email.as_str()),
    )
}

pub async fn list_users(conn: &DatabaseConnection) -> AppResult<Vec<user::Model>> {
    Ok(user::Entity::find()
        .order_by_asc(user::Column::Name)
        .order_by_asc(user::Column::Id)
        .all(conn)
        .await?)
}

pub async fn get_user(conn: &DatabaseConnection, id: Uuid) -> AppResult<user::Model> {
    user::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::not_found("user", id))
}

pub struct LoginOutcome {
    pub token: String,
    pub user: user::Model,
    pub expires_at: DateTime<Utc>,
}

const BAD_LOGIN: &str = "invalid email or password";

/// Checks the rate limits, then the password, then opens a session.
pub async fn login(
    state: &AppState,
    email: &str,
    password_attempt: &str,
    address: IpAddr,
) -> AppResult<LoginOutcome> {
    let email_key = email.trim().to_lowercase();
    state.login_limiter.check(&email_key, address)?;

    let found = user::Entity::find()
        .filter(user::Column::EmailKey.eq(email_key))
        .one(&state.db)
        .await?;
    // Verify against a decoy when the account does not exist, so that timing does not tell
    // which emails have accounts.
    let phc = found.as_ref().map_or_else(
        || password::decoy_hash().to_string(),
        |u| u.password_hash.clone(),
    );
    let matches = password::verify(password_attempt.to_string(), phc).await?;
    let Some(user) = found.filter(|_| matches) else {
        tracing::info!("failed login");
        return Err(AppError::Unauthenticated(BAD_LOGIN));
    };
    if !user.active {
        // Said only to whoever knows the password: the account's owner.
        tracing::info!(user_id = %user.id, "login to a deactivated account");
        return Err(AppError::Unauthenticated(
            "this account is deactivated: ask an administrator to reactivate it",
        ));
    }

    let now = state.clock.now();
    let (token, expires_at) = open_session(&state.db, &user, now, state.config.session_ttl).await?;
    tracing::info!(user_id = %user.id, "login");
    Ok(LoginOutcome {
        token,
        user,
        expires_at,
    })
}

/// Opens a session for a user whose password was checked; returns the token (shown once: only
/// its hash is kept) and when it expires. The user's expired sessions go at the same time.
pub async fn open_session(
    conn: &DatabaseConnection,
    user: &user::Model,
    now: DateTime<Utc>,
    ttl: chrono::Duration,
) -> AppResult<(String, DateTime<Utc>)> {
    let expires_at = now + ttl;
    let token = token::generate();
    let txn = db::begin_write(conn).await?;
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user.id))
        .filter(session::Column::ExpiresAt.lte(now))
        .exec(&txn)
        .await?;
    session::ActiveModel {
        id: Set(Uuid::new_v4()),
        user_id: Set(user.id),
        token_hash: Set(token::hash(&token)),
        created_at: Set(now),
        expires_at: Set(expires_at),
    }
    .insert(&txn)
    .await?;
    crate::service::audit::touched("User", user.id);
    crate::service::audit::commit(txn).await?;
    Ok((token, expires_at))
}

/// Ends a session: its token stops working at once.
pub async fn logout(conn: &DatabaseConnection, session_id: Uuid) -> AppResult<()> {
    let txn = db::begin_write(conn).await?;
    session::Entity::delete_by_id(session_id).exec(&txn).await?;
    crate::service::audit::commit(txn).await?;
    Ok(())
}

/// Who a bearer token belongs to: a live API key (told by its prefix), a live session, or
/// neither (a rejected token).
pub async fn resolve_token(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    bearer: &str,
) -> AppResult<Caller> {
    if token::is_api_key(bearer) {
        return super::api_keys::resolve(conn, now, bearer).await;
    }
    let found = session::Entity::find()
        .filter(session::Column::TokenHash.eq(token::hash(bearer)))
        .find_also_related(user::Entity)
        .one(conn)
        .await?;
    match found {
        Some((session, Some(user))) if session.expires_at > now && user.active => {
            Ok(Caller::User(AuthUser {
                user_id: user.id,
                session_id: session.id,
                role: role_of(&user)?,
            }))
        }
        _ => Ok(Caller::RejectedToken),
    }
}

/// Whether a session is still open: not logged out, not expired, its account active. One
/// statement by primary key, for sockets that re-check the session they signed in with.
pub async fn session_is_open(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    session_id: Uuid,
) -> AppResult<bool> {
    let found = session::Entity::find_by_id(session_id)
        .find_also_related(user::Entity)
        .one(conn)
        .await?;
    Ok(matches!(found, Some((session, Some(user))) if session.expires_at > now && user.active))
}

/// Whether what a caller signed in with still holds: its session open, or its API key live.
pub async fn credential_is_live(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    credential: Credential,
) -> AppResult<bool> {
    match credential {
        Credential::Session(id) => session_is_open(conn, now, id).await,
        Credential::ApiKey(id) => super::api_keys::key_is_live(conn, now, id).await,
    }
}

/// Gives a user another role. Demoting the last active ADMIN is refused: someone must always be
/// able to manage the accounts.
pub async fn set_role(conn: &DatabaseConnection, id: Uuid, role: Role) -> AppResult<user::Model> {
    let txn = db::begin_write(conn).await?;
    let admins = lock_admins(&txn).await?;
    let found = lock_user(&txn, id).await?;
    if role != Role::Admin {
        keep_an_admin(&admins, &found, "demoted")?;
    }
    let mut model = found.into_active_model();
    model.role = Set(role.as_str().to_string());
    let model = model.update(&txn).await?;
    crate::service::audit::commit(txn).await?;
    Ok(model)
}

/// Deactivates an account: it can no longer sign in and its sessions end at once (its next
/// request is anonymous). The last active ADMIN cannot be deactivated.
pub async fn deactivate(conn: &DatabaseConnection, id: Uuid) -> AppResult<user::Model> {
    let txn = db::begin_write(conn).await?;
    let admins = lock_admins(&txn).await?;
    let found = lock_user(&txn, id).await?;
    if !found.active {
        return Err(AppError::InvalidState(format!(
            "{} is already deactivated",
            found.email
        )));
    }
    keep_an_admin(&admins, &found, "deactivated")?;
    end_sessions(&txn, id, None).await?;
    let mut model = found.into_active_model();
    model.active = Set(false);
    let model = model.update(&txn).await?;
    crate::service::audit::commit(txn).await?;
    Ok(model)
}

/// Lets a deactivated account sign in again (with its old password, or a reset one).
pub async fn reactivate(conn: &DatabaseConnection, id: Uuid) -> AppResult<user::Model> {
    let txn = db::begin_write(conn).await?;
    let found = lock_user(&txn, id).await?;
    if found.active {
        return Err(AppError::InvalidState(format!("{} is active", found.email)));
    }
    let mut model = found.into_active_model();
    model.active = Set(true);
    let model = model.update(&txn).await?;
    crate::service::audit::commit(txn).await?;
    Ok(model)
}

/// The caller changes their own password: the current one is required (a stolen session must
/// not be enough to take the account over), attempts count against the login limits, and every
/// other session of theirs ends.
pub async fn change_password(
    state: &AppState,
    auth: &AuthUser,
    old: &str,
    new: Password,
    address: IpAddr,
) -> AppResult<()> {
    let found = get_user(&state.db, auth.user_id).await?;
    state.login_limiter.check(&found.email_key, address)?;
    if !password::verify(old.to_string(), found.password_hash.clone()).await? {
        return Err(AppError::validation(
            "oldPassword",
            "is not your current password",
        ));
    }
    let hash = password::hash(new.expose().to_string()).await?;
    let txn = db::begin_write(&state.db).await?;
    let found = lock_user(&txn, auth.user_id).await?;
    end_sessions(&txn, found.id, Some(auth.session_id)).await?;
    let mut model = found.into_active_model();
    model.password_hash = Set(hash);
    model.update(&txn).await?;
    crate::service::audit::commit(txn).await?;
    tracing::info!(user_id = %auth.user_id, "password changed");
    Ok(())
}

/// Sets a new password for an account (from the command line, for someone who forgot theirs):
/// every session of the account ends.
pub async fn reset_password(
    conn: &DatabaseConnection,
    id: Uuid,
    new: Password,
) -> AppResult<user::Model> {
    let hash = password::hash(new.expose().to_string()).await?;
    let txn = db::begin_write(conn).await?;
    let found = lock_user(&txn, id).await?;
    end_sessions(&txn, id, None).await?;
    let mut model = found.into_active_model();
    model.password_hash = Set(hash);
    let model = model.update(&txn).await?;
    crate::service::audit::commit(txn).await?;
    Ok(model)
}

/// The account with this email (whatever its case), or NOT_FOUND.
pub async fn get_user_by_email(conn: &DatabaseConnection, email: &str) -> AppResult<user::Model> {
    user::Entity::find()
        .filter(user::Column::EmailKey.eq(email.trim().to_lowercase()))
        .one(conn)
        .await?
        .ok_or_else(|| AppError::not_found("user", email.trim()))
}

async fn lock_user(txn: &DatabaseTransaction, id: Uuid) -> AppResult<user::Model> {
    user::Entity::find_by_id(id)
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or_else(|| AppError::not_found("user", id))
}

/// Locks the active ADMINs' rows, always first and in one order: two ADMINs demoting each
/// other at once on PostgreSQL then run one after the other (instead of both counting two
/// ADMINs, or deadlocking on each other's row). SQLite's writes are serialized anyway.
async fn lock_admins(txn: &DatabaseTransaction) -> AppResult<Vec<user::Model>> {
    Ok(user::Entity::find()
        .filter(user::Column::Role.eq(Role::Admin.as_str()))
        .filter(user::Column::Active.eq(true))
        .order_by_asc(user::Column::Id)
        .lock_exclusive()
        .all(txn)
        .await?)
}

/// Refuses to take `user` out of the active ADMINs when they are the last one.
fn keep_an_admin(admins: &[user::Model], user: &user::Model, verb: &str) -> AppResult<()> {
    if admins.iter().all(|admin| admin.id == user.id) && admins.iter().any(|a| a.id == user.id) {
        return Err(AppError::InvalidState(format!(
            "{} is the last active administrator and cannot be {verb}: make another user ADMIN first",
            user.email
        )));
    }
    Ok(())
}

/// Ends a user's sessions, but `keep` (the caller's own, when they change their password).
async fn end_sessions(
    txn: &impl ConnectionTrait,
    user_id: Uuid,
    keep: Option<Uuid>,
) -> AppResult<()> {
    let mut delete = session::Entity::delete_many().filter(session::Column::UserId.eq(user_id));
    if let Some(keep) = keep {
        delete = delete.filter(session::Column::Id.ne(keep));
    }
    delete.exec(txn).await?;
    Ok(())
}

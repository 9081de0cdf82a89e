//! Who is calling, and what they may do: passwords, session tokens and API keys, the role
//! guard and the rate limits.

pub mod guard;
pub mod limiter;
pub mod password;
pub mod token;

use uuid::Uuid;

use crate::domain::{Actor, ApiKeyScope, Role};
use crate::error::AppError;

/// A signed-in staff member, as resolved from the bearer token of the request.
#[derive(Clone, Debug)]
pub struct AuthUser {
    pub user_id: Uuid,
    pub session_id: Uuid,
    pub role: Role,
}

/// A live API key, as resolved from the bearer token of the request.
#[derive(Clone, Debug)]
pub struct ApiKeyCaller {
    pub key_id: Uuid,
    /// For logs and metrics (unique among live keys).
    pub name: String,
    pub scope: ApiKeyScope,
}

/// The caller of one request.
#[derive(Clone, Debug)]
pub enum Caller {
    Anonymous,
    /// A token was sent but is unknown, expired or logged out.
    RejectedToken,
    User(AuthUser),
    /// An API key: PUBLIC acts as an anonymous caller (with a rate limit of its own), the other
    /// scopes with their role's rights.
    Key(ApiKeyCaller),
}

/// What a caller's rights come from, for a long-lived connection to re-check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Credential {
    Session(Uuid),
    ApiKey(Uuid),
}

impl Caller {
    pub fn user(&self) -> Option<&AuthUser> {
        match self {
            Caller::User(user) => Some(user),
            _ => None,
        }
    }

    pub fn api_key(&self) -> Option<&ApiKeyCaller> {
        match self {
            Caller::Key(key) => Some(key),
            _ => None,
        }
    }

    /// The staff role whose rights the caller has: a signed-in user's, or a role-scoped key's.
    pub fn role(&self) -> Option<Role> {
        match self {
            Caller::User(user) => Some(user.role),
            Caller::Key(key) => key.scope.role(),
            Caller::Anonymous | Caller::RejectedToken => None,
        }
    }

    pub fn credential(&self) -> Option<Credential> {
        match self {
            Caller::User(user) => Some(Credential::Session(user.session_id)),
            Caller::Key(key) => Some(Credential::ApiKey(key.key_id)),
            Caller::Anonymous | Caller::RejectedToken => None,
        }
    }

    /// The caller's role, or why there is none: `UNAUTHENTICATED` without a valid token,
    /// `FORBIDDEN` for a PUBLIC key (it is known, it just may do no more than the public).
    pub fn require_role(&self) -> Result<Role, AppError> {
        match self {
            Caller::Key(key) => key.scope.role().ok_or_else(|| {
                AppError::Forbidden(format!(
                    "the API key '{}' is PUBLIC: it may do what anonymous callers may (public events, spaces, free/busy, register), nothing more",
                    key.name
                ))
            }),
            other => other.require_user().map(|user| user.role),
        }
    }

    /// Who makes a change: a signed-in staff member or a role-scoped key.
    pub fn actor(&self) -> Result<Actor, AppError> {
        match self {
            Caller::Key(key) => Ok(Actor::Key {
                key_id: key.key_id,
                role: self.require_role()?,
            }),
            other => {
                let user = other.require_user()?;
                Ok(Actor::Staff {
                    user_id: user.user_id,
                    role: user.role,
                })
            }
        }
    }

    /// The signed-in user, or `UNAUTHENTICATED` with a message that says what to do. For what
    /// belongs to a person's session (their password, their logout), not to a key.
    pub fn require_user(&self) -> Result<&AuthUser, AppError> {
        match self {
            Caller::User(user) => Ok(user),
            Caller::Anonymous => Err(AppError::Unauthenticated(
                "sign in first: call login and send its token as 'Authorization: Bearer <token>'",
            )),
            Caller::RejectedToken => Err(AppError::Unauthenticated(
                "your session has expired or was closed; sign in again",
            )),
            Caller::Key(key) => Err(AppError::Forbidden(format!(
                "this needs a signed-in user's session; the API key '{}' has no account of its own",
                key.name
            ))),
        }
    }
}

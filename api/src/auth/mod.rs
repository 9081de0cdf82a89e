//! Who is calling, and what they may do: passwords, session tokens, the role guard and the
//! login rate limits.

pub mod guard;
pub mod limiter;
pub mod password;
pub mod token;

use uuid::Uuid;

use crate::domain::Role;
use crate::error::AppError;

/// A signed-in staff member, as resolved from the bearer token of the request.
#[derive(Clone, Debug)]
pub struct AuthUser {
    pub user_id: Uuid,
    pub session_id: Uuid,
    pub role: Role,
}

/// The caller of one request.
#[derive(Clone, Debug)]
pub enum Caller {
    Anonymous,
    /// A token was sent but is unknown, expired or logged out.
    RejectedToken,
    User(AuthUser),
}

impl Caller {
    pub fn user(&self) -> Option<&AuthUser> {
        match self {
            Caller::User(user) => Some(user),
            _ => None,
        }
    }

    /// The signed-in user, or `UNAUTHENTICATED` with a message that says what to do.
    pub fn require_user(&self) -> Result<&AuthUser, AppError> {
        match self {
            Caller::User(user) => Ok(user),
            Caller::Anonymous => Err(AppError::Unauthenticated(
                "sign in first: call login and send its token as 'Authorization: Bearer <token>'",
            )),
            Caller::RejectedToken => Err(AppError::Unauthenticated(
                "your session has expired or was closed; sign in again",
            )),
        }
    }
}

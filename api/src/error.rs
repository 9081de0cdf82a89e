//! The one error type of the API, and the one place where it becomes `extensions.code`.
//!
//! Services return `AppError`, and so do resolvers: `AppResult<T>` is every resolver's return
//! type. `AppError` is deliberately not `Display`, and the only conversions into it are from
//! itself and from `DbErr` (which becomes `INTERNAL`, or the client error of a known database
//! constraint, see `db::constraints`). So a `?` on a driver error, or on any other error with
//! a message, cannot reach a client with its text: either it is converted here, or it does not
//! compile. What still arrives without a code (input that async-graphql itself refuses, or a
//! resolver written against the rule) is sorted by `graphql::errors` after execution.

use std::sync::Arc;

use async_graphql::ErrorExtensions;
use chrono::{DateTime, Utc};
use sea_orm::DbErr;
use uuid::Uuid;

pub type AppResult<T> = Result<T, AppError>;

/// One booking that stands in the way of another.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    pub booking_id: Uuid,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// For a series: the occurrence (start, end) it stands in the way of.
    pub occurrence: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

/// Deliberately not `Display`: async-graphql converts any `Display` type into an error without
/// a code, and we want every error to go through the conversion below. `Clone` because
/// DataLoader shares one error between the fields that asked for a batch.
#[derive(Clone, Debug)]
pub enum AppError {
    Unauthenticated(&'static str),
    Forbidden(String),
    /// `field`: the input field that named the missing id, when one did.
    NotFound {
        entity: &'static str,
        id: String,
        field: Option<String>,
    },
    Validation {
        field: String,
        message: String,
    },
    BookingConflict(Vec<Conflict>),
    InvalidState(String),
    RateLimited {
        retry_after_seconds: u64,
    },
    Internal(Arc<anyhow::Error>),
}

impl AppError {
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation {
            field: field.into(),
            message: message.into(),
        }
    }

    /// An id that names nothing (or nothing the caller may see).
    pub fn not_found(entity: &'static str, id: impl ToString) -> Self {
        Self::NotFound {
            entity,
            id: id.to_string(),
            field: None,
        }
    }

    /// An id given in the input field `field` that names nothing.
    pub fn unknown(field: impl Into<String>, entity: &'static str, id: impl ToString) -> Self {
        Self::NotFound {
            entity,
            id: id.to_string(),
            field: Some(field.into()),
        }
    }

    pub fn internal(err: impl Into<anyhow::Error>) -> Self {
        Self::Internal(Arc::new(err.into()))
    }

    /// What the client reads. Internal errors say nothing of their cause.
    pub fn message(&self) -> String {
        match self {
            Self::Unauthenticated(message) => (*message).to_string(),
            Self::Forbidden(message) | Self::InvalidState(message) => message.clone(),
            Self::NotFound { entity, id, .. } => format!("{entity} {id} does not exist"),
            Self::Validation { field, message } => format!("{field}: {message}"),
            Self::BookingConflict(conflicts) => format!(
                "the space is already booked at that time ({} conflicting booking(s))",
                conflicts.len()
            ),
            Self::RateLimited {
                retry_after_seconds,
            } => format!("too many attempts; try again in {retry_after_seconds} s"),
            Self::Internal(_) => INTERNAL_MESSAGE.to_string(),
        }
    }

    /// The `extensions.code` of API.md.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated(_) => "UNAUTHENTICATED",
            Self::Forbidden(_) => "FORBIDDEN",
            Self::NotFound { .. } => "NOT_FOUND",
            Self::Validation { .. } => "VALIDATION",
            Self::BookingConflict(_) => "BOOKING_CONFLICT",
            Self::InvalidState(_) => "INVALID_STATE",
            Self::RateLimited { .. } => "RATE_LIMITED",
            Self::Internal(_) => "INTERNAL",
        }
    }
}

impl From<DbErr> for AppError {
    /// A violation of a constraint the database keeps for a rule (see `db::constraints`)
    /// becomes that rule's client error; anything else is internal.
    fn from(err: DbErr) -> Self {
        match crate::db::constraints::violated(&err) {
            Some(constraint) => constraint.error(),
            None => Self::Internal(Arc::new(err.into())),
        }
    }
}

/// Message sent to clients for `INTERNAL`; the details are in the server log.
pub const INTERNAL_MESSAGE: &str =
    "Internal error. It has been logged; quote the x-request-id response header when reporting it.";

/// Logs an internal error with the request's span (which carries the request id).
pub fn log_internal(source: &anyhow::Error) {
    // `{:#}` prints the cause chain without the (huge) backtrace anyhow may carry.
    tracing::error!(error = %format!("{source:#}"), "internal error");
}

fn conflict_value(c: &Conflict) -> async_graphql::Value {
    use async_graphql::{Name, Value};
    let mut m = async_graphql::indexmap::IndexMap::new();
    let mut put = |key: &str, value: String| {
        m.insert(Name::new(key), Value::from(value));
    };
    put("bookingId", c.booking_id.to_string());
    put("start", c.start.to_rfc3339());
    put("end", c.end.to_rfc3339());
    if let Some((start, end)) = c.occurrence {
        put("occurrenceStart", start.to_rfc3339());
        put("occurrenceEnd", end.to_rfc3339());
    }
    Value::Object(m)
}

impl From<AppError> for async_graphql::Error {
    fn from(err: AppError) -> Self {
        if let AppError::Internal(source) = &err {
            log_internal(source);
            return async_graphql::Error::new(INTERNAL_MESSAGE)
                .extend_with(|_, e| e.set("code", "INTERNAL"));
        }
        let code = err.code();
        async_graphql::Error::new(err.message()).extend_with(|_, e| {
            e.set("code", code);
            match &err {
                AppError::Validation { field, .. }
                | AppError::NotFound {
                    field: Some(field), ..
                } => e.set("field", field.as_str()),
                AppError::RateLimited {
                    retry_after_seconds,
                } => e.set("retryAfterSeconds", *retry_after_seconds),
                AppError::BookingConflict(conflicts) => e.set(
                    "conflicts",
                    conflicts
                        .iter()
                        .map(conflict_value)
                        .collect::<Vec<async_graphql::Value>>(),
                ),
                _ => {}
            }
        })
    }
}

/// For the command line, where the whole error (internal cause included) goes to the operator.
impl From<AppError> for anyhow::Error {
    fn from(err: AppError) -> Self {
        match err {
            AppError::Internal(source) => {
                anyhow::anyhow!("{source:#}")
            }
            other => anyhow::anyhow!(other.message()),
        }
    }
}

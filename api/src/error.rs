//! The one error type of the API, and the one place where it becomes `extensions.code`.
//!
//! Services return `AppError`. Database and other internal failures are logged here with the
//! request's span (which carries the request id) and reach the client as `INTERNAL` with a
//! generic message: no SQL, no stack, no driver text.

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
/// a code, and we want every error to go through the conversion below.
#[derive(Debug)]
pub enum AppError {
    Unauthenticated(&'static str),
    Forbidden(String),
    NotFound { entity: &'static str, id: String },
    Validation { field: String, message: String },
    BookingConflict(Vec<Conflict>),
    InvalidState(String),
    RateLimited { retry_after_seconds: u64 },
    Internal(anyhow::Error),
}

impl AppError {
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn not_found(entity: &'static str, id: impl ToString) -> Self {
        Self::NotFound {
            entity,
            id: id.to_string(),
        }
    }

    pub fn internal(err: impl Into<anyhow::Error>) -> Self {
        Self::Internal(err.into())
    }

    /// What the client reads. Internal errors say nothing of their cause.
    pub fn message(&self) -> String {
        match self {
            Self::Unauthenticated(message) => (*message).to_string(),
            Self::Forbidden(message) | Self::InvalidState(message) => message.clone(),
            Self::NotFound { entity, id } => format!("{entity} {id} does not exist"),
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
    fn from(err: DbErr) -> Self {
        Self::Internal(err.into())
    }
}

/// Message sent to clients for `INTERNAL`; the details are in the server log.
pub const INTERNAL_MESSAGE: &str =
    "Internal error. It has been logged; quote the x-request-id response header when reporting it.";

impl From<AppError> for async_graphql::Error {
    fn from(err: AppError) -> Self {
        if let AppError::Internal(source) = &err {
            // `{:#}` prints the cause chain without the (huge) backtrace anyhow may carry.
            tracing::error!(error = %format!("{source:#}"), "internal error");
            return async_graphql::Error::new(INTERNAL_MESSAGE)
                .extend_with(|_, e| e.set("code", "INTERNAL"));
        }
        let code = err.code();
        let base = async_graphql::Error::new(err.message());
        base.extend_with(|_, e| {
            e.set("code", code);
            match &err {
                AppError::Validation { field, .. } => e.set("field", field.as_str()),
                AppError::RateLimited {
                    retry_after_seconds,
                } => e.set("retryAfterSeconds", *retry_after_seconds),
                AppError::BookingConflict(conflicts) => {
                    let list: Vec<async_graphql::Value> = conflicts
                        .iter()
                        .map(|c| {
                            let mut m = async_graphql::indexmap::IndexMap::new();
                            m.insert(
                                async_graphql::Name::new("bookingId"),
                                async_graphql::Value::from(c.booking_id.to_string()),
                            );
                            m.insert(
                                async_graphql::Name::new("start"),
                                async_graphql::Value::from(c.start.to_rfc3339()),
                            );
                            m.insert(
                                async_graphql::Name::new("end"),
                                async_graphql::Value::from(c.end.to_rfc3339()),
                            );
                            if let Some((start, end)) = c.occurrence {
                                m.insert(
                                    async_graphql::Name::new("occurrenceStart"),
                                    async_graphql::Value::from(start.to_rfc3339()),
                                );
                                m.insert(
                                    async_graphql::Name::new("occurrenceEnd"),
                                    async_graphql::Value::from(end.to_rfc3339()),
                                );
                            }
                            async_graphql::Value::Object(m)
                        })
                        .collect();
                    e.set("conflicts", list)
                }
                _ => {}
            }
        })
    }
}

/// Every error in a GraphQL response carries a code. Errors that did not come from a resolver
/// (syntax errors, unknown fields, wrong argument types, depth or complexity limits) are the
/// caller's input: they become `VALIDATION`.
pub fn ensure_codes(errors: &mut [async_graphql::ServerError]) {
    for error in errors {
        let has_code = error
            .extensions
            .as_ref()
            .is_some_and(|ext| ext.get("code").is_some());
        if !has_code {
            error
                .extensions
                .get_or_insert_with(Default::default)
                .set("code", "VALIDATION");
        }
    }
}

/// For the command line, where the whole error (internal cause included) goes to the operator.
impl From<AppError> for anyhow::Error {
    fn from(err: AppError) -> Self {
        match err {
            AppError::Internal(source) => source,
            other => anyhow::anyhow!(other.message()),
        }
    }
}

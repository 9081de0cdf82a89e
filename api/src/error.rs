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
use chrono_tz::Tz;
use sea_orm::DbErr;
use uuid::Uuid;

pub type AppResult<T> = Result<T, AppError>;

/// What of a booking in the way collides with the wanted one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Collision {
    /// The booking itself.
    Booking,
    /// Only the clean-up time after it.
    ItsCleanUp,
    /// Only the clean-up time the wanted booking needs after itself.
    YourCleanUp,
}

/// One booking that stands in the way of another.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    pub booking_id: Uuid,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// For a series: the occurrence (start, end) it stands in the way of.
    pub occurrence: Option<(DateTime<Utc>, DateTime<Utc>)>,
    pub collision: Collision,
    /// The clean-up time after the booking in the way (its space's buffer).
    pub clean_up_minutes: i64,
    /// The clean-up time the wanted booking needs after itself.
    pub your_clean_up_minutes: i64,
    /// The site's time zone: times are said as a person there reads them.
    pub tz: Tz,
}

impl Conflict {
    /// "on 2027-01-12 from 10:00 to 12:00 (+30 min clean-up)", in the site's local time.
    pub fn describe(&self) -> String {
        let (start, end) = (
            self.start.with_timezone(&self.tz),
            self.end.with_timezone(&self.tz),
        );
        let until = if start.date_naive() == end.date_naive() {
            end.format("%H:%M").to_string()
        } else {
            end.format("%Y-%m-%d %H:%M").to_string()
        };
        let why = match self.collision {
            Collision::Booking => String::new(),
            Collision::ItsCleanUp => format!(" (+{} min clean-up)", self.clean_up_minutes),
            Collision::YourCleanUp => format!(
                ", and this space needs {} min of clean-up after yours",
                self.your_clean_up_minutes
            ),
        };
        format!(
            "on {} from {} to {until}{why}",
            start.format("%Y-%m-%d"),
            start.format("%H:%M")
        )
    }
}

/// How many conflicts a message lists before "and N more".
const CONFLICTS_SAID: usize = 5;

fn conflicts_message(conflicts: &[Conflict]) -> String {
    match conflicts {
        [] => "the space is already booked at that time".to_string(),
        [one] => format!("the space is taken {}", one.describe()),
        many => {
            let mut said: Vec<String> = many
                .iter()
                .take(CONFLICTS_SAID)
                .map(Conflict::describe)
                .collect();
            if many.len() > CONFLICTS_SAID {
                said.push(format!("and {} more", many.len() - CONFLICTS_SAID));
            }
            format!("the space is taken {}", said.join("; "))
        }
    }
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
            Self::BookingConflict(conflicts) => conflicts_message(conflicts),
            Self::RateLimited {
                retry_after_seconds,
            } => format!("too many attempts; try again in {retry_after_seconds} s"),
            Self::Internal(source) => internal_message(source).to_string(),
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

/// Message sent for `INTERNAL` when the database cannot be reached: the client can do nothing
/// but wait, so it is told to retry (and nothing of the cause).
pub const UNAVAILABLE_MESSAGE: &str = "The database is not answering right now; nothing was \
     changed. Try again in a few seconds (quote the x-request-id response header if it lasts).";

fn internal_message(source: &anyhow::Error) -> &'static str {
    match source.downcast_ref::<DbErr>() {
        Some(err) if database_unreachable(err) => UNAVAILABLE_MESSAGE,
        _ => INTERNAL_MESSAGE,
    }
}

/// Whether a database error means "the database is not there right now" (pool timeout, a
/// connection refused, cut or terminated) rather than a fault in a statement.
pub fn database_unreachable(err: &DbErr) -> bool {
    let sqlx = match err {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => return true,
        DbErr::Exec(sea_orm::RuntimeErr::SqlxError(e))
        | DbErr::Query(sea_orm::RuntimeErr::SqlxError(e)) => e,
        _ => return false,
    };
    match sqlx.as_ref() {
        sea_orm::sqlx::Error::Io(_)
        | sea_orm::sqlx::Error::PoolTimedOut
        | sea_orm::sqlx::Error::PoolClosed
        | sea_orm::sqlx::Error::WorkerCrashed
        | sea_orm::sqlx::Error::Protocol(_) => true,
        // PostgreSQL's "connection exception" (08…) and "operator intervention" (57P…:
        // terminated by an administrator, shutting down, cannot connect now).
        sea_orm::sqlx::Error::Database(db) => db
            .code()
            .is_some_and(|code| code.starts_with("08") || code.starts_with("57P")),
        _ => false,
    }
}

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
    let local = |t: DateTime<Utc>| t.with_timezone(&c.tz).to_rfc3339();
    put("bookingId", c.booking_id.to_string());
    put("start", local(c.start));
    put("end", local(c.end));
    if let Some((start, end)) = c.occurrence {
        put("occurrenceStart", local(start));
        put("occurrenceEnd", local(end));
    }
    Value::Object(m)
}

impl From<AppError> for async_graphql::Error {
    fn from(err: AppError) -> Self {
        if let AppError::Internal(source) = &err {
            log_internal(source);
            return async_graphql::Error::new(internal_message(source))
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

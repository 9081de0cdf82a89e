//! Calendar feeds: `GET /ical/spaces/{id}.ics` (public callers get busy times only; a staff
//! token, `Authorization: Bearer …`, adds the titles) and `GET /ical/events.ics` (the public
//! agenda).

use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, VARY};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use super::graphql::resolve_caller;
use crate::auth::Caller;
use crate::auth::guard::Permission;
use crate::service::bookings::calendar;
use crate::service::events::calendar as events_calendar;
use crate::state::AppState;

pub async fn space_feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(id) = file
        .strip_suffix(".ics")
        .and_then(|id| Uuid::parse_str(id).ok())
    else {
        return (
            StatusCode::NOT_FOUND,
            "no such calendar: use /ical/spaces/<space id>.ics",
        )
            .into_response();
    };
    let caller = match resolve_caller(&state, &headers).await {
        Ok(Caller::RejectedToken) | Err(crate::error::AppError::Unauthenticated(_)) => {
            return (
                StatusCode::UNAUTHORIZED,
                "this token is expired or unknown; sign in again",
            )
                .into_response();
        }
        Ok(caller) => caller,
        Err(err) => return internal(err),
    };
    let staff = Permission::ReadOperations.check(&caller).is_ok();
    match calendar::space_feed(&state.db, id, state.clock.now(), staff).await {
        Ok(Some(body)) => (
            [
                (CONTENT_TYPE, "text/calendar; charset=utf-8"),
                (
                    CACHE_CONTROL,
                    if staff {
                        "private, no-store"
                    } else {
                        "public, max-age=300"
                    },
                ),
                // A cache must not hand the staff version to the public, or the reverse.
                (VARY, "Authorization"),
            ],
            body,
        )
            .into_response(),
        Ok(None) => (StatusCode::NOT_FOUND, "no space has this id").into_response(),
        Err(err) => internal(err),
    }
}

/// `GET /ical/events.ics`: the public agenda, for calendar clients.
pub async fn events_feed(State(state): State<AppState>) -> Response {
    match events_calendar::events_feed(&state.db, state.clock.now()).await {
        Ok(body) => (
            [
                (CONTENT_TYPE, "text/calendar; charset=utf-8"),
                (CACHE_CONTROL, "public, max-age=300"),
            ],
            body,
        )
            .into_response(),
        Err(err) => internal(err),
    }
}

fn internal(err: crate::error::AppError) -> Response {
    // Logged by the conversion; the client learns nothing of the cause.
    let _: async_graphql::Error = err.into();
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        crate::error::INTERNAL_MESSAGE,
    )
        .into_response()
}

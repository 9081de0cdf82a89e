use axum::extract::State;
use axum::http::StatusCode;

use crate::state::AppState;

/// The process is up.
pub async fn healthz() -> &'static str {
    "ok"
}

/// The database answers and is fully migrated: the process can take traffic.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if crate::db::is_ready(&state.db).await {
        (StatusCode::OK, "ready")
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "database unreachable or not migrated",
        )
    }
}

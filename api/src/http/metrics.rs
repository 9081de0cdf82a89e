//! `GET /metrics`: Prometheus text, served only on the `--metrics-bind` address (see README,
//! "Metrics"): the public address answers 404 there, so a venue that exposes its API to the
//! internet does not publish its traffic figures by accident.

use std::collections::HashSet;
use std::sync::OnceLock;

use async_graphql::parser::types::{DocumentOperations, Selection};
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::state::AppState;
use crate::telemetry::metrics;

/// The router of the metrics address: `/metrics` and nothing else.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(scrape))
        .with_state(state)
}

async fn scrape(State(state): State<AppState>) -> Response {
    let max = crate::db::pool_size(&state.config.database);
    let text = metrics::render(&state.db, &state.statements, max);
    (
        [(CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        text,
    )
        .into_response()
}

/// `/metrics` on the public address: not here, and where to find it.
pub async fn not_here() -> (StatusCode, &'static str) {
    (
        StatusCode::NOT_FOUND,
        "metrics are served on the address given by --metrics-bind (LIEU_METRICS_BIND), \
         for example 127.0.0.1:9464, not on the public address\n",
    )
}

/// The `operation` label of a request: the root field it runs (bounded by the schema),
/// `multiple`, or `invalid`.
pub fn operation_label(request: &async_graphql::Request) -> String {
    let Ok(document) = async_graphql::parser::parse_query(&request.query) else {
        return "invalid".into();
    };
    let operation = match (&request.operation_name, &document.operations) {
        (_, DocumentOperations::Single(operation)) => Some(&operation.node),
        (Some(name), DocumentOperations::Multiple(operations)) => {
            operations.get(name.as_str()).map(|o| &o.node)
        }
        (None, DocumentOperations::Multiple(operations)) if operations.len() == 1 => {
            operations.values().next().map(|o| &o.node)
        }
        (None, DocumentOperations::Multiple(_)) => None,
    };
    let Some(operation) = operation else {
        return "invalid".into();
    };
    let fields: Vec<&str> = operation
        .selection_set
        .node
        .items
        .iter()
        .map(|item| match &item.node {
            Selection::Field(field) => field.node.name.node.as_str(),
            // A fragment at the root is rare, and names no field by itself: `invalid`.
            _ => "…",
        })
        .filter(|name| !name.starts_with("__"))
        .collect();
    match fields.as_slice() {
        [] if !operation.selection_set.node.items.is_empty() => "introspection".into(),
        [one] if root_fields().contains(*one) => (*one).to_string(),
        [_, _, ..] => "multiple".into(),
        _ => "invalid".into(),
    }
}

/// Every root field of the schema (queries, mutations, subscriptions), read once from its SDL.
fn root_fields() -> &'static HashSet<String> {
    static FIELDS: OnceLock<HashSet<String>> = OnceLock::new();
    FIELDS.get_or_init(|| {
        use async_graphql::parser::types::{TypeKind, TypeSystemDefinition};
        let sdl = crate::graphql::sdl();
        let Ok(document) = async_graphql::parser::parse_schema(&sdl) else {
            return HashSet::new();
        };
        document
            .definitions
            .iter()
            .filter_map(|definition| match definition {
                TypeSystemDefinition::Type(t)
                    if matches!(
                        t.node.name.node.as_str(),
                        "Query" | "Mutation" | "Subscription"
                    ) =>
                {
                    match &t.node.kind {
                        TypeKind::Object(object) => Some(
                            object
                                .fields
                                .iter()
                                .map(|f| f.node.name.node.to_string())
                                .collect::<Vec<_>>(),
                        ),
                        _ => None,
                    }
                }
                _ => None,
            })
            .flatten()
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(query: &str) -> String {
        operation_label(&async_graphql::Request::new(query))
    }

    #[test]
    fn the_label_is_a_root_field_of_the_schema() {
        assert_eq!(label("{ me { name } }"), "me");
        assert_eq!(
            label("mutation Anything { createBooking(input: {}) { id } }"),
            "createBooking"
        );
        assert_eq!(label("{ me { name } spaces { id } }"), "multiple");
        assert_eq!(label("{ noSuchField }"), "invalid");
        assert_eq!(label("not graphql"), "invalid");
        assert_eq!(label("{ __schema { types { name } } }"), "introspection");
    }
}

use std::net::{IpAddr, SocketAddr};

use async_graphql::parser::types::{DocumentOperations, OperationType};
use async_graphql_axum::GraphQLResponse;
use axum::Json;
use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::header::{ALLOW, AUTHORIZATION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::graphiql;

use crate::auth::{Caller, token};
use crate::error::AppError;
use crate::graphql::{LieuSchema, RequestContext};
use crate::service::accounts;
use crate::state::AppState;

/// What the GraphQL routes need: the shared state and the executable schema.
#[derive(Clone)]
pub struct GraphqlState {
    pub app: AppState,
    pub schema: LieuSchema,
}

impl axum::extract::FromRef<GraphqlState> for AppState {
    fn from_ref(state: &GraphqlState) -> AppState {
        state.app.clone()
    }
}

/// `POST /graphql`: one GraphQL request as JSON. Whatever is wrong with the HTTP request
/// itself (not JSON, not a GraphQL request, a batch, too large, another content type) is
/// answered as GraphQL JSON with a code and the status GraphQL-over-HTTP prescribes, never as
/// the framework's plain text.
pub async fn graphql(
    State(state): State<GraphqlState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    if !is_json(&headers) {
        return refused(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the request with Content-Type: application/json and a body like \
             {\"query\": \"{ me { name } }\", \"variables\": {}}",
        );
    }
    let limit = state.app.config.body_limit_bytes;
    let bytes = match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => bytes,
        Err(err) if is_length_limit(&err) => return too_large(limit),
        Err(_) => {
            return refused(
                StatusCode::BAD_REQUEST,
                "the request body could not be read",
            );
        }
    };
    let request = match parse_body(&bytes) {
        Ok(request) => request,
        Err(message) => return refused(StatusCode::BAD_REQUEST, &message),
    };
    execute(&state, peer, &headers, request).await
}

/// `GET /graphql`: GraphiQL for a browser; with `?query=` a query (never a mutation: GET must
/// not change anything, so a mutation is 405 as GraphQL-over-HTTP says).
pub async fn graphql_get(
    State(state): State<GraphqlState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let Some(query) = uri.query().filter(|q| has_query_param(q)) else {
        return graphiql::page().await.into_response();
    };
    let request = match async_graphql::http::parse_query_string(query) {
        Ok(request) => request,
        Err(err) => {
            return refused(
                StatusCode::BAD_REQUEST,
                &format!("the query string is not a GraphQL request ({err})"),
            );
        }
    };
    if is_mutation(&request) {
        let mut response = refused(
            StatusCode::METHOD_NOT_ALLOWED,
            "a mutation must be sent with POST (GET only reads)",
        );
        response
            .headers_mut()
            .insert(ALLOW, HeaderValue::from_static("GET, POST"));
        return response;
    }
    execute(&state, peer, &headers, request).await
}

/// Runs one request, and records it in the metrics: its root field, outcome, latency and the
/// SQL statements it cost (token check included).
async fn execute(
    state: &GraphqlState,
    peer: SocketAddr,
    headers: &HeaderMap,
    request: async_graphql::Request,
) -> Response {
    let started = std::time::Instant::now();
    let operation = super::metrics::operation_label(&request);
    let (response, statements) =
        crate::telemetry::metrics::count_statements(run(state, peer, headers, request)).await;
    let outcome = response
        .errors
        .first()
        .and_then(|e| e.extensions.as_ref())
        .and_then(|e| e.get("code"))
        .and_then(|code| match code {
            async_graphql::Value::String(code) => Some(code.clone()),
            _ => None,
        })
        .unwrap_or_else(|| {
            if response.errors.is_empty() {
                "ok".into()
            } else {
                "INTERNAL".into()
            }
        });
    crate::telemetry::metrics::request_done(&operation, &outcome, started.elapsed(), statements);
    GraphQLResponse::from(response).into_response()
}

async fn run(
    state: &GraphqlState,
    peer: SocketAddr,
    headers: &HeaderMap,
    request: async_graphql::Request,
) -> async_graphql::Response {
    let caller = match resolve_caller(&state.app, headers).await {
        Ok(caller) => caller,
        Err(err) => {
            let error: async_graphql::Error = err.into();
            // About the request's credentials, not a place in the document: no locations.
            let mut error = error.into_server_error(async_graphql::Pos::default());
            error.locations.clear();
            return async_graphql::Response::from_errors(vec![error]);
        }
    };
    let address = client_address(&state.app, headers, peer);
    let request_id = headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let context = RequestContext::build(&state.app, caller, address, request_id);
    let schema = state.schema.for_document(&request.query);
    context.execute(schema, request).await
}

/// The body as one GraphQL request, or what to tell the sender.
fn parse_body(bytes: &[u8]) -> Result<async_graphql::Request, String> {
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|err| {
        format!(
            "the body is not valid JSON ({err}): send {{\"query\": \"…\", \"variables\": {{…}}}}"
        )
    })?;
    if value.is_array() {
        return Err(
            "batched requests are not supported: send one operation per request".to_string(),
        );
    }
    if !value.get("query").is_some_and(serde_json::Value::is_string) {
        return Err(
            "the body is not a GraphQL request (missing field `query`, a string): send {\"query\": \"…\", \"variables\": {…}}"
                .to_string(),
        );
    }
    serde_json::from_value(value).map_err(|err| {
        format!(
            "the body is not a GraphQL request ({err}): send {{\"query\": \"…\", \"variables\": {{…}}}}"
        )
    })
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|media| {
            let media = media.trim();
            media.eq_ignore_ascii_case("application/json")
                || media.eq_ignore_ascii_case("application/graphql-response+json")
        })
}

fn has_query_param(query_string: &str) -> bool {
    query_string
        .split('&')
        .any(|pair| pair == "query" || pair.starts_with("query="))
}

/// Whether the operation the request would run is a mutation (or a subscription, which GET
/// cannot carry either). An unparsable document is left to the executor, which says why.
fn is_mutation(request: &async_graphql::Request) -> bool {
    operation_type(request).is_some_and(|ty| ty != OperationType::Query)
}

/// The type of the operation the request would run, when the document says it.
pub(crate) fn operation_type(request: &async_graphql::Request) -> Option<OperationType> {
    let Ok(document) = async_graphql::parser::parse_query(&request.query) else {
        return None;
    };
    let chosen = match (&request.operation_name, &document.operations) {
        (_, DocumentOperations::Single(operation)) => Some(&operation.node),
        (Some(name), DocumentOperations::Multiple(operations)) => {
            operations.get(name.as_str()).map(|o| &o.node)
        }
        (None, DocumentOperations::Multiple(operations)) if operations.len() == 1 => {
            operations.values().next().map(|o| &o.node)
        }
        (None, DocumentOperations::Multiple(_)) => None,
    };
    chosen.map(|operation| operation.ty)
}

/// A body over the limit: the limit layer's own error, found in the read error's sources.
fn is_length_limit(err: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(current) = source {
        if current
            .downcast_ref::<http_body_util::LengthLimitError>()
            .is_some()
        {
            return true;
        }
        source = current.source();
    }
    false
}

fn too_large(limit: usize) -> Response {
    refused(
        StatusCode::PAYLOAD_TOO_LARGE,
        &format!(
            "the request body is larger than the {} KiB this server accepts",
            limit / 1024
        ),
    )
}

/// A GraphQL error response for a request that never reached a resolver.
pub fn refused(status: StatusCode, message: &str) -> Response {
    let body = serde_json::json!({
        "errors": [{ "message": message, "extensions": { "code": "VALIDATION" } }]
    });
    (status, Json(body)).into_response()
}

/// Answers that the framework writes as plain text before `/graphql`'s handler runs (a body
/// over the limit with its Content-Length, an unknown method) become GraphQL JSON too.
pub async fn json_refusals(limit: usize, request: axum::extract::Request, next: Next) -> Response {
    let is_graphql = request.uri().path() == "/graphql";
    let response = next.run(request).await;
    let status = response.status();
    let is_plain = !response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !is_plain {
        return response;
    }
    match status {
        StatusCode::PAYLOAD_TOO_LARGE => too_large(limit),
        StatusCode::METHOD_NOT_ALLOWED if is_graphql => {
            let mut refusal = refused(
                status,
                "send GraphQL requests with POST (or GET for queries)",
            );
            if let Some(allow) = response.headers().get(ALLOW) {
                refusal.headers_mut().insert(ALLOW, allow.clone());
            }
            refusal
        }
        _ => response,
    }
}

/// Who sent a request, from its `Authorization` header. A request made with an API key
/// carries the key's name in its log span (`api_key`) and in the metrics.
pub async fn resolve_caller(state: &AppState, headers: &HeaderMap) -> Result<Caller, AppError> {
    let value = headers
        .get(AUTHORIZATION)
        .map(|v| v.to_str().unwrap_or_default());
    let caller = resolve_authorization(state, value).await?;
    if let Some(key) = caller.api_key() {
        tracing::Span::current().record("api_key", key.name.as_str());
        crate::telemetry::metrics::api_key_request(&key.name);
    }
    Ok(caller)
}

/// Said for an API key that is unknown, revoked or expired.
const KEY_REJECTED: &str =
    "this API key is unknown, revoked or expired: ask an administrator for a new one";

/// Who an `Authorization` value (`Bearer <token>`) belongs to: anonymous without one, a
/// rejected token when it is malformed, unknown or over. The same for HTTP and WebSocket.
///
/// An API key that is unknown, revoked or expired fails the whole request (UNAUTHENTICATED),
/// even one that the public may make: a page still sending a revoked PUBLIC key must learn
/// it at once rather than go on as an anonymous caller.
pub async fn resolve_authorization(
    state: &AppState,
    value: Option<&str>,
) -> Result<Caller, AppError> {
    let Some(value) = value else {
        return Ok(Caller::Anonymous);
    };
    let Some(bearer) = token::from_authorization(value) else {
        return Ok(Caller::RejectedToken);
    };
    let caller = accounts::resolve_token(&state.db, state.clock.now(), bearer).await?;
    if token::is_api_key(bearer) && matches!(caller, Caller::RejectedToken) {
        return Err(AppError::Unauthenticated(KEY_REJECTED));
    }
    Ok(caller)
}

/// The peer address, or the first `X-Forwarded-For` hop when the proxy is trusted.
pub(crate) fn client_address(state: &AppState, headers: &HeaderMap, peer: SocketAddr) -> IpAddr {
    if state.config.trust_forwarded_for
        && let Some(forwarded) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|v| v.trim().parse::<IpAddr>().ok())
    {
        return forwarded;
    }
    peer.ip()
}

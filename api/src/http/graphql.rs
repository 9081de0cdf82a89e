use std::net::{IpAddr, SocketAddr};

use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::extract::{ConnectInfo, State};
use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;

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

pub async fn graphql(
    State(state): State<GraphqlState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    request: GraphQLRequest,
) -> GraphQLResponse {
    let caller = match resolve_caller(&state.app, &headers).await {
        Ok(caller) => caller,
        Err(err) => {
            let error: async_graphql::Error = err.into();
            return async_graphql::Response::from_errors(vec![
                error.into_server_error(async_graphql::Pos::default()),
            ])
            .into();
        }
    };
    let address = client_address(&state.app, &headers, peer);
    let request_id = headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let context = RequestContext::build(&state.app, caller, address, request_id);
    context
        .execute(&state.schema, request.into_inner())
        .await
        .into()
}

/// Who sent a request, from its `Authorization` header.
pub async fn resolve_caller(state: &AppState, headers: &HeaderMap) -> Result<Caller, AppError> {
    let Some(value) = headers.get(AUTHORIZATION) else {
        return Ok(Caller::Anonymous);
    };
    let Some(bearer) = value.to_str().ok().and_then(token::from_authorization) else {
        return Ok(Caller::RejectedToken);
    };
    accounts::resolve_token(&state.db, state.clock.now(), bearer).await
}

/// The peer address, or the first `X-Forwarded-For` hop when the proxy is trusted.
fn client_address(state: &AppState, headers: &HeaderMap, peer: SocketAddr) -> IpAddr {
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

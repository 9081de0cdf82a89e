//! One request context for every way a GraphQL document is executed: HTTP, the WebSocket
//! subscriptions and the tests. It carries the caller, the client's address, the request id
//! and this request's DataLoaders with the queue that decides when their batches run, and it
//! is the one place where a response's errors get their codes (`errors::finish`).

use std::net::{IpAddr, Ipv4Addr};

use async_graphql::{Context, ObjectType, Request, Response, Schema, SubscriptionType};

use super::batching::BatchQueue;
use super::errors;
use super::loaders::Loaders;
use crate::auth::Caller;
use crate::domain::Actor;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// What a resolver may know about the request it serves.
pub struct RequestContext {
    pub state: AppState,
    pub caller: Caller,
    /// The client's address, as seen by the HTTP layer (used by rate limits).
    pub client_addr: IpAddr,
    /// The `x-request-id` of the HTTP request, when there is one.
    pub request_id: Option<String>,
    pub loaders: Loaders,
    queue: BatchQueue,
}

impl RequestContext {
    pub fn build(
        state: &AppState,
        caller: Caller,
        client_addr: IpAddr,
        request_id: Option<String>,
    ) -> Self {
        let queue = BatchQueue::default();
        Self {
            loaders: Loaders::new(state, &queue),
            state: state.clone(),
            caller,
            client_addr,
            request_id,
            queue,
        }
    }

    /// A context for code that runs a document without a client (tests, tools).
    pub fn local(state: &AppState, caller: Caller) -> Self {
        Self::build(state, caller, IpAddr::V4(Ipv4Addr::LOCALHOST), None)
    }

    /// Executes `request` with this context: its loaders' batches run on this task (see
    /// `batching`), and every error of the response leaves with a code.
    pub async fn execute<Q, M, S>(self, schema: &Schema<Q, M, S>, request: Request) -> Response
    where
        Q: ObjectType + 'static,
        M: ObjectType + 'static,
        S: SubscriptionType + 'static,
    {
        let queue = self.queue.clone();
        // Kept to name the field of a value async-graphql refuses (only read on errors).
        let query = request.query.clone();
        let variables = serde_json::to_value(&request.variables).unwrap_or_default();
        let mut response = queue.run(schema.execute(request.data(self))).await;
        if !response.errors.is_empty() {
            let sent = errors::Sent {
                query: &query,
                variables: &variables,
            };
            errors::finish(&mut response.errors, &sent);
        }
        response
    }

    /// Starts a subscription with this context; every error of every response leaves with a
    /// code, as in `execute`. A subscription's events resolve without DataLoaders (the
    /// activity events carry their fields), so no batch queue drives them.
    pub fn subscribe<Q, M, S>(
        self,
        schema: &Schema<Q, M, S>,
        request: Request,
    ) -> futures::stream::BoxStream<'static, Response>
    where
        Q: ObjectType + 'static,
        M: ObjectType + 'static,
        S: SubscriptionType + 'static,
    {
        use futures::StreamExt;
        let query = request.query.clone();
        let variables = serde_json::to_value(&request.variables).unwrap_or_default();
        schema
            .execute_stream(request.data(self))
            .map(move |mut response| {
                if !response.errors.is_empty() {
                    let sent = errors::Sent {
                        query: &query,
                        variables: &variables,
                    };
                    errors::finish(&mut response.errors, &sent);
                }
                response
            })
            .boxed()
    }
}

/// Typed access to the request context from a resolver. A document executed without one (a
/// path that forgot to build it) gets an `INTERNAL` error, never a panic.
pub trait ContextExt {
    fn request(&self) -> AppResult<&RequestContext>;

    fn state(&self) -> AppResult<&AppState> {
        Ok(&self.request()?.state)
    }

    fn loaders(&self) -> AppResult<&Loaders> {
        Ok(&self.request()?.loaders)
    }

    /// The caller; anonymous when there is no context (so that guards fail closed).
    fn caller(&self) -> &Caller;

    /// Who makes a change: the signed-in staff member, or a role-scoped API key. Only called
    /// behind a guard that requires one; anything else is refused (UNAUTHENTICATED, or
    /// FORBIDDEN for a PUBLIC key).
    fn actor(&self) -> AppResult<Actor> {
        self.caller().actor()
    }
}

impl ContextExt for Context<'_> {
    fn request(&self) -> AppResult<&RequestContext> {
        self.data_opt::<RequestContext>().ok_or_else(|| {
            AppError::internal(anyhow::anyhow!(
                "a GraphQL document was executed without a RequestContext"
            ))
        })
    }

    fn caller(&self) -> &Caller {
        self.data_opt::<RequestContext>()
            .map_or(&Caller::Anonymous, |r| &r.caller)
    }
}

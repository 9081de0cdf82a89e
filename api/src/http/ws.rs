//! `GET /graphql/ws`: GraphQL over WebSocket (`graphql-transport-ws`, and the older
//! `graphql-ws` for clients that still speak it), for the `activity` subscription.
//!
//! The caller comes from the `connection_init` payload (`{"Authorization": "Bearer …"}`, or
//! `authorization` / `token`), resolved as the `Authorization` header is over HTTP, and each
//! operation runs with a `RequestContext` built the same way as an HTTP request's. Around
//! async-graphql's protocol handling, this loop adds what a long-lived socket needs:
//! - keep-alive pings, and a close for a client that stays silent for three of them;
//! - a signed-in socket re-checks its session or API key (every `session_recheck`, and
//!   before a delivery when the last check is a few seconds old) and is closed with 4401 once
//!   it is logged out, deactivated, revoked or expired;
//! - at most `per_address` sockets per client address (4429 beyond);
//! - on shutdown, every socket gets a close frame (1001).

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use async_graphql::http::{ALL_WEBSOCKET_PROTOCOLS, WebSocketProtocols, WsMessage};
use async_graphql::parser::types::OperationType;
use async_graphql::{Data, Executor};
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, State};
use axum::http::header::SEC_WEBSOCKET_PROTOCOL;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use futures::future::BoxFuture;
use futures::stream::BoxStream;
use futures::{SinkExt, StreamExt};
use tokio::sync::{Notify, watch};

use super::graphql::{
    GraphqlState, client_address, operation_type, refused, resolve_authorization,
};
use crate::auth::{Caller, Credential};
use crate::graphql::activity::SessionCheck;
use crate::graphql::{LieuSchema, RequestContext};
use crate::service::accounts;
use crate::state::AppState;

/// A delivery re-checks the session when the last check is older than this.
const FRESH_FOR: Duration = Duration::from_secs(5);

const CLOSE_SESSION_ENDED: u16 = 4401;
const CLOSE_REFUSED: u16 = 4403;
const CLOSE_TOO_MANY: u16 = 4429;
const CLOSE_GOING_AWAY: u16 = 1001;

/// The open sockets of this process, by client address, and the signal that closes them.
pub struct Sockets {
    open: Mutex<HashMap<IpAddr, usize>>,
    per_address: usize,
    closing: watch::Sender<bool>,
}

impl Sockets {
    pub fn new(per_address: usize) -> Self {
        Self {
            open: Mutex::default(),
            per_address,
            closing: watch::Sender::new(false),
        }
    }

    /// A place for one more socket from `address`, or `None` when it has its share.
    fn take(self: &Arc<Self>, address: IpAddr) -> Option<Slot> {
        let mut open = self.open.lock().expect("sockets");
        let count = open.entry(address).or_default();
        if *count >= self.per_address {
            return None;
        }
        *count += 1;
        Some(Slot {
            sockets: self.clone(),
            address,
        })
    }

    /// Sockets open now, all addresses together.
    pub fn count(&self) -> usize {
        self.open.lock().expect("sockets").values().sum()
    }

    /// Closes every socket (the server is stopping) and refuses new ones.
    pub fn close_all(&self) {
        self.closing.send_replace(true);
    }
}

/// One socket's place in the count, given back when the socket ends.
struct Slot {
    sockets: Arc<Sockets>,
    address: IpAddr,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.sockets.open.lock().expect("sockets");
        if let Some(count) = open.get_mut(&self.address) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.address);
            }
        }
    }
}

pub async fn graphql_ws(
    State(state): State<GraphqlState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    // The client's first protocol that we speak, and the answer names that one: what the
    // handshake says is what this loop speaks. (A client offering `graphql-ws` first, as
    // Python gql does by default, gets it: gql does not read the answer and assumes it.)
    let chosen = headers
        .get(SEC_WEBSOCKET_PROTOCOL)
        .and_then(|value| value.to_str().ok())
        .and_then(|protocols| {
            protocols.split(',').map(str::trim).find_map(|name| {
                let name = ALL_WEBSOCKET_PROTOCOLS
                    .into_iter()
                    .find(|ours| *ours == name)?;
                Some((name, WebSocketProtocols::from_str(name).ok()?))
            })
        });
    let Some((name, protocol)) = chosen else {
        return refused(
            StatusCode::BAD_REQUEST,
            "ask for the graphql-transport-ws subprotocol (Sec-WebSocket-Protocol)",
        );
    };
    let address = client_address(&state.app, &headers, peer);
    let slot = state.app.sockets.take(address);
    upgrade
        .protocols([name])
        .on_upgrade(move |socket| async move {
            match slot {
                Some(slot) => serve(socket, state, address, protocol, slot).await,
                None => {
                    let limit = state.app.sockets.per_address;
                    let reason = format!("too many sockets from your address ({limit} open)");
                    close(socket, CLOSE_TOO_MANY, &reason).await;
                }
            }
        })
}

async fn close(mut socket: WebSocket, code: u16, reason: &str) {
    let frame = CloseFrame {
        code,
        reason: reason.into(),
    };
    let _ = socket.send(Message::Close(Some(frame))).await;
}

/// Who a socket is, once `connection_init` said it.
struct Signed {
    caller: Caller,
    session: Option<Arc<SessionWatch>>,
}

/// Runs the socket's operations, each with its own `RequestContext` for the signed caller.
#[derive(Clone)]
struct SocketExecutor {
    schema: LieuSchema,
    state: AppState,
    address: IpAddr,
    signed: Arc<OnceLock<Signed>>,
}

impl SocketExecutor {
    fn context(&self) -> RequestContext {
        let caller = self
            .signed
            .get()
            .map_or(Caller::Anonymous, |s| s.caller.clone());
        RequestContext::build(&self.state, caller, self.address, None)
    }
}

impl Executor for SocketExecutor {
    async fn execute(&self, request: async_graphql::Request) -> async_graphql::Response {
        let schema = self.schema.for_document(&request.query);
        self.context().execute(schema, request).await
    }

    fn execute_stream(
        &self,
        request: async_graphql::Request,
        _session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, async_graphql::Response> {
        let context = self.context();
        if operation_type(&request) != Some(OperationType::Subscription) {
            // A query or mutation sent over the socket runs as over HTTP (its DataLoaders'
            // batches driven by `execute`), and answers once.
            let schema = self.schema.clone();
            return futures::stream::once(async move {
                let schema = schema.for_document(&request.query);
                context.execute(schema, request).await
            })
            .boxed();
        }
        let mut request = request;
        if let Some(session) = self.signed.get().and_then(|s| s.session.clone()) {
            request = request.data(session as Arc<dyn SessionCheck>);
        }
        context.subscribe(self.schema.plain(), request)
    }
}

/// A signed-in socket's session (or API key): open until a check says otherwise.
struct SessionWatch {
    state: AppState,
    credential: Credential,
    open: AtomicBool,
    checked_at: Mutex<Instant>,
    ended: Notify,
}

impl SessionWatch {
    async fn check(&self) -> bool {
        if !self.open.load(Ordering::SeqCst) {
            return false;
        }
        *self.checked_at.lock().expect("session check") = Instant::now();
        let now = self.state.clock.now();
        match accounts::credential_is_live(&self.state.db, now, self.credential).await {
            Ok(true) => true,
            Ok(false) => {
                self.open.store(false, Ordering::SeqCst);
                self.ended.notify_one();
                false
            }
            // The database is away: keep the socket, check again next time.
            Err(err) => {
                tracing::warn!(?err, "could not re-check a socket's session");
                true
            }
        }
    }
}

impl SessionCheck for SessionWatch {
    fn still_open(&self) -> BoxFuture<'_, bool> {
        Box::pin(async move {
            let stale = self.checked_at.lock().expect("session check").elapsed() >= FRESH_FOR;
            if stale {
                self.check().await
            } else {
                self.open.load(Ordering::SeqCst)
            }
        })
    }
}

/// The caller a `connection_init` payload names: `Authorization` (or `authorization`) holds
/// `Bearer <token>`; `token` the token alone (or with its scheme). Some clients nest them
/// under `headers`.
fn authorization_of(payload: &serde_json::Value) -> Option<String> {
    let found = [payload, &payload["headers"]].into_iter().find_map(|map| {
        ["Authorization", "authorization", "token"]
            .into_iter()
            .find_map(|key| map.get(key).and_then(|v| v.as_str()).map(|v| (key, v)))
    });
    found.map(|(key, value)| match key {
        "token" if !value.trim().contains(' ') => format!("Bearer {}", value.trim()),
        _ => value.to_string(),
    })
}

async fn serve(
    socket: WebSocket,
    state: GraphqlState,
    address: IpAddr,
    protocol: WebSocketProtocols,
    _slot: Slot,
) {
    let app = state.app.clone();
    let limits = app.config.sockets;
    let signed = Arc::new(OnceLock::<Signed>::new());
    let init_refused = Arc::new(AtomicBool::new(false));
    let executor = SocketExecutor {
        schema: state.schema.clone(),
        state: app.clone(),
        address,
        signed: signed.clone(),
    };
    let on_init = {
        let (app, signed, init_refused) = (app.clone(), signed.clone(), init_refused.clone());
        move |payload: serde_json::Value| async move {
            let value = authorization_of(&payload);
            let caller = match resolve_authorization(&app, value.as_deref()).await {
                Ok(Caller::RejectedToken) | Err(_) => {
                    init_refused.store(true, Ordering::SeqCst);
                    return Err(async_graphql::Error::new(
                        "your session has expired or was closed; sign in again",
                    ));
                }
                Ok(caller) => caller,
            };
            let session = caller.credential().map(|credential| {
                Arc::new(SessionWatch {
                    state: app.clone(),
                    credential,
                    open: AtomicBool::new(true),
                    checked_at: Mutex::new(Instant::now()),
                    ended: Notify::new(),
                })
            });
            let _ = signed.set(Signed { caller, session });
            Ok(Data::default())
        }
    };

    let (mut sink, stream) = socket.split();
    // As async-graphql-axum does: the protocol reads text and binary frames; pings, pongs and
    // the client's close are the transport's.
    let input = stream
        .take_while(|frame| futures::future::ready(frame.is_ok()))
        .filter_map(|frame| {
            futures::future::ready(match frame {
                Ok(message @ (Message::Text(_) | Message::Binary(_))) => Some(message.into_data()),
                _ => None,
            })
        });
    // graphql-transport-ws clients answer a ping with a pong: one silent for three pings is
    // gone. The older protocol's keep-alive ("ka") has no answer, so no such timeout there.
    let (ping, silence) = match protocol {
        WebSocketProtocols::GraphQLWS => (r#"{"type":"ping"}"#, Some(limits.ping_every * 3)),
        WebSocketProtocols::SubscriptionsTransportWS => (r#"{"type":"ka"}"#, None),
    };
    let mut messages = async_graphql::http::WebSocket::new(executor, input, protocol)
        .on_connection_init(on_init)
        .keepalive_timeout(silence);
    let mut pings = tokio::time::interval_at(
        tokio::time::Instant::now() + limits.ping_every,
        limits.ping_every,
    );
    let mut rechecks = tokio::time::interval_at(
        tokio::time::Instant::now() + limits.session_recheck,
        limits.session_recheck,
    );
    // The re-check ticks are not watched until the socket signs in: the ticks missed before
    // make one check then, not a burst.
    rechecks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut closing = app.sockets.closing.subscribe();
    if *closing.borrow() {
        let _ = sink.send(going_away()).await;
        return;
    }

    loop {
        let session = signed.get().and_then(|s| s.session.clone());
        let ended = async {
            match &session {
                Some(session) => session.ended.notified().await,
                None => std::future::pending().await,
            }
        };
        let out = tokio::select! {
            message = messages.next() => match message {
                Some(WsMessage::Text(text)) => Message::Text(text.into()),
                Some(WsMessage::Close(code, reason)) => {
                    let code = if init_refused.load(Ordering::SeqCst) { CLOSE_REFUSED } else { code };
                    let _ = sink.send(Message::Close(Some(CloseFrame { code, reason: reason.into() }))).await;
                    return;
                }
                None => return,
            },
            _ = pings.tick() => Message::Text(ping.into()),
            _ = rechecks.tick(), if session.is_some() => {
                match &session {
                    Some(session) if !session.check().await => session_ended(),
                    _ => continue,
                }
            }
            () = ended => session_ended(),
            _ = closing.changed() => going_away(),
        };
        let last = matches!(out, Message::Close(_));
        if sink.send(out).await.is_err() || last {
            return;
        }
    }
}

fn session_ended() -> Message {
    Message::Close(Some(CloseFrame {
        code: CLOSE_SESSION_ENDED,
        reason: "your session or API key has ended (logged out, deactivated, revoked or expired): sign in again".into(),
    }))
}

fn going_away() -> Message {
    Message::Close(Some(CloseFrame {
        code: CLOSE_GOING_AWAY,
        reason: "the server is shutting down: reconnect in a moment".into(),
    }))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_token_is_found_under_each_key_clients_use() {
        let bearer = Some("Bearer abc".to_string());
        assert_eq!(
            authorization_of(&json!({"Authorization": "Bearer abc"})),
            bearer
        );
        assert_eq!(
            authorization_of(&json!({"authorization": "Bearer abc"})),
            bearer
        );
        assert_eq!(authorization_of(&json!({"token": "abc"})), bearer);
        assert_eq!(authorization_of(&json!({"token": "Bearer abc"})), bearer);
        assert_eq!(
            authorization_of(&json!({"headers": {"Authorization": "Bearer abc"}})),
            bearer
        );
        assert_eq!(authorization_of(&json!({})), None);
        assert_eq!(authorization_of(&json!(null)), None);
    }

    #[test]
    fn an_address_gets_its_share_of_sockets_and_gets_them_back() {
        let sockets = Arc::new(Sockets::new(2));
        let here: IpAddr = "127.0.0.1".parse().unwrap();
        let there: IpAddr = "127.0.0.2".parse().unwrap();
        let a = sockets.take(here).unwrap();
        let _b = sockets.take(here).unwrap();
        assert!(sockets.take(here).is_none());
        assert!(sockets.take(there).is_some());
        drop(a);
        assert!(sockets.take(here).is_some());
    }
}

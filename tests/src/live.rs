//! A graphql-transport-ws client for the `activity` subscription, as a frontend would open it.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{Message, Utf8Bytes};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub const SUBSCRIBE: &str = "subscription($site: ID) { activity(siteId: $site) { kind at summary bookingId eventId registrationId } }";

pub struct LiveSocket {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

/// How a socket ended.
#[derive(Debug)]
pub struct Closed {
    pub code: u16,
    pub reason: String,
}

impl LiveSocket {
    /// Opens `/graphql/ws` on the server at `base_url` (`http://…`) and says `connection_init`
    /// with `payload`; returns the socket once acknowledged, or how the server closed it.
    pub async fn open(base_url: &str, payload: Value) -> Result<Self, Closed> {
        let url = format!("{}/graphql/ws", base_url.replacen("http", "ws", 1));
        let mut request = url.into_client_request().expect("a WebSocket URL");
        request.headers_mut().insert(
            "Sec-WebSocket-Protocol",
            HeaderValue::from_static("graphql-transport-ws"),
        );
        let (socket, _) = tokio_tungstenite::connect_async(request)
            .await
            .expect("the WebSocket handshake succeeds");
        let mut live = Self { socket };
        live.send(json!({"type": "connection_init", "payload": payload}))
            .await;
        match live.next_message(Duration::from_secs(10)).await {
            Ok(Some(message)) if message["type"] == "connection_ack" => Ok(live),
            Ok(other) => panic!("expected connection_ack, got {other:?}"),
            Err(closed) => Err(closed),
        }
    }

    /// Opens a socket signed in with `token` (or anonymous) and subscribes to `activity`.
    pub async fn subscribe(base_url: &str, token: Option<&str>, site: Option<&str>) -> Self {
        let payload = match token {
            Some(token) => json!({"Authorization": format!("Bearer {token}")}),
            None => json!({}),
        };
        let mut live = Self::open(base_url, payload)
            .await
            .unwrap_or_else(|closed| panic!("the socket was refused: {closed:?}"));
        live.send(json!({
            "id": "1",
            "type": "subscribe",
            "payload": {"query": SUBSCRIBE, "variables": {"site": site}},
        }))
        .await;
        // The subscription is registered once the server has read the message: a round trip
        // (a ping answered) proves it.
        live.send(json!({"type": "ping"})).await;
        loop {
            match live.next_message(Duration::from_secs(10)).await {
                Ok(Some(message)) if message["type"] == "pong" => return live,
                Ok(Some(message)) if message["type"] == "ping" => live.pong().await,
                Ok(other) => panic!("expected a pong, got {other:?}"),
                Err(closed) => panic!("closed while subscribing: {closed:?}"),
            }
        }
    }

    async fn send(&mut self, message: Value) {
        self.socket
            .send(Message::Text(Utf8Bytes::from(message.to_string())))
            .await
            .expect("send on the socket");
    }

    async fn pong(&mut self) {
        self.send(json!({"type": "pong"})).await;
    }

    /// The next protocol message within `wait` (`Ok(None)` when none came), answering the
    /// server's pings on the way; `Err` when the server closed the socket.
    pub async fn next_message(&mut self, wait: Duration) -> Result<Option<Value>, Closed> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let frame = match tokio::time::timeout_at(deadline, self.socket.next()).await {
                Err(_) => return Ok(None),
                Ok(frame) => frame,
            };
            match frame {
                Some(Ok(Message::Text(text))) => {
                    let message: Value = serde_json::from_str(&text).expect("protocol JSON");
                    if message["type"] == "ping" {
                        self.pong().await;
                        continue;
                    }
                    return Ok(Some(message));
                }
                Some(Ok(Message::Close(frame))) => {
                    let (code, reason) = frame.map_or((1005, String::new()), |f: CloseFrame| {
                        (u16::from(f.code), f.reason.to_string())
                    });
                    return Err(Closed { code, reason });
                }
                Some(Ok(_)) => continue,
                Some(Err(err)) => {
                    return Err(Closed {
                        code: 1006,
                        reason: err.to_string(),
                    });
                }
                None => {
                    return Err(Closed {
                        code: 1006,
                        reason: "the connection ended without a close frame".into(),
                    });
                }
            }
        }
    }

    /// The next `activity` event within `wait`, or `None`.
    pub async fn next_event(&mut self, wait: Duration) -> Option<Value> {
        match self.next_message(wait).await {
            Ok(Some(message)) if message["type"] == "next" => {
                assert!(
                    message["payload"].get("errors").is_none(),
                    "an event with errors: {message}"
                );
                Some(message["payload"]["data"]["activity"].clone())
            }
            Ok(Some(message)) => panic!("expected an event, got {message}"),
            Ok(None) => None,
            Err(closed) => panic!("the socket closed: {closed:?}"),
        }
    }

    /// Every event that arrives within `wait`.
    pub async fn events_within(&mut self, wait: Duration) -> Vec<Value> {
        let deadline = tokio::time::Instant::now() + wait;
        let mut events = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.next_event(left).await {
                Some(event) => events.push(event),
                None => return events,
            }
        }
    }

    /// How the server closes the socket, waiting up to `wait` (messages on the way are
    /// skipped).
    pub async fn closed_within(&mut self, wait: Duration) -> Option<Closed> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.next_message(left).await {
                Err(closed) => return Some(closed),
                Ok(Some(_)) => continue,
                Ok(None) => return None,
            }
        }
    }
}

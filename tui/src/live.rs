//! Live updates: the `activity` subscription over `GET /graphql/ws` (graphql-transport-ws),
//! signed in with the session's token. Each event becomes an [`Action::Live`]; a socket
//! that drops (or stays silent past the server's keep-alive) is reconnected with backoff,
//! and the app polls meanwhile. Ended sessions (close 4401) are not retried: the next read
//! says UNAUTHENTICATED and the login screen takes over.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::sync::mpsc::UnboundedSender;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;

use crate::app::Action;

/// One thing that happened at the venue (`ActivityEvent`).
#[derive(Clone, Debug, PartialEq)]
pub struct Activity {
    /// `BOOKING_CREATED`, `CHECKED_IN`…
    pub kind: String,
    pub summary: String,
    pub booking_id: Option<String>,
    pub event_id: Option<String>,
    pub registration_id: Option<String>,
}

impl Activity {
    pub fn about_bookings(&self) -> bool {
        self.kind.starts_with("BOOKING_")
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Live {
    /// Subscribed: screens follow the events instead of polling.
    Up,
    /// The socket is gone; reconnecting (screens poll meanwhile).
    Down,
    Event(Activity),
}

const QUERY: &str = "subscription { activity { kind summary bookingId eventId registrationId } }";
/// The server pings every 15 s: three missed pings and the socket is taken for dead.
const SILENCE: Duration = Duration::from_secs(45);
const ACK_WITHIN: Duration = Duration::from_secs(10);
const SESSION_ENDED: u16 = 4401;

/// `http://host:port` → `ws://host:port/graphql/ws` (and https → wss).
pub fn socket_url(server: &str) -> String {
    let server = server.trim().trim_end_matches('/');
    let rest = server
        .strip_prefix("https://")
        .map(|r| format!("wss://{r}"))
        .or_else(|| server.strip_prefix("http://").map(|r| format!("ws://{r}")))
        .unwrap_or_else(|| format!("ws://{server}"));
    format!("{rest}/graphql/ws")
}

enum Ended {
    /// The server closed the socket because the session ended: do not retry.
    SessionEnded,
    /// Anything else: try again after a pause.
    Dropped,
}

/// Follows the activity until the app goes away (the sender closes) or the session ends.
pub async fn run(server: String, token: String, tx: UnboundedSender<Action>) {
    let mut delay = Duration::from_secs(1);
    loop {
        let ended = session(&server, &token, &tx, &mut delay).await;
        if tx.send(Action::Live(Live::Down)).is_err() {
            return;
        }
        if matches!(ended, Ended::SessionEnded) {
            return;
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(30));
    }
}

async fn session(
    server: &str,
    token: &str,
    tx: &UnboundedSender<Action>,
    delay: &mut Duration,
) -> Ended {
    let Ok(mut request) = socket_url(server).into_client_request() else {
        return Ended::Dropped;
    };
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        HeaderValue::from_static("graphql-transport-ws"),
    );
    let Ok(Ok((mut socket, _))) = tokio::time::timeout(
        Duration::from_secs(10),
        tokio_tungstenite::connect_async(request),
    )
    .await
    else {
        return Ended::Dropped;
    };
    let init =
        json!({"type": "connection_init", "payload": {"Authorization": format!("Bearer {token}")}});
    if socket.send(Message::text(init.to_string())).await.is_err() {
        return Ended::Dropped;
    }
    // The acknowledgement first, then the subscription.
    let acked = tokio::time::timeout(ACK_WITHIN, async {
        while let Some(Ok(message)) = socket.next().await {
            if let Message::Text(text) = &message
                && kind_of(text) == Some("connection_ack".into())
            {
                return true;
            }
            if let Message::Close(_) = message {
                return false;
            }
        }
        false
    })
    .await;
    if acked != Ok(true) {
        return Ended::Dropped;
    }
    let subscribe = json!({"id": "activity", "type": "subscribe", "payload": {"query": QUERY}});
    if socket
        .send(Message::text(subscribe.to_string()))
        .await
        .is_err()
    {
        return Ended::Dropped;
    }
    if tx.send(Action::Live(Live::Up)).is_err() {
        return Ended::Dropped;
    }
    // The backoff starts again from 1 s only once the socket has carried something (a
    // server that accepts then drops at once is not retried every second).
    let mut proved = false;
    loop {
        let message = match tokio::time::timeout(SILENCE, socket.next()).await {
            Ok(Some(Ok(message))) => message,
            // Silent past the keep-alive, or the connection broke.
            _ => return Ended::Dropped,
        };
        if !proved {
            proved = true;
            *delay = Duration::from_secs(1);
        }
        match message {
            Message::Text(text) => {
                let Ok(value) = serde_json::from_str::<Value>(&text) else {
                    continue;
                };
                match value["type"].as_str() {
                    Some("ping") => {
                        let pong = json!({"type": "pong"}).to_string();
                        if socket.send(Message::text(pong)).await.is_err() {
                            return Ended::Dropped;
                        }
                    }
                    Some("next") => {
                        if let Some(activity) = activity_of(&value["payload"]["data"]["activity"])
                            && tx.send(Action::Live(Live::Event(activity))).is_err()
                        {
                            return Ended::Dropped;
                        }
                    }
                    Some("error" | "complete") => return Ended::Dropped,
                    _ => {}
                }
            }
            Message::Close(frame) => {
                return match frame {
                    Some(f) if u16::from(f.code) == SESSION_ENDED => Ended::SessionEnded,
                    _ => Ended::Dropped,
                };
            }
            _ => {}
        }
    }
}

fn kind_of(text: &str) -> Option<String> {
    let value: Value = serde_json::from_str(text).ok()?;
    value["type"].as_str().map(str::to_string)
}

fn activity_of(value: &Value) -> Option<Activity> {
    let text = |key: &str| value[key].as_str().map(str::to_string);
    Some(Activity {
        kind: text("kind")?,
        summary: text("summary").unwrap_or_default(),
        booking_id: text("bookingId"),
        event_id: text("eventId"),
        registration_id: text("registrationId"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_socket_is_beside_the_endpoint() {
        assert_eq!(
            socket_url("http://127.0.0.1:8080/"),
            "ws://127.0.0.1:8080/graphql/ws"
        );
        assert_eq!(
            socket_url("https://lieu.example.org"),
            "wss://lieu.example.org/graphql/ws"
        );
    }

    #[test]
    fn an_event_is_read_from_its_payload() {
        let value =
            json!({"kind": "CHECKED_IN", "summary": "x", "eventId": "e1", "bookingId": null});
        let a = activity_of(&value).unwrap();
        assert_eq!(a.event_id.as_deref(), Some("e1"));
        assert_eq!(a.booking_id, None);
        assert!(!a.about_bookings());
    }
}

//! One `LISTEN lieu_activity` connection per process (PostgreSQL only): it feeds what other
//! processes notify into this process's bus, and comes back by itself when the connection is
//! lost (the database restarted, a proxy cut it).

use std::time::Duration;

use sea_orm::DatabaseConnection;
use sea_orm::sqlx::postgres::PgListener;

use super::{ActivityBus, CHANNEL};

/// Longest wait between two attempts to reconnect.
const MAX_BACKOFF: Duration = Duration::from_secs(10);

/// Starts the listener when `db` is PostgreSQL (at `url`); `None` on SQLite (one process, the
/// in-process bus is all there is).
pub fn spawn_listener(
    db: &DatabaseConnection,
    url: &str,
    bus: &ActivityBus,
) -> Option<tokio::task::JoinHandle<()>> {
    if db.get_database_backend() != sea_orm::DbBackend::Postgres {
        return None;
    }
    let url = url.to_string();
    let bus = bus.clone();
    Some(tokio::spawn(async move {
        let mut backoff = Duration::from_millis(100);
        loop {
            match listen(&url, &bus).await {
                Ok(()) => backoff = Duration::from_millis(100),
                Err(err) => {
                    tracing::warn!(%err, retry_in = ?backoff, "activity listener lost PostgreSQL");
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                }
            }
        }
    }))
}

/// Listens until the connection fails. `PgListener` reconnects on its own inside `try_recv`
/// (which says `None` when it had to: notifications sent meanwhile are lost, and subscribers
/// refetch on the next event anyway); an error here is one it could not get over.
async fn listen(url: &str, bus: &ActivityBus) -> Result<(), sea_orm::sqlx::Error> {
    // Its own connection, outside the application's pool: a busy pool never starves the
    // listener, and the listener never holds one of the pool's connections.
    let mut listener = PgListener::connect(url).await?;
    listener.listen(CHANNEL).await?;
    tracing::debug!("listening to {CHANNEL}");
    loop {
        match listener.try_recv().await? {
            Some(notification) => bus.deliver_notified(notification.payload()),
            None => tracing::warn!("activity listener reconnected; some events may be missed"),
        }
    }
}

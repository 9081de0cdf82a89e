use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::auth::limiter::{LoginLimiter, RegistrationLimiter};
use crate::clock::Clock;
use crate::config::Config;
use crate::db::StatementCounter;
use crate::graphql::plan::ListPaths;
use crate::http::ws::Sockets;
use crate::service::activity::ActivityBus;

/// What every request handler shares. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub clock: Clock,
    pub login_limiter: Arc<LoginLimiter>,
    pub registration_limiter: Arc<RegistrationLimiter>,
    /// SQL statements run by this process.
    pub statements: StatementCounter,
    /// Lists shown by a compiled plan or by the executor (`graphql::plan`).
    pub lists: Arc<ListPaths>,
    /// What just happened, for the `activity` subscription (see `service::activity`).
    pub activity: ActivityBus,
    /// The open WebSockets of this process (`/graphql/ws`).
    pub sockets: Arc<Sockets>,
}

impl AppState {
    pub fn new(mut db: DatabaseConnection, config: Config, clock: Clock) -> Self {
        let statements = StatementCounter::default();
        statements.attach(&mut db);
        Self {
            db,
            statements,
            lists: Arc::default(),
            activity: ActivityBus::new(),
            sockets: Arc::new(Sockets::new(config.sockets.per_address)),
            login_limiter: Arc::new(LoginLimiter::new(config.login_limits)),
            registration_limiter: Arc::new(RegistrationLimiter::new(config.registration_limits)),
            config: Arc::new(config),
            clock,
        }
    }
}

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::auth::limiter::LoginLimiter;
use crate::clock::Clock;
use crate::config::Config;

/// What every request handler shares. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub clock: Clock,
    pub login_limiter: Arc<LoginLimiter>,
}

impl AppState {
    pub fn new(db: DatabaseConnection, config: Config, clock: Clock) -> Self {
        Self {
            db,
            login_limiter: Arc::new(LoginLimiter::new(config.login_limits)),
            config: Arc::new(config),
            clock,
        }
    }
}

//! One typed configuration, built from command-line flags and their `LIEU_*` environment
//! twins (clap reads both). Nothing else in the code reads the environment.

use std::net::SocketAddr;
use std::time::Duration;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://lieu.db?mode=rwc";
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";

#[derive(clap::Args, Clone, Debug)]
pub struct DatabaseArgs {
    /// Database to use: `sqlite://FILE?mode=rwc` (created on first start) or `postgres://…`.
    #[arg(long, env = "LIEU_DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    pub database_url: String,
    /// Connections in the pool [default: 8 on SQLite, 10 on PostgreSQL].
    #[arg(long, env = "LIEU_DB_POOL_SIZE")]
    pub db_pool_size: Option<u32>,
}

#[derive(clap::Args, Clone, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Address and port to listen on.
    #[arg(long, env = "LIEU_BIND", default_value = DEFAULT_BIND)]
    pub bind: SocketAddr,
    /// On an empty database, create a demo venue and one login per role, and print them.
    #[arg(long)]
    pub demo: bool,
    /// How long a login session lasts, in hours.
    #[arg(long, env = "LIEU_SESSION_TTL_HOURS", default_value_t = 12)]
    pub session_ttl_hours: u32,
    /// Take the client address from `X-Forwarded-For` (only behind a reverse proxy you run).
    #[arg(long, env = "LIEU_TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: bool,
    /// Longest time a request may take before it is answered 408, in seconds.
    #[arg(long, env = "LIEU_REQUEST_TIMEOUT_SECS", default_value_t = 30)]
    pub request_timeout_secs: u64,
}

#[derive(Clone, Debug)]
pub struct DatabaseConfig {
    pub url: String,
    pub pool_size: Option<u32>,
}

impl DatabaseConfig {
    pub fn is_sqlite(&self) -> bool {
        self.url.starts_with("sqlite:")
    }
}

impl From<DatabaseArgs> for DatabaseConfig {
    fn from(args: DatabaseArgs) -> Self {
        Self {
            url: args.database_url,
            pool_size: args.db_pool_size,
        }
    }
}

/// Login attempts allowed per minute; a burst of that many, then one every `60 / n` seconds.
#[derive(Clone, Copy, Debug)]
pub struct LoginLimits {
    pub per_email_per_minute: u32,
    pub per_address_per_minute: u32,
}

/// Registrations from the public (anonymous callers) allowed per minute, per client address
/// and per event.
#[derive(Clone, Copy, Debug)]
pub struct RegistrationLimits {
    pub per_address_per_minute: u32,
    pub per_event_per_minute: u32,
}

/// The WebSocket of live updates (`/graphql/ws`).
#[derive(Clone, Copy, Debug)]
pub struct SocketLimits {
    /// Open sockets allowed per client address.
    pub per_address: usize,
    /// How often the server pings; a client silent for three pings is closed.
    pub ping_every: Duration,
    /// How often a signed-in socket checks that its session is still open.
    pub session_recheck: Duration,
}

#[derive(Clone, Debug)]
pub struct Config {
    pub database: DatabaseConfig,
    pub bind: SocketAddr,
    pub session_ttl: chrono::Duration,
    pub trust_forwarded_for: bool,
    pub request_timeout: Duration,
    pub login_limits: LoginLimits,
    pub registration_limits: RegistrationLimits,
    /// Largest request body accepted (413 above).
    pub body_limit_bytes: usize,
    /// GraphQL query depth limit; the standard introspection query needs 15.
    pub query_depth_limit: usize,
    pub query_complexity_limit: usize,
    pub sockets: SocketLimits,
}

impl Config {
    /// The defaults, for a given database and bind address.
    pub fn new(database: DatabaseConfig, bind: SocketAddr) -> Self {
        Self {
            database,
            bind,
            session_ttl: chrono::Duration::hours(12),
            trust_forwarded_for: false,
            request_timeout: Duration::from_secs(30),
            login_limits: LoginLimits {
                per_email_per_minute: 5,
                per_address_per_minute: 30,
            },
            registration_limits: RegistrationLimits {
                per_address_per_minute: 10,
                per_event_per_minute: 60,
            },
            body_limit_bytes: 1024 * 1024,
            query_depth_limit: 20,
            query_complexity_limit: 5000,
            sockets: SocketLimits {
                per_address: 20,
                ping_every: Duration::from_secs(15),
                session_recheck: Duration::from_secs(30),
            },
        }
    }

    pub fn from_serve_args(args: ServeArgs) -> Self {
        let mut config = Self::new(args.database.into(), args.bind);
        config.session_ttl = chrono::Duration::hours(i64::from(args.session_ttl_hours.max(1)));
        config.trust_forwarded_for = args.trust_forwarded_for;
        config.request_timeout = Duration::from_secs(args.request_timeout_secs.max(1));
        config
    }
}

/// The database URL without its password, for error messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

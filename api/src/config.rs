//! One typed configuration, built from command-line flags and their `LIEU_*` environment
//! twins (clap reads both), then `lieu.toml` for `serve`. Nothing else in the code reads the
//! environment.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://lieu.db?mode=rwc";
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";

#[derive(clap::Args, Clone, Debug)]
pub struct DatabaseArgs {
    /// Database to use: `sqlite://FILE?mode=rwc` (created on first start) or `postgres://…`
    /// [default: sqlite://lieu.db?mode=rwc].
    #[arg(long, env = "LIEU_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Connections in the pool [default: 8 on SQLite, 10 on PostgreSQL].
    #[arg(long, env = "LIEU_DB_POOL_SIZE")]
    pub db_pool_size: Option<u32>,
}

/// `serve`'s settings. Each is a flag, an environment variable, and a key of `lieu.toml`
/// (see [`FileConfig`]); a flag wins over the environment, which wins over the file, which
/// wins over the default. So nothing here has a clap default: `None` means "not said", and
/// [`Config::resolve`] fills it in from the file, then the default.
#[derive(clap::Args, Clone, Debug)]
pub struct ServeArgs {
    /// Read settings from this TOML file [default: ./lieu.toml, when it exists].
    #[arg(long, env = "LIEU_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Address and port to listen on [default: 127.0.0.1:8080].
    #[arg(long, env = "LIEU_BIND")]
    pub bind: Option<SocketAddr>,
    /// On an empty database, create a demo venue and one login per role, and print them.
    #[arg(long)]
    pub demo: bool,
    /// How long a login session lasts, in hours [default: 12].
    #[arg(long, env = "LIEU_SESSION_TTL_HOURS")]
    pub session_ttl_hours: Option<u32>,
    /// Take the client address from `X-Forwarded-For` (only behind a reverse proxy you run)
    /// [default: false].
    #[arg(long, env = "LIEU_TRUST_FORWARDED_FOR", num_args = 0..=1, require_equals = true,
          default_missing_value = "true", value_parser = clap::builder::BoolishValueParser::new())]
    pub trust_forwarded_for: Option<bool>,
    /// Longest time a request may take before it is answered 408, in seconds [default: 30].
    #[arg(long, env = "LIEU_REQUEST_TIMEOUT_SECS")]
    pub request_timeout_secs: Option<u64>,
    /// Serve Prometheus metrics on `/metrics` at this address (keep it private, for example
    /// 127.0.0.1:9464) [default: no metrics].
    #[arg(long, env = "LIEU_METRICS_BIND")]
    pub metrics_bind: Option<SocketAddr>,
    /// A web origin whose pages may call the API from a browser (`https://www.example.org`);
    /// repeat the flag for several, or separate them with commas in the environment
    /// variable [default: none].
    #[arg(
        long = "cors-origin",
        env = "LIEU_CORS_ORIGIN",
        value_delimiter = ',',
        value_name = "ORIGIN"
    )]
    pub cors_origins: Vec<CorsOrigin>,
    /// The wait before a failed webhook delivery is tried again, in milliseconds; it doubles
    /// at each failure, up to an hour [default: 30000].
    #[arg(long, env = "LIEU_WEBHOOK_RETRY_BASE_MS")]
    pub webhook_retry_base_ms: Option<u64>,
}

/// A web origin, as a browser sends it in `Origin`: `scheme://host[:port]`, nothing after.
/// Checked when the configuration is read: `https://example.org/` (a trailing slash) would
/// never match what a browser sends, and must not be silently ignored.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(try_from = "String")]
pub struct CorsOrigin(String);

impl CorsOrigin {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for CorsOrigin {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, String> {
        let origin = raw.trim().to_ascii_lowercase();
        let host = origin
            .strip_prefix("https://")
            .or_else(|| origin.strip_prefix("http://"))
            .ok_or_else(|| {
                format!("'{raw}' is not an origin: start it with https:// (or http://)")
            })?;
        let valid = !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
        if !valid {
            return Err(format!(
                "'{raw}' is not an origin: give the scheme and host only, like https://www.example.org (no path, no trailing slash)"
            ));
        }
        Ok(Self(origin))
    }
}

impl TryFrom<String> for CorsOrigin {
    type Error = String;

    fn try_from(raw: String) -> Result<Self, String> {
        raw.parse()
    }
}

/// `lieu.toml`: the same settings as `serve`'s flags, under the same names with underscores.
/// A key this build does not know is refused with its name (a misspelt `bnid` must not be
/// silently ignored while the server listens somewhere else).
#[derive(serde::Deserialize, Clone, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub database_url: Option<String>,
    pub db_pool_size: Option<u32>,
    pub bind: Option<SocketAddr>,
    pub demo: Option<bool>,
    pub session_ttl_hours: Option<u32>,
    pub trust_forwarded_for: Option<bool>,
    pub request_timeout_secs: Option<u64>,
    pub metrics_bind: Option<SocketAddr>,
    pub log_format: Option<crate::telemetry::LogFormat>,
    pub cors_origin: Option<Vec<CorsOrigin>>,
    pub webhook_retry_base_ms: Option<u64>,
}

/// The file read when `--config` is not given, if it exists (in the working directory).
pub const DEFAULT_CONFIG_FILE: &str = "lieu.toml";

impl FileConfig {
    /// Reads `path`, or `./lieu.toml` when no path is given and that file exists; `None` when
    /// there is no file to read.
    pub fn load(path: Option<&Path>) -> anyhow::Result<Option<Self>> {
        let (path, explicit) = match path {
            Some(path) => (path.to_path_buf(), true),
            None => (PathBuf::from(DEFAULT_CONFIG_FILE), false),
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) if !explicit && err.kind() == std::io::ErrorKind::NotFound => {
                return Ok(None);
            }
            Err(err) => {
                return Err(anyhow::anyhow!(
                    "cannot read the configuration file {}: {err} (check the path given to --config or LIEU_CONFIG)",
                    path.display()
                ));
            }
        };
        Self::parse(&text)
            .map(Some)
            .map_err(|err| anyhow::anyhow!("{}: {err}", path.display()))
    }

    /// The file's settings, or what is wrong with it (line, column and the key at fault).
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        toml::from_str(text).map_err(|err| {
            anyhow::anyhow!(
                "not a valid Lieu configuration: {}; the keys are those of `lieu-api serve --help`, with underscores (database_url, bind, …)",
                err.to_string().trim_end()
            )
        })
    }
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
    /// The database of a command that reads no configuration file: flag, environment, default.
    fn from(args: DatabaseArgs) -> Self {
        Self {
            url: args
                .database_url
                .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string()),
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

/// Registrations from the public (anonymous callers and PUBLIC API keys) allowed per minute,
/// per client (its address, or its key) and per event.
#[derive(Clone, Copy, Debug)]
pub struct RegistrationLimits {
    pub per_address_per_minute: u32,
    /// A PUBLIC key is a whole website's visitors: a bucket of its own, larger.
    pub per_public_key_per_minute: u32,
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
    /// Where `/metrics` is served; `None`: nowhere.
    pub metrics_bind: Option<SocketAddr>,
    /// The origins whose pages may call the API from a browser; none by default.
    pub cors_origins: Vec<CorsOrigin>,
    /// The first wait before a failed webhook delivery is retried; doubled at each failure.
    pub webhook_retry_base: Duration,
    /// Seed the demo venue on an empty database.
    pub demo: bool,
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
                per_public_key_per_minute: 120,
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
            metrics_bind: None,
            cors_origins: Vec::new(),
            webhook_retry_base: Duration::from_secs(30),
            demo: false,
        }
    }

    /// `serve`'s configuration: each setting from its flag or environment variable (clap has
    /// read both, flag first), else from the file, else the default.
    pub fn resolve(args: ServeArgs, file: Option<FileConfig>) -> Self {
        let file = file.unwrap_or_default();
        let database = DatabaseConfig {
            url: args
                .database
                .database_url
                .or(file.database_url)
                .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string()),
            pool_size: args.database.db_pool_size.or(file.db_pool_size),
        };
        let bind = args.bind.or(file.bind).unwrap_or_else(|| {
            DEFAULT_BIND
                .parse()
                .expect("the default address is an address")
        });
        let mut config = Self::new(database, bind);
        if let Some(hours) = args.session_ttl_hours.or(file.session_ttl_hours) {
            config.session_ttl = chrono::Duration::hours(i64::from(hours.max(1)));
        }
        if let Some(trust) = args.trust_forwarded_for.or(file.trust_forwarded_for) {
            config.trust_forwarded_for = trust;
        }
        if let Some(secs) = args.request_timeout_secs.or(file.request_timeout_secs) {
            config.request_timeout = Duration::from_secs(secs.max(1));
        }
        config.metrics_bind = args.metrics_bind.or(file.metrics_bind);
        config.cors_origins = if args.cors_origins.is_empty() {
            file.cors_origin.unwrap_or_default()
        } else {
            args.cors_origins
        };
        if let Some(ms) = args.webhook_retry_base_ms.or(file.webhook_retry_base_ms) {
            config.webhook_retry_base = Duration::from_millis(ms.max(1));
        }
        config.demo = args.demo || file.demo.unwrap_or(false);
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

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        serve: ServeArgs,
    }

    fn args(flags: &[&str]) -> ServeArgs {
        Cli::try_parse_from(std::iter::once("serve").chain(flags.iter().copied()))
            .expect("flags parse")
            .serve
    }

    const FILE: &str = r#"
database_url = "sqlite://from-file.db?mode=rwc"
bind = "127.0.0.1:7001"
session_ttl_hours = 3
trust_forwarded_for = true
request_timeout_secs = 9
metrics_bind = "127.0.0.1:9464"
log_format = "json"
cors_origin = ["https://www.example.org"]
webhook_retry_base_ms = 500
"#;

    #[test]
    fn a_flag_wins_over_the_file_which_wins_over_the_default() {
        let file = FileConfig::parse(FILE).unwrap();
        assert_eq!(file.log_format, Some(crate::telemetry::LogFormat::Json));
        let config = Config::resolve(
            args(&["--bind", "127.0.0.1:7002", "--trust-forwarded-for=false"]),
            Some(file.clone()),
        );
        assert_eq!(config.bind, "127.0.0.1:7002".parse().unwrap());
        assert!(!config.trust_forwarded_for);
        assert_eq!(config.database.url, "sqlite://from-file.db?mode=rwc");
        assert_eq!(config.session_ttl, chrono::Duration::hours(3));
        assert_eq!(config.request_timeout, Duration::from_secs(9));
        assert_eq!(config.metrics_bind, Some("127.0.0.1:9464".parse().unwrap()));
        assert_eq!(config.webhook_retry_base, Duration::from_millis(500));
        assert_eq!(
            config.cors_origins,
            ["https://www.example.org".parse().unwrap()]
        );

        let defaults = Config::resolve(args(&[]), None);
        assert_eq!(defaults.bind, DEFAULT_BIND.parse().unwrap());
        assert_eq!(defaults.database.url, DEFAULT_DATABASE_URL);
        assert_eq!(defaults.request_timeout, Duration::from_secs(30));
        assert!(!defaults.trust_forwarded_for);
        assert_eq!(defaults.metrics_bind, None);
        assert!(defaults.cors_origins.is_empty());
        assert_eq!(defaults.webhook_retry_base, Duration::from_secs(30));

        // A bare flag turns a switch on.
        assert!(Config::resolve(args(&["--trust-forwarded-for"]), None).trust_forwarded_for);
    }

    #[test]
    fn cors_origins_repeat_and_are_checked() {
        let config = Config::resolve(
            args(&[
                "--cors-origin",
                "https://www.example.org",
                "--cors-origin",
                "HTTP://localhost:5173",
            ]),
            None,
        );
        let origins: Vec<&str> = config.cors_origins.iter().map(CorsOrigin::as_str).collect();
        assert_eq!(
            origins,
            ["https://www.example.org", "http://localhost:5173"]
        );
        for bad in [
            "www.example.org",
            "https://example.org/",
            "https://",
            "ftp://x.org",
        ] {
            assert!(bad.parse::<CorsOrigin>().is_err(), "{bad}");
        }
        let file = FileConfig::parse("cors_origin = [\"https://x.org/agenda\"]\n");
        assert!(file.unwrap_err().to_string().contains("not an origin"));
    }

    #[test]
    fn an_unknown_key_is_refused_by_name() {
        let err = FileConfig::parse("bind = \"127.0.0.1:1\"\nbnid = \"x\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown field `bnid`"), "{err}");
        assert!(err.contains("line 2"), "{err}");
        let err = FileConfig::parse("bind = 8080\n").unwrap_err().to_string();
        assert!(err.contains("bind"), "{err}");
    }
}

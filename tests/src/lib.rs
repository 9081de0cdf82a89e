//! Test harness, at two depths, on a database of its own per test:
//! - `spawn_app()` starts a real Lieu server on its own port: requests go over HTTP, through
//!   every layer (for what HTTP itself decides: status codes, headers, limits, several
//!   servers on one database);
//! - `spawn_schema()` builds the same application without serving it: documents are executed
//!   on the schema directly (`RequestContext::execute`, as the HTTP handler does), which is
//!   where most behaviour tests run.
//!
//! Both answer `gql_as(token, query, variables)` the same way, so a test reads the same at
//! either depth. The backend is chosen by `LIEU_TEST_DATABASE=sqlite|postgres` (default
//! sqlite). On PostgreSQL each test gets a fresh database on `LIEU_TEST_POSTGRES_URL`
//! (default `postgres://postgres@127.0.0.1:5432/postgres`), dropped when the test ends.

use std::net::SocketAddr;
use std::sync::OnceLock;

use lieu_api::auth::Caller;
use lieu_api::clock::Clock;
use lieu_api::config::{Config, DatabaseConfig};
use lieu_api::domain::{Email, Name, Password, Role};
use lieu_api::graphql::{LieuSchema, RequestContext};
use lieu_api::service::accounts;
use lieu_api::state::AppState;
use lieu_api::{AppResult, Application};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Database, DatabaseConnection, Set};
use serde_json::{Value, json};

pub use serde_json;

pub mod files;
pub mod fixtures;
pub mod live;
pub mod race;
pub mod schema_fields;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub fn backend() -> Backend {
    match std::env::var("LIEU_TEST_DATABASE").as_deref() {
        Ok("postgres") | Ok("postgresql") | Ok("pg") => Backend::Postgres,
        Ok("sqlite") | Err(_) => Backend::Sqlite,
        Ok(other) => panic!("LIEU_TEST_DATABASE={other}: expected sqlite or postgres"),
    }
}

fn postgres_admin_url() -> String {
    std::env::var("LIEU_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string())
}

/// A throwaway database for one test.
pub struct TestDatabase {
    pub url: String,
    backend: Backend,
    name: String,
    _dir: Option<tempfile::TempDir>,
}

impl TestDatabase {
    pub async fn new() -> Self {
        let name = format!("lieu_test_{}", uuid::Uuid::new_v4().simple());
        match backend() {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("a temporary directory");
                let url = format!("sqlite://{}?mode=rwc", dir.path().join("lieu.db").display());
                Self {
                    url,
                    backend: Backend::Sqlite,
                    name,
                    _dir: Some(dir),
                }
            }
            Backend::Postgres => {
                let admin_url = postgres_admin_url();
                let admin = Database::connect(&admin_url)
                    .await
                    .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at {admin_url}: {e}"));
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .expect("create test database");
                admin.close().await.ok();
                let base = admin_url
                    .rsplit_once('/')
                    .map(|(base, _)| base.to_string())
                    .expect("postgres URL with a database name");
                Self {
                    url: format!("{base}/{name}"),
                    backend: Backend::Postgres,
                    name,
                    _dir: None,
                }
            }
        }
    }

    /// A direct connection, to inspect or break the database behind the server's back (with
    /// the server's own settings: busy timeout, foreign keys).
    pub async fn connect(&self) -> DatabaseConnection {
        lieu_api::db::connect(&DatabaseConfig {
            url: self.url.clone(),
            pool_size: Some(2),
        })
        .await
        .expect("connect to test database")
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if self.backend != Backend::Postgres {
            return;
        }
        let name = self.name.clone();
        let admin_url = postgres_admin_url();
        // Drop runs inside the test's runtime; use a thread with its own to stay out of its way.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                let admin = Database::connect(&admin_url).await.ok()?;
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .await
                    .ok()?;
                admin.close().await.ok()
            })
        })
        .join();
    }
}

/// How a test's documents reach the application.
enum Transport {
    /// Over HTTP, to a server running on `address`.
    Http {
        server: tokio::task::JoinHandle<std::io::Result<()>>,
        shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    },
    /// Straight to the schema, with the application's state.
    Schema {
        schema: Box<LieuSchema>,
        state: Box<AppState>,
    },
}

pub struct TestApp {
    /// Where the server listens (HTTP only; the schema depth binds but never serves).
    pub address: SocketAddr,
    pub base_url: String,
    pub client: reqwest::Client,
    pub clock: Clock,
    /// The application's own connection pool.
    pub db: DatabaseConnection,
    /// SQL statements the application has run (its pool and `db` above).
    pub statements: lieu_api::db::StatementCounter,
    /// Lists the application showed by a compiled plan and by the executor.
    pub lists: std::sync::Arc<lieu_api::graphql::plan::ListPaths>,
    pub database: TestDatabase,
    session_ttl: chrono::Duration,
    transport: Transport,
}

/// The configuration tests run with; `tweak` changes it before the server starts.
pub fn test_config(database_url: &str) -> Config {
    Config::new(
        DatabaseConfig {
            url: database_url.to_string(),
            pool_size: Some(5),
        },
        "127.0.0.1:0".parse().unwrap(),
    )
}

/// A real server over HTTP.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// A real server over HTTP, with `tweak` applied to its configuration.
pub async fn spawn_app_with(tweak: impl FnOnce(&mut Config)) -> TestApp {
    spawn(tweak, true).await
}

/// The application without HTTP: documents go to the schema directly.
pub async fn spawn_schema() -> TestApp {
    spawn(|_| {}, false).await
}

async fn spawn(tweak: impl FnOnce(&mut Config), http: bool) -> TestApp {
    static LOGS: OnceLock<()> = OnceLock::new();
    LOGS.get_or_init(|| {
        if std::env::var_os("TEST_LOG").is_some() {
            lieu_api::telemetry::init(lieu_api::telemetry::LogFormat::Text);
        }
    });
    let database = TestDatabase::new().await;
    let mut config = test_config(&database.url);
    tweak(&mut config);
    let clock = Clock::system();
    let app = Application::build_with_clock(config, clock.clone())
        .await
        .expect("build application");
    let address = app.local_addr();
    let state = app.state().clone();
    let transport = if http {
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(app.run_until(async move {
            let _ = rx.await;
        }));
        Transport::Http {
            server,
            shutdown: Some(tx),
        }
    } else {
        Transport::Schema {
            schema: Box::new(lieu_api::graphql::build_schema(&state.config)),
            state: Box::new(state.clone()),
        }
    };
    TestApp {
        address,
        base_url: format!("http://{address}"),
        client: reqwest::Client::new(),
        clock,
        db: state.db.clone(),
        statements: state.statements.clone(),
        lists: state.lists.clone(),
        database,
        session_ttl: state.config.session_ttl,
        transport,
    }
}

/// A second server on an existing database (as another API process would be), stopped when
/// dropped.
pub struct SecondServer {
    pub base_url: String,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Drop for SecondServer {
    fn drop(&mut self) {
        self.server.abort();
    }
}

pub async fn spawn_server_on(database_url: &str) -> SecondServer {
    spawn_server_on_with(database_url, |_| {}).await
}

/// A second server on an existing database, with `tweak` applied to its configuration.
pub async fn spawn_server_on_with(
    database_url: &str,
    tweak: impl FnOnce(&mut Config),
) -> SecondServer {
    let mut config = test_config(database_url);
    tweak(&mut config);
    let app = Application::build_with_clock(config, Clock::system())
        .await
        .expect("build second application");
    let base_url = format!("http://{}", app.local_addr());
    let server = tokio::spawn(app.run_until(std::future::pending()));
    SecondServer { base_url, server }
}

/// A GraphQL response, with helpers for the two things tests look at.
#[derive(Debug)]
pub struct GqlResponse {
    pub status: u16,
    pub body: Value,
}

impl GqlResponse {
    pub fn data(&self) -> &Value {
        assert!(
            self.body.get("errors").is_none(),
            "unexpected errors: {}",
            self.body
        );
        &self.body["data"]
    }

    /// The `extensions.code` of the first error (panics when there is none).
    pub fn error_code(&self) -> &str {
        self.body["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("expected an error with a code, got {}", self.body))
    }

    pub fn first_error(&self) -> &Value {
        &self.body["errors"][0]
    }
}

impl TestApp {
    pub async fn post_graphql(
        &self,
        token: Option<&str>,
        query: &str,
        variables: Value,
    ) -> GqlResponse {
        let (schema, state) = match &self.transport {
            Transport::Schema { schema, state } => (schema, state),
            Transport::Http { .. } => return self.post_http(token, query, variables).await,
        };
        let caller = match token {
            None => Caller::Anonymous,
            Some(token) => accounts::resolve_token(&state.db, state.clock.now(), token)
                .await
                .expect("resolve the token"),
        };
        let request = async_graphql::Request::new(query)
            .variables(async_graphql::Variables::from_json(variables));
        let response = RequestContext::local(state, caller)
            .execute(schema.for_document(query), request)
            .await;
        GqlResponse {
            status: 200,
            body: serde_json::to_value(&response).expect("a response is JSON"),
        }
    }

    async fn post_http(&self, token: Option<&str>, query: &str, variables: Value) -> GqlResponse {
        self.post_to(&self.base_url, token, query, variables).await
    }

    /// Posts a document over HTTP to the server at `base_url` (this one or another process on
    /// the same database).
    pub async fn post_to(
        &self,
        base_url: &str,
        token: Option<&str>,
        query: &str,
        variables: Value,
    ) -> GqlResponse {
        let mut request = self
            .client
            .post(format!("{base_url}/graphql"))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("request reaches the server");
        let status = response.status().as_u16();
        let text = response.text().await.expect("a body");
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        GqlResponse { status, body }
    }

    fn require_http(&self) {
        assert!(
            matches!(self.transport, Transport::Http { .. }),
            "this test talks HTTP: start it with spawn_app(), not spawn_schema()"
        );
    }

    /// A plain GET on one of the server's paths (`/healthz`, `/ical/…`).
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.require_http();
        self.client
            .get(format!("{}{path}", self.base_url))
            .send()
            .await
            .expect("request reaches the server")
    }

    /// Runs one request and returns its response with the number of SQL statements it cost.
    /// Meaningful only while nothing else uses the server.
    pub async fn gql_counting(
        &self,
        token: Option<&str>,
        query: &str,
        variables: Value,
    ) -> (GqlResponse, u64) {
        let before = self.statements.get();
        let response = self.post_graphql(token, query, variables).await;
        (response, self.statements.get() - before)
    }

    /// Anonymous query.
    pub async fn gql(&self, query: &str, variables: Value) -> GqlResponse {
        self.post_graphql(None, query, variables).await
    }

    /// Query as the bearer of `token`.
    pub async fn gql_as(&self, token: &str, query: &str, variables: Value) -> GqlResponse {
        self.post_graphql(Some(token), query, variables).await
    }

    /// Creates a user straight through the service (as `lieu-api user add` does).
    pub async fn create_user(&self, email: &str, role: Role, password: &str) -> AppResult<()> {
        accounts::create_user(
            &self.db,
            self.clock.now(),
            accounts::NewUser {
                email: Email::parse("email", email)?,
                name: Name::parse("name", email.split('@').next().unwrap())?,
                role,
                password: Password::parse(password)?,
            },
        )
        .await
        .map(|_| ())
    }

    pub async fn login(&self, email: &str, password: &str) -> GqlResponse {
        self.gql(
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token expiresAt user { id email role } } }",
            json!({ "e": email, "p": password }),
        )
        .await
    }

    /// A new user of this role with a session; returns the token. The session is opened as
    /// `login` opens it, without the password check (argon2 costs tens of milliseconds, and
    /// the login itself has tests of its own): the user has no usable password.
    pub async fn token_for(&self, role: Role) -> String {
        let id = uuid::Uuid::new_v4();
        let email = format!("{}-{}@test.lieu", role.as_str().to_lowercase(), id.simple());
        let user = lieu_entity::user::ActiveModel {
            id: Set(id),
            email: Set(email.clone()),
            email_key: Set(email.clone()),
            name: Set(email.clone()),
            role: Set(role.as_str().to_string()),
            password_hash: Set("!no password: a test user".into()),
            created_at: Set(self.clock.now()),
            active: Set(true),
        }
        .insert(&self.db)
        .await
        .expect("insert user");
        let (token, _) =
            accounts::open_session(&self.db, &user, self.clock.now(), self.session_ttl)
                .await
                .expect("open session");
        token
    }

    /// A new API key of `scope` (`PUBLIC`, `VOLUNTEER`, `MANAGER` or `ADMIN`) named `name`,
    /// created by the ADMIN of `admin` through `createApiKey`; returns the key.
    pub async fn api_key_for(&self, admin: &str, name: &str, scope: &str) -> String {
        let created = self
            .gql_as(
                admin,
                "mutation($n: String!, $s: ApiKeyScope!) { createApiKey(name: $n, scope: $s) { key } }",
                json!({"n": name, "s": scope}),
            )
            .await;
        created.data()["createApiKey"]["key"]
            .as_str()
            .expect("the key")
            .to_string()
    }

    /// Stops the server gracefully and waits for it.
    pub async fn stop(mut self) {
        self.stop_server().await;
    }

    /// Stops the server gracefully and waits for it, keeping its database (for a restart
    /// with `spawn_server_on`). The application's pool (`db`) is closed with it.
    pub async fn stop_server(&mut self) {
        self.require_http();
        let Transport::Http { server, shutdown } = &mut self.transport else {
            return;
        };
        if let Some(tx) = shutdown.take() {
            let _ = tx.send(());
        }
        let server = std::mem::replace(server, tokio::spawn(async { Ok(()) }));
        server
            .await
            .expect("server task")
            .expect("server stopped cleanly");
    }
}

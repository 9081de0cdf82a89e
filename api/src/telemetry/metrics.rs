//! Prometheus metrics (`GET /metrics` on the `--metrics-bind` address).
//!
//! Code anywhere records through the `metrics` facade (`metrics::counter!` and friends): the
//! services count what they create without any state passed down to them. The recorder is
//! `metrics-exporter-prometheus`'s, installed once per process; its handle renders the text
//! that the axum route serves (the exporter's own HTTP listener is not built).
//!
//! What is exported, and where it is recorded:
//!
//! | metric | kind | labels | recorded by |
//! |---|---|---|---|
//! | `lieu_graphql_requests_total` | counter | `operation`, `outcome` | `http::graphql` |
//! | `lieu_graphql_request_duration_seconds` | histogram | `operation` | `http::graphql` |
//! | `lieu_db_statements_per_request` | histogram | `operation` | `http::graphql` (task-local count) |
//! | `lieu_db_statements_total` | counter | | the pool's `StatementCounter`, at scrape time |
//! | `lieu_db_pool_connections` | gauge | `state` = `in_use` / `idle` | the pool, at scrape time |
//! | `lieu_db_pool_max_connections` | gauge | | the configuration, at scrape time |
//! | `lieu_bookings_created_total` | counter | | `service::bookings::create`, after commit |
//! | `lieu_registrations_created_total` | counter | `kind` = `register` / `walk_in` | `service::events::registrations`, after commit |
//! | `lieu_rate_limited_total` | counter | `limiter` = `login` / `registration` | `auth::limiter` |
//! | `lieu_subscriptions_active` | gauge | | [`subscription_opened`] / [`subscription_closed`] |
//! | `lieu_api_key_requests_total` | counter | `key` = the key's name | `http::graphql::resolve_caller` |
//! | `lieu_graphql_lists_total` | counter | `path` = `compiled` / `executor` | `graphql::plan::Listed` (see [`list_resolved`]) |
//!
//! `operation` is the GraphQL root field the request runs (`createBooking`), so its values are
//! bounded by the schema: a client cannot grow the series by naming its operations (the
//! `operationName` is free text, so it is not used). A document with several root fields is
//! `multiple`; one that does not parse or names no known field is `invalid`. `outcome` is `ok`
//! or the `extensions.code` of the first error (`BOOKING_CONFLICT`, `INTERNAL`…). `key` is
//! bounded by the API keys an ADMIN created (only a live key is counted, never what a caller
//! sent).

use std::sync::OnceLock;
use std::time::Duration;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sea_orm::DatabaseConnection;

use crate::db::StatementCounter;

pub const REQUESTS: &str = "lieu_graphql_requests_total";
pub const REQUEST_DURATION: &str = "lieu_graphql_request_duration_seconds";
pub const STATEMENTS_PER_REQUEST: &str = "lieu_db_statements_per_request";
pub const STATEMENTS: &str = "lieu_db_statements_total";
pub const POOL_CONNECTIONS: &str = "lieu_db_pool_connections";
pub const POOL_MAX: &str = "lieu_db_pool_max_connections";
pub const BOOKINGS_CREATED: &str = "lieu_bookings_created_total";
pub const REGISTRATIONS_CREATED: &str = "lieu_registrations_created_total";
pub const RATE_LIMITED: &str = "lieu_rate_limited_total";
pub const SUBSCRIPTIONS_ACTIVE: &str = "lieu_subscriptions_active";
pub const API_KEY_REQUESTS: &str = "lieu_api_key_requests_total";
pub const LISTS: &str = "lieu_graphql_lists_total";

/// Latency buckets, in seconds: most requests take milliseconds; the request timeout (30 s by
/// default) bounds the rest.
const LATENCY_BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];
/// Statements per request: a constant handful when DataLoaders do their job.
const STATEMENT_BUCKETS: &[f64] = &[1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 21.0, 34.0, 55.0, 100.0];

/// The process's recorder, installed on first use. Several applications in one process (the
/// tests) share it; a recorder set by someone else first (another library) leaves `/metrics`
/// rendering an empty page rather than failing the start.
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(REQUEST_DURATION.to_string()), LATENCY_BUCKETS)
            .and_then(|b| {
                b.set_buckets_for_metric(
                    Matcher::Full(STATEMENTS_PER_REQUEST.to_string()),
                    STATEMENT_BUCKETS,
                )
            })
            .expect("bucket lists are not empty")
            .build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("a metrics recorder was already installed: /metrics will be empty");
        }
        describe();
        handle
    })
}

fn describe() {
    use metrics::{Unit, describe_counter, describe_gauge, describe_histogram};
    describe_counter!(
        REQUESTS,
        "GraphQL requests, by root field and outcome (ok or the error code)"
    );
    describe_histogram!(
        REQUEST_DURATION,
        Unit::Seconds,
        "Time to execute a GraphQL request, by root field"
    );
    describe_histogram!(
        STATEMENTS_PER_REQUEST,
        "SQL statements one GraphQL request ran, by root field"
    );
    describe_counter!(STATEMENTS, "SQL statements run by this process");
    describe_gauge!(
        POOL_CONNECTIONS,
        "Database pool connections, in use or idle, when scraped"
    );
    describe_gauge!(POOL_MAX, "Largest size of the database pool");
    describe_counter!(BOOKINGS_CREATED, "Bookings created (one per occurrence)");
    describe_counter!(REGISTRATIONS_CREATED, "Event registrations created");
    describe_counter!(RATE_LIMITED, "Attempts refused by a rate limit");
    describe_gauge!(SUBSCRIPTIONS_ACTIVE, "GraphQL subscriptions open now");
    describe_counter!(
        API_KEY_REQUESTS,
        "HTTP requests made with a live API key, by the key's name"
    );
    describe_counter!(
        LISTS,
        "Long lists (bookings, events) shown by a compiled plan or by the executor"
    );
    // Series without labels start at zero, so that a dashboard shows 0, not "no data", on a
    // process that has not booked anything yet (this runs once, before anything is counted).
    metrics::counter!(BOOKINGS_CREATED).absolute(0);
    metrics::gauge!(SUBSCRIPTIONS_ACTIVE).set(0.0);
}

/// A list of bookings or events was shown: by its compiled plan, or by the executor (a
/// selection the plans do not know). Mostly `executor` means the fast path is not taken.
pub fn list_resolved(compiled: bool) {
    let path = if compiled { "compiled" } else { "executor" };
    metrics::counter!(LISTS, "path" => path).increment(1);
}

/// The metrics as Prometheus text, with the pool and statement figures sampled now.
pub fn render(db: &DatabaseConnection, statements: &StatementCounter, max: u32) -> String {
    let handle = handle();
    if let Some((size, idle)) = pool_sizes(db) {
        let in_use = size.saturating_sub(idle);
        metrics::gauge!(POOL_CONNECTIONS, "state" => "in_use").set(f64::from(in_use));
        metrics::gauge!(POOL_CONNECTIONS, "state" => "idle").set(f64::from(idle));
    }
    metrics::gauge!(POOL_MAX).set(f64::from(max));
    metrics::counter!(STATEMENTS).absolute(statements.get());
    handle.render()
}

/// (connections open, of which idle), from whichever pool backs the connection.
fn pool_sizes(db: &DatabaseConnection) -> Option<(u32, u32)> {
    match db.get_database_backend() {
        sea_orm::DbBackend::Sqlite => {
            let pool = db.get_sqlite_connection_pool();
            Some((
                pool.size(),
                u32::try_from(pool.num_idle()).unwrap_or(u32::MAX),
            ))
        }
        sea_orm::DbBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            Some((
                pool.size(),
                u32::try_from(pool.num_idle()).unwrap_or(u32::MAX),
            ))
        }
        _ => None,
    }
}

/// One GraphQL request done: its count, latency and statements.
pub fn request_done(operation: &str, outcome: &str, took: Duration, statements: u64) {
    let operation = operation.to_string();
    metrics::counter!(REQUESTS, "operation" => operation.clone(), "outcome" => outcome.to_string())
        .increment(1);
    metrics::histogram!(REQUEST_DURATION, "operation" => operation.clone())
        .record(took.as_secs_f64());
    metrics::histogram!(STATEMENTS_PER_REQUEST, "operation" => operation).record(statements as f64);
}

/// `count` bookings committed (a series counts each occurrence).
pub fn bookings_created(count: usize) {
    metrics::counter!(BOOKINGS_CREATED).increment(count as u64);
}

/// A registration committed; `kind` is `register` or `walk_in`.
pub fn registration_created(kind: &'static str) {
    metrics::counter!(REGISTRATIONS_CREATED, "kind" => kind).increment(1);
}

/// An attempt refused by the `login` or `registration` limiter.
pub fn rate_limited(limiter: &'static str) {
    metrics::counter!(RATE_LIMITED, "limiter" => limiter).increment(1);
}

/// One HTTP request made with the live API key named `key`.
pub fn api_key_request(key: &str) {
    metrics::counter!(API_KEY_REQUESTS, "key" => key.to_string()).increment(1);
}

/// A GraphQL subscription started: call when a `graphql-transport-ws` subscription begins
/// streaming, and [`subscription_closed`] exactly once when it ends (completed by the client,
/// its socket closed, or the server stopping). Holding a [`SubscriptionGauge`] does both.
pub fn subscription_opened() {
    metrics::gauge!(SUBSCRIPTIONS_ACTIVE).increment(1.0);
}

/// A GraphQL subscription ended (see [`subscription_opened`]).
pub fn subscription_closed() {
    metrics::gauge!(SUBSCRIPTIONS_ACTIVE).decrement(1.0);
}

/// Counts one active subscription for as long as it lives: create it when the stream starts
/// and move it into the stream, so that every way the stream ends (even a dropped socket)
/// closes it once.
#[derive(Debug)]
pub struct SubscriptionGauge(());

impl SubscriptionGauge {
    pub fn open() -> Self {
        subscription_opened();
        Self(())
    }
}

impl Drop for SubscriptionGauge {
    fn drop(&mut self) {
        subscription_closed();
    }
}

tokio::task_local! {
    /// The statements of the request this task serves (see `count_statements`).
    static REQUEST_STATEMENTS: std::sync::Arc<std::sync::atomic::AtomicU64>;
}

/// Runs `work` and says how many SQL statements it ran. The pool's statement callback runs on
/// the task that awaits the query, and a GraphQL request's resolvers and DataLoader batches all
/// run on its task (see `graphql::batching`), so a task-local count is this request's alone,
/// however many requests run at once.
pub async fn count_statements<F: Future>(work: F) -> (F::Output, u64) {
    let count = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let output = REQUEST_STATEMENTS.scope(count.clone(), work).await;
    (output, count.load(std::sync::atomic::Ordering::Relaxed))
}

/// Called by the pool's statement callback: one more statement for the current request, if
/// the current task serves one.
pub(crate) fn statement_ran() {
    let _ = REQUEST_STATEMENTS.try_with(|count| {
        count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    });
}

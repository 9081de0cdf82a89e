//! Building and running the HTTP server. Tests build it on port 0 and read the port back.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, ORIGIN};
use axum::http::{HeaderName, HeaderValue, Method, Request, StatusCode};
use axum::routing::get;
use tower::ServiceBuilder;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::clock::Clock;
use crate::config::Config;
use crate::http::graphql::GraphqlState;
use crate::http::{exports, graphiql, graphql, health, ical, metrics, ws};
use crate::state::AppState;
use crate::{db, graphql as gql};

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

pub struct Application {
    listener: tokio::net::TcpListener,
    /// `--metrics-bind`: a second, private listener for `/metrics` only.
    metrics_listener: Option<tokio::net::TcpListener>,
    router: Router,
    state: AppState,
}

impl Application {
    /// Connects to the database, applies migrations and binds the listener.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        Self::build_with_clock(config, Clock::system()).await
    }

    pub async fn build_with_clock(config: Config, clock: Clock) -> anyhow::Result<Self> {
        let db = db::connect(&config.database).await?;
        db::migrate(&db).await?;
        let listener = tokio::net::TcpListener::bind(config.bind).await?;
        // Installed before anything is counted: what is recorded before there is a recorder
        // is lost.
        crate::telemetry::metrics::handle();
        let metrics_listener =
            match config.metrics_bind {
                Some(address) => Some(tokio::net::TcpListener::bind(address).await.map_err(
                    |err| {
                        anyhow::anyhow!(
                            "cannot listen for metrics on {address} (--metrics-bind): {err}"
                        )
                    },
                )?),
                None => None,
            };
        let state = AppState::new(db, config, clock);
        Ok(Self {
            listener,
            metrics_listener,
            router: router(state.clone()),
            state,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// Where `/metrics` is served, when `--metrics-bind` was given.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics_listener
            .as_ref()
            .and_then(|listener| listener.local_addr().ok())
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` resolves, then lets in-flight requests finish.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let limiter = self.state.login_limiter.clone();
        let registrations = self.state.registration_limiter.clone();
        let listener = crate::service::activity::spawn_listener(
            &self.state.db,
            &self.state.config.database.url,
            &self.state.activity,
        );
        // Sends the queued webhook deliveries (those left from a previous run too).
        let webhooks = crate::service::webhooks::spawn_worker(&self.state);
        let sockets = self.state.sockets.clone();
        // Open WebSockets would hold the graceful shutdown forever: they get a close frame.
        let shutdown = async move {
            shutdown.await;
            sockets.close_all();
        };
        let purge = tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(60));
            loop {
                every.tick().await;
                limiter.purge();
                registrations.purge();
            }
        });
        // The metrics listener lives as long as the main one; a scrape needs no graceful end.
        let metrics = self.metrics_listener.map(|listener| {
            let router = crate::http::metrics::router(self.state.clone());
            tokio::spawn(async move { axum::serve(listener, router).await })
        });
        let result = axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await;
        purge.abort();
        if let Some(listener) = listener {
            listener.abort();
        }
        if let Some(metrics) = metrics {
            metrics.abort();
        }
        webhooks.stop().await;
        self.state.db.clone().close().await.ok();
        result
    }
}

pub fn router(state: AppState) -> Router {
    let config = state.config.clone();
    let schema = gql::build_schema(&config);
    let graphql_state = GraphqlState { app: state, schema };
    let body_limit = config.body_limit_bytes;
    let allowed: Arc<[HeaderValue]> = config
        .cors_origins
        .iter()
        .filter_map(|origin| HeaderValue::from_str(origin.as_str()).ok())
        .collect();

    Router::new()
        .route("/graphql", get(graphql::graphql_get).post(graphql::graphql))
        .route("/graphql/ws", get(ws::graphql_ws))
        .route("/graphql/assets/{file}", get(graphiql::asset))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::not_here))
        .route("/ical/spaces/{file}", get(ical::space_feed))
        .route("/ical/events.ics", get(ical::events_feed))
        .route("/exports/{file}", get(exports::export))
        .route("/reports/{file}", get(exports::report))
        .with_state(graphql_state)
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
                        let request_id = request
                            .headers()
                            .get(REQUEST_ID)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("-");
                        tracing::info_span!(
                            "request",
                            method = %request.method(),
                            path = %request.uri().path(),
                            request_id = %request_id,
                            // Filled in once the bearer is known to be an API key.
                            api_key = tracing::field::Empty,
                        )
                    }),
                )
                .layer(PropagateRequestIdLayer::new(REQUEST_ID))
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::REQUEST_TIMEOUT,
                    config.request_timeout,
                ))
                .layer(axum::middleware::from_fn({
                    let allowed = allowed.clone();
                    move |request, next| only_allowed_origins(allowed.clone(), request, next)
                }))
                .layer(cors(&allowed))
                .layer(axum::middleware::from_fn(move |request, next| {
                    graphql::json_refusals(body_limit, request, next)
                }))
                .layer(RequestBodyLimitLayer::new(config.body_limit_bytes)),
        )
}

/// The venue's website calls the API from its own origin: the pages of the origins given with
/// `--cors-origin` may, others not (none by default). Never with credentials: authentication
/// is a bearer token (a PUBLIC API key on a website) sent explicitly, never a cookie, so no
/// `Access-Control-Allow-Credentials`.
fn cors(allowed: &[HeaderValue]) -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(allowed.iter().cloned()))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([CONTENT_TYPE, AUTHORIZATION])
        .expose_headers([REQUEST_ID])
        .max_age(Duration::from_secs(3600))
}

/// A request from an origin that is not allowed gets no CORS header at all (`CorsLayer` leaves
/// out only `Access-Control-Allow-Origin`, and would still list the methods and headers it
/// allows): such a page learns nothing of the API's CORS policy.
async fn only_allowed_origins(
    allowed: Arc<[HeaderValue]>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let foreign = request
        .headers()
        .get(ORIGIN)
        .is_some_and(|origin| !allowed.contains(origin));
    let mut response = next.run(request).await;
    if foreign {
        let cors: Vec<HeaderName> = response
            .headers()
            .keys()
            .filter(|name| name.as_str().starts_with("access-control-"))
            .cloned()
            .collect();
        for name in cors {
            response.headers_mut().remove(name);
        }
    }
    response
}

/// Resolves on Ctrl-C or SIGTERM. The handlers are installed when this is called, not when the
/// future is first polled: call it first thing, so that a stop asked for during start-up (while
/// migrations or the demo run) is a graceful stop, not the default kill.
pub fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let (mut interrupt, mut terminate) = {
        use tokio::signal::unix::{SignalKind, signal};
        (
            signal(SignalKind::interrupt()).ok(),
            signal(SignalKind::terminate()).ok(),
        )
    };
    async move {
        #[cfg(unix)]
        {
            let wait = |s: Option<tokio::signal::unix::Signal>| async move {
                match s {
                    Some(mut s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                () = wait(interrupt.take()) => {},
                () = wait(terminate.take()) => {},
            }
        }
        #[cfg(not(unix))]
        {
            tokio::signal::ctrl_c().await.ok();
        }
        tracing::info!("shutting down: finishing in-flight requests");
    }
}

//! `polytm serve`: the translation memory and glossary over HTTP, for a
//! team, with a web page (see README "The shared server").
//!
//! - One [`Service`] (crates/engine) holds the fuzzy indexes and the
//!   glossary, warm between requests; writes go through the store in one
//!   transaction each, then the service is refreshed before the answer, so
//!   the next request sees them; a background task refreshes it a few
//!   times a second for writes of other processes.
//! - Database work runs on tokio's blocking threads (SQLite is blocking;
//!   a search is a millisecond of CPU): the reactor keeps accepting.
//! - Access: reads and the page are open unless `--private`; writes need
//!   `Authorization: Bearer TOKEN` when a token is set; `--read-only`
//!   refuses every write (403). A non-loopback address without a token is
//!   refused at start.
//! - SIGTERM or SIGINT: no new connection is accepted, what is in flight
//!   finishes (a write commits or is rolled back whole), then exit 0.

mod api;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};

use polytm_core::{Error, Result};
use polytm_engine::service::Service;
use polytm_store::Database;

/// How a server runs.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    /// The token writes (and, `private`, reads) need.
    pub token: Option<String>,
    pub read_only: bool,
    pub private: bool,
    /// One log line per request on stderr.
    pub verbose: bool,
    /// Largest request body (an import), bytes.
    pub max_body: usize,
    /// Taken off the scores of proposals (`--penalty`, `--penalties`).
    pub penalties: polytm_engine::penalty::Penalties,
    /// Lookups may run on the runtime's threads (a file database; not the
    /// synchronous PostgreSQL client).
    pub inline_reads: bool,
}

/// What every request sees.
pub struct App {
    pub service: Service,
    pub config: Config,
    /// A background refresh is running.
    refreshing: AtomicBool,
}

pub type Shared = Arc<App>;

/// Serve `db` until SIGTERM or SIGINT.
pub fn run(db: Arc<dyn Database>, config: Config) -> Result<()> {
    if !config.listen.ip().is_loopback() && config.token.is_none() {
        return Err(Error::usage(format!(
            "--listen {}: a server reachable from other machines needs a token (--token or --token-file)",
            config.listen
        )));
    }
    let service = Service::open(db)?;
    let app: Shared = Arc::new(App {
        service,
        config: config.clone(),
        refreshing: AtomicBool::new(false),
    });
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("polytm-serve")
        .build()
        .map_err(|e| Error::other(format!("cannot start the server: {e}")))?;
    rt.block_on(serve(app, config))
}

/// The longest request head (request line and headers) read. (hyper
/// answers 414 to a URL over 64 KB by itself: a longer text is POSTed.)
const MAX_HEAD: usize = 1 << 20;

/// How long a connection may take to send its request head.
const HEAD_TIMEOUT: Duration = Duration::from_secs(30);

/// How long, once stopped, requests in flight may take to finish.
const DRAIN: Duration = Duration::from_secs(60);

async fn serve(app: Shared, config: Config) -> Result<()> {
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    use hyper_util::server::conn::auto;
    use hyper_util::service::TowerToHyperService;

    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| Error::Io {
            file: config.listen.to_string(),
            msg: format!("cannot listen: {e}"),
        })?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::other(e.to_string()))?;
    let router = router(app.clone());
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .max_buf_size(MAX_HEAD)
        .timer(TokioTimer::new())
        .header_read_timeout(HEAD_TIMEOUT);
    let stop = stop_signal()?;
    eprintln!("listening on http://{addr}");
    // other processes' writes: looked for a few times a second
    let watcher = tokio::spawn(watch(app.clone()));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut stop = std::pin::pin!(stop);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, _) = match accepted {
                    Ok(c) => c,
                    Err(e) => {
                        // out of file descriptors and the like: wait, go on
                        eprintln!("polytm: serve: accepting a connection: {e}");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                };
                let service = TowerToHyperService::new(router.clone());
                let conn = builder
                    .serve_connection_with_upgrades(TokioIo::new(stream), service)
                    .into_owned();
                let conn = graceful.watch(conn);
                tokio::spawn(async move {
                    let _ = conn.await;
                });
            }
            _ = &mut stop => break,
        }
    }
    // no new connection; what is in flight finishes
    drop(listener);
    if tokio::time::timeout(DRAIN, graceful.shutdown())
        .await
        .is_err()
    {
        eprintln!(
            "polytm: serve: requests still running after {} s; stopping",
            DRAIN.as_secs()
        );
    }
    watcher.abort();
    // the blocking threads finish their work (a write commits or rolls back)
    Ok(())
}

/// SIGTERM or SIGINT, listened for from now on (before the server says
/// it listens: a signal sent right after that line stops it cleanly).
#[cfg(unix)]
fn stop_signal() -> Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let fail = |e: std::io::Error| Error::other(format!("cannot listen for signals: {e}"));
    let mut term = signal(SignalKind::terminate()).map_err(fail)?;
    let mut int = signal(SignalKind::interrupt()).map_err(fail)?;
    Ok(async move {
        tokio::select! {
            _ = term.recv() => {}
            _ = int.recv() => {}
        }
    })
}

#[cfg(not(unix))]
fn stop_signal() -> Result<impl std::future::Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

/// Refresh the service when the database changed under it (another
/// process's write), and write index files again when due.
async fn watch(app: Shared) {
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        tick.tick().await;
        if app.refreshing.swap(true, Ordering::AcqRel) {
            continue;
        }
        let a = app.clone();
        let _ = tokio::task::spawn_blocking(move || {
            if let Err(e) = a.service.refresh(true) {
                eprintln!("polytm: serve: refreshing the index: {e}");
            }
            a.refreshing.store(false, Ordering::Release);
        })
        .await;
    }
}

fn router(app: Shared) -> Router {
    use axum::routing::{get, post, put};
    let api = Router::new()
        .route("/api/health", get(api::health))
        .route("/api/info", get(api::info))
        .route("/api/match", get(api::matches).post(api::matches_post))
        .route("/api/term", get(api::term))
        .route("/api/concordance", get(api::concordance))
        .route("/api/scan", get(api::scan))
        .route("/api/export", get(api::export))
        .route("/api/units", post(api::add_unit))
        .route("/api/import", post(api::import))
        .route("/api/concepts", get(api::concepts).post(api::add_concept))
        .route(
            "/api/concepts/{id}",
            put(api::edit_concept).delete(api::delete_concept),
        )
        .route("/api/documents", get(api::documents))
        .route(
            "/api/documents/{name}/units",
            get(api::document_units).put(api::review_units),
        )
        .route("/tmserver/{src}/{tgt}/unit/{*text}", get(api::tmserver))
        .layer(middleware::from_fn_with_state(app.clone(), access));
    Router::new()
        .route("/", get(page_index))
        .route("/index.html", get(page_index))
        .route("/app.css", get(page_css))
        .route("/app.js", get(page_js))
        .merge(api)
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(app.config.max_body))
        .layer(middleware::from_fn_with_state(app.clone(), body_limit))
        .layer(middleware::from_fn(json_errors))
        .layer(middleware::from_fn_with_state(app.clone(), log))
        .with_state(app)
}

/// An error answer: a status and `{"error": "..."}`.
pub struct ApiError(pub StatusCode, pub String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // one short line, whatever the request held
        let msg = polytm_core::error::one_line(&self.1, polytm_core::error::MESSAGE_MAX);
        let body = serde_json::json!({ "error": msg });
        (self.0, axum::Json(body)).into_response()
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        let status = match &e {
            Error::Usage(_) | Error::Input { .. } => StatusCode::BAD_REQUEST,
            Error::Db { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Error::Cancelled => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        ApiError(status, e.to_string())
    }
}

async fn not_found() -> ApiError {
    ApiError(StatusCode::NOT_FOUND, "no such page or API".into())
}

/// Every error answer is `{"error": "..."}`, also those of the HTTP layer
/// (a body too large, a malformed query string, a method not allowed).
async fn json_errors(req: Request, next: Next) -> Response {
    let r = next.run(req).await;
    let status = r.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return r;
    }
    let is_json = r
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        return r;
    }
    let (parts, body) = r.into_parts();
    let text = match axum::body::to_bytes(body, 4096).await {
        Ok(b) if !b.is_empty() => String::from_utf8_lossy(&b).trim().to_string(),
        _ => status.canonical_reason().unwrap_or("error").to_string(),
    };
    let mut out = ApiError(status, text).into_response();
    for (k, v) in parts.headers.iter() {
        if k != header::CONTENT_TYPE && k != header::CONTENT_LENGTH {
            out.headers_mut().insert(k.clone(), v.clone());
        }
    }
    out
}

/// A body announced larger than `--max-body` is refused before it is read.
async fn body_limit(State(app): State<Shared>, req: Request, next: Next) -> Response {
    let announced = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if let Some(n) = announced
        && n > app.config.max_body as u64
    {
        return ApiError(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the body is {n} bytes; this server takes at most {} (--max-body)",
                app.config.max_body
            ),
        )
        .into_response();
    }
    next.run(req).await
}

/// Token and read-only rules.
async fn access(State(app): State<Shared>, req: Request, next: Next) -> Response {
    // POST /api/match is a search whose text is too long for a URL
    let search = req.method() == Method::POST && req.uri().path() == "/api/match";
    let write = !(search || matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS));
    let cfg = &app.config;
    if write && cfg.read_only {
        return ApiError(StatusCode::FORBIDDEN, "this server is read-only".into()).into_response();
    }
    if cfg.token.is_some() && (write || cfg.private) && !authorized(cfg, req.headers()) {
        let mut r = ApiError(
            StatusCode::UNAUTHORIZED,
            "a valid token is needed (Authorization: Bearer TOKEN)".into(),
        )
        .into_response();
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"polytm\""),
        );
        return r;
    }
    next.run(req).await
}

/// The request carries the server's token, or none is needed.
fn authorized(cfg: &Config, headers: &axum::http::HeaderMap) -> bool {
    let Some(token) = &cfg.token else {
        return true;
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    given.is_some_and(|g| same(g.as_bytes(), token.as_bytes()))
}

/// Compare without telling, by the time it takes, where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// One line per request on stderr with `--verbose`.
async fn log(State(app): State<Shared>, req: Request, next: Next) -> Response {
    if !app.config.verbose {
        return next.run(req).await;
    }
    let (method, path) = (req.method().clone(), req.uri().path().to_string());
    let t = Instant::now();
    let r = next.run(req).await;
    eprintln!(
        "polytm: {method} {path} {} {:.1} ms",
        r.status().as_u16(),
        t.elapsed().as_secs_f64() * 1e3
    );
    r
}

const INDEX_HTML: &str = include_str!("assets/index.html");
const APP_CSS: &str = include_str!("assets/app.css");
const APP_JS: &str = include_str!("assets/app.js");

/// The page's headers: no script from anywhere but this server, nothing
/// framed or sniffed.
fn page(body: &'static str, content_type: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

async fn page_index() -> Response {
    page(INDEX_HTML, "text/html; charset=utf-8")
}

async fn page_css() -> Response {
    page(APP_CSS, "text/css; charset=utf-8")
}

async fn page_js() -> Response {
    page(APP_JS, "text/javascript; charset=utf-8")
}

//! `mock-api`: a real HTTP server implementing the HITL.sh requests API contract
//! (list, get, cancel, loops; the vendor's envelope and error wording) over generated data, with knobs for latency, quota, faults, CORS and
//! hostile text, and an optional static file root for the built dashboard.
//!
//! - [`config`]: the command-line flags.
//! - [`state`]: dataset, quota windows, fault counter, call log (one mutex).
//! - [`gate`]: auth, quota, faults, CORS, rate-limit headers and logging for `/v1`.
//! - [`api`]: the endpoints, thin adapters over `hitl_core::contract`.
//! - [`static_files`]: `--static DIR` with the single-page-app fallback.

pub mod api;
pub mod config;
pub mod gate;
pub mod reply;
pub mod state;
pub mod static_files;

use axum::extract::{Request, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use std::io::Write;
use tokio::net::TcpListener;

pub use config::{Command, Config, FailKind};
pub use state::Shared;

/// The whole application: routes, the gate around them, the static/404 fallback.
pub fn app(state: Shared) -> Router {
    let routes = Router::new()
        .route("/v1/api/requests", get(api::list_requests))
        .route(
            "/v1/api/requests/{id}",
            get(api::get_request).delete(api::cancel_request),
        )
        .route("/v1/api/loops", get(api::loops))
        .route("/__mock/stats", get(api::stats))
        .route("/__mock/reset-stats", post(api::reset_stats))
        .route("/__mock/dataset", get(api::dataset))
        .route("/__mock/change", post(api::change))
        .method_not_allowed_fallback(api::method_not_allowed)
        .fallback(fallback)
        .with_state(state.clone());
    // The gate wraps the whole router (not each route), so it sees every request before
    // routing: a preflight is answered even where no OPTIONS route exists.
    Router::new()
        .fallback_service(routes)
        .layer(axum::middleware::from_fn_with_state(state, gate::gate))
}

/// Paths no route matched: unknown API paths get a 404 envelope; the rest go to `--static`.
async fn fallback(State(s): State<Shared>, req: Request) -> Response {
    let path = req.uri().path();
    match &s.cfg.static_dir {
        Some(dir) if !gate::is_api(path) && !gate::is_mock(path) => {
            static_files::serve(dir, req).await
        }
        _ => api::unknown_route(req.method().clone(), req.uri().clone()).await,
    }
}

/// Binds 127.0.0.1, prints the one line tests parse, and serves until Ctrl-C or SIGTERM.
pub async fn run(cfg: Config) -> std::io::Result<()> {
    let port = cfg.port;
    // Generate first, so the server answers as soon as the line is printed.
    let state = Shared::new(cfg);
    let listener = TcpListener::bind(("127.0.0.1", port)).await?;
    let port = listener.local_addr()?.port();
    let mut out = std::io::stdout().lock();
    writeln!(out, "mock-api listening on http://127.0.0.1:{port}")?;
    out.flush()?;
    drop(out);
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
}

/// Resolves on Ctrl-C, or SIGTERM on Unix (what test harnesses and process managers send).
async fn shutdown_signal() {
    let ctrl_c = async {
        // If the handler cannot be installed, wait on SIGTERM alone rather than exit at once.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

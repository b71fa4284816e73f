//! The middleware every request passes: for `/v1` it answers preflights, then applies latency,
//! auth, quota and injected faults, stamps the rate-limit and CORS headers and logs the call;
//! for `/__mock` it only adds `Access-Control-Allow-Origin: *`. Doing all of this in one place
//! keeps the order of checks (and so the semantics tests rely on) readable top to bottom.

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use hitl_core::model::Envelope;
use serde::Serialize;
use serde_json::Value;
use std::time::Duration;

use crate::config::{Config, FailKind};
use crate::reply;
use crate::state::{Admission, LogEntry, Shared};

const RATE_HEADERS: &str = "X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset";

/// True for paths the API owns.
pub fn is_api(path: &str) -> bool {
    path == "/v1" || path.starts_with("/v1/")
}

/// True for the test-only introspection paths.
pub fn is_mock(path: &str) -> bool {
    path == "/__mock" || path.starts_with("/__mock/")
}

/// The middleware (see the module docs).
pub async fn gate(State(s): State<Shared>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if is_api(path) {
        api(s, req, next).await
    } else if is_mock(path) {
        let mut resp = next.run(req).await;
        allow_any_origin(resp.headers_mut());
        resp
    } else {
        next.run(req).await
    }
}

async fn api(s: Shared, req: Request, next: Next) -> Response {
    if req.method() == Method::OPTIONS {
        return preflight(&s.cfg);
    }
    let _in_flight = s.enter();
    let method = req.method().to_string();
    let uri = req
        .uri()
        .path_and_query()
        .map_or_else(|| req.uri().path().to_owned(), |pq| pq.as_str().to_owned());
    let auth = req.headers().get(header::AUTHORIZATION);
    let has_auth = auth.is_some();
    let key = auth
        .and_then(|v| v.to_str().ok())
        .and_then(bearer)
        .filter(|k| s.cfg.keys.iter().any(|known| known == k))
        .map(str::to_owned);

    if s.cfg.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(s.cfg.latency_ms)).await;
    }
    let mut resp = match key {
        None => reply::err(401, "Invalid or missing API key", Value::Null),
        Some(key) => {
            let admission = s.admit(&key);
            let mut resp = if !admission.allowed {
                over_quota(&admission)
            } else if admission.fail {
                fault(s.cfg.fail_kind, req, next).await
            } else {
                next.run(req).await
            };
            rate_headers(resp.headers_mut(), &admission);
            resp
        }
    };
    if s.cfg.cors {
        cors_headers(resp.headers_mut(), &s.cfg);
    }
    s.record(LogEntry {
        method,
        uri,
        status: resp.status().as_u16(),
        auth: has_auth,
    });
    resp
}

/// The key from `Bearer <key>` (scheme case-insensitive, as HTTP auth schemes are).
fn bearer(value: &str) -> Option<&str> {
    let (scheme, key) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| key.trim())
        .filter(|k| !k.is_empty())
}

/// 204 for any `/v1` preflight: no key needed, never counted. With `--cors off` it carries no
/// CORS headers, so the browser refuses the real call, as it would against a CORS-less API.
fn preflight(cfg: &Config) -> Response {
    let mut resp = Response::new(Body::empty());
    *resp.status_mut() = StatusCode::NO_CONTENT;
    if cfg.cors {
        let h = resp.headers_mut();
        cors_headers(h, cfg);
        set(h, "access-control-allow-methods", "GET, DELETE, OPTIONS");
        set(
            h,
            "access-control-allow-headers",
            "Authorization, Content-Type",
        );
        set(h, "access-control-max-age", "600");
    }
    resp
}

/// `data` of the 429 body, a struct so the fields keep the documented order.
#[derive(Serialize)]
struct Usage {
    usage_count: u64,
    usage_limit: u64,
    remaining: u64,
}

fn over_quota(a: &Admission) -> Response {
    let usage = Usage {
        usage_count: a.limit,
        usage_limit: a.limit,
        remaining: 0,
    };
    let body = Envelope {
        error: true,
        msg: "API key request limit exceeded".to_owned(),
        data: usage,
    };
    reply::json(429, &body)
}

/// The injected failure. `malformed` cuts a real answer in half when the call is a GET (no side
/// effects, and the prefix looks like what a dropped connection leaves); other methods are not
/// served and get a cut envelope instead. A strict prefix of a JSON object is never valid JSON.
async fn fault(kind: FailKind, req: Request, next: Next) -> Response {
    match kind {
        FailKind::ServerError => reply::err(500, "Internal server error", Value::Null),
        FailKind::Malformed => {
            let full = if req.method() == Method::GET {
                let resp = next.run(req).await;
                to_bytes(resp.into_body(), usize::MAX)
                    .await
                    .map(|b| b.to_vec())
                    .unwrap_or_default()
            } else {
                br#"{"error":false,"msg":"Request cancelled successfully","data":{"request":{}}}"#
                    .to_vec()
            };
            let mut cut = full;
            cut.truncate((cut.len() / 2).max(1));
            if cut.is_empty() {
                cut = b"{".to_vec();
            }
            reply::with_body(200, cut)
        }
    }
}

fn rate_headers(h: &mut HeaderMap, a: &Admission) {
    for (name, value) in [
        ("x-ratelimit-limit", a.limit),
        ("x-ratelimit-remaining", a.remaining),
        ("x-ratelimit-reset", a.reset),
    ] {
        h.insert(HeaderName::from_static(name), HeaderValue::from(value));
    }
}

fn cors_headers(h: &mut HeaderMap, cfg: &Config) {
    allow_any_origin(h);
    if cfg.expose_rate_headers {
        set(h, "access-control-expose-headers", RATE_HEADERS);
    }
}

fn allow_any_origin(h: &mut HeaderMap) {
    set(h, "access-control-allow-origin", "*");
}

fn set(h: &mut HeaderMap, name: &'static str, value: &'static str) {
    h.insert(
        HeaderName::from_static(name),
        HeaderValue::from_static(value),
    );
}

#[cfg(test)]
mod tests {
    use super::bearer;

    #[test]
    fn bearer_parsing() {
        assert_eq!(bearer("Bearer demo-key"), Some("demo-key"));
        assert_eq!(bearer("bearer  demo-key "), Some("demo-key"));
        assert_eq!(bearer("Basic demo-key"), None);
        assert_eq!(bearer("Bearer "), None);
        assert_eq!(bearer("demo-key"), None);
    }
}

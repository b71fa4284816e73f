//! `--static DIR`: the built dashboard on the same origin as the API, so the e2e tests (and a
//! developer) need no CORS and no second server. Files come from `ServeDir` (safe path
//! resolution, content types from the extension: `.wasm` is `application/wasm`); a GET for a
//! path without an extension that matches no file gets `index.html`, so deep links into the
//! single-page app load the app instead of a 404.

use axum::body::Body;
use axum::extract::Request;
use axum::http::Method;
use axum::response::Response;
use std::path::Path;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

/// Serves `req` from `dir`, falling back to `dir/index.html` for extension-less GETs.
pub async fn serve(dir: &Path, req: Request) -> Response {
    let spa_candidate = matches!(*req.method(), Method::GET | Method::HEAD)
        && !last_segment(req.uri().path()).contains('.');
    // Kept for the fallback: the original request goes to ServeDir.
    let fallback_req = spa_candidate.then(|| {
        let mut r = Request::new(Body::empty());
        *r.method_mut() = req.method().clone();
        *r.headers_mut() = req.headers().clone();
        r
    });
    let resp = match ServeDir::new(dir).oneshot(req).await {
        Ok(resp) => resp.map(Body::new),
        Err(never) => match never {},
    };
    match fallback_req {
        Some(r) if resp.status().as_u16() == 404 => {
            match ServeFile::new(dir.join("index.html")).oneshot(r).await {
                Ok(resp) => resp.map(Body::new),
                Err(never) => match never {},
            }
        }
        _ => resp,
    }
}

fn last_segment(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::last_segment;

    #[test]
    fn extension_is_read_from_the_last_segment_only() {
        assert_eq!(last_segment("/some/deep/link"), "link");
        assert_eq!(last_segment("/v1.2/link"), "link");
        assert_eq!(last_segment("/pkg/app_bg.wasm"), "app_bg.wasm");
        assert_eq!(last_segment("/"), "");
    }
}

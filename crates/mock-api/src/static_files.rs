//! `--static DIR`: the built dashboard on the same origin as the API, so the e2e tests (and a
//! developer) need no CORS and no second server. Files come from `ServeDir` (safe path
//! resolution, content types from the extension: `.wasm` is `application/wasm`); a GET for a
//! path without an extension that matches no file gets `index.html`, so deep links into the
//! single-page app load the app instead of a 404. Caching follows `deploy/nginx.conf`: Trunk's
//! hashed assets are `immutable`, everything else (index.html) `no-cache`, so a second visit in
//! the same browser is what it is in production (the benchmarks measure that "warm" start).
//! Like nginx's `brotli_static` / `gzip_static`, the `.br` and `.gz` copies that
//! scripts/build-dist.sh writes are sent to clients that accept them, so the browser tests
//! download and decompress what a real deployment sends.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method};
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
    let policy = cache_policy(last_segment(req.uri().path()));
    let files = ServeDir::new(dir).precompressed_br().precompressed_gzip();
    let resp = match files.oneshot(req).await {
        Ok(resp) => resp.map(Body::new),
        Err(never) => match never {},
    };
    let mut resp = match fallback_req {
        Some(r) if resp.status().as_u16() == 404 => {
            match ServeFile::new(dir.join("index.html")).oneshot(r).await {
                Ok(resp) => resp.map(Body::new),
                Err(never) => match never {},
            }
        }
        _ => resp,
    };
    if resp.status().is_success() {
        let headers = resp.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
        // The body depends on Accept-Encoding (a precompressed copy or the file), so a shared
        // cache must key on it — nginx's gzip_vary does the same.
        headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    }
    resp
}

/// `Cache-Control` for a file name: Trunk's content-hashed assets (`name-<8 to 16 hex
/// digits>[_bg].js|wasm|css|svg`) never change under their name; anything else is revalidated.
fn cache_policy(file: &str) -> &'static str {
    const IMMUTABLE: &str = "public, max-age=31536000, immutable";
    let Some((stem, ext)) = file.rsplit_once('.') else {
        return "no-cache";
    };
    if !matches!(ext, "js" | "wasm" | "css" | "svg") {
        return "no-cache";
    }
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    match stem.rsplit_once('-') {
        Some((name, hash))
            if !name.is_empty()
                && (8..=16).contains(&hash.len())
                && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) =>
        {
            IMMUTABLE
        }
        _ => "no-cache",
    }
}

fn last_segment(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::{cache_policy, last_segment};

    #[test]
    fn hashed_assets_are_immutable_and_the_rest_is_revalidated() {
        let immutable = "public, max-age=31536000, immutable";
        assert_eq!(
            cache_policy("hitl-dashboard-7b586a284f3aad53_bg.wasm"),
            immutable
        );
        assert_eq!(
            cache_policy("hitl-dashboard-7b586a284f3aad53.js"),
            immutable
        );
        assert_eq!(cache_policy("main-cdf2d024b3d0927.css"), immutable); // 15 digits
        assert_eq!(cache_policy("favicon-6f721f08.svg"), immutable);
        assert_eq!(cache_policy("index.html"), "no-cache");
        assert_eq!(cache_policy("404.html"), "no-cache");
        assert_eq!(cache_policy("main.css"), "no-cache");
        assert_eq!(cache_policy("app-1234567.js"), "no-cache"); // 7 digits
        assert_eq!(cache_policy("app-0123456789abcdef0.js"), "no-cache"); // 17 digits
        assert_eq!(cache_policy("app-7B586A28.js"), "no-cache"); // Trunk writes lower case
        assert_eq!(cache_policy("-7b586a284f3aad53.js"), "no-cache");
        assert_eq!(cache_policy("report-7b586a284f3aad53.json"), "no-cache");
        assert_eq!(cache_policy(""), "no-cache");
    }

    #[test]
    fn extension_is_read_from_the_last_segment_only() {
        assert_eq!(last_segment("/some/deep/link"), "link");
        assert_eq!(last_segment("/v1.2/link"), "link");
        assert_eq!(last_segment("/pkg/app_bg.wasm"), "app_bg.wasm");
        assert_eq!(last_segment("/"), "");
    }
}

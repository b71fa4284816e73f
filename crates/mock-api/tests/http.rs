//! Real HTTP against the real binary: each test starts `mock-api --port 0 …`, reads the port
//! from the line it prints, and kills it when the guard drops.

use hitl_core::model::{HitlRequest, Loop, Status};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const KEY: &str = "demo-key";
const NOW: &str = "2024-03-15T10:45:00Z";

/// A running server; killed (and reaped) on drop so no process outlives its test.
struct Server {
    child: Child,
    base: String,
    agent: ureq::Agent,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mock-api"))
            .args(["--port", "0", "--now", NOW])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn mock-api");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .expect("read the listening line");
        let base = line
            .trim()
            .strip_prefix("mock-api listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_owned();
        // A new connection per call: a pooled keep-alive connection the server has just closed
        // fails the next call with "Peer disconnected" (browsers retry such a call; ureq does
        // not), which made a test fail now and then on a loaded machine.
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(20)))
            .max_idle_connections(0)
            .build()
            .into();
        Server { child, base, agent }
    }

    /// One call; `key` None sends no Authorization header.
    fn call(&self, method: &str, path: &str, key: Option<&str>) -> Resp {
        let auth = key.map(|k| format!("Bearer {k}"));
        let headers: Vec<(&str, &str)> = auth.iter().map(|a| ("Authorization", &a[..])).collect();
        self.call_with(method, path, &headers)
    }

    /// One call with these request headers.
    fn call_with(&self, method: &str, path: &str, headers: &[(&str, &str)]) -> Resp {
        let url = format!("{}{path}", self.base);
        let mut req = ureq::http::Request::builder().method(method).uri(url);
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        let mut resp = self
            .agent
            .run(req.body(()).unwrap())
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
            .collect();
        let body = resp.body_mut().read_to_string().unwrap_or_default();
        Resp {
            status: resp.status().as_u16(),
            headers,
            body,
        }
    }

    fn get(&self, path: &str) -> Resp {
        self.call("GET", path, Some(KEY))
    }

    /// `data` of a successful list call.
    fn page(&self, query: &str) -> Value {
        let r = self.get(&format!("/v1/api/requests{query}"));
        assert_eq!(r.status, 200, "{query}: {}", r.body);
        let v = r.json();
        assert_eq!(v["msg"], "Requests retrieved successfully");
        assert_eq!(v["error"], false);
        v["data"].clone()
    }

    fn dataset(&self) -> (Vec<HitlRequest>, Vec<Loop>) {
        let v = self.call("GET", "/__mock/dataset", None).json();
        (
            serde_json::from_value(v["requests"].clone()).unwrap(),
            serde_json::from_value(v["loops"].clone()).unwrap(),
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Resp {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    fn has_cors_headers(&self) -> bool {
        self.headers
            .iter()
            .any(|(k, _)| k.to_ascii_lowercase().starts_with("access-control-"))
    }
}

fn ids(page: &Value) -> Vec<String> {
    page["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn list_default_page() {
    let s = Server::start(&["--records", "237"]);
    let page = s.page("");
    assert_eq!(page["count"], 50);
    assert_eq!(page["total"], 237);
    assert_eq!(page["has_more"], true);
    assert_eq!(
        page["pagination"],
        json!({"limit": 50, "offset": 0, "next_offset": 50})
    );
    let (all, _) = s.dataset();
    let expected: Vec<String> = all.iter().take(50).map(|r| r.id.clone()).collect();
    assert_eq!(ids(&page), expected, "newest first");
    // Every documented list field is present on a row.
    let row = &page["requests"][0];
    for f in [
        "id",
        "loop_id",
        "processing_type",
        "type",
        "priority",
        "request_text",
        "response_type",
        "status",
        "response_data",
        "response_by",
        "response_at",
        "response_time_seconds",
        "timeout_at",
        "created_at",
        "updated_at",
    ] {
        assert!(row.get(f).is_some(), "missing {f}");
    }
}

#[test]
fn every_filter_narrows_and_totals_add_up() {
    let s = Server::start(&["--records", "200"]);
    let (all, loops) = s.dataset();
    let mut sum = 0;
    for status in ["pending", "completed", "timeout", "cancelled"] {
        let page = s.page(&format!("?status={status}&limit=100"));
        let total = page["total"].as_u64().unwrap();
        let expected = all.iter().filter(|r| r.status.as_str() == status).count() as u64;
        assert_eq!(total, expected, "{status}");
        assert!(total > 0 && total < 200, "{status} narrows: {total}");
        assert!(page["requests"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] == status));
        sum += total;
    }
    assert_eq!(sum, 200);
    let mut sum = 0;
    for priority in ["low", "medium", "high", "critical"] {
        let page = s.page(&format!("?priority={priority}&limit=1"));
        let total = page["total"].as_u64().unwrap();
        assert!(total > 0 && total < 200, "{priority}: {total}");
        assert_eq!(page["requests"][0]["priority"], priority);
        sum += total;
    }
    assert_eq!(sum, 200);
    let mut sum = 0;
    for lp in &loops {
        let page = s.page(&format!("?loop_id={}&limit=1", lp.id));
        assert_eq!(page["requests"][0]["loop_id"], lp.id.as_str());
        sum += page["total"].as_u64().unwrap();
    }
    assert_eq!(sum, 200);
    // Filters combine.
    let both = s.page("?status=completed&priority=critical&limit=100");
    let expected = all
        .iter()
        .filter(|r| r.status == Status::Completed && r.priority.as_str() == "critical")
        .count();
    assert_eq!(both["total"], expected as u64);
    assert_eq!(s.page("?loop_id=000000000000000000000000")["total"], 0);
}

#[test]
fn each_sort_orders_the_whole_set() {
    let s = Server::start(&["--records", "90"]);
    let (all, _) = s.dataset();
    let rows = |sort: &str| -> Vec<HitlRequest> {
        let page = s.page(&format!("?sort={sort}&limit=100"));
        assert_eq!(page["count"], 90);
        serde_json::from_value(page["requests"].clone()).unwrap()
    };
    let desc = rows("created_at_desc");
    assert_eq!(
        desc.iter().map(|r| &r.id).collect::<Vec<_>>(),
        all.iter().map(|r| &r.id).collect::<Vec<_>>()
    );
    assert!(desc.windows(2).all(|w| w[0].created_at >= w[1].created_at));
    let asc = rows("created_at_asc");
    assert!(asc.windows(2).all(|w| w[0].created_at <= w[1].created_at));
    assert_eq!(asc.first().unwrap().id, desc.last().unwrap().id);
    let by_priority = rows("priority_desc");
    assert!(by_priority
        .windows(2)
        .all(|w| w[0].priority.rank() >= w[1].priority.rank()));
    assert_eq!(by_priority[0].priority.as_str(), "critical");
    let by_status = rows("status_asc");
    assert!(by_status
        .windows(2)
        .all(|w| w[0].status.as_str() <= w[1].status.as_str()));
    let r = s.get("/v1/api/requests?sort=newest");
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["msg"], "Invalid sort value");
}

#[test]
fn limit_offset_and_created_before() {
    let s = Server::start(&["--records", "95"]);
    let (all, _) = s.dataset();
    let page = s.page("?limit=10&offset=20");
    let expected: Vec<String> = all[20..30].iter().map(|r| r.id.clone()).collect();
    assert_eq!(ids(&page), expected);
    assert_eq!(
        page["pagination"],
        json!({"limit": 10, "offset": 20, "next_offset": 30})
    );
    assert_eq!(page["has_more"], true);
    let last = s.page("?limit=10&offset=90");
    assert_eq!(
        (last["count"].clone(), last["has_more"].clone()),
        (json!(5), json!(false))
    );
    let past = s.page("?offset=500");
    assert_eq!(
        (past["count"].clone(), past["total"].clone()),
        (json!(0), json!(95))
    );
    // Cursor paging: strictly older than the 10th row.
    let cursor = all[9].created_at.unwrap().to_rfc3339();
    let q = format!("?limit=5&created_before={}", cursor.replace('+', "%2B"));
    let page = s.page(&q);
    let older = all
        .iter()
        .filter(|r| r.created_at < all[9].created_at)
        .count();
    assert_eq!(page["total"], older as u64);
    assert_eq!(page["requests"][0]["id"], all[10].id.as_str());
    let r = s.get("/v1/api/requests?created_before=yesterday");
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["msg"], "Invalid pagination parameters");
}

#[test]
fn documented_400_bodies_exactly() {
    let s = Server::start(&[]);
    let r = s.get("/v1/api/requests?status=bogus");
    assert_eq!(r.status, 400);
    assert_eq!(
        r.body,
        r#"{"error":true,"msg":"Invalid status filter value","data":"status must be one of: pending, completed, timeout, cancelled"}"#
    );
    let r = s.get("/v1/api/requests?limit=500");
    assert_eq!(r.status, 400);
    assert_eq!(
        r.body,
        r#"{"error":true,"msg":"Invalid pagination parameters","data":"limit must be between 1 and 100"}"#
    );
    assert_eq!(r.header("content-type"), Some("application/json"));
}

#[test]
fn missing_or_wrong_key_is_401_and_not_counted() {
    let s = Server::start(&["--quota", "1"]);
    let body = r#"{"error":true,"msg":"Invalid or missing API key","data":null}"#;
    for key in [None, Some("wrong-key")] {
        let r = s.call("GET", "/v1/api/requests", key);
        assert_eq!((r.status, r.body.as_str()), (401, body));
        assert!(r.header("x-ratelimit-limit").is_none());
    }
    // Not counted against the quota: the one allowed call still succeeds.
    assert_eq!(s.get("/v1/api/loops").status, 200);
    assert_eq!(s.get("/v1/api/loops").status, 429);
}

#[test]
fn quota_429_exact_body_headers_and_window_reset() {
    let s = Server::start(&["--quota", "3", "--key", "a", "--key", "b"]);
    let call = |key| s.call("GET", "/v1/api/requests?limit=1", Some(key));
    // A refused query counts too.
    let r = s.call("GET", "/v1/api/requests?status=bogus", Some("a"));
    assert_eq!(
        (r.status, r.header("x-ratelimit-remaining")),
        (400, Some("2"))
    );
    assert_eq!(call("a").header("x-ratelimit-remaining"), Some("1"));
    assert_eq!(call("a").header("x-ratelimit-remaining"), Some("0"));
    let r = call("a");
    assert_eq!(r.status, 429);
    assert_eq!(
        r.body,
        r#"{"error":true,"msg":"API key request limit exceeded","data":{"usage_count":3,"usage_limit":3,"remaining":0}}"#
    );
    assert_eq!(r.header("x-ratelimit-limit"), Some("3"));
    assert_eq!(r.header("x-ratelimit-remaining"), Some("0"));
    let reset: u64 = r.header("x-ratelimit-reset").unwrap().parse().unwrap();
    // The window runs on the mock's clock (`--now` plus the time since start), not this
    // machine's date; a minute of slack for a slow start.
    let start = chrono::DateTime::parse_from_rfc3339(NOW)
        .unwrap()
        .timestamp() as u64;
    assert!(
        reset > start + 3600 && reset <= start + 3660,
        "reset {reset} vs --now {start}"
    );
    // Quotas are per key.
    assert_eq!(call("b").status, 200);

    let s = Server::start(&["--quota", "2", "--quota-window-secs", "1"]);
    assert_eq!(s.get("/v1/api/loops").status, 200);
    assert_eq!(s.get("/v1/api/loops").status, 200);
    assert_eq!(s.get("/v1/api/loops").status, 429);
    std::thread::sleep(Duration::from_millis(1200));
    let r = s.get("/v1/api/loops");
    assert_eq!(r.status, 200, "a new window: {}", r.body);
    assert_eq!(r.header("x-ratelimit-remaining"), Some("1"));
}

#[test]
fn cors_preflight_and_expose_header_per_flags() {
    let s = Server::start(&[]);
    let r = s.call("OPTIONS", "/v1/api/requests/abc", None);
    assert_eq!(r.status, 204);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(
        r.header("access-control-allow-methods"),
        Some("GET, DELETE, OPTIONS")
    );
    assert_eq!(
        r.header("access-control-allow-headers"),
        Some("Authorization, Content-Type")
    );
    assert_eq!(r.header("access-control-max-age"), Some("600"));
    let expose = "X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset";
    let r = s.get("/v1/api/loops");
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(r.header("access-control-expose-headers"), Some(expose));
    let r = s.call("GET", "/v1/api/loops", None);
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("*"),
        "401 is readable too"
    );
    // Preflights are free.
    assert_eq!(s.call("GET", "/__mock/stats", None).json()["calls"], 2);

    let s = Server::start(&["--expose-rate-headers", "off"]);
    let r = s.get("/v1/api/loops");
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(r.header("access-control-expose-headers"), None);
    assert!(r.header("x-ratelimit-limit").is_some());

    let s = Server::start(&["--cors", "off"]);
    for r in [
        s.get("/v1/api/loops"),
        s.get("/v1/api/requests?status=bogus"),
        s.call("GET", "/v1/api/loops", None),
        s.call("OPTIONS", "/v1/api/loops", None),
    ] {
        assert!(!r.has_cors_headers(), "{:?}", r.headers);
    }
}

#[test]
fn fail_every_2_gives_500_envelope() {
    let s = Server::start(&["--fail-every", "2"]);
    let statuses: Vec<u16> = (0..6).map(|_| s.get("/v1/api/loops").status).collect();
    assert_eq!(statuses, [200, 500, 200, 500, 200, 500]);
    let r = s.get("/v1/api/requests");
    assert_eq!(r.status, 200);
    let r = s.get("/v1/api/requests");
    assert_eq!(
        (r.status, r.body.as_str()),
        (
            500,
            r#"{"error":true,"msg":"Internal server error","data":null}"#
        )
    );
    assert!(r.header("x-ratelimit-limit").is_some());
}

#[test]
fn malformed_kind_gives_a_body_that_is_not_json() {
    let s = Server::start(&["--fail-every", "1", "--fail-kind", "malformed"]);
    for path in ["/v1/api/requests", "/v1/api/loops"] {
        let r = s.get(path);
        assert_eq!(r.status, 200);
        assert!(r.body.starts_with('{'), "{}", r.body);
        assert!(
            serde_json::from_str::<Value>(&r.body).is_err(),
            "{}",
            r.body
        );
    }
    let r = s.call("DELETE", "/v1/api/requests/x", Some(KEY));
    assert!(serde_json::from_str::<Value>(&r.body).is_err());
}

#[test]
fn one_request_with_detail_and_404() {
    let s = Server::start(&[]);
    let (all, _) = s.dataset();
    let r = s.get(&format!("/v1/api/requests/{}", all[3].id));
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v["msg"], "Request retrieved successfully");
    let req = &v["data"]["request"];
    assert_eq!(req["id"], all[3].id.as_str());
    let bc = req["broadcasted_to"].as_array().unwrap();
    assert!(!bc.is_empty());
    for f in [
        "user_id",
        "email",
        "role",
        "notification_sent",
        "notification_error",
    ] {
        assert!(bc[0].get(f).is_some(), "broadcast missing {f}");
    }
    for f in [
        "creator_id",
        "api_key_id",
        "context",
        "response_config",
        "default_response",
    ] {
        assert!(!req[f].is_null(), "missing {f}");
    }
    let r = s.get("/v1/api/requests/ffffffffffffffffffffffff");
    assert_eq!(r.status, 404);
    assert_eq!(
        r.json(),
        json!({"error": true, "msg": "Request not found",
               "data": "no request with id ffffffffffffffffffffffff"})
    );
}

#[test]
fn cancel_pending_then_visible_and_refusals() {
    let s = Server::start(&[]);
    let (all, loops) = s.dataset();
    let pending = all.iter().find(|r| r.status == Status::Pending).unwrap();
    let pending_before = loops
        .iter()
        .find(|l| l.id == pending.loop_id)
        .unwrap()
        .pending_count;
    let r = s.call(
        "DELETE",
        &format!("/v1/api/requests/{}", pending.id),
        Some(KEY),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(v["msg"], "Request cancelled successfully");
    assert_eq!(v["data"]["request"]["status"], "cancelled");
    assert_ne!(v["data"]["request"]["updated_at"], json!(null));

    let cancelled = s.page("?status=cancelled&limit=100");
    assert!(ids(&cancelled).contains(&pending.id));
    let (after, loops) = s.dataset();
    let now = after.iter().find(|r| r.id == pending.id).unwrap();
    assert_eq!(now.status, Status::Cancelled);
    let l = loops.iter().find(|l| l.id == pending.loop_id).unwrap();
    assert_eq!(l.pending_count, pending_before - 1);

    let r = s.call(
        "DELETE",
        &format!("/v1/api/requests/{}", pending.id),
        Some(KEY),
    );
    assert_eq!(r.status, 400);
    let completed = all.iter().find(|r| r.status == Status::Completed).unwrap();
    let r = s.call(
        "DELETE",
        &format!("/v1/api/requests/{}", completed.id),
        Some(KEY),
    );
    assert_eq!(r.status, 400);
    let v = r.json();
    assert_eq!(v["msg"], "Request cannot be cancelled");
    assert_eq!(v["error"], true);
    let r = s.call("DELETE", "/v1/api/requests/nope", Some(KEY));
    assert_eq!(r.status, 404);
}

#[test]
fn loops_endpoint() {
    let s = Server::start(&[]);
    let r = s.get("/v1/api/loops");
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v["msg"], "Loops retrieved successfully");
    let (_, loops) = s.dataset();
    assert_eq!(v["data"]["count"], loops.len() as u64);
    let got: Vec<Loop> = serde_json::from_value(v["data"]["loops"].clone()).unwrap();
    assert_eq!(got, loops);
    assert!(!got[0].members.is_empty());
    assert!(!got[0].members[0].email.is_empty());
}

#[test]
fn mock_stats_count_and_log_without_the_key() {
    let s = Server::start(&[]);
    s.get("/v1/api/requests?status=pending");
    s.call("GET", "/v1/api/loops", None);
    s.call("OPTIONS", "/v1/api/loops", None);
    s.call("DELETE", "/v1/api/requests/nope", Some(KEY));
    let r = s.call("GET", "/__mock/stats", None);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert!(!r.body.contains(KEY), "the key is never logged");
    assert_eq!(
        r.json(),
        json!({"calls": 3, "max_in_flight": 1, "log": [
            {"method": "GET", "uri": "/v1/api/requests?status=pending", "status": 200, "auth": true},
            {"method": "GET", "uri": "/v1/api/loops", "status": 401, "auth": false},
            {"method": "DELETE", "uri": "/v1/api/requests/nope", "status": 404, "auth": true},
        ]})
    );
    let r = s.call("POST", "/__mock/reset-stats", None);
    assert_eq!(r.status, 200);
    assert_eq!(
        s.call("GET", "/__mock/stats", None).json(),
        json!({"calls": 0, "max_in_flight": 0, "log": []})
    );
    // Unknown API paths are authenticated, counted and answered with an envelope.
    let r = s.get("/v1/api/nothing");
    assert_eq!(
        (r.status, r.json()["msg"].clone()),
        (404, json!("Not found"))
    );
    let r = s.call("POST", "/v1/api/requests", Some(KEY));
    assert_eq!(r.status, 405);
    assert_eq!(s.call("GET", "/__mock/stats", None).json()["calls"], 2);
}

#[test]
fn mock_stats_report_the_most_calls_answered_at_once() {
    let s = Server::start(&["--latency-ms", "300"]);
    // Three calls at once (each held 300 ms by the latency), then one alone.
    std::thread::scope(|scope| {
        for _ in 0..3 {
            scope.spawn(|| assert_eq!(s.get("/v1/api/requests?limit=1").status, 200));
        }
    });
    s.get("/v1/api/loops");
    let stats = s.call("GET", "/__mock/stats", None).json();
    assert_eq!(stats["calls"], 4);
    assert_eq!(stats["max_in_flight"], 3);
    s.call("POST", "/__mock/reset-stats", None);
    s.get("/v1/api/loops");
    s.get("/v1/api/loops");
    assert_eq!(
        s.call("GET", "/__mock/stats", None).json()["max_in_flight"],
        1
    );
}

#[test]
fn static_files_wasm_and_spa_fallback() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("mock-api-static");
    std::fs::create_dir_all(dir.join("pkg")).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><title>HITL</title>").unwrap();
    std::fs::write(dir.join("pkg/app_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(dir.join("pkg/app.js"), "export {};").unwrap();
    std::fs::write(dir.join("style.css"), "body{}").unwrap();
    let s = Server::start(&["--static", dir.to_str().unwrap()]);
    for path in ["/", "/index.html", "/some/deep/link"] {
        let r = s.call("GET", path, None);
        assert_eq!(r.status, 200, "{path}");
        assert!(
            r.header("content-type").unwrap().starts_with("text/html"),
            "{path}"
        );
        assert!(r.body.contains("<title>HITL</title>"), "{path}");
    }
    let ct = |path| {
        s.call("GET", path, None)
            .header("content-type")
            .map(str::to_owned)
    };
    assert_eq!(ct("/pkg/app_bg.wasm").as_deref(), Some("application/wasm"));
    assert!(ct("/pkg/app.js").unwrap().starts_with("text/javascript"));
    assert!(ct("/style.css").unwrap().starts_with("text/css"));
    assert_eq!(s.call("GET", "/pkg/missing.js", None).status, 404);
    // The API and the introspection paths are not shadowed by the fallback.
    assert_eq!(s.call("GET", "/v1/api/loops", None).status, 401);
    assert_eq!(s.get("/v1/api/loops").status, 200);
    assert_eq!(s.call("GET", "/__mock/nothing", None).status, 404);
}

#[test]
fn static_files_cache_like_the_deployment() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("mock-api-static-cache");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><title>HITL</title>").unwrap();
    std::fs::write(dir.join("app-7b586a284f3aad53_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(dir.join("main-cdf2d024b3d0927.css"), "body{}").unwrap();
    std::fs::write(dir.join("plain.css"), "body{}").unwrap();
    let s = Server::start(&["--static", dir.to_str().unwrap()]);
    let cc = |path| {
        let r = s.call("GET", path, None);
        assert_eq!(r.status, 200, "{path}");
        r.header("cache-control").map(str::to_owned)
    };
    let immutable = Some("public, max-age=31536000, immutable");
    assert_eq!(cc("/app-7b586a284f3aad53_bg.wasm").as_deref(), immutable);
    assert_eq!(cc("/main-cdf2d024b3d0927.css").as_deref(), immutable);
    for path in ["/", "/index.html", "/some/deep/link", "/plain.css"] {
        assert_eq!(cc(path).as_deref(), Some("no-cache"), "{path}");
    }
    // A miss is not cached as if it were an asset.
    let r = s.call("GET", "/app-0123456789abcdef_bg.wasm", None);
    assert_eq!(r.status, 404);
    assert_eq!(r.header("cache-control"), None);
}

#[test]
fn static_files_send_the_precompressed_copies_clients_accept() {
    let dir =
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("mock-api-static-precompressed");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><title>HITL</title>").unwrap();
    let wasm = "app-7b586a284f3aad53_bg.wasm";
    std::fs::write(dir.join(wasm), "raw module").unwrap();
    // Markers, not real streams: what is checked is which file is sent, and how it is labelled.
    std::fs::write(dir.join(format!("{wasm}.br")), "brotli copy").unwrap();
    std::fs::write(dir.join(format!("{wasm}.gz")), "gzip copy").unwrap();
    std::fs::write(dir.join("only-gzip-7b586a284f3aad53.js"), "raw script").unwrap();
    std::fs::write(dir.join("only-gzip-7b586a284f3aad53.js.gz"), "gzip script").unwrap();
    let s = Server::start(&["--static", dir.to_str().unwrap()]);
    let get = |path: &str, accept: &str| {
        let r = s.call_with("GET", path, &[("Accept-Encoding", accept)]);
        assert_eq!(r.status, 200, "{path} ({accept})");
        r
    };
    for (accept, body, encoding) in [
        ("br, gzip", "brotli copy", Some("br")),
        ("gzip, deflate, br", "brotli copy", Some("br")),
        ("gzip", "gzip copy", Some("gzip")),
        ("identity", "raw module", None),
    ] {
        let r = get(&format!("/{wasm}"), accept);
        assert_eq!(r.body, body, "{accept}");
        assert_eq!(r.header("content-encoding"), encoding, "{accept}");
        // The type is the asset's, whichever copy is sent; it stays cached for a year.
        assert_eq!(
            r.header("content-type"),
            Some("application/wasm"),
            "{accept}"
        );
        assert_eq!(
            r.header("cache-control"),
            Some("public, max-age=31536000, immutable"),
            "{accept}"
        );
    }
    assert!(get(&format!("/{wasm}"), "br")
        .header("vary")
        .is_some_and(|v| v.eq_ignore_ascii_case("accept-encoding")));
    // No .br copy: a client accepting both gets the .gz one.
    let r = get("/only-gzip-7b586a284f3aad53.js", "br, gzip");
    assert_eq!(
        (r.body.as_str(), r.header("content-encoding")),
        ("gzip script", Some("gzip"))
    );
    // No copies at all (index.html): the file itself.
    let r = get("/", "br, gzip");
    assert_eq!(r.header("content-encoding"), None);
    assert!(r.body.contains("<title>HITL</title>"));
}

#[test]
fn hostile_every_puts_hostile_text_in_request_text() {
    let s = Server::start(&["--hostile-every", "3"]);
    let page = s.page("?limit=12");
    let texts: Vec<&str> = page["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["request_text"].as_str().unwrap())
        .collect();
    for (i, text) in texts.iter().enumerate() {
        assert_eq!(
            hitl_core::demo::HOSTILE.contains(text),
            i % 3 == 0,
            "row {i}: {text}"
        );
    }
    assert!(texts.iter().any(|t| t.contains("<script>")));
}

#[test]
fn latency_delays_each_api_call() {
    let s = Server::start(&["--latency-ms", "300"]);
    let t = Instant::now();
    assert_eq!(s.get("/v1/api/loops").status, 200);
    assert!(t.elapsed() >= Duration::from_millis(300));
    let t = Instant::now();
    s.call("GET", "/__mock/stats", None);
    assert!(
        t.elapsed() < Duration::from_millis(300),
        "introspection is not delayed"
    );
}

#[test]
fn help_lists_every_flag_and_bad_flags_fail() {
    let out = Command::new(env!("CARGO_BIN_EXE_mock-api"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for flag in [
        "--port",
        "--key",
        "--records",
        "--seed",
        "--now",
        "--quota",
        "--quota-window-secs",
        "--latency-ms",
        "--fail-every",
        "--fail-kind",
        "--hostile-every",
        "--cors",
        "--expose-rate-headers",
        "--static",
        "--churn-after",
        "--churn-count",
        "--churn-times",
    ] {
        assert!(help.contains(flag), "--help lacks {flag}");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_mock-api"))
        .args(["--fail-kind", "sometimes"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn churn_answers_the_newest_pending_requests_after_the_nth_list_call() {
    let s = Server::start(&[
        "--records",
        "2000",
        "--churn-after",
        "2",
        "--churn-count",
        "3",
        "--churn-times",
        "2",
    ]);
    let (before, _) = s.dataset();
    let pending: Vec<&HitlRequest> = before
        .iter()
        .filter(|r| r.status == Status::Pending)
        .collect();
    let q = "?status=pending&limit=100";
    let total = |p: &Value| p["total"].as_u64().unwrap();
    // Calls 1 and 2 see the data as generated; the change comes right after call 2.
    assert_eq!(total(&s.page(q)), pending.len() as u64);
    assert_eq!(total(&s.page("?limit=1")), before.len() as u64);
    let third = s.page(q);
    assert_eq!(total(&third), pending.len() as u64 - 3);
    assert_eq!(ids(&third)[0], pending[3].id);
    let (after, loops) = s.dataset();
    for r in pending.iter().take(3) {
        let now = after.iter().find(|a| a.id == r.id).unwrap();
        assert_eq!(now.status, Status::Completed);
        assert!(now.response_data.is_some() && now.response_at.is_some());
        assert!(now.response_time_seconds.unwrap() > 0.0);
        let member = now.response_by.as_deref().unwrap();
        let lp = loops.iter().find(|l| l.id == now.loop_id).unwrap();
        assert!(lp.members.iter().any(|m| m.user_id == member));
    }
    let pending_now = after.iter().filter(|r| r.status == Status::Pending).count() as u64;
    assert_eq!(
        loops.iter().map(|l| l.pending_count).sum::<u64>(),
        pending_now
    );
    // The second (last) churn comes after call 4.
    assert_eq!(total(&s.page(q)), pending.len() as u64 - 3);
    assert_eq!(total(&s.page(q)), pending.len() as u64 - 6);
    s.page(q);
    assert_eq!(total(&s.page(q)), pending.len() as u64 - 6, "only 2 churns");
    // reset-stats restarts the schedule: 2 more churns, after calls 2 and 4 from here.
    s.call("POST", "/__mock/reset-stats", None);
    assert_eq!(total(&s.page(q)), pending.len() as u64 - 6);
    assert_eq!(total(&s.page(q)), pending.len() as u64 - 6);
    assert_eq!(total(&s.page(q)), pending.len() as u64 - 9);
}

#[test]
fn change_moves_the_data_on_as_between_two_visits() {
    let s = Server::start(&[]);
    let (before, _) = s.dataset();
    let pending: Vec<&HitlRequest> = before
        .iter()
        .filter(|r| r.status == Status::Pending)
        .collect();
    assert!(pending.len() >= 4, "the data has pending requests");
    let body = r#"{"create": 3, "answer": 1, "time_out": 1, "cancel": 1,
                   "set_status": [["nope", "escalated"]]}"#;
    let url = format!("{}/__mock/change", s.base);
    let mut resp = s
        .agent
        .run(
            ureq::http::Request::builder()
                .method("POST")
                .uri(url)
                .body(body.to_owned())
                .unwrap(),
        )
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let changed: Value = serde_json::from_str(&resp.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(changed["created"].as_array().unwrap().len(), 3);
    assert_eq!(changed["set_status"], serde_json::json!([]));
    let (after, loops) = s.dataset();
    assert_eq!(after.len(), before.len() + 3);
    // The new requests are the newest, pending, and listed first by the API.
    let created: Vec<&str> = changed["created"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let first: Vec<&str> = after[..3].iter().map(|r| r.id.as_str()).collect();
    assert_eq!(first, created);
    assert!(after[..3].iter().all(|r| r.status == Status::Pending));
    let status_of = |id: &Value| {
        let id = id.as_str().unwrap();
        after.iter().find(|r| r.id == id).unwrap().status.clone()
    };
    assert_eq!(status_of(&changed["answered"][0]), Status::Completed);
    assert_eq!(status_of(&changed["timed_out"][0]), Status::Timeout);
    assert_eq!(status_of(&changed["cancelled"][0]), Status::Cancelled);
    // Loops' pending counts stay true.
    for lp in &loops {
        let n = after
            .iter()
            .filter(|r| r.loop_id == lp.id && r.status == Status::Pending)
            .count() as u64;
        assert_eq!(lp.pending_count, n, "{}", lp.name);
    }
    // Any status, undocumented ones included.
    let id = after[5].id.clone();
    let body = format!(r#"{{"set_status": [["{id}", "escalated"]]}}"#);
    let resp = s
        .agent
        .run(
            ureq::http::Request::builder()
                .method("POST")
                .uri(format!("{}/__mock/change", s.base))
                .body(body)
                .unwrap(),
        )
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let (after, _) = s.dataset();
    assert_eq!(after[5].status.as_str(), "escalated");
}

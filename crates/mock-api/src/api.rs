//! The contract's endpoints. Each one is a thin adapter: parsing, filtering, sorting, paging and
//! cancel rules all come from `hitl_core`, so the mock, the in-browser demo and the dashboard
//! agree by construction. Auth, quota and faults happened before these run (see `gate`).

use axum::extract::{Path, RawQuery, State};
use axum::http::{Method, Uri};
use axum::response::Response;
use hitl_core::contract;
use hitl_core::model::{HitlRequest, Loop, LoopList, RequestEnvelopeData};
use hitl_core::RequestQuery;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::VecDeque;

use crate::reply;
use crate::state::{LogEntry, Shared};

/// `GET /v1/api/requests`: the raw query string is validated exactly as the API does.
pub async fn list_requests(State(s): State<Shared>, RawQuery(raw): RawQuery) -> Response {
    let q = match RequestQuery::from_query_string(raw.as_deref().unwrap_or("")) {
        Ok(q) => q,
        Err(e) => return reply::err(400, e.msg, Value::String(e.data)),
    };
    let now = s.clock();
    let page = {
        let mut inner = s.lock();
        let page = contract::list(&inner.dataset.requests, &q);
        inner.count_list_call(&s.cfg, now);
        page
    };
    reply::ok("Requests retrieved successfully", page)
}

/// `GET /v1/api/requests/{id}`.
pub async fn get_request(State(s): State<Shared>, Path(id): Path<String>) -> Response {
    let found = contract::find(&s.lock().dataset.requests, &id).cloned();
    match found {
        Some(request) => reply::ok(
            "Request retrieved successfully",
            RequestEnvelopeData { request },
        ),
        None => reply::refusal(contract::not_found(&id)),
    }
}

/// `DELETE /v1/api/requests/{id}`: only pending requests can be cancelled.
pub async fn cancel_request(State(s): State<Shared>, Path(id): Path<String>) -> Response {
    let now = s.clock();
    let result = {
        let mut inner = s.lock();
        let result = contract::cancel(&mut inner.dataset.requests, &id, now);
        if result.is_ok() {
            inner.recount_pending();
        }
        result
    };
    match result {
        Ok(_) if s.cfg.cancel_no_content => reply::with_body(204, Vec::new()),
        Ok(request) => reply::ok(
            "Request cancelled successfully",
            RequestEnvelopeData { request },
        ),
        Err(refusal) => reply::refusal(refusal),
    }
}

/// `GET /v1/api/loops`.
pub async fn loops(State(s): State<Shared>) -> Response {
    let loops = s.lock().dataset.loops.clone();
    let count = loops.len() as u64;
    reply::ok("Loops retrieved successfully", LoopList { loops, count })
}

/// Any other `/v1` path (after auth, so probing costs quota like the real API would).
pub async fn unknown_route(method: Method, uri: Uri) -> Response {
    reply::err(
        404,
        "Not found",
        json!(format!("no route for {method} {}", uri.path())),
    )
}

/// A known path with a method it does not support.
pub async fn method_not_allowed(method: Method, uri: Uri) -> Response {
    reply::err(
        405,
        "Method not allowed",
        json!(format!("{method} is not supported on {}", uri.path())),
    )
}

/// The `/__mock/stats` body (a struct, so the keys keep this order).
#[derive(Serialize)]
struct Stats<'a> {
    calls: u64,
    /// The most `/v1` calls being answered at once since the last reset.
    max_in_flight: u64,
    log: &'a VecDeque<LogEntry>,
}

/// `GET /__mock/stats`: how many `/v1` calls were made (preflights excluded), the most at once,
/// and each one.
pub async fn stats(State(s): State<Shared>) -> Response {
    let inner = s.lock();
    reply::json(
        200,
        &Stats {
            calls: inner.calls,
            max_in_flight: inner.max_in_flight,
            log: &inner.log,
        },
    )
}

/// `POST /__mock/reset-stats`: forget the calls so far (quota windows are kept); the
/// `--churn-after` schedule starts again (list calls counted from 0, `--churn-times` again).
pub async fn reset_stats(State(s): State<Shared>) -> Response {
    let mut inner = s.lock();
    inner.calls = 0;
    inner.restart_churn();
    inner.log.clear();
    inner.max_in_flight = inner.in_flight;
    reply::json(
        200,
        &Stats {
            calls: 0,
            max_in_flight: inner.max_in_flight,
            log: &inner.log,
        },
    )
}

/// The `/__mock/dataset` body.
#[derive(Serialize)]
struct DatasetDump<'a> {
    requests: Vec<&'a HitlRequest>,
    loops: &'a [Loop],
}

/// `GET /__mock/dataset`: every list object in its current state (newest first) and the loops,
/// so tests can compute the answer they expect.
pub async fn dataset(State(s): State<Shared>) -> Response {
    let inner = s.lock();
    let dump = DatasetDump {
        requests: inner.dataset.list_objects().collect(),
        loops: &inner.dataset.loops,
    };
    reply::json(200, &dump)
}

/// `POST /__mock/change`: moves the data on, as reviewers and clients would between two visits,
/// at the mock's clock. The body is a JSON object, every field optional: `answer` (the newest
/// pending are completed), `time_out` (the oldest pending time out), `cancel` (the oldest
/// pending are cancelled), then `create` (new pending requests, newest), `set_status` (a list of
/// `[id, status]`, any status, undocumented ones included). Answers the ids changed per kind.
pub async fn change(State(s): State<Shared>, body: String) -> Response {
    let Ok(Value::Object(asked)) = serde_json::from_str::<Value>(&body) else {
        return reply::json(
            400,
            &json!({"error": true, "msg": "expected a JSON object"}),
        );
    };
    let count = |k: &str| asked.get(k).and_then(Value::as_u64).unwrap_or(0) as usize;
    let now = s.clock();
    let mut inner = s.lock();
    let data = &mut inner.dataset;
    // The changes to requests already there first, then the new ones (which stay pending).
    let answered = data.answer_newest_pending(count("answer"), now);
    let timed_out = data.time_out_oldest_pending(count("time_out"), now);
    let oldest_pending: Vec<String> = data
        .list_objects()
        .filter(|r| r.status == hitl_core::Status::Pending)
        .map(|r| r.id.clone())
        .collect();
    let cancelled: Vec<String> = oldest_pending
        .iter()
        .rev()
        .take(count("cancel"))
        .filter(|id| contract::cancel(&mut data.requests, id, now).is_ok())
        .cloned()
        .collect();
    let created = data.create_pending(count("create"), now);
    let mut set = Vec::new();
    for pair in asked
        .get("set_status")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let (Some(id), Some(status)) = (
            pair.get(0).and_then(Value::as_str),
            pair.get(1).and_then(Value::as_str),
        ) {
            let status = hitl_core::Status::from_wire(status);
            if data.set_status(id, status, now) {
                set.push(id.to_owned());
            }
        }
    }
    inner.recount_pending();
    reply::json(
        200,
        &json!({
            "created": created,
            "answered": answered,
            "timed_out": timed_out,
            "cancelled": cancelled,
            "set_status": set,
        }),
    )
}

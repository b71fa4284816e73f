//! The list endpoint's semantics over an in-memory slice: filter, server sort, `created_before`,
//! limit/offset, `total`/`has_more`/`next_offset`. One implementation serves the native mock
//! server and the in-browser demo source, so both behave exactly alike.
//!
//! Where the vendor's documentation is silent we chose, and document here:
//! - ties in every order are broken by `created_at` descending, then `id`, so pages never
//!   overlap or skip;
//! - `status_asc` orders by the status's wire name (cancelled, completed, pending, timeout);
//! - `next_offset` is `offset + limit` (the seed's example shows 50 after a first page of 50);
//! - `created_before` is a filter like the others: it narrows `total` too.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use std::borrow::Borrow;
use std::cmp::Ordering;

use crate::model::{HitlRequest, Pagination, RequestDetail, RequestPage, Status};
use crate::query::{RequestQuery, Sort};

/// True when `r` passes the query's filters (status, priority, loop, cursor).
pub fn matches(r: &HitlRequest, q: &RequestQuery) -> bool {
    q.status.as_ref().is_none_or(|s| &r.status == s)
        && q.priority.as_ref().is_none_or(|p| &r.priority == p)
        && q.loop_id.as_deref().is_none_or(|l| r.loop_id == l)
        && q.created_before
            .is_none_or(|cursor| r.created_at.is_some_and(|c| c < cursor))
}

/// The server's order for `sort`.
pub fn compare(sort: Sort, a: &HitlRequest, b: &HitlRequest) -> Ordering {
    let newest_first = || {
        b.created_at
            .cmp(&a.created_at)
            .then_with(|| b.id.cmp(&a.id))
    };
    match sort {
        Sort::CreatedAtDesc => newest_first(),
        Sort::CreatedAtAsc => a
            .created_at
            .cmp(&b.created_at)
            .then_with(|| a.id.cmp(&b.id)),
        Sort::PriorityDesc => b
            .priority
            .rank()
            .cmp(&a.priority.rank())
            .then_with(newest_first),
        Sort::StatusAsc => a
            .status
            .as_str()
            .cmp(b.status.as_str())
            .then_with(newest_first),
    }
}

/// One page of `all` as the API would answer `q`. `q` must be valid ([`RequestQuery::validate`]).
pub fn list<R: Borrow<HitlRequest>>(all: &[R], q: &RequestQuery) -> RequestPage {
    let matching: Vec<&HitlRequest> = all
        .iter()
        .map(Borrow::borrow)
        .filter(|r| matches(r, q))
        .collect();
    page_of(matching, q)
}

/// The page of `q` from the requests that match it. Not generic: [`list`] is instantiated for
/// each row type (in the browser: the demo's and a loaded set's), and only its filter needs to
/// be; the paging and sorting are compiled once.
fn page_of(mut matching: Vec<&HitlRequest>, q: &RequestQuery) -> RequestPage {
    let total = matching.len() as u64;
    let start = usize::try_from(q.offset)
        .unwrap_or(usize::MAX)
        .min(matching.len());
    let end = start.saturating_add(q.limit as usize).min(matching.len());
    // Only the rows up to the end of the page need to be in order.
    if end > 0 && end < matching.len() {
        matching.select_nth_unstable_by(end - 1, |a, b| compare(q.sort, a, b));
        matching.truncate(end);
    }
    crate::sorting::sort_stable(&mut matching, &|a, b| compare(q.sort, a, b));
    let requests: Vec<HitlRequest> = matching[start..end].iter().map(|r| (*r).clone()).collect();
    let count = requests.len() as u64;
    RequestPage {
        requests,
        count,
        total,
        has_more: q.offset + count < total,
        pagination: Pagination {
            limit: u64::from(q.limit),
            offset: q.offset,
            next_offset: q.offset + u64::from(q.limit),
        },
    }
}

/// The newest rows of a stored copy and how many it holds: enough to answer the unfiltered
/// first pages before the rest is read (a returning visit's first rows).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Head {
    /// The newest rows, newest first (ties as [`compare`] breaks them).
    pub rows: Vec<HitlRequest>,
    /// How many requests the whole copy holds.
    pub total: u64,
}

impl Head {
    /// The newest `n` of `all` (in any order).
    pub fn of<R: Borrow<HitlRequest>>(all: &[R], n: usize) -> Head {
        let mut rows: Vec<&HitlRequest> = all.iter().map(Borrow::borrow).collect();
        let total = rows.len() as u64;
        // The whole sort, not `select_nth_unstable_by`: that one would add a sort to the wasm.
        crate::sorting::sort_stable(&mut rows, &|a, b| compare(Sort::CreatedAtDesc, a, b));
        rows.truncate(n);
        Head {
            rows: rows.into_iter().cloned().collect(),
            total,
        }
    }

    /// The page `q` asks for, when these rows alone answer it exactly as [`list`] over the
    /// whole copy would: no filter, no cursor, newest first, and the page inside the head (or
    /// the head is the whole copy). `q` must be valid.
    pub fn list(&self, q: &RequestQuery) -> Option<RequestPage> {
        let unfiltered = q.status.is_none()
            && q.priority.is_none()
            && q.loop_id.is_none()
            && q.created_before.is_none()
            && q.sort == Sort::CreatedAtDesc;
        let held = self.rows.len() as u64;
        let inside = q.offset.saturating_add(u64::from(q.limit)) <= held || held == self.total;
        if !unfiltered || !inside {
            return None;
        }
        let mut page = list(&self.rows, q);
        page.total = self.total;
        page.has_more = q.offset + page.count < self.total;
        Some(page)
    }
}

/// Finds a request by id.
pub fn find<'a>(all: &'a [RequestDetail], id: &str) -> Option<&'a RequestDetail> {
    all.iter().find(|r| r.request.id == id)
}

/// Why a cancel was refused: HTTP status, `msg`, `data` of the error envelope.
#[derive(Clone, Debug, PartialEq)]
pub struct Refusal {
    pub status: u16,
    pub msg: String,
    pub data: Value,
}

impl From<Refusal> for crate::ApiError {
    fn from(r: Refusal) -> Self {
        crate::ApiError::Api {
            status: r.status,
            msg: r.msg,
            data: r.data,
        }
    }
}

/// The 404 body for an unknown request id.
pub fn not_found(id: &str) -> Refusal {
    Refusal {
        status: 404,
        msg: "Request not found".to_owned(),
        data: json!(format!("no request with id {id}")),
    }
}

/// Cancels a pending request (`DELETE /v1/api/requests/{id}`). Only `pending` requests can be
/// cancelled; the request becomes `cancelled` with `updated_at = now`.
pub fn cancel(
    all: &mut [RequestDetail],
    id: &str,
    now: DateTime<Utc>,
) -> Result<RequestDetail, Refusal> {
    let Some(found) = all.iter_mut().find(|r| r.request.id == id) else {
        return Err(not_found(id));
    };
    if found.request.status != Status::Pending {
        return Err(Refusal {
            status: 400,
            msg: "Request cannot be cancelled".to_owned(),
            data: json!(format!(
                "only pending requests can be cancelled; this request is {}",
                found.request.status
            )),
        });
    }
    found.request.status = Status::Cancelled;
    found.request.updated_at = Some(now);
    Ok(found.clone())
}

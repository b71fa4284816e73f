//! `ApiClient`: the only place that talks to the HITL.sh API.
//!
//! Every call goes through [`ApiClient::send`], which is therefore the one place that counts
//! calls against the quota, reads the rate-limit headers, refuses to send while the quota is
//! known to be spent, retries transient failures, and redacts the key from errors. GETs are
//! cached by URL for a minute and identical GETs in flight are shared.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use futures::future::{FutureExt, LocalBoxFuture, Shared, WeakShared};
use gloo_net::http::{Request, RequestBuilder};
use hitl_core::cache::TtlCache;
use hitl_core::cancel::{decode_cancel, Cancelled};
use hitl_core::error::decode_response;
use hitl_core::query::decode_pairs;
use hitl_core::quota::{QuotaSource, RateLimitHeaders};
use hitl_core::{
    ApiError, FromJson, LoopList, RequestDetail, RequestEnvelopeData, RequestPage, RequestQuery,
};

use super::QuotaStore;
use crate::browser::time::{now_ms, now_secs};

type Value = Arc<dyn Any + Send + Sync>;
type Answer = Result<Value, ApiError>;
type InFlight = Shared<LocalBoxFuture<'static, Answer>>;
/// Turns an answer's status, body and rate-limit reset into the typed value. Calls carry one as
/// a plain function pointer, so the call machinery (an async state machine each) is compiled
/// once rather than once per answer type.
type Decode = fn(u16, &str, Option<i64>) -> Answer;

fn decode<T: FromJson + Send + Sync + 'static>(
    status: u16,
    body: &str,
    reset: Option<i64>,
) -> Answer {
    decode_response::<T>(status, body, reset).map(|v| Arc::new(v) as Value)
}

/// Tries per GET: the first plus two retries, for 5xx and network failures only.
const MAX_TRIES: u32 = 3;
/// First retry delay; doubled each time, plus up to 50% jitter.
const BACKOFF_MS: f64 = 400.0;

/// A connection to one API (base URL + key). Cheap to clone.
#[derive(Clone)]
pub(crate) struct ApiClient {
    inner: Rc<Inner>,
}

struct Inner {
    base: String,
    key: String,
    quota: QuotaStore,
    cache: RefCell<TtlCache<Value>>,
    /// Bumped whenever the cache is cleared (Refresh, a cancel): an answer to a call sent
    /// before that is stale and is not cached, and later calls do not join it.
    epoch: Cell<u64>,
    in_flight: RefCell<HashMap<String, WeakShared<LocalBoxFuture<'static, Answer>>>>,
    /// Calls sent and not yet answered: they use up what the last headers said was left.
    sending: Cell<u64>,
    /// Calls sent since the client was made (retries included), for what an action cost.
    sent: Cell<u64>,
}

/// Counts one call in [`Inner::sending`] while it is on its way.
struct Sending<'a>(&'a Cell<u64>);

impl<'a> Sending<'a> {
    fn new(count: &'a Cell<u64>) -> Self {
        count.set(count.get() + 1);
        Sending(count)
    }
}

impl Drop for Sending<'_> {
    fn drop(&mut self) {
        self.0.set(self.0.get().saturating_sub(1));
    }
}

/// Aborts the browser's fetch when the future that owns it is dropped (superseded view).
struct AbortOnDrop(Option<web_sys::AbortController>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(c) = self.0.take() {
            c.abort();
        }
    }
}

impl ApiClient {
    /// A client for `base` (e.g. `https://api.hitl.sh`) with `key`.
    pub(crate) fn new(base: &str, key: &str, quota: QuotaStore) -> Self {
        ApiClient {
            inner: Rc::new(Inner {
                base: base.trim().trim_end_matches('/').to_owned(),
                key: key.trim().to_owned(),
                quota,
                cache: RefCell::new(TtlCache::default()),
                epoch: Cell::new(0),
                in_flight: RefCell::new(HashMap::new()),
                sending: Cell::new(0),
                sent: Cell::new(0),
            }),
        }
    }

    /// Calls sent so far (retries included): what an action cost is the difference.
    pub(crate) fn calls_sent(&self) -> u64 {
        self.inner.sent.get()
    }

    /// One page of requests. `fresh` bypasses the cache (Refresh).
    pub(crate) async fn list(
        &self,
        q: &RequestQuery,
        fresh: bool,
    ) -> Result<Arc<RequestPage>, ApiError> {
        q.validate().map_err(ApiError::Invalid)?;
        let qs = q.to_query_string();
        let path = if qs.is_empty() {
            "/v1/api/requests".to_owned()
        } else {
            format!("/v1/api/requests?{qs}")
        };
        downcast(self.get(path, fresh, decode::<RequestPage>).await?)
    }

    /// One request with its detail fields.
    pub(crate) async fn request(&self, id: &str) -> Result<Arc<RequestDetail>, ApiError> {
        let path = request_path(id)?;
        let data: Arc<RequestEnvelopeData> =
            downcast(self.get(path, false, decode::<RequestEnvelopeData>).await?)?;
        Ok(Arc::new(data.request.clone()))
    }

    /// The loops of the key's account (names and members).
    pub(crate) async fn loops(&self) -> Result<Arc<LoopList>, ApiError> {
        downcast(
            self.get("/v1/api/loops".to_owned(), false, decode::<LoopList>)
                .await?,
        )
    }

    /// Cancels a pending request. Never retried; drops cached answers it makes stale.
    pub(crate) async fn cancel(&self, id: &str) -> Result<Cancelled, ApiError> {
        fn decode(status: u16, body: &str, reset: Option<i64>) -> Answer {
            decode_cancel(status, body, reset).map(|v| Arc::new(v) as Value)
        }
        let url = format!("{}{}", self.inner.base, request_path(id)?);
        let answer = send(&self.inner, Request::delete(&url), decode).await;
        // Cached lists may hold the request as pending; a cancel held back by the quota pause
        // was never sent, and changed nothing to forget.
        if !matches!(answer, Err(ApiError::QuotaPaused { .. })) {
            self.clear_cache();
        }
        let done: Arc<Cancelled> = downcast(answer?)?;
        Ok(Cancelled::clone(&done))
    }

    /// Forgets every cached answer (Refresh of everything).
    pub(crate) fn clear_cache(&self) {
        let inner = &self.inner;
        inner.cache.borrow_mut().clear();
        inner.in_flight.borrow_mut().clear();
        inner.epoch.set(inner.epoch.get() + 1);
    }

    /// A GET of `path`, decoded by `decode`: from the cache, joined to an identical call in
    /// flight, or sent.
    async fn get(&self, path: String, fresh: bool, decode: Decode) -> Answer {
        let inner = &self.inner;
        if !fresh {
            if let Some((_, hit)) = inner.cache.borrow().get(&path, now_ms()) {
                return Ok(hit);
            }
        }
        let joined = inner
            .in_flight
            .borrow()
            .get(&path)
            .and_then(WeakShared::upgrade);
        let shared: InFlight = match joined {
            Some(shared) => shared,
            None => {
                let inner2 = Rc::clone(inner);
                let url = format!("{}{}", inner.base, path);
                let key = path.clone();
                let epoch = inner.epoch.get();
                let fut: LocalBoxFuture<'static, Answer> = async move {
                    let answer = get_with_retries(&inner2, &url, decode).await;
                    if inner2.epoch.get() != epoch {
                        // Sent before a Refresh or a cancel: its answer may predate the change.
                        return answer;
                    }
                    inner2.in_flight.borrow_mut().remove(&key);
                    if let Ok(v) = &answer {
                        inner2
                            .cache
                            .borrow_mut()
                            .insert(key, Arc::clone(v), now_ms());
                    }
                    answer
                }
                .boxed_local();
                let shared = fut.shared();
                if let Some(weak) = shared.downgrade() {
                    inner.in_flight.borrow_mut().insert(path, weak);
                }
                shared
            }
        };
        shared.await
    }
}

fn downcast<T: Send + Sync + 'static>(v: Value) -> Result<Arc<T>, ApiError> {
    v.downcast::<T>().map_err(|_| ApiError::Decode {
        status: 200,
        detail: "internal: cached answer of another type".to_owned(),
    })
}

/// Percent-encodes one path segment (ids are hex in practice; anything else stays safe).
fn encode_segment(s: &str) -> String {
    js_sys::encode_uri_component(s).into()
}

/// The path of request `id`; "not found", without a call, for an id no path can carry: the
/// browser resolves `.` and `..` as steps between folders (encoded as `%2E` too), so
/// `/requests/..` would ask `/v1/api/` instead, and an empty id would ask for the list.
fn request_path(id: &str) -> Result<String, ApiError> {
    if matches!(id, "" | "." | "..") {
        // Refused here, before any call, so it carries no HTTP status.
        return Err(ApiError::Invalid(hitl_core::QueryError {
            msg: "Request not found",
            data: format!("“{id}” cannot be a request id; no call was made."),
        }));
    }
    Ok(format!("/v1/api/requests/{}", encode_segment(id)))
}

async fn get_with_retries(inner: &Inner, url: &str, decode: Decode) -> Answer {
    let mut attempt = 0;
    loop {
        attempt += 1;
        match send(inner, get_request(url), decode).await {
            Ok(v) => return Ok(v),
            Err(e) if e.is_retryable() && attempt < MAX_TRIES => {
                let delay = BACKOFF_MS * f64::from(1u32 << (attempt - 1));
                let jitter = delay * 0.5 * js_sys::Math::random();
                gloo_timers::future::TimeoutFuture::new((delay + jitter) as u32).await;
            }
            Err(e) => return Err(e),
        }
    }
}

/// A GET for `url`. gloo-net joins a query already in the URL with its own (empty) one by
/// `&`, leaving a stray `&` on every URL; so the query is handed over as pairs instead.
fn get_request(url: &str) -> RequestBuilder {
    match url.split_once('?') {
        Some((path, qs)) => {
            let pairs = decode_pairs(qs);
            Request::get(path).query(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        }
        None => Request::get(url),
    }
}

/// Sends one call: the quota gate, the bearer header, abort-on-drop, counting, decoding.
async fn send(inner: &Inner, builder: RequestBuilder, decode: Decode) -> Answer {
    // When the server's own headers say every call left is already on its way, this one waits
    // for their answers, which tell what is left then: with 1 call left, a Refresh's 4 calls
    // send 1, and the other 3 find the quota spent (paused: asked again after the reset)
    // instead of each spending a refusal.
    loop {
        let usage = inner.quota.view_untracked(now_secs());
        if usage.paused {
            return Err(ApiError::QuotaPaused {
                reset_at: inner.quota.paused(now_secs()),
                usage_count: Some(usage.limit.saturating_sub(usage.remaining)),
                usage_limit: Some(usage.limit),
            });
        }
        if usage.source != QuotaSource::Headers || usage.remaining > inner.sending.get() {
            break;
        }
        gloo_timers::future::TimeoutFuture::new(50).await;
    }
    let _sending = Sending::new(&inner.sending);
    let controller = web_sys::AbortController::new().ok();
    let signal = controller.as_ref().map(|c| c.signal());
    let _abort = AbortOnDrop(controller);
    let request = builder
        .header("Authorization", &format!("Bearer {}", inner.key))
        .abort_signal(signal.as_ref())
        .build()
        .map_err(|e| ApiError::Network {
            detail: e.to_string(),
        });
    let request = match request {
        Ok(r) => r,
        Err(e) => return Err(e.redact(&inner.key)),
    };
    // Counted once, whatever happens next, including the future being dropped mid-flight.
    let mut record = CallRecord::new(inner.quota);
    inner.sent.set(inner.sent.get() + 1);
    let response = match request.send().await {
        Ok(r) => r,
        Err(e) => {
            let detail = e.to_string();
            if detail.contains("AbortError") {
                return Err(ApiError::Aborted);
            }
            // Nothing answered (no server, or the browser blocked the answer): no API counted
            // this call, and neither does the estimate.
            record.reached = false;
            return Err(ApiError::Network { detail }.redact(&inner.key));
        }
    };
    let headers = response.headers();
    let rate = RateLimitHeaders::parse(
        headers.get("x-ratelimit-limit").as_deref(),
        headers.get("x-ratelimit-remaining").as_deref(),
        headers.get("x-ratelimit-reset").as_deref(),
    );
    record.headers = rate;
    let status = response.status();
    // A key the API does not know is not counted against any key's quota.
    record.reached = status != 401;
    let body = response.text().await.map_err(|e| {
        ApiError::Network {
            detail: e.to_string(),
        }
        .redact(&inner.key)
    })?;
    let decoded = decode(status, &body, rate.map(|r| r.reset_at));
    if let Err(
        e @ ApiError::QuotaExceeded {
            reset_at,
            usage_limit,
            ..
        },
    ) = &decoded
    {
        record.exhausted = Some((*reset_at, *usage_limit));
        inner.quota.refused_with(e.clone().redact(&inner.key));
    }
    decoded.map_err(|e| e.redact(&inner.key))
}

/// One call's effect on the quota record, applied in a single update when it is dropped: at the
/// end of `send`, or early if the call is abandoned (it still counts: it may have reached the
/// server). One update per call keeps the quota meter and everything that reads it from
/// re-rendering twice per call during a load of hundreds of pages.
struct CallRecord {
    quota: QuotaStore,
    /// False when the call never reached an API that counts it: a network failure, a 401.
    reached: bool,
    sent_at: i64,
    headers: Option<RateLimitHeaders>,
    /// `Some((reset_at, usage_limit))` when the answer was a 429.
    exhausted: Option<(Option<i64>, Option<u64>)>,
}

impl CallRecord {
    fn new(quota: QuotaStore) -> Self {
        CallRecord {
            quota,
            reached: true,
            sent_at: now_secs(),
            headers: None,
            exhausted: None,
        }
    }
}

impl Drop for CallRecord {
    fn drop(&mut self) {
        if self.reached {
            self.quota
                .record(self.sent_at, self.headers, self.exhausted, now_secs());
        }
    }
}

impl std::fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the key.
        f.debug_struct("ApiClient")
            .field("base", &self.inner.base)
            .finish_non_exhaustive()
    }
}

//! The server's shared, mutable state: the generated dataset (cancels change it), each key's
//! quota window, the fault counter and the call log that tests read through `/__mock/stats`.
//!
//! One `std::sync::Mutex` guards it all: every critical section is short and synchronous, and
//! the lock is never held across an `.await`.

use chrono::{DateTime, Utc};
use hitl_core::demo::Dataset;
use hitl_core::model::Status;
use serde::Serialize;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use crate::config::Config;

/// The call log keeps at most this many entries (the oldest go first), so a long-running dev
/// server does not grow without bound.
pub const LOG_CAP: usize = 10_000;

/// One `/v1` call as `/__mock/stats` reports it. The Authorization value is never kept.
#[derive(Clone, Debug, Serialize)]
pub struct LogEntry {
    pub method: String,
    /// Path and query exactly as received.
    pub uri: String,
    pub status: u16,
    /// Whether an Authorization header was present.
    pub auth: bool,
}

/// A key's fixed quota window: it starts at the key's first call after the previous one ended.
#[derive(Clone, Copy, Debug)]
struct Window {
    start: DateTime<Utc>,
    count: u64,
}

/// The quota verdict for one authenticated call, and the figures for the rate-limit headers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Admission {
    /// False: the key is over its limit; answer 429 and do not serve.
    pub allowed: bool,
    pub limit: u64,
    pub remaining: u64,
    /// When the window ends, unix seconds (rounded up).
    pub reset: u64,
    /// True when this call is the one `--fail-every` picks to fail.
    pub fail: bool,
}

/// Everything behind the lock.
#[derive(Debug)]
pub struct Inner {
    pub dataset: Dataset,
    windows: HashMap<String, Window>,
    /// Authenticated `/v1` calls so far, for `--fail-every`.
    authed_calls: u64,
    /// Non-preflight `/v1` calls since the last reset.
    pub calls: u64,
    pub log: VecDeque<LogEntry>,
    /// Non-preflight `/v1` calls being answered right now, and the most at once since the last
    /// reset: how tests see that the dashboard bounds its concurrency.
    pub in_flight: u64,
    pub max_in_flight: u64,
    /// List calls served since start or the last reset, and the churns done (`--churn-after`).
    list_calls: u64,
    churns: u64,
}

/// Cheap to clone: the configuration and a handle on the shared state.
#[derive(Clone, Debug)]
pub struct Shared {
    pub cfg: Arc<Config>,
    inner: Arc<Mutex<Inner>>,
    started: Instant,
}

impl Shared {
    /// Generates the dataset the flags describe.
    pub fn new(cfg: Config) -> Self {
        let mut dataset = hitl_core::demo::Dataset::generate(cfg.seed, cfg.records, cfg.now);
        if cfg.hostile_every > 0 {
            dataset.inject_hostile_text(cfg.hostile_every);
        }
        Shared {
            cfg: Arc::new(cfg),
            inner: Arc::new(Mutex::new(Inner {
                dataset,
                windows: HashMap::new(),
                authed_calls: 0,
                calls: 0,
                log: VecDeque::new(),
                in_flight: 0,
                max_in_flight: 0,
                list_calls: 0,
                churns: 0,
            })),
            started: Instant::now(),
        }
    }

    /// The lock. A panic elsewhere must not take the whole mock down, so poisoning is ignored.
    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The mock's clock: `--now` plus the time since start, so timestamps the server writes
    /// (a cancel's `updated_at`) follow the generated data even when `--now` is in the past.
    pub fn clock(&self) -> DateTime<Utc> {
        let elapsed = chrono::Duration::from_std(self.started.elapsed()).unwrap_or_default();
        self.cfg.now + elapsed
    }

    /// Counts an authenticated call against `key`'s quota and the fault counter.
    pub fn admit(&self, key: &str) -> Admission {
        let cfg = &self.cfg;
        let mut inner = self.lock();
        inner.authed_calls += 1;
        let fail = cfg.fail_every > 0 && inner.authed_calls.is_multiple_of(cfg.fail_every);
        // The mock's own clock, so the reset it announces agrees with the dates of its data
        // (and with a test's page clock started at the same `--now`).
        let window = chrono::Duration::seconds(cfg.quota_window_secs.min(1 << 40) as i64);
        let now = self.clock();
        let w = inner.windows.entry(key.to_owned()).or_insert(Window {
            start: now,
            count: 0,
        });
        if now >= w.start + window {
            *w = Window {
                start: now,
                count: 0,
            };
        }
        let allowed = w.count < cfg.quota;
        if allowed {
            w.count += 1;
        }
        Admission {
            allowed,
            limit: cfg.quota,
            remaining: cfg.quota.saturating_sub(w.count),
            reset: unix_secs_ceil(w.start + window),
            fail: fail && allowed,
        }
    }

    /// Marks a non-preflight `/v1` call as being answered until the guard is dropped (also
    /// when the client goes away and the handler is cancelled).
    pub fn enter(&self) -> InFlight {
        let mut inner = self.lock();
        inner.in_flight += 1;
        inner.max_in_flight = inner.max_in_flight.max(inner.in_flight);
        InFlight(self.clone())
    }

    /// Records a finished non-preflight `/v1` call.
    pub fn record(&self, entry: LogEntry) {
        let mut inner = self.lock();
        inner.calls += 1;
        if inner.log.len() >= LOG_CAP {
            inner.log.pop_front();
        }
        inner.log.push_back(entry);
    }
}

/// See [`Shared::enter`].
pub struct InFlight(Shared);

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut inner = self.0.lock();
        inner.in_flight = inner.in_flight.saturating_sub(1);
    }
}

impl Inner {
    /// Counts a served list call; after every `--churn-after`-th one (up to `--churn-times`
    /// churns), answers the `--churn-count` newest pending requests at `now`. Called under the
    /// same lock as the list itself, so the Nth call sees the data before, the next one after.
    pub fn count_list_call(&mut self, cfg: &Config, now: DateTime<Utc>) {
        self.list_calls += 1;
        if cfg.churn_after > 0
            && self.churns < cfg.churn_times
            && self.list_calls.is_multiple_of(cfg.churn_after)
        {
            self.churns += 1;
            self.dataset.answer_newest_pending(cfg.churn_count, now);
            self.recount_pending();
        }
    }

    /// `/__mock/reset-stats`: the churn schedule starts again from this point.
    pub fn restart_churn(&mut self) {
        self.list_calls = 0;
        self.churns = 0;
    }

    /// Keeps each loop's `pending_count` true after a cancel.
    pub fn recount_pending(&mut self) {
        let Dataset { loops, requests } = &mut self.dataset;
        for lp in loops.iter_mut() {
            lp.pending_count = requests
                .iter()
                .filter(|r| r.request.loop_id == lp.id && r.request.status == Status::Pending)
                .count() as u64;
        }
    }
}

fn unix_secs_ceil(t: DateTime<Utc>) -> u64 {
    let secs = t.timestamp() + i64::from(t.timestamp_subsec_nanos() > 0);
    u64::try_from(secs).unwrap_or(0)
}

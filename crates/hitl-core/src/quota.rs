//! The hourly call quota (100 calls per hour per key), as far as a browser can know it.
//!
//! Two sources, best first: the `X-RateLimit-*` headers, when the server exposes them to the
//! page (CORS `Access-Control-Expose-Headers`), and otherwise a local log of the calls this
//! browser made with the key in the last hour. A 429 always wins: nothing is sent until the
//! reset time passes.

use serde::Serialize;
use serde_json::Value;

use crate::lenient::{self, at, object, FromJson, Problem};

/// The documented quota: calls per hour per key.
pub const DEFAULT_LIMIT: u64 = 100;
/// The documented window, in seconds.
pub const WINDOW_SECS: i64 = 3600;
/// When a 429 gives no reset time and we have no log to infer one, try again after this long.
pub const UNKNOWN_RESET_RETRY_SECS: i64 = 300;

/// `X-RateLimit-Limit`, `-Remaining`, `-Reset` as the server sent them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct RateLimitHeaders {
    pub limit: u64,
    pub remaining: u64,
    /// Unix seconds.
    pub reset_at: i64,
}

impl RateLimitHeaders {
    /// Parses the three header values; `None` unless all three are present and numeric.
    pub fn parse(
        limit: Option<&str>,
        remaining: Option<&str>,
        reset: Option<&str>,
    ) -> Option<Self> {
        Some(RateLimitHeaders {
            limit: limit?.trim().parse().ok()?,
            remaining: remaining?.trim().parse().ok()?,
            reset_at: reset?.trim().parse().ok()?,
        })
    }
}

/// Where a quota figure came from, so the meter can say how sure it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuotaSource {
    /// The server's own headers.
    Headers,
    /// Our count of this browser's calls in the last hour.
    LocalCount,
}

/// What the meter shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuotaView {
    pub limit: u64,
    pub remaining: u64,
    /// Unix seconds when calls are available again (when known).
    pub reset_at: Option<i64>,
    pub source: QuotaSource,
    /// True while a 429 (or the headers) says nothing may be sent.
    pub paused: bool,
}

/// The quota state of one key.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Quota {
    /// Unix seconds of the calls this browser made with the key, oldest first.
    pub calls: Vec<i64>,
    /// The latest headers seen, if the server exposes them.
    pub headers: Option<RateLimitHeaders>,
    /// Set by a 429: nothing is sent before this instant (unix seconds).
    pub paused_until: Option<i64>,
    /// The key's hourly limit as a 429's body (`usage_limit`) or the last expired headers stated
    /// it: what the local count is out of when no current headers say (else the documented 100).
    pub limit: Option<u64>,
}

/// A whole number of `field`, or why not (this record is our own: no leniency needed).
fn int(field: &str, v: Option<Value>) -> Result<i64, Problem> {
    v.and_then(|v| v.as_i64())
        .ok_or_else(|| at(field, "expected a whole number".to_owned()))
}

impl FromJson for RateLimitHeaders {
    fn from_json(v: Value) -> Result<Self, Problem> {
        let mut m = object(v, "rate-limit headers")?;
        let mut count = |field: &str| {
            m.remove(field)
                .and_then(|v| v.as_u64())
                .ok_or_else(|| at(field, "expected a count".to_owned()))
        };
        Ok(RateLimitHeaders {
            limit: count("limit")?,
            remaining: count("remaining")?,
            reset_at: int("reset_at", m.remove("reset_at"))?,
        })
    }
}

/// The record the dashboard keeps in localStorage (written by its `Serialize`).
impl FromJson for Quota {
    fn from_json(v: Value) -> Result<Self, Problem> {
        let mut m = object(v, "a quota record")?;
        let calls = match m.remove("calls") {
            Some(Value::Array(calls)) => calls
                .iter()
                .map(|t| {
                    t.as_i64()
                        .ok_or_else(|| at("calls", "expected times".to_owned()))
                })
                .collect::<Result<_, _>>()?,
            _ => return Err(at("calls", "expected a list".to_owned())),
        };
        let headers = match m.remove("headers") {
            None | Some(Value::Null) => None,
            Some(h) => Some(RateLimitHeaders::from_json(h).map_err(|e| at("headers", e))?),
        };
        let paused_until = match m.remove("paused_until") {
            None | Some(Value::Null) => None,
            v => Some(int("paused_until", v)?),
        };
        // Absent in records written before it was kept.
        let limit = m
            .remove("limit")
            .and_then(|v| v.as_u64())
            .filter(|&l| l > 0);
        Ok(Quota {
            calls,
            headers,
            paused_until,
            limit,
        })
    }
}

lenient::deserialize_via_from_json!(RateLimitHeaders, Quota);

impl Quota {
    fn prune(&mut self, now: i64) {
        let cutoff = now - WINDOW_SECS;
        self.calls.retain(|&t| t > cutoff);
        if self.paused_until.is_some_and(|t| t <= now) {
            self.paused_until = None;
        }
        // The server's window has reset: its limit still holds, and only the calls since the
        // reset count against the new window (the local count takes over from here).
        if let Some(h) = self.headers.filter(|h| h.reset_at <= now) {
            self.headers = None;
            self.limit = Some(h.limit).filter(|&l| l > 0).or(self.limit);
            self.calls.retain(|&t| t >= h.reset_at);
        }
    }

    /// Records one call sent at `now` (every call, whatever its answer).
    pub fn record_call(&mut self, now: i64) {
        self.prune(now);
        self.calls.push(now);
    }

    /// Records the rate-limit headers of an answer. Answers to calls sent together arrive in
    /// any order: within one window (the same limit and reset) the count left only goes down,
    /// so an answer that left more than one already seen does not raise it.
    pub fn record_headers(&mut self, headers: RateLimitHeaders, now: i64) {
        self.headers = Some(match self.headers {
            Some(seen) if (seen.limit, seen.reset_at) == (headers.limit, headers.reset_at) => {
                RateLimitHeaders {
                    remaining: seen.remaining.min(headers.remaining),
                    ..headers
                }
            }
            _ => headers,
        });
        self.prune(now);
    }

    /// Records a 429. `reset_at` is the header's value when the browser could read it;
    /// `usage_limit` the body's, when it gave one.
    pub fn record_exhausted(&mut self, reset_at: Option<i64>, usage_limit: Option<u64>, now: i64) {
        self.prune(now);
        if let Some(limit) = usage_limit.filter(|&l| l > 0) {
            self.limit = Some(limit);
        }
        let inferred = self
            .calls
            .first()
            .map(|first| first + WINDOW_SECS)
            .filter(|t| *t > now);
        let until = reset_at
            .filter(|t| *t > now)
            .or(inferred)
            .unwrap_or(now + UNKNOWN_RESET_RETRY_SECS);
        self.paused_until = Some(until);
    }

    /// When nothing may be sent, the instant (unix seconds) it may again.
    pub fn paused(&self, now: i64) -> Option<i64> {
        if let Some(until) = self.paused_until.filter(|t| *t > now) {
            return Some(until);
        }
        self.headers
            .filter(|h| h.remaining == 0 && h.reset_at > now)
            .map(|h| h.reset_at)
    }

    /// The meter's figures at `now`.
    pub fn view(&self, now: i64) -> QuotaView {
        let mut q = self.clone();
        q.prune(now);
        let paused = q.paused(now);
        match q.headers {
            Some(h) => QuotaView {
                limit: h.limit,
                remaining: if paused.is_some() { 0 } else { h.remaining },
                reset_at: Some(paused.unwrap_or(h.reset_at)),
                source: QuotaSource::Headers,
                paused: paused.is_some(),
            },
            None => {
                let used = q.calls.len() as u64;
                let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
                QuotaView {
                    limit,
                    remaining: if paused.is_some() {
                        0
                    } else {
                        limit.saturating_sub(used)
                    },
                    reset_at: paused.or_else(|| q.calls.first().map(|t| t + WINDOW_SECS)),
                    source: QuotaSource::LocalCount,
                    paused: paused.is_some(),
                }
            }
        }
    }
}

/// A short, stable, non-reversible-in-practice label for a key (FNV-1a, 64 bits, hex), so that
/// per-key records can be stored without storing the key. Not a security hash: it only has to
/// keep the key itself out of storage.
pub fn key_fingerprint(key: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.as_bytes() {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

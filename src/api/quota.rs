//! The quota record of the connected key, as the client keeps it and the meter shows it.

use hitl_core::quota::{key_fingerprint, Quota, QuotaView, RateLimitHeaders};
use hitl_core::{ApiError, FromJson};
use leptos::prelude::*;

use crate::browser::{storage_get, storage_set};

/// The quota record of one key: a signal for the meter, persisted under the key's fingerprint
/// (never the key) so the local hourly count survives reloads.
#[derive(Clone, Copy)]
pub(crate) struct QuotaStore {
    quota: RwSignal<Quota>,
    entry: StoredValue<String>,
    /// The API's own 429 answer that started the current pause, if one did: the banner says
    /// the quota is spent in the API's words, whichever call meets the end of it.
    refused: RwSignal<Option<ApiError>>,
}

impl QuotaStore {
    /// The record for `key`, loaded from storage, and kept in step with the other tabs of this
    /// dashboard using the same key: each writes the whole record after every call, and the
    /// browser tells the others (a `storage` event), so every meter counts every tab's calls
    /// (what the estimate rests on when the API's headers cannot be read).
    pub(crate) fn for_key(key: &str) -> Self {
        fn read(s: &str) -> Option<Quota> {
            Quota::from_json(hitl_core::json::parse(s).ok()?).ok()
        }
        let entry = format!("hitl.quota.{}", key_fingerprint(key));
        let quota = RwSignal::new(
            storage_get(&entry)
                .and_then(|s| read(&s))
                .unwrap_or_default(),
        );
        let watched = entry.clone();
        // Never removed: a store replaced by another key's only goes on following its own.
        let _ = window_event_listener(leptos::ev::storage, move |ev| {
            if ev.key().as_deref() == Some(watched.as_str()) {
                if let Some(q) = ev.new_value().and_then(|s| read(&s)) {
                    quota.try_set(q);
                }
            }
        });
        QuotaStore {
            quota,
            entry: StoredValue::new(entry),
            refused: RwSignal::new(None),
        }
    }

    fn update(&self, f: impl FnOnce(&mut Quota)) {
        self.quota.update(f);
        let json = self
            .quota
            .with_untracked(|q| serde_json::to_string(q).unwrap_or_default());
        self.entry.with_value(|e| storage_set(e, &json));
    }

    /// One call, sent at `sent_at`, with what its answer said about the quota: the rate-limit
    /// headers when the browser could read them, and for a 429 `Some((reset_at, usage_limit))`.
    pub(crate) fn record(
        &self,
        sent_at: i64,
        headers: Option<RateLimitHeaders>,
        exhausted: Option<(Option<i64>, Option<u64>)>,
        now: i64,
    ) {
        self.update(|q| {
            q.record_call(sent_at);
            if let Some(h) = headers {
                q.record_headers(h, now);
            }
            if let Some((reset_at, usage_limit)) = exhausted {
                q.record_exhausted(reset_at, usage_limit, now);
            }
        });
        // An answer that was not a 429: whatever 429 came before belongs to a past pause.
        if exhausted.is_none() && self.refused.with_untracked(Option::is_some) {
            self.refused.set(None);
        }
    }

    /// Keeps the API's 429 answer for the banner.
    pub(crate) fn refused_with(&self, e: ApiError) {
        self.refused.set(Some(e));
    }

    /// When sending is paused, until when (tracked: for countdowns).
    pub(crate) fn paused_until(&self, now: i64) -> Option<i64> {
        self.quota.with(|q| q.paused(now))
    }

    /// When sending is paused, until when (untracked: used by the client before sending).
    pub(crate) fn paused(&self, now: i64) -> Option<i64> {
        self.quota.with_untracked(|q| q.paused(now))
    }

    /// The meter's figures (untracked).
    pub(crate) fn view_untracked(&self, now: i64) -> QuotaView {
        self.quota.with_untracked(|q| q.view(now))
    }

    /// The meter's figures (tracked).
    pub(crate) fn view(&self, now: i64) -> QuotaView {
        self.quota.with(|q| q.view(now))
    }

    /// While nothing may be sent: what a call would be told, with the usage and the reset
    /// (tracked). Whichever call met the end of the quota, the banner says it from this.
    pub(crate) fn refusal(&self, now: i64) -> Option<ApiError> {
        let v = self.view(now);
        if !v.paused {
            return None;
        }
        // The API's own words when a 429 started this pause; else the same figures.
        Some(self.refused.get().unwrap_or(ApiError::QuotaPaused {
            reset_at: v.reset_at,
            usage_count: Some(v.limit),
            usage_limit: Some(v.limit),
        }))
    }
}

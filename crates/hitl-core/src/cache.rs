//! A small time-bounded cache keyed by request URL: back/forward and re-renders cost no calls.
//! Time is passed in (milliseconds), so the rules are tested without a clock.

use std::collections::HashMap;

/// How long an answer is reused, in milliseconds.
pub const DEFAULT_TTL_MS: f64 = 60_000.0;
/// How many answers are kept at most; the oldest goes first.
pub const DEFAULT_CAPACITY: usize = 64;

/// Entries expire `ttl_ms` after they were stored; at most `capacity` are kept.
#[derive(Clone, Debug)]
pub struct TtlCache<V> {
    ttl_ms: f64,
    capacity: usize,
    entries: HashMap<String, (f64, V)>,
}

impl<V: Clone> Default for TtlCache<V> {
    fn default() -> Self {
        TtlCache::new(DEFAULT_TTL_MS, DEFAULT_CAPACITY)
    }
}

impl<V: Clone> TtlCache<V> {
    /// An empty cache.
    pub fn new(ttl_ms: f64, capacity: usize) -> Self {
        TtlCache {
            ttl_ms,
            capacity: capacity.max(1),
            entries: HashMap::new(),
        }
    }

    /// The fresh value for `key` at `now_ms`, with the time it was stored.
    pub fn get(&self, key: &str, now_ms: f64) -> Option<(f64, V)> {
        self.entries
            .get(key)
            .filter(|(at, _)| now_ms - at < self.ttl_ms && now_ms >= *at)
            .cloned()
    }

    /// Stores `value` for `key` at `now_ms`, evicting expired and then the oldest entries.
    pub fn insert(&mut self, key: String, value: V, now_ms: f64) {
        let ttl = self.ttl_ms;
        self.entries.retain(|_, (at, _)| now_ms - *at < ttl);
        while self.entries.len() >= self.capacity && !self.entries.contains_key(&key) {
            let oldest = self
                .entries
                .iter()
                .min_by(|a, b| a.1 .0.total_cmp(&b.1 .0))
                .map(|(k, _)| k.clone());
            match oldest {
                Some(k) => self.entries.remove(&k),
                None => break,
            };
        }
        self.entries.insert(key, (now_ms, value));
    }

    /// Forgets one key.
    pub fn remove(&mut self, key: &str) {
        self.entries.remove(key);
    }

    /// Forgets every key that satisfies `pred` (e.g. every list page after a cancel).
    pub fn remove_where(&mut self, pred: impl Fn(&str) -> bool) {
        self.entries.retain(|k, _| !pred(k));
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// How many entries are stored (fresh or not).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

//! "All matching": loads every request that matches the current filters, shared by analytics
//! and export. Pages of 100, [`CONCURRENCY`] in flight, progress, cancel, and resume after a
//! failure or a quota stop without fetching again what already arrived. The set is kept for the
//! session (until Refresh or a change of source).

use std::sync::Arc;

use futures::future::{AbortHandle, Abortable};
use futures::StreamExt;
use hitl_core::loader::{calls_for, page_queries, set_key, Merge, CONCURRENCY, PAGE};
use hitl_core::overview::covers;
use hitl_core::{ApiError, HitlRequest, RequestPage, RequestQuery};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::Source;
use crate::browser::now_ms;

/// Where a load stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    /// Nothing loaded for this set.
    Idle,
    /// Pages are arriving.
    Running,
    /// Every matching request is loaded.
    Done,
    /// Stopped before the end: by the user (`None`) or by an error (quota, network, …).
    Stopped(Option<ApiError>),
}

/// The shared loader. Copy handles; provided as context.
#[derive(Clone, Copy)]
pub struct AllMatching {
    /// The set the rows belong to (filters + server sort), if any.
    pub key: RwSignal<Option<RequestQuery>>,
    /// Loaded rows in server order, de-duplicated (partial while not `Done`).
    pub rows: RwSignal<Arc<Vec<HitlRequest>>>,
    /// Rows received so far and the total the server reported.
    pub progress: RwSignal<(u64, u64)>,
    pub phase: RwSignal<Phase>,
    merge: StoredValue<Merge>,
    abort: StoredValue<Option<AbortHandle>>,
    progress_at: StoredValue<f64>,
}

/// Minimum time between two progress updates while pages arrive (ms).
const PROGRESS_EVERY_MS: f64 = 100.0;

impl Default for AllMatching {
    fn default() -> Self {
        Self::new()
    }
}

impl AllMatching {
    /// An empty loader.
    pub fn new() -> Self {
        AllMatching {
            key: RwSignal::new(None),
            rows: RwSignal::new(Arc::new(Vec::new())),
            progress: RwSignal::new((0, 0)),
            phase: RwSignal::new(Phase::Idle),
            merge: StoredValue::new(Merge::default()),
            abort: StoredValue::new(None),
            progress_at: StoredValue::new(0.0),
        }
    }

    /// True when the loaded set is complete for `query`'s filters (tracked).
    pub fn is_complete_for(&self, query: &RequestQuery) -> bool {
        self.phase.with(|p| *p == Phase::Done)
            && self.key.with(|k| k.as_ref() == Some(&set_key(query)))
    }

    /// True when the set is complete and holds every request matching `view`'s filters,
    /// possibly as part of a wider set (`hitl_core::overview::covers`; tracked).
    pub fn covers(&self, view: &RequestQuery) -> bool {
        self.phase.with(|p| *p == Phase::Done)
            && self
                .key
                .with(|k| k.as_ref().is_some_and(|k| covers(k, view)))
    }

    /// True when this set (complete or partial) belongs to `query`'s filters (tracked).
    pub fn belongs_to(&self, query: &RequestQuery) -> bool {
        self.key.with(|k| k.as_ref() == Some(&set_key(query)))
    }

    /// Calls that loading everything for `query` would still cost, given the matching `total`:
    /// 0 when already loaded, only the missing pages after a partial load.
    pub fn cost(&self, query: &RequestQuery, total: u64) -> u64 {
        if self.is_complete_for(query) {
            return 0;
        }
        if self.belongs_to(query) {
            let have = self.merge.with_value(|m| {
                page_queries(query, total)
                    .iter()
                    .filter(|q| m.has(q.offset))
                    .count() as u64
            });
            return calls_for(total).saturating_sub(have);
        }
        calls_for(total)
    }

    /// Tells the loader how many requests match before the first page arrives, so progress can
    /// say "0 of 1,234" at once. Switches to `query`'s set unless another load is running.
    pub fn expect_total(&self, query: &RequestQuery, total: u64) {
        let key = set_key(query);
        if self.key.with_untracked(|k| k.as_ref() == Some(&key)) {
            if self.progress.get_untracked().1 == 0 {
                self.progress.update(|p| p.1 = total);
            }
        } else if self.phase.get_untracked() != Phase::Running {
            self.switch_to(key);
            self.progress.set((0, total));
        }
    }

    fn switch_to(&self, key: RequestQuery) {
        self.merge.set_value(Merge::default());
        self.rows.set(Arc::new(Vec::new()));
        self.progress.set((0, 0));
        self.phase.set(Phase::Idle);
        self.key.set(Some(key));
    }

    /// Starts loading (or resumes) every request matching `query`'s filters in the background.
    pub fn start(&self, source: Source, query: &RequestQuery) {
        let this = *self;
        let query = query.clone();
        spawn_local(async move {
            this.load(source, &query).await;
        });
    }

    /// Loads (or resumes loading) every request matching `query`'s filters from `source`, and
    /// returns how it ended. If a load of the same set is already running, waits for it instead
    /// of starting a second one.
    pub async fn load(self, source: Source, query: &RequestQuery) -> Phase {
        let key = set_key(query);
        if self.phase.get_untracked() == Phase::Running {
            if self.key.get_untracked().as_ref() == Some(&key) {
                return self.wait().await;
            }
            self.cancel();
        }
        if self.is_complete_for_untracked(&key) {
            return Phase::Done;
        }
        if self.key.get_untracked().as_ref() != Some(&key) {
            self.switch_to(key.clone());
        }
        self.phase.set(Phase::Running);
        let (handle, registration) = AbortHandle::new_pair();
        self.abort.set_value(Some(handle));
        // When cancelled (`Err(Aborted)`), `cancel` has already recorded the stop.
        if let Ok(outcome) = Abortable::new(self.run(source, key), registration).await {
            self.finish(outcome);
        }
        self.phase.get_untracked()
    }

    /// Waits until a running load ends.
    async fn wait(self) -> Phase {
        while self.phase.get_untracked() == Phase::Running {
            gloo_timers::future::TimeoutFuture::new(100).await;
        }
        self.phase.get_untracked()
    }

    fn is_complete_for_untracked(&self, key: &RequestQuery) -> bool {
        self.phase.get_untracked() == Phase::Done && self.key.get_untracked().as_ref() == Some(key)
    }

    /// Stops a running load; what arrived is kept and can be resumed.
    pub fn cancel(&self) {
        if let Some(h) = self.abort.get_value() {
            // Dropping the in-flight futures aborts their fetches.
            h.abort();
        }
        if self.phase.get_untracked() == Phase::Running {
            self.finish(Err(None));
        }
    }

    /// Forgets the loaded set (Refresh, another source).
    pub fn clear(&self) {
        self.cancel();
        self.merge.set_value(Merge::default());
        self.rows.set(Arc::new(Vec::new()));
        self.progress.set((0, 0));
        self.key.set(None);
        self.phase.set(Phase::Idle);
    }

    fn finish(&self, outcome: Result<(), Option<ApiError>>) {
        self.abort.set_value(None);
        // Progress is throttled while loading: state the exact figures at the end.
        let (received, total) = self.merge.with_value(|m| (m.received() as u64, m.total));
        if received > 0 {
            self.progress.set((received.min(total), total));
        }
        self.rows.set(Arc::new(self.merge.with_value(Merge::rows)));
        self.phase.set(match outcome {
            Ok(()) => Phase::Done,
            Err(e) => Phase::Stopped(e),
        });
    }

    fn record(&self, offset: u64, page: Arc<RequestPage>) {
        let total = page.total;
        self.merge.update_value(|m| m.add(offset, page));
        let received = self.merge.with_value(|m| m.received() as u64);
        // At most ~10 progress renders a second: a load of 100 pages must not spend its main
        // thread redrawing a progress bar.
        let now = now_ms();
        if received >= total || now - self.progress_at.get_value() >= PROGRESS_EVERY_MS {
            self.progress_at.set_value(now);
            self.progress.set((received.min(total), total));
        }
    }

    async fn run(self, source: Source, key: RequestQuery) -> Result<(), Option<ApiError>> {
        let first = RequestQuery {
            limit: PAGE as u32,
            ..key.clone()
        };
        let mut total = match self.merge.with_value(|m| m.has(0).then_some(m.total)) {
            Some(total) => total,
            None => {
                let page = source.list(&first, false).await.map_err(Some)?;
                self.record(0, Arc::clone(&page));
                page.total
            }
        };
        // Repeat if the total grew while loading (new requests arrived).
        loop {
            let missing: Vec<RequestQuery> = self.merge.with_value(|m| {
                page_queries(&key, total)
                    .into_iter()
                    .filter(|q| !m.has(q.offset))
                    .collect()
            });
            if missing.is_empty() {
                return Ok(());
            }
            let mut pages = futures::stream::iter(missing)
                .map(|q| {
                    let source = source.clone();
                    async move {
                        let answer = source.list(&q, false).await;
                        (q.offset, answer)
                    }
                })
                .buffer_unordered(CONCURRENCY);
            while let Some((offset, answer)) = pages.next().await {
                let page = answer.map_err(Some)?;
                total = total.max(page.total);
                self.record(offset, page);
            }
        }
    }
}

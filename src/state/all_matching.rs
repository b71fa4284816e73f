//! "All matching": loads every request that matches the current filters, shared by analytics
//! and export. Pages of 100, [`CONCURRENCY`] in flight, progress, cancel, and resume after a
//! failure or a quota stop without fetching again what already arrived. The set is kept for the
//! session (until Refresh or a change of source).
//!
//! Requests that enter or leave the filters while the set loads shift the offsets the pages
//! are asked by, which can skip rows at page boundaries (`hitl_core::loader`'s module docs).
//! When all pages are in, the ones whose `total` differs from the latest are fetched again,
//! bypassing the cache, up to [`REPAIR_ROUNDS`] times; a set that is still not consistent ends
//! as [`Phase::Changed`], never as `Done`. Each page fetched again is a call, counted in
//! [`AllMatching::refetched`] so the views can say what it cost.
//!
//! A time window's set ([`AllMatching::start_window`]) is the first rows of the same list newest
//! first, down to the window's start ([`AllMatching::since`]): the pages its count says it needs
//! (⌈N/100⌉), then one more at a time until a page ends before the start (requests created
//! meanwhile push the window's oldest rows down). It serves every window that starts no
//! earlier; a set of every matching request serves every window.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use futures::future::{AbortHandle, Abortable};
use futures::StreamExt;
use hitl_core::format::thousands;
use hitl_core::loader::{
    calls_for, page_queries, page_queries_upto, set_key, Gap, Merge, CONCURRENCY, PAGE,
    REPAIR_ROUNDS,
};
use hitl_core::overview::covers;
use hitl_core::window::Bounds;
use hitl_core::{contract, ApiError, HitlRequest, RequestPage, RequestQuery, Sort};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::Source;
use crate::browser::time::now_ms;

/// Where a load stands.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Phase {
    /// Nothing loaded for this set.
    Idle,
    /// Pages are arriving.
    Running,
    /// Every matching request is loaded.
    Done,
    /// Stopped before the end: by the user (`None`) or by an error (quota, network, …).
    Stopped(Option<ApiError>),
    /// Every page is in, but the requests changed while loading and fetching the inconsistent
    /// pages again did not make the set consistent: it may miss requests. Loading again
    /// (Resume) fetches those pages again.
    Changed(Gap),
}

impl Phase {
    /// Stopped or changed: what is loaded is not the whole set, and a load continues it.
    pub(crate) fn resumable(&self) -> bool {
        matches!(self, Phase::Stopped(_) | Phase::Changed(_))
    }
}

/// What a set that [`Phase::Changed`] may miss, and what to do, e.g. "7 matching requests
/// changed while loading; this set may miss up to 7 of them".
pub(crate) fn gap_text(gap: &Gap) -> String {
    let up_to = thousands(gap.missing);
    match gap.changed {
        0 => format!(
            "The pages did not add up to the total (requests changed while loading); this set \
             may miss up to {up_to} of them"
        ),
        1 => format!("1 matching request changed while loading; this set may miss up to {up_to}"),
        n => format!(
            "{} matching requests changed while loading; this set may miss up to {up_to} of them",
            thousands(n)
        ),
    }
}

/// The pages a load fetched again because the requests changed while it ran, and their
/// `calls` (0 on demo data), e.g. "Requests changed while loading: 1 page was loaded again
/// (1 more call)."; `None` when there were none.
pub(crate) fn refetched_text(pages: u64, calls: u64) -> Option<String> {
    (pages > 0).then(|| {
        let (unit, verb) = if pages == 1 {
            ("page", "was")
        } else {
            ("pages", "were")
        };
        let calls = if calls == 1 {
            "1 more call".to_owned()
        } else {
            format!("{} more calls", thousands(calls))
        };
        format!(
            "Requests changed while loading: {} {unit} {verb} loaded again ({calls}).",
            thousands(pages)
        )
    })
}

/// The shared loader. Copy handles; provided as context.
#[derive(Clone, Copy)]
pub(crate) struct AllMatching {
    /// The set the rows belong to (filters + server sort), if any.
    pub key: RwSignal<Option<RequestQuery>>,
    /// For a time window's set: the start it reaches back to (its key's sort is newest first);
    /// `None` for every matching request.
    pub since: RwSignal<Option<DateTime<Utc>>>,
    /// Loaded rows in server order, de-duplicated (partial while not `Done`).
    pub rows: RwSignal<Arc<Vec<HitlRequest>>>,
    /// Rows received so far and the total the server reported.
    pub progress: RwSignal<(u64, u64)>,
    pub phase: RwSignal<Phase>,
    /// Pages fetched again because the requests changed while this set loaded (each a call).
    pub refetched: RwSignal<u64>,
    merge: StoredValue<Merge>,
    /// Calls the running load may still make (`None`: as many as it needs): a load started with
    /// fewer calls left than it needs stops where the quota would, and resumes after the reset.
    budget: StoredValue<Option<u64>>,
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
    pub(crate) fn new() -> Self {
        AllMatching {
            key: RwSignal::new(None),
            since: RwSignal::new(None),
            rows: RwSignal::new(Arc::new(Vec::new())),
            progress: RwSignal::new((0, 0)),
            phase: RwSignal::new(Phase::Idle),
            refetched: RwSignal::new(0),
            merge: StoredValue::new(Merge::default()),
            budget: StoredValue::new(None),
            abort: StoredValue::new(None),
            progress_at: StoredValue::new(0.0),
        }
    }

    /// True when the loaded set is complete for `query`'s filters (tracked).
    pub(crate) fn is_complete_for(&self, query: &RequestQuery) -> bool {
        self.phase.with(|p| *p == Phase::Done) && self.belongs_to(query)
    }

    /// True when the set is complete and holds every request matching `view`'s filters,
    /// possibly as part of a wider set (`hitl_core::overview::covers`; tracked).
    pub(crate) fn covers(&self, view: &RequestQuery) -> bool {
        self.phase.with(|p| *p == Phase::Done)
            && self.since.with(Option::is_none)
            && self
                .key
                .with(|k| k.as_ref().is_some_and(|k| covers(k, view)))
    }

    /// True when the set is complete and holds every request matching `filters` created in
    /// the window `bounds`: a set of every matching request, or a window's set reaching back to
    /// its start or earlier (tracked).
    pub(crate) fn covers_window(&self, filters: &RequestQuery, bounds: &Bounds) -> bool {
        let reaches = self.since.with(|since| match (since, bounds.start) {
            (None, _) => true,
            (Some(s), Some(start)) => *s <= start,
            (Some(_), None) => false,
        });
        reaches
            && self.phase.with(|p| *p == Phase::Done)
            && self
                .key
                .with(|k| k.as_ref().is_some_and(|k| covers(k, filters)))
    }

    /// True when this set (complete or partial) is the load of `filters`' requests created
    /// since `start`, newest first (tracked).
    pub(crate) fn holds_window(&self, filters: &RequestQuery, start: DateTime<Utc>) -> bool {
        self.since.with(|s| *s == Some(start))
            && self.key.with(|k| k.as_ref() == Some(&window_key(filters)))
    }

    /// Calls that loading `filters`' requests created since `start` would still cost, given
    /// how many there are (`since_start`, from a count): 0 when a loaded set covers them, the
    /// missing pages of a partial load, ⌈N/100⌉ otherwise (0 for none); `None` without a count.
    pub(crate) fn window_cost(
        &self,
        filters: &RequestQuery,
        bounds: &Bounds,
        since_start: Option<u64>,
    ) -> Option<u64> {
        if self.covers_window(filters, bounds) {
            return Some(0);
        }
        let start = bounds.start?;
        if self.holds_window(filters, start) && self.merge.with_value(|m| m.total > 0) {
            if self.phase.with(|p| matches!(p, Phase::Changed(_))) {
                return Some(self.merge.with_value(Merge::again));
            }
            return Some(self.merge.with_value(|m| {
                let pages = calls_for(m.wanted());
                pages - (0..pages).filter(|i| m.has(i * PAGE)).count() as u64
            }));
        }
        since_start.map(|n| if n == 0 { 0 } else { calls_for(n) })
    }

    /// True when the set is complete, holds every request matching `view`'s filters, and is in
    /// `view`'s order: an export of `view` is the set's matching rows, in the order the API
    /// would give them, at no call (tracked).
    pub(crate) fn serves(&self, view: &RequestQuery) -> bool {
        self.covers(view)
            && self
                .key
                .with(|k| k.as_ref().is_some_and(|k| k.sort == view.sort))
    }

    /// True when this set (complete or partial) belongs to `query`'s filters (tracked).
    pub(crate) fn belongs_to(&self, query: &RequestQuery) -> bool {
        self.since.with(Option::is_none) && self.key.with(|k| k.as_ref() == Some(&set_key(query)))
    }

    /// Calls that loading everything for `query` would still cost, given the matching `total`:
    /// 0 when already loaded, only the missing pages after a partial load, the inconsistent
    /// pages after a load that ended [`Phase::Changed`] (all of them when no page can be named).
    pub(crate) fn cost(&self, query: &RequestQuery, total: u64) -> u64 {
        if self.is_complete_for(query) {
            return 0;
        }
        if self.belongs_to(query) && self.phase.with(|p| matches!(p, Phase::Changed(_))) {
            return self.merge.with_value(Merge::again);
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
    pub(crate) fn expect_total(&self, query: &RequestQuery, total: u64) {
        self.expect(set_key(query), None, total);
    }

    /// [`Self::expect_total`] for a window's set: `since_start` requests to load.
    pub(crate) fn expect_window(&self, filters: &RequestQuery, start: DateTime<Utc>, rows: u64) {
        self.expect(window_key(filters), Some(start), rows);
    }

    fn expect(&self, key: RequestQuery, since: Option<DateTime<Utc>>, total: u64) {
        if self.is_set_untracked(&key, since) {
            if self.progress.get_untracked().1 == 0 {
                self.progress.update(|p| p.1 = total);
            }
        } else if self.phase.get_untracked() != Phase::Running {
            self.switch_to(key, since);
            self.progress.set((0, total));
        }
    }

    fn is_set_untracked(&self, key: &RequestQuery, since: Option<DateTime<Utc>>) -> bool {
        self.since.get_untracked() == since && self.key.with_untracked(|k| k.as_ref() == Some(key))
    }

    fn switch_to(&self, key: RequestQuery, since: Option<DateTime<Utc>>) {
        self.merge.set_value(Merge::default());
        self.refetched.set(0);
        self.rows.set(Arc::new(Vec::new()));
        self.progress.set((0, 0));
        self.phase.set(Phase::Idle);
        self.since.set(since);
        self.key.set(Some(key));
    }

    /// Takes `page` (the first page of `query`'s view, holding every matching request, as
    /// [`crate::state::Dashboard::complete_page`] finds it) as the whole set: exporting what is
    /// already on screen costs no call. Left alone while a load runs or when the set is loaded.
    pub(crate) fn adopt(&self, query: &RequestQuery, page: Arc<RequestPage>) {
        let key = set_key(query);
        if self.phase.get_untracked() == Phase::Running || self.is_complete_for_untracked(&key) {
            return;
        }
        self.switch_to(key, None);
        self.merge.update_value(|m| m.add(0, page));
        self.finish(Ok(()));
    }

    /// Starts loading (or resumes) every request matching `query`'s filters in the background,
    /// making at most `budget` calls (`None`: as many as needed).
    pub(crate) fn start(&self, source: Source, query: &RequestQuery, budget: Option<u64>) {
        let this = *self;
        let query = query.clone();
        spawn_local(async move {
            this.load(source, &query, budget).await;
        });
    }

    /// Loads (or resumes loading) every request matching `query`'s filters from `source`, and
    /// returns how it ended. If a load of the same set is already running, waits for it instead
    /// of starting a second one.
    pub(crate) async fn load(
        self,
        source: Source,
        query: &RequestQuery,
        budget: Option<u64>,
    ) -> Phase {
        self.load_set(source, set_key(query), None, None, budget)
            .await
    }

    /// Starts loading (or resumes) `filters`' requests created since `start`, newest first, in
    /// the background: `since_start` is how many there are, when counted.
    pub(crate) fn start_window(
        &self,
        source: Source,
        filters: &RequestQuery,
        start: DateTime<Utc>,
        since_start: Option<u64>,
        budget: Option<u64>,
    ) {
        let this = *self;
        let key = window_key(filters);
        spawn_local(async move {
            this.load_set(source, key, Some(start), since_start, budget)
                .await;
        });
    }

    /// [`Self::load_window`] and [`Self::start_window`], awaited.
    pub(crate) async fn load_window(
        self,
        source: Source,
        filters: &RequestQuery,
        start: DateTime<Utc>,
        since_start: Option<u64>,
        budget: Option<u64>,
    ) -> Phase {
        self.load_set(
            source,
            window_key(filters),
            Some(start),
            since_start,
            budget,
        )
        .await
    }

    /// Loads (or resumes) the set `key` (for a window: down to `since`, about `rows` rows).
    async fn load_set(
        self,
        source: Source,
        key: RequestQuery,
        since: Option<DateTime<Utc>>,
        rows: Option<u64>,
        budget: Option<u64>,
    ) -> Phase {
        if self.phase.get_untracked() == Phase::Running {
            if self.is_set_untracked(&key, since) {
                return self.wait().await;
            }
            self.cancel();
        }
        let same = self.is_set_untracked(&key, since);
        if same && self.phase.get_untracked() == Phase::Done {
            return Phase::Done;
        }
        // A copy on this device that is in step holds the whole set: one pass over it, in the
        // API's order, instead of a hundred pages asked of it one by one.
        if let Some(copy) = source.history().map(|h| h.copy()).filter(|c| c.serving) {
            let all = RequestQuery {
                limit: u32::MAX,
                offset: 0,
                created_before: None,
                ..key.clone()
            };
            // A window's set: the requests created since its start.
            let rows: Vec<&HitlRequest> = copy
                .rows
                .iter()
                .filter(|r| since.is_none_or(|s| r.created_at.is_some_and(|c| c >= s)))
                .collect();
            let page = contract::list(&rows, &all);
            self.switch_to(key, since);
            self.merge.update_value(|m| m.add(0, Arc::new(page)));
            self.finish(Ok(()));
            return self.phase.get_untracked();
        }
        // A set that changed while loading, where no page can be named to fetch again (they
        // agree on a total they do not add up to), is loaded again from the start, past the
        // answer cache (which holds the pages just loaded).
        let restart = same
            && matches!(self.phase.get_untracked(), Phase::Changed(_))
            && self.merge.with_value(|m| m.refetch().is_empty());
        if restart || !same {
            self.switch_to(key.clone(), since);
        }
        // A window's set wants the rows its count says (one page when not counted), and more
        // pages only while the last one has not passed the window's start.
        if since.is_some() && self.merge.with_value(|m| m.limit.is_none()) {
            self.merge
                .update_value(|m| m.limit = Some(rows.unwrap_or(1).max(1)));
        }
        self.phase.set(Phase::Running);
        self.budget.set_value(budget);
        let (handle, registration) = AbortHandle::new_pair();
        self.abort.set_value(Some(handle));
        // When cancelled (`Err(Aborted)`), `cancel` has already recorded the stop.
        if let Ok(outcome) = Abortable::new(self.run(source, key, restart), registration).await {
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
        self.phase.get_untracked() == Phase::Done && self.is_set_untracked(key, None)
    }

    /// Stops a running load; what arrived is kept and can be resumed.
    pub(crate) fn cancel(&self) {
        if let Some(h) = self.abort.get_value() {
            // Dropping the in-flight futures aborts their fetches.
            h.abort();
        }
        if self.phase.get_untracked() == Phase::Running {
            self.finish(Err(None));
        }
    }

    /// Forgets the loaded set (Refresh, another source).
    pub(crate) fn clear(&self) {
        self.cancel();
        self.merge.set_value(Merge::default());
        self.rows.set(Arc::new(Vec::new()));
        self.progress.set((0, 0));
        self.refetched.set(0);
        self.since.set(None);
        self.key.set(None);
        self.phase.set(Phase::Idle);
    }

    fn finish(&self, outcome: Result<(), Option<ApiError>>) {
        self.abort.set_value(None);
        let rows = self.merge.with_value(Merge::rows);
        // Progress is throttled while loading: state the exact figures at the end (distinct
        // rows: a row seen on two pages is one request).
        let total = self.merge.with_value(Merge::wanted);
        if !rows.is_empty() {
            self.progress.set(((rows.len() as u64).min(total), total));
        }
        self.rows.set(Arc::new(rows));
        self.phase.set(match outcome {
            Ok(()) => match self.merge.with_value(Merge::gap) {
                None => Phase::Done,
                Some(gap) => Phase::Changed(gap),
            },
            Err(e) => Phase::Stopped(e),
        });
    }

    fn record(&self, offset: u64, page: Arc<RequestPage>) {
        self.merge.update_value(|m| m.add(offset, page));
        let total = self.merge.with_value(Merge::wanted);
        let received = self.merge.with_value(|m| m.received() as u64);
        // At most ~10 progress renders a second: a load of 100 pages must not spend its main
        // thread redrawing a progress bar.
        let now = now_ms();
        if received >= total || now - self.progress_at.get_value() >= PROGRESS_EVERY_MS {
            self.progress_at.set_value(now);
            self.progress.set((received.min(total), total));
        }
    }

    /// Loads the missing pages, then repairs the set if the requests changed meanwhile; a
    /// window's set then takes one more page at a time until its last page passed the start.
    /// `fresh`: the first pass bypasses the answer cache too.
    async fn run(
        self,
        source: Source,
        key: RequestQuery,
        fresh: bool,
    ) -> Result<(), Option<ApiError>> {
        let since = self.since.get_untracked();
        let first = RequestQuery {
            limit: PAGE as u32,
            ..key.clone()
        };
        let mut total = match self.merge.with_value(|m| m.has(0).then_some(m.total)) {
            Some(total) => total,
            None => {
                self.spend(1)?;
                let page = source.list(&first, fresh).await.map_err(Some)?;
                self.record(0, Arc::clone(&page));
                page.total
            }
        };
        let mut rounds = 0;
        loop {
            // Repeat if the total grew while loading (new requests arrived).
            let missing: Vec<RequestQuery> = self.merge.with_value(|m| {
                page_queries_upto(&key, total, m.limit)
                    .into_iter()
                    .filter(|q| !m.has(q.offset))
                    .collect()
            });
            if !missing.is_empty() {
                let (missing, cut) = self.within_budget(missing);
                self.fetch(&source, missing, fresh, &mut |offset, page| {
                    total = total.max(page.total);
                    self.record(offset, page);
                })
                .await
                .map_err(Some)?;
                cut?;
                continue;
            }
            // Every page is in. Pages served before the requests changed disagree with the
            // latest total: fetch them again, fresh (the cache holds their old answers), so
            // that every page was served in the same state; drop those past the new end.
            // Bounded: the data may keep changing, and then `finish` reports the gap.
            self.merge.update_value(Merge::drop_past_end);
            // From here on the latest total decides which pages are wanted: the pages just
            // dropped lie past its end and must not count as missing again.
            total = self.merge.with_value(|m| m.total);
            let again: Vec<RequestQuery> = self.merge.with_value(|m| {
                m.refetch()
                    .into_iter()
                    .map(|offset| first.with_offset(offset))
                    .collect()
            });
            if !again.is_empty() && rounds < REPAIR_ROUNDS {
                rounds += 1;
                let (again, cut) = self.within_budget(again);
                self.fetch(&source, again, true, &mut |offset, page| {
                    self.refetched.update(|n| *n += 1);
                    self.record(offset, page);
                })
                .await
                .map_err(Some)?;
                cut?;
                continue;
            }
            match since {
                Some(start) if again.is_empty() && !self.merge.with_value(|m| m.reached(start)) => {
                    self.merge.update_value(Merge::want_next_page);
                }
                _ => break,
            }
        }
        self.merge.update_value(Merge::drop_past_end);
        Ok(())
    }

    /// Takes `calls` from the budget, or stops the load where the quota would.
    fn spend(&self, calls: u64) -> Result<(), Option<ApiError>> {
        self.within_budget(vec![(); calls as usize]).1
    }

    /// As many of `queries` as the budget allows, and the stop to report after them when
    /// that is not all of them.
    fn within_budget<Q>(&self, mut queries: Vec<Q>) -> (Vec<Q>, Result<(), Option<ApiError>>) {
        let Some(left) = self.budget.get_value() else {
            return (queries, Ok(()));
        };
        let take = (left as usize).min(queries.len());
        let cut = queries.len() > take;
        queries.truncate(take);
        self.budget.set_value(Some(left - take as u64));
        let stop = if cut {
            Err(Some(ApiError::QuotaPaused {
                reset_at: None,
                usage_count: None,
                usage_limit: None,
            }))
        } else {
            Ok(())
        };
        (queries, stop)
    }

    /// Asks for `queries`, [`CONCURRENCY`] in flight, and hands each page to `got` (with its
    /// offset) as it arrives; `fresh` bypasses the answer cache. After the first error no
    /// further page is asked for, but the answers already on their way are still taken: each
    /// was paid for, and Resume then asks only for the pages that are really missing. Returns
    /// that first error.
    async fn fetch(
        &self,
        source: &Source,
        queries: Vec<RequestQuery>,
        fresh: bool,
        // `dyn`: one compiled copy of this loop for both callers.
        got: &mut dyn FnMut(u64, Arc<RequestPage>),
    ) -> Result<(), ApiError> {
        let failed = std::cell::Cell::new(false);
        let failed = &failed;
        let mut pages = futures::stream::iter(queries)
            .map(|q| async move {
                // Not sent once a page has failed: `None`.
                if failed.get() {
                    return None;
                }
                Some((q.offset, source.list(&q, fresh).await))
            })
            .buffer_unordered(CONCURRENCY);
        let mut first_error = None;
        while let Some(answer) = pages.next().await {
            match answer {
                Some((offset, Ok(page))) => got(offset, page),
                Some((_, Err(e))) => {
                    failed.set(true);
                    first_error.get_or_insert(e);
                }
                None => {}
            }
        }
        first_error.map_or(Ok(()), Err)
    }
}

/// The set a window is loaded as: `filters`' requests newest first (the API's
/// `sort=created_at_desc`), so that they come before every older request.
pub(crate) fn window_key(filters: &RequestQuery) -> RequestQuery {
    RequestQuery {
        sort: Sort::CreatedAtDesc,
        ..set_key(filters)
    }
}

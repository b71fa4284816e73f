//! Application state: the connection (which source), the quota record of the connected key,
//! and the dashboard's data flow (URL → query → one resource → what is shown).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use hitl_core::key::key_problem;
use hitl_core::loader::set_key;
use hitl_core::quota::{key_fingerprint, Quota, QuotaView, RateLimitHeaders};
use hitl_core::{
    ApiError, FromJson, HitlRequest, LoopList, QueryError, RequestPage, RequestQuery, Status,
};
use leptos::prelude::*;

use crate::all_matching::AllMatching;
use crate::api::{ApiClient, DemoSource, Source};
use crate::browser::{now_ms, now_secs, storage_get, storage_remove, storage_set};
use crate::components::clock::Clock;
use crate::url::UrlState;

/// localStorage entry of the remembered key (only when the user ticks "Remember").
const KEY_ENTRY: &str = "hitl.api_key";
/// localStorage entry of the API base URL (not a secret).
const BASE_ENTRY: &str = "hitl.base_url";
/// The documented API base.
pub const DEFAULT_BASE: &str = "https://api.hitl.sh";

/// The quota record of one key: a signal for the meter, persisted under the key's fingerprint
/// (never the key) so the local hourly count survives reloads.
#[derive(Clone, Copy)]
pub struct QuotaStore {
    quota: RwSignal<Quota>,
    entry: StoredValue<String>,
}

impl QuotaStore {
    /// The record for `key`, loaded from storage, and kept in step with the other tabs of this
    /// dashboard using the same key: each writes the whole record after every call, and the
    /// browser tells the others (a `storage` event), so every meter counts every tab's calls
    /// (what the estimate rests on when the API's headers cannot be read).
    pub fn for_key(key: &str) -> Self {
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
    pub fn record(
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
    }

    /// When sending is paused, until when (tracked: for countdowns).
    pub fn paused_until(&self, now: i64) -> Option<i64> {
        self.quota.with(|q| q.paused(now))
    }

    /// When sending is paused, until when (untracked: used by the client before sending).
    pub fn paused(&self, now: i64) -> Option<i64> {
        self.quota.with_untracked(|q| q.paused(now))
    }

    /// The meter's figures (untracked).
    pub fn view_untracked(&self, now: i64) -> QuotaView {
        self.quota.with_untracked(|q| q.view(now))
    }

    /// The meter's figures (tracked).
    pub fn view(&self, now: i64) -> QuotaView {
        self.quota.with(|q| q.view(now))
    }
}

/// Which source the dashboard reads, and the settings that chose it.
#[derive(Clone, Copy)]
pub struct Connection {
    pub source: RwSignal<Source, LocalStorage>,
    /// The quota record of the connected key; `None` in demo mode.
    pub quota: RwSignal<Option<QuotaStore>>,
    pub base_url: RwSignal<String>,
    /// True when the key is kept in localStorage.
    pub remembered: RwSignal<bool>,
    /// Bumped at every change of source, so data of the previous source is never shown as
    /// the current one's.
    pub generation: RwSignal<u64>,
}

impl Connection {
    /// Starts live when a key was remembered on this device, otherwise on demo data.
    pub fn restore() -> Self {
        let base = storage_get(BASE_ENTRY).unwrap_or_else(|| DEFAULT_BASE.to_owned());
        // A remembered key that cannot be sent (stored before keys were checked) is forgotten:
        // the dashboard starts on demo data, and the form says what is wrong when it is entered.
        let key = storage_get(KEY_ENTRY).filter(|k| key_problem(k).is_none());
        if key.is_none() {
            storage_remove(KEY_ENTRY);
        }
        let conn = Connection {
            source: RwSignal::new_local(Source::Demo(DemoSource::default())),
            quota: RwSignal::new(None),
            base_url: RwSignal::new(base.clone()),
            remembered: RwSignal::new(key.is_some()),
            generation: RwSignal::new(0),
        };
        if let Some(key) = key {
            conn.connect(&base, &key, true);
        }
        conn
    }

    /// Switches to the live API with `key`. The key is stored only when `remember` is set.
    pub fn connect(&self, base: &str, key: &str, remember: bool) {
        let base = base.trim();
        let base = if base.is_empty() { DEFAULT_BASE } else { base };
        storage_set(BASE_ENTRY, base);
        if remember {
            storage_set(KEY_ENTRY, key.trim());
        } else {
            storage_remove(KEY_ENTRY);
        }
        let quota = QuotaStore::for_key(key.trim());
        self.base_url.set(base.to_owned());
        self.remembered.set(remember);
        self.quota.set(Some(quota));
        self.generation.update(|g| *g += 1);
        self.source
            .set(Source::Live(ApiClient::new(base, key, quota)));
    }

    /// Switches to demo data; forgets a remembered key when asked.
    pub fn use_demo(&self, forget_key: bool) {
        if forget_key {
            storage_remove(KEY_ENTRY);
            self.remembered.set(false);
        }
        self.quota.set(None);
        self.generation.update(|g| *g += 1);
        self.source.set(Source::Demo(DemoSource::default()));
    }

    /// True while on demo data.
    pub fn is_demo(&self) -> bool {
        self.source.with(Source::is_demo)
    }
}

/// One loaded page and what it answered.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The source generation it came from ([`Connection::generation`]).
    pub generation: u64,
    pub query: RequestQuery,
    pub page: Arc<RequestPage>,
    /// When it was fetched (ms since epoch).
    pub at_ms: f64,
}

impl PartialEq for Loaded {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.page, &other.page) && self.query == other.query
    }
}

/// The dashboard's data flow. Copy handles; provided as context.
#[derive(Clone, Copy)]
pub struct Dashboard {
    pub url: UrlState,
    pub conn: Connection,
    /// The list query the URL describes (or why it is invalid).
    pub query: Memo<Result<RequestQuery, QueryError>>,
    /// Bumped by Refresh.
    pub refresh: RwSignal<u64>,
    /// True from a Refresh until the page it asked for has answered: Refresh does nothing
    /// meanwhile, so a double click does not pay for the view twice.
    pub refreshing: RwSignal<bool>,
    /// Bumped by auto-refresh: reloads the current page only, past the cache.
    reload: RwSignal<u64>,
    reload_fresh: StoredValue<bool>,
    /// The current page, keyed on (source, query, refresh). A newer key does not cancel the
    /// older fetch: the resource awaits it, then runs again (see `rerun` in [`Dashboard::new`]);
    /// `shown` keeps an answer of an older source off the screen.
    pub page: LocalResource<Result<Loaded, ApiError>>,
    /// The last page that loaded, kept on screen when a later load fails.
    pub shown: Memo<Option<Loaded>>,
    /// Ids of the shown rows that are new or changed since the previous load of the same view
    /// (Refresh, auto-refresh), for a brief highlight.
    pub fresh: Memo<Arc<HashSet<String>>>,
    /// True once the first page has settled (loaded or failed), and from then on. Work that can
    /// wait for the first rows waits for it: see the status cards.
    pub first_page_settled: ReadSignal<bool>,
    /// Whether a page of a source has answered, with that source's generation: `None` inside
    /// once one has loaded, else the error of the latest load. The status cards wait for it and
    /// take such an error as theirs instead of asking the same server (their first question is
    /// the view's page itself).
    pub first_answer: ReadSignal<Option<(u64, Option<ApiError>)>>,
    /// Every request matching the filters, when loaded (analytics, export).
    pub all: AllMatching,
    /// Rows changed by the user this session (e.g. cancelled), shown over cached answers so the
    /// change appears at once without another call.
    pub updated: RwSignal<HashMap<String, HitlRequest>>,
    /// True while the connected key's quota is paused (until its reset).
    pub paused: Memo<bool>,
    /// Status changes made by the user this session, so that totals counted before them (the
    /// status cards) can say what the API would say now, without another call. Not a signal
    /// of its own: every change also goes through `updated`, which readers track instead.
    moves: StoredValue<Vec<StatusMove>>,
}

/// One request whose status the user changed (a cancel), and when.
#[derive(Clone, Debug, PartialEq)]
pub struct StatusMove {
    /// The request as it was before.
    pub before: HitlRequest,
    pub to: Status,
    /// When the change was answered (ms since epoch).
    pub at_ms: f64,
}

impl Dashboard {
    /// Wires URL, connection and resource together. Call once, at the root.
    pub fn new(url: UrlState, conn: Connection, all: AllMatching, clock: Clock) -> Self {
        let query = Memo::new(move |_| url.request_query());
        let refresh = RwSignal::new(0u64);
        let refreshing = RwSignal::new(false);
        let reload = RwSignal::new(0u64);
        let reload_fresh = StoredValue::new(false);
        // Bumped by the page's own future when the source changed while it was in flight.
        let rerun = RwSignal::new(0u64);
        // Flips back to false when a quota pause ends: the view then reloads by itself.
        let paused = Memo::new(move |_| {
            conn.quota
                .get()
                .is_some_and(|q| q.view(clock.secs()).paused)
        });
        // The first page is asked for now, before the first render: a resource starts fetching
        // only a tick after the whole page has mounted. Its own call then joins this one in
        // flight (the client shares identical GETs), so the answer arrives that much sooner.
        let head_start = StoredValue::new_local(start_early(
            conn.source.get_untracked(),
            query.get_untracked().ok(),
        ));
        let (first_page_settled, settle) = signal(false);
        let (first_answer, set_first_answer) = signal(None::<(u64, Option<ApiError>)>);
        let page = LocalResource::new(move || {
            let source = conn.source.get();
            let generation = conn.generation.get_untracked();
            let query = query.get();
            // Refresh clears the answer cache before bumping this, so tracking it is enough.
            let refresh_count = refresh.get();
            reload.track();
            rerun.track();
            let fresh = reload_fresh.get_value();
            reload_fresh.set_value(false);
            let _ = paused.get(); // `get`, not `track`: a memo must be computed to subscribe to its own sources
            async move {
                let answer = match query {
                    Ok(query) => source.list(&query, fresh).await.map(|page| (query, page)),
                    Err(e) => Err(ApiError::Invalid(e)),
                };
                head_start.set_value(None);
                // The answer to the latest Refresh (an older fetch finishing does not count).
                if refreshing.get_untracked() && refresh.get_untracked() == refresh_count {
                    refreshing.set(false);
                }
                // The source changed while this was in flight (Connect pressed twice, Connect →
                // Demo data → Connect). The resource awaits this future before it looks at that
                // change, and meanwhile any reader of `page` checking its sources
                // (`AsyncDerived::update_if_necessary`) can clear the change's dirty mark: the
                // resource then keeps this answer, which `shown` hides for its old generation, so
                // the table stays empty. Marked again here, in the poll that ends this future,
                // the change is still pending when the resource's loop looks: it asks again.
                if conn.generation.get_untracked() != generation {
                    rerun.update(|n| *n += 1);
                }
                if !first_page_settled.get_untracked() {
                    settle.set(true);
                }
                // Until a page of this source has loaded; then it stays as it is.
                let loaded = first_answer
                    .with_untracked(|a| matches!(a, Some((g, None)) if *g == generation));
                if !loaded {
                    match &answer {
                        Ok(_) => set_first_answer.set(Some((generation, None))),
                        Err(ApiError::Aborted) => {}
                        Err(e) => set_first_answer.set(Some((generation, Some(e.clone())))),
                    }
                }
                let (query, page) = answer?;
                Ok(Loaded {
                    generation,
                    query,
                    page,
                    at_ms: now_ms(),
                })
            }
        });
        let shown = Memo::new(move |prev: Option<&Option<Loaded>>| {
            let generation = conn.generation.get();
            match page.get() {
                Some(Ok(loaded)) if loaded.generation == generation => Some(loaded),
                _ => prev
                    .cloned()
                    .flatten()
                    .filter(|l| l.generation == generation),
            }
        });
        let changes = Memo::new(
            move |prev: Option<&(Option<Loaded>, Arc<HashSet<String>>)>| {
                let current = shown.get();
                let before = prev.and_then(|(p, _)| p.as_ref());
                let ids = match (before, current.as_ref()) {
                    (Some(old), Some(new))
                        if old.query == new.query
                            && old.generation == new.generation
                            && !Arc::ptr_eq(&old.page, &new.page) =>
                    {
                        changed_ids(&old.page.requests, &new.page.requests)
                    }
                    _ => HashSet::new(),
                };
                (current, Arc::new(ids))
            },
        );
        let fresh = Memo::new(move |_| changes.with(|(_, ids)| Arc::clone(ids)));
        Dashboard {
            url,
            conn,
            query,
            refresh,
            refreshing,
            reload,
            reload_fresh,
            page,
            shown,
            fresh,
            first_page_settled,
            first_answer,
            all,
            updated: RwSignal::new(HashMap::new()),
            paused,
            moves: StoredValue::new(Vec::new()),
        }
    }

    /// Asks again, once, when a quota pause ends: bumps `retry` (which the resource tracks) at
    /// the end of each pause if `refused()` says its answer is a quota refusal then. Answers
    /// that arrived stay as they are, so a pause's end costs calls only for what it refused.
    pub fn retry_after_pause(
        &self,
        retry: RwSignal<u32>,
        refused: impl Fn() -> bool + Send + Sync + 'static,
    ) {
        // Boxed: one effect type for every caller.
        let refused: Box<dyn Fn() -> bool + Send + Sync> = Box::new(refused);
        let paused = self.paused;
        Effect::new(move |was: Option<bool>| {
            let now = paused.get();
            if was == Some(true) && !now && untrack(&refused) {
                retry.update(|n| *n = n.wrapping_add(1));
            }
            now
        });
    }

    /// Records a change the user made to a request (`before` → `after`): every view shows the
    /// new version at once, totals counted earlier are corrected (see [`StatusMove`]), and
    /// cached answers are dropped, since they predate the change: whatever is asked next
    /// comes from the API, already counting it.
    pub fn record_change(&self, before: Option<HitlRequest>, after: HitlRequest) {
        if let Some(before) = before.filter(|b| b.status != after.status) {
            self.moves.update_value(|m| {
                m.push(StatusMove {
                    before,
                    to: after.status.clone(),
                    at_ms: now_ms(),
                })
            });
        }
        self.conn.source.with_untracked(Source::clear_cache);
        self.apply_update(after);
    }

    /// The status changes made after `since` (ms since epoch) to requests matching `scope`,
    /// as (from, to) pairs. Tracks `updated`, through which every change also goes.
    pub fn moves_since(&self, since: f64, scope: &RequestQuery) -> Vec<(Status, Status)> {
        self.updated.track();
        self.moves.with_value(|m| {
            m.iter()
                .filter(|m| m.at_ms > since && hitl_core::contract::matches(&m.before, scope))
                .map(|m| (m.before.status.clone(), m.to.clone()))
                .collect()
        })
    }

    /// Drops the loaded "all matching" set and this session's changes: they belong to answers
    /// that are about to be replaced (another source, or Refresh).
    fn forget_session_data(&self) {
        self.all.clear();
        self.updated.update(HashMap::clear);
        self.moves.update_value(Vec::clear);
    }

    /// Records a row the user changed; every view shows the new version.
    pub fn apply_update(&self, row: HitlRequest) {
        self.updated.update(|m| {
            m.insert(row.id.clone(), row);
        });
    }

    /// `rows` with this session's changes applied (tracked).
    pub fn with_updates(&self, rows: &[HitlRequest]) -> Vec<HitlRequest> {
        self.updated.with(|m| {
            rows.iter()
                .map(|r| m.get(&r.id).unwrap_or(r).clone())
                .collect()
        })
    }

    /// `rows` with this session's changes applied, without copying when there are none.
    pub fn with_updates_arc(&self, rows: &Arc<Vec<HitlRequest>>) -> Arc<Vec<HitlRequest>> {
        if self.updated.with(HashMap::is_empty) {
            Arc::clone(rows)
        } else {
            Arc::new(self.with_updates(rows))
        }
    }

    /// The rows of the shown page, with this session's changes (tracked).
    pub fn page_rows(&self) -> Arc<Vec<HitlRequest>> {
        let rows = self
            .shown
            .with(|s| s.as_ref().map(|l| self.with_updates(&l.page.requests)));
        Arc::new(rows.unwrap_or_default())
    }

    /// How many requests match `q`'s filters, from the shown page when it answers them; not
    /// from a "Load older" page, whose total counts only the requests older than its cursor.
    /// Tracked.
    pub fn matching_total(&self, q: &RequestQuery) -> Option<u64> {
        self.shown.with(|s| {
            s.as_ref()
                .filter(|l| l.query.created_before.is_none())
                .filter(|l| l.query.filters_only() == q.filters_only())
                .map(|l| l.page.total)
        })
    }

    /// The page on screen when it holds every request matching `q`, in `q`'s order: the first
    /// page (not a cursor page) of the same filters and sort, with as many rows as the total
    /// (tracked).
    pub fn complete_page(&self, q: &RequestQuery) -> Option<Arc<RequestPage>> {
        let key = set_key(q);
        self.shown.with(|s| {
            s.as_ref()
                .filter(|l| l.query.offset == 0 && l.query.created_before.is_none())
                .filter(|l| l.page.requests.len() as u64 == l.page.total)
                .filter(|l| set_key(&l.query) == key)
                .map(|l| l.page.clone())
        })
    }

    /// The current load's error, if the last answer was one.
    pub fn error(&self) -> Option<ApiError> {
        match self.page.get() {
            Some(Err(ApiError::Aborted)) => None,
            Some(Err(e)) => Some(e),
            _ => None,
        }
    }

    /// Connects to the live API (see [`Connection::connect`]); the loaded set belongs to the old
    /// source and is dropped.
    pub fn connect(&self, base: &str, key: &str, remember: bool) {
        self.switching_source();
        self.conn.connect(base, key, remember);
    }

    /// Switches to demo data (see [`Connection::use_demo`]).
    pub fn use_demo(&self, forget_key: bool) {
        self.switching_source();
        self.conn.use_demo(forget_key);
    }

    /// Before the source changes: the resources that track `refresh` (the open detail, the
    /// cards, the panels) see a change first, for the reason given in [`Dashboard::refresh`]
    /// (an open detail otherwise kept the previous source's answer, and its Cancel went to
    /// the new one); the loaded set and this session's changes belong to the old source.
    fn switching_source(&self) {
        self.refresh.update(|n| *n += 1);
        self.forget_session_data();
    }

    /// Re-fetches only the current page, past the cache (auto-refresh: one call).
    pub fn reload(&self) {
        self.reload_fresh.set_value(true);
        self.reload.update(|n| *n += 1);
    }

    /// True while the current view's answer is not in (tracked): before the first answer, and
    /// while another view or source loads — the resource keeps its last value meanwhile, and
    /// after a Connect that value belongs to the previous source. (A Refresh of the same view
    /// keeps its rows on screen and is not "loading" here.)
    pub fn loading(&self) -> bool {
        let generation = self.conn.generation.get();
        self.page.with(|p| match p {
            None => true,
            Some(Ok(l)) => {
                l.generation != generation || self.query.with(|q| q.as_ref() != Ok(&l.query))
            }
            Some(Err(_)) => false,
        })
    }

    /// Re-fetches the current view, bypassing cached answers; nothing while the previous
    /// Refresh's page is still on its way.
    pub fn refresh(&self) {
        if self.refreshing.get_untracked() {
            return;
        }
        self.refreshing.set(true);
        self.conn.source.with_untracked(Source::clear_cache);
        // The bump before anything else changes: a resource that tracks `refresh` (the open
        // detail) must look at its sources before any of its readers does. A reader woken by
        // the changes below would find the resource marked changed, clear that mark while
        // checking its own sources, and the resource would then keep its old answer
        // (reactive_graph's `AsyncDerived::update_if_necessary`; woken tasks run in order).
        self.refresh.update(|n| *n += 1);
        self.forget_session_data();
    }

    /// Now, in unix seconds (for countdowns).
    pub fn now_secs() -> i64 {
        now_secs()
    }
}

/// Sends the list call for `query` at once (live source only) and returns the future that
/// owns it, to be kept alive until the resource's own call has joined it.
fn start_early(
    source: Source,
    query: Option<RequestQuery>,
) -> Option<futures::future::LocalBoxFuture<'static, ()>> {
    use futures::FutureExt;
    let query = query.filter(|_| !source.is_demo())?;
    let mut call = async move {
        let _ = source.list(&query, false).await;
    }
    .boxed_local();
    // One poll runs the call up to the browser's fetch(); nothing needs waking afterwards.
    let mut cx = std::task::Context::from_waker(futures::task::noop_waker_ref());
    call.poll_unpin(&mut cx).is_pending().then_some(call)
}

/// Ids in `new` that were not in `old` with the same status and `updated_at`.
fn changed_ids(old: &[HitlRequest], new: &[HitlRequest]) -> HashSet<String> {
    let seen: HashSet<(&str, &str, Option<i64>)> = old
        .iter()
        .map(|r| {
            (
                r.id.as_str(),
                r.status.as_str(),
                r.updated_at.map(|t| t.timestamp_millis()),
            )
        })
        .collect();
    new.iter()
        .filter(|r| {
            !seen.contains(&(
                r.id.as_str(),
                r.status.as_str(),
                r.updated_at.map(|t| t.timestamp_millis()),
            ))
        })
        .map(|r| r.id.clone())
        .collect()
}

/// Names for ids, where the loops endpoint answered: loop id → name, user id → email.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Names {
    pub loops: HashMap<String, String>,
    pub users: HashMap<String, String>,
}

impl Names {
    fn from_loops(list: &LoopList) -> Self {
        let mut names = Names::default();
        for lp in &list.loops {
            if !lp.name.is_empty() {
                names.loops.insert(lp.id.clone(), lp.name.clone());
            }
            for m in &lp.members {
                if !m.email.is_empty() {
                    names.users.insert(m.user_id.clone(), m.email.clone());
                }
            }
        }
        names
    }
}

/// The loops of the account, for names instead of raw ids. Optional and lazy: on the live API
/// it costs one call, so it is fetched only once the user shows interest (the Loop ID field,
/// the detail panel); on demo data at once. When it fails, raw ids are shown and all else works.
#[derive(Clone, Copy)]
pub struct Loops {
    wanted: RwSignal<bool>,
    pub list: LocalResource<Option<Result<Arc<LoopList>, ApiError>>>,
    pub names: Memo<Arc<Names>>,
}

impl Loops {
    /// The lazy loops resource for the connected source.
    pub fn new(conn: Connection) -> Self {
        let wanted = RwSignal::new(false);
        let list = LocalResource::new(move || {
            let source = conn.source.get();
            let wanted = wanted.get() || source.is_demo();
            async move {
                if wanted {
                    Some(source.loops().await)
                } else {
                    None
                }
            }
        });
        let names = Memo::new(move |_| {
            list.with(|l| match l {
                Some(Some(Ok(list))) => Arc::new(Names::from_loops(list)),
                _ => Arc::new(Names::default()),
            })
        });
        Loops {
            wanted,
            list,
            names,
        }
    }

    /// Asks for the loops (once; later calls are free).
    pub fn want(&self) {
        if !self.wanted.get_untracked() {
            self.wanted.set(true);
        }
    }

    /// The id of the one loop named `typed`, once the loops are loaded (untracked).
    pub fn id_named(&self, typed: &str) -> Option<String> {
        self.list.with_untracked(|l| match l {
            Some(Some(Ok(list))) => list.id_named(typed).map(str::to_owned),
            _ => None,
        })
    }

    /// Loops for a picker: (id, name), empty until loaded (tracked).
    pub fn options(&self) -> Vec<(String, String)> {
        self.list.with(|l| match l {
            Some(Some(Ok(list))) => list
                .loops
                .iter()
                .map(|lp| (lp.id.clone(), lp.name.clone()))
                .collect(),
            _ => Vec::new(),
        })
    }
}

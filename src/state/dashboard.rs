//! The dashboard's data flow: URL → query → one page resource → what is shown, and the
//! changes the user made this session (a cancel), laid over every answer.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use hitl_core::loader::set_key;
use hitl_core::{ApiError, HitlRequest, QueryError, RequestPage, RequestQuery, Status};
use leptos::prelude::*;

use super::all_matching::AllMatching;
use super::connection::Connection;
use super::resource::{Binding, SourceBound, Stamped};
use crate::api::Source;
use crate::browser::clock::Clock;
use crate::browser::time::now_ms;
use crate::browser::url::UrlState;

/// One loaded page and what it answered.
#[derive(Clone, Debug)]
pub(crate) struct Loaded {
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

/// The page resource: the query asked (or why it is invalid) and the page it answered.
pub(crate) type PageResource = SourceBound<Result<RequestQuery, QueryError>, Arc<RequestPage>>;

/// The dashboard's data flow. Copy handles; provided as context.
#[derive(Clone, Copy)]
pub(crate) struct Dashboard {
    pub url: UrlState,
    pub conn: Connection,
    /// The list query the URL describes (or why it is invalid).
    pub query: Memo<Result<RequestQuery, QueryError>>,
    /// Bumped by Refresh (and before a change of source): every source-bound resource asks
    /// again.
    pub refresh: RwSignal<u64>,
    /// True from a Refresh until the page it asked for has answered: Refresh does nothing
    /// meanwhile, so a double click does not pay for the view twice.
    pub refreshing: RwSignal<bool>,
    /// Bumped by auto-refresh: reloads the current page only, past the cache.
    reload: RwSignal<u64>,
    reload_fresh: StoredValue<bool>,
    /// The current page, keyed on (source, query, refresh, reload).
    pub page: PageResource,
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
    /// The auto-refresh interval in seconds (0: off), as the Auto-refresh select sets it.
    pub auto_every: RwSignal<u32>,
    /// Status changes made by the user this session, so that totals counted before them (the
    /// status cards) can say what the API would say now, without another call. Not a signal
    /// of its own: every change also goes through `updated`, which readers track instead.
    moves: StoredValue<Vec<StatusMove>>,
}

/// One request whose status the user changed (a cancel), and when.
#[derive(Clone, Debug, PartialEq)]
struct StatusMove {
    /// The request as it was before.
    before: HitlRequest,
    to: Status,
    /// When the change was answered (ms since epoch).
    at_ms: f64,
}

impl Dashboard {
    /// Wires URL, connection and resource together. Call once, at the root.
    pub(crate) fn new(url: UrlState, conn: Connection, all: AllMatching, clock: Clock) -> Self {
        let query = Memo::new(move |_| url.request_query());
        let refresh = RwSignal::new(0u64);
        let refreshing = RwSignal::new(false);
        let reload = RwSignal::new(0u64);
        let reload_fresh = StoredValue::new(false);
        // Flips back to false when a quota pause ends: what it refused is asked again.
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
        let binding = Binding {
            conn,
            refresh,
            paused,
        };
        let page = SourceBound::new(
            binding,
            move || {
                reload.track();
                Some(query.get())
            },
            move |source: Source, generation, asked: Result<RequestQuery, QueryError>| {
                // Refresh clears the answer cache before it bumps its counter.
                let refresh_count = refresh.get_untracked();
                let fresh = reload_fresh.get_value();
                reload_fresh.set_value(false);
                async move {
                    let answer = match asked {
                        Ok(query) => source.list(&query, fresh).await,
                        Err(e) => Err(ApiError::Invalid(e)),
                    };
                    head_start.set_value(None);
                    // The answer to the latest Refresh (an older fetch finishing does not count).
                    if refreshing.get_untracked() && refresh.get_untracked() == refresh_count {
                        refreshing.set(false);
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
                    answer
                }
            },
        );
        let shown = Memo::new(move |prev: Option<&Option<Loaded>>| {
            let generation = conn.generation.get();
            let loaded = page.with_current(|s| match s {
                Some(Stamped {
                    generation,
                    at_ms,
                    asked: Ok(query),
                    answer: Ok(page),
                }) => Some(Loaded {
                    generation: *generation,
                    query: query.clone(),
                    page: Arc::clone(page),
                    at_ms: *at_ms,
                }),
                _ => None,
            });
            loaded.or_else(|| {
                prev.cloned()
                    .flatten()
                    .filter(|l| l.generation == generation)
            })
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
            auto_every: RwSignal::new(0),
            moves: StoredValue::new(Vec::new()),
        }
    }

    /// What a source-bound resource follows (see [`SourceBound`]).
    pub(crate) fn binding(&self) -> Binding {
        Binding {
            conn: self.conn,
            refresh: self.refresh,
            paused: self.paused,
        }
    }

    /// Records a change the user made to a request (`before` → `after`): every view shows the
    /// new version at once, totals counted earlier are corrected (see [`StatusMove`]), and
    /// cached answers are dropped, since they predate the change: whatever is asked next
    /// comes from the API, already counting it.
    pub(crate) fn record_change(&self, before: Option<HitlRequest>, after: HitlRequest) {
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
    pub(crate) fn moves_since(&self, since: f64, scope: &RequestQuery) -> Vec<(Status, Status)> {
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
    pub(crate) fn apply_update(&self, row: HitlRequest) {
        self.updated.update(|m| {
            m.insert(row.id.clone(), row);
        });
    }

    /// `rows` with this session's changes applied (tracked).
    pub(crate) fn with_updates(&self, rows: &[HitlRequest]) -> Vec<HitlRequest> {
        self.updated.with(|m| {
            rows.iter()
                .map(|r| m.get(&r.id).unwrap_or(r).clone())
                .collect()
        })
    }

    /// `rows` with this session's changes applied, without copying when there are none.
    pub(crate) fn with_updates_arc(&self, rows: &Arc<Vec<HitlRequest>>) -> Arc<Vec<HitlRequest>> {
        if self.updated.with(HashMap::is_empty) {
            Arc::clone(rows)
        } else {
            Arc::new(self.with_updates(rows))
        }
    }

    /// The rows of the shown page, with this session's changes (tracked).
    pub(crate) fn page_rows(&self) -> Arc<Vec<HitlRequest>> {
        let rows = self
            .shown
            .with(|s| s.as_ref().map(|l| self.with_updates(&l.page.requests)));
        Arc::new(rows.unwrap_or_default())
    }

    /// How many requests match `q`'s filters, from the shown page when it answers them; not
    /// from a "Load older" page, whose total counts only the requests older than its cursor.
    /// Tracked.
    pub(crate) fn matching_total(&self, q: &RequestQuery) -> Option<u64> {
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
    pub(crate) fn complete_page(&self, q: &RequestQuery) -> Option<Arc<RequestPage>> {
        let key = set_key(q);
        self.shown.with(|s| {
            s.as_ref()
                .filter(|l| l.query.offset == 0 && l.query.created_before.is_none())
                .filter(|l| l.page.requests.len() as u64 == l.page.total)
                .filter(|l| set_key(&l.query) == key)
                .map(|l| l.page.clone())
        })
    }

    /// What the key's quota allows of an action that makes `calls` calls (tracked).
    pub fn afford(&self, calls: u64, now: i64) -> Afford {
        match self.conn.quota.get().map(|q| q.view(now)) {
            Some(v) if calls > 0 && (v.paused || v.remaining == 0) => Afford::Nothing {
                reset_at: v.reset_at,
            },
            Some(v) if calls > v.remaining => Afford::Part {
                left: v.remaining,
                reset_at: v.reset_at,
            },
            _ => Afford::All,
        }
    }

    /// What the one banner shows (tracked): the page's error, or else, while the key's quota is
    /// spent, the quota's refusal, whichever call met it (cards, panels, detail, export…).
    /// `invalid`: app parameters the URL holds that cannot be used (the time window's), said
    /// with the list query's own invalid values, or alone.
    pub fn banner(&self, now: i64, invalid: Option<QueryError>) -> Option<ApiError> {
        let error = match (self.error(), invalid) {
            (Some(ApiError::Invalid(q)), Some(w)) => {
                QueryError::all(vec![q, w]).map(ApiError::Invalid)
            }
            (None, Some(w)) => Some(ApiError::Invalid(w)),
            (e, _) => e,
        };
        let spent = self
            .conn
            .quota
            .get()
            .filter(|_| self.paused.get())
            .and_then(|q| q.refusal(now));
        match (error, spent) {
            // One banner for a spent quota, whichever call met it: in the API's words when a
            // 429 said so.
            (Some(e), Some(spent)) if e.is_quota() => Some(spent),
            (Some(e), _) => Some(e),
            (None, spent) => spent,
        }
    }

    /// True once a page of the live source has loaded: the key works (tracked).
    pub fn connected(&self) -> bool {
        let generation = self.conn.generation.get();
        !self.conn.is_demo()
            && self
                .first_answer
                .with(|a| matches!(a, Some((g, None)) if *g == generation))
    }

    /// The current load's error, if the last answer was one (tracked).
    pub(crate) fn error(&self) -> Option<ApiError> {
        self.page
            .with_current(|s| s.and_then(|s| s.answer.as_ref().err().cloned()))
    }

    /// Connects to the live API (see [`Connection::connect`]); the loaded set belongs to the old
    /// source and is dropped.
    pub(crate) fn connect(&self, base: &str, key: &str, remember: bool) {
        self.switching_source();
        self.conn.connect(base, key, remember);
    }

    /// Switches to demo data (see [`Connection::use_demo`]).
    pub(crate) fn use_demo(&self, forget_key: bool) {
        self.switching_source();
        self.conn.use_demo(forget_key);
    }

    /// Before the source changes: the source-bound resources ask again, and the loaded set and
    /// this session's changes, which belong to the old source, go.
    fn switching_source(&self) {
        self.refresh.update(|n| *n += 1);
        self.forget_session_data();
    }

    /// Re-fetches only the current page, past the cache (auto-refresh: one call).
    pub(crate) fn reload(&self) {
        self.reload_fresh.set_value(true);
        self.reload.update(|n| *n += 1);
    }

    /// True while the current view's answer is not in (tracked): before the first answer, and
    /// while another view or source loads — the resource keeps its last value meanwhile, and
    /// after a Connect that value belongs to the previous source. (A Refresh of the same view
    /// keeps its rows on screen and is not "loading" here.)
    pub(crate) fn loading(&self) -> bool {
        self.page.with_current(|s| match s {
            None => true,
            Some(s) => s.answer.is_ok() && self.query.with(|q| *q != s.asked),
        })
    }

    /// Re-fetches the current view, bypassing cached answers; nothing while the previous
    /// Refresh's page is still on its way.
    pub(crate) fn refresh(&self) {
        if self.refreshing.get_untracked() {
            return;
        }
        self.refreshing.set(true);
        self.conn.source.with_untracked(Source::clear_cache);
        // Every source-bound resource (the open detail too) asks again.
        self.refresh.update(|n| *n += 1);
        self.forget_session_data();
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

/// What the key's quota allows of an action, before it starts ([`Dashboard::afford`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Afford {
    /// Every call it needs (or no quota: demo data).
    All,
    /// Only `left` calls until the quota resets.
    Part { left: u64, reset_at: Option<i64> },
    /// None until the quota resets.
    Nothing { reset_at: Option<i64> },
}

impl Afford {
    /// The calls to spend now (`None`: as many as needed).
    pub fn budget(self) -> Option<u64> {
        match self {
            Afford::All => None,
            Afford::Part { left, .. } => Some(left),
            Afford::Nothing { .. } => Some(0),
        }
    }

    /// What to say before the action starts, e.g. " — only 2 calls left this hour: 2 pages now,
    /// the rest after the quota resets in 40 minutes"; empty when it can be paid in full.
    pub fn note(self, now: i64) -> String {
        let reset = |at: Option<i64>| {
            at.map(|t| {
                format!(
                    " in {}",
                    hitl_core::format::format_duration((t - now).max(0) as f64)
                )
            })
            .unwrap_or_default()
        };
        match self {
            Afford::All => String::new(),
            Afford::Part { left, reset_at } => format!(
                " — only {} left this hour: {} now, the rest after the quota resets{}",
                hitl_core::format::count(left, "call", "calls"),
                hitl_core::format::count(left, "page", "pages"),
                reset(reset_at)
            ),
            Afford::Nothing { reset_at } => {
                format!(" — no calls left: the quota resets{}", reset(reset_at))
            }
        }
    }
}

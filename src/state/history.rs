//! "Keep history on this device": turning the copy on and off, and bringing it up to date (the
//! sync) by driving `hitl_core::sync` with the live client. The copy itself, and answering
//! lists from it, is `api::HistorySource`.
//!
//! - Each change of source to a copy (Connect, a returning visit) and each Refresh syncs it.
//!   Its first load costs ⌈N/100⌉ calls, said before it starts; after that a sync costs a
//!   handful (see `hitl_core::sync`), and the three status totals it checks against are the
//!   status cards' calls, shared through the client's cache.
//! - Whatever a page brought is written at once: a sync stopped by the quota, the network or
//!   Cancel loses nothing, and the next one goes on from there.
//! - Two tabs on one key share one copy: a sync holds a lease in localStorage, renewed while it
//!   runs; another tab that finds it held waits for the end (the `storage` event) and reads the
//!   copy the first one wrote, at no call.

use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use hitl_core::contract::{self, Head};
use hitl_core::overview::card_query;
use hitl_core::query::MAX_LIMIT;
use hitl_core::sync::{Call, Check, Outcome, Progress, Repair, StatusTotals, Step, Stored, Sync};
use hitl_core::{ApiError, HitlRequest, RequestPage, RequestQuery, Sort, Status};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::connection::Connection;
use crate::api::{Copy, HistorySource, Source};
use crate::browser::history_db::{kept_entry, Written};
use crate::browser::time::now_ms;
use crate::browser::{storage_get, storage_remove, storage_set};

/// How long a tab's lease on the sync lasts unless renewed (ms).
const LEASE_MS: u64 = 15_000;

/// Where the copy stands.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum HistoryState {
    /// Not kept (the source keeps no copy).
    Off,
    /// The copy is being read from this browser.
    Reading,
    /// Nothing stored yet: the first load is offered, with its cost.
    Empty,
    /// A first load stopped before its end (Cancel, a closed tab): Resume goes on.
    Unfinished,
    /// A sync (or the first load, or a repair) is running.
    Syncing(Progress),
    /// Another tab is bringing the same copy up to date.
    Waiting,
    /// Another tab brought it up to date; this one read what it wrote.
    Shared,
    /// The last sync's outcome, and the calls it sent (retries and status totals included).
    Done(Box<Outcome>, u64),
    /// IndexedDB cannot be used: the dashboard works live.
    Unavailable(String),
}

/// What stops a running sync: nothing yet, Cancel, or Forget (nothing more may be written).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Stop {
    Go,
    Cancel,
    Forget,
}

/// The history's state and actions. Copy; provided as context.
#[derive(Clone, Copy)]
pub(crate) struct History {
    conn: Connection,
    pub state: RwSignal<HistoryState>,
    /// The running sync's stop switch.
    running: StoredValue<Option<Rc<Cell<Stop>>>, LocalStorage>,
    /// The copy this tab has open, closed when the source changes (an open connection would
    /// block deleting it).
    attached: StoredValue<Option<HistorySource>, LocalStorage>,
    /// This tab, for the lease.
    tab: StoredValue<String>,
}

/// The lease on the sync of `name`: `"tab expires_ms"`.
fn lease_entry(name: &str) -> String {
    format!("hitl.history-sync.{name}")
}

impl History {
    /// The history of `conn`'s source: follows every change of source, syncs a copy that holds
    /// requests as soon as it is read, and again when a quota pause that stopped it ends.
    pub(crate) fn new(conn: Connection, paused: Memo<bool>) -> Self {
        let history = History {
            conn,
            state: RwSignal::new(HistoryState::Off),
            running: StoredValue::new_local(None),
            attached: StoredValue::new_local(None),
            // Whole numbers only: printing or parsing a float would link core's float code.
            tab: StoredValue::new(((js_sys::Math::random() * 1e15) as u64).to_string()),
        };
        Effect::new(move |_| {
            conn.generation.track();
            history.stop(Stop::Cancel);
            if let Some(old) = history.attached.try_update_value(Option::take).flatten() {
                old.close();
            }
            match history.source() {
                None => history.state.set(HistoryState::Off),
                Some(h) => history.attach(h),
            }
        });
        let _ = window_event_listener(leptos::ev::storage, move |ev| {
            let Some(h) = history.source() else { return };
            let key = ev.key();
            if ev.new_value().is_some() {
                return;
            }
            if key.as_deref() == Some(lease_entry(h.name()).as_str()) {
                // Another tab ended a sync of the same copy: read what it wrote (no call).
                history.reread(h);
            } else if key.as_deref() == Some(kept_entry(h.name()).as_str()) {
                // Another tab forgot it: let it go here too, so that it can be deleted.
                history.let_go();
            }
        });
        // A sync stopped by the quota goes on by itself when the quota is back.
        Effect::new(move |was: Option<bool>| {
            let now = paused.get();
            let stopped = history.state.with_untracked(|s| {
                matches!(s, HistoryState::Done(o, _)
                    if matches!(&o.check, Check::Interrupted(e) if e.is_quota()))
            });
            if was == Some(true) && !now && stopped {
                history.sync(None);
            }
            now
        });
        history
    }

    /// The copy kept by the current source, if any (untracked).
    fn source(&self) -> Option<HistorySource> {
        self.conn.source.with_untracked(|s| s.history().cloned())
    }

    /// True when the history of the connected key is kept (tracked).
    pub(crate) fn kept(&self) -> bool {
        self.conn.source.with(|s| s.history().is_some())
    }

    /// The copy as it stands (tracked through the source).
    pub(crate) fn copy(&self) -> Option<Copy> {
        self.conn
            .source
            .with(|s| s.history().map(HistorySource::copy))
    }

    /// Waits for the copy `h` to be read, then syncs it (or offers its first load).
    fn attach(self, h: HistorySource) {
        self.attached.set_value(Some(h.clone()));
        self.state.set(HistoryState::Reading);
        spawn_local(async move {
            h.head_read().await;
            if h.answering().is_some() {
                // The head answers the first pages: the badge says where they come from.
                self.conn.source.update(|_| {});
            }
            h.ready().await;
            self.after_read(&h);
        });
    }

    /// `Some(synced_at)` while the views are answered from this device (tracked).
    pub(crate) fn answering(&self) -> Option<Option<f64>> {
        self.conn
            .source
            .with(|s| s.history().and_then(HistorySource::answering))
    }

    fn after_read(self, h: &HistorySource) {
        if let Err(e) = h.db() {
            self.state.set(HistoryState::Unavailable(e.0));
            return;
        }
        // The copy read may already serve: the views ask again.
        self.conn.source.update(|_| {});
        let copy = h.copy();
        if copy.rows.is_empty() {
            self.state.set(HistoryState::Empty);
        } else if copy.synced_at.is_none() {
            // A first load that never ended: going on costs calls, so it waits for Resume.
            self.state.set(HistoryState::Unfinished);
        } else {
            self.sync(None);
        }
    }

    /// Starts keeping the history of the connected key: the views keep their answers, and the
    /// first load is offered with its cost.
    pub(crate) fn keep(&self) {
        let Some(client) = self.conn.source.with_untracked(|s| s.live().cloned()) else {
            return;
        };
        let Some(name) = self.conn.history_name.get_untracked() else {
            return;
        };
        storage_set(&kept_entry(&name), "1");
        // Not a new generation: the live answers on screen are still the API's.
        let h = HistorySource::open(client, name);
        self.conn.source.set(Source::History(h.clone()));
        self.attach(h);
    }

    /// Stops keeping the history and deletes the copy ("Forget this device's history"): the
    /// views go on from the live API. Other tabs let it go too (the `storage` event).
    pub(crate) fn forget(&self) {
        let name = self.conn.history_name.get_untracked();
        self.let_go();
        if let Some(name) = name {
            storage_remove(&kept_entry(&name));
            spawn_local(async move {
                let _ = crate::browser::history_db::forget(&name).await;
            });
        }
    }

    /// Stops using the copy here: no sync, the database closed, the views live.
    fn let_go(&self) {
        self.stop(Stop::Forget);
        if let Some(h) = self.source() {
            h.close();
        }
        if let Some(client) = self.conn.source.with_untracked(|s| s.live().cloned()) {
            self.conn.source.set(Source::Live(client));
        }
        self.state.set(HistoryState::Off);
    }

    /// Cancels a running sync; what it wrote stays, and a later one goes on from there.
    pub(crate) fn cancel(&self) {
        self.stop(Stop::Cancel);
    }

    fn stop(&self, how: Stop) {
        if let Some(switch) = self.running.with_value(Clone::clone) {
            switch.set(how);
        }
    }

    /// Brings the copy up to date (or carries out `repair`), unless a sync runs here or in
    /// another tab. `budget`: the most calls to spend (the first load when the quota cannot
    /// pay for all of it).
    pub(crate) fn sync_with(&self, repair: Option<Repair>, budget: Option<u64>) {
        let Some(h) = self.source() else { return };
        if self.running.with_value(Option::is_some) {
            return;
        }
        let tab = self.tab.get_value();
        if !acquire(h.name(), &tab) {
            self.state.set(HistoryState::Waiting);
            return;
        }
        let this = *self;
        let switch = Rc::new(Cell::new(Stop::Go));
        self.running.set_value(Some(Rc::clone(&switch)));
        self.state.set(HistoryState::Syncing(Progress {
            new: 0,
            changed: 0,
            calls: 0,
            total: None,
        }));
        spawn_local(async move {
            let sent = h.live().calls_sent();
            let outcome = run(this, h.clone(), repair, budget, &tab, &switch).await;
            this.running.set_value(None);
            release(h.name(), &tab);
            if switch.get() == Stop::Forget {
                return;
            }
            let spent = h.live().calls_sent().saturating_sub(sent);
            this.state.set(HistoryState::Done(Box::new(outcome), spent));
            this.conn.source.update(|_| {});
        });
    }

    /// [`History::sync_with`] everything there is to bring in.
    pub(crate) fn sync(&self, budget: Option<u64>) {
        self.sync_with(None, budget);
    }

    /// Reads the copy again, after another tab's sync.
    fn reread(self, h: HistorySource) {
        if self.running.with_value(Option::is_some) {
            return;
        }
        spawn_local(async move {
            let Ok(db) = h.db() else { return };
            if let Ok(stored) = db.read().await {
                let serving =
                    stored.synced_at.is_some() && !stored.rows.is_empty() && !stored.mixed;
                h.serve(Copy {
                    rows: Arc::new(newest_first(stored.rows)),
                    synced_at: stored.synced_at,
                    serving,
                });
                if self.state.with_untracked(|s| *s == HistoryState::Waiting) {
                    self.state.set(HistoryState::Shared);
                }
                self.conn.source.update(|_| {});
            }
        });
    }
}

fn newest_first(mut rows: Vec<HitlRequest>) -> Vec<HitlRequest> {
    hitl_core::sorting::sort_stable(&mut rows, &|a, b| {
        contract::compare(Sort::CreatedAtDesc, a, b)
    });
    rows
}

/// The outcome of a sync that ended before its first call.
fn interrupted(e: ApiError, h: &HistorySource) -> Outcome {
    let stored = Stored::from_requests(h.copy().rows.iter());
    let mut sync = Sync::new(&stored);
    sync.fail(e);
    match sync.next() {
        Step::Done(o) => o,
        // `fail` ends the sync: its next step is always `Done`.
        _ => unreachable!("a failed sync is done"),
    }
}

/// Takes the lease on `name`'s sync for `tab`, unless another tab holds it.
fn acquire(name: &str, tab: &str) -> bool {
    let entry = lease_entry(name);
    let now = now_ms() as u64;
    let held_by_other = storage_get(&entry).is_some_and(|v| {
        let mut parts = v.split(' ');
        let owner = parts.next().unwrap_or_default();
        let until: u64 = parts.next().and_then(|t| t.parse().ok()).unwrap_or(0);
        owner != tab && until > now
    });
    if held_by_other {
        return false;
    }
    storage_set(&entry, &format!("{tab} {}", now + LEASE_MS));
    true
}

/// Gives the lease back (other tabs then read the copy).
fn release(name: &str, tab: &str) {
    let entry = lease_entry(name);
    if storage_get(&entry).is_some_and(|v| v.starts_with(&format!("{tab} "))) {
        storage_remove(&entry);
    }
}

/// The sync itself: the engine says which call to make, the live client makes it, every
/// answer's rows are written at once.
async fn run(
    history: History,
    h: HistorySource,
    repair: Option<Repair>,
    budget: Option<u64>,
    tab: &str,
    switch: &Cell<Stop>,
) -> Outcome {
    let copy = h.copy();
    let db = match h.db() {
        Ok(db) => db,
        Err(e) => {
            history.state.set(HistoryState::Unavailable(e.0));
            return interrupted(ApiError::Aborted, &h);
        }
    };
    let stored = Stored::from_requests(copy.rows.iter());
    let mut sync = match &repair {
        Some(r) => Sync::repair(&stored, r),
        None => Sync::new(&stored),
    };
    let mut rows: HashMap<String, HitlRequest> = copy
        .rows
        .iter()
        .map(|r| (r.id.clone(), r.clone()))
        .collect();
    let client = h.live().clone();
    // The unfiltered total of the last call, when it was an unfiltered list: the totals'
    // fourth figure, without a call of its own.
    let mut last_total: Option<u64> = None;
    let mut calls = 0u64;
    // Rows written by this sync: once some are, the copy mixes two moments until it ends.
    let mut wrote = false;
    let outcome = loop {
        // Renewed while it runs: another tab waits meanwhile.
        acquire(h.name(), tab);
        if switch.get() != Stop::Go {
            sync.fail(ApiError::Aborted);
        }
        let step = sync.next();
        if matches!(step, Step::Call(_)) && budget.is_some_and(|b| calls >= b) {
            sync.fail(ApiError::QuotaPaused {
                reset_at: None,
                usage_count: None,
                usage_limit: None,
            });
            continue;
        }
        match step {
            Step::Call(Call::List(q)) => {
                calls += 1;
                match client.list(&q, true).await {
                    Ok(page) => {
                        last_total = q.status.is_none().then_some(page.total);
                        let _ = sync.feed_page(&q, RequestPage::clone(&page));
                    }
                    Err(e) => sync.fail(e),
                }
            }
            Step::Call(Call::GetOne(id)) => {
                calls += 1;
                last_total = None;
                let answer = client.request(&id).await.map(|d| d.request.clone());
                let _ = sync.feed_one(&id, answer);
            }
            Step::Totals => match totals(&client, last_total.take()).await {
                Ok(t) => sync.feed_totals(t),
                Err(e) => sync.fail(e),
            },
            Step::Done(outcome) => break outcome,
        }
        let changes = sync.take_changes();
        if switch.get() == Stop::Forget {
            // Forgotten meanwhile: nothing more is written.
            continue;
        }
        if !changes.is_empty() {
            wrote = true;
            if let Err(e) = db.write(&changes, Written::PartOfSync).await {
                history.state.set(HistoryState::Unavailable(e.0));
                sync.fail(ApiError::Aborted);
            }
            for r in changes {
                rows.insert(r.id.clone(), r);
            }
        }
        history.state.set(HistoryState::Syncing(sync.progress()));
    };
    for id in &outcome.not_in_api {
        rows.remove(id);
    }
    if !outcome.not_in_api.is_empty() {
        let _ = db.remove(&outcome.not_in_api).await;
    }
    let rows = newest_first(rows.into_values().collect());
    let in_step = outcome.check == Check::InStep;
    let synced_at = if in_step {
        Some(now_ms())
    } else {
        copy.synced_at
    };
    if let (true, Some(at)) = (in_step, synced_at) {
        let head = Head::of(&rows, MAX_LIMIT as usize);
        let _ = db.in_step(at, &head).await;
    }
    // Out of step, the views go back to the live API. Stopped (quota, network, Cancel), a copy
    // that served goes on serving only if nothing was written meanwhile: else it would mix
    // what it held with part of what changed.
    let serving = match &outcome.check {
        Check::InStep => true,
        Check::OutOfStep { .. } => false,
        Check::Interrupted(_) => copy.serving && !wrote,
    };
    h.serve(Copy {
        rows: Arc::new(rows),
        synced_at,
        serving,
    });
    outcome
}

/// The four status totals: the unfiltered total (given, or one `limit=1` call) and the status
/// cards' three calls, from the client's cache when the cards just asked them.
async fn totals(
    client: &crate::api::ApiClient,
    unfiltered: Option<u64>,
) -> Result<StatusTotals, ApiError> {
    // The very queries of the status cards (filters: none), so that their cached answers serve.
    let all = RequestQuery::default();
    let total = match unfiltered {
        Some(t) => t,
        None => {
            let q = RequestQuery {
                limit: 1,
                ..RequestQuery::default()
            };
            client.list(&q, false).await?.total
        }
    };
    let [pending, completed, timeout] =
        [Status::Pending, Status::Completed, Status::Timeout].map(|s| card_query(&all, &s));
    let (p, c, t) = futures::try_join!(
        client.list(&pending, false),
        client.list(&completed, false),
        client.list(&timeout, false),
    )?;
    Ok(StatusTotals::from_cards(total, p.total, c.total, t.total))
}

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

use std::collections::HashMap;
use std::sync::Arc;

use futures::future::{AbortHandle, Abortable};
use hitl_core::contract;
use hitl_core::sync::{Call, Check, Outcome, Progress, Repair, StatusTotals, Step, Stored, Sync};
use hitl_core::{ApiError, HitlRequest, RequestPage, RequestQuery, Sort, Status};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::connection::Connection;
use crate::api::{Copy, HistorySource, Source};
use crate::browser::history_db::kept_entry;
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
    /// A sync (or the first load, or a repair) is running.
    Syncing(Progress),
    /// Another tab is bringing the same copy up to date.
    Waiting,
    /// Another tab brought it up to date; this one read what it wrote.
    Shared,
    /// The last sync's outcome.
    Done(Box<Outcome>),
    /// IndexedDB cannot be used: the dashboard works live.
    Unavailable(String),
}

/// The history's state and actions. Copy; provided as context.
#[derive(Clone, Copy)]
pub(crate) struct History {
    conn: Connection,
    pub state: RwSignal<HistoryState>,
    abort: StoredValue<Option<AbortHandle>>,
    /// This tab, for the lease.
    tab: StoredValue<String>,
}

/// The lease on the sync of `name`: `"tab expires_ms"`.
fn lease_entry(name: &str) -> String {
    format!("hitl.history-sync.{name}")
}

impl History {
    /// The history of `conn`'s source: follows every change of source, and syncs a copy that
    /// holds requests as soon as it is read.
    pub(crate) fn new(conn: Connection) -> Self {
        let history = History {
            conn,
            state: RwSignal::new(HistoryState::Off),
            abort: StoredValue::new(None),
            // Whole numbers only: printing or parsing a float would link core's float code.
            tab: StoredValue::new(((js_sys::Math::random() * 1e15) as u64).to_string()),
        };
        Effect::new(move |_| {
            conn.generation.track();
            history.stop();
            match history.source() {
                None => history.state.set(HistoryState::Off),
                Some(h) => history.attach(h),
            }
        });
        // Another tab ended a sync of the same copy: read what it wrote (no call).
        let _ = window_event_listener(leptos::ev::storage, move |ev| {
            let Some(h) = history.source() else { return };
            if ev.key().as_deref() == Some(lease_entry(h.name()).as_str())
                && ev.new_value().is_none()
            {
                history.reread(h);
            }
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
        self.state.set(HistoryState::Reading);
        spawn_local(async move {
            h.ready().await;
            self.after_read(&h);
        });
    }

    fn after_read(self, h: &HistorySource) {
        if let Err(e) = h.db() {
            self.state.set(HistoryState::Unavailable(e.0));
            return;
        }
        // The copy read may already serve: the views ask again.
        self.conn.source.update(|_| {});
        if h.copy().rows.is_empty() {
            self.state.set(HistoryState::Empty);
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
    /// views go on from the live API.
    pub(crate) fn forget(&self) {
        self.stop();
        if let Some(h) = self.source() {
            h.close();
        }
        if let Some(name) = self.conn.history_name.get_untracked() {
            storage_remove(&kept_entry(&name));
            spawn_local(async move {
                let _ = crate::browser::history_db::forget(&name).await;
            });
        }
        if let Some(client) = self.conn.source.with_untracked(|s| s.live().cloned()) {
            self.conn.source.set(Source::Live(client));
        }
        self.state.set(HistoryState::Off);
    }

    /// Stops a running sync; what it wrote stays.
    pub(crate) fn stop(&self) {
        if let Some(h) = self.abort.try_update_value(Option::take).flatten() {
            h.abort();
            if let Some(source) = self.source() {
                release(source.name(), &self.tab.get_value());
            }
        }
    }

    /// Brings the copy up to date (or carries out `repair`), unless a sync runs here or in
    /// another tab. `budget`: the most calls to spend (the first load when the quota cannot
    /// pay for all of it).
    pub(crate) fn sync_with(&self, repair: Option<Repair>, budget: Option<u64>) {
        let Some(h) = self.source() else { return };
        if self.abort.with_value(Option::is_some) {
            return;
        }
        let tab = self.tab.get_value();
        if !acquire(h.name(), &tab) {
            self.state.set(HistoryState::Waiting);
            return;
        }
        let this = *self;
        let (handle, registration) = AbortHandle::new_pair();
        self.abort.set_value(Some(handle));
        self.state.set(HistoryState::Syncing(Progress {
            new: 0,
            changed: 0,
            calls: 0,
            total: None,
        }));
        spawn_local(async move {
            let run = Abortable::new(
                run(this, h.clone(), repair, budget, tab.clone()),
                registration,
            );
            let outcome = run.await;
            this.abort.set_value(None);
            release(h.name(), &tab);
            match outcome {
                Ok(outcome) => this.state.set(HistoryState::Done(Box::new(outcome))),
                // Cancelled: the copy holds what arrived; a later sync goes on from there.
                Err(_) => this.state.set(HistoryState::Done(Box::new(interrupted(
                    ApiError::Aborted,
                    &h,
                )))),
            }
            this.conn.source.update(|_| {});
        });
    }

    /// [`History::sync_with`] everything there is to bring in.
    pub(crate) fn sync(&self, budget: Option<u64>) {
        self.sync_with(None, budget);
    }

    /// Reads the copy again, after another tab's sync.
    fn reread(self, h: HistorySource) {
        if self.abort.with_value(Option::is_some) {
            return;
        }
        spawn_local(async move {
            let Ok(db) = h.db() else { return };
            if let Ok((rows, synced_at)) = db.read().await {
                let serving = synced_at.is_some() && !rows.is_empty();
                h.serve(Copy {
                    rows: Arc::new(newest_first(rows)),
                    synced_at,
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
    tab: String,
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
    let outcome = loop {
        // Renewed while it runs: another tab waits meanwhile.
        acquire(h.name(), &tab);
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
        if !changes.is_empty() {
            if let Err(e) = db.write(&changes, None).await {
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
    let in_step = outcome.check == Check::InStep;
    let synced_at = if in_step {
        Some(now_ms())
    } else {
        copy.synced_at
    };
    if in_step {
        let _ = db.write(&[], synced_at).await;
    }
    // Out of step, the views go back to the live API; stopped (quota, network, Cancel), a copy
    // that served goes on serving what it holds.
    let serving = match &outcome.check {
        Check::InStep => true,
        Check::OutOfStep { .. } => false,
        Check::Interrupted(_) => copy.serving,
    };
    h.serve(Copy {
        rows: Arc::new(newest_first(rows.into_values().collect())),
        synced_at,
        serving,
    });
    outcome
}

/// The four status totals: the unfiltered total (given, or one `limit=1` call) and the status
/// cards' three `limit=1` calls, from the client's cache when the cards just asked them.
async fn totals(
    client: &crate::api::ApiClient,
    unfiltered: Option<u64>,
) -> Result<StatusTotals, ApiError> {
    let card = |status: Option<Status>| RequestQuery {
        status,
        limit: 1,
        ..RequestQuery::default()
    };
    let total = match unfiltered {
        Some(t) => t,
        None => client.list(&card(None), false).await?.total,
    };
    let [pending, completed, timeout] =
        [Status::Pending, Status::Completed, Status::Timeout].map(|s| card(Some(s)));
    let (p, c, t) = futures::try_join!(
        client.list(&pending, false),
        client.list(&completed, false),
        client.list(&timeout, false),
    )?;
    Ok(StatusTotals::from_cards(total, p.total, c.total, t.total))
}

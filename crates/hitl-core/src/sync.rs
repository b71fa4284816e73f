//! "History on this device": a local copy of every request of a key, brought up to date with the
//! fewest list calls, as a sans-IO state machine. [`Sync`] says which call to make next
//! ([`Step`]); the driver (the browser app, a test) makes it and feeds the answer back. Nothing
//! here reads a clock, spawns or stores: the copy is summarised in a [`Stored`], and the rows to
//! write are handed out after every answer ([`Sync::take_changes`]).
//!
//! # What the API guarantees, and what follows from it
//!
//! - Requests are never deleted.
//! - A request changes only while it is `pending`, once, to `completed`, `timeout` or
//!   `cancelled`, which are final.
//! - A new request is created with `created_at` = now: it is newer than every request before it.
//!
//! So in `sort=created_at_asc` order (ties broken by id, see [`crate::contract`]) a request's
//! position is **stable**: the requests older than it never change in number, new ones are
//! appended at the end, and a status change moves nothing in an unfiltered list. Offset paging
//! oldest first therefore neither skips nor repeats a row, whatever happens between two calls.
//! Newest first (`created_at_desc`), every request created between two calls shifts the later
//! pages down by one.
//!
//! # Step 1: new requests, oldest first
//!
//! The copy is kept **prefix-closed**: it holds every request created at or before its newest
//! one, i.e. exactly the API's first `S` rows oldest first (`S` = the copy's size). So the
//! requests it lacks are the rows at positions `S..T` (`T` = the unfiltered `total`), and step 1
//! reads `sort=created_at_asc&limit=100&offset=S, S+100, …` until a page reaches the latest
//! `total`. Requests created meanwhile are appended at the end and read by the later pages
//! (the loop follows the `total` of each page); none is skipped, none read twice.
//!
//! Newest first, requests created during the sync would push the stored ones down the pages:
//! rows would repeat (harmless, de-duplicated by id), a first page's `total` could grow by
//! more than it shows new rows, and telling "created while paging" (on top, already passed)
//! from "not reached yet" (further down) would take the rows' times. Oldest first there is
//! nothing to reason about: the rows a page shows never move.
//!
//! Each page extends the prefix, so writing it at once keeps the copy prefix-closed: a sync
//! interrupted by the quota or the network leaves a copy the next sync continues from, without
//! reading anything again. That is why step 1 reads oldest first. Newest first (the order the
//! dashboard shows) would read the top of the list first, and an interrupted load would leave a
//! hole between what it wrote and the older copy; a "stop at the first stored request" rule
//! never fills it, and finding it costs reading everything again, which for a key with more
//! than ~10,000 requests is more than an hour's quota: the load would never finish.
//!
//! Cost: `max(1, ⌈(T − S)/100⌉)` calls (one call at least, to learn that nothing is new). A first
//! load is step 1 from `S = 0`: `⌈N/100⌉` calls ([`first_load_calls`]). When the status totals
//! arrive after step 1 and count more requests than it read (created in between), step 1 runs
//! again from where it stopped, up to [`NEW_ROUNDS`] times.
//!
//! A row already in the copy on a step-1 page means the copy was not prefix-closed (it misses
//! older requests): step 1 still reads to the end, step 2 is skipped, and the end check reports
//! the shortfall with a repair.
//!
//! # Step 2: changed requests, the cheaper of two ways
//!
//! Only requests the copy holds as `pending` can have changed; call them the candidates (the
//! copy's pending ones plus the pending ones step 1 just read). Requests only enter `pending` by
//! being created, and step 1 read every created one, so every request pending now is a
//! candidate, and the number of candidates that left `pending` is known exactly before any
//! step-2 call, from the pending total `P_now` of the status cards:
//!
//! `k = candidates − P_now`.
//!
//! If `k == 0`, nothing changed and step 2 costs nothing. Otherwise both costs are computed from
//! the copy alone, and the cheaper way is taken (the first on a tie):
//!
//! - **(a) Re-read** ([`Way::Reread`]): list pages oldest first whose 100-row windows cover
//!   every candidate's position (known exactly: the copy is the prefix, positions are stable).
//!   Windows are laid greedily from the oldest candidate, each starting at the first candidate
//!   not yet covered, which is the fewest windows that cover them. Cost: that number of windows,
//!   at most `⌈(pos_newest − pos_oldest + 1)/100⌉`, never more than re-reading every request
//!   created since the oldest candidate (the newest-first re-read's cost), and far less when an
//!   old request is pending among many answered ones.
//! - **(b) Pending list** ([`Way::PendingList`]): `status=pending&sort=created_at_asc&limit=100`
//!   pages, then `GET /requests/{id}` for each candidate missing from them. Cost:
//!   `⌈P_now/100⌉ + k` (no page when `P_now == 0`).
//!
//! Both stop as soon as `k` candidates were seen to leave `pending`: the others are then still
//! pending, so a way may cost less than its estimate, never more (but for the repairs below).
//! (b) GETs a candidate as soon as the pending pages read so far show it is missing: a pending
//! list shrinks while it is paged (requests are answered), so a still-pending request can be
//! skipped by offset paging; its GET then just shows it pending, one call more. In (a), a
//! candidate absent from its window (positions were off: the copy was not what it seemed) is
//! fetched the same way.
//!
//! Step 2 is only planned when the copy is consistent with the totals (as many requests as the
//! API's `total`, no gap seen in step 1); otherwise `k` means nothing and the end check reports.
//! Requests created after step 1 that a pending page shows are not written by step 2: the next
//! sync's step 1 reads them in order, which keeps the copy prefix-closed.
//!
//! # The end check
//!
//! After merging, the copy's count per status must equal the API's totals ([`StatusTotals`],
//! from the status cards, fetched after the last call of the sync; the sync asks for them again
//! when it made calls since they were fed). This is a proof, not a heuristic, when the totals
//! are one state of the API (fetched back to back with nothing changing in between):
//!
//! 1. every request in the copy was read from the API, so the copy's ids are API ids;
//! 2. every row of the copy was true at the moment it was read, and a final status never
//!    changes, so a request final in the copy has that status in the API too: for each final
//!    status, the copy's requests with it are a subset of the API's;
//! 3. equal counts make these subsets equal, for each of the three final statuses; every other
//!    request of the copy is `pending` in the copy and, not being final in the API, pending
//!    there; equal pending counts then leave no API request outside the copy.
//!
//! So equal counts mean the copy has the API's ids with the API's statuses, hence the API's
//! objects (a request's object changes only with its status): [`Check::InStep`]. Any difference
//! is reported, never hidden: [`Check::OutOfStep`] with the per-status counts and the
//! [`Repair`]s that would fix it, each with its cost in calls. A request that changes after the
//! totals were fetched is the next sync's business.
//!
//! Changes *during* a sync are what can make it end out of step: a candidate answered after its
//! window was read, a request created after the last step-1 page. Syncing again is always
//! possible and usually cheapest: the copy already holds everything that was read.
//!
//! # Writing, failures, resuming
//!
//! Rows new or different from the copy are handed out by [`Sync::take_changes`], to write
//! after every answer. A failed call ([`Sync::fail`]) ends the sync with
//! [`Check::Interrupted`]; what was handed out stays valid, and the next sync simply starts
//! from the copy, which holds it. A re-read never takes a request back from a final status to
//! `pending` (an impossible, stale answer is ignored).
//!
//! The copy must hold only this key's requests as the API served them: clear it when the key
//! changes.

use std::collections::{HashMap, HashSet, VecDeque};

use chrono::{DateTime, Utc};

use crate::error::ApiError;
use crate::loader::{calls_for, PAGE};
use crate::model::{HitlRequest, RequestPage, Status};
use crate::query::{RequestQuery, Sort, MAX_LIMIT};

/// How many times step 1 runs in one sync: again when the totals show requests created after
/// its last page.
pub const NEW_ROUNDS: u32 = 3;

/// Calls a first load of `total` requests costs: `⌈total/100⌉`, at least one.
pub fn first_load_calls(total: u64) -> u64 {
    calls_for(total)
}

/// What the planner keeps of one stored request: where it sorts and what it is now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kept {
    /// `created_at`: its place in the API's order.
    pub created_at: Option<DateTime<Utc>>,
    /// `status`: pending ones may have changed.
    pub status: Status,
    /// `updated_at`: a re-read with another one is written too.
    pub updated_at: Option<DateTime<Utc>>,
}

impl Kept {
    /// The summary of `r`.
    pub fn of(r: &HitlRequest) -> Self {
        Kept {
            created_at: r.created_at,
            status: r.status.clone(),
            updated_at: r.updated_at,
        }
    }
}

/// Counts per status: the four documented ones in [`Status::ALL`] order, then undocumented.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Counts([u64; 5]);

impl Counts {
    fn index(s: &Status) -> usize {
        Status::ALL.iter().position(|x| x == s).unwrap_or(4)
    }
    fn add(&mut self, s: &Status) {
        self.0[Self::index(s)] += 1;
    }
    fn remove(&mut self, s: &Status) {
        let n = &mut self.0[Self::index(s)];
        *n = n.saturating_sub(1);
    }
    fn of(&self, s: &Status) -> u64 {
        self.0[Self::index(s)]
    }
    /// The copy's counts in the cards' shape: cancelled holds the undocumented ones too, as
    /// `total − the other three` does.
    fn totals(&self) -> StatusTotals {
        StatusTotals {
            pending: self.of(&Status::Pending),
            completed: self.of(&Status::Completed),
            timeout: self.of(&Status::Timeout),
            cancelled: self.of(&Status::Cancelled) + self.0[4],
        }
    }
}

/// The stored copy as the planner sees it: every request's id, place and status. Build it from
/// the stored rows ([`Stored::from_requests`], or [`Stored::insert`] row by row from a
/// database cursor) and keep it up to date with what each sync writes.
#[derive(Clone, Debug, Default)]
pub struct Stored {
    requests: HashMap<String, Kept>,
    counts: Counts,
}

impl Stored {
    /// An empty copy: the next sync is a first load.
    pub fn new() -> Self {
        Self::default()
    }

    /// The copy holding `rows` (a later row with the same id replaces an earlier one).
    pub fn from_requests<'r>(rows: impl IntoIterator<Item = &'r HitlRequest>) -> Self {
        let mut stored = Stored::new();
        for r in rows {
            stored.insert(r);
        }
        stored
    }

    /// Adds `r`, or replaces the stored request with its id.
    pub fn insert(&mut self, r: &HitlRequest) {
        let kept = Kept::of(r);
        self.counts.add(&kept.status);
        if let Some(old) = self.requests.insert(r.id.clone(), kept) {
            self.counts.remove(&old.status);
        }
    }

    /// Removes the request `id` (see [`Outcome::not_in_api`]); false when it was not stored.
    pub fn remove(&mut self, id: &str) -> bool {
        match self.requests.remove(id) {
            Some(old) => {
                self.counts.remove(&old.status);
                true
            }
            None => false,
        }
    }

    /// Requests in the copy.
    pub fn len(&self) -> usize {
        self.requests.len()
    }

    /// True when the copy holds no request.
    pub fn is_empty(&self) -> bool {
        self.requests.is_empty()
    }

    /// The stored summary of `id`.
    pub fn get(&self, id: &str) -> Option<&Kept> {
        self.requests.get(id)
    }

    /// True when `id` is stored.
    pub fn contains(&self, id: &str) -> bool {
        self.requests.contains_key(id)
    }

    /// Stored requests with `status` (any undocumented status counts as one: `Other`).
    pub fn count(&self, status: &Status) -> u64 {
        self.counts.of(status)
    }

    /// The copy's counts in the shape of the status cards (cancelled includes undocumented
    /// statuses, as `total − the other three` does).
    pub fn totals(&self) -> StatusTotals {
        self.counts.totals()
    }
}

/// The API's count of requests per status, all filters off: what the status cards show.
///
/// The cards ask `status=X&limit=1` for pending, completed and timeout and derive cancelled from
/// the unfiltered `total` ([`StatusTotals::from_cards`]). For the end check to be a proof, fetch
/// them back to back after the sync's last call (see the module docs).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StatusTotals {
    /// `total` of `status=pending`.
    pub pending: u64,
    /// `total` of `status=completed`.
    pub completed: u64,
    /// `total` of `status=timeout`.
    pub timeout: u64,
    /// `total` of `status=cancelled`, or the unfiltered total less the other three.
    pub cancelled: u64,
}

impl StatusTotals {
    /// From the cards' answers: the unfiltered `total` and the three fetched statuses;
    /// cancelled is the rest (never below 0).
    pub fn from_cards(total: u64, pending: u64, completed: u64, timeout: u64) -> Self {
        StatusTotals {
            pending,
            completed,
            timeout,
            cancelled: total.saturating_sub(pending + completed + timeout),
        }
    }

    /// The `limit=1` queries whose `total`s [`StatusTotals::from_cards`] takes, in its order:
    /// unfiltered, pending, completed, timeout.
    pub fn queries() -> [RequestQuery; 4] {
        let card = |status: Option<Status>| RequestQuery {
            status,
            limit: 1,
            ..RequestQuery::default()
        };
        [
            card(None),
            card(Some(Status::Pending)),
            card(Some(Status::Completed)),
            card(Some(Status::Timeout)),
        ]
    }

    /// Every request: the sum of the four.
    pub fn total(&self) -> u64 {
        self.pending + self.completed + self.timeout + self.cancelled
    }

    /// The count of `status` (0 for an undocumented one: it has no card).
    pub fn of(&self, status: &Status) -> u64 {
        match status {
            Status::Pending => self.pending,
            Status::Completed => self.completed,
            Status::Timeout => self.timeout,
            Status::Cancelled => self.cancelled,
            Status::Other(_) => 0,
        }
    }
}

/// One API call the sync needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Call {
    /// `GET /v1/api/requests` with this query; answer with [`Sync::feed_page`].
    List(RequestQuery),
    /// `GET /v1/api/requests/{id}`; answer with [`Sync::feed_one`].
    GetOne(String),
}

/// What the driver does next.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// Make this call and feed its answer back.
    Call(Call),
    /// Fetch the status totals ([`StatusTotals::queries`], the status cards' calls, not counted
    /// as the sync's) and feed them with [`Sync::feed_totals`].
    Totals,
    /// The sync is over.
    Done(Outcome),
}

/// How step 2 finds the requests that left `pending`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Way {
    /// (a) Re-read, oldest first, the 100-row windows that hold the pending requests.
    Reread,
    /// (b) Read the pending list, then get each request missing from it.
    PendingList,
}

/// Step 2's two costs, computed before its first call, and the way taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Choice {
    /// The cheaper way (re-read on a tie).
    pub way: Way,
    /// Calls for (a): windows of 100 rows that cover every pending request.
    pub reread: u64,
    /// Calls for (b): `⌈P_now/100⌉` pending pages plus one get per request that left.
    pub pending_list: u64,
}

impl Choice {
    /// The estimate of the way taken: an upper bound of its calls.
    pub fn calls(&self) -> u64 {
        match self.way {
            Way::Reread => self.reread,
            Way::PendingList => self.pending_list,
        }
    }
}

/// One status whose count differs between the copy and the API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Differs {
    /// The status.
    pub status: Status,
    /// Requests with it in the copy.
    pub copy: u64,
    /// Requests with it in the API.
    pub api: u64,
}

/// The end check's verdict.
#[derive(Clone, Debug, PartialEq)]
pub enum Check {
    /// The copy's counts equal the API's for every status: the copy is the API's data.
    InStep,
    /// The counts differ: the copy is not the API's data (see [`Outcome::repairs`]).
    OutOfStep {
        /// Every status whose counts differ, in [`Status::ALL`] order.
        differs: Vec<Differs>,
    },
    /// A call failed: no check was made. What was handed out is valid; sync again to go on.
    Interrupted(ApiError),
}

/// A way to bring a copy that is out of step back in step, with its cost.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Repair {
    /// Re-read every request with these statuses (`status=X` pages, oldest first): finds the
    /// requests the copy lacks or holds with a stale status.
    Statuses {
        /// The statuses to re-read.
        statuses: Vec<Status>,
        /// `Σ ⌈total_X/100⌉` (at least one call each).
        calls: u64,
    },
    /// Re-read every request: also finds stored requests the API does not have.
    Everything {
        /// `⌈N/100⌉`.
        calls: u64,
    },
}

impl Repair {
    /// Its cost in calls (list calls; plus the status cards for the check).
    pub fn calls(&self) -> u64 {
        match self {
            Repair::Statuses { calls, .. } | Repair::Everything { calls } => *calls,
        }
    }
}

/// What a sync did, for the UI line and the logs.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// Requests added to the copy.
    pub new: u64,
    /// Stored requests that were written again because they changed.
    pub changed: u64,
    /// List and get calls spent (the status cards not included).
    pub calls: u64,
    /// Of which step 1 (new requests).
    pub calls_new: u64,
    /// Of which step 2 (changed requests).
    pub calls_changed: u64,
    /// Of which a repair's re-reads.
    pub calls_repair: u64,
    /// `k`: how many requests the copy held as pending had left `pending`, when it was known.
    pub left_pending: Option<u64>,
    /// Step 2's costs and way; `None` when step 2 was not needed (`k == 0`) or not reached.
    pub choice: Option<Choice>,
    /// The end check.
    pub check: Check,
    /// When out of step: the repairs, cheapest first.
    pub repairs: Vec<Repair>,
    /// What a first load of the API's requests costs now (`⌈N/100⌉`).
    pub first_load_calls: u64,
    /// True when step 1 met requests already stored: the copy missed older requests.
    pub copy_had_gaps: bool,
    /// Requests a get answered 404 for (the API says it never deletes: reported, not removed).
    pub not_found: Vec<String>,
    /// After a complete [`Repair::Everything`]: stored requests the API did not return. Remove
    /// them from the copy ([`Stored::remove`]).
    pub not_in_api: Vec<String>,
}

impl Outcome {
    /// The UI line: "Synced: 37 new, 12 changed · 2 calls".
    pub fn summary(&self) -> String {
        format!(
            "Synced: {} new, {} changed · {}",
            crate::format::thousands(self.new),
            crate::format::thousands(self.changed),
            crate::format::count(self.calls, "call", "calls")
        )
    }
}

/// Progress so far, for a progress bar while a sync runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Requests added so far.
    pub new: u64,
    /// Stored requests changed so far.
    pub changed: u64,
    /// Calls spent so far.
    pub calls: u64,
    /// Requests the copy will hold (known + still to read), once a page told the total.
    pub total: Option<u64>,
}

/// An answer that does not match the call the sync is waiting for; it was ignored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotAsked;

impl std::fmt::Display for NotAsked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("answer to a call the sync did not ask for")
    }
}

impl std::error::Error for NotAsked {}

/// Why the sync waits for totals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum After {
    /// Step 1 is over: `P_now` for step 2, or the end check.
    New,
    /// Step 2 or a repair made calls: the end check.
    Reads,
}

/// A window of way (a): one list page and the pending requests it must show.
#[derive(Clone, Debug)]
struct Window {
    offset: u64,
    limit: u32,
    ids: Vec<String>,
}

/// Step 2 in progress.
#[derive(Clone, Debug)]
struct Changing {
    way: Way,
    /// Candidates that left pending, as known before step 2.
    k: u64,
    /// (a): windows still to read.
    windows: VecDeque<Window>,
    /// Gets still to make.
    gets: VecDeque<String>,
    /// Candidates already queued for a get.
    queued: HashSet<String>,
    /// (b): candidates, oldest first, with their place.
    candidates: Vec<(Option<DateTime<Utc>>, String)>,
    /// (b): how many of `candidates` the pending pages have passed.
    passed: usize,
    /// (b): ids seen on the pending pages.
    listed: HashSet<String>,
    /// (b): the next pending page's offset; `None` once the list is read.
    next_offset: Option<u64>,
}

/// Where the sync is.
#[derive(Clone, Debug)]
enum Phase {
    /// Step 1 (or the Everything repair): oldest-first pages from `new_next`.
    New,
    /// Waiting for the status totals.
    Totals(After),
    /// Step 2.
    Changed(Box<Changing>),
    /// A Statuses repair: the status being read and the next offset.
    Statuses {
        statuses: Vec<Status>,
        at: usize,
        offset: u64,
    },
    /// Over.
    Done(Box<Outcome>),
}

/// The sync state machine: `next()` → make the call → feed the answer → `take_changes()` →
/// write them → `next()` … until [`Step::Done`]. One call at a time.
#[derive(Clone, Debug)]
pub struct Sync<'a> {
    stored: &'a Stored,
    /// Requests read this sync that are new or differ from the copy: the merged copy is
    /// `stored` overlaid with `read`.
    read: HashMap<String, Kept>,
    counts: Counts,
    /// Requests in the merged copy.
    known: u64,
    unsent: Vec<HitlRequest>,
    unsent_at: HashMap<String, usize>,
    new: u64,
    changed: u64,
    calls: u64,
    calls_new: u64,
    calls_changed: u64,
    calls_repair: u64,
    /// Candidates seen to leave `pending` in step 2.
    left: u64,
    phase: Phase,
    asked: Option<Call>,
    totals: Option<StatusTotals>,
    /// `calls` when the totals were fed: they describe the API after every earlier call.
    calls_at_totals: u64,
    /// The latest unfiltered `total` a page reported.
    api_total: Option<u64>,
    rounds: u32,
    /// Step 1: the oldest-first position after the last row read.
    new_next: u64,
    copy_had_gaps: bool,
    left_pending: Option<u64>,
    choice: Option<Choice>,
    not_found: Vec<String>,
    /// The Everything repair: the ids its pages returned.
    everything: Option<HashSet<String>>,
    repairing: bool,
}

fn oldest_first(offset: u64, limit: u32, status: Option<Status>) -> RequestQuery {
    RequestQuery {
        status,
        sort: Sort::CreatedAtAsc,
        limit,
        offset,
        ..RequestQuery::default()
    }
}

impl<'a> Sync<'a> {
    /// A sync of `stored`: step 1 starts at the copy's size.
    pub fn new(stored: &'a Stored) -> Self {
        Sync {
            stored,
            read: HashMap::new(),
            counts: stored.counts,
            known: stored.len() as u64,
            unsent: Vec::new(),
            unsent_at: HashMap::new(),
            new: 0,
            changed: 0,
            calls: 0,
            calls_new: 0,
            calls_changed: 0,
            calls_repair: 0,
            left: 0,
            phase: Phase::New,
            asked: None,
            totals: None,
            calls_at_totals: 0,
            api_total: None,
            rounds: 1,
            new_next: stored.len() as u64,
            copy_had_gaps: false,
            left_pending: None,
            choice: None,
            not_found: Vec::new(),
            everything: None,
            repairing: false,
        }
    }

    /// A sync that carries out `repair` on `stored`, then checks again.
    pub fn repair(stored: &'a Stored, repair: &Repair) -> Self {
        let mut sync = Sync::new(stored);
        sync.repairing = true;
        match repair {
            Repair::Everything { .. } => {
                sync.new_next = 0;
                sync.everything = Some(HashSet::new());
            }
            Repair::Statuses { statuses, .. } => {
                sync.phase = Phase::Statuses {
                    statuses: statuses.clone(),
                    at: 0,
                    offset: 0,
                };
            }
        }
        sync
    }

    /// What to do next. Until the call it names is answered, it names the same call.
    #[allow(
        clippy::should_implement_trait,
        reason = "not an iterator: it repeats a step until it is answered, and ends in Done"
    )]
    pub fn next(&mut self) -> Step {
        loop {
            if let Some(call) = &self.asked {
                return Step::Call(call.clone());
            }
            let call = match &mut self.phase {
                Phase::Done(outcome) => return Step::Done((**outcome).clone()),
                Phase::Totals(_) => return Step::Totals,
                Phase::New => Call::List(oldest_first(self.new_next, MAX_LIMIT, None)),
                Phase::Statuses {
                    statuses,
                    at,
                    offset,
                } => match statuses.get(*at) {
                    Some(s) => Call::List(oldest_first(*offset, MAX_LIMIT, Some(s.clone()))),
                    None => {
                        self.after_reads();
                        continue;
                    }
                },
                Phase::Changed(c) => {
                    if self.left >= c.k {
                        self.after_reads();
                        continue;
                    }
                    if let Some(id) = c.gets.front() {
                        Call::GetOne(id.clone())
                    } else {
                        match c.way {
                            Way::Reread => match c.windows.front() {
                                Some(w) => Call::List(oldest_first(w.offset, w.limit, None)),
                                None => {
                                    self.after_reads();
                                    continue;
                                }
                            },
                            Way::PendingList => match c.next_offset {
                                Some(o) => {
                                    Call::List(oldest_first(o, MAX_LIMIT, Some(Status::Pending)))
                                }
                                None => {
                                    self.after_reads();
                                    continue;
                                }
                            },
                        }
                    }
                }
            };
            self.asked = Some(call.clone());
            return Step::Call(call);
        }
    }

    /// The answer to a [`Call::List`] the sync asked for.
    pub fn feed_page(&mut self, query: &RequestQuery, page: RequestPage) -> Result<(), NotAsked> {
        match &self.asked {
            Some(Call::List(q)) if q == query => {}
            _ => return Err(NotAsked),
        }
        self.asked = None;
        self.calls += 1;
        if query.status.is_none() {
            self.api_total = Some(page.total);
        }
        let rows = page.requests.len() as u64;
        let end = query.offset + rows;
        let phase = std::mem::replace(&mut self.phase, Phase::Totals(After::Reads));
        self.phase = match phase {
            Phase::New => {
                if self.repairing {
                    self.calls_repair += 1;
                } else {
                    self.calls_new += 1;
                }
                for r in page.requests {
                    if let Some(seen) = &mut self.everything {
                        seen.insert(r.id.clone());
                    } else if self.is_known(&r.id) {
                        self.copy_had_gaps = true;
                    }
                    self.merge(r);
                }
                self.new_next = end;
                if rows == 0 || end >= page.total {
                    Phase::Totals(After::New)
                } else {
                    Phase::New
                }
            }
            Phase::Statuses { statuses, at, .. } => {
                self.calls_repair += 1;
                for r in page.requests {
                    self.merge(r);
                }
                let (at, offset) = if rows == 0 || end >= page.total {
                    (at + 1, 0)
                } else {
                    (at, end)
                };
                Phase::Statuses {
                    statuses,
                    at,
                    offset,
                }
            }
            Phase::Changed(mut c) => {
                self.calls_changed += 1;
                let ids: HashSet<String> = page.requests.iter().map(|r| r.id.clone()).collect();
                let last = page.requests.last().map(|r| (r.created_at, r.id.clone()));
                // Requests created since step 1 are left to the next sync's step 1, which keeps
                // the copy prefix-closed (the end check counts them meanwhile).
                for r in page.requests {
                    if self.is_known(&r.id) {
                        self.merge(r);
                    }
                }
                match c.way {
                    Way::Reread => {
                        if let Some(w) = c.windows.pop_front() {
                            // A pending request missing from its window: fetch it on its own.
                            for id in w.ids {
                                if !ids.contains(&id) && c.queued.insert(id.clone()) {
                                    c.gets.push_back(id);
                                }
                            }
                        }
                    }
                    Way::PendingList => {
                        c.listed.extend(ids);
                        let done = rows == 0 || end >= page.total;
                        c.next_offset = (!done).then_some(end);
                        // Candidates the pages have passed without listing them left pending
                        // (or were skipped by a shift: their get will tell).
                        while let Some((created_at, id)) = c.candidates.get(c.passed) {
                            let passed = done
                                || last
                                    .as_ref()
                                    .is_some_and(|(lc, lid)| (created_at, id) <= (lc, lid));
                            if !passed {
                                break;
                            }
                            if !c.listed.contains(id) && c.queued.insert(id.clone()) {
                                c.gets.push_back(id.clone());
                            }
                            c.passed += 1;
                        }
                    }
                }
                Phase::Changed(c)
            }
            other => other,
        };
        Ok(())
    }

    /// The answer to a [`Call::GetOne`] the sync asked for: the request (the detail's list
    /// fields), or the error. A 404 is noted and the sync goes on; any other error ends it as
    /// [`Sync::fail`] does.
    pub fn feed_one(
        &mut self,
        id: &str,
        answer: Result<HitlRequest, ApiError>,
    ) -> Result<(), NotAsked> {
        match &self.asked {
            Some(Call::GetOne(asked)) if asked == id => {}
            _ => return Err(NotAsked),
        }
        self.asked = None;
        self.calls += 1;
        if let Phase::Changed(c) = &mut self.phase {
            self.calls_changed += 1;
            if c.gets.front().is_some_and(|g| g == id) {
                c.gets.pop_front();
            }
        }
        match answer {
            Ok(r) => self.merge(r),
            Err(ApiError::Api { status: 404, .. }) => self.not_found.push(id.to_owned()),
            Err(e) => self.fail(e),
        }
        Ok(())
    }

    /// The status totals (any time; they are used when no call was made since). The sync asks
    /// for them with [`Step::Totals`].
    pub fn feed_totals(&mut self, totals: StatusTotals) {
        self.totals = Some(totals);
        self.calls_at_totals = self.calls;
        match self.phase {
            Phase::Totals(After::New) => self.after_new(totals),
            Phase::Totals(After::Reads) => self.end_check(totals),
            _ => {}
        }
    }

    /// A call failed (quota, network…): the sync ends with [`Check::Interrupted`]. The rows
    /// already handed out, and those still in [`Sync::take_changes`], are valid to write.
    pub fn fail(&mut self, error: ApiError) {
        self.asked = None;
        if !matches!(self.phase, Phase::Done(_)) {
            let outcome = self.outcome(Check::Interrupted(error), Vec::new(), Vec::new());
            self.phase = Phase::Done(Box::new(outcome));
        }
    }

    /// The rows to write since the last call: new requests and stored ones that changed, each
    /// once, latest version.
    pub fn take_changes(&mut self) -> Vec<HitlRequest> {
        self.unsent_at.clear();
        std::mem::take(&mut self.unsent)
    }

    /// Progress so far.
    pub fn progress(&self) -> Progress {
        Progress {
            new: self.new,
            changed: self.changed,
            calls: self.calls,
            total: self
                .api_total
                .map(|t| t.max(self.known))
                .or(self.totals.map(|t| t.total())),
        }
    }

    fn is_known(&self, id: &str) -> bool {
        self.read.contains_key(id) || self.stored.contains(id)
    }

    fn current(&self, id: &str) -> Option<&Kept> {
        self.read.get(id).or_else(|| self.stored.get(id))
    }

    /// Merges one row read from the API into the merged copy.
    fn merge(&mut self, r: HitlRequest) {
        let kept = Kept::of(&r);
        match self.current(&r.id) {
            None => {
                self.counts.add(&kept.status);
                self.known += 1;
                self.new += 1;
            }
            // Final is final: a pending answer for it is stale, not news.
            Some(before) if before.status.is_final() && !kept.status.is_final() => return,
            Some(before) if *before == kept => return,
            Some(before) => {
                let was = before.status.clone();
                if was == Status::Pending && kept.status != Status::Pending {
                    self.left += 1;
                }
                self.counts.remove(&was);
                self.counts.add(&kept.status);
                if !self.read.contains_key(&r.id) {
                    self.changed += 1;
                }
            }
        }
        self.read.insert(r.id.clone(), kept);
        match self.unsent_at.get(&r.id) {
            Some(&i) => self.unsent[i] = r,
            None => {
                self.unsent_at.insert(r.id.clone(), self.unsent.len());
                self.unsent.push(r);
            }
        }
    }

    /// Step 1 is over and the totals are in: run step 1 again, plan step 2, or check.
    fn after_new(&mut self, totals: StatusTotals) {
        if totals.total() > self.new_next && self.rounds < NEW_ROUNDS {
            self.rounds += 1;
            self.phase = Phase::New;
            return;
        }
        let consistent =
            !self.copy_had_gaps && self.everything.is_none() && self.known == totals.total();
        let candidates = self.counts.of(&Status::Pending);
        if !consistent || candidates < totals.pending {
            return self.end_check(totals);
        }
        let k = candidates - totals.pending;
        self.left_pending = Some(k);
        if k == 0 {
            return self.end_check(totals);
        }
        self.left = 0;
        let (changing, choice) = self.plan_changed(k, totals.pending);
        self.choice = Some(choice);
        self.phase = Phase::Changed(Box::new(changing));
    }

    /// Both ways' plans for `k` requests that left pending, `p_now` pending now; keeps the
    /// cheaper.
    fn plan_changed(&self, k: u64, p_now: u64) -> (Changing, Choice) {
        // Every request of the merged copy, oldest first: its index is its position.
        let mut order: Vec<(Option<DateTime<Utc>>, &str, bool)> = self
            .stored
            .requests
            .iter()
            .filter(|(id, _)| !self.read.contains_key(*id))
            .chain(self.read.iter())
            .map(|(id, kept)| (kept.created_at, id.as_str(), kept.status == Status::Pending))
            .collect();
        order.sort_unstable();
        let pending: Vec<(u64, Option<DateTime<Utc>>, &str)> = order
            .iter()
            .enumerate()
            .filter(|(_, (_, _, pending))| *pending)
            .map(|(i, (created_at, id, _))| (i as u64, *created_at, *id))
            .collect();
        // Greedy windows: each starts at the first pending request not yet covered.
        let mut windows = VecDeque::new();
        let mut i = 0;
        while let Some(&(start, _, _)) = pending.get(i) {
            let mut ids = Vec::new();
            let mut last = start;
            while let Some(&(pos, _, id)) = pending.get(i).filter(|p| p.0 < start + PAGE) {
                ids.push(id.to_owned());
                last = pos;
                i += 1;
            }
            windows.push_back(Window {
                offset: start,
                limit: u32::try_from(last - start + 1).unwrap_or(MAX_LIMIT),
                ids,
            });
        }
        let reread = windows.len() as u64;
        let pending_list = p_now.div_ceil(PAGE) + k;
        let way = if reread <= pending_list {
            Way::Reread
        } else {
            Way::PendingList
        };
        let mut changing = Changing {
            way,
            k,
            windows,
            gets: VecDeque::new(),
            queued: HashSet::new(),
            candidates: Vec::new(),
            passed: 0,
            listed: HashSet::new(),
            next_offset: None,
        };
        if way == Way::PendingList {
            changing.windows.clear();
            changing.candidates = pending
                .iter()
                .map(|(_, created_at, id)| (*created_at, (*id).to_owned()))
                .collect();
            if p_now == 0 {
                // Nothing is pending: every candidate left; no page to read.
                changing.passed = changing.candidates.len();
                for (_, id) in &changing.candidates {
                    changing.queued.insert(id.clone());
                    changing.gets.push_back(id.clone());
                }
            } else {
                changing.next_offset = Some(0);
            }
        }
        let choice = Choice {
            way,
            reread,
            pending_list,
        };
        (changing, choice)
    }

    /// Step 2 or a repair is over: check, with fresh totals when calls were made since.
    fn after_reads(&mut self) {
        match self.totals {
            Some(t) if self.calls_at_totals == self.calls => self.end_check(t),
            _ => self.phase = Phase::Totals(After::Reads),
        }
    }

    /// Compares the merged copy's counts with `totals` and ends the sync.
    fn end_check(&mut self, totals: StatusTotals) {
        let mut not_in_api = Vec::new();
        if let Some(seen) = &self.everything {
            // The Everything repair read every position: stored ids it did not see are not the
            // API's.
            for (id, kept) in &self.stored.requests {
                if !seen.contains(id) && !self.read.contains_key(id) {
                    not_in_api.push(id.clone());
                    self.counts.remove(&kept.status);
                    self.known = self.known.saturating_sub(1);
                }
            }
            not_in_api.sort_unstable();
        }
        let copy = self.counts.totals();
        let differs: Vec<Differs> = Status::ALL
            .iter()
            .filter(|s| copy.of(s) != totals.of(s))
            .map(|s| Differs {
                status: s.clone(),
                copy: copy.of(s),
                api: totals.of(s),
            })
            .collect();
        let (check, repairs) = if differs.is_empty() {
            (Check::InStep, Vec::new())
        } else {
            let repairs = repairs_for(&differs, &totals);
            (Check::OutOfStep { differs }, repairs)
        };
        let outcome = self.outcome(check, repairs, not_in_api);
        self.phase = Phase::Done(Box::new(outcome));
    }

    fn outcome(&self, check: Check, repairs: Vec<Repair>, not_in_api: Vec<String>) -> Outcome {
        let total = self
            .totals
            .map(|t| t.total())
            .or(self.api_total)
            .unwrap_or(self.known);
        Outcome {
            new: self.new,
            changed: self.changed,
            calls: self.calls,
            calls_new: self.calls_new,
            calls_changed: self.calls_changed,
            calls_repair: self.calls_repair,
            left_pending: self.left_pending,
            choice: self.choice,
            check,
            repairs,
            first_load_calls: first_load_calls(total),
            copy_had_gaps: self.copy_had_gaps,
            not_found: self.not_found.clone(),
            not_in_api,
        }
    }
}

/// The repairs for `differs`, cheapest first. Re-reading statuses can only add what the copy
/// lacks or holds stale: it is offered when no final status has more requests in the copy than
/// in the API (those can only be requests the API does not have: re-read everything).
pub fn repairs_for(differs: &[Differs], totals: &StatusTotals) -> Vec<Repair> {
    let mut repairs = Vec::new();
    let extra_final = differs
        .iter()
        .any(|d| d.status.is_final() && d.copy > d.api);
    let lacking: Vec<&Differs> = differs.iter().filter(|d| d.copy < d.api).collect();
    if !extra_final && !lacking.is_empty() {
        repairs.push(Repair::Statuses {
            statuses: lacking.iter().map(|d| d.status.clone()).collect(),
            calls: lacking.iter().map(|d| calls_for(d.api)).sum(),
        });
    }
    repairs.push(Repair::Everything {
        calls: calls_for(totals.total()),
    });
    repairs.sort_by_key(Repair::calls);
    repairs
}

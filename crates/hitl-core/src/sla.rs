//! The SLA watch: pending requests against their deadline (`timeout_at`), soonest first, and
//! which of them need a notification.
//!
//! For a pending request with a `timeout_at`, at `now`:
//! - time left = `timeout_at − now`;
//! - its whole window = `timeout_at − created_at` (unknown without a `created_at`, or when not
//!   positive);
//! - **overdue** when time left ≤ 0: the deadline has been reached and the request still shows
//!   pending (the server has not applied the timeout yet, or the data predates it). The API
//!   times a request out *at* `timeout_at`, so exactly 0 left is overdue;
//! - **at risk** when 0 < time left and (time left < [`AT_RISK_MINUTES`] minutes, or time left <
//!   [`AT_RISK_PERCENT`] % of its whole window, i.e. `10 · left < whole`);
//! - **on track** otherwise.
//!
//! The two are disjoint in [`SlaState`] and in the counts; [`SlaState::needs_attention`] is
//! either. Compared in whole milliseconds. Pending requests without a `timeout_at` cannot be
//! watched and are only counted ([`SlaWatch::no_deadline`]).

use chrono::{DateTime, Duration, Utc};
use std::borrow::Borrow;
use std::collections::HashSet;

use crate::format::thousands;
use crate::model::{HitlRequest, Priority, Status};
use crate::sorting::sort_stable;

/// A request with less than this many minutes left is at risk.
pub const AT_RISK_MINUTES: i64 = 15;
/// A request with less than this share (in %) of its whole window left is at risk.
pub const AT_RISK_PERCENT: i64 = 10;

/// Where a pending request stands against its deadline (see the module doc).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SlaState {
    /// More than 15 minutes and at least 10 % of its window left.
    OnTrack,
    /// Some time left, but less than 15 minutes or less than 10 % of its window.
    AtRisk,
    /// No time left: `timeout_at ≤ now`.
    Overdue,
}

impl SlaState {
    /// The state of a request with `left` before its deadline, out of a `whole` window (from
    /// creation to deadline; `None` when unknown, and only the 15-minute rule applies).
    pub fn of(left: Duration, whole: Option<Duration>) -> SlaState {
        let left_ms = left.num_milliseconds();
        if left_ms <= 0 {
            return SlaState::Overdue;
        }
        let short = left_ms < AT_RISK_MINUTES * 60_000;
        // In i128: ten times a huge window must not overflow.
        let small_share = whole.is_some_and(|w| {
            let w = i128::from(w.num_milliseconds());
            w > 0 && i128::from(left_ms) * 100 < w * i128::from(AT_RISK_PERCENT)
        });
        if short || small_share {
            SlaState::AtRisk
        } else {
            SlaState::OnTrack
        }
    }

    /// At risk or overdue.
    pub fn needs_attention(self) -> bool {
        self != SlaState::OnTrack
    }

    /// A label for people: "On track", "At risk", "Overdue".
    pub fn label(self) -> &'static str {
        match self {
            SlaState::OnTrack => "On track",
            SlaState::AtRisk => "At risk",
            SlaState::Overdue => "Overdue",
        }
    }
}

/// One watched pending request.
#[derive(Clone, Debug, PartialEq)]
pub struct SlaEntry {
    /// Its position in the rows given to [`SlaWatch::compute`], to show the whole row.
    pub index: usize,
    /// `id`.
    pub id: String,
    /// `priority`.
    pub priority: Priority,
    /// `created_at`.
    pub created_at: Option<DateTime<Utc>>,
    /// `timeout_at`, the deadline.
    pub timeout_at: DateTime<Utc>,
    /// `timeout_at − now`; zero or negative when overdue.
    pub left: Duration,
    /// `timeout_at − created_at` when known and positive.
    pub whole: Option<Duration>,
    /// On track, at risk or overdue.
    pub state: SlaState,
}

impl SlaEntry {
    /// Time left in seconds (negative when overdue), e.g. for
    /// [`crate::format::format_duration_short`].
    pub fn left_seconds(&self) -> f64 {
        self.left.num_milliseconds() as f64 / 1000.0
    }
}

/// The SLA watch over the loaded pending requests.
#[derive(Clone, Debug, PartialEq)]
pub struct SlaWatch {
    /// Pending requests with a `timeout_at`, least time left first (ties: higher priority,
    /// then id).
    pub entries: Vec<SlaEntry>,
    /// Pending requests the watch is based on: every pending row given, with a deadline or
    /// not.
    pub based_on: usize,
    /// Pending requests without a `timeout_at` (not in `entries`).
    pub no_deadline: usize,
    /// Entries at risk (overdue ones not included).
    pub at_risk: usize,
    /// Entries overdue.
    pub overdue: usize,
    /// All pending requests as the API counts them (e.g. the Pending card's `total`), when
    /// known: more than `based_on` when only some were loaded.
    pub pending_total: Option<u64>,
}

impl SlaWatch {
    /// The watch over the pending rows of `rows` at `now` (other statuses are ignored);
    /// `pending_total` is the API's count of pending requests, when known.
    pub fn compute<R: Borrow<HitlRequest>>(
        rows: &[R],
        now: DateTime<Utc>,
        pending_total: Option<u64>,
    ) -> SlaWatch {
        let (mut based_on, mut no_deadline, mut at_risk, mut overdue) = (0, 0, 0, 0);
        let mut entries = Vec::new();
        for (index, r) in rows.iter().enumerate() {
            let r = r.borrow();
            if r.status != Status::Pending {
                continue;
            }
            based_on += 1;
            let Some(timeout_at) = r.timeout_at else {
                no_deadline += 1;
                continue;
            };
            let left = timeout_at.signed_duration_since(now);
            let whole = r
                .created_at
                .map(|c| timeout_at.signed_duration_since(c))
                .filter(|w| *w > Duration::zero());
            let state = SlaState::of(left, whole);
            match state {
                SlaState::AtRisk => at_risk += 1,
                SlaState::Overdue => overdue += 1,
                SlaState::OnTrack => {}
            }
            entries.push(SlaEntry {
                index,
                id: r.id.clone(),
                priority: r.priority.clone(),
                created_at: r.created_at,
                timeout_at,
                left,
                whole,
                state,
            });
        }
        sort_stable(&mut entries, &|a, b| {
            a.left
                .cmp(&b.left)
                .then_with(|| b.priority.rank().cmp(&a.priority.rank()))
                .then_with(|| a.id.cmp(&b.id))
        });
        SlaWatch {
            entries,
            based_on,
            no_deadline,
            at_risk,
            overdue,
            pending_total,
        }
    }

    /// Pending requests watched (with a deadline).
    pub fn watched(&self) -> usize {
        self.entries.len()
    }

    /// At risk plus overdue.
    pub fn needs_attention(&self) -> usize {
        self.at_risk + self.overdue
    }

    /// What the list is based on, for a note under it: "Based on 37 of 52 pending requests"
    /// when the API counts more than were loaded, "Based on all 52 pending requests" when it
    /// counts no more, "Based on 37 loaded pending requests" when its count is unknown,
    /// "No pending requests" when there are none.
    pub fn coverage(&self) -> String {
        let noun = |n: u64| if n == 1 { "request" } else { "requests" };
        let loaded = self.based_on as u64;
        match self.pending_total {
            Some(total) if total > loaded => format!(
                "Based on {} of {} pending {}",
                thousands(loaded),
                thousands(total),
                noun(total)
            ),
            _ if loaded == 0 => "No pending requests".to_owned(),
            Some(_) if loaded == 1 => "Based on the 1 pending request".to_owned(),
            Some(_) => format!("Based on all {} pending requests", thousands(loaded)),
            None => format!(
                "Based on {} loaded pending {}",
                thousands(loaded),
                noun(loaded)
            ),
        }
    }

    /// The entries at risk or overdue, as notification input (see [`notifications_due`]).
    pub fn flagged(&self) -> Vec<Flagged> {
        self.entries
            .iter()
            .filter_map(|e| {
                let alert = match e.state {
                    SlaState::OnTrack => return None,
                    SlaState::AtRisk => Alert::AtRisk,
                    SlaState::Overdue => Alert::Overdue,
                };
                Some(Flagged {
                    id: e.id.clone(),
                    priority: e.priority.clone(),
                    alert,
                })
            })
            .collect()
    }
}

/// Why a request is flagged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Alert {
    /// Pending and at risk.
    AtRisk,
    /// Pending past its deadline.
    Overdue,
    /// `status` timeout: the default response was used.
    TimedOut,
}

/// A request at risk, overdue or timed out, with its priority.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Flagged {
    /// `id`.
    pub id: String,
    /// `priority`.
    pub priority: Priority,
    /// Why it is flagged.
    pub alert: Alert,
}

/// Every flagged request of `rows` at `now`: the SLA watch's at-risk and overdue entries
/// (soonest first), then the timed-out requests in row order.
pub fn flagged<R: Borrow<HitlRequest>>(rows: &[R], now: DateTime<Utc>) -> Vec<Flagged> {
    let mut out = SlaWatch::compute(rows, now, None).flagged();
    out.extend(
        rows.iter()
            .map(Borrow::borrow)
            .filter(|r| r.status == Status::Timeout)
            .map(|r| Flagged {
                id: r.id.clone(),
                priority: r.priority.clone(),
                alert: Alert::TimedOut,
            }),
    );
    out
}

/// The ids of `flagged`, to keep as the `previous` set of the next [`notifications_due`].
pub fn flagged_ids(flagged: &[Flagged]) -> HashSet<String> {
    flagged.iter().map(|f| f.id.clone()).collect()
}

/// True for the priorities that notify: critical and high.
pub fn notifies(priority: &Priority) -> bool {
    matches!(priority, Priority::Critical | Priority::High)
}

/// The requests of `current` that newly need a notification: critical or high priority,
/// flagged now (at risk, overdue or timed out) but not in `previous` (the ids flagged at the
/// last look), and never notified before (`notified`, which the caller extends with the ids
/// returned). Each id at most once, in `current`'s order. So a request is notified once, when
/// it first becomes flagged: at risk, then overdue, then timed out is one notification. To
/// notify nothing for what is already flagged when the app opens, pass the first look's ids
/// as `previous`.
pub fn notifications_due(
    previous: &HashSet<String>,
    current: &[Flagged],
    notified: &HashSet<String>,
) -> Vec<Flagged> {
    let mut seen: HashSet<&str> = HashSet::new();
    current
        .iter()
        .filter(|f| {
            notifies(&f.priority)
                && !previous.contains(&f.id)
                && !notified.contains(&f.id)
                && seen.insert(&f.id)
        })
        .cloned()
        .collect()
}

/// The requests of several answers, each id once, in its latest known state: the version with
/// the latest `updated_at` (ties and unknown times: the first given). Sources are given newest
/// answer first where that is known, so a row reloaded since wins even without `updated_at`.
pub fn latest_by_id<'a>(rows: impl IntoIterator<Item = &'a HitlRequest>) -> Vec<&'a HitlRequest> {
    let mut index: std::collections::HashMap<&'a str, usize> = std::collections::HashMap::new();
    let mut out: Vec<&'a HitlRequest> = Vec::new();
    for r in rows {
        match index.get(r.id.as_str()) {
            Some(&i) => {
                if r.updated_at > out[i].updated_at {
                    out[i] = r;
                }
            }
            None => {
                index.insert(r.id.as_str(), out.len());
                out.push(r);
            }
        }
    }
    out
}

/// What may notify now: the watch's at-risk and overdue requests (see [`SlaWatch::flagged`]),
/// and the requests of `rows` that timed out (status `timeout`) among those the watch has seen
/// pending (`watched`): a request that was already timed out when it was first seen did not
/// time out "while the dashboard was open".
pub fn flagged_watched<R: Borrow<HitlRequest>>(
    watch: &SlaWatch,
    rows: &[R],
    watched: &HashSet<String>,
) -> Vec<Flagged> {
    let mut out = watch.flagged();
    out.extend(
        rows.iter()
            .map(Borrow::borrow)
            .filter(|r| r.status == Status::Timeout && watched.contains(&r.id))
            .map(|r| Flagged {
                id: r.id.clone(),
                priority: r.priority.clone(),
                alert: Alert::TimedOut,
            }),
    );
    out
}

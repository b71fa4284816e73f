//! The overview's plans and figures: which `limit=1` calls give the status cards (and which
//! total is already known from the page on screen), the seed dashboard's two panels as queries
//! (so the same answer can come from the API or from a loaded set), when a loaded set covers a
//! view, and grouped-bar geometry for the charts.

use std::borrow::Borrow;

use crate::chart::{count_axis_ticks, Bar};
use crate::contract;
use crate::model::{HitlRequest, Priority, RequestPage, Status};
use crate::query::{RequestQuery, Sort};

/// The filters the status cards are computed for: the view's priority and loop, no status.
/// Sort, page and cursor are left out, so paging and sorting never cost a card call.
pub fn card_filters(view: &RequestQuery) -> RequestQuery {
    RequestQuery {
        status: None,
        ..view.filters_only()
    }
}

/// The `limit=1` query whose `total` is the count of `status` under `filters`.
pub fn status_total_query(filters: &RequestQuery, status: &Status) -> RequestQuery {
    RequestQuery {
        status: Some(status.clone()),
        limit: 1,
        ..card_filters(filters)
    }
}

/// The query the SLA watch reads its pending requests from, for the card filters of `filters`:
/// `status=pending&sort=created_at_asc&limit=100`, the 100 oldest pending requests.
///
/// Why this one: a request's deadline (`timeout_at`) is its creation plus its timeout, and the
/// list sorts only by creation, priority or status, so for requests of the same timeout the
/// oldest pending one is the soonest due; the newest ones (a short timeout set recently) are
/// those the table's default page (newest first) already holds. It is also the Pending card's
/// call (its `total` is the card): the watch costs no call of its own.
pub fn sla_query(filters: &RequestQuery) -> RequestQuery {
    RequestQuery {
        status: Some(Status::Pending),
        sort: Sort::CreatedAtAsc,
        limit: crate::query::MAX_LIMIT,
        ..card_filters(filters)
    }
}

/// The call that gives `status`'s card: its `limit=1` total, or for Pending the SLA watch's
/// query ([`sla_query`]), whose total is the same and whose rows the watch reads.
pub fn card_query(filters: &RequestQuery, status: &Status) -> RequestQuery {
    if *status == Status::Pending {
        sla_query(filters)
    } else {
        status_total_query(filters, status)
    }
}

/// Which card totals must be fetched and what the page on screen already tells.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardPlan {
    /// Statuses to ask for with a `limit=1` call each.
    pub fetch: Vec<Status>,
    /// The status whose total is derived from the page's `total`.
    pub from_page: Option<Status>,
    /// True when the page's `total` counts every status (no status filter), so `from_page` is
    /// that total minus the fetched ones, an upper bound: the remainder also holds any request
    /// whose status is outside the documented four. False when the page's `total` is the total
    /// of `from_page` itself.
    pub page_is_sum: bool,
}

/// The cheapest plan for the cards given the view's status filter: 3 calls either way.
/// Unfiltered, the page's total is the sum, so cancelled is derived (total − the other three,
/// exact only when the page shows which of that remainder is not cancelled: see
/// [`CardPlan::cards_from_page`]);
/// filtered by a documented status, the page's total is that status's total. An undocumented
/// status (never sent: the query rules reject it) gets no help from the page: 4 calls.
pub fn card_plan(view_status: Option<&Status>) -> CardPlan {
    match view_status {
        None => CardPlan {
            fetch: Status::ALL[..3].to_vec(),
            from_page: Some(Status::Cancelled),
            page_is_sum: true,
        },
        Some(Status::Other(_)) => CardPlan {
            fetch: Status::ALL.to_vec(),
            from_page: None,
            page_is_sum: false,
        },
        Some(s) => CardPlan {
            fetch: Status::ALL.iter().filter(|x| *x != s).cloned().collect(),
            from_page: Some(s.clone()),
            page_is_sum: false,
        },
    }
}

/// One card: a status, its total and its share of the four.
#[derive(Clone, Debug, PartialEq)]
pub struct StatusCard {
    /// The status.
    pub status: Status,
    /// Requests with this status under the card filters.
    pub total: u64,
    /// `total` over the sum of the four cards (0 when the sum is 0).
    pub share: f64,
    /// False when `total` is only an upper bound: derived from an unfiltered total minus the
    /// other three statuses, it may also count requests whose status the API does not document
    /// (they have no card and cannot be asked for). Show it as "at most", not as the count.
    pub exact: bool,
}

impl CardPlan {
    /// The four cards (in [`Status::ALL`] order) from the fetched totals (in `fetch` order) and
    /// the page's `total`. A derived total never goes below 0 (requests may arrive between
    /// calls). Knowing only the total, a card derived from an unfiltered page is an upper bound
    /// (`exact: false`): prefer [`CardPlan::cards_from_page`].
    pub fn cards(&self, fetched: &[u64], page_total: u64) -> Vec<StatusCard> {
        self.derive(fetched, page_total, &[])
    }

    /// [`CardPlan::cards`] that also reads the page's rows, so requests with an undocumented
    /// status are never counted as the derived status: when the page holds every matching
    /// request, the derived card is counted from its rows (exact); otherwise it is the
    /// remainder less the undocumented rows seen, still an upper bound (`exact: false`).
    pub fn cards_from_page(&self, fetched: &[u64], page: &RequestPage) -> Vec<StatusCard> {
        self.derive(fetched, page.total, &page.requests)
    }

    fn derive(&self, fetched: &[u64], page_total: u64, rows: &[HitlRequest]) -> Vec<StatusCard> {
        let sum: u64 = fetched.iter().sum();
        let cards = Status::ALL.iter().map(|s| {
            if let Some(i) = self.fetch.iter().position(|f| f == s) {
                (s, fetched.get(i).copied().unwrap_or(0), true)
            } else if self.from_page.as_ref() == Some(s) {
                if !self.page_is_sum {
                    (s, page_total, true)
                } else if rows.len() as u64 >= page_total {
                    // Every matching request is on the page: count, don't subtract.
                    (
                        s,
                        rows.iter().filter(|r| &r.status == s).count() as u64,
                        true,
                    )
                } else {
                    let undocumented = rows
                        .iter()
                        .filter(|r| matches!(r.status, Status::Other(_)))
                        .count() as u64;
                    (s, page_total.saturating_sub(sum + undocumented), false)
                }
            } else {
                (s, 0, true)
            }
        });
        with_shares(cards)
    }
}

/// The four cards counted from `rows` when they are every request matching the cards' filters
/// (a first page with no status filter that holds its whole total): exact, and no call.
pub fn cards_counted(rows: &[HitlRequest]) -> Vec<StatusCard> {
    with_shares(Status::ALL.iter().map(|s| {
        (
            s,
            rows.iter().filter(|r| &r.status == s).count() as u64,
            true,
        )
    }))
}

/// Cards counted from the statuses of every request matching the cards' filters (a loaded set
/// that holds them all): exact, whatever the API's undocumented statuses.
pub fn cards_of<'a>(statuses: impl Iterator<Item = &'a Status>) -> Vec<StatusCard> {
    let mut counts = [0u64; 4];
    for s in statuses {
        if let Some(i) = Status::ALL.iter().position(|x| x == s) {
            counts[i] += 1;
        }
    }
    with_shares(Status::ALL.iter().zip(counts).map(|(s, n)| (s, n, true)))
}

/// `cards` with `status`'s total replaced by `total` (a newer count of it: the page of that
/// status reloaded), shares recomputed.
pub fn with_total(cards: &[StatusCard], status: &Status, total: u64) -> Vec<StatusCard> {
    with_shares(cards.iter().map(|c| {
        if &c.status == status {
            (&c.status, total, true)
        } else {
            (&c.status, c.total, c.exact)
        }
    }))
}

/// Whether the answer to `view` can hold every request matching the cards' filters: the first
/// page of a view with no status filter and no cursor.
pub fn may_hold_all(view: &RequestQuery) -> bool {
    view.status.is_none() && view.offset == 0 && view.created_before.is_none()
}

/// Whether `page`, the answer to `view`, holds every request matching the cards' filters
/// ([`may_hold_all`], with as many rows as its total).
pub fn page_holds_all(view: &RequestQuery, page: &RequestPage) -> bool {
    may_hold_all(view) && page.requests.len() as u64 >= page.total
}

/// Cards for `(status, total, exact)`, each with its share of the totals' sum (0 when the sum
/// is 0).
fn with_shares<'a>(cards: impl Iterator<Item = (&'a Status, u64, bool)>) -> Vec<StatusCard> {
    let cards: Vec<(&Status, u64, bool)> = cards.collect();
    let all: u64 = cards.iter().map(|c| c.1).sum();
    cards
        .into_iter()
        .map(|(s, total, exact)| StatusCard {
            status: s.clone(),
            total,
            share: if all == 0 {
                0.0
            } else {
                total as f64 / all as f64
            },
            exact,
        })
        .collect()
}

/// `cards` after `moves`, each `(from, to)` one request this session changed after the totals
/// were counted (a cancel moves one from Pending to Cancelled): the totals say what the API
/// would now, without another call. A total never goes below 0; shares are recomputed.
pub fn apply_moves(cards: &[StatusCard], moves: &[(Status, Status)]) -> Vec<StatusCard> {
    let mut totals: Vec<u64> = cards.iter().map(|c| c.total).collect();
    let index = |s: &Status| cards.iter().position(|c| &c.status == s);
    for (from, to) in moves.iter().filter(|(from, to)| from != to) {
        if let Some(i) = index(from) {
            totals[i] = totals[i].saturating_sub(1);
        }
        if let Some(i) = index(to) {
            totals[i] += 1;
        }
    }
    with_shares(
        cards
            .iter()
            .zip(totals)
            .map(|(c, total)| (&c.status, total, c.exact)),
    )
}

/// Rows per dashboard panel (the seed's `limit=10`).
pub const PANEL_ROWS: u32 = 10;

/// The seed's "urgent pending", one query per urgent priority (high, critical): pending, oldest
/// first, [`PANEL_ROWS`] each, within `loop_id` when given.
pub fn urgent_queries(loop_id: Option<&str>) -> [RequestQuery; 2] {
    [Priority::High, Priority::Critical].map(|p| RequestQuery {
        status: Some(Status::Pending),
        priority: Some(p),
        loop_id: loop_id.map(str::to_owned),
        sort: Sort::CreatedAtAsc,
        limit: PANEL_ROWS,
        ..RequestQuery::default()
    })
}

/// The seed's "recent completions": completed, newest first, [`PANEL_ROWS`].
pub fn recent_query(loop_id: Option<&str>) -> RequestQuery {
    RequestQuery {
        status: Some(Status::Completed),
        loop_id: loop_id.map(str::to_owned),
        limit: PANEL_ROWS,
        ..RequestQuery::default()
    }
}

/// Both urgent lists as one, oldest first (ties as the server orders them), without duplicates.
pub fn merge_urgent(high: &[HitlRequest], critical: &[HitlRequest]) -> Vec<HitlRequest> {
    let mut all: Vec<HitlRequest> = Vec::with_capacity(high.len() + critical.len());
    for r in high.iter().chain(critical) {
        if !all.iter().any(|x| x.id == r.id) {
            all.push(r.clone());
        }
    }
    crate::sorting::sort_stable(&mut all, &|a, b| {
        contract::compare(Sort::CreatedAtAsc, a, b)
    });
    all
}

/// The two panels.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Panels {
    /// Pending, high or critical, oldest first.
    pub urgent: Vec<HitlRequest>,
    /// Completed, newest first.
    pub recent: Vec<HitlRequest>,
}

impl Panels {
    /// The panels answered from a loaded set, with the very queries the API would get: equal to
    /// the API's answer when `rows` holds every request of the loop (or of all loops).
    pub fn from_rows<R: Borrow<HitlRequest>>(rows: &[R], loop_id: Option<&str>) -> Panels {
        let [high, critical] = urgent_queries(loop_id).map(|q| contract::list(rows, &q).requests);
        Panels {
            urgent: merge_urgent(&high, &critical),
            recent: contract::list(rows, &recent_query(loop_id)).requests,
        }
    }
}

/// True when a set loaded for `set` (its filters: status, priority, loop) holds every request
/// that matches `view`: each filter of the set is absent or equal to the view's. The view's
/// rows are then the set's rows that [`contract::matches`] `view`, at no cost.
pub fn covers(set: &RequestQuery, view: &RequestQuery) -> bool {
    set.created_before.is_none()
        && set
            .status
            .as_ref()
            .is_none_or(|s| view.status.as_ref() == Some(s))
        && set
            .priority
            .as_ref()
            .is_none_or(|p| view.priority.as_ref() == Some(p))
        && set
            .loop_id
            .as_deref()
            .is_none_or(|l| view.loop_id.as_deref() == Some(l))
}

/// Grouped vertical bars on one shared count scale.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupedBars {
    /// Y-axis ticks ([`count_axis_ticks`] of the largest value); the last one is the top.
    pub ticks: Vec<f64>,
    /// `groups[i][j]`: the bar of category `i` in series `j`.
    pub groups: Vec<Vec<Bar>>,
    /// Width of one category's slot (its centre is `(i + 0.5) × slot`).
    pub slot: f64,
}

/// The fraction of a category's slot left as gap around its bars.
const GROUP_GAP: f64 = 0.2;

/// Bars for `series` (each with one value per category, all the same length) in a
/// `width × height` plot with the baseline at `y = height`. Negative or NaN values are drawn as
/// 0; a tick `t` sits at `y = height − t / top × height`.
pub fn grouped_bars(series: &[&[f64]], width: f64, height: f64) -> GroupedBars {
    let n = series.iter().map(|s| s.len()).max().unwrap_or(0);
    let max = series
        .iter()
        .flat_map(|s| s.iter().copied())
        .fold(0.0, f64::max);
    let ticks = count_axis_ticks(max);
    let top = ticks.last().copied().unwrap_or(1.0);
    let slot = if n == 0 { width } else { width / n as f64 };
    let k = series.len().max(1) as f64;
    let w = slot * (1.0 - GROUP_GAP) / k;
    let groups = (0..n)
        .map(|i| {
            series
                .iter()
                .enumerate()
                .map(|(j, s)| {
                    let v = s.get(i).copied().filter(|v| *v > 0.0).unwrap_or(0.0);
                    let h = (v / top).min(1.0) * height;
                    Bar {
                        x: i as f64 * slot + slot * GROUP_GAP / 2.0 + j as f64 * w,
                        y: height - h,
                        w,
                        h,
                    }
                })
                .collect()
        })
        .collect();
    GroupedBars {
        ticks,
        groups,
        slot,
    }
}

/// Every how many categories an axis label fits when at most `max_labels` may be shown
/// (1 = every one).
pub fn label_step(categories: usize, max_labels: usize) -> usize {
    categories.div_ceil(max_labels.max(1)).max(1)
}

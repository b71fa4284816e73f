//! "All matching": the plan for loading every request that matches a set of filters, pages of
//! [`PAGE`] at a time, and the merge of the pages into one de-duplicated set.
//!
//! Shared by analytics over everything and by export, so a set loaded once serves both.
//!
//! ## When the data changes while the set loads
//!
//! Pages are offsets into the server's current order, and each is served at its own moment.
//! A request that enters the filters while the set loads shifts the later rows up by one (a row
//! may then show up on two pages: [`Merge::rows`] keeps it once); one that leaves (a pending
//! request answered during a `status=pending` load) shifts them down, so the first row of a
//! page served after the change was the last row of the page before it, and if that page was
//! served before the change the row is on neither: skipped, silently. Counting cannot see this:
//! the rows that left are still on the pages served before, so the merged set can hold exactly
//! `total` rows and still miss as many others.
//!
//! What does show it is the `total` each page carries: the total at the moment that page was
//! served. Pages served in the same state tile that state without gap or overlap, so the set is
//! consistent when every page reports the latest total. [`Merge::refetch`] names the pages that
//! do not (and any missing one): fetched again, they are served in the latest state too, which
//! brings back the skipped rows (they now lie on those pages) and drops the rows that left
//! (their old pages are replaced). Pages that lie wholly past the latest end are dropped
//! ([`Merge::drop_past_end`]): in the latest state they are empty. Only the pages whose total
//! differs are asked again — the fewest calls that can make the set consistent, since a page
//! whose total agrees cannot be told apart from one served in the latest state. A change that
//! leaves the total as it was (one request in, one out) is invisible to this; the merged count
//! then still catches a shortfall, and [`Merge::gap`] reports what could not be repaired.
//!
//! ## A time window: only the newest rows
//!
//! A [`crate::window::TimeWindow`] needs only the requests created since its start. Loaded
//! newest first (`sort=created_at_desc`), those are the first rows of the list, so a merge can
//! be limited to its first [`Merge::limit`] rows: the pages, the repair and the gap then look at
//! those rows only. The limit is what a count said the window holds; [`Merge::reached`] tells
//! whether the last page passed the window's start after all (requests created while loading
//! push the window's oldest rows further down), and if not one more page is needed.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::model::{HitlRequest, RequestPage};
use crate::query::{RequestQuery, MAX_LIMIT};

/// Rows per call when loading everything: the API's maximum.
pub const PAGE: u64 = MAX_LIMIT as u64;
/// Calls in flight at once: as many as a browser opens to one host over HTTP/1.1 (6), so no
/// call waits in the browser's queue, and few enough to be gentle with the server. The number
/// of calls is the same whatever this is; only the time changes (100 pages: 18 round trips
/// instead of 26 with 4, 100 with the seed's one at a time).
pub const CONCURRENCY: usize = 6;

/// How many times a load fetches the inconsistent pages again before it reports a [`Gap`]
/// instead of a complete set.
pub const REPAIR_ROUNDS: usize = 2;

/// Calls needed to load `total` rows (⌈total/100⌉; at least one to learn the total).
pub fn calls_for(total: u64) -> u64 {
    total.div_ceil(PAGE).max(1)
}

/// The page queries that load everything matching `filters` (status, priority, loop; server
/// sort kept; page size [`PAGE`]), given the `total` the first page reported.
pub fn page_queries(filters: &RequestQuery, total: u64) -> Vec<RequestQuery> {
    let base = RequestQuery {
        limit: MAX_LIMIT,
        offset: 0,
        created_before: None,
        ..filters.clone()
    };
    (0..calls_for(total))
        .map(|i| base.with_offset(i * PAGE))
        .collect()
}

/// The filter part of a query, which identifies a loaded set: status, priority, loop and the
/// server sort (page, size and cursor do not change what "all matching" means).
pub fn set_key(q: &RequestQuery) -> RequestQuery {
    RequestQuery {
        sort: q.sort,
        ..q.filters_only()
    }
}

/// What a finished load could not make consistent: the set must not be called complete.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Gap {
    /// Requests that changed while loading, as far as the pages' totals show (the largest
    /// difference between a page's total and the latest; 0 when they all agree).
    pub changed: u64,
    /// Up to how many matching requests the set may miss: the rows short of the total, or the
    /// sum over the pages still served in another state of their total's difference (each
    /// such page can leave that many rows between it and a neighbour), whichever is more,
    /// and never more than the total. A bound only for the changes the totals show.
    pub missing: u64,
}

/// The page queries that load the first `rows` rows of `filters`' list (a time window's
/// requests, newest first), given the list's `total`: [`page_queries`] of the smaller.
pub fn page_queries_upto(
    filters: &RequestQuery,
    total: u64,
    rows: Option<u64>,
) -> Vec<RequestQuery> {
    page_queries(filters, rows.map_or(total, |r| r.min(total)))
}

/// Pages arriving in any order, merged by offset into one set without duplicate ids.
#[derive(Clone, Debug, Default)]
pub struct Merge {
    /// Shared with the answer cache: no copy of a page is made until the merge.
    pages: BTreeMap<u64, Arc<RequestPage>>,
    /// The total the server reported most recently.
    pub total: u64,
    /// Only the first this many rows of the list are wanted (a time window's, newest first);
    /// `None`: every row.
    pub limit: Option<u64>,
}

impl Merge {
    /// Adds the page that was asked for at `offset`.
    pub fn add(&mut self, offset: u64, page: Arc<RequestPage>) {
        self.total = page.total;
        self.pages.insert(offset, page);
    }

    /// True when the page at `offset` has arrived.
    pub fn has(&self, offset: u64) -> bool {
        self.pages.contains_key(&offset)
    }

    /// Rows received so far (before de-duplication).
    pub fn received(&self) -> usize {
        self.pages.values().map(|p| p.requests.len()).sum()
    }

    /// The rows wanted: the latest total, or fewer under a [`Merge::limit`].
    pub fn wanted(&self) -> u64 {
        self.limit.map_or(self.total, |l| l.min(self.total))
    }

    /// The offset just past the last page the wanted rows need.
    fn end(&self) -> u64 {
        calls_for(self.wanted()) * PAGE
    }

    /// For a window loaded newest first: true when every wanted page is in and the last of them
    /// shows that no later page holds a request of the window, because it ends the list or its
    /// last row was created before `start` ([`crate::window::Bounds::reached_start`]). False
    /// while a wanted page is missing.
    pub fn reached(&self, start: DateTime<Utc>) -> bool {
        let end = self.end();
        if (0..end / PAGE).any(|i| !self.has(i * PAGE)) {
            return false;
        }
        if end >= self.total {
            return true;
        }
        let last = self
            .pages
            .get(&(end - PAGE))
            .and_then(|p| p.requests.last());
        let bounds = crate::window::Bounds {
            start: Some(start),
            end: None,
        };
        last.is_some_and(|r| bounds.reached_start(r.created_at))
    }

    /// Wants one more page than now (a window whose start the last page did not pass).
    pub fn want_next_page(&mut self) {
        self.limit = Some(self.end() + 1);
    }

    /// The pages inside the latest total's pages whose own total differs from it: served in
    /// another state of the data than the latest (see the module docs).
    fn stale(&self) -> impl Iterator<Item = (u64, &RequestPage)> + '_ {
        let (end, total) = (self.end(), self.total);
        self.pages
            .range(..end)
            .filter(move |(_, p)| p.total != total)
            .map(|(o, p)| (*o, p.as_ref()))
    }

    /// The offsets to fetch (again, bypassing any cache) so that every page was served in the
    /// state the latest total describes: the missing pages and those whose total differs, in
    /// order. Empty when the set is consistent. Call [`Merge::drop_past_end`] too.
    pub fn refetch(&self) -> Vec<u64> {
        (0..calls_for(self.wanted()))
            .map(|i| i * PAGE)
            .filter(|o| self.pages.get(o).is_none_or(|p| p.total != self.total))
            .collect()
    }

    /// Calls that loading a set that [`Merge::gap`] reports again would cost: the pages
    /// [`Merge::refetch`] names, or every page when it names none (pages that agree on a total
    /// they do not add up to: the gap could be anywhere).
    pub fn again(&self) -> u64 {
        match self.refetch().len() {
            0 => calls_for(self.wanted()),
            n => n as u64,
        }
    }

    /// Drops the pages wholly past the end of the latest total (the total shrank after they
    /// were asked for): in the latest state they are empty, and what they hold either left the
    /// filters or moved onto the earlier pages.
    pub fn drop_past_end(&mut self) {
        let end = self.end();
        drop(self.pages.split_off(&end));
    }

    /// The rows in server order, each id once (where it was first seen).
    fn distinct(&self) -> impl Iterator<Item = &HitlRequest> + '_ {
        let mut seen = HashSet::with_capacity(self.received());
        self.pages
            .values()
            .flat_map(|p| p.requests.iter())
            .filter(move |r| seen.insert(r.id.as_str()))
    }

    /// Distinct rows received so far.
    pub fn unique(&self) -> usize {
        self.distinct().count()
    }

    /// `None` when the pages (all in) are consistent and hold the latest total; otherwise what
    /// the set may miss. Never `None` for a set whose pages disagree, even when the count adds
    /// up: the rows that left are then counted in place of the ones skipped.
    pub fn gap(&self) -> Option<Gap> {
        let wanted = self.wanted();
        let shortfall = wanted.saturating_sub(self.unique() as u64);
        let mut changed = 0;
        let mut shifted = 0;
        for (_, p) in self.stale() {
            let d = p.total.abs_diff(self.total);
            changed = changed.max(d);
            shifted += d;
        }
        let missing = shortfall.max(shifted);
        (missing > 0 || changed > 0).then_some(Gap {
            changed,
            missing: missing.min(wanted),
        })
    }

    /// The merged rows in server order; a row that moved between pages while loading (new
    /// requests arriving shift offsets) appears once, where it was first seen.
    pub fn rows(&self) -> Vec<HitlRequest> {
        self.distinct().cloned().collect()
    }
}

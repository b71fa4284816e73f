//! "All matching": the plan for loading every request that matches a set of filters, pages of
//! [`PAGE`] at a time, and the merge of the pages into one de-duplicated set.
//!
//! Shared by analytics over everything and by export, so a set loaded once serves both.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use crate::model::{HitlRequest, RequestPage};
use crate::query::{RequestQuery, MAX_LIMIT};

/// Rows per call when loading everything: the API's maximum.
pub const PAGE: u64 = MAX_LIMIT as u64;
/// Calls in flight at once: as many as a browser opens to one host over HTTP/1.1 (6), so no
/// call waits in the browser's queue, and few enough to be gentle with the server. The number
/// of calls is the same whatever this is; only the time changes (100 pages: 18 round trips
/// instead of 26 with 4, 100 with the seed's one at a time).
pub const CONCURRENCY: usize = 6;

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

/// Pages arriving in any order, merged by offset into one set without duplicate ids.
#[derive(Clone, Debug, Default)]
pub struct Merge {
    /// Shared with the answer cache: no copy of a page is made until the merge.
    pages: BTreeMap<u64, Arc<RequestPage>>,
    /// The total the server reported most recently.
    pub total: u64,
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

    /// The merged rows in server order; a row that moved between pages while loading (new
    /// requests arriving shift offsets) appears once, where it was first seen.
    pub fn rows(&self) -> Vec<HitlRequest> {
        let mut seen = HashSet::with_capacity(self.received());
        self.pages
            .values()
            .flat_map(|p| p.requests.iter())
            .filter(|r| seen.insert(r.id.as_str()))
            .cloned()
            .collect()
    }
}

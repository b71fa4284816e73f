//! The analytics' time window: which window the URL asks for, its instants in the zone Times
//! shows, and how many requests it holds.
//!
//! The count is free when something loaded already answers it: a set that covers the window
//! (every matching request, or a window's set reaching back far enough), the page on screen
//! when it holds every matching request, or the filters' total for "All time". Otherwise it
//! costs one `limit=1` call (`created_before` = the window's start), whose `total` taken from
//! the filters' total gives the window's requests, and so what loading them costs (⌈N/100⌉)
//! before anything is loaded; a custom range that ended before today needs a second one for its
//! end. The count waits for the table's first page, as the status cards do.

use chrono::{DateTime, Utc};
use hitl_core::contract;
use hitl_core::overview::page_holds_all;
use hitl_core::window::{older_query, Bounds, TimeWindow, WindowCount};
use hitl_core::{HitlRequest, QueryError, RequestQuery};
use leptos::prelude::*;

use super::dashboard::Dashboard;
use super::display::TimeDisplay;
use super::pages::{pages_resource, PagesResource};
use crate::browser::clock::Clock;
use crate::browser::time::ShownZone;

/// The time window and its count. Copy; provided as context.
#[derive(Clone, Copy)]
pub(crate) struct Window {
    /// The window the URL asks for; "All time" when it asks for none or for an invalid one.
    pub choice: Memo<TimeWindow>,
    /// Why the URL's window parameters are refused (for the banner).
    pub error: Memo<Option<QueryError>>,
    /// The window's instants, in the zone Times shows, at [`TimeWindow::now_for`] the clock.
    pub bounds: Memo<Bounds>,
    /// How many requests the window holds, when known (see the module docs).
    pub counted: Memo<Option<WindowCount>>,
    /// True when the count comes from what is loaded, at no call.
    pub free: Memo<bool>,
    asked: Memo<Option<Vec<RequestQuery>>>,
    count: PagesResource,
}

/// How many of `rows` match `filters` in `bounds`, and since its start.
fn count_rows<'a>(
    rows: impl Iterator<Item = &'a HitlRequest>,
    filters: &RequestQuery,
    bounds: &Bounds,
) -> WindowCount {
    let since = Bounds {
        start: bounds.start,
        end: None,
    };
    let (mut in_window, mut since_start) = (0, 0);
    for r in rows.filter(|r| contract::matches(r, filters)) {
        in_window += u64::from(bounds.contains(r.created_at));
        since_start += u64::from(since.contains(r.created_at));
    }
    WindowCount {
        in_window,
        since_start,
    }
}

impl Window {
    /// The window of the URL, counted for the view's filters. Call once, at the root.
    pub(crate) fn new(dash: Dashboard, time: TimeDisplay, clock: Clock) -> Self {
        let url = dash.url;
        let all = dash.all;
        let parsed = Memo::new(move |_| url.time_window());
        let choice = Memo::new(move |_| parsed.with(|p| p.0));
        let error = Memo::new(move |_| parsed.with(|p| QueryError::all(p.1.clone())));
        let bounds = Memo::new(move |_| {
            let w = choice.get();
            let zone: ShownZone = time.zone();
            w.bounds(w.now_for(clock.instant(), &zone), &zone)
        });
        let filters = Memo::new(move |_| {
            dash.query
                .with(|q| q.as_ref().ok().map(RequestQuery::filters_only))
        });
        // The count from what is loaded, when that answers it.
        let loaded = Memo::new(move |_| -> Option<WindowCount> {
            let f = filters.get()?;
            let b = bounds.get();
            if b.start.is_none() && b.end.is_none() {
                let total = dash.matching_total(&f)?;
                return Some(WindowCount {
                    in_window: total,
                    since_start: total,
                });
            }
            if all.covers_window(&f, &b) {
                let rows = all.rows.with(|r| dash.with_updates_arc(r));
                return Some(count_rows(rows.iter(), &f, &b));
            }
            dash.shown.with(|s| {
                s.as_ref()
                    .filter(|l| l.query.filters_only() == f && page_holds_all(&l.query, &l.page))
                    .map(|l| count_rows(l.page.requests.iter(), &f, &b))
            })
        });
        let free = Memo::new(move |_| loaded.with(Option::is_some));
        // What the count asks; a memo, so that paging (which changes the page on screen, not
        // these queries) does not ask again.
        let asked = Memo::new(move |_| -> Option<Vec<RequestQuery>> {
            if free.get() {
                return None;
            }
            let f = filters.get()?;
            let b = bounds.get();
            let start = b.start?;
            let mut queries = vec![older_query(&f, start)];
            let now = clock.instant();
            if let Some(end) = b.end.filter(|e| *e <= now) {
                queries.push(older_query(&f, end));
            }
            if dash.matching_total(&f).is_none() {
                queries.push(RequestQuery {
                    limit: 1,
                    ..f.clone()
                });
            }
            Some(queries)
        });
        let count = pages_resource(
            dash,
            move || {
                // After the table's first page, as the status cards: the rows come first; if
                // that page failed, its error stands for the count too (not asked again).
                let generation = dash.conn.generation.get();
                let (_, refused) = dash.first_answer.get().filter(|(g, _)| *g == generation)?;
                asked.get().map(|q| (q, refused))
            },
            false,
        );
        let counted = Memo::new(move |_| {
            if let Some(c) = loaded.get() {
                return Some(c);
            }
            let f = filters.get()?;
            let b = bounds.get();
            let start = b.start?;
            let total_now = dash.matching_total(&f);
            count.with_current(|c| {
                let pages = c?.answer.as_ref().ok()?;
                let total_of = |before: Option<DateTime<Utc>>| {
                    pages
                        .iter()
                        .find(|(q, _)| q.created_before == before && q.filters_only() == f)
                        .map(|(_, p)| p.total)
                };
                let before_start = total_of(Some(start))?;
                let before_end = b.end.and_then(|e| total_of(Some(e)));
                let total = total_of(None).or(total_now)?;
                Some(WindowCount::new(total, before_start, before_end))
            })
        });
        Window {
            choice,
            error,
            bounds,
            counted,
            free,
            asked,
            count,
        }
    }

    /// Calls the count makes (0 when what is loaded answers it; tracked).
    pub(crate) fn count_calls(&self) -> usize {
        self.asked.with(|a| a.as_ref().map_or(0, Vec::len))
    }

    /// The count's error, if it failed (tracked).
    pub(crate) fn count_error(&self) -> Option<hitl_core::ApiError> {
        self.count
            .with_current(|c| c.and_then(|c| c.answer.as_ref().err().cloned()))
    }
}

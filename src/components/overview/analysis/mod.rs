//! Analytics over the loaded set, saying which set that is: the page on screen, a partly loaded
//! set, or every matching request ("Analyze all matching", [`control`]). Statistics are
//! computed once per change of the rows, in one `Memo`, never in a view closure; 100,000 rows
//! stay responsive. The figures and charts are render-once DOM ([`blocks`]).

mod blocks;
mod control;

use std::borrow::Borrow;

use hitl_core::contract;
use hitl_core::format::thousands;
use hitl_core::stats::{
    DailySeries, Outcomes, PriorityDistribution, ResponseTimeStats, StatusCounts,
};
use hitl_core::{HitlRequest, RequestQuery};
use leptos::html;
use leptos::prelude::*;

use self::blocks::{daily_block, outcomes_block, priority_block, response_block, status_block};
use self::control::analyze_all;
use crate::browser::time::ShownZone;
use crate::components::dom::fill;
use crate::state::{Dashboard, TimeDisplay};

/// Which rows the statistics cover.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Basis {
    /// The page on screen.
    Page,
    /// The page on screen in cursor paging (`created_before`): its total counts only requests
    /// older than the cursor, so "of N matching" would mislead.
    Cursor,
    /// The pages "Analyze all matching" loaded before it stopped.
    Partial,
    /// Every matching request.
    All,
}

/// Every statistic shown, computed together from the same rows.
#[derive(Clone, Debug, PartialEq)]
struct Analysis {
    basis: Basis,
    /// Rows analysed.
    loaded: usize,
    /// Requests matching the filters, as the server counts them.
    total: u64,
    response: Option<ResponseTimeStats>,
    outcomes: Outcomes,
    priority: PriorityDistribution,
    statuses: StatusCounts,
    daily: DailySeries,
}

impl Analysis {
    fn compute<R: Borrow<HitlRequest>>(
        rows: &[R],
        basis: Basis,
        total: u64,
        zone: ShownZone,
    ) -> Self {
        // Everything loaded is everything matching: say so whatever the source of the rows.
        let basis = if basis != Basis::Cursor && rows.len() as u64 >= total {
            Basis::All
        } else {
            basis
        };
        Analysis {
            basis,
            loaded: rows.len(),
            total,
            response: ResponseTimeStats::compute(rows),
            outcomes: Outcomes::compute(rows),
            priority: PriorityDistribution::compute(rows),
            statuses: StatusCounts::compute(rows),
            daily: DailySeries::compute(rows, zone),
        }
    }
}

/// The analytics section and its "Analyze all matching" control.
#[component]
pub(crate) fn Overview() -> impl IntoView {
    let dash = expect_context::<Dashboard>();
    let all = dash.all;
    // Days are counted in the zone the Times toggle shows (local or UTC), like every time shown.
    let time = use_context::<TimeDisplay>();
    let zone = move || time.map_or(ShownZone::Local, |t| t.zone());
    // Paging and sorting do not change which requests match: the memo keeps them out.
    let filters = Memo::new(move |_| {
        dash.query
            .with(|q| q.as_ref().ok().map(RequestQuery::filters_only))
    });
    // The loaded set holds every request of the view (possibly as a subset of a wider set).
    let covering = Memo::new(move |_| filters.with(|f| f.as_ref().is_some_and(|f| all.covers(f))));
    // The page on screen, when it answers the current filters: its total, and whether it is a
    // cursor page (whose total counts only what is older than the cursor).
    let shown = Memo::new(move |_| {
        let f = filters.get()?;
        dash.shown.with(|s| {
            s.as_ref()
                .filter(|l| l.query.filters_only() == f)
                .map(|l| (l.page.total, l.query.created_before.is_some()))
        })
    });
    // The total of every request matching the filters, as far as the page on screen tells.
    let page_total = Memo::new(move |_| shown.get().filter(|s| !s.1).map(|s| s.0));
    // The server's total for the loaded set: a memo, so that progress (which changes with every
    // page of a resumed load) does not recompute the statistics over the partial set each time.
    let set_total = Memo::new(move |_| all.progress.with(|p| p.1));
    // Likewise paging: a new page of the same size leaves a partial set's statistics alone.
    let page_len = Memo::new(move |_| {
        dash.shown
            .with(|s| s.as_ref().map_or(0, |l| l.page.requests.len()))
    });
    let analysis = Memo::new(move |_| {
        let f = filters.get()?;
        let zone = zone();
        if covering.get() {
            return Some(all.rows.with(|rows| {
                dash.updated.with(|m| {
                    let picked: Vec<&HitlRequest> = rows
                        .iter()
                        .map(|r| {
                            if m.is_empty() {
                                r
                            } else {
                                m.get(&r.id).unwrap_or(r)
                            }
                        })
                        .filter(|r| contract::matches(r, &f))
                        .collect();
                    let n = picked.len() as u64;
                    Analysis::compute(&picked, Basis::All, n, zone)
                })
            }));
        }
        let (total, cursor) = shown.get()?;
        let page_len = page_len.get();
        let partial = all
            .key
            .with(|k| k.as_ref().map(RequestQuery::filters_only) == Some(f.clone()))
            && all.rows.with(|r| r.len() > page_len);
        let with_updates = |rows: &[HitlRequest], basis: Basis, total: u64| {
            dash.updated.with(|m| {
                let rows: Vec<&HitlRequest> =
                    rows.iter().map(|r| m.get(&r.id).unwrap_or(r)).collect();
                Analysis::compute(&rows, basis, total, zone)
            })
        };
        Some(if partial {
            let loaded = set_total.get();
            let total = if cursor { loaded } else { loaded.max(total) };
            all.rows
                .with(|rows| with_updates(rows, Basis::Partial, total))
        } else {
            dash.shown.with(|s| {
                let rows = s
                    .as_ref()
                    .map(|l| l.page.requests.as_slice())
                    .unwrap_or(&[]);
                let basis = if cursor { Basis::Cursor } else { Basis::Page };
                with_updates(rows, basis, total)
            })
        })
    });

    let complete = Signal::derive(move || {
        analysis.with(|a| a.as_ref().is_some_and(|a| a.basis == Basis::All))
    });
    let scope_text = move || {
        analysis.with(|a| match a {
            None => "Analytics appear when the requests have loaded.".to_owned(),
            Some(a) if a.basis == Basis::All => {
                format!(
                    "Based on all {} matching requests",
                    thousands(a.loaded as u64)
                )
            }
            Some(a) if a.basis == Basis::Cursor => format!(
                "Based on the {} requests on screen (cursor paging)",
                thousands(a.loaded as u64)
            ),
            Some(a) => format!(
                "Based on {} of {} matching requests{}",
                thousands(a.loaded as u64),
                thousands(a.total),
                if a.basis == Basis::Page {
                    " (the page on screen)"
                } else {
                    " (partly loaded)"
                }
            ),
        })
    };
    // The figures and charts: static once drawn, so built with the plain DOM builder (size).
    let has_analysis = Memo::new(move |_| analysis.with(Option::is_some));
    let empty = move || {
        analysis.with(|a| match a {
            Some(a) if a.loaded == 0 && a.total > 0 => {
                Some("No requests on this page to analyze: it lies past the last one.")
            }
            Some(a) if a.loaded == 0 => Some("No requests to analyze for these filters."),
            _ => None,
        })
    };
    let grid = NodeRef::<html::Div>::new();
    fill(grid, move |grid| {
        analysis.with(|a| {
            if let Some(a) = a.as_ref().filter(|a| a.loaded > 0) {
                response_block(grid, a);
                outcomes_block(grid, &a.outcomes);
                status_block(grid, &a.statuses);
                priority_block(grid, &a.priority);
                daily_block(grid, &a.daily);
            }
        })
    });
    let body = move || {
        has_analysis.get().then(|| {
            view! {
                <p class="empty">{empty}</p>
                <div class="ov-grid" node_ref=grid></div>
            }
        })
    };

    view! {
        <section class="overview panel" aria-labelledby="overview-h">
            <div class="overview-head">
                <h2 id="overview-h">"Overview"</h2>
                <p class="scope" aria-live="polite">{scope_text}</p>
            </div>
            {analyze_all(dash, complete, page_total)}
            {body}
        </section>
    }
}

//! Analytics over the loaded set, saying which set that is: the page on screen, a partly loaded
//! set, or every matching request ("Analyze all matching", [`control`]). Statistics are
//! computed once per change of the rows, in one `Memo`, never in a view closure; 100,000 rows
//! stay responsive. The figures and charts are render-once DOM ([`blocks`]).

mod blocks;
mod control;
mod window;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use hitl_core::breakdown::Breakdowns;
use hitl_core::contract;
use hitl_core::format::thousands;
use hitl_core::stats::{
    DailySeries, Outcomes, PriorityDistribution, ResponseTimeStats, StatusCounts,
};
use hitl_core::trends::Trends;
use hitl_core::window::TimeWindow;
use hitl_core::{HitlRequest, RequestQuery};
use leptos::html;
use leptos::prelude::*;

use self::blocks::{
    daily_block, outcomes_block, priority_block, response_block, status_block, trends_block,
};
use self::control::analyze_all;
use self::window::window_bar;
use super::breakdowns::{breakdowns, BreakdownData};
use crate::browser::clock::Clock;
use crate::browser::time::ShownZone;
use crate::components::dom::fill;
use crate::state::{Dashboard, TimeDisplay, Window};

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
    /// Every matching request (of the time window).
    All,
}

/// Every statistic shown, computed together from the same rows.
#[derive(Clone, Debug, PartialEq)]
struct Analysis {
    basis: Basis,
    /// The time window the rows were picked by.
    window: TimeWindow,
    /// Rows analysed.
    loaded: usize,
    /// Requests matching the filters (in the window), as the server counts them, when known.
    total: Option<u64>,
    response: Option<ResponseTimeStats>,
    outcomes: Outcomes,
    priority: PriorityDistribution,
    statuses: StatusCounts,
    daily: DailySeries,
    breakdowns: Breakdowns,
    trends: Trends,
}

impl Analysis {
    fn compute(
        rows: &[&HitlRequest],
        basis: Basis,
        total: Option<u64>,
        (window, now): (TimeWindow, DateTime<Utc>),
        zone: ShownZone,
    ) -> Self {
        // Everything loaded is everything matching: say so whatever the source of the rows.
        let basis = if basis != Basis::Cursor && total.is_some_and(|t| rows.len() as u64 >= t) {
            Basis::All
        } else {
            basis
        };
        Analysis {
            basis,
            window,
            loaded: rows.len(),
            total,
            response: ResponseTimeStats::compute(rows),
            outcomes: Outcomes::compute(rows),
            priority: PriorityDistribution::compute(rows),
            statuses: StatusCounts::compute(rows),
            daily: DailySeries::compute(rows, zone),
            breakdowns: Breakdowns::compute(rows.iter().copied()),
            trends: Trends::compute(rows, &window, now, &zone),
        }
    }

    /// What the figures are based on, e.g. "Based on 50 of 1,204 requests in the last 7 days
    /// (the page on screen)".
    fn scope(&self) -> String {
        let n = self.loaded as u64;
        let w = &self.window;
        if *w == TimeWindow::All {
            return match (self.basis, self.total) {
                (Basis::All, _) => format!("Based on all {} matching requests", thousands(n)),
                (Basis::Cursor, _) | (_, None) => format!(
                    "Based on the {} requests on screen (cursor paging)",
                    thousands(n)
                ),
                (basis, Some(total)) => format!(
                    "Based on {} of {} matching requests{}",
                    thousands(n),
                    thousands(total),
                    if basis == Basis::Page {
                        " (the page on screen)"
                    } else {
                        " (partly loaded)"
                    }
                ),
            };
        }
        match (self.basis, self.total) {
            (Basis::All, _) => w.based_on(n, n),
            (Basis::Page, Some(total)) => format!("{} (the page on screen)", w.based_on(n, total)),
            (Basis::Partial, Some(total)) => format!("{} (partly loaded)", w.based_on(n, total)),
            (Basis::Cursor, _) | (_, None) => format!(
                "Based on the {} requests on screen created {} (the window's count is not known)",
                thousands(n),
                w.phrase().trim_start_matches("created ")
            ),
        }
    }
}

/// The analytics section and its "Analyze all matching" control.
#[component]
pub(crate) fn Overview() -> impl IntoView {
    let dash = expect_context::<Dashboard>();
    let win = expect_context::<Window>();
    let clock = expect_context::<Clock>();
    let all = dash.all;
    // Days are counted in the zone the Times toggle shows (local or UTC), like every time shown.
    let time = use_context::<TimeDisplay>();
    let zone = move || time.map_or(ShownZone::Local, |t| t.zone());
    // Paging and sorting do not change which requests match: the memo keeps them out.
    let filters = Memo::new(move |_| {
        dash.query
            .with(|q| q.as_ref().ok().map(RequestQuery::filters_only))
    });
    // The loaded set holds every request of the view in the window (possibly as a subset of a
    // wider set).
    let covering = Memo::new(move |_| {
        filters.with(|f| {
            f.as_ref()
                .is_some_and(|f| win.bounds.with(|b| all.covers_window(f, b)))
        })
    });
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
    // The window's requests, when counted: a window known to be empty is analysed as complete.
    let in_window = Memo::new(move |_| win.counted.with(|c| c.map(|c| c.in_window)));
    let analysis = Memo::new(move |_| {
        let f = filters.get()?;
        let zone = zone();
        let window = win.choice.get();
        let bounds = win.bounds.get();
        // The instant the window's bounds were taken at (its minute, or hour): the trends'
        // buckets end there. Untracked: the bounds change when it matters.
        let now = window.now_for(
            DateTime::from_timestamp_millis(clock.0.get_untracked() as i64).unwrap_or_default(),
            &zone,
        );
        let windowed = window != TimeWindow::All;
        // With this session's changes (a cancel); only the requests of the window (and, from a
        // loaded set, of the filters). By reference: 100,000 rows are not copied.
        let analyse = |rows: &[HitlRequest], check: bool, basis: Basis, total: Option<u64>| {
            dash.updated.with(|m| {
                let rows: Vec<&HitlRequest> = rows
                    .iter()
                    .map(|r| {
                        if m.is_empty() {
                            r
                        } else {
                            m.get(&r.id).unwrap_or(r)
                        }
                    })
                    .filter(|r| bounds.contains(r.created_at))
                    .filter(|r| !check || contract::matches(r, &f))
                    .collect();
                let total = if basis == Basis::All {
                    Some(rows.len() as u64)
                } else {
                    total
                };
                Analysis::compute(&rows, basis, total, (window, now), zone)
            })
        };
        if covering.get() {
            return Some(all.rows.with(|rows| analyse(rows, true, Basis::All, None)));
        }
        if windowed && in_window.get() == Some(0) {
            return Some(analyse(&[], false, Basis::All, None));
        }
        let (total, cursor) = shown.get()?;
        let total = if windowed {
            in_window.get()
        } else {
            Some(total)
        };
        let page_len = page_len.get();
        let partial = if windowed {
            bounds
                .start
                .is_some_and(|s| all.holds_window(&f, s) && all.rows.with(|r| !r.is_empty()))
        } else {
            all.key
                .with(|k| k.as_ref().map(RequestQuery::filters_only) == Some(f.clone()))
                && all.since.with(Option::is_none)
                && all.rows.with(|r| r.len() > page_len)
        };
        Some(if partial {
            let total = if windowed {
                total
            } else {
                let loaded = set_total.get();
                Some(if cursor {
                    loaded
                } else {
                    loaded.max(total.unwrap_or(0))
                })
            };
            all.rows
                .with(|rows| analyse(rows, windowed, Basis::Partial, total))
        } else {
            let basis = if cursor { Basis::Cursor } else { Basis::Page };
            dash.shown.with(|s| {
                let rows = s.as_ref().map_or(&[][..], |l| l.page.requests.as_slice());
                analyse(rows, false, basis, total)
            })
        })
    });

    let complete = Signal::derive(move || {
        analysis.with(|a| a.as_ref().is_some_and(|a| a.basis == Basis::All))
    });
    let scope_text = move || {
        analysis.with(|a| match a {
            None => "Analytics appear when the requests have loaded.".to_owned(),
            Some(a) => a.scope(),
        })
    };
    // The figures and charts: static once drawn, so built with the plain DOM builder (size).
    let has_analysis = Memo::new(move |_| analysis.with(Option::is_some));
    let empty = move || {
        analysis.with(|a| match a {
            Some(a) if a.loaded == 0 && a.window != TimeWindow::All => {
                Some("No requests of these filters were created in this time window.")
            }
            Some(a) if a.loaded == 0 && a.total.is_some_and(|t| t > 0) => {
                Some("No requests on this page to analyze: it lies past the last one.")
            }
            Some(a) if a.loaded == 0 => Some("No requests to analyze for these filters."),
            _ => None,
        })
    };
    // The zone the trends' days are in, as the Times toggle names it.
    let zone_now = move || untrack(zone);
    let zone_text = |z: ShownZone| match z {
        ShownZone::Utc => "UTC".to_owned(),
        ShownZone::Local => format!("local time ({})", z.label_now()),
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
                trends_block(grid, &a.trends, &zone_text(zone_now()));
            }
        })
    });
    // The breakdowns' data: a memo of its own, so that their tables redraw only when it changes.
    let breakdown_data = Memo::new(move |_| {
        analysis.with(|a| {
            a.as_ref().filter(|a| a.loaded > 0).map(|a| {
                Arc::new(BreakdownData {
                    breakdowns: a.breakdowns.clone(),
                    based_on: a.scope(),
                })
            })
        })
    });
    let has_rows = move || breakdown_data.with(Option::is_some);
    let body = move || {
        has_analysis.get().then(|| {
            view! {
                <p class="empty">{empty}</p>
                <div class="ov-grid" node_ref=grid></div>
                <Show when=has_rows>{breakdowns(breakdown_data)}</Show>
            }
        })
    };
    view! {
        <section class="overview panel" aria-labelledby="overview-h">
            <div class="overview-head">
                <h2 id="overview-h">"Overview"</h2>
                <p class="scope" aria-live="polite">{scope_text}</p>
            </div>
            {window_bar(dash, win)}
            {analyze_all(dash, win, complete, page_total)}
            {body}
        </section>
    }
}

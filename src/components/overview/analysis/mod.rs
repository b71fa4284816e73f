//! Analytics over the loaded set, saying which set that is: the page on screen, a partly loaded
//! set, or every matching request ("Analyze all matching"). Statistics are computed once per
//! change of the rows, in one `Memo`, never in a view closure; 100,000 rows stay responsive.

use std::borrow::Borrow;

use chrono::Datelike;
use hitl_core::contract;
use hitl_core::format::{format_duration, percent, thousands, zone_label};
use hitl_core::loader::set_key;
use hitl_core::stats::{
    DailySeries, Outcomes, PriorityDistribution, ResponseRange, ResponseTimeStats, StatusCounts,
    HISTOGRAM_LABELS,
};
use hitl_core::{HitlRequest, Priority, RequestQuery, Status};
use leptos::html;
use leptos::prelude::*;
use web_sys::Element;

use super::calls_text;
use super::charts::{bar_chart, num, row, stacked_bar, BarSpec, Part, Series};
use crate::all_matching::{gap_text, refetched_text, Phase};
use crate::browser::ShownZone;
use crate::components::dom::{el, el_text, fill};
use crate::components::preferences::TimeDisplay;
use crate::state::Dashboard;

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

fn status_color(s: &Status) -> &'static str {
    match s {
        Status::Pending => "k-pending",
        Status::Completed => "k-completed",
        Status::Timeout => "k-timeout",
        Status::Cancelled => "k-cancelled",
        Status::Other(_) => "k-muted",
    }
}

/// The analytics section and its "Analyze all matching" control.
#[component]
pub fn Overview() -> impl IntoView {
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

/// The "Analyze all matching" button with its cost, progress, cancel and resume. `complete`:
/// the analysed rows are every matching request already.
fn analyze_all(
    dash: Dashboard,
    complete: Signal<bool>,
    page_total: Memo<Option<u64>>,
) -> impl IntoView {
    let all = dash.all;
    let running = move || all.phase.with(|p| *p == Phase::Running);
    // Pages still to load for the current view (0 when the analysed rows are all of them).
    let pages = move || {
        if complete.get() {
            return Some(0);
        }
        let total = page_total.get()?;
        dash.query
            .with(|q| q.as_ref().ok().map(|q| all.cost(q, total)))
    };
    let resumable = move || {
        all.phase.with(Phase::resumable)
            && dash
                .query
                .with(|q| q.as_ref().is_ok_and(|q| all.belongs_to(q)))
    };
    let cursor = move || {
        dash.query
            .with(|q| q.as_ref().is_ok_and(|q| q.created_before.is_some()))
    };
    let cost = move || {
        if cursor() && pages().is_none() {
            return Some("Back to newest to see what loading everything costs".to_owned());
        }
        pages().map(|n| {
            if n == 0 {
                return "0 calls — already loaded".to_owned();
            }
            let calls = dash.conn.source.with(|s| s.cost(n));
            let more = if resumable() { " more" } else { "" };
            let unit = if n == 1 { "page" } else { "pages" };
            let demo = if calls == 0 { " (demo data)" } else { "" };
            format!("Loads {n}{more} {unit}: {}{demo}", calls_text(calls))
        })
    };
    // The loader is shared with Export: the button is labelled "Resume" only for a set it
    // started itself (Export has its own Resume); either way, a click resumes what is there.
    let started = RwSignal::new(None::<RequestQuery>);
    let start = move |_| {
        if let Ok(q) = dash.query.get_untracked() {
            // Progress says "0 of 900" at once, and so does a load cancelled before a page.
            if let Some(total) = untrack(|| dash.matching_total(&q)) {
                all.expect_total(&q, total);
            }
            all.start(dash.conn.source.get_untracked(), &q);
            started.set(Some(set_key(&q)));
        }
    };
    let started_here = move || started.with(|s| all.key.with(|k| s.is_some() && s == k));
    let changed = move || all.phase.with(|p| matches!(p, Phase::Changed(_)));
    let progress = move || {
        let (received, total) = all.progress.get();
        let phase = all.phase.get();
        let again = all.refetched.get();
        (phase != Phase::Idle).then(|| {
            let (note, class) = match &phase {
                Phase::Running if total == 0 => ("Starting…".to_owned(), "muted"),
                Phase::Running if again > 0 => (
                    "Requests changed while loading; loading those pages again…".to_owned(),
                    "muted",
                ),
                Phase::Done => {
                    let calls = dash.conn.source.with_untracked(|s| s.cost(again));
                    let note = refetched_text(again, calls)
                        .map(|t| format!(" {t}"))
                        .unwrap_or_default();
                    (format!("Complete.{note}"), "muted")
                }
                Phase::Stopped(None) => ("Cancelled; what arrived is kept.".to_owned(), "muted"),
                Phase::Stopped(Some(e)) => (format!("Stopped: {}", e.title()), "stop-reason"),
                Phase::Changed(gap) => (
                    format!(
                        "{}. Not a complete set: Load again to fetch the pages that changed again.",
                        gap_text(gap)
                    ),
                    "stop-reason",
                ),
                _ => (String::new(), "muted"),
            };
            view! {
                <div class="progress-line">
                    <progress max=total.max(1) value=received aria-label="Requests loaded"></progress>
                    <span class="progress-text">{format!("{} of {}", thousands(received), thousands(total))}</span>
                    <span class=class role="status">{note}</span>
                </div>
            }
        })
    };
    view! {
        <div class="analyze">
            <button type="button" class="primary" on:click=start
                disabled=move || running() || pages().is_none_or(|n| n == 0)>
                {move || if resumable() && changed() {
                    "Load again"
                } else if resumable() && started_here() {
                    "Resume"
                } else {
                    "Analyze all matching"
                }}
            </button>
            <span class="cost">{cost}</span>
            {move || running().then(|| view! {
                <button type="button" on:click=move |_| all.cancel()>"Cancel"</button>
            })}
            {progress}
        </div>
    }
}

/// A labelled figure: `<div data-stat=key><dt>label</dt><dd title=title>value</dd></div>`.
fn stat(dl: &Element, key: &str, label: &str, value: &str, title: &str) {
    let div = el(dl, "div", &[("data-stat", key)]);
    el_text(&div, "dt", &[], label);
    el_text(&div, "dd", &[("title", title)], value);
}

fn seconds(dl: &Element, key: &str, label: &str, s: f64) {
    stat(
        dl,
        key,
        label,
        &format_duration(s),
        &format!("{} seconds", num(s)),
    );
}

/// `<div class=class id=id><h3>heading</h3><p class="muted">note</p>…` appended to `grid`.
fn block(grid: &Element, class: &str, id: &str, heading: &str, note: &str) -> Element {
    let div = el(grid, "div", &[("class", class), ("id", id)]);
    el_text(&div, "h3", &[], heading);
    el_text(&div, "p", &[("class", "muted")], note);
    div
}

/// `<p class=class>text</p>`, empty when there is nothing to say (hidden by the stylesheet).
fn line(parent: &Element, class: &str, text: Option<&str>) {
    el_text(parent, "p", &[("class", class)], text.unwrap_or_default());
}

fn response_block(grid: &Element, a: &Analysis) {
    let div = block(
        grid,
        "ov-block ov-wide",
        "response-times",
        "Response time",
        "Completed requests with a response time, as the vendor's analysis counts them (median = sorted[n/2]).",
    );
    line(
        &div,
        "empty",
        a.response.is_none().then_some(
            "No completed requests with response times in the loaded set, so no response-time figures.",
        ),
    );
    let Some(rt) = &a.response else { return };
    let dl = el(&div, "dl", &[("class", "stats")]);
    stat(
        &dl,
        "count",
        "Completed with a time",
        &thousands(rt.count as u64),
        "",
    );
    seconds(&dl, "average", "Average", rt.average);
    seconds(&dl, "median", "Median", rt.median);
    seconds(&dl, "min", "Fastest", rt.min);
    seconds(&dl, "max", "Slowest", rt.max);
    seconds(&dl, "p90", "90th percentile", rt.p90);
    seconds(&dl, "p95", "95th percentile", rt.p95);
    let pair = el(&div, "div", &[("class", "ov-pair")]);
    bar_chart(
        &pair,
        BarSpec {
            id: "chart-ranges",
            title: "Response times in the vendor's four ranges".to_owned(),
            x_label: "Response time",
            y_label: "Requests",
            categories: ResponseRange::ALL
                .iter()
                .map(|r| r.label().to_owned())
                .collect(),
            series: vec![Series {
                name: "Completed",
                color: "k-chart-1",
                values: rt.ranges.iter().map(|r| r.count as f64).collect(),
            }],
            width: 480.0,
            value_labels: true,
            shares: true,
        },
    );
    bar_chart(
        &pair,
        BarSpec {
            id: "chart-histogram",
            title: "Response-time histogram, log-spaced bins".to_owned(),
            x_label: "Response time",
            y_label: "Requests",
            categories: HISTOGRAM_LABELS.iter().map(|l| (*l).to_owned()).collect(),
            series: vec![Series {
                name: "Completed",
                color: "k-chart-2",
                values: rt.histogram.iter().map(|c| *c as f64).collect(),
            }],
            width: 860.0,
            value_labels: true,
            shares: true,
        },
    );
}

fn outcomes_block(grid: &Element, o: &Outcomes) {
    let div = block(
        grid,
        "ov-block",
        "outcomes",
        "Answered in time",
        "Over all finished requests (completed + timed out): a timeout is a request no reviewer answered.",
    );
    line(
        &div,
        "empty",
        (o.finished == 0)
            .then_some("No finished (completed or timed-out) requests in the loaded set."),
    );
    if o.finished > 0 {
        let dl = el(&div, "dl", &[("class", "stats")]);
        stat(
            &dl,
            "finished",
            "Finished",
            &thousands(o.finished as u64),
            "",
        );
        let rate = format!(
            "{} ({})",
            percent(o.timeout_rate),
            thousands(o.timeouts as u64)
        );
        stat(&dl, "timeout-rate", "Timeout rate", &rate, "");
        for (w, key) in o
            .within
            .iter()
            .zip(["within-5m", "within-30m", "within-2h"])
        {
            let value = format!("{} ({})", percent(w.share), thousands(w.count as u64));
            stat(&dl, key, w.label, &value, "");
        }
    }
    let unknown = (o.unknown_time > 0).then(|| {
        format!(
            "{} completed without a known response time count as finished but in no “within” figure.",
            thousands(o.unknown_time as u64)
        )
    });
    line(&div, "muted", unknown.as_deref());
}

fn priority_block(grid: &Element, d: &PriorityDistribution) {
    let div = el(
        grid,
        "div",
        &[("class", "ov-block ov-wide"), ("id", "priorities")],
    );
    el_text(&div, "h3", &[], "By priority");
    let pair = el(&div, "div", &[("class", "ov-pair")]);
    let table = el(
        &el(&pair, "div", &[("class", "table-wrap")]),
        "table",
        &[("class", "stats-table")],
    );
    el_text(
        &table,
        "caption",
        &[("class", "visually-hidden")],
        "Priority distribution",
    );
    let head = el(&el(&table, "thead", &[]), "tr", &[]);
    for (label, title) in [
        ("Priority", ""),
        ("Requests", ""),
        (
            "Completed",
            "Completed with a response time, as the vendor counts them",
        ),
        ("Completion rate", ""),
        ("Avg response time", ""),
        ("Timeout rate", "Timed out, of completed + timed out"),
    ] {
        let th = el_text(&head, "th", &[("scope", "col")], label);
        if !title.is_empty() {
            let _ = th.set_attribute("title", title);
        }
    }
    let tbody = el(&table, "tbody", &[]);
    let avg = |v: Option<f64>| v.map(format_duration).unwrap_or_else(|| "—".to_owned());
    for r in d
        .rows
        .iter()
        .filter(|r| r.count > 0 || !matches!(r.priority, Priority::Other(_)))
    {
        row(
            &tbody,
            r.priority.label(),
            &[
                thousands(r.count as u64),
                thousands(r.completed as u64),
                percent(r.completion_rate),
                avg(r.avg_response_time),
                percent(r.timeout_rate),
            ],
        );
    }
    bar_chart(
        &pair,
        BarSpec {
            id: "chart-priority",
            title: "Requests and completed requests per priority".to_owned(),
            x_label: "Priority",
            y_label: "Requests",
            categories: d
                .rows
                .iter()
                .map(|r| r.priority.label().to_owned())
                .collect(),
            series: vec![
                Series {
                    name: "Requests",
                    color: "k-chart-1",
                    values: d.rows.iter().map(|r| r.count as f64).collect(),
                },
                Series {
                    name: "Completed",
                    color: "k-chart-2",
                    values: d.rows.iter().map(|r| r.completed as f64).collect(),
                },
            ],
            width: 480.0,
            value_labels: true,
            shares: false,
        },
    );
}

fn status_block(grid: &Element, s: &StatusCounts) {
    let parts: Vec<Part> = s
        .rows
        .iter()
        .filter(|r| r.count > 0 || !matches!(r.status, Status::Other(_)))
        .map(|r| Part {
            label: r.status.label().to_owned(),
            color: status_color(&r.status),
            count: r.count as u64,
        })
        .collect();
    let div = el(
        grid,
        "div",
        &[("class", "ov-block"), ("id", "status-share")],
    );
    el_text(&div, "h3", &[], "Status shares");
    stacked_bar(
        &div,
        "chart-status",
        "Share of each status among the analysed requests",
        &parts,
    );
}

fn daily_block(grid: &Element, d: &DailySeries) {
    let note = format!(
        "Days in {}; a completion counts on the day it was answered. Created = left bar, completed = right bar.",
        zone_label(d.offset_minutes)
    );
    let div = block(
        grid,
        "ov-block ov-wide",
        "daily",
        "Created vs completed per day",
        &note,
    );
    line(
        &div,
        "empty",
        d.days.is_empty().then_some("No dated requests to chart."),
    );
    if let (Some(first), Some(last)) = (d.days.first(), d.days.last()) {
        let categories = d
            .days
            .iter()
            .map(|day| format!("{:02}-{:02}", day.date.month(), day.date.day()))
            .collect();
        bar_chart(
            &div,
            BarSpec {
                id: "chart-daily",
                title: format!(
                    "Requests created and completed per day, {} to {}",
                    first.date, last.date
                ),
                x_label: "Day (month-day)",
                y_label: "Requests",
                categories,
                series: vec![
                    Series {
                        name: "Created",
                        color: "k-chart-1",
                        values: d.days.iter().map(|x| x.created as f64).collect(),
                    },
                    Series {
                        name: "Completed",
                        color: "k-chart-3",
                        values: d.days.iter().map(|x| x.completed as f64).collect(),
                    },
                ],
                width: 960.0,
                value_labels: false,
                shares: false,
            },
        );
    }
    let dropped = (d.dropped > 0).then(|| {
        format!(
            "{} events more than ten years older than the newest are left out.",
            thousands(d.dropped as u64)
        )
    });
    line(&div, "muted", dropped.as_deref());
}

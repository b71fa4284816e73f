//! The analytics' figures and charts, appended with the DOM builder: response times, outcomes,
//! status shares, priorities and the per-day series.

use chrono::Datelike;
use hitl_core::chart::{axis_ticks, duration_axis};
use hitl_core::format::{format_duration, one_decimal, percent, thousands, zone_label};
use hitl_core::stats::{
    DailySeries, Outcomes, PriorityDistribution, ResponseRange, StatusCounts, HISTOGRAM_LABELS,
};
use hitl_core::trends::{BucketUnit, TrendCounts, Trends};
use hitl_core::{Priority, Status};
use web_sys::Element;

use super::Analysis;
use crate::components::dom::{el, el_text};
use crate::components::overview::charts::{
    bar_chart, line_chart, row, stacked_bar, BarSpec, LineSeries, LineSpec, Part, Series,
};

fn status_color(s: &Status) -> &'static str {
    match s {
        Status::Pending => "k-pending",
        Status::Completed => "k-completed",
        Status::Timeout => "k-timeout",
        Status::Cancelled => "k-cancelled",
        Status::Other(_) => "k-muted",
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
        &format!("{} seconds", one_decimal(s)),
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

pub(super) fn response_block(grid: &Element, a: &Analysis) {
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

pub(super) fn outcomes_block(grid: &Element, o: &Outcomes) {
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

pub(super) fn priority_block(grid: &Element, d: &PriorityDistribution) {
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

pub(super) fn status_block(grid: &Element, s: &StatusCounts) {
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

pub(super) fn daily_block(grid: &Element, d: &DailySeries) {
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
                    // The colour "Completed" has in the other charts.
                    Series {
                        name: "Completed",
                        color: "k-chart-2",
                        values: d.days.iter().map(|x| x.completed as f64).collect(),
                    },
                ],
                width: 960.0,
                // Values over the bars while they fit (two bars a day, 960 units wide).
                value_labels: d.days.len() <= 16,
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

/// "2 completed and 1 timed out", for the events outside the buckets; empty when none.
fn events(c: &TrendCounts) -> String {
    let mut parts = Vec::new();
    if c.created > 0 {
        parts.push(format!("{} created", thousands(c.created as u64)));
    }
    if c.completed > 0 {
        parts.push(format!("{} completed", thousands(c.completed as u64)));
    }
    if c.timeouts > 0 {
        parts.push(format!("{} timed out", thousands(c.timeouts as u64)));
    }
    parts.join(" and ")
}

/// Trends of the window: counts as bars, the median and 90th percentile response times and the
/// timeout rate as lines, per day (per hour for the last 24 hours) in `zone`.
pub(super) fn trends_block(grid: &Element, t: &Trends, zone: &str) {
    let hourly = t.unit == BucketUnit::Hour;
    let (per, unit) = if hourly {
        ("per hour", "Hour")
    } else {
        ("per day", "Day")
    };
    let note = format!(
        "{} {zone}. Created counts when a request was created, completed when it was answered, timed out at its deadline (timeout_at). Response times of the requests answered in each {}: median = sorted[n/2] (the vendor's definition), 90th percentile nearest rank.",
        if hourly { "Per hour in" } else { "Per day in" },
        if hourly { "hour" } else { "day" },
    );
    let div = block(
        grid,
        "ov-block ov-wide",
        "trends",
        &format!("Trends {per}"),
        &note,
    );
    line(
        &div,
        "empty",
        t.buckets
            .is_empty()
            .then_some("No dated requests in this window to chart."),
    );
    let (Some(first), Some(last)) = (t.buckets.first(), t.buckets.last()) else {
        return;
    };
    let label = |i: usize| {
        let b = &t.buckets[i];
        match b.hour {
            Some(h) => format!("{h:02}:00"),
            None => format!("{:02}-{:02}", b.date.month(), b.date.day()),
        }
    };
    let row_head = |i: usize| {
        let b = &t.buckets[i];
        match b.hour {
            Some(h) => format!("{} {h:02}:00", b.date),
            None => b.date.to_string(),
        }
    };
    let n = t.buckets.len();
    let categories: Vec<String> = (0..n).map(label).collect();
    let span = if hourly {
        format!(
            "{} {:02}:00 to {} {:02}:00",
            first.date,
            first.hour.unwrap_or(0),
            last.date,
            last.hour.unwrap_or(0)
        )
    } else {
        format!("{} to {}", first.date, last.date)
    };
    // Each chart on a line of its own: 960 wide, drawn at full size from 1280 px up.
    let pair = &div;
    bar_chart(
        pair,
        BarSpec {
            id: "chart-trend-counts",
            title: format!("Requests created, completed and timed out {per}, {span}"),
            x_label: if hourly { "Hour" } else { "Day (month-day)" },
            y_label: "Requests",
            categories: categories.clone(),
            series: vec![
                Series {
                    name: "Created",
                    color: "k-chart-1",
                    values: t.buckets.iter().map(|b| b.created as f64).collect(),
                },
                Series {
                    name: "Completed",
                    color: "k-chart-2",
                    values: t.buckets.iter().map(|b| b.completed as f64).collect(),
                },
                Series {
                    name: "Timed out",
                    color: "k-timeout",
                    values: t.buckets.iter().map(|b| b.timeouts as f64).collect(),
                },
            ],
            width: 960.0,
            value_labels: n <= 10,
            shares: false,
        },
    );
    // Response times in a unit people read (s, min or h).
    let max = t.buckets.iter().filter_map(|b| b.p90).fold(0.0, f64::max);
    let (ticks, unit_name, unit_secs) = duration_axis(max);
    let in_unit = |v: Option<f64>| v.map(|s| s / unit_secs);
    let time = |v: Option<f64>| v.map_or_else(|| "—".to_owned(), format_duration);
    let hover = |i: usize, what: &str, v: Option<f64>| {
        let b = &t.buckets[i];
        format!(
            "{}: {what} {} (n = {})",
            row_head(i),
            time(v),
            thousands(b.timed as u64)
        )
    };
    line_chart(
        pair,
        LineSpec {
            id: "chart-trend-times",
            title: format!("Median and 90th percentile response time {per}, {span}"),
            x_label: if hourly { "Hour" } else { "Day (month-day)" },
            y_label: format!("Response time ({unit_name})"),
            categories: categories.clone(),
            series: vec![
                LineSeries {
                    name: "Median",
                    color: "k-chart-1",
                    values: t.buckets.iter().map(|b| in_unit(b.median)).collect(),
                    hover: (0..n)
                        .map(|i| hover(i, "median", t.buckets[i].median))
                        .collect(),
                },
                LineSeries {
                    name: "90th percentile",
                    color: "k-chart-3",
                    values: t.buckets.iter().map(|b| in_unit(b.p90)).collect(),
                    hover: (0..n)
                        .map(|i| hover(i, "90th percentile", t.buckets[i].p90))
                        .collect(),
                },
            ],
            ticks,
            width: 960.0,
            table: (
                vec![unit, "Answered with a time", "Median", "90th percentile"],
                (0..n)
                    .map(|i| {
                        let b = &t.buckets[i];
                        (
                            row_head(i),
                            vec![thousands(b.timed as u64), time(b.median), time(b.p90)],
                        )
                    })
                    .collect(),
            ),
        },
    );
    let finished = |i: usize| t.buckets[i].completed + t.buckets[i].timeouts;
    let rate = |i: usize| (finished(i) > 0).then(|| t.buckets[i].timeout_rate * 100.0);
    let top = t
        .buckets
        .iter()
        .map(|b| b.timeout_rate * 100.0)
        .fold(0.0, f64::max);
    line_chart(
        pair,
        LineSpec {
            id: "chart-trend-timeouts",
            title: format!("Timeout rate {per} (timed out of completed + timed out), {span}"),
            x_label: if hourly { "Hour" } else { "Day (month-day)" },
            y_label: "Timeout rate (%)".to_owned(),
            categories,
            series: vec![LineSeries {
                name: "Timeout rate",
                color: "k-timeout",
                values: (0..n).map(rate).collect(),
                hover: (0..n)
                    .map(|i| {
                        let b = &t.buckets[i];
                        format!(
                            "{}: {} ({} of {})",
                            row_head(i),
                            percent(b.timeout_rate),
                            thousands(b.timeouts as u64),
                            thousands(finished(i) as u64)
                        )
                    })
                    .collect(),
            }],
            ticks: axis_ticks(top.min(100.0)),
            width: 960.0,
            table: (
                vec![unit, "Created", "Completed", "Timed out", "Timeout rate"],
                (0..n)
                    .map(|i| {
                        let b = &t.buckets[i];
                        (
                            row_head(i),
                            vec![
                                thousands(b.created as u64),
                                thousands(b.completed as u64),
                                thousands(b.timeouts as u64),
                                percent(b.timeout_rate),
                            ],
                        )
                    })
                    .collect(),
            ),
        },
    );
    let outside = [
        (
            events(&t.later),
            "after the window (requests created in it, answered or timed out after its end)",
        ),
        (events(&t.earlier), "before the first bucket charted"),
        (events(&t.undated), "without a usable time"),
    ]
    .into_iter()
    .filter(|(e, _)| !e.is_empty())
    .map(|(e, when)| format!("{e} {when}"))
    .collect::<Vec<_>>();
    let outside = (!outside.is_empty()).then(|| format!("Not charted: {}.", outside.join("; ")));
    line(&div, "muted", outside.as_deref());
}

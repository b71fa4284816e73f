//! Inline SVG charts written in `view!` from hitl-core geometry: no chart library, no SVG
//! strings. Each chart is an `<svg role="img">` named by its `<title>`, with axis ticks and
//! labels, a `<title>` (hover value) in every bar, a text legend, and the same numbers as a
//! table. Colours come from the theme's custom properties, so light and dark both work.
//!
//! Size matters (the app is the download): one bar-chart function serves every bar chart, the
//! tables share one row template, and numbers are printed with integer formatting only.

use hitl_core::format::{percent, thousands};
use hitl_core::overview::{grouped_bars, label_step};
use hitl_core::stats::stack;
use leptos::prelude::*;

/// Plot height and margins, in SVG user units.
const PLOT_H: f64 = 170.0;
const LEFT: f64 = 48.0;
const TOP: f64 = 18.0;
const BOTTOM: f64 = 42.0;
/// Approximate width of one label character at the charts' font size.
const CHAR_W: f64 = 6.0;

/// One series of a bar chart.
pub struct Series {
    /// Its name in the legend, tooltips and table.
    pub name: &'static str,
    /// The class that colours it from the theme (`k-chart-1`, `k-pending`, …; style/main.css):
    /// a class, not a style attribute, which the Content-Security-Policy would block.
    pub color: &'static str,
    /// One value per category.
    pub values: Vec<f64>,
}

/// What a bar chart shows.
pub struct BarSpec {
    /// Unique on the page: the title's id derives from it.
    pub id: &'static str,
    /// The chart's accessible name and table caption.
    pub title: String,
    /// What the categories are (x-axis title and the table's first column).
    pub x_label: &'static str,
    /// What the values count (y-axis title).
    pub y_label: &'static str,
    /// One label per category.
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    /// Width of the whole chart in user units (the SVG scales to its box).
    pub width: f64,
    /// Print each value above its bar (for a handful of bars).
    pub value_labels: bool,
    /// Add each value's share of its series' sum (for distributions).
    pub shares: bool,
}

/// `x` with at most one decimal, through integer formatting (no float printing code).
pub fn num(x: f64) -> String {
    let tenths = (x * 10.0).round() as i64;
    let sign = if tenths < 0 { "-" } else { "" };
    let t = tenths.unsigned_abs();
    if t.is_multiple_of(10) {
        format!("{sign}{}", t / 10)
    } else {
        format!("{sign}{}.{}", t / 10, t % 10)
    }
}

/// One table row: a header cell, then data cells.
pub fn row(head: String, cells: Vec<String>) -> impl IntoView {
    view! {
        <tr>
            <th scope="row">{head}</th>
            {cells.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}
        </tr>
    }
}

/// The chart's numbers as a table, behind a disclosure.
fn data_table(
    caption: String,
    head: Vec<String>,
    rows: Vec<(String, Vec<String>)>,
) -> impl IntoView {
    view! {
        <details class="chart-data">
            <summary>"Show as table"</summary>
            <table>
                <caption>{caption}</caption>
                <thead>
                    <tr>{head.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr>
                </thead>
                <tbody>{rows.into_iter().map(|(h, c)| row(h, c)).collect_view()}</tbody>
            </table>
        </details>
    }
}

/// Text legend entries with colour swatches.
fn legend(items: Vec<(&'static str, String)>) -> impl IntoView {
    view! {
        <ul class="legend">
            {items
                .into_iter()
                .map(|(color, text)| {
                    view! { <li><span class=format!("swatch {color}")></span>{text}</li> }
                })
                .collect_view()}
        </ul>
    }
}

/// A vertical bar chart: one or more series side by side per category, one shared scale.
pub fn bar_chart(spec: BarSpec) -> impl IntoView {
    let BarSpec {
        id,
        title,
        x_label,
        y_label,
        categories,
        series,
        width,
        value_labels,
        shares,
    } = spec;
    let plot_w = width - LEFT - 8.0;
    let refs: Vec<&[f64]> = series.iter().map(|s| s.values.as_slice()).collect();
    let g = grouped_bars(&refs, plot_w, PLOT_H);
    let top = g.ticks.last().copied().unwrap_or(1.0);
    let sums: Vec<f64> = series.iter().map(|s| s.values.iter().sum()).collect();
    let value_text = |j: usize, v: f64| {
        if shares {
            format!(
                "{} ({})",
                thousands(v as u64),
                percent(v / sums[j].max(1.0))
            )
        } else {
            thousands(v as u64)
        }
    };
    let longest = categories
        .iter()
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(1) as f64;
    let step = label_step(
        categories.len(),
        (plot_w / (longest * CHAR_W + 4.0)) as usize,
    );
    let title_id = format!("{id}-title");
    let labelled_by = title_id.clone();
    let many = series.len() > 1;

    let ticks = g
        .ticks
        .iter()
        .map(|&t| {
            let y = num(PLOT_H - t / top * PLOT_H);
            view! {
                <g class="tick">
                    <line x1="0" x2=num(plot_w) y1=y.clone() y2=y.clone()/>
                    <text x="-6" y=y dy="0.32em" text-anchor="end">{thousands(t as u64)}</text>
                </g>
            }
        })
        .collect_view();
    let mut bars = Vec::new();
    for (i, group) in g.groups.iter().enumerate() {
        for (j, (b, s)) in group.iter().zip(&series).enumerate() {
            let v = s.values[i];
            let name = if many {
                format!(" — {}", s.name)
            } else {
                String::new()
            };
            let hover = format!("{}{name}: {}", categories[i], value_text(j, v));
            let label = (value_labels && v > 0.0).then(|| thousands(v as u64));
            bars.push(view! {
                <g>
                    <rect x=num(b.x) y=num(b.y) width=num(b.w) height=num(b.h) class=s.color>
                        <title>{hover}</title>
                    </rect>
                    <text class="value" x=num(b.x + b.w / 2.0) y=num(b.y - 4.0) text-anchor="middle">{label}</text>
                </g>
            });
        }
    }
    let x_labels = categories
        .iter()
        .enumerate()
        .filter(|(i, _)| i % step == 0)
        .map(|(i, c)| {
            view! {
                <text x=num((i as f64 + 0.5) * g.slot) y=num(PLOT_H + 14.0) text-anchor="middle">{c.clone()}</text>
            }
        })
        .collect_view();
    let keys = if many {
        series
            .iter()
            .map(|s| (s.color, s.name.to_owned()))
            .collect()
    } else {
        Vec::new()
    };
    let head = std::iter::once(x_label.to_owned())
        .chain(series.iter().map(|s| s.name.to_owned()))
        .collect();
    let rows = categories
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let cells = series
                .iter()
                .enumerate()
                .map(|(j, s)| value_text(j, s.values[i]))
                .collect();
            (c.clone(), cells)
        })
        .collect();

    view! {
        <figure class="chart" id=id>
            <svg role="img" aria-labelledby=labelled_by width=num(width)
                viewBox=format!("0 0 {} {}", num(width), num(TOP + PLOT_H + BOTTOM))>
                <title id=title_id>{title.clone()}</title>
                <g transform=format!("translate({},{})", num(LEFT), num(TOP))>
                    {ticks}
                    {bars}
                    <line class="axis" x1="0" x2=num(plot_w) y1=num(PLOT_H) y2=num(PLOT_H)/>
                    {x_labels}
                    <text class="axis-title" x=num(plot_w / 2.0) y=num(PLOT_H + 34.0) text-anchor="middle">{x_label}</text>
                    <text class="axis-title" transform=format!("translate(-36,{}) rotate(-90)", num(PLOT_H / 2.0)) text-anchor="middle">{y_label}</text>
                </g>
            </svg>
            {legend(keys)}
            {data_table(title, head, rows)}
        </figure>
    }
}

/// One part of a stacked bar.
pub struct Part {
    pub label: String,
    /// The class that colours it, e.g. `k-pending`.
    pub color: &'static str,
    pub count: u64,
}

/// A horizontal 100 % stacked bar with a labelled legend and a table.
pub fn stacked_bar(id: &'static str, title: String, parts: Vec<Part>) -> impl IntoView {
    const W: f64 = 640.0;
    const BAR_H: f64 = 30.0;
    let values: Vec<f64> = parts.iter().map(|p| p.count as f64).collect();
    let segments = stack(&values, W);
    let title_id = format!("{id}-title");
    let labelled_by = title_id.clone();
    let described: Vec<String> = parts
        .iter()
        .zip(&segments)
        .map(|(p, s)| format!("{}: {} ({})", p.label, thousands(p.count), percent(s.share)))
        .collect();
    let rects = parts
        .iter()
        .zip(&segments)
        .zip(&described)
        .filter(|((_, s), _)| s.w > 0.0)
        .map(|((p, s), d)| {
            // Labelled under the bar where there is room; the legend names every part anyway.
            let room = s.w > p.label.chars().count() as f64 * CHAR_W + 40.0;
            let label = room.then(|| format!("{} {}", p.label, percent(s.share)));
            view! {
                <g>
                    <rect x=num(s.x) y="0" width=num(s.w) height=num(BAR_H) class=p.color>
                        <title>{d.clone()}</title>
                    </rect>
                    <text x=num(s.x + s.w / 2.0) y=num(BAR_H + 14.0) text-anchor="middle">{label}</text>
                </g>
            }
        })
        .collect_view();
    let keys = parts
        .iter()
        .zip(described)
        .map(|(p, d)| (p.color, d))
        .collect();
    let rows = parts
        .iter()
        .zip(&segments)
        .map(|(p, s)| (p.label.clone(), vec![thousands(p.count), percent(s.share)]))
        .collect();
    view! {
        <figure class="chart" id=id>
            <svg role="img" aria-labelledby=labelled_by width=num(W) viewBox=format!("0 0 {} {}", num(W), num(BAR_H + 34.0))>
                <title id=title_id>{title.clone()}</title>
                {rects}
                <g class="tick">
                    <text x="0" y=num(BAR_H + 30.0)>"0%"</text>
                    <text x=num(W) y=num(BAR_H + 30.0) text-anchor="end">"100%"</text>
                </g>
            </svg>
            {legend(keys)}
            {data_table(title, vec!["Status".to_owned(), "Requests".to_owned(), "Share".to_owned()], rows)}
        </figure>
    }
}

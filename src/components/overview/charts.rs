//! Inline SVG charts built from hitl-core geometry: no chart library, no SVG strings. Each chart
//! is an `<svg role="img">` named by its `<title>`, with axis ticks and labels, a `<title>`
//! (hover value) in every bar, a text legend, and the same numbers as a table. Colours come from
//! the theme's custom properties, so light and dark both work.
//!
//! Size matters (the app is the download): the charts are static once drawn, so they are built
//! with the plain DOM builder (`components::dom`) rather than `view!`, one bar-chart function
//! serves every bar chart, the tables share one row function, and numbers are printed with
//! integer formatting only.

use hitl_core::chart::{line, stack};
use hitl_core::format::{one_decimal, percent, thousands};
use hitl_core::overview::{grouped_bars, label_step};
use web_sys::Element;

use crate::components::dom::{el, el_text, svg, svg_text};

/// Plot height and margins, in SVG user units.
const PLOT_H: f64 = 170.0;
const LEFT: f64 = 48.0;
const TOP: f64 = 18.0;
const BOTTOM: f64 = 42.0;
/// Approximate width of one label character at the charts' font size.
const CHAR_W: f64 = 6.0;

/// One series of a bar chart.
pub(crate) struct Series {
    /// Its name in the legend, tooltips and table.
    pub name: &'static str,
    /// The class that colours it from the theme (`k-chart-1`, `k-pending`, …; style/main.css):
    /// a class, not a style attribute, which the Content-Security-Policy would block.
    pub color: &'static str,
    /// One value per category.
    pub values: Vec<f64>,
}

/// What a bar chart shows.
pub(crate) struct BarSpec {
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

/// One line of a line chart.
pub(crate) struct LineSeries {
    /// Its name in the legend.
    pub name: &'static str,
    /// The class that colours it (`k-chart-1`, …), as for bars.
    pub color: &'static str,
    /// One value per category, in the axis' unit; `None` where unknown (the line breaks).
    pub values: Vec<Option<f64>>,
    /// The hover text of each point.
    pub hover: Vec<String>,
}

/// What a line chart shows.
pub(crate) struct LineSpec {
    /// Unique on the page.
    pub id: &'static str,
    pub title: String,
    pub x_label: &'static str,
    pub y_label: String,
    pub categories: Vec<String>,
    pub series: Vec<LineSeries>,
    /// The y-axis ticks, in the values' unit (the last is the top of the scale).
    pub ticks: Vec<f64>,
    pub width: f64,
    /// The same numbers as a table: its header and one row per category.
    pub table: (Vec<&'static str>, Vec<(String, Vec<String>)>),
}

/// One table row in `tbody`: a header cell, then data cells.
pub(crate) fn row(tbody: &Element, head: &str, cells: &[String]) {
    let tr = el(tbody, "tr", &[]);
    el_text(&tr, "th", &[("scope", "row")], head);
    for c in cells {
        el_text(&tr, "td", &[], c);
    }
}

/// The chart's numbers as a table, behind a disclosure.
fn data_table(parent: &Element, caption: &str, head: &[&str], rows: &[(String, Vec<String>)]) {
    let details = el(parent, "details", &[("class", "chart-data")]);
    el_text(&details, "summary", &[], "Show as table");
    let table = el(&details, "table", &[]);
    el_text(&table, "caption", &[], caption);
    let tr = el(&el(&table, "thead", &[]), "tr", &[]);
    for h in head {
        el_text(&tr, "th", &[("scope", "col")], h);
    }
    let tbody = el(&table, "tbody", &[]);
    for (h, cells) in rows {
        row(&tbody, h, cells);
    }
}

/// Text legend entries with colour swatches.
fn legend(parent: &Element, items: &[(&str, &str)]) {
    let ul = el(parent, "ul", &[("class", "legend")]);
    for (color, text) in items {
        let li = el(&ul, "li", &[]);
        el(&li, "span", &[("class", &format!("swatch {color}"))]);
        crate::components::dom::text(&li, text);
    }
}

/// `<figure class="chart" id=id><svg role="img" …><title id=…>title</title></svg></figure>`
/// appended to `parent`: returns the figure and the svg.
fn figure(parent: &Element, id: &str, title: &str, width: f64, height: f64) -> (Element, Element) {
    let fig = el(parent, "figure", &[("class", "chart"), ("id", id)]);
    let title_id = format!("{id}-title");
    let root = svg(
        &fig,
        "svg",
        &[
            ("role", "img"),
            ("aria-labelledby", &title_id),
            ("width", &one_decimal(width)),
            (
                "viewBox",
                &format!("0 0 {} {}", one_decimal(width), one_decimal(height)),
            ),
        ],
    );
    svg_text(&root, "title", &[("id", &title_id)], title);
    (fig, root)
}

/// Appends a vertical bar chart: one or more series side by side per category, one shared
/// scale.
pub(crate) fn bar_chart(parent: &Element, spec: BarSpec) {
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
    let many = series.len() > 1;

    let (fig, root) = figure(parent, id, &title, width, TOP + PLOT_H + BOTTOM);
    let plot = svg(
        &root,
        "g",
        &[(
            "transform",
            &format!("translate({},{})", one_decimal(LEFT), one_decimal(TOP)),
        )],
    );
    let plot_w_text = one_decimal(plot_w);
    for &t in &g.ticks {
        let y = one_decimal(PLOT_H - t / top * PLOT_H);
        let tick = svg(&plot, "g", &[("class", "tick")]);
        svg(
            &tick,
            "line",
            &[("x1", "0"), ("x2", &plot_w_text), ("y1", &y), ("y2", &y)],
        );
        svg_text(
            &tick,
            "text",
            &[
                ("x", "-6"),
                ("y", &y),
                ("dy", "0.32em"),
                ("text-anchor", "end"),
            ],
            &thousands(t as u64),
        );
    }
    for (i, group) in g.groups.iter().enumerate() {
        for (j, (b, s)) in group.iter().zip(&series).enumerate() {
            let v = s.values[i];
            let mut hover = categories[i].clone();
            if many {
                hover.push_str(" — ");
                hover.push_str(s.name);
            }
            hover.push_str(": ");
            hover.push_str(&value_text(j, v));
            let bar = svg(&plot, "g", &[]);
            let rect = svg(
                &bar,
                "rect",
                &[
                    ("x", &one_decimal(b.x)),
                    ("y", &one_decimal(b.y)),
                    ("width", &one_decimal(b.w)),
                    ("height", &one_decimal(b.h)),
                    ("class", s.color),
                ],
            );
            svg_text(&rect, "title", &[], &hover);
            let label = if value_labels && v > 0.0 {
                thousands(v as u64)
            } else {
                String::new()
            };
            svg_text(
                &bar,
                "text",
                &[
                    ("class", "value"),
                    ("x", &one_decimal(b.x + b.w / 2.0)),
                    ("y", &one_decimal(b.y - 4.0)),
                    ("text-anchor", "middle"),
                ],
                &label,
            );
        }
    }
    x_axis(&plot, plot_w, g.slot, &categories, x_label, y_label);

    let keys: Vec<(&str, &str)> = if many {
        series.iter().map(|s| (s.color, s.name)).collect()
    } else {
        Vec::new()
    };
    legend(&fig, &keys);
    let head: Vec<&str> = std::iter::once(x_label)
        .chain(series.iter().map(|s| s.name))
        .collect();
    let rows: Vec<(String, Vec<String>)> = categories
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
    data_table(&fig, &title, &head, &rows);
}

/// The x axis of a chart over `categories` (one slot each): its line, as many category
/// labels as fit without overlapping, and both axis titles.
fn x_axis(
    plot: &Element,
    plot_w: f64,
    slot: f64,
    categories: &[String],
    x_label: &str,
    y_label: &str,
) {
    svg(
        plot,
        "line",
        &[
            ("class", "axis"),
            ("x1", "0"),
            ("x2", &one_decimal(plot_w)),
            ("y1", &one_decimal(PLOT_H)),
            ("y2", &one_decimal(PLOT_H)),
        ],
    );
    let longest = categories
        .iter()
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(1) as f64;
    let step = label_step(
        categories.len(),
        (plot_w / (longest * CHAR_W + 4.0)) as usize,
    );
    for (i, c) in categories.iter().enumerate().filter(|(i, _)| i % step == 0) {
        svg_text(
            plot,
            "text",
            &[
                ("x", &one_decimal((i as f64 + 0.5) * slot)),
                ("y", &one_decimal(PLOT_H + 14.0)),
                ("text-anchor", "middle"),
            ],
            c,
        );
    }
    svg_text(
        plot,
        "text",
        &[
            ("class", "axis-title"),
            ("x", &one_decimal(plot_w / 2.0)),
            ("y", &one_decimal(PLOT_H + 34.0)),
            ("text-anchor", "middle"),
        ],
        x_label,
    );
    svg_text(
        plot,
        "text",
        &[
            ("class", "axis-title"),
            (
                "transform",
                &format!("translate(-36,{}) rotate(-90)", one_decimal(PLOT_H / 2.0)),
            ),
            ("text-anchor", "middle"),
        ],
        y_label,
    );
}

/// Appends a line chart: one or more series over the same categories, every point marked
/// with its hover value, gaps where a value is unknown.
pub(crate) fn line_chart(parent: &Element, spec: LineSpec) {
    let LineSpec {
        id,
        title,
        x_label,
        y_label,
        categories,
        series,
        ticks,
        width,
        table,
    } = spec;
    let plot_w = width - LEFT - 8.0;
    let top = ticks.last().copied().unwrap_or(1.0);
    let (fig, root) = figure(parent, id, &title, width, TOP + PLOT_H + BOTTOM);
    let plot = svg(
        &root,
        "g",
        &[(
            "transform",
            &format!("translate({},{})", one_decimal(LEFT), one_decimal(TOP)),
        )],
    );
    let plot_w_text = one_decimal(plot_w);
    for &t in &ticks {
        let y = one_decimal(PLOT_H - t / top * PLOT_H);
        let tick = svg(&plot, "g", &[("class", "tick")]);
        svg(
            &tick,
            "line",
            &[("x1", "0"), ("x2", &plot_w_text), ("y1", &y), ("y2", &y)],
        );
        svg_text(
            &tick,
            "text",
            &[
                ("x", "-6"),
                ("y", &y),
                ("dy", "0.32em"),
                ("text-anchor", "end"),
            ],
            &one_decimal(t),
        );
    }
    let slot = plot_w / categories.len().max(1) as f64;
    for s in &series {
        let l = line(&s.values, plot_w, PLOT_H, top);
        svg(
            &plot,
            "path",
            &[("class", &format!("line {}", s.color)), ("d", &l.path)],
        );
        for (p, hover) in l.points.iter().zip(&s.hover) {
            if let Some((x, y)) = p {
                let dot = svg(
                    &plot,
                    "circle",
                    &[
                        ("class", s.color),
                        ("cx", &one_decimal(*x)),
                        ("cy", &one_decimal(*y)),
                        ("r", "3"),
                    ],
                );
                svg_text(&dot, "title", &[], hover);
            }
        }
    }
    x_axis(&plot, plot_w, slot, &categories, x_label, &y_label);
    let keys: Vec<(&str, &str)> = series.iter().map(|s| (s.color, s.name)).collect();
    legend(&fig, &keys);
    data_table(&fig, &title, &table.0, &table.1);
}

/// One part of a stacked bar.
pub(crate) struct Part {
    pub label: String,
    /// The class that colours it, e.g. `k-pending`.
    pub color: &'static str,
    pub count: u64,
}

/// Appends a horizontal 100 % stacked bar with a labelled legend and a table.
pub(crate) fn stacked_bar(parent: &Element, id: &'static str, title: &str, parts: &[Part]) {
    // No wider than the Overview grid's narrowest cell (26rem, `.ov-grid`), so it is never
    // drawn smaller than its units: 640 wide, its 10-unit labels came out at 7 px in a cell of
    // 462 px (a 1920 px screen).
    const W: f64 = 416.0;
    const BAR_H: f64 = 30.0;
    let values: Vec<f64> = parts.iter().map(|p| p.count as f64).collect();
    let segments = stack(&values, W);
    let described: Vec<String> = parts
        .iter()
        .zip(&segments)
        .map(|(p, s)| format!("{}: {} ({})", p.label, thousands(p.count), percent(s.share)))
        .collect();

    let (fig, root) = figure(parent, id, title, W, BAR_H + 34.0);
    for ((p, s), d) in parts.iter().zip(&segments).zip(&described) {
        if s.w <= 0.0 {
            continue;
        }
        let bar = svg(&root, "g", &[]);
        let rect = svg(
            &bar,
            "rect",
            &[
                ("x", &one_decimal(s.x)),
                ("y", "0"),
                ("width", &one_decimal(s.w)),
                ("height", &one_decimal(BAR_H)),
                ("class", p.color),
            ],
        );
        svg_text(&rect, "title", &[], d);
        // Labelled under the bar where there is room; the legend names every part anyway.
        let room = s.w > p.label.chars().count() as f64 * CHAR_W + 40.0;
        let label = if room {
            format!("{} {}", p.label, percent(s.share))
        } else {
            String::new()
        };
        svg_text(
            &bar,
            "text",
            &[
                ("x", &one_decimal(s.x + s.w / 2.0)),
                ("y", &one_decimal(BAR_H + 14.0)),
                ("text-anchor", "middle"),
            ],
            &label,
        );
    }
    let tick = svg(&root, "g", &[("class", "tick")]);
    let below = one_decimal(BAR_H + 30.0);
    svg_text(&tick, "text", &[("x", "0"), ("y", &below)], "0%");
    svg_text(
        &tick,
        "text",
        &[
            ("x", &one_decimal(W)),
            ("y", &below),
            ("text-anchor", "end"),
        ],
        "100%",
    );

    let keys: Vec<(&str, &str)> = parts
        .iter()
        .zip(&described)
        .map(|(p, d)| (p.color, d.as_str()))
        .collect();
    legend(&fig, &keys);
    let rows: Vec<(String, Vec<String>)> = parts
        .iter()
        .zip(&segments)
        .map(|(p, s)| (p.label.clone(), vec![thousands(p.count), percent(s.share)]))
        .collect();
    data_table(&fig, title, &["Status", "Requests", "Share"], &rows);
}

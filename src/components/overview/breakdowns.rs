//! The breakdowns "By loop", "By reviewer" and "By response type" of the analysed requests:
//! requests, completed, completion rate, timeouts, timeout rate and the response times (median
//! as the vendor defines it, 90th percentile, average), a row per key and one for all.
//!
//! Loops are shown by name and reviewers by email once the loops are loaded (`state::Loops`:
//! one call, once; on demo data at once, on the live API when the user asks here or focuses
//! Loop ID). Until then, or where the call fails, by id. Headers are
//! sort buttons (`aria-sort` on the `<th>`); a loop's name filters the table by that loop (the
//! URL's `loop_id`, history replace, as the filter bar does); each table saves as CSV. The
//! header is a `view!` (controls), the rows are built with the DOM builder.

use std::sync::Arc;

use hitl_core::breakdown::{
    sort_shown, to_csv, BreakdownColumn, Breakdowns, Dimension, Figures, ShownRow,
};
use hitl_core::export::breakdown_filename;
use hitl_core::format::{format_duration, one_decimal, percent, thousands};
use hitl_core::sorting::Direction;
use hitl_core::RequestQuery;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Element;

use crate::browser::download;
use crate::browser::time::{today_in, ShownZone};
use crate::browser::url::{HistoryMode, UrlState};
use crate::components::dom::{el, el_text, fill};
use crate::state::{Loops, TimeDisplay, Window};

/// What the tables show: the breakdowns and what they are based on.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct BreakdownData {
    pub breakdowns: Breakdowns,
    /// "Based on …" of the analysed rows.
    pub based_on: String,
}

/// The three tables.
pub(super) fn breakdowns(data: Memo<Option<Arc<BreakdownData>>>) -> impl IntoView {
    let loops = expect_context::<Loops>();
    let failed = move || loops.list.with(|l| matches!(l, Some(Some(Err(_)))));
    let loaded = move || loops.list.with(|l| matches!(l, Some(Some(Ok(_)))));
    // The names cost a call on the live API: asked for here, with the cost said first.
    let asked = RwSignal::new(false);
    let names_note = move || {
        if failed() {
            "The loop names could not be loaded: loops and reviewers are shown by id."
        } else if loaded() {
            "Loops by name, reviewers by email."
        } else if asked.get() {
            "Loading the loop names…"
        } else {
            "Loops and reviewers are shown by id."
        }
    };
    let offer = move || !loaded() && !failed() && !asked.get();
    view! {
        <div class="breakdowns">
            <p class="muted">
                {names_note}
                <Show when=offer>
                    " "
                    <button type="button" on:click=move |_| {
                        asked.set(true);
                        loops.want();
                    }>"Show loop names and reviewer emails"</button>
                    " (1 call, once)"
                </Show>
            </p>
            <p class="muted">
                "Response times of completed requests: the median is the vendor's sorted[n/2], the 90th percentile the nearest rank; timeout rate = timeouts ÷ (completed + timeouts)."
            </p>
            {Dimension::ALL.into_iter().map(|d| table(d, data)).collect_view()}
        </div>
    }
}

fn id_of(d: Dimension) -> &'static str {
    match d {
        Dimension::Loop => "by-loop",
        Dimension::Reviewer => "by-reviewer",
        Dimension::ResponseType => "by-response-type",
    }
}

/// The rows of `d` as shown, names from the loops where known, in the chosen order.
fn shown_rows(
    b: &Breakdowns,
    d: Dimension,
    loops: &Loops,
    (column, direction): (BreakdownColumn, Direction),
) -> Vec<ShownRow> {
    let mut rows = loops.names.with(|n| match d {
        Dimension::Loop => b.by_loop.shown(&|id| n.loops.get(id).cloned()),
        Dimension::Reviewer => b.by_reviewer.shown(&|id| n.users.get(id).cloned()),
        Dimension::ResponseType => b.by_response_type.shown(&|_| None),
    });
    sort_shown(&mut rows, column, direction);
    rows
}

/// One breakdown: heading, Export CSV, and the table.
fn table(d: Dimension, data: Memo<Option<Arc<BreakdownData>>>) -> impl IntoView {
    let loops = expect_context::<Loops>();
    let url = expect_context::<UrlState>();
    let win = expect_context::<Window>();
    let time = use_context::<TimeDisplay>();
    let sort = RwSignal::new((BreakdownColumn::Requests, Direction::Desc));
    let tbody = NodeRef::<html::Tbody>::new();
    fill(tbody, move |tbody| {
        data.with(|data| {
            if let Some(data) = data {
                let rows = shown_rows(&data.breakdowns, d, &loops, sort.get());
                for r in &rows {
                    body_row(tbody, d, r);
                }
                total_row(tbody, data.breakdowns.all());
            }
        })
    });
    let click = move |column: BreakdownColumn| {
        sort.update(|(c, dir)| {
            *dir = if *c == column {
                match dir {
                    Direction::Asc => Direction::Desc,
                    Direction::Desc => Direction::Asc,
                }
            } else if column == BreakdownColumn::Key {
                Direction::Asc
            } else {
                Direction::Desc
            };
            *c = column;
        })
    };
    let aria = move |column: BreakdownColumn| match sort.get() {
        (c, Direction::Asc) if c == column => "ascending",
        (c, Direction::Desc) if c == column => "descending",
        _ => "none",
    };
    let header = move |column: BreakdownColumn| {
        let label = if column == BreakdownColumn::Key {
            d.key_label()
        } else {
            column.label()
        };
        view! {
            <th scope="col" aria-sort=move || aria(column)>
                <button type="button" class="sort" on:click=move |_| click(column)>
                    {label}
                    <span class="sort-mark" aria-hidden="true">
                        {move || match aria(column) {
                            "ascending" => "▲",
                            "descending" => "▼",
                            _ => "",
                        }}
                    </span>
                </button>
            </th>
        }
    };
    // A loop's name filters the table by that loop, as typing its id in Loop ID does.
    let on_body = move |ev: leptos::ev::MouseEvent| {
        let target = ev.target().and_then(|t| t.dyn_into::<Element>().ok());
        let button = target.and_then(|t| t.closest("button[data-loop]").ok().flatten());
        if let Some(id) = button.and_then(|b| b.get_attribute("data-loop")) {
            let mut q: RequestQuery = url.lenient_query();
            q.loop_id = Some(id);
            q.offset = 0;
            q.created_before = None;
            url.set_query(&q, HistoryMode::Replace);
        }
    };
    let saved = RwSignal::new(None::<String>);
    let export = move |_| {
        let text = data.with_untracked(|data| {
            data.as_ref().map(|data| {
                let rows = shown_rows(&data.breakdowns, d, &loops, sort.get_untracked());
                to_csv(d.key_label(), &rows, data.breakdowns.all())
            })
        });
        let Some(text) = text else { return };
        let zone = time.map_or(ShownZone::Local, |t| untrack(|| t.zone()));
        let name = breakdown_filename(
            id_of(d),
            today_in(zone),
            &url.lenient_query(),
            &win.choice.get_untracked(),
        );
        saved.set(Some(
            match download(&name, "text/csv;charset=utf-8", &text) {
                Ok(()) => format!("Saved {name}."),
                Err(e) => e,
            },
        ));
    };
    let heading_id = format!("{}-h", id_of(d));
    let based_on = move || data.with(|d| d.as_ref().map(|d| d.based_on.clone()));
    view! {
        <div class="ov-block ov-wide breakdown" id=id_of(d)>
            <div class="breakdown-head">
                <h3 id=heading_id.clone()>{d.label()}</h3>
                <button type="button" on:click=export aria-describedby=heading_id.clone()>"Save as CSV"</button>
                <span class="muted" role="status">{move || saved.get()}</span>
            </div>
            <p class="muted">{based_on}</p>
            <div class="table-wrap">
                <table class="stats-table breakdown-table" aria-labelledby=heading_id>
                    <thead>
                        <tr>{BreakdownColumn::ALL.into_iter().map(header).collect_view()}</tr>
                    </thead>
                    <tbody node_ref=tbody on:click=on_body></tbody>
                </table>
            </div>
        </div>
    }
}

/// The figures of a row, as cells after its header cell.
fn cells(tr: &Element, f: &Figures) {
    for text in [
        thousands(f.requests as u64),
        thousands(f.completed as u64),
        percent(f.completion_rate),
        thousands(f.timeouts as u64),
        percent(f.timeout_rate),
    ] {
        el_text(tr, "td", &[], &text);
    }
    for t in [f.median, f.p90, f.average] {
        match t {
            Some(t) => el_text(
                tr,
                "td",
                &[("title", &format!("{} seconds", one_decimal(t)))],
                &format_duration(t),
            ),
            None => el_text(
                tr,
                "td",
                &[("title", "No completed request with a response time")],
                "—",
            ),
        };
    }
}

fn body_row(tbody: &Element, d: Dimension, r: &ShownRow) {
    let tr = el(tbody, "tr", &[]);
    let th = el(&tr, "th", &[("scope", "row")]);
    match (d, r.id.as_deref()) {
        (Dimension::Loop, Some(id)) if !id.is_empty() => {
            let title = format!("Show only loop {id} in the table (Loop ID filter)");
            el_text(
                &th,
                "button",
                &[
                    ("type", "button"),
                    ("class", "link"),
                    ("data-loop", id),
                    ("title", &title),
                ],
                &r.label,
            );
        }
        (_, Some(id)) if id != r.label => {
            el_text(&th, "span", &[("title", id)], &r.label);
        }
        _ => {
            crate::components::dom::text(&th, &r.label);
        }
    }
    cells(&tr, &r.figures);
}

fn total_row(tbody: &Element, all: &Figures) {
    let tr = el(tbody, "tr", &[("class", "total")]);
    el_text(&tr, "th", &[("scope", "row")], "All");
    cells(&tr, all);
}

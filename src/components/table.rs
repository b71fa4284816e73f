//! The requests table: a real `<table>`, one `<tr>` per request, headers that sort the loaded
//! rows client-side (asc → desc → server order) with `aria-sort`, and windowed rendering above
//! [`WINDOW_THRESHOLD`] rows so tens of thousands of loaded rows stay smooth.
//!
//! Untrusted text (request_text, response_data) only ever becomes text nodes: Leptos escapes
//! text children, and nothing here sets inner HTML.

use std::collections::HashSet;
use std::sync::Arc;

use hitl_core::format::{format_duration, local_datetime, one_line, relative};
use hitl_core::response::ResponseValue;
use hitl_core::sorting::{aria_sort, sort_permutation, sort_permutation_named, Column, SortState};
use hitl_core::{HitlRequest, Status};
use leptos::prelude::*;

use crate::components::clock::Clock;
use crate::components::detail;
use crate::components::preferences::TimeDisplay;
use crate::state::Names;
use crate::url::{HistoryMode, UrlState};

/// Characters of request text shown in the one-line cell.
const TEXT_CHARS: usize = 90;
/// Above this many rows only the visible window is rendered.
pub const WINDOW_THRESHOLD: usize = 1_000;
/// Row height in windowed mode (px); windowed rows are one line (see `.windowed` in the CSS).
const ROW_PX: f64 = 36.0;
/// Rows rendered above and below the visible window.
const OVERSCAN: usize = 15;

/// The table of `rows`, sortable by header.
#[component]
pub fn RequestsTable(
    /// The loaded rows, in server order.
    #[prop(into)]
    rows: Signal<Arc<Vec<HitlRequest>>>,
    /// Known loop names and reviewer emails.
    #[prop(into)]
    names: Signal<Arc<Names>>,
    /// Ids of rows new or changed since the previous load of this view: highlighted briefly.
    #[prop(into)]
    fresh: Signal<Arc<HashSet<String>>>,
    /// True while the first answer for this view is awaited: skeleton rows instead of a jump.
    #[prop(into)]
    loading: Signal<bool>,
) -> impl IntoView {
    let clock = expect_context::<Clock>();
    let time = expect_context::<TimeDisplay>();
    let sort = RwSignal::new(None::<SortState>);
    // The display order as indices into `rows`: rows are never cloned or moved to sort.
    let order = Memo::new(move |_| {
        let sort = sort.get();
        rows.with(|r| match sort {
            // These two show names where known: sorted by what is shown (and again when the
            // names arrive).
            Some(s) if matches!(s.column, Column::Reviewer | Column::Loop) => {
                names.with(|n| sort_permutation_named(r, s.column, s.direction, &n.loops, &n.users))
            }
            Some(s) => sort_permutation(r, s.column, s.direction),
            None => (0..r.len() as u32).collect(),
        })
    });
    let windowed = move || rows.with(|r| r.len() > WINDOW_THRESHOLD);
    let scroll_top = RwSignal::new(0.0f64);
    let viewport = RwSignal::new(720.0f64);
    let on_scroll = move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        if let Some(el) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        {
            scroll_top.set(f64::from(el.scroll_top()));
            viewport.set(f64::from(el.client_height()).max(ROW_PX));
        }
    };
    // What to render: the window of `order` (all of it below the threshold) with its rows, in
    // one memo, the only thing the body and the spacers read. The body used to read `order`
    // beside a window memo derived from `order` (a diamond: body → window → order, body →
    // order). reactive_graph 0.2 checks a render effect's sources with the effect itself as the
    // observer, so when the window memo recomputed `order` first and came out unchanged, the
    // body missed that `order` had changed: a windowed table showed each sort one click late.
    // A memo between them has no such blind spot (it is marked dirty by `order` itself).
    let slice = Memo::new(move |_| {
        order.with(|order| {
            let n = order.len();
            let (start, end) = if n > WINDOW_THRESHOLD {
                let first = (scroll_top.get() / ROW_PX) as usize;
                let start = first.saturating_sub(OVERSCAN).min(n);
                let count = (viewport.get() / ROW_PX).ceil() as usize + 2 * OVERSCAN;
                (start, (start + count).min(n))
            } else {
                (0, n)
            };
            let visible = rows.with(|rows| {
                order[start..end]
                    .iter()
                    .filter_map(|&i| rows.get(i as usize))
                    .map(|r| (row_key(r), r.clone()))
                    .collect::<Vec<_>>()
            });
            Slice {
                hidden_above: start,
                hidden_below: n - end,
                visible,
            }
        })
    });
    let visible = move || slice.with(|s| s.visible.clone());
    // After each render of the body, one row is the table's tab stop.
    Effect::new(move || {
        slice.track();
        request_animation_frame(ensure_tab_stop);
    });
    let spacer = move |top: bool| {
        let rows_hidden = slice.with(|s| if top { s.hidden_above } else { s.hidden_below });
        (rows_hidden > 0).then(|| {
            view! {
                <tr class="spacer" aria-hidden="true">
                    <td colspan="10" style:height=format!("{}px", rows_hidden * ROW_PX as usize)></td>
                </tr>
            }
        })
    };
    let header = move |column: Column| {
        let click = move |_| sort.update(|s| *s = SortState::click(*s, column));
        view! {
            <th scope="col" aria-sort=move || aria_sort(sort.get(), column) class=format!("h-{}", column.key())>
                <button type="button" class="sort" on:click=click>
                    {column.label()}
                    <span class="sort-mark" aria-hidden="true">
                        {move || match aria_sort(sort.get(), column) {
                            "ascending" => "▲",
                            "descending" => "▼",
                            _ => "",
                        }}
                    </span>
                </button>
            </th>
        }
    };
    view! {
        <div
            class="table-wrap"
            class:windowed=windowed
            on:scroll=on_scroll
            tabindex=move || if windowed() { "0" } else { "-1" }
            aria-label="Requests table"
        >
            <table class="requests">
                <caption class="visually-hidden">
                    "Requests. Column headers are buttons that sort the loaded rows."
                </caption>
                <thead>
                    <tr>{Column::ALL.into_iter().map(header).collect_view()}</tr>
                </thead>
                <tbody>
                    {move || spacer(true)}
                    <For each=visible key=|(k, _)| k.clone() let:item>
                        <Row request=item.1 clock=clock time=time names=names fresh=fresh/>
                    </For>
                    {move || spacer(false)}
                    {move || (loading.get() && rows.with(|r| r.is_empty())).then(skeleton)}
                </tbody>
            </table>
        </div>
    }
}

/// Placeholder rows while the first page loads, so the layout does not jump.
fn skeleton() -> impl IntoView {
    (0..8)
        .map(|_| {
            view! {
                <tr class="skeleton" aria-hidden="true">
                    {(0..10).map(|_| view! { <td><span></span></td> }).collect_view()}
                </tr>
            }
        })
        .collect_view()
}

/// The rows to render and how many are windowed out above and below.
#[derive(Clone, Debug, PartialEq)]
struct Slice {
    hidden_above: usize,
    hidden_below: usize,
    visible: Vec<(String, HitlRequest)>,
}

/// A changed row (e.g. cancelled) gets a new key and is rendered again.
fn row_key(r: &HitlRequest) -> String {
    format!(
        "{}:{}:{}",
        r.id,
        r.status,
        r.updated_at
            .map(|t| t.timestamp_millis())
            .unwrap_or_default()
    )
}

#[component]
fn Row(
    request: HitlRequest,
    clock: Clock,
    time: TimeDisplay,
    names: Signal<Arc<Names>>,
    fresh: Signal<Arc<HashSet<String>>>,
) -> impl IntoView {
    let r = request;
    let created = r.created_at;
    let stamp = move |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map(|t| format!("{} {}", local_datetime(t, time.offset()), time.zone()))
            .unwrap_or_default()
    };
    let created_title = move || stamp(created);
    let created_text = move || {
        created
            .map(|t| relative(t, clock.instant()))
            .unwrap_or_else(|| "—".to_owned())
    };
    let response = ResponseValue::interpret(&r.response_type, r.response_data.as_ref());
    let response_time = r
        .response_time_seconds
        .map(format_duration)
        .unwrap_or_default();
    let timeout_at = r.timeout_at;
    let pending = r.status == Status::Pending;
    let timeout_title = move || stamp(timeout_at);
    let timeout_text = move || match (pending, timeout_at) {
        (true, Some(t)) => {
            let left = (t - clock.instant()).num_seconds();
            if left > 0 {
                format!("{} left", format_duration(left as f64))
            } else {
                "due".to_owned()
            }
        }
        (false, Some(t)) => local_datetime(t, time.offset()),
        _ => "—".to_owned(),
    };
    let short = one_line(&r.request_text, TEXT_CHARS);
    let long = short.chars().count() < r.request_text.chars().count();
    let full = r.request_text.clone();
    let expanded = RwSignal::new(false);
    let text = {
        let full = full.clone();
        move || {
            if expanded.get() {
                full.clone()
            } else {
                short.clone()
            }
        }
    };
    let loop_id = r.loop_id.clone();
    let loop_name = {
        let id = loop_id.clone();
        move || names.with(|n| n.loops.get(&id).cloned())
    };
    let loop_title = loop_id.clone();
    let reviewer = r.response_by.clone().unwrap_or_default();
    let reviewer_text = {
        let id = reviewer.clone();
        move || {
            names
                .with(|n| n.users.get(&id).cloned())
                .unwrap_or_else(|| id.clone())
        }
    };
    // Clicking a row, or Enter on the focused row itself, opens its detail panel.
    let open = {
        let id = r.id.clone();
        let url = use_context::<UrlState>();
        move || {
            let Some(url) = url else { return };
            // Already open: Enter takes focus back into the panel.
            if untrack(|| url.param(detail::PARAM)).as_ref() == Some(&id) {
                detail::focus_later(detail::TITLE_ID);
            } else {
                url.set_param(detail::PARAM, Some(&id), HistoryMode::Push);
            }
        }
    };
    let open_on_enter = open.clone();
    view! {
        <tr data-id=r.id.clone() data-status=r.status.as_str().to_owned() tabindex="-1"
            class:fresh={
                let id = r.id.clone();
                move || fresh.with(|f| f.contains(&id))
            }
            on:click=move |ev| {
                use wasm_bindgen::JsCast;
                if let Some(row) = ev.current_target().and_then(|t| t.dyn_into().ok()) {
                    take_tab_stop(&row);
                }
                open()
            }
            on:keydown=move |ev| {
                if ev.key() == "Enter" && ev.target() == ev.current_target() {
                    open_on_enter();
                }
            }>
            <td class="c-created">
                <time datetime=created.map(|t| t.to_rfc3339()).unwrap_or_default() title=created_title>
                    {created_text}
                </time>
            </td>
            <td class="c-status">
                <span class="badge" data-status=r.status.as_str().to_owned()>{r.status.label().to_owned()}</span>
            </td>
            <td class="c-priority">
                <span class="badge" data-priority=r.priority.as_str().to_owned()>{r.priority.label().to_owned()}</span>
            </td>
            <td class="c-type">{r.content_type.label().to_owned()}</td>
            <td class="c-text" title=full class:expanded=move || expanded.get()>
                {long.then(|| view! {
                    <button
                        type="button"
                        class="expand"
                        aria-expanded=move || expanded.get().to_string()
                        aria-label=move || if expanded.get() { "Show less" } else { "Show full text" }
                        on:click=move |ev| {
                            ev.stop_propagation();
                            expanded.update(|e| *e = !*e);
                        }
                    >
                        {move || if expanded.get() { "▾" } else { "▸" }}
                    </button>
                })}
                <span class="text">{text}</span>
            </td>
            <td class="c-response" data-kind=response.kind()>{response.display()}</td>
            <td class="c-rt">{response_time}</td>
            <td class="c-reviewer" title=reviewer>{reviewer_text}</td>
            <td class="c-loop" title=loop_title>
                {move || match loop_name() {
                    Some(name) => view! { <span>{name}</span> }.into_any(),
                    None => view! { <code>{loop_id.clone()}</code> }.into_any(),
                }}
            </td>
            <td class="c-timeout" title=timeout_title>{timeout_text}</td>
        </tr>
    }
}

/// The rows are one tab stop (WAI-ARIA's roving tabindex): Tab enters the table at the row
/// focused last (at first the top one) and the next Tab leaves it; `j`/`k` and the arrow keys
/// move between rows. Called on the row that takes focus.
pub(crate) fn take_tab_stop(row: &web_sys::Element) {
    use wasm_bindgen::JsCast;
    if let Some(stops) = row
        .parent_element()
        .and_then(|body| body.query_selector_all("tr[tabindex='0']").ok())
    {
        for i in 0..stops.length() {
            if let Some(el) = stops
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            {
                let _ = el.set_attribute("tabindex", "-1");
            }
        }
    }
    let _ = row.set_attribute("tabindex", "0");
}

/// Makes the top row the tab stop when no row on screen is (first render, a new page).
fn ensure_tab_stop() {
    let Some(doc) = crate::browser::document() else {
        return;
    };
    let has_stop = doc
        .query_selector("table.requests tbody tr[data-id][tabindex='0']")
        .ok()
        .flatten()
        .is_some();
    if !has_stop {
        if let Some(first) = doc
            .query_selector("table.requests tbody tr[data-id]")
            .ok()
            .flatten()
        {
            let _ = first.set_attribute("tabindex", "0");
        }
    }
}

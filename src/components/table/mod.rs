//! The requests table: a real `<table>`, one `<tr>` per request, headers that sort the loaded
//! rows client-side (asc → desc → server order) with `aria-sort`, and windowed rendering above
//! [`WINDOW_THRESHOLD`] rows so tens of thousands of loaded rows stay smooth.
//!
//! The header is a `view!`; the body's rows are built with the non-generic DOM builder
//! ([`dom`]), kept by key between renders, and updated in place by two effects (the clock; the
//! time zone, names and fresh set). Fifty rows as `view!` components were a tuple of ten cells
//! with a dozen reactive closures each, compiled into build, rebuild and keyed-list code of
//! their own; here a row is one function of plain DOM calls, and one listener on the body
//! handles every row's clicks and keys (event delegation).
//!
//! Untrusted text (request_text, response_data) only ever becomes text nodes: nothing here
//! sets inner HTML.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::components::overview::charts::num;
use hitl_core::format::{format_duration, local_datetime, one_line, relative, stamp, Zone as _};
use hitl_core::response::ResponseValue;
use hitl_core::sorting::{aria_sort, sort_permutation, sort_permutation_named, Column, SortState};
use hitl_core::{HitlRequest, Status};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

use crate::browser::ShownZone;
use crate::components::clock::Clock;
use crate::components::preferences::TimeDisplay;
use crate::components::{detail, dom};
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
        if let Some(el) = event_element(&ev) {
            scroll_top.set(f64::from(el.scroll_top()));
            viewport.set(f64::from(el.client_height()).max(ROW_PX));
        }
    };
    // What to render: the window of `order` (all of it below the threshold) as row keys, in one
    // memo, which decides what the body shows. The body used to read `order`
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
                    .filter_map(|&i| rows.get(i as usize).map(|r| (row_key(r), i)))
                    .collect::<Vec<_>>()
            });
            Slice {
                hidden_above: start,
                hidden_below: n - end,
                visible,
            }
        })
    });
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
    let body = NodeRef::<leptos::html::Tbody>::new();
    let built: Rc<RefCell<Body>> = Rc::default();
    // The body follows the slice (and the skeleton the loading state): rows already on the page
    // are kept by key, the rest built; the values below are read untracked there and kept
    // current by the two effects after it.
    Effect::new({
        let built = Rc::clone(&built);
        move |_| {
            let Some(tbody) = body.get() else { return };
            let show_skeleton = loading.get() && rows.with(|r| r.is_empty());
            let live = untrack(|| Live::read(clock.instant(), time, names, fresh));
            slice.with(|slice| {
                rows.with(|rows| {
                    built.borrow_mut().render(
                        tbody.unchecked_ref(),
                        slice,
                        rows,
                        show_skeleton,
                        &live,
                    )
                })
            });
            ensure_tab_stop();
        }
    });
    // Relative times and countdowns, every second.
    Effect::new({
        let built = Rc::clone(&built);
        move |_| {
            let now = clock.instant();
            for row in &mut built.borrow_mut().rows {
                row.tick(now);
            }
        }
    });
    // The time zone, the names and the fresh rows.
    Effect::new(move |_| {
        let live = Live::read(untrack(|| clock.instant()), time, names, fresh);
        for row in &mut built.borrow_mut().rows {
            row.restyle(&live);
        }
    });
    // One listener each for every row (event delegation): a click opens the row's detail (or
    // expands its text), Enter on the focused row itself opens it.
    let url = use_context::<UrlState>();
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(target) = event_element(&ev) else {
            return;
        };
        if let Ok(Some(button)) = target.closest("button.expand") {
            ev.stop_propagation();
            toggle_text(&button, !expanded(&button));
        } else if let Ok(Some(row)) = target.closest("tr[data-id]") {
            take_tab_stop(&row);
            open(url, &row);
        }
    };
    // On a focused row: Enter opens it, → and ← expand and fold its text.
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let Some(row) = event_row(&ev) else {
            return;
        };
        match ev.key().as_str() {
            "Enter" => open(url, &row),
            key @ ("ArrowRight" | "ArrowLeft") => {
                if let Ok(Some(button)) = row.query_selector("button.expand") {
                    let expand = key == "ArrowRight";
                    if expanded(&button) != expand {
                        ev.prevent_default();
                        toggle_text(&button, expand);
                    }
                }
            }
            _ => {}
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
                <tbody node_ref=body on:click=on_click on:keydown=on_keydown></tbody>
            </table>
        </div>
    }
}

/// What a row's live parts show besides its request: the time, the zone, the known names and
/// the fresh rows.
struct Live {
    now: DateTime<Utc>,
    zone: ShownZone,
    names: Arc<Names>,
    fresh: Arc<HashSet<String>>,
}

impl Live {
    /// `now`, and the zone, names and fresh rows (tracked).
    fn read(
        now: DateTime<Utc>,
        time: TimeDisplay,
        names: Signal<Arc<Names>>,
        fresh: Signal<Arc<HashSet<String>>>,
    ) -> Self {
        Live {
            now,
            zone: time.zone(),
            names: names.get(),
            fresh: fresh.get(),
        }
    }
}

/// The rows to render (keys and indices into the loaded rows) and how many are windowed out
/// above and below.
#[derive(Clone, Debug, PartialEq)]
struct Slice {
    hidden_above: usize,
    hidden_below: usize,
    visible: Vec<(String, u32)>,
}

/// A changed row (e.g. cancelled) gets a new key and is built again.
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

/// What the body holds: its rows in order, the spacers standing in for windowed-out rows, the
/// skeleton shown while the first answer is awaited.
#[derive(Default)]
struct Body {
    rows: Vec<BuiltRow>,
    top: Option<Element>,
    bottom: Option<Element>,
    skeleton: Vec<Element>,
}

impl Body {
    fn render(
        &mut self,
        tbody: &Element,
        slice: &Slice,
        rows: &[HitlRequest],
        show_skeleton: bool,
        live: &Live,
    ) {
        // Rows leaving the slice go; the others are kept, in the slice's order.
        let mut kept: HashMap<String, BuiltRow> = self
            .rows
            .drain(..)
            .map(|row| (row.key.clone(), row))
            .collect();
        let mut order = Vec::with_capacity(slice.visible.len());
        for (key, index) in &slice.visible {
            if let Some(row) = kept.remove(key) {
                order.push(row);
            } else if let Some(request) = rows.get(*index as usize) {
                order.push(BuiltRow::build(request, key.clone(), live));
            }
        }
        for gone in kept.into_values() {
            gone.tr.remove();
        }
        if !show_skeleton {
            for el in self.skeleton.drain(..) {
                el.remove();
            }
        }
        spacer(
            tbody,
            &mut self.top,
            slice.hidden_above,
            tbody.first_child(),
        );
        let mut cursor = match &self.top {
            Some(top) => top.next_sibling(),
            None => tbody.first_child(),
        };
        for row in &order {
            let node: &web_sys::Node = &row.tr;
            if cursor.as_ref() == Some(node) {
                cursor = node.next_sibling();
            } else {
                let _ = tbody.insert_before(node, cursor.as_ref());
            }
        }
        spacer(tbody, &mut self.bottom, slice.hidden_below, cursor);
        if show_skeleton && self.skeleton.is_empty() {
            self.skeleton = skeleton(tbody);
        }
        self.rows = order;
    }
}

/// Keeps a spacer row of `hidden` rows' height before `before`, or none when `hidden` is 0.
fn spacer(
    tbody: &Element,
    slot: &mut Option<Element>,
    hidden: usize,
    before: Option<web_sys::Node>,
) {
    if hidden == 0 {
        if let Some(el) = slot.take() {
            el.remove();
        }
        return;
    }
    let tr = slot.get_or_insert_with(|| {
        let tr = document()
            .create_element("tr")
            .expect("a valid element name");
        let _ = tr.set_attribute("class", "spacer");
        let _ = tr.set_attribute("aria-hidden", "true");
        dom::el(&tr, "td", &[("colspan", "10")]);
        tr
    });
    let node: &web_sys::Node = tr;
    if before.as_ref() != Some(node) {
        let _ = tbody.insert_before(node, before.as_ref());
    }
    // Through the CSSOM: the Content-Security-Policy forbids style attributes.
    if let Some(td) = tr
        .first_element_child()
        .and_then(|td| td.dyn_into::<HtmlElement>().ok())
    {
        let _ = td
            .style()
            .set_property("height", &format!("{}px", hidden * ROW_PX as usize));
    }
}

/// Placeholder rows while the first page loads, so the layout does not jump.
fn skeleton(tbody: &Element) -> Vec<Element> {
    (0..8)
        .map(|_| {
            let tr = dom::el(
                tbody,
                "tr",
                &[("class", "skeleton"), ("aria-hidden", "true")],
            );
            for _ in 0..10 {
                dom::el(&dom::el(&tr, "td", &[]), "span", &[]);
            }
            tr
        })
        .collect()
}

/// One rendered row and the parts of it that follow the clock, the time zone, the names and
/// the fresh set.
struct BuiltRow {
    key: String,
    id: String,
    tr: Element,
    created: Option<DateTime<Utc>>,
    created_el: Element,
    created_text: String,
    timeout_at: Option<DateTime<Utc>>,
    pending: bool,
    timeout_el: Element,
    timeout_text: String,
    reviewer: String,
    reviewer_el: Element,
    loop_id: String,
    loop_el: Element,
    fresh: bool,
}

impl BuiltRow {
    /// Builds the row of `r` (not yet on the page). Untrusted text only becomes text nodes.
    fn build(r: &HitlRequest, key: String, live: &Live) -> Self {
        let tr = document()
            .create_element("tr")
            .expect("a valid element name");
        for (name, value) in [
            ("data-id", r.id.as_str()),
            ("data-status", r.status.as_str()),
            ("tabindex", "-1"),
        ] {
            let _ = tr.set_attribute(name, value);
        }
        let created_td = dom::el(&tr, "td", &[("class", "c-created")]);
        let datetime = r.created_at.map(|t| t.to_rfc3339()).unwrap_or_default();
        let created_el = dom::el(&created_td, "time", &[("datetime", &datetime)]);
        dom::status_badge(&dom::el(&tr, "td", &[("class", "c-status")]), &r.status);
        dom::priority_badge(&dom::el(&tr, "td", &[("class", "c-priority")]), &r.priority);
        dom::el_text(&tr, "td", &[("class", "c-type")], r.content_type.label());
        let text_td = dom::el(
            &tr,
            "td",
            &[("class", "c-text"), ("title", &r.request_text)],
        );
        let short = one_line(&r.request_text, TEXT_CHARS);
        if short.chars().count() < r.request_text.chars().count() {
            dom::el_text(
                &text_td,
                "button",
                &[
                    ("type", "button"),
                    ("class", "expand"),
                    ("aria-expanded", "false"),
                    ("aria-label", "Show full text"),
                    // Not a tab stop of its own: the rows are one (→ and ← on the row).
                    ("tabindex", "-1"),
                ],
                "▸",
            );
        }
        dom::el_text(&text_td, "span", &[("class", "text")], &short);
        let response = ResponseValue::interpret(&r.response_type, r.response_data.as_ref());
        dom::el_text(
            &tr,
            "td",
            &[("class", "c-response"), ("data-kind", response.kind())],
            &response.display(),
        );
        // Whole units as the seed writes them ("3 minutes" for 3 min 59 s); the exact time on
        // hover.
        let (response_time, exact) = r.response_time_seconds.map_or_else(Default::default, |t| {
            (format_duration(t), format!("{} seconds", num(t)))
        });
        dom::el_text(
            &tr,
            "td",
            &[("class", "c-rt"), ("title", &exact)],
            &response_time,
        );
        let reviewer = r.response_by.clone().unwrap_or_default();
        let reviewer_el = dom::el(&tr, "td", &[("class", "c-reviewer"), ("title", &reviewer)]);
        let loop_el = dom::el(&tr, "td", &[("class", "c-loop"), ("title", &r.loop_id)]);
        let timeout_el = dom::el(&tr, "td", &[("class", "c-timeout")]);
        let mut row = BuiltRow {
            key,
            id: r.id.clone(),
            tr,
            created: r.created_at,
            created_el,
            created_text: String::new(),
            timeout_at: r.timeout_at,
            pending: r.status == Status::Pending,
            timeout_el,
            timeout_text: String::new(),
            reviewer,
            reviewer_el,
            loop_id: r.loop_id.clone(),
            loop_el,
            fresh: false,
        };
        row.tick(live.now);
        row.restyle(live);
        row
    }

    /// The texts that follow the clock: the age and a pending request's time left.
    fn tick(&mut self, now: DateTime<Utc>) {
        let created = self
            .created
            .map(|t| relative(t, now))
            .unwrap_or_else(|| "—".to_owned());
        set_text(&self.created_el, &mut self.created_text, created);
        if let (true, Some(t)) = (self.pending, self.timeout_at) {
            let left = (t - now).num_seconds();
            let text = if left > 0 {
                format!("{} left", format_duration(left as f64))
            } else {
                "due".to_owned()
            };
            set_text(&self.timeout_el, &mut self.timeout_text, text);
        }
    }

    /// What follows the time zone, the names and the fresh set.
    fn restyle(&mut self, live: &Live) {
        let Live { names, fresh, .. } = live;
        let stamp = |t: Option<DateTime<Utc>>| t.map(|t| stamp(t, &live.zone)).unwrap_or_default();
        let _ = self.created_el.set_attribute("title", &stamp(self.created));
        let _ = self
            .timeout_el
            .set_attribute("title", &stamp(self.timeout_at));
        match (self.pending, self.timeout_at) {
            (true, Some(_)) => {}
            (false, Some(t)) => set_text(
                &self.timeout_el,
                &mut self.timeout_text,
                local_datetime(t, live.zone.offset_at(t)),
            ),
            _ => set_text(&self.timeout_el, &mut self.timeout_text, "—".to_owned()),
        }
        let reviewer = names.users.get(&self.reviewer).unwrap_or(&self.reviewer);
        if self.reviewer_el.text_content().as_deref() != Some(reviewer.as_str()) {
            self.reviewer_el.set_text_content(Some(reviewer));
        }
        // A known loop shows its name, otherwise its id as code.
        let (tag, shown) = match names.loops.get(&self.loop_id) {
            Some(name) => ("SPAN", name),
            None => ("CODE", &self.loop_id),
        };
        let current = self.loop_el.first_element_child();
        if !current.is_some_and(|c| c.tag_name() == tag && c.text_content().as_ref() == Some(shown))
        {
            self.loop_el.set_text_content(None);
            dom::el_text(&self.loop_el, &tag.to_ascii_lowercase(), &[], shown);
        }
        let is_fresh = fresh.contains(&self.id);
        if is_fresh != self.fresh {
            self.fresh = is_fresh;
            let _ = if is_fresh {
                self.tr.set_attribute("class", "fresh")
            } else {
                self.tr.remove_attribute("class")
            };
        }
    }
}

/// Sets `el`'s text to `text` unless it already shows it (`shown`: what it shows).
fn set_text(el: &Element, shown: &mut String, text: String) {
    if *shown != text {
        el.set_text_content(Some(&text));
        *shown = text;
    }
}

/// The element an event happened on.
fn event_element(ev: &web_sys::Event) -> Option<Element> {
    ev.target().and_then(|t| t.dyn_into::<Element>().ok())
}

/// The table row an event happened on itself (a focused row), not on something inside it.
pub(crate) fn event_row(ev: &web_sys::Event) -> Option<Element> {
    event_element(ev).filter(|el| el.matches("tr[data-id]").unwrap_or(false))
}

/// Whether the expand button shows its cell's whole text.
fn expanded(button: &Element) -> bool {
    button.get_attribute("aria-expanded").as_deref() == Some("true")
}

/// Opens the detail of `row`; when it is already open, takes focus back into the panel.
fn open(url: Option<UrlState>, row: &Element) {
    let (Some(url), Some(id)) = (url, row.get_attribute("data-id")) else {
        return;
    };
    if untrack(|| url.param(detail::PARAM)).as_ref() == Some(&id) {
        detail::focus_later(detail::TITLE_ID);
    } else {
        url.set_param(detail::PARAM, Some(&id), HistoryMode::Push);
    }
}

/// Sets the expand button of a long request text and its cell: the whole text when `expand`
/// (kept in the cell's title), else its first line.
fn toggle_text(button: &Element, expand: bool) {
    let Some(td) = button.parent_element() else {
        return;
    };
    let _ = td.set_attribute("class", if expand { "c-text expanded" } else { "c-text" });
    let _ = button.set_attribute("aria-expanded", if expand { "true" } else { "false" });
    let _ = button.set_attribute(
        "aria-label",
        if expand {
            "Show less"
        } else {
            "Show full text"
        },
    );
    button.set_text_content(Some(if expand { "▾" } else { "▸" }));
    let full = td.get_attribute("title").unwrap_or_default();
    if let Ok(Some(text)) = td.query_selector("span.text") {
        let shown = if expand {
            full
        } else {
            one_line(&full, TEXT_CHARS)
        };
        text.set_text_content(Some(&shown));
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

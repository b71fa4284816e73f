//! Focus and row selection: the helpers the table, the keyboard shortcuts and the detail panel
//! share, with the one selector for the table's rows. The rows are one tab stop (WAI-ARIA's
//! roving tabindex): Tab enters the table at the row focused last (at first the top one) and
//! the next Tab leaves it; `j`/`k` and the arrow keys move between rows.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

use super::document;

/// The table's request rows (not its spacers or skeleton rows).
pub(crate) const ROWS: &str = "table.requests tbody tr[data-id]";
/// The detail panel's heading: focus goes there when a request opens.
pub(crate) const DETAIL_TITLE: &str = "detail-title";

/// True when a key event comes from a form field, whose keys are its own.
pub(crate) fn in_field(ev: &web_sys::KeyboardEvent) -> bool {
    event_element(ev).is_some_and(|el| {
        matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA")
            || el.has_attribute("contenteditable")
    })
}

/// The element an event happened on.
pub(crate) fn event_element(ev: &web_sys::Event) -> Option<Element> {
    ev.target().and_then(|t| t.dyn_into::<Element>().ok())
}

/// The table row an event happened on itself (a focused row), not on something inside it.
pub(crate) fn event_row(ev: &web_sys::Event) -> Option<Element> {
    event_element(ev).filter(|el| el.matches("tr[data-id]").unwrap_or(false))
}

/// Focuses the element with `id` once the current render has reached the page.
pub(crate) fn focus_later(id: &'static str) {
    leptos::prelude::request_animation_frame(move || {
        focus(document().and_then(|d| d.get_element_by_id(id)))
    });
}

fn focus(el: Option<Element>) {
    if let Some(el) = el.and_then(|el| el.dyn_into::<HtmlElement>().ok()) {
        let _ = el.focus();
    }
}

/// Moves focus to the table row of `id`, when it is on screen, and makes it the tab stop.
pub(crate) fn focus_row(id: &str) {
    // The id goes into a CSS selector: only plain ids (the API's are hex) are looked up.
    if !id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return;
    }
    let selector = format!("{ROWS}[data-id=\"{id}\"]");
    let row = document().and_then(|d| d.query_selector(&selector).ok().flatten());
    if let Some(row) = &row {
        take_tab_stop(row);
    }
    focus(row);
}

/// Moves focus `step` rows from the focused one (or to the first row), scrolling it into view.
pub(crate) fn move_row(step: i32) {
    let Some(doc) = document() else { return };
    let Ok(rows) = doc.query_selector_all(ROWS) else {
        return;
    };
    let n = rows.length() as i32;
    if n == 0 {
        return;
    }
    let active = doc.active_element();
    let current = (0..n).find(|&i| {
        rows.item(i as u32)
            .zip(active.as_ref())
            .is_some_and(|(row, a)| row.is_same_node(Some(a.unchecked_ref())))
    });
    let next = match current {
        Some(i) => (i + step).clamp(0, n - 1),
        None => 0,
    };
    if let Some(row) = rows
        .item(next as u32)
        .and_then(|r| r.dyn_into::<HtmlElement>().ok())
    {
        take_tab_stop(&row);
        let _ = row.focus();
        row.scroll_into_view_with_bool(false);
    }
}

/// Makes `row` the table's one tab stop. Called on the row that takes focus.
pub(crate) fn take_tab_stop(row: &Element) {
    if let Some(stops) = row
        .parent_element()
        .and_then(|body| body.query_selector_all("tr[tabindex='0']").ok())
    {
        for i in 0..stops.length() {
            if let Some(el) = stops.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                let _ = el.set_attribute("tabindex", "-1");
            }
        }
    }
    let _ = row.set_attribute("tabindex", "0");
}

/// Makes the top row the tab stop when no row on screen is (first render, a new page).
pub(crate) fn ensure_tab_stop() {
    let Some(doc) = document() else {
        return;
    };
    let has_stop = doc
        .query_selector(&format!("{ROWS}[tabindex='0']"))
        .ok()
        .flatten()
        .is_some();
    if !has_stop {
        if let Some(first) = doc.query_selector(ROWS).ok().flatten() {
            let _ = first.set_attribute("tabindex", "0");
        }
    }
}

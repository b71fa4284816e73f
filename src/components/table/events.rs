//! The table's events, one listener each on the `<tbody>` for every row (event delegation): a
//! click opens the row's detail (or expands its text); on a focused row Enter opens it, → and
//! ← expand and fold its text.

use hitl_core::format::one_line;
use leptos::prelude::*;
use web_sys::Element;

use super::row::TEXT_CHARS;
use crate::browser::focus::{event_element, event_row, focus_later, take_tab_stop, DETAIL_TITLE};
use crate::browser::url::{HistoryMode, UrlState, REQUEST_PARAM};

/// The body's click handler.
pub(crate) fn on_click(url: Option<UrlState>) -> impl Fn(leptos::ev::MouseEvent) {
    move |ev| {
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
    }
}

/// The body's keydown handler: keys on a focused row.
pub(crate) fn on_keydown(url: Option<UrlState>) -> impl Fn(leptos::ev::KeyboardEvent) {
    move |ev| {
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
    }
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
    if untrack(|| url.param(REQUEST_PARAM)).as_ref() == Some(&id) {
        focus_later(DETAIL_TITLE);
    } else {
        url.set_param(REQUEST_PARAM, Some(&id), HistoryMode::Push);
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

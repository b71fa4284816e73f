//! Keyboard shortcuts: `/` focuses the filters, `j`/`k` move through the rows, `Esc` closes
//! the detail panel, `?` lists them. Keys typed into a field are left alone. `Enter` (open) and
//! `→`/`←` (expand and fold the text) on a focused row are the table's own keys, listed here.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::browser::document;
use crate::browser::focus::{event_row, focus_later, in_field, move_row};

/// (keys, what they do), as listed in the help.
pub(crate) const SHORTCUTS: [(&str, &str); 7] = [
    ("/", "Focus the filters"),
    ("j or ↓", "Next row"),
    ("k or ↑", "Previous row"),
    ("Enter", "Open the selected row"),
    ("→ or ←", "Show the selected row's whole text, or one line"),
    ("Esc", "Close the request detail or this help"),
    ("?", "Show or hide these shortcuts"),
];

fn focus_filters() {
    if let Some(el) = document()
        .and_then(|d| d.get_element_by_id("f-status"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// The help's Close button, focused when the help opens.
const CLOSE_ID: &str = "shortcuts-close";

/// Installs the shortcuts and renders the `?` help.
#[component]
pub(crate) fn Shortcuts() -> impl IntoView {
    let help = RwSignal::new(false);
    // Where focus was when the help opened: it goes back there when the help closes.
    let before = StoredValue::new_local(None::<web_sys::HtmlElement>);
    let show = move |open: bool| {
        if open {
            before.set_value(
                document()
                    .and_then(|d| d.active_element())
                    .and_then(|e| e.dyn_into().ok()),
            );
            focus_later(CLOSE_ID);
        } else if let Some(el) = before.try_update_value(Option::take).flatten() {
            let _ = el.focus();
        }
        help.set(open);
    };
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let key = ev.key();
        if key == "Escape" && help.get_untracked() {
            // Handled: the detail panel's own Esc skips events already handled.
            ev.prevent_default();
            show(false);
            return;
        }
        if in_field(&ev) {
            return;
        }
        match key.as_str() {
            "/" => {
                ev.prevent_default();
                focus_filters();
            }
            "j" => move_row(1),
            "k" => move_row(-1),
            // On a row, the arrows move between rows instead of scrolling the page.
            "ArrowDown" | "ArrowUp" if event_row(&ev).is_some() => {
                ev.prevent_default();
                move_row(if key == "ArrowDown" { 1 } else { -1 });
            }
            "?" => show(!help.get_untracked()),
            _ => {}
        }
    });
    on_cleanup(move || handle.remove());
    view! {
        <Show when=move || help.get()>
            <div class="shortcuts" role="dialog" aria-modal="false" aria-labelledby="shortcuts-title">
                <h2 id="shortcuts-title">"Keyboard shortcuts"</h2>
                <dl>
                    {SHORTCUTS.iter().map(|(k, what)| view! { <dt><kbd>{*k}</kbd></dt><dd>{*what}</dd> }).collect_view()}
                </dl>
                <button type="button" id=CLOSE_ID on:click=move |_| show(false)>"Close"</button>
            </div>
        </Show>
    }
}

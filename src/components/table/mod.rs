//! The requests table: a real `<table>`, one `<tr>` per request, headers that sort the loaded
//! rows client-side (asc → desc → server order) with `aria-sort`, and windowed rendering above
//! [`window::WINDOW_THRESHOLD`] rows so tens of thousands of loaded rows stay smooth.
//!
//! The header is a `view!` (controls); the body's rows are built with the DOM builder
//! ([`row`]), kept by key between renders ([`body`]) and updated in place by two effects (the
//! clock; the time zone, names and fresh set). One listener on the body handles every row's
//! clicks and keys ([`events`]).
//!
//! Untrusted text (request_text, response_data) only ever becomes text nodes: nothing here
//! sets inner HTML.

mod body;
mod events;
mod row;
mod window;

use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;
use std::sync::Arc;

use hitl_core::sorting::{aria_sort, Column, SortState};
use hitl_core::HitlRequest;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use self::body::Body;
use self::row::Live;
use self::window::{ROW_PX, WINDOW_THRESHOLD};
use crate::browser::clock::Clock;
use crate::browser::focus::{ensure_tab_stop, event_element};
use crate::browser::url::UrlState;
use crate::state::{Names, TimeDisplay};

/// The table of `rows`, sortable by header.
#[component]
pub(crate) fn RequestsTable(
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
    let order = window::order(rows, names, sort);
    let windowed = move || rows.with(|r| r.len() > WINDOW_THRESHOLD);
    let scroll_top = RwSignal::new(0.0f64);
    let viewport = RwSignal::new(720.0f64);
    let on_scroll = move |ev: leptos::ev::Event| {
        if let Some(el) = event_element(&ev) {
            scroll_top.set(f64::from(el.scroll_top()));
            viewport.set(f64::from(el.client_height()).max(ROW_PX));
        }
    };
    let slice = window::slice(rows, order, scroll_top, viewport);
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
    let url = use_context::<UrlState>();
    let (on_click, on_keydown) = (events::on_click(url), events::on_keydown(url));
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

//! The filter bar: Status, Priority, Loop ID, Sort, Page size. Every change rewrites the URL
//! (history replace, no scroll) and goes back to the first page; the Loop ID input is debounced.

use std::time::Duration;

use hitl_core::query::{encode_pairs, page_sizes, RequestQuery};
use hitl_core::{Priority, Sort, Status};
use leptos::html;
use leptos::prelude::*;

use crate::browser::url::{HistoryMode, UrlState};
use crate::components::dom;
use crate::state::Loops;

const LOOP_DEBOUNCE: Duration = Duration::from_millis(400);

/// The filter bar.
#[component]
pub(crate) fn FilterBar() -> impl IntoView {
    let url = expect_context::<UrlState>();
    let loops = expect_context::<Loops>();
    // What the URL says, keeping valid parameters even when another one is invalid.
    let current = Memo::new(move |_| url.lenient_query());
    let apply = move |change: &dyn Fn(&mut RequestQuery)| {
        let mut q = current.get_untracked();
        change(&mut q);
        q.offset = 0;
        q.created_before = None;
        url.set_query(&q, HistoryMode::Replace);
    };

    let on_status = move |ev| {
        let v = event_target_value(&ev);
        apply(&|q| q.status = Status::known(&v));
    };
    let on_priority = move |ev| {
        let v = event_target_value(&ev);
        apply(&|q| q.priority = Priority::known(&v));
    };
    let on_sort = move |ev| {
        let v = event_target_value(&ev);
        apply(&|q| q.sort = Sort::parse(&v).unwrap_or_default());
    };
    let on_limit = move |ev| {
        let v = event_target_value(&ev);
        apply(&|q| q.limit = v.parse().unwrap_or(hitl_core::query::DEFAULT_LIMIT));
    };
    let pending = StoredValue::new_local(None::<TimeoutHandle>);
    let on_loop = move |ev| {
        let v = event_target_value(&ev);
        if let Some(h) = pending.get_value() {
            h.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                // A loop's name typed instead of its id (the suggestions show both) is the
                // one loop's id: an id that is no loop would match nothing and cost a call.
                let v = loops.id_named(&v).unwrap_or_else(|| v.trim().to_owned());
                apply(&|q| q.loop_id = Some(v.clone()).filter(|v| !v.is_empty()));
            },
            LOOP_DEBOUNCE,
        );
        pending.set_value(handle.ok());
    };

    // The selects' options, built with the plain DOM builder (one non-generic function, far
    // less wasm than a reactive `view!` list per select). Page size offers the view's own size
    // too when a URL asked for another one (`?limit=25`).
    // A parameter the URL holds but the API would refuse (`?status=bogus`): its select shows it,
    // marked, rather than "All", so that choosing "All" is a change that fixes the URL.
    let invalid = move |name: &'static str| {
        url.param(name).filter(|raw| {
            let qs = encode_pairs([(name, raw.as_str())]);
            !RequestQuery::from_query_string_lenient(&qs).1.is_empty()
        })
    };
    let status = NodeRef::<html::Select>::new();
    let priority = NodeRef::<html::Select>::new();
    let sort = NodeRef::<html::Select>::new();
    let size = NodeRef::<html::Select>::new();
    let all = || ("".to_owned(), "All".to_owned());
    let pair = |value: &str, label: &str| (value.to_owned(), label.to_owned());
    choices(
        status,
        Box::new(move || {
            let chosen = current.with(|q| q.status.as_ref().map(|s| s.as_str().to_owned()));
            let items = std::iter::once(all())
                .chain(Status::ALL.iter().map(|s| pair(s.as_str(), s.label())));
            with_invalid(
                items.collect(),
                chosen.unwrap_or_default(),
                invalid("status"),
            )
        }),
    );
    choices(
        priority,
        Box::new(move || {
            let chosen = current.with(|q| q.priority.as_ref().map(|p| p.as_str().to_owned()));
            let items = std::iter::once(all())
                .chain(Priority::ALL.iter().map(|p| pair(p.as_str(), p.label())));
            with_invalid(
                items.collect(),
                chosen.unwrap_or_default(),
                invalid("priority"),
            )
        }),
    );
    choices(
        sort,
        Box::new(move || {
            let items = Sort::ALL
                .iter()
                .map(|s| pair(s.as_str(), s.label()))
                .collect();
            with_invalid(
                items,
                current.with(|q| q.sort.as_str().to_owned()),
                invalid("sort"),
            )
        }),
    );
    choices(
        size,
        Box::new(move || {
            let limit = current.with(|q| q.limit);
            let items = page_sizes(limit)
                .into_iter()
                .map(|n| (n.to_string(), n.to_string()))
                .collect();
            with_invalid(items, limit.to_string(), invalid("limit"))
        }),
    );

    view! {
        <section class="filters" aria-label="Filters">
            <div class="field">
                <label for="f-status">"Status"</label>
                <select id="f-status" on:change=on_status node_ref=status></select>
            </div>
            <div class="field">
                <label for="f-priority">"Priority"</label>
                <select id="f-priority" on:change=on_priority node_ref=priority></select>
            </div>
            <div class="field">
                <label for="f-loop">"Loop ID"</label>
                <input id="f-loop" type="search" spellcheck="false" autocomplete="off"
                    placeholder="Any loop"
                    list="loop-options"
                    on:input=on_loop
                    on:focus=move |_| loops.want()
                    title="A loop id, or a loop's name: names appear as suggestions (loading them costs 1 call)"
                    prop:value=move || current.with(|q| q.loop_id.clone().unwrap_or_default())/>
            </div>
            <div class="field">
                <label for="f-sort">"Sort"</label>
                <select id="f-sort" on:change=on_sort node_ref=sort></select>
            </div>
            <div class="field">
                <label for="f-limit">"Page size"</label>
                <select id="f-limit" on:change=on_limit node_ref=size></select>
            </div>
            <datalist id="loop-options">
                {move || loops.options().into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
            </datalist>
        </section>
    }
}

/// `items` and `chosen`, or with `raw` (a value the URL holds that the API would refuse) one
/// more option, "(invalid: raw)", chosen.
fn with_invalid(
    mut items: Vec<(String, String)>,
    chosen: String,
    raw: Option<String>,
) -> (Vec<(String, String)>, String) {
    match raw {
        Some(raw) => {
            items.push((raw.clone(), format!("(invalid: {raw})")));
            (items, raw)
        }
        None => (items, chosen),
    }
}

/// The options and the chosen value of one select: `(value, label)` pairs and a value.
type Choices = Box<dyn Fn() -> (Vec<(String, String)>, String)>;

/// Keeps the `<option>`s of the select behind `target` equal to what `choices()` lists (rebuilt
/// only when the list changes, so an open or focused select is not disturbed by its own
/// change) and its value equal to the chosen one, whenever the signals `choices` reads change.
fn choices(target: NodeRef<html::Select>, choices: Choices) {
    Effect::new(move |built: Option<Option<Vec<(String, String)>>>| {
        let select = target.get()?;
        let (items, chosen) = choices();
        if built.flatten().as_ref() != Some(&items) {
            select.set_text_content(None);
            for (value, label) in &items {
                dom::el_text(&select, "option", &[("value", value)], label);
            }
        }
        select.set_value(&chosen);
        Some(items)
    });
}

//! The filter bar: Status, Priority, Loop ID, Sort, Page size. Every change rewrites the URL
//! (history replace, no scroll) and goes back to the first page; the Loop ID input is debounced.

use std::time::Duration;

use hitl_core::query::RequestQuery;
use hitl_core::{Priority, Sort, Status};
use leptos::prelude::*;

use crate::state::Loops;
use crate::url::{HistoryMode, UrlState};

/// Page sizes offered (the API allows 1–100; 50 is its default).
pub const PAGE_SIZES: [u32; 4] = [10, 20, 50, 100];
const LOOP_DEBOUNCE: Duration = Duration::from_millis(400);

/// The filter bar.
#[component]
pub fn FilterBar() -> impl IntoView {
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
                let v = v.trim().to_owned();
                apply(&|q| q.loop_id = Some(v.clone()).filter(|v| !v.is_empty()));
            },
            LOOP_DEBOUNCE,
        );
        pending.set_value(handle.ok());
    };

    view! {
        <section class="filters" aria-label="Filters">
            <div class="field">
                <label for="f-status">"Status"</label>
                <select id="f-status" on:change=on_status
                    prop:value=move || current.with(|q| q.status.as_ref().map(|s| s.as_str().to_owned()).unwrap_or_default())>
                    <option value="">"All"</option>
                    {options(Status::ALL.iter().map(|s| (s.as_str(), s.label())), move || current.with(|q| q.status.as_ref().map(|s| s.as_str().to_owned()).unwrap_or_default()))}
                </select>
            </div>
            <div class="field">
                <label for="f-priority">"Priority"</label>
                <select id="f-priority" on:change=on_priority
                    prop:value=move || current.with(|q| q.priority.as_ref().map(|p| p.as_str().to_owned()).unwrap_or_default())>
                    <option value="">"All"</option>
                    {options(Priority::ALL.iter().map(|p| (p.as_str(), p.label())), move || current.with(|q| q.priority.as_ref().map(|p| p.as_str().to_owned()).unwrap_or_default()))}
                </select>
            </div>
            <div class="field">
                <label for="f-loop">"Loop ID"</label>
                <input id="f-loop" type="search" spellcheck="false" autocomplete="off"
                    placeholder="Any loop"
                    list="loop-options"
                    on:input=on_loop
                    on:focus=move |_| loops.want()
                    title="A loop id; loop names appear as suggestions (loading them costs 1 call)"
                    prop:value=move || current.with(|q| q.loop_id.clone().unwrap_or_default())/>
            </div>
            <div class="field">
                <label for="f-sort">"Sort"</label>
                <select id="f-sort" on:change=on_sort
                    prop:value=move || current.with(|q| q.sort.as_str())>
                    {options(Sort::ALL.iter().map(|s| (s.as_str(), s.label())), move || current.with(|q| q.sort.as_str().to_owned()))}
                </select>
            </div>
            <div class="field">
                <label for="f-limit">"Page size"</label>
                <select id="f-limit" on:change=on_limit
                    prop:value=move || current.with(|q| q.limit.to_string())>
                    {options(PAGE_SIZES.iter().map(|n| (n.to_string(), n.to_string())), move || current.with(|q| q.limit.to_string()))}
                </select>
            </div>
            <datalist id="loop-options">
                {move || loops.options().into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
            </datalist>
        </section>
    }
}

/// `<option>`s whose `selected` follows `selected()`: robust however the select is rendered.
fn options<V, L>(
    items: impl Iterator<Item = (V, L)>,
    selected: impl Fn() -> String + Copy + Send + Sync + 'static,
) -> impl IntoView
where
    V: Into<String>,
    L: Into<String>,
{
    items
        .map(|(value, label)| {
            let value: String = value.into();
            let label: String = label.into();
            let v = value.clone();
            view! { <option value=value prop:selected=move || selected() == v>{label}</option> }
        })
        .collect_view()
}

//! The time window picker: a preset (Last 24 hours, 7 days, 30 days, All time) or days From–To
//! in the zone Times shows, written to the URL (`window=…` or `from=…&to=…`, history replace),
//! with what the window covers and what counting it costs.

use hitl_core::format::count;
use hitl_core::window::TimeWindow;
use leptos::html;
use leptos::prelude::*;

use crate::state::{Dashboard, TimeDisplay, Window};

/// The "Time window" select, the From and To dates, and the window's count.
pub(super) fn window_bar(dash: Dashboard, win: Window) -> impl IntoView {
    let url = dash.url;
    let time = use_context::<TimeDisplay>();
    let from = NodeRef::<html::Input>::new();
    let to = NodeRef::<html::Input>::new();
    let on_pick = move |ev| {
        let v = event_target_value(&ev);
        if let Some(w) = TimeWindow::parse_key(&v) {
            url.set_window(w.to_pairs());
        }
    };
    // Both days given: that range (even one the banner will refuse, from after to); both
    // cleared: all time; one alone waits for the other.
    let on_dates = move |_| {
        let value = |n: NodeRef<html::Input>| n.get().map(|i| i.value()).unwrap_or_default();
        match (value(from), value(to)) {
            (f, t) if !f.is_empty() && !t.is_empty() => {
                url.set_window(vec![("from", f), ("to", t)])
            }
            (f, t) if f.is_empty() && t.is_empty() => url.set_window(Vec::new()),
            _ => {}
        }
    };
    let custom = move |i: usize| {
        win.choice.with(|w| match w {
            TimeWindow::Custom { from, to } => [from, to][i].to_string(),
            _ => String::new(),
        })
    };
    let key = move || win.choice.with(|w| w.key().unwrap_or("custom").to_owned());
    let is_custom = move || win.choice.with(|w| w.key().is_none());
    let windowed = move || win.choice.with(|w| *w != TimeWindow::All);
    let zone = move || {
        let z = time.map(|t| t.zone());
        match z {
            Some(crate::browser::time::ShownZone::Utc) => "UTC".to_owned(),
            _ => format!(
                "local time ({})",
                crate::browser::time::ShownZone::Local.label_now()
            ),
        }
    };
    // What the window covers and what counting it costs: one memo for both, read by the view,
    // so that no text closure reads the window and its count (derived from it) side by side
    // (ARCHITECTURE.md, reactive rules).
    let covers = move || {
        let w = win.choice.get();
        match win.counted.get() {
            Some(c) => w.describe(c.in_window),
            None => match win.count_error() {
                Some(e) if windowed() => format!(
                    "The requests in this window could not be counted: {}",
                    e.title()
                ),
                _ if windowed() => "Counting the requests in this window…".to_owned(),
                _ => String::new(),
            },
        }
    };
    let cost = move || {
        windowed().then(|| {
            let calls = dash.conn.source.with(|s| s.cost(win.count_calls() as u64));
            if dash.conn.is_demo() {
                "Count: 0 calls (demo data)".to_owned()
            } else if win.free.get() || calls == 0 {
                "Count: 0 calls (counted from what is loaded)".to_owned()
            } else {
                format!(
                    "Count: {} (limit=1), cached for a minute",
                    count(calls, "call", "calls")
                )
            }
        })
    };
    let texts = Memo::new(move |_| (covers(), cost()));
    view! {
        <div class="window-bar">
            <div class="field">
                <label for="w-window">"Time window"</label>
                <select id="w-window" on:change=on_pick prop:value=key>
                    <option value="24h">"Last 24 hours"</option>
                    <option value="7d">"Last 7 days"</option>
                    <option value="30d">"Last 30 days"</option>
                    <option value="all">"All time"</option>
                    // Listed while a custom range is chosen, so that the select can show it.
                    <option value="custom" hidden=move || !is_custom()>"Custom range"</option>
                </select>
            </div>
            <div class="field">
                <label for="w-from">"From"</label>
                <input id="w-from" type="date" node_ref=from on:change=on_dates prop:value=move || custom(0)/>
            </div>
            <div class="field">
                <label for="w-to">"To"</label>
                <input id="w-to" type="date" node_ref=to on:change=on_dates prop:value=move || custom(1)/>
            </div>
            <p class="window-covers" aria-live="polite">
                <span class="window-count">{move || texts.with(|t| t.0.clone())}</span>
                <span class="muted">{move || format!(" · requests by the day they were created, days in {}", zone())}</span>
            </p>
            <span class="cost">{move || texts.with(|t| t.1.clone())}</span>
        </div>
    }
}

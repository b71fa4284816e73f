//! Auto-refresh: Off / 30 s / 1 min / 5 min. Each tick reloads the current page only (one
//! call, past the cache); it pauses while the tab is hidden and while the quota is low, and says
//! what it costs per hour.

use leptos::prelude::*;

use crate::browser::clock::Clock;
use crate::browser::{storage_get, storage_set};
use crate::state::{Dashboard, History};

const ENTRY: &str = "hitl.autorefresh";
/// Below this many calls left, auto-refresh stops spending them.
pub(crate) const QUOTA_FLOOR: u64 = 10;
/// The offered intervals, in seconds (0 = off).
pub(crate) const INTERVALS: [(u32, &str); 4] =
    [(0, "Off"), (30, "30 s"), (60, "1 min"), (300, "5 min")];

fn tab_visible() -> bool {
    crate::browser::document()
        .is_none_or(|d| d.visibility_state() == web_sys::VisibilityState::Visible)
}

/// The auto-refresh select and its state line.
#[component]
pub(crate) fn AutoRefresh() -> impl IntoView {
    let dash = expect_context::<Dashboard>();
    let clock = expect_context::<Clock>();
    let history = use_context::<History>();
    // The interval lives in the dashboard's state: the SLA watch's notifications follow it.
    let every = dash.auto_every;
    every.set(
        storage_get(ENTRY)
            .and_then(|s| s.parse::<u32>().ok())
            .filter(|s| INTERVALS.iter().any(|(v, _)| v == s))
            .unwrap_or(0),
    );
    let last = StoredValue::new(clock.0.get_untracked());
    // Why a due refresh is not happening, if it is not.
    let held = move || -> Option<&'static str> {
        if dash.conn.is_demo() {
            return None;
        }
        let quota = dash.conn.quota.get().map(|q| q.view(clock.secs()));
        if quota.is_some_and(|q| q.paused || q.remaining < QUOTA_FLOOR) {
            Some("paused: quota low")
        } else if !tab_visible() {
            Some("paused while the tab is hidden")
        } else {
            None
        }
    };
    // Runs every clock tick (1 s): a side effect on time, not state copying.
    Effect::new(move |_| {
        let now = clock.ms();
        let secs = every.get();
        if secs == 0 {
            last.set_value(now);
            return;
        }
        if now - last.get_value() < f64::from(secs) * 1000.0 || dash.loading() || held().is_some() {
            return;
        }
        last.set_value(now);
        // A copy on this device is brought up to date; else the view's page is asked again.
        match history {
            Some(h) if untrack(|| h.kept()) => {
                // Against the API as it is now: the status totals it checks are asked again.
                dash.conn
                    .source
                    .with_untracked(crate::api::Source::clear_cache);
                h.sync(None);
            }
            _ => dash.reload(),
        }
    });
    let on_change = move |ev| {
        let v: u32 = event_target_value(&ev).parse().unwrap_or(0);
        every.set(v);
        last.set_value(clock.0.get_untracked());
        storage_set(ENTRY, &v.to_string());
    };
    let cost = move || {
        let secs = every.get();
        if secs == 0 || dash.conn.is_demo() {
            return String::new();
        }
        // A sync is a list call and the three status totals.
        let per_call = if history.is_some_and(|h| h.kept()) {
            4
        } else {
            1
        };
        let per_hour = 3600 / secs * per_call;
        let over = if per_hour > 100 {
            ", more than the hourly quota"
        } else {
            ""
        };
        format!("{per_hour} calls/hour{over}")
    };
    view! {
        <span class="auto-refresh">
            <label for="auto-refresh">"Auto-refresh"</label>
            <select id="auto-refresh" on:change=on_change>
                {INTERVALS.iter().map(|(v, label)| {
                    let v = *v;
                    view! { <option value=v.to_string() prop:selected=move || every.get() == v>{*label}</option> }
                }).collect_view()}
            </select>
            <small class="auto-refresh-note">
                {move || match (every.get(), held()) {
                    (0, _) => String::new(),
                    (_, Some(why)) => why.to_owned(),
                    _ => cost(),
                }}
            </small>
        </span>
    }
}

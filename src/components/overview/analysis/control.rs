//! The "Analyze all matching" control: its cost before it starts, progress, Cancel, Resume and
//! Load again.

use hitl_core::format::{count, thousands};
use hitl_core::loader::set_key;
use hitl_core::RequestQuery;
use leptos::prelude::*;

use crate::browser::clock::Clock;
use crate::state::{gap_text, refetched_text, window_key, Dashboard, Phase, Window};

/// The "Analyze all matching" button with its cost, progress, cancel and resume. `complete`:
/// the analysed rows are every matching request (of the time window) already. With a time
/// window it loads only the window's requests, newest first (`AllMatching::start_window`).
pub(super) fn analyze_all(
    dash: Dashboard,
    win: Window,
    complete: Signal<bool>,
    page_total: Memo<Option<u64>>,
) -> impl IntoView {
    let all = dash.all;
    let clock = expect_context::<Clock>();
    let running = move || all.phase.with(|p| *p == Phase::Running);
    // Nothing can be sent until the quota resets: Start and Resume wait for it.
    let paused = move || dash.paused.get();
    // The window's start, when the analytics are limited to one that has a start.
    let start = move || win.bounds.with(|b| b.start);
    let filters = move || {
        dash.query
            .with(|q| q.as_ref().ok().map(RequestQuery::filters_only))
    };
    // Pages still to load for the current view (0 when the analysed rows are all of them).
    let pages = move || {
        if complete.get() {
            return Some(0);
        }
        if start().is_some() {
            let f = filters()?;
            let since_start = win.counted.with(|c| c.map(|c| c.since_start));
            return win.bounds.with(|b| all.window_cost(&f, b, since_start));
        }
        let total = page_total.get()?;
        dash.query
            .with(|q| q.as_ref().ok().map(|q| all.cost(q, total)))
    };
    let resumable = move || {
        all.phase.with(Phase::resumable)
            && match (start(), filters()) {
                (Some(s), Some(f)) => all.holds_window(&f, s),
                _ => dash
                    .query
                    .with(|q| q.as_ref().is_ok_and(|q| all.belongs_to(q))),
            }
    };
    let cursor = move || {
        dash.query
            .with(|q| q.as_ref().is_ok_and(|q| q.created_before.is_some()))
    };
    // Which requests a window's load is for, e.g. "created in the last 7 days".
    let created = move || {
        let phrase = win.choice.with(|w| w.phrase());
        format!("created {}", phrase.trim_start_matches("created "))
    };
    let what = move || {
        if start().is_some() {
            format!(" of the requests {}", created())
        } else {
            String::new()
        }
    };
    let cost = move || {
        if start().is_some() && pages().is_none() {
            return Some(format!(
                "Loads the requests {}, newest first: one call per 100 of them, until a page ends before the window's start",
                created()
            ));
        }
        if cursor() && pages().is_none() {
            return Some("Back to newest to see what loading everything costs".to_owned());
        }
        pages().map(|n| {
            if n == 0 {
                return "0 calls — already loaded".to_owned();
            }
            let calls = dash.conn.source.with(|s| s.cost(n));
            let more = if resumable() { " more" } else { "" };
            let unit = if n == 1 { "page" } else { "pages" };
            let demo = dash
                .conn
                .source
                .with(|s| s.free_because())
                .filter(|_| calls == 0)
                .map(|why| format!(" ({why})"))
                .unwrap_or_default();
            // What the quota allows, said before the click.
            let note = dash.afford(calls, clock.secs()).note(clock.secs());
            format!(
                "Loads {n}{more} {unit}{}: {}{demo}{note}",
                what(),
                count(calls, "call", "calls")
            )
        })
    };
    // The loader is shared with Export: the button is labelled "Resume" only for a set it
    // started itself (Export has its own Resume); either way, a click resumes what is there.
    let started = RwSignal::new(None::<RequestQuery>);
    let start_load = move |_| {
        if let (Some(since), Some(f)) = (untrack(start), untrack(filters)) {
            let since_start = win.counted.with_untracked(|c| c.map(|c| c.since_start));
            if let Some(n) = since_start {
                all.expect_window(&f, since, n);
            }
            let calls = untrack(|| pages().map(|n| dash.conn.source.with(|s| s.cost(n))));
            let budget = untrack(|| dash.afford(calls.unwrap_or(0), clock.secs()).budget());
            all.start_window(
                dash.conn.source.get_untracked(),
                &f,
                since,
                since_start,
                budget,
            );
            started.set(Some(window_key(&f)));
            return;
        }
        if let Ok(q) = dash.query.get_untracked() {
            // Progress says "0 of 900" at once, and so does a load cancelled before a page.
            if let Some(total) = untrack(|| dash.matching_total(&q)) {
                all.expect_total(&q, total);
            }
            // With fewer calls left than it needs, it loads what the quota allows and stops
            // there (Resume after the reset).
            let calls = untrack(|| pages().map(|n| dash.conn.source.with(|s| s.cost(n))));
            let budget = untrack(|| dash.afford(calls.unwrap_or(0), clock.secs()).budget());
            all.start(dash.conn.source.get_untracked(), &q, budget);
            started.set(Some(set_key(&q)));
        }
    };
    let started_here = move || started.with(|s| all.key.with(|k| s.is_some() && s == k));
    let changed = move || all.phase.with(|p| matches!(p, Phase::Changed(_)));
    let progress = move || {
        let (received, total) = all.progress.get();
        let phase = all.phase.get();
        let again = all.refetched.get();
        (phase != Phase::Idle).then(|| {
            let (note, class) = match &phase {
                Phase::Running if total == 0 => ("Starting…".to_owned(), "muted"),
                Phase::Running if again > 0 => (
                    "Requests changed while loading; loading those pages again…".to_owned(),
                    "muted",
                ),
                Phase::Done => {
                    let calls = dash.conn.source.with_untracked(|s| s.cost(again));
                    let note = refetched_text(again, calls)
                        .map(|t| format!(" {t}"))
                        .unwrap_or_default();
                    (format!("Complete.{note}"), "muted")
                }
                Phase::Stopped(None) => ("Cancelled; what arrived is kept.".to_owned(), "muted"),
                Phase::Stopped(Some(e)) => (format!("Stopped: {}", e.title()), "stop-reason"),
                Phase::Changed(gap) => (
                    format!(
                        "{}. Not a complete set: Load again to fetch the pages that changed again.",
                        gap_text(gap)
                    ),
                    "stop-reason",
                ),
                _ => (String::new(), "muted"),
            };
            view! {
                <div class="progress-line">
                    <progress max=total.max(1) value=received aria-label="Requests loaded"></progress>
                    <span class="progress-text">{format!("{} of {}", thousands(received), thousands(total))}</span>
                    <span class=class role="status">{note}</span>
                </div>
            }
        })
    };
    view! {
        <div class="analyze">
            <button type="button" class="primary" on:click=start_load
                disabled=move || running() || paused() || pages() == Some(0)
                    || (start().is_none() && pages().is_none())>
                {move || if resumable() && changed() {
                    "Load again"
                } else if resumable() && started_here() {
                    "Resume"
                } else {
                    "Analyze all matching"
                }}
            </button>
            <span class="cost">{cost}</span>
            {move || running().then(|| view! {
                <button type="button" on:click=move |_| all.cancel()>"Cancel"</button>
            })}
            {progress}
        </div>
    }
}

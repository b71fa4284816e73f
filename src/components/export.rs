//! Export CSV / Export JSON of every request matching the current filters (not just the page).
//!
//! Before: the cost in calls (0 when the set is already loaded) and the quota left. During: a
//! progress bar and Cancel. If the quota runs out or a call fails: what was fetched is kept, the
//! user is told exactly how many of how many rows it is, and can resume or save a file whose
//! name says "partial". A truncated file is never handed over as if it were complete, nor one
//! from a set that changed while it loaded and could not be made consistent (`Phase::Changed`):
//! the user is told how many requests it may miss and can export again.

use std::sync::Arc;

use chrono::NaiveDate;
use hitl_core::csv::{to_csv, CsvOptions};
use hitl_core::export::{export_filename_in, to_json, ExportFormat};
use hitl_core::format::{count, thousands};
use hitl_core::sorting::sort_stable;
use hitl_core::window::{Bounds, TimeWindow};
use hitl_core::{contract, HitlRequest, RequestQuery};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser::clock::Clock;
use crate::browser::download;
use crate::browser::time::{today_in, ShownZone};
use crate::state::{gap_text, refetched_text, Afford, Dashboard, Phase, TimeDisplay, Window};

/// Today's date in the zone times are shown in (Times: UTC or local), for the file name.
fn today(time: Option<TimeDisplay>) -> NaiveDate {
    today_in(time.map_or(ShownZone::Local, |t| untrack(|| t.zone())))
}

/// Writes the loaded set for `query` (in the time window `window`, whose instants are
/// `bounds`) as `format` and offers it as a download.
fn save(
    dash: Dashboard,
    query: &RequestQuery,
    (window, bounds): (TimeWindow, Bounds),
    format: ExportFormat,
    bom: bool,
    time: Option<TimeDisplay>,
) -> Result<String, String> {
    let (fetched, total) = dash.all.progress.get_untracked();
    let complete = dash.all.phase.get_untracked() == Phase::Done;
    // With this session's changes (a cancel), and only what still matches the filters: a
    // request cancelled since it was loaded is no longer in a `status=pending` export. Only
    // the window's requests, in the view's order (a window's set is loaded newest first).
    let rows = dash.all.rows.with_untracked(|r| dash.with_updates_arc(r));
    let filters = query.filters_only();
    let keep = |r: &HitlRequest| contract::matches(r, &filters) && bounds.contains(r.created_at);
    let same_order =
        dash.all.key.with_untracked(|k| k.as_ref().map(|k| k.sort)) == Some(query.sort);
    let rows = if rows.iter().all(keep) && same_order {
        rows
    } else {
        let mut kept: Vec<HitlRequest> = rows.iter().filter(|r| keep(r)).cloned().collect();
        if !same_order {
            sort_stable(&mut kept, &|a, b| contract::compare(query.sort, a, b));
        }
        Arc::new(kept)
    };
    let body = match format {
        ExportFormat::Csv => to_csv(&rows, CsvOptions { bom }),
        ExportFormat::Json => to_json(&rows),
    };
    let partial = (!complete).then_some((rows.len() as u64, total.max(fetched)));
    let name = export_filename_in(today(time), query, &window, format.extension(), partial);
    download(&name, format.mime_type(), &body)?;
    Ok(name)
}

/// The export controls.
#[component]
pub(crate) fn ExportBar() -> impl IntoView {
    let dash = expect_context::<Dashboard>();
    let clock = expect_context::<Clock>();
    let time = use_context::<TimeDisplay>();
    let win = expect_context::<Window>();
    let all = dash.all;
    // The time window the export is limited to, with its instants; its start when it has one.
    let window = move || (win.choice.get(), win.bounds.get());
    let start = move || win.bounds.with(|b| b.start);
    let bom = RwSignal::new(false);
    let saved = RwSignal::new(None::<String>);
    // True once this bar has started a load (see `stopped`).
    let exported = RwSignal::new(false);
    // The current view's query and its matching total.
    let view = move || {
        let q = dash.query.get().ok()?;
        let total = dash.matching_total(&q);
        Some((q, total))
    };
    // The calls an export costs now; `None` when that is not known (no total for the view).
    let cost = move || {
        let (q, total) = view()?;
        if start().is_some() {
            let f = q.filters_only();
            let since_start = win.counted.with(|c| c.map(|c| c.since_start));
            let pages = win.bounds.with(|b| all.window_cost(&f, b, since_start))?;
            return Some(dash.conn.source.with(|s| s.cost(pages)));
        }
        if dash.complete_page(&q).is_some() || all.serves(&q) {
            return Some(0);
        }
        match total {
            Some(t) => Some(dash.conn.source.with(|s| s.cost(all.cost(&q, t)))),
            // `all.cost` says 0 for a loaded set; without a total only that is known.
            None => all.is_complete_for(&q).then_some(0),
        }
    };
    let running = move || all.phase.with(|p| *p == Phase::Running);
    let quota_left = move || {
        dash.conn
            .quota
            .get()
            .map(|q| q.view(clock.secs()))
            .map(|v| (v.remaining, v.paused))
    };
    let blocked = move || {
        view().is_some()
            && cost() != Some(0)
            && quota_left().is_some_and(|(left, paused)| paused || left == 0)
    };
    // What the quota allows of the export's calls (it loads that much, then stops).
    let afford = move || dash.afford(cost().unwrap_or(0), clock.secs());
    let export = move |format: ExportFormat| {
        let Some((q, total)) = view() else { return };
        exported.set(true);
        let source = dash.conn.source.get_untracked();
        saved.set(None);
        let window = untrack(window);
        // A complete set of wider filters (Analyze all over every status, then one status on
        // screen), or one reaching back past the window's start, holds this export already:
        // loading it again would replace that set.
        let served = match window.1.start {
            Some(_) => untrack(|| all.covers_window(&q.filters_only(), &window.1)),
            None => untrack(|| all.serves(&q)),
        };
        if served {
            match save(dash, &q, window, format, bom.get_untracked(), time) {
                Ok(name) => saved.set(Some(format!("Saved {name}."))),
                Err(e) => saved.set(Some(e)),
            }
            return;
        }
        let refetched_before = all.refetched.get_untracked();
        let budget = untrack(afford).budget();
        let query = q.clone();
        let finish = move |again: u64, source: crate::api::Source| {
            let note = refetched_text(again, source.cost(again))
                .map(|t| format!(" {t}"))
                .unwrap_or_default();
            match save(dash, &query, window, format, bom.get_untracked(), time) {
                Ok(name) => saved.set(Some(format!("Saved {name}.{note}"))),
                Err(e) => saved.set(Some(e)),
            }
        };
        if let Some(since) = window.1.start {
            let f = q.filters_only();
            let since_start = win.counted.with_untracked(|c| c.map(|c| c.since_start));
            if let Some(n) = since_start {
                all.expect_window(&f, since, n);
            }
            spawn_local(async move {
                let phase = all
                    .load_window(source.clone(), &f, since, since_start, budget)
                    .await;
                if phase == Phase::Done {
                    let again = all
                        .refetched
                        .get_untracked()
                        .saturating_sub(refetched_before);
                    finish(again, source);
                }
            });
            return;
        }
        // Every matching request is on screen: the export takes them from there.
        if let Some(page) = dash.complete_page(&q) {
            all.adopt(&q, page);
        } else if let Some(total) = total {
            all.expect_total(&q, total);
        }
        spawn_local(async move {
            if all.load(source.clone(), &q, budget).await == Phase::Done {
                // Pages this export fetched again because the requests changed meanwhile.
                let again = all
                    .refetched
                    .get_untracked()
                    .saturating_sub(refetched_before);
                finish(again, source);
            }
        });
    };
    let save_partial = move |format: ExportFormat| {
        if let Some((q, _)) = view() {
            match save(dash, &q, untrack(window), format, bom.get_untracked(), time) {
                Ok(name) => saved.set(Some(format!("Saved {name} (partial)."))),
                Err(e) => saved.set(Some(e)),
            }
        }
    };
    let cost_text = move || {
        view()?;
        let quota = match afford() {
            Afford::All => quota_left()
                .map(|(left, _)| format!(" · {} left this hour", count(left, "call", "calls")))
                .unwrap_or_default(),
            short => short.note(clock.secs()),
        };
        // The time window the export is limited to, when there is one.
        let scope = win.choice.with(|w| {
            let phrase = w.phrase();
            if phrase.is_empty() {
                String::new()
            } else {
                format!(
                    " (the requests created {}: Time window)",
                    phrase.trim_start_matches("created ")
                )
            }
        });
        let Some(c) = cost() else {
            return Some(format!(
                "Export costs one call per 100 matching requests{scope}{quota}"
            ));
        };
        Some(if c == 0 {
            format!("Export costs 0 calls{scope}{quota}")
        } else {
            format!(
                "Export costs {c} call{}{scope}{quota}",
                if c == 1 { "" } else { "s" }
            )
        })
    };
    let button_title = move || {
        if blocked() {
            "Paused until the API key's quota resets; what was fetched is kept".to_owned()
        } else if running() {
            "A load of all matching requests is running".to_owned()
        } else {
            cost_text().unwrap_or_default()
        }
    };
    let progress = move || all.progress.get();
    let belongs = move || {
        view().is_some_and(|(q, _)| match start() {
            Some(s) => all.holds_window(&q.filters_only(), s),
            None => all.belongs_to(&q),
        })
    };
    // Stopped, or changed while loading: not the whole set.
    // The loader is shared with "Analyze all matching": a load it stopped is offered here only
    // when something arrived (there is a partial file to save), or when an export started it.
    let stopped = move || {
        let phase = all.phase.get();
        (phase.resumable() && belongs() && (progress().0 > 0 || exported.get())).then_some(phase)
    };

    view! {
        <div class="export" role="group" aria-label="Export">
            <button type="button" on:click=move |_| export(ExportFormat::Csv)
                disabled=move || running() || blocked()
                title=button_title>"Export CSV"</button>
            <button type="button" on:click=move |_| export(ExportFormat::Json)
                disabled=move || running() || blocked()
                title=button_title>"Export JSON"</button>
            <label class="bom" title="Adds a byte order mark so Excel reads the file as UTF-8">
                <input type="checkbox" prop:checked=move || bom.get()
                    on:change=move |ev| bom.set(event_target_checked(&ev))/>
                " Excel (BOM)"
            </label>
            <span class="export-cost">{cost_text}</span>
            // Shown while any load of a whole set runs, also after the view moved on to other
            // filters: it still spends calls, and Cancel must stay within reach.
            <Show when=running>
                <span class="export-progress">
                    <progress max=move || progress().1.max(1) value=move || progress().0
                        aria-label="Loading all matching requests"></progress>
                    {move || {
                        let again = if all.refetched.get() > 0 {
                            " · loading the pages that changed again"
                        } else {
                            ""
                        };
                        let other = if belongs() { "" } else { " · for the filters it started with" };
                        format!(
                            " {} of {}{again}{other}",
                            thousands(progress().0),
                            thousands(progress().1)
                        )
                    }}
                    <button type="button" on:click=move |_| all.cancel()>"Cancel"</button>
                </span>
            </Show>
            {move || stopped().map(|phase| {
                let (fetched, total) = progress();
                let (why, resume, what) = match &phase {
                    Phase::Changed(gap) => (
                        gap_text(gap),
                        "Export again",
                        " matching requests, but not a consistent set; the file would not be \
                         complete. Export again to load the pages that changed again.",
                    ),
                    Phase::Stopped(Some(e)) => (
                        format!("Stopped: {}", e.title()),
                        "Resume",
                        " matching requests; the file is not complete.",
                    ),
                    _ => (
                        "Stopped".to_owned(),
                        "Resume",
                        " matching requests; the file is not complete.",
                    ),
                };
                let text = format!(
                    "{why}. Fetched {} of {}{what}",
                    thousands(fetched),
                    thousands(total)
                );
                view! {
                    <div class="export-partial" role="status">
                        <p>{text}</p>
                        <button type="button" on:click=move |_| export(ExportFormat::Csv)
                            disabled=blocked>{resume}</button>
                        <button type="button" on:click=move |_| save_partial(ExportFormat::Csv)>
                            "Save partial CSV"
                        </button>
                        <button type="button" on:click=move |_| save_partial(ExportFormat::Json)>
                            "Save partial JSON"
                        </button>
                    </div>
                }
            })}
            <span class="export-saved" role="status">{move || saved.get()}</span>
        </div>
    }
}

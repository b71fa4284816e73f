//! Export CSV / Export JSON of every request matching the current filters (not just the page).
//!
//! Before: the cost in calls (0 when the set is already loaded) and the quota left. During: a
//! progress bar and Cancel. If the quota runs out or a call fails: what was fetched is kept, the
//! user is told exactly how many of how many rows it is, and can resume or save a file whose
//! name says "partial". A truncated file is never handed over as if it were complete, nor one
//! from a set that changed while it loaded and could not be made consistent (`Phase::Changed`):
//! the user is told how many requests it may miss and can export again.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate};
use hitl_core::csv::{to_csv, CsvOptions};
use hitl_core::export::{export_filename, to_json, ExportFormat};
use hitl_core::format::Zone as _;
use hitl_core::format::{count, thousands};
use hitl_core::{contract, HitlRequest, RequestQuery};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser::clock::Clock;
use crate::browser::download;
use crate::browser::time::{now_ms, ShownZone};
use crate::state::{gap_text, refetched_text, Afford, Dashboard, Phase, TimeDisplay};

/// Today's date in the zone times are shown in (Times: UTC or local), for the file name.
fn today(time: Option<TimeDisplay>) -> NaiveDate {
    let zone = time.map_or(ShownZone::Local, |t| untrack(|| t.zone()));
    let ms = now_ms() as i64;
    let offset = zone.offset_at(DateTime::from_timestamp_millis(ms).unwrap_or_default());
    DateTime::from_timestamp_millis(ms + i64::from(offset) * 60_000)
        .unwrap_or_default()
        .date_naive()
}

/// Writes the loaded set for `query` as `format` and offers it as a download.
fn save(
    dash: Dashboard,
    query: &RequestQuery,
    format: ExportFormat,
    bom: bool,
    time: Option<TimeDisplay>,
) -> Result<String, String> {
    let (fetched, total) = dash.all.progress.get_untracked();
    let complete = dash.all.phase.get_untracked() == Phase::Done;
    // With this session's changes (a cancel), and only what still matches the filters: a
    // request cancelled since it was loaded is no longer in a `status=pending` export.
    let rows = dash.all.rows.with_untracked(|r| dash.with_updates_arc(r));
    let filters = query.filters_only();
    let rows = if rows.iter().all(|r| contract::matches(r, &filters)) {
        rows
    } else {
        let kept: Vec<HitlRequest> = rows
            .iter()
            .filter(|r| contract::matches(r, &filters))
            .cloned()
            .collect();
        Arc::new(kept)
    };
    let body = match format {
        ExportFormat::Csv => to_csv(&rows, CsvOptions { bom }),
        ExportFormat::Json => to_json(&rows),
    };
    let partial = (!complete).then_some((rows.len() as u64, total.max(fetched)));
    let name = export_filename(today(time), query, format.extension(), partial);
    download(&name, format.mime_type(), &body)?;
    Ok(name)
}

/// The export controls.
#[component]
pub(crate) fn ExportBar() -> impl IntoView {
    let dash = expect_context::<Dashboard>();
    let clock = expect_context::<Clock>();
    let time = use_context::<TimeDisplay>();
    let all = dash.all;
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
        // A complete set of wider filters (Analyze all over every status, then one status on
        // screen) holds this export already: loading it again would replace that set.
        if untrack(|| all.serves(&q)) {
            match save(dash, &q, format, bom.get_untracked(), time) {
                Ok(name) => saved.set(Some(format!("Saved {name}."))),
                Err(e) => saved.set(Some(e)),
            }
            return;
        }
        // Every matching request is on screen: the export takes them from there.
        if let Some(page) = dash.complete_page(&q) {
            all.adopt(&q, page);
        } else if let Some(total) = total {
            all.expect_total(&q, total);
        }
        let refetched_before = all.refetched.get_untracked();
        let budget = untrack(afford).budget();
        spawn_local(async move {
            if all.load(source.clone(), &q, budget).await == Phase::Done {
                // Pages this export fetched again because the requests changed meanwhile.
                let again = all
                    .refetched
                    .get_untracked()
                    .saturating_sub(refetched_before);
                let note = refetched_text(again, source.cost(again))
                    .map(|t| format!(" {t}"))
                    .unwrap_or_default();
                match save(dash, &q, format, bom.get_untracked(), time) {
                    Ok(name) => saved.set(Some(format!("Saved {name}.{note}"))),
                    Err(e) => saved.set(Some(e)),
                }
            }
        });
    };
    let save_partial = move |format: ExportFormat| {
        if let Some((q, _)) = view() {
            match save(dash, &q, format, bom.get_untracked(), time) {
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
        let Some(c) = cost() else {
            return Some(format!(
                "Export costs one call per 100 matching requests{quota}"
            ));
        };
        Some(if c == 0 {
            format!("Export costs 0 calls{quota}")
        } else {
            format!(
                "Export costs {c} call{}{quota}",
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
    let belongs = move || view().is_some_and(|(q, _)| all.belongs_to(&q));
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

//! The root component: contexts and page layout.

use std::sync::Arc;

use hitl_core::format::{relative, thousands};
use leptos::prelude::*;

use crate::browser::clock::Clock;
use crate::browser::url::UrlState;
use crate::components::auto_refresh::AutoRefresh;
use crate::components::banner::ErrorBanner;
use crate::components::detail::DetailPanel;
use crate::components::export::ExportBar;
use crate::components::filters::FilterBar;
use crate::components::overview::{Overview, StatusCards};
use crate::components::pager::Pager;
use crate::components::preferences::PreferenceToggles;
use crate::components::quota_meter::QuotaMeter;
use crate::components::settings::SettingsPanel;
use crate::components::shortcuts::Shortcuts;
use crate::components::sla::SlaWatch;
use crate::components::table::RequestsTable;
use crate::state::{AllMatching, Connection, Dashboard, History, Loops, Sla, TimeDisplay, Window};

/// How long the main area waits for the first page before it shows its loading state.
const REVEAL_AFTER: std::time::Duration = std::time::Duration::from_millis(500);

/// The whole dashboard.
#[component]
pub(crate) fn App() -> impl IntoView {
    let clock = Clock::start();
    let url = UrlState::install();
    let conn = Connection::restore();
    let all = AllMatching::new();
    let dash = Dashboard::new(url, conn, all, clock);
    provide_context(clock);
    let time = TimeDisplay::restore();
    provide_context(time);
    provide_context(url);
    provide_context(conn);
    provide_context(dash);
    provide_context(all);
    let loops = Loops::new(conn);
    provide_context(loops);
    let history = History::new(conn, dash.paused);
    provide_context(history);
    let window = Window::new(dash, time, clock);
    provide_context(window);
    provide_context(Sla::new(dash, clock));

    // The table shows the page, or every loaded matching request when the user asks for it.
    let show_all = RwSignal::new(false);
    let all_available = move || {
        dash.query
            .with(|q| q.as_ref().is_ok_and(|q| all.belongs_to(q)))
            && all.rows.with(|r| !r.is_empty())
    };
    let showing_all = move || show_all.get() && all_available();
    let rows = Memo::new_with_compare(
        move |_| {
            if showing_all() {
                all.rows.with(|r| dash.with_updates_arc(r))
            } else {
                dash.page_rows()
            }
        },
        |a, b| !matches!((a, b), (Some(a), Some(b)) if Arc::ptr_eq(a, b)),
    );
    let error = Signal::derive(move || dash.error());
    // A memo: the quota part is read every second, and the banner changes far less often.
    let banner = Memo::new(move |_| dash.banner(clock.secs(), window.error.get()));
    let loading = move || dash.loading();
    // The rows on screen are another view's while the current one loads (a page move, a slow
    // answer): said as loading, not as a failure.
    let other_view = move || {
        let current = dash.query.get().ok();
        dash.shown
            .with(|s| s.as_ref().map(|l| Some(&l.query) != current.as_ref()))
            .unwrap_or(false)
    };
    // The last answer failed: the rows on screen are the last good ones.
    let stale = move || error.with(Option::is_some) && dash.shown.with(Option::is_some);
    let status_note = move || {
        if stale() {
            Some(" · not current")
        } else if other_view() && loading() {
            Some(" · loading…")
        } else {
            None
        }
    };
    // An empty page says why: nothing matches, or (a link's offset) it lies past the last page.
    let empty_text = move || {
        let total = dash.shown.with(|s| s.as_ref().map_or(0, |l| l.page.total));
        if total > 0 {
            format!(
                "This page is past the last one: these filters match {} requests. Use First or Previous.",
                thousands(total)
            )
        } else {
            "No requests match these filters. Try Status: All or clear the Loop ID.".to_owned()
        }
    };
    // Refresh drops cached answers: never do that while nothing can be fetched again.
    let quota_paused = move || dash.paused.get();
    let updated = move || {
        dash.shown.with(|s| {
            s.as_ref().map(|l| {
                let at =
                    chrono::DateTime::from_timestamp_millis(l.at_ms as i64).unwrap_or_default();
                // The clock ticks once a second: an answer can be younger than its last tick,
                // which is no reason to say "in a moment".
                let now = clock.instant();
                format!("updated {}", relative(at.min(now), now))
            })
        })
    };

    // Where the view comes from: the demo, the live API, or the copy on this device.
    let badge = move || {
        if conn.is_demo() {
            return "Demo data".to_owned();
        }
        match history.answering() {
            Some(synced_at) => {
                let now = clock.instant();
                let ago = synced_at
                    .and_then(|ms| chrono::DateTime::from_timestamp_millis(ms as i64))
                    .map(|t| format!(" · synced {}", relative(t.min(now), now)))
                    .unwrap_or_default();
                format!("History on this device{ago}")
            }
            None => "Live API".to_owned(),
        }
    };
    // The main area appears with its first rows, not before them: a skeleton painted first
    // costs a whole style and layout pass on the way to the rows (on a cold start, with V8
    // still compiling, that delays them), and its empty table jumps when they arrive. The header shows at once. An answer slower than REVEAL_AFTER
    // gets the skeleton and its loading state after all.
    let waited = RwSignal::new(false);
    set_timeout(move || waited.set(true), REVEAL_AFTER);
    let first_page_settled = dash.first_page_settled;
    let revealed = move || first_page_settled.get() || waited.get();

    view! {
        <header class="topbar">
            <h1>"HITL Requests"</h1>
            <span class="source-badge" data-demo=move || conn.is_demo().to_string()>
                {badge}
            </span>
            <QuotaMeter/>
            <PreferenceToggles/>
        </header>
        <Shortcuts/>
        <main class="layout" style:display=move || if revealed() { "" } else { "none" }>
            <SettingsPanel/>
            <StatusCards/>
            <FilterBar/>
            <ErrorBanner error=banner/>
            <section class="results" aria-label="Requests" aria-busy=move || loading().to_string()>
                <div class="results-bar">
                    // With every loaded row shown, page moves would not change the table.
                    <div class="pager-slot" hidden=showing_all>
                        <Pager loaded=dash.shown/>
                    </div>
                    <span class="pager-all" hidden=move || !showing_all()>
                        {move || format!("All {} loaded rows", thousands(all.rows.with(|r| r.len() as u64)))}
                    </span>
                    <span class="updated" data-stale=move || stale().to_string()>
                        {updated}
                        {status_note}
                    </span>
                    <Show when=all_available>
                        <label class="show-all">
                            <input type="checkbox" prop:checked=move || show_all.get()
                                on:change=move |ev| show_all.set(event_target_checked(&ev))/>
                            {move || format!(" Show all {} loaded rows", thousands(all.rows.with(|r| r.len() as u64)))}
                        </label>
                    </Show>
                    <AutoRefresh/>
                    <button type="button" on:click=move |_| {
                        dash.refresh();
                        // A copy on this device is brought up to date instead of the views
                        // asking the API again.
                        if history.kept() {
                            history.sync(None);
                        }
                    }
                        // Not `disabled` while refreshing: that would throw the keyboard's
                        // focus off the button for the length of one call.
                        disabled=quota_paused
                        aria-disabled=move || dash.refreshing.get().to_string()
                        title=move || if quota_paused() {
                            "Paused until the API key's quota resets: a refresh now would only be refused, and would drop what is cached"
                        } else if dash.refreshing.get() {
                            "Refreshing: the view is on its way"
                        } else {
                            "Reloads this view from the API and forgets cached answers"
                        }>"Refresh"</button>
                </div>
                <ExportBar/>
                <RequestsTable rows=rows names=loops.names fresh=dash.fresh loading=Signal::derive(loading)/>
                <Show when=move || !loading() && rows.with(|r| r.is_empty()) && error.with(Option::is_none)>
                    <p class="empty">{empty_text}</p>
                </Show>
            </section>
            <SlaWatch/>
            <Overview/>
        </main>
        <DetailPanel/>
    }
}

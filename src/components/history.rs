//! "Keep history on this device", in Connection: the checkbox and what it means, the first
//! load with its cost, the status line ("History: 10,000 requests on this device, synced 2 min
//! ago"), the last sync's summary, Repair, Cancel, Resume and "Forget this device's history".

use chrono::DateTime;
use hitl_core::format::{count, relative, thousands};
use hitl_core::sync::{first_load_calls, Check, Differs};
use hitl_core::RequestQuery;
use leptos::prelude::*;

use crate::browser::clock::Clock;
use crate::state::{Dashboard, History, HistoryState};

/// The history controls (live API only). `folded`: the Connection form is folded into its one
/// line; the status line and what a running or stopped sync needs stay, the setting goes.
#[component]
pub(crate) fn HistoryControls(#[prop(into)] folded: Signal<bool>) -> impl IntoView {
    let dash = expect_context::<Dashboard>();
    let history = expect_context::<History>();
    let clock = expect_context::<Clock>();
    // Offered once a key works (a page of it loaded): never for a key the API refused.
    let live = move || dash.connected() || history.kept();
    let on_toggle = move |ev| {
        if event_target_checked(&ev) {
            history.keep();
        } else {
            history.forget();
        }
    };
    // Every request of the key, as far as the page on screen tells (no filter).
    let total = move || dash.matching_total(&RequestQuery::default());
    let first_load = move || {
        let calls = total().map(first_load_calls);
        let cost = match calls {
            Some(n) => count(n, "call", "calls"),
            None => "one call per 100 requests".to_owned(),
        };
        let note = calls
            .map(|n| dash.afford(n, clock.secs()).note(clock.secs()))
            .unwrap_or_default();
        format!("The first load costs {cost}{note}.")
    };
    let load = move |_| {
        let calls = untrack(total).map(first_load_calls).unwrap_or(0);
        history.sync(untrack(|| dash.afford(calls, clock.secs()).budget()));
    };
    let ago = move |at: Option<f64>| {
        at.and_then(|ms| DateTime::from_timestamp_millis(ms as i64))
            .map(|t| {
                let now = clock.instant();
                format!("synced {}", relative(t.min(now), now))
            })
            .unwrap_or_else(|| "not synced yet".to_owned())
    };
    let line = move || {
        let copy = history.copy()?;
        let held = format!(
            "History: {} on this device, {}",
            count(copy.rows.len() as u64, "request", "requests"),
            ago(copy.synced_at)
        );
        Some(match history.state.get() {
            HistoryState::Off => return None,
            HistoryState::Reading => "History: reading the copy on this device…".to_owned(),
            HistoryState::Empty => format!("History: nothing on this device yet. {}", first_load()),
            HistoryState::Waiting => {
                format!("{held}. Another tab is bringing it up to date…")
            }
            HistoryState::Shared => format!("{held}, by another tab."),
            HistoryState::Syncing(p) => {
                let of = p
                    .total
                    .map(|t| format!(" of {}", thousands(t)))
                    .unwrap_or_default();
                format!(
                    "History: syncing… {} new{of}, {} changed · {}",
                    thousands(p.new),
                    thousands(p.changed),
                    count(p.calls, "call", "calls")
                )
            }
            HistoryState::Unfinished => format!(
                "{held}. The first load has not finished: Resume goes on from where it stopped."
            ),
            HistoryState::Done(o, spent) => match &o.check {
                Check::InStep => format!(
                    "{held}. Synced: {} new, {} changed · {}",
                    thousands(o.new),
                    thousands(o.changed),
                    count(spent, "call", "calls")
                ),
                Check::OutOfStep { differs } => format!(
                    "History: out of step with the API ({}); the views use the live API.",
                    differs_text(differs)
                ),
                Check::Interrupted(e) => {
                    format!("{held}. The last sync stopped: {}.", e.title())
                }
            },
            HistoryState::Unavailable(why) => {
                format!("History unavailable: {why}. The dashboard works live.")
            }
        })
    };
    let state = move || history.state.get();
    let running = move || matches!(state(), HistoryState::Syncing(_));
    let repair = move || match state() {
        HistoryState::Done(o, _) => o.repairs.first().cloned(),
        _ => None,
    };
    let resumable = move || match state() {
        HistoryState::Unfinished => true,
        HistoryState::Done(o, _) => matches!(o.check, Check::Interrupted(_)),
        _ => false,
    };
    let paused = move || dash.paused.get();

    view! {
        <div class="history" hidden=move || !live()>
            <div class="field field-check" hidden=move || folded.get()>
                <input id="keep-history" type="checkbox" prop:checked=move || history.kept()
                    on:change=on_toggle/>
                <label for="keep-history">"Keep history on this device"</label>
                <small class="hint">
                    "Stores this key's requests, their texts and responses (never the key) in this \
                     browser's IndexedDB, for this key and API base URL. Later visits then cost a \
                     few calls instead of reloading everything."
                </small>
            </div>
            <p class="history-status" role="status" hidden=move || line().is_none()>{line}</p>
            <div class="history-actions" hidden=move || !history.kept()>
                <Show when=move || state() == HistoryState::Empty>
                    <button type="button" class="primary" on:click=load disabled=paused>
                        "Load history"
                    </button>
                </Show>
                <Show when=running>
                    <button type="button" on:click=move |_| history.cancel()>"Cancel"</button>
                </Show>
                <Show when=resumable>
                    <button type="button" on:click=move |_| history.sync(None) disabled=paused>
                        "Resume"
                    </button>
                </Show>
                {move || repair().map(|r| {
                    let label = format!("Repair ({})", count(r.calls(), "call", "calls"));
                    view! {
                        <button type="button" disabled=paused
                            on:click=move |_| history.sync_with(Some(r.clone()), None)>{label}</button>
                    }
                })}
                <button type="button" on:click=move |_| history.forget() hidden=move || folded.get()>
                    "Forget this device's history"
                </button>
            </div>
        </div>
    }
}

/// "pending 12 here, 10 on the API; …".
fn differs_text(differs: &[Differs]) -> String {
    differs
        .iter()
        .map(|d| {
            format!(
                "{} {} here, {} on the API",
                d.status.label(),
                thousands(d.copy),
                thousands(d.api)
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

//! The SLA watch: pending requests by time left before their deadline (`timeout_at`), soonest
//! first, with a live countdown; the tab title carries how many are at risk or overdue; and
//! opt-in browser notifications ("Notify me": permission asked on that click only) when a
//! critical or high request becomes at risk or times out while the dashboard is open with
//! auto-refresh on, once per request (`hitl_core::sla::notifications_due`).
//!
//! The rows are built with the DOM builder when the list changes; the countdown and state cells
//! are updated in place each second, so focus on a row's button survives the ticks.

use std::collections::HashSet;

use hitl_core::format::{format_duration_short, one_line, stamp, thousands};
use hitl_core::sla::{flagged_ids, flagged_watched, notifications_due, Alert, SlaEntry, SlaState};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::Element;

use crate::browser::time::ShownZone;
use crate::browser::url::{HistoryMode, UrlState, REQUEST_PARAM};
use crate::browser::{document, storage_get, storage_remove, storage_set};
use crate::components::dom::{el, el_text, fill, priority_badge};
use crate::state::{Dashboard, Sla, TimeDisplay};

/// Rows shown before "Show all".
const FIRST_ROWS: usize = 10;
/// The tab's title without anything at risk.
const TITLE: &str = "HITL Requests";
/// localStorage entry of the notification opt-in.
const NOTIFY_ENTRY: &str = "hitl.notify";

/// "14m left", "overdue by 3m".
fn left_text(e: &SlaEntry) -> String {
    let s = e.left_seconds();
    if s > 0.0 {
        format!("{} left", format_duration_short(s))
    } else {
        format!("overdue by {}", format_duration_short(-s))
    }
}

fn state_key(s: SlaState) -> &'static str {
    match s {
        SlaState::OnTrack => "on-track",
        SlaState::AtRisk => "at-risk",
        SlaState::Overdue => "overdue",
    }
}

/// True when this browser has the Notification API at all.
fn notifications_supported() -> bool {
    web_sys::window()
        .is_some_and(|w| js_sys::Reflect::has(&w, &"Notification".into()).unwrap_or(false))
}

fn permission_granted() -> bool {
    notifications_supported()
        && web_sys::Notification::permission() == web_sys::NotificationPermission::Granted
}

/// Shows one notification (its tag is the request id: a second one for the same request
/// would replace the first, though none is sent).
fn notify(title: &str, body: &str, tag: &str) {
    let options = web_sys::NotificationOptions::new();
    options.set_body(body);
    options.set_tag(tag);
    let _ = web_sys::Notification::new_with_options(title, &options);
}

/// The SLA watch section.
#[component]
pub(crate) fn SlaWatch() -> impl IntoView {
    let dash = expect_context::<Dashboard>();
    let sla = expect_context::<Sla>();
    let url = expect_context::<UrlState>();
    let time = use_context::<TimeDisplay>();
    let show_all = RwSignal::new(false);

    // The tab title: "(3) HITL Requests" while any pending request is at risk or overdue.
    Effect::new(move |before: Option<usize>| {
        let n = sla.watch.with(|w| w.needs_attention());
        if before != Some(n) {
            if let Some(d) = document() {
                d.set_title(&if n > 0 {
                    format!("({n}) {TITLE}")
                } else {
                    TITLE.to_owned()
                });
            }
        }
        n
    });

    // The list's rows: rebuilt when which requests it shows, or their order, change (not at
    // each tick: the countdown cells are updated in place below).
    let ids = Memo::new(move |_| {
        let limit = if show_all.get() {
            usize::MAX
        } else {
            FIRST_ROWS
        };
        sla.watch.with(|w| {
            w.entries
                .iter()
                .take(limit)
                .map(|e| e.id.clone())
                .collect::<Vec<_>>()
        })
    });
    let cells = StoredValue::new_local(Vec::<(String, Element, Element)>::new());
    let tbody = NodeRef::<html::Tbody>::new();
    fill(tbody, move |tbody| {
        let zone = time.map_or(ShownZone::Local, |t| t.zone());
        let mut made = Vec::new();
        ids.with(|ids| {
            sla.watch.with_untracked(|w| {
                sla.known.with_untracked(|k| {
                    for id in ids {
                        let Some(e) = w.entries.iter().find(|e| &e.id == id) else {
                            continue;
                        };
                        let tr = el(tbody, "tr", &[("data-id", id)]);
                        let left = el_text(&tr, "td", &[("class", "sla-left")], &left_text(e));
                        let state = el(&tr, "td", &[]);
                        let badge = el_text(
                            &state,
                            "span",
                            &[("class", "sla-state"), ("data-state", state_key(e.state))],
                            e.state.label(),
                        );
                        priority_badge(&el(&tr, "td", &[]), &e.priority);
                        let text = k.rows.get(e.index).map_or("", |r| r.request_text.as_str());
                        el_text(
                            &el(&tr, "td", &[("class", "sla-text")]),
                            "button",
                            &[
                                ("type", "button"),
                                ("class", "link"),
                                ("data-request", id),
                                ("title", text),
                            ],
                            &one_line(text, 80),
                        );
                        el_text(&tr, "td", &[], &stamp(e.timeout_at, &zone));
                        made.push((id.clone(), left, badge));
                    }
                })
            })
        });
        cells.set_value(made);
    });
    // Each second: the countdown and the state of every row shown.
    Effect::new(move |_| {
        sla.watch.with(|w| {
            cells.with_value(|cells| {
                // Only what changed: a cell rewritten every second would be announced and
                // re-laid out for nothing.
                let set = |el: &Element, text: &str| {
                    if el.text_content().as_deref() != Some(text) {
                        el.set_text_content(Some(text));
                    }
                };
                for (id, left, badge) in cells {
                    if let Some(e) = w.entries.iter().find(|e| &e.id == id) {
                        set(left, &left_text(e));
                        if badge.get_attribute("data-state").as_deref() != Some(state_key(e.state))
                        {
                            let _ = badge.set_attribute("data-state", state_key(e.state));
                            set(badge, e.state.label());
                        }
                    }
                }
            })
        })
    });
    let open = move |ev: leptos::ev::MouseEvent| {
        let button = ev
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|t| t.closest("button[data-request]").ok().flatten());
        if let Some(id) = button.and_then(|b| b.get_attribute("data-request")) {
            url.set_param(REQUEST_PARAM, Some(&id), HistoryMode::Push);
        }
    };

    // Notifications: opted in on this device, permission granted, auto-refresh on.
    let opted =
        RwSignal::new(storage_get(NOTIFY_ENTRY).as_deref() == Some("1") && permission_granted());
    let notice = RwSignal::new(None::<&'static str>);
    let ask = move |_| {
        if !notifications_supported() {
            notice.set(Some("This browser cannot show notifications."));
            return;
        }
        let Ok(promise) = web_sys::Notification::request_permission() else {
            notice.set(Some("This browser cannot show notifications."));
            return;
        };
        spawn_local(async move {
            let answer = wasm_bindgen_futures::JsFuture::from(promise).await;
            if answer.ok().and_then(|v| v.as_string()).as_deref() == Some("granted") {
                storage_set(NOTIFY_ENTRY, "1");
                opted.set(true);
                notice.set(None);
            } else {
                notice.set(Some(
                    "Notifications are blocked for this site: allow them in the browser's site settings, then press Notify me again.",
                ));
            }
        });
    };
    let stop = move |_| {
        storage_remove(NOTIFY_ENTRY);
        opted.set(false);
    };
    // Which requests were flagged at the last look, were ever watched pending, and were
    // notified: a request is notified once, when it first becomes at risk (or overdue, or
    // timed out) while watched; what is flagged already at the first look is not news.
    let previous = StoredValue::new(None::<HashSet<String>>);
    let watched = StoredValue::new(HashSet::<String>::new());
    let notified = StoredValue::new(HashSet::<String>::new());
    Effect::new(move |_| {
        let w = sla.watch.get();
        watched.update_value(|s| s.extend(w.entries.iter().map(|e| e.id.clone())));
        // Untracked: the watch is recomputed whenever the rows change, so they are current.
        let current = sla
            .known
            .with_untracked(|k| watched.with_value(|ws| flagged_watched(&w, &k.rows, ws)));
        let on =
            opted.get_untracked() && dash.auto_every.get_untracked() > 0 && permission_granted();
        if let (true, Some(before)) = (on, previous.get_value()) {
            let due = notified.with_value(|n| notifications_due(&before, &current, n));
            sla.known.with_untracked(|k| {
                for f in &due {
                    let row = k.rows.iter().find(|r| r.id == f.id);
                    let what = match f.alert {
                        Alert::AtRisk => "At risk",
                        Alert::Overdue => "Past its deadline",
                        Alert::TimedOut => "Timed out",
                    };
                    let left = w
                        .entries
                        .iter()
                        .find(|e| e.id == f.id)
                        .map(left_text)
                        .unwrap_or_default();
                    let text = row.map_or(String::new(), |r| one_line(&r.request_text, 120));
                    notify(
                        &format!("{what}: {} priority request", f.priority.label()),
                        &format!("{text}\n{left}"),
                        &f.id,
                    );
                }
            });
            notified.update_value(|n| n.extend(due.into_iter().map(|f| f.id)));
        }
        previous.set_value(Some(flagged_ids(&current)));
    });

    let coverage = move || sla.watch.with(|w| w.coverage());
    let summary = move || {
        sla.watch.with(|w| {
            let without = if w.no_deadline > 0 {
                format!(" ({} without a deadline)", thousands(w.no_deadline as u64))
            } else {
                String::new()
            };
            format!(
                "{} pending with a deadline{without}: {} at risk, {} overdue. At risk: less than 15 minutes left, or less than 10% of the time from creation to deadline.",
                thousands(w.watched() as u64),
                thousands(w.at_risk as u64),
                thousands(w.overdue as u64)
            )
        })
    };
    let cost = move || {
        if dash.conn.is_demo() {
            "0 calls (demo data)".to_owned()
        } else if sla.own_call(&dash) {
            "1 call per load or refresh (status=pending, oldest first, 100), cached for a minute"
                .to_owned()
        } else {
            "0 calls of its own: the Pending card's call lists the 100 oldest pending requests"
                .to_owned()
        }
    };
    let has_more = move || sla.watch.with(|w| w.entries.len() > FIRST_ROWS);
    let error = move || {
        sla.error()
            .map(|e| format!("The pending requests could not be loaded: {}", e.title()))
    };
    let notify_state = move || {
        let auto = dash.auto_every.get() > 0;
        match (opted.get(), auto) {
            (true, true) => {
                "Notifications on: critical and high requests that become at risk or time out."
            }
            (true, false) => "Notifications are on, but only sent while Auto-refresh is on.",
            _ => "",
        }
    };
    view! {
        <section class="sla panel" aria-labelledby="sla-h">
            <div class="sla-head">
                <h2 id="sla-h">"SLA watch"</h2>
                <p class="scope" aria-live="polite">{coverage}</p>
                <span class="cost">{cost}</span>
            </div>
            <p class="muted sla-summary">{summary}</p>
            <p class="sla-error">{error}</p>
            <div class="sla-notify">
                <Show when=move || !opted.get() fallback=move || view! {
                    <button type="button" on:click=stop>"Stop notifications"</button>
                }>
                    <button type="button" on:click=ask
                        title="Asks this browser for permission, then notifies you of critical and high requests that become at risk or time out while the dashboard is open with Auto-refresh on">
                        "Notify me"
                    </button>
                </Show>
                <span class="muted" role="status">{move || notice.get().unwrap_or_else(notify_state)}</span>
            </div>
            <div class="table-wrap">
                <table class="stats-table sla-table" aria-labelledby="sla-h">
                    <thead>
                        <tr>
                            <th scope="col">"Time left"</th>
                            <th scope="col">"State"</th>
                            <th scope="col">"Priority"</th>
                            <th scope="col">"Request"</th>
                            <th scope="col">"Deadline"</th>
                        </tr>
                    </thead>
                    <tbody node_ref=tbody on:click=open></tbody>
                </table>
            </div>
            <Show when=has_more>
                <button type="button" class="link" on:click=move |_| show_all.update(|a| *a = !*a)>
                    {move || if show_all.get() {
                        "Show the first 10".to_owned()
                    } else {
                        format!("Show all {}", sla.watch.with(|w| w.entries.len()))
                    }}
                </button>
            </Show>
        </section>
    }
}

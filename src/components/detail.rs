//! The request detail panel (`?request=<id>`): a side drawer that shows at once what the list
//! row already has, then — with one `GET /v1/api/requests/{id}`, cached by URL so re-opening
//! is free — context, configuration, platform, and who was notified; a pending request can be
//! cancelled after an inline confirmation.
//!
//! Untrusted text (request_text, response_data, context, emails, errors) only ever becomes text
//! nodes. request_text is Markdown: `hitl_core::markdown` parses it to an AST that is rendered
//! here as elements and text, never as HTML.
//!
//! Size matters (this is the wasm download): every distinct view type and reactive closure
//! costs code, so the panel has two reactive parts (cancel, content) over one memo, and the
//! fields are one homogeneous list rendered by one function.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use hitl_core::format::{format_duration, local_datetime, one_line, zone_label};
use hitl_core::markdown::{self, Block, Inline};
use hitl_core::response::ResponseValue;
use hitl_core::{ApiError, HitlRequest, RequestDetail, Status};
use leptos::either::Either;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::browser::{document, local_offset_minutes};
use crate::components::preferences::TimeDisplay;
use crate::state::{Dashboard, Loops, Names};
use crate::url::HistoryMode;

/// The URL parameter that names the open request.
const PARAM: &str = "request";
/// Element ids the panel moves focus to.
const TITLE_ID: &str = "detail-title";
const CANCEL_ID: &str = "detail-cancel";
const KEEP_ID: &str = "detail-keep";

/// Where a cancellation stands.
#[derive(Clone, Debug, PartialEq)]
enum Cancel {
    InFlight,
    Done(Result<(), ApiError>),
}

/// One row of the panel's definition list: label, CSS class of the value, text.
struct Field(&'static str, &'static str, String);

/// Shows the request named by the URL's `request` parameter, if any.
#[component]
pub fn DetailPanel() -> impl IntoView {
    let dash = expect_context::<Dashboard>();
    let loops = use_context::<Loops>();
    let url = dash.url;
    let conn = dash.conn;
    let time = use_context::<TimeDisplay>();

    // Only the `request` parameter: a filter edit must not re-run the detail load.
    let open_id = Memo::new(move |_| url.param(PARAM));
    // One call per request; the client answers a re-open from its cache. Refresh reloads it.
    let detail = LocalResource::new(move || {
        let id = open_id.get();
        let source = conn.source.get();
        dash.refresh.track();
        async move {
            let id = id?;
            let answer = source.request(&id).await;
            Some((id, answer))
        }
    });
    // The detail answer for the open request; `None` while it loads (the resource keeps the
    // previous request's answer until the next one arrives).
    let fetched = move || -> Option<Result<Arc<RequestDetail>, ApiError>> {
        let id = open_id.get()?;
        detail.with(|d| match d {
            Some(Some((for_id, answer)))
                if *for_id == id && !matches!(answer, Err(ApiError::Aborted)) =>
            {
                Some(answer.clone())
            }
            _ => None,
        })
    };
    // The list fields, newest first: this session's change (cancel), the detail answer, the
    // row on screen, a loaded "all matching" row. A memo, so pages arriving elsewhere do not
    // re-render the panel.
    let summary = Memo::new(move |_| {
        let id = open_id.get()?;
        let find = |rows: &[HitlRequest]| rows.iter().find(|r| r.id == id).cloned();
        dash.updated
            .with(|m| m.get(&id).cloned())
            .or_else(|| match fetched() {
                Some(Ok(d)) => Some(d.request.clone()),
                _ => None,
            })
            .or_else(|| {
                dash.shown
                    .with(|s| s.as_ref().and_then(|l| find(&l.page.requests)))
            })
            .or_else(|| dash.all.rows.with(|rows| find(rows)))
    });

    // The id whose cancellation is being confirmed, so another request never inherits it.
    let confirming = RwSignal::new(None::<String>);
    let cancel_state = RwSignal::new(None::<(String, Cancel)>);
    let cancel = move |id: String| {
        if matches!(cancel_state.get_untracked(), Some((_, Cancel::InFlight))) {
            return;
        }
        cancel_state.set(Some((id.clone(), Cancel::InFlight)));
        let source = conn.source.get_untracked();
        leptos::task::spawn_local(async move {
            // DELETE: never retried, never aborted by closing the panel.
            let result = source.cancel(&id).await;
            if let Ok(updated) = &result {
                // The table row turns Cancelled at once, without another call.
                dash.apply_update(updated.request.clone());
                confirming.set(None);
                focus_later(TITLE_ID);
            }
            cancel_state.set(Some((id, Cancel::Done(result.map(|_| ())))));
        });
    };

    let close = move || {
        let id = open_id.get_untracked();
        confirming.set(None);
        url.set_param(PARAM, None, HistoryMode::Replace);
        if let Some(id) = id {
            focus_row(&id);
        }
    };
    // Esc steps back: out of the confirmation first, then out of the panel.
    let esc = window_event_listener(leptos::ev::keydown, move |ev| {
        let open = open_id.get_untracked();
        if ev.key() != "Escape" || ev.default_prevented() || open.is_none() {
            return;
        }
        if confirming.get_untracked() == open {
            confirming.set(None);
            focus_later(CANCEL_ID);
        } else {
            close();
        }
    });
    on_cleanup(move || esc.remove());
    // Focus the heading when a request opens (or another one replaces it).
    Effect::new(move |_| {
        if open_id.with(Option::is_some) {
            focus_later(TITLE_ID);
        }
    });

    let cancel_part = move || {
        let (id, text, pending) = summary.with(|s| {
            s.as_ref().map(|r| {
                (
                    r.id.clone(),
                    r.request_text.clone(),
                    r.status == Status::Pending,
                )
            })
        })?;
        let state = cancel_state
            .get()
            .filter(|(for_id, _)| *for_id == id)
            .map(|(_, s)| s);
        if !pending && state.is_none() {
            return None;
        }
        let busy = state == Some(Cancel::InFlight);
        let asking = pending && confirming.get().as_ref() == Some(&id);
        let title = match conn.source.with(|s| s.cost(1)) {
            0 => "Demo data: cancelling costs no API calls.".to_owned(),
            n => format!("Sends DELETE /v1/api/requests/{{id}}: costs {n} API call, not retried."),
        };
        let words = one_line(&markdown::plain_text(&markdown::parse(&text)), 48);
        let question = format!("Cancel request {id} (“{words}”)? This cannot be undone.");
        let ask = {
            let id = id.clone();
            move |_| {
                confirming.set(Some(id.clone()));
                focus_later(KEEP_ID);
            }
        };
        let outcome = match state {
            Some(Cancel::Done(Ok(()))) => Some(Notice(
                "detail-done",
                "Request cancelled.".to_owned(),
                Vec::new(),
            )),
            Some(Cancel::Done(Err(e))) => Some(Notice::error("The request was not cancelled", &e)),
            _ => None,
        };
        Some(view! {
            <section class="detail-cancel" aria-label="Cancel">
                {pending.then(|| view! {
                    <button type="button" id=CANCEL_ID class="danger" title=title.clone()
                        aria-expanded=asking.to_string() disabled=busy on:click=ask>
                        "Cancel request"
                    </button>
                })}
                {asking.then(|| view! {
                    <div class="detail-confirm" role="group" aria-label="Confirm cancellation">
                        <p>{question}</p>
                        <div class="actions">
                            <button type="button" class="danger" title=title disabled=busy
                                on:click=move |_| cancel(id.clone())>
                                {if busy { "Cancelling…" } else { "Yes, cancel it" }}
                            </button>
                            <button type="button" id=KEEP_ID disabled=busy on:click=move |_| {
                                confirming.set(None);
                                focus_later(CANCEL_ID);
                            }>
                                "Keep it"
                            </button>
                        </div>
                    </div>
                })}
                {outcome.map(Notice::view)}
            </section>
        })
    };

    let content_part = move || {
        let fetched = fetched();
        let names = loops.map(|l| l.names.get()).unwrap_or_default();
        // Local time or UTC, as the user chose (tracked: the panel follows the toggle).
        let offset = time.map_or_else(local_offset_minutes, |t| t.offset());
        match summary.get() {
            Some(r) => Either::Left(content_view(r, fetched, &names, offset)),
            // Nothing to show yet but what the call says.
            None => Either::Right(
                match fetched {
                    Some(Err(e)) => Notice::error("Could not load the request", &e),
                    _ => Notice::loading("Loading request…"),
                }
                .view(),
            ),
        }
    };

    view! {
        {move || open_id.get().map(|id| view! {
            <div class="detail" role="dialog" aria-modal="false" aria-labelledby=TITLE_ID>
                <div class="detail-head">
                    <h2 id=TITLE_ID tabindex="-1">"Request " <code>{id}</code></h2>
                    <button type="button" title="Close the details (Esc)" on:click=move |_| close()>
                        "Close"
                    </button>
                </div>
                {cancel_part}
                {content_part}
            </div>
        })}
    }
}

/// Focuses the element with `id` once the current render has reached the page.
fn focus_later(id: &'static str) {
    request_animation_frame(move || focus_element(|d| d.get_element_by_id(id)));
}

fn focus_element(find: impl FnOnce(&web_sys::Document) -> Option<web_sys::Element>) {
    let el = document()
        .and_then(|d| find(&d))
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(el) = el {
        let _ = el.focus();
    }
}

/// Moves focus back to the table row of `id`, when it is on screen.
fn focus_row(id: &str) {
    // The id goes into a CSS selector: only plain ids (the API's are hex) are looked up.
    if id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        let selector = format!("table.requests tr[data-id=\"{id}\"]");
        focus_element(|d| d.query_selector(&selector).ok().flatten());
    }
}

/// A status message inside the panel (the page's one alert is the banner): a CSS class, a
/// headline and lines of text.
struct Notice(&'static str, String, Vec<String>);

impl Notice {
    fn loading(what: &str) -> Self {
        Notice("detail-loading", what.to_owned(), Vec::new())
    }

    /// An [`ApiError`]: what failed, the API's title and detail, and what to do.
    fn error(what: &str, e: &ApiError) -> Self {
        let status = e
            .status()
            .map(|s| format!(" (HTTP {s})"))
            .unwrap_or_default();
        let title = if e.status() == Some(404) {
            format!("Request not found{status}")
        } else {
            format!("{}{status}", e.title())
        };
        let lines = [
            Some(what.to_owned()),
            Some(e.title()),
            e.detail(),
            Some(e.advice().to_owned()),
        ]
        .into_iter()
        .flatten()
        .filter(|l| !l.is_empty())
        .collect();
        Notice("detail-error", title, lines)
    }

    fn view(self) -> impl IntoView {
        let Notice(class, title, lines) = self;
        view! {
            <div class=class role="status">
                <p><strong>{title}</strong></p>
                {lines.into_iter().map(|l| view! { <p>{l}</p> }).collect_view()}
            </div>
        }
    }
}

fn when(t: Option<DateTime<Utc>>, offset: i32, zone: &str) -> String {
    t.map_or_else(String::new, |t| {
        format!("{} {zone}", local_datetime(t, offset))
    })
}

/// Everything the list row has, then what the detail call returned (or why not).
fn content_view(
    r: HitlRequest,
    fetched: Option<Result<Arc<RequestDetail>, ApiError>>,
    names: &Names,
    offset: i32,
) -> impl IntoView {
    let zone = &zone_label(offset);
    let d = fetched.as_ref().and_then(|f| f.as_ref().ok());
    let response = ResponseValue::interpret(&r.response_type, r.response_data.as_ref());
    // `response_by` is a user id: its email from who was notified, else from loaded loops.
    let reviewer = r.response_by.as_ref().map(|uid| {
        let email = d
            .and_then(|d| d.broadcasted_to.iter().find(|b| b.user_id == *uid))
            .map(|b| b.email.clone())
            .or_else(|| names.users.get(uid).cloned());
        match email {
            Some(e) if !e.is_empty() => format!("{e} ({uid})"),
            _ => uid.clone(),
        }
    });
    let loop_text = match names.loops.get(&r.loop_id) {
        Some(name) => format!("{name} ({})", r.loop_id),
        None => r.loop_id.clone(),
    };
    let mut fields = vec![
        Field("Response", "detail-response", response.display()),
        Field("Answered by", "", reviewer.unwrap_or_default()),
        Field("Answered at", "", when(r.response_at, offset, zone)),
        Field(
            "Response time",
            "",
            r.response_time_seconds
                .map(format_duration)
                .unwrap_or_default(),
        ),
        Field("Created", "", when(r.created_at, offset, zone)),
        Field("Updated", "", when(r.updated_at, offset, zone)),
        Field("Timeout", "", when(r.timeout_at, offset, zone)),
        Field("Type", "", r.content_type.label().to_owned()),
        Field("Processing", "", r.processing_type.label().to_owned()),
        Field("Response type", "", r.response_type.label().to_owned()),
        Field("Loop", "v-mono", loop_text),
    ];
    let mut image = None;
    if let Some(d) = d {
        let json = |v: &Option<serde_json::Value>| match v {
            Some(v) if !v.is_null() => serde_json::to_string_pretty(v).unwrap_or_default(),
            _ => String::new(),
        };
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let default = ResponseValue::interpret(&r.response_type, d.default_response.as_ref());
        let platform = [text(&d.platform), text(&d.platform_version)].join(" ");
        fields.extend([
            Field("Default response", "", default.display()),
            Field("Response config", "v-json", json(&d.response_config)),
            Field("Context", "v-json", json(&d.context)),
            Field("Platform", "", platform.trim().to_owned()),
            Field("Callback URL", "v-mono", text(&d.callback_url)),
            Field("Created by", "v-mono", text(&d.creator_id)),
            Field("API key id", "v-mono", text(&d.api_key_id)),
            Field("Broadcast at", "", when(d.broadcasted_at, offset, zone)),
        ]);
        // Only https images are loaded; any other URL is shown as text, never fetched.
        match d.image_url.clone().filter(|u| !u.is_empty()) {
            Some(u) if u.starts_with("https://") => image = Some(u),
            Some(u) => fields.push(Field("Image URL (not https, not shown)", "v-mono", u)),
            None => {}
        }
    }
    let broadcasts = d.map(|d| d.broadcasted_to.clone());
    let status_line = match &fetched {
        None => Some(Notice::loading("Loading details…")),
        Some(Err(e)) => Some(Notice::error("Could not load the request's details", e)),
        Some(Ok(_)) => None,
    };
    view! {
        <div class="detail-badges">
            <span class="badge" data-status=r.status.as_str().to_owned()>{r.status.label().to_owned()}</span>
            <span class="badge" data-priority=r.priority.as_str().to_owned()>{r.priority.label().to_owned()}</span>
            <span class="detail-meaning">{r.status.meaning()}</span>
        </div>
        <h3>"Request"</h3>
        <div class="detail-text">{markdown_view(&r.request_text)}</div>
        {image.map(|src| view! {
            <img class="detail-image" src=src alt="Image attached to the request" loading="lazy"
                referrerpolicy="no-referrer"/>
        })}
        <dl class="detail-fields">
            {fields.into_iter().map(|Field(label, class, text)| {
                let text = if text.is_empty() { "—".to_owned() } else { text };
                view! { <dt>{label}</dt><dd class=class>{text}</dd> }
            }).collect_view()}
        </dl>
        {status_line.map(Notice::view)}
        {broadcasts.map(|list| view! {
            <h3>"Notified reviewers"</h3>
            <table class="detail-broadcast">
                <thead>
                    <tr>
                        <th scope="col">"Email"</th>
                        <th scope="col">"Role"</th>
                        <th scope="col">"Notified"</th>
                        <th scope="col">"Notification error"</th>
                    </tr>
                </thead>
                <tbody>
                    {list.into_iter().map(|b| view! {
                        <tr data-sent=b.notification_sent.to_string()>
                            <td class="b-email">{b.email}</td>
                            <td class="b-role">{b.role}</td>
                            <td class="b-sent">{if b.notification_sent { "yes" } else { "no" }}</td>
                            <td class="b-error">{b.notification_error.unwrap_or_default()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        })}
    }
}

/// request_text as elements and text nodes.
fn markdown_view(text: &str) -> impl IntoView {
    markdown::parse(text)
        .into_iter()
        .map(block_view)
        .collect_view()
}

fn block_view(b: Block) -> AnyView {
    match b {
        Block::Paragraph(items) => view! { <p>{inlines_view(items)}</p> }.into_any(),
        Block::Code { text, .. } => view! { <pre><code>{text}</code></pre> }.into_any(),
        Block::List { ordered, items } => {
            let items = items
                .into_iter()
                .map(|i| {
                    view! {
                        <li value=i.number.map(|n| n.to_string())>{inlines_view(i.content)}</li>
                    }
                })
                .collect_view();
            if ordered {
                view! { <ol>{items}</ol> }.into_any()
            } else {
                view! { <ul>{items}</ul> }.into_any()
            }
        }
    }
}

fn inlines_view(items: Vec<Inline>) -> Vec<AnyView> {
    items.into_iter().map(inline_view).collect()
}

fn inline_view(i: Inline) -> AnyView {
    match i {
        Inline::Text(t) => t.into_any(),
        Inline::Break => view! { <br/> }.into_any(),
        Inline::Bold(c) => view! { <strong>{inlines_view(c)}</strong> }.into_any(),
        Inline::Italic(c) => view! { <em>{inlines_view(c)}</em> }.into_any(),
        Inline::Code(t) => view! { <code>{t}</code> }.into_any(),
        // `href` is http(s) only (hitl_core::markdown::safe_href).
        Inline::Link { href, content } => view! {
            <a href=href rel="noopener noreferrer" target="_blank">{inlines_view(content)}</a>
        }
        .into_any(),
    }
}

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
//! content — fields, markdown, notices, the reviewers' table — is built with the plain DOM
//! builder (`components::dom`), text nodes only, and rebuilt as a whole when it changes.

use std::sync::Arc;

use crate::components::overview::charts::num;
use chrono::{DateTime, Utc};
use hitl_core::format::{format_duration, one_line, stamp};
use hitl_core::markdown::{self, Block, Inline};
use hitl_core::response::ResponseValue;
use hitl_core::{ApiError, HitlRequest, RequestDetail, Status};
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Element;

use crate::browser::{document, now_ms, ShownZone};
use crate::components::dom::{self, el, el_text, fill};
use crate::components::preferences::TimeDisplay;
use crate::components::shortcuts::in_field;
use crate::state::{Dashboard, Loops, Names};
use crate::url::HistoryMode;

/// The URL parameter that names the open request.
/// The address-bar parameter naming the open request.
pub const PARAM: &str = "request";
/// Element ids the panel moves focus to.
pub(crate) const TITLE_ID: &str = "detail-title";
const CANCEL_ID: &str = "detail-cancel";
const KEEP_ID: &str = "detail-keep";

/// Where a cancellation stands.
#[derive(Clone, Debug, PartialEq)]
enum Cancel {
    InFlight,
    /// `Ok` holds the server's message (empty when it sent none) and whether its answer could
    /// not be read ([`hitl_core::cancel::Cancelled::unreadable`]).
    Done(Result<(String, bool), ApiError>),
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
    let retry = RwSignal::new(0u32);
    let detail = LocalResource::new(move || {
        let id = open_id.get();
        let source = conn.source.get();
        let generation = conn.generation.get_untracked();
        dash.refresh.track();
        retry.track();
        async move {
            let id = id?;
            let answer = source.request(&id).await;
            Some((id, generation, answer))
        }
    });
    // A detail refused for the quota loads by itself when the quota resets.
    dash.retry_after_pause(retry, move || {
        detail.with(|d| matches!(d, Some(Some((_, _, Err(e)))) if e.is_quota()))
    });
    // The detail answer for the open request from the current source; `None` while it loads
    // (the resource keeps the previous answer until the next one arrives, and a request of
    // the demo data must not show, or be cancelled, as the live API's).
    let fetched = move || -> Option<Result<Arc<RequestDetail>, ApiError>> {
        let id = open_id.get()?;
        let generation = conn.generation.get();
        detail.with(|d| match d {
            Some(Some((for_id, g, answer)))
                if *for_id == id
                    && *g == generation
                    && !matches!(answer, Err(ApiError::Aborted)) =>
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
        let before = summary.get_untracked().filter(|r| r.id == id);
        leptos::task::spawn_local(async move {
            // DELETE: never retried, never aborted by closing the panel.
            let result = source.cancel(&id).await;
            if let Ok(done) = &result {
                // The request as the server returned it; the API does not document the body,
                // so without one it is the request as shown, now cancelled.
                let after = done
                    .request
                    .as_ref()
                    .map(|d| d.request.clone())
                    .filter(|r| r.id == id && r.status == Status::Cancelled)
                    .or_else(|| {
                        before.clone().map(|mut r| {
                            r.status = Status::Cancelled;
                            r.updated_at = DateTime::from_timestamp_millis(now_ms() as i64);
                            r
                        })
                    });
                // The table row turns Cancelled and the status cards move it, at once,
                // without another call.
                if let Some(after) = after {
                    dash.record_change(before, after);
                }
                confirming.set(None);
                focus_later(TITLE_ID);
            }
            let result = result.map(|done| (done.msg, done.unreadable));
            cancel_state.set(Some((id, Cancel::Done(result))));
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
        // Esc in a form field is the field's (the Loop ID box clears itself).
        if ev.key() != "Escape" || ev.default_prevented() || open.is_none() || in_field(&ev) {
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
            .map(|(_, s)| s)
            // A refusal for the quota is over when the quota is back: Cancel is offered again.
            .filter(|s| !matches!(s, Cancel::Done(Err(e)) if e.is_quota() && !dash.paused.get()));
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
            Some(Cancel::Done(Ok((_, true)))) => Some(Notice(
                "detail-done",
                "Cancel accepted, but the API's answer could not be read.".to_owned(),
                vec![
                    "It answered with success, so the request is shown as cancelled.".to_owned(),
                    "Refresh shows its status as the API has it.".to_owned(),
                ],
            )),
            Some(Cancel::Done(Ok((msg, false)))) => Some(Notice(
                "detail-done",
                "Request cancelled.".to_owned(),
                // The server's own words, when it sent any.
                (!msg.trim().is_empty())
                    .then(|| format!("The API said: “{}”", msg.trim()))
                    .into_iter()
                    .collect(),
            )),
            Some(Cancel::Done(Err(e))) => {
                let (what, advice) = e.cancel_failure();
                Some(Notice::error(what, &e, advice))
            }
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

    // The content is rebuilt as a whole whenever what it shows changes, with the plain DOM
    // builder: a long field list, markdown and tables in `view!` cost tens of KB of wasm.
    let body = NodeRef::<html::Div>::new();
    fill(body, move |body| {
        let fetched = fetched();
        let names = loops.map(|l| l.names.get()).unwrap_or_default();
        // Local time or UTC, as the user chose (tracked: the panel follows the toggle).
        let zone = time.map_or(ShownZone::Local, |t| t.zone());
        match summary.get() {
            Some(r) => content(body, r, fetched, &names, zone),
            // Nothing to show yet but what the call says.
            None => match fetched {
                Some(Err(e)) if e.status() == Some(404) && conn.is_demo() => Notice(
                    "detail-error",
                    "Request not found".to_owned(),
                    vec![
                        "The demo data has no request with this id.".to_owned(),
                        "Its requests are the ones in the table; connect a key to open your own."
                            .to_owned(),
                    ],
                ),
                Some(Err(e)) => Notice::error("Could not load the request", &e, e.advice()),
                _ => Notice::loading("Loading request…"),
            }
            .build(body),
        }
    });

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
                <div class="detail-body" node_ref=body></div>
            </div>
        })}
    }
}

/// Focuses the element with `id` once the current render has reached the page.
pub(crate) fn focus_later(id: &'static str) {
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
        focus_element(|d| {
            let row = d.query_selector(&selector).ok().flatten()?;
            crate::components::table::take_tab_stop(&row);
            Some(row)
        });
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
    fn error(what: &str, e: &ApiError, advice: &str) -> Self {
        let status = e
            .status()
            .map(|s| format!(" (HTTP {s})"))
            .unwrap_or_default();
        let title = if e.status() == Some(404) {
            format!("Request not found{status}")
        } else {
            format!("{}{status}", e.title())
        };
        // The API's own title only when the headline does not already say it.
        let api_title = Some(e.title()).filter(|t| !title.starts_with(t.as_str()));
        let lines = [
            Some(what.to_owned()),
            api_title,
            e.detail(),
            Some(advice.to_owned()),
        ]
        .into_iter()
        .flatten()
        .filter(|l| !l.is_empty())
        .collect();
        Notice("detail-error", title, lines)
    }

    /// Appends the notice: `<div class=… role=…><p><strong>headline</strong></p>
    /// <p>line</p>…</div>`.
    fn build(&self, parent: &Element) {
        let div = el(parent, "div", &[("class", self.0), ("role", self.role())]);
        self.lines(&div);
    }

    /// An error interrupts a screen reader (`alert`); progress and outcomes wait (`status`).
    fn role(&self) -> &'static str {
        if self.0 == "detail-error" {
            "alert"
        } else {
            "status"
        }
    }

    fn lines(&self, div: &Element) {
        let Notice(_, title, lines) = self;
        el_text(&el(div, "p", &[]), "strong", &[], title);
        for l in lines {
            el_text(div, "p", &[], l);
        }
    }

    /// The notice as a view, filled by the same code as [`Notice::build`].
    fn view(self) -> impl IntoView {
        let host = NodeRef::<html::Div>::new();
        let (class, role) = (self.0, self.role());
        fill(host, move |div| self.lines(div));
        view! { <div class=class role=role node_ref=host></div> }
    }
}

fn when(t: Option<DateTime<Utc>>, zone: ShownZone) -> String {
    t.map_or_else(String::new, |t| stamp(t, &zone))
}

/// Appends everything the list row has, then what the detail call returned (or why not).
fn content(
    body: &Element,
    r: HitlRequest,
    fetched: Option<Result<Arc<RequestDetail>, ApiError>>,
    names: &Names,
    zone: ShownZone,
) {
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
        Field("Answered at", "", when(r.response_at, zone)),
        Field(
            "Response time",
            "",
            r.response_time_seconds
                .map(|t| format!("{} ({} s)", format_duration(t), num(t)))
                .unwrap_or_default(),
        ),
        Field("Created", "", when(r.created_at, zone)),
        Field("Updated", "", when(r.updated_at, zone)),
        Field("Timeout", "", when(r.timeout_at, zone)),
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
            Field("Broadcast at", "", when(d.broadcasted_at, zone)),
        ]);
        // Only https images are loaded; any other URL is shown as text, never fetched.
        match d.image_url.clone().filter(|u| !u.is_empty()) {
            Some(u) if u.starts_with("https://") => image = Some(u),
            Some(u) => fields.push(Field("Image URL (not https, not shown)", "v-mono", u)),
            None => {}
        }
    }

    let badges = el(body, "div", &[("class", "detail-badges")]);
    dom::status_badge(&badges, &r.status);
    dom::priority_badge(&badges, &r.priority);
    el_text(
        &badges,
        "span",
        &[("class", "detail-meaning")],
        r.status.meaning(),
    );
    el_text(body, "h3", &[], "Request");
    let text = el(body, "div", &[("class", "detail-text")]);
    for b in markdown::parse(&r.request_text) {
        block(&text, b);
    }
    if let Some(src) = image {
        // `loading` and `referrerpolicy` before `src`, so they apply to the one fetch.
        el(
            body,
            "img",
            &[
                ("class", "detail-image"),
                ("alt", "Image attached to the request"),
                ("loading", "lazy"),
                ("referrerpolicy", "no-referrer"),
                ("src", &src),
            ],
        );
    }
    let dl = el(body, "dl", &[("class", "detail-fields")]);
    for Field(label, class, text) in &fields {
        el_text(&dl, "dt", &[], label);
        let text = if text.is_empty() { "—" } else { text };
        let attrs: &[(&str, &str)] = if class.is_empty() {
            &[]
        } else {
            &[("class", class)]
        };
        el_text(&dl, "dd", attrs, text);
    }
    match &fetched {
        None => Notice::loading("Loading details…").build(body),
        Some(Err(e)) => {
            Notice::error("Could not load the request's details", e, e.advice()).build(body)
        }
        Some(Ok(_)) => {}
    }
    if let Some(d) = d {
        broadcasts(body, d);
    }
}

/// Who was notified: `<h3>` and a table, one row per reviewer.
fn broadcasts(body: &Element, d: &RequestDetail) {
    el_text(body, "h3", &[], "Notified reviewers");
    let table = el(body, "table", &[("class", "detail-broadcast")]);
    let head = el(&el(&table, "thead", &[]), "tr", &[]);
    for label in ["Email", "Role", "Notified", "Notification error"] {
        el_text(&head, "th", &[("scope", "col")], label);
    }
    let tbody = el(&table, "tbody", &[]);
    for b in &d.broadcasted_to {
        let sent = if b.notification_sent { "true" } else { "false" };
        let tr = el(&tbody, "tr", &[("data-sent", sent)]);
        el_text(&tr, "td", &[("class", "b-email")], &b.email);
        el_text(&tr, "td", &[("class", "b-role")], &b.role);
        el_text(
            &tr,
            "td",
            &[("class", "b-sent")],
            if b.notification_sent { "yes" } else { "no" },
        );
        let error = b.notification_error.as_deref().unwrap_or_default();
        el_text(&tr, "td", &[("class", "b-error")], error);
    }
}

/// One markdown block as elements and text nodes.
fn block(parent: &Element, b: Block) {
    match b {
        Block::Paragraph(items) => inlines(&el(parent, "p", &[]), items),
        Block::Code { text, .. } => {
            el_text(&el(parent, "pre", &[]), "code", &[], &text);
        }
        Block::List { ordered, items } => {
            let list = el(parent, if ordered { "ol" } else { "ul" }, &[]);
            for i in items {
                let li = el(&list, "li", &[]);
                if let Some(n) = i.number {
                    let _ = li.set_attribute("value", &n.to_string());
                }
                inlines(&li, i.content);
            }
        }
    }
}

fn inlines(parent: &Element, items: Vec<Inline>) {
    for i in items {
        match i {
            Inline::Text(t) => dom::text(parent, &t),
            Inline::Break => {
                el(parent, "br", &[]);
            }
            Inline::Bold(c) => inlines(&el(parent, "strong", &[]), c),
            Inline::Italic(c) => inlines(&el(parent, "em", &[]), c),
            Inline::Code(t) => {
                el_text(parent, "code", &[], &t);
            }
            // `href` is http(s) only (hitl_core::markdown::safe_href).
            Inline::Link { href, content } => inlines(
                &el(
                    parent,
                    "a",
                    &[
                        ("href", &href),
                        ("rel", "noopener noreferrer"),
                        ("target", "_blank"),
                    ],
                ),
                content,
            ),
        }
    }
}

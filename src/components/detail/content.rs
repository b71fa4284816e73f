//! The panel's content, built with the DOM builder and rebuilt as a whole when it changes:
//! what the list row has, then what the detail call returned (or why not), and notices.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use hitl_core::format::{format_duration, one_decimal, stamp};
use hitl_core::markdown;
use hitl_core::response::ResponseValue;
use hitl_core::{ApiError, HitlRequest, RequestDetail};
use leptos::html;
use leptos::prelude::*;
use web_sys::Element;

use super::markdown::block;
use crate::browser::time::ShownZone;
use crate::components::dom::{self, el, el_text, fill};
use crate::state::Names;

/// One row of the panel's definition list: label, CSS class of the value, text.
struct Field(&'static str, &'static str, String);

/// A status message inside the panel (the page's one alert is the banner): a CSS class, a
/// headline and lines of text.
pub(crate) struct Notice(pub &'static str, pub String, pub Vec<String>);

impl Notice {
    pub(crate) fn loading(what: &str) -> Self {
        Notice("detail-loading", what.to_owned(), Vec::new())
    }

    /// An [`ApiError`]: what failed, the API's title and detail, and what to do.
    pub(crate) fn error(what: &str, e: &ApiError, advice: &str) -> Self {
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
    pub(crate) fn build(&self, parent: &Element) {
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
    pub(crate) fn view(self) -> impl IntoView {
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
pub(crate) fn content(
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
                .map(|t| format!("{} ({} s)", format_duration(t), one_decimal(t)))
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

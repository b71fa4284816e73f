//! The request detail panel (`?request=<id>`): a side drawer that shows at once what the list
//! row already has, then — with one `GET /v1/api/requests/{id}`, cached by URL so re-opening
//! is free — context, configuration, platform, and who was notified; a pending request can be
//! cancelled after an inline confirmation ([`cancel`]).
//!
//! Untrusted text (request_text, response_data, context, emails, errors) only ever becomes text
//! nodes. request_text is Markdown: `hitl_core::markdown` parses it to an AST that is rendered
//! as elements and text, never as HTML ([`markdown`]).
//!
//! The panel has two reactive parts (cancel, content) over one memo; the content is render-once
//! DOM ([`content`]), rebuilt as a whole when it changes.

mod cancel;
mod content;
mod markdown;

use std::sync::Arc;

use hitl_core::{ApiError, HitlRequest, RequestDetail};
use leptos::html;
use leptos::prelude::*;

use self::cancel::{Cancelling, CANCEL_ID};
use self::content::{content, Notice};
use crate::browser::focus::{focus_later, focus_row, in_field, DETAIL_TITLE};
use crate::browser::time::ShownZone;
use crate::browser::url::{HistoryMode, REQUEST_PARAM};
use crate::components::dom::fill;
use crate::state::{Dashboard, Loops, SourceBound, TimeDisplay};

/// Shows the request named by the URL's `request` parameter, if any.
#[component]
pub(crate) fn DetailPanel() -> impl IntoView {
    let dash = expect_context::<Dashboard>();
    let loops = use_context::<Loops>();
    let url = dash.url;
    let conn = dash.conn;
    let time = use_context::<TimeDisplay>();

    // Only the `request` parameter: a filter edit must not re-run the detail load.
    let open_id = Memo::new(move |_| url.param(REQUEST_PARAM));
    // One call per request; the client answers a re-open from its cache. Refresh reloads it,
    // and a detail refused for the quota loads by itself when the quota resets.
    let detail = SourceBound::new(
        dash.binding(),
        move || open_id.get(),
        |source, _, id: String| async move { source.request(&id).await },
    );
    // The detail answer for the open request from the current source; `None` while it loads.
    let fetched = move || -> Option<Result<Arc<RequestDetail>, ApiError>> {
        let id = open_id.get()?;
        detail.with_current(|d| d.filter(|d| d.asked == id).map(|d| d.answer.clone()))
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

    let cancelling = Cancelling::new();
    let confirming = cancelling.confirming;
    let close = move || {
        let id = open_id.get_untracked();
        confirming.set(None);
        url.set_param(REQUEST_PARAM, None, HistoryMode::Replace);
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
            focus_later(DETAIL_TITLE);
        }
    });

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
                // An id no URL path can carry, refused before any call.
                Some(Err(e @ ApiError::Invalid(_))) => Notice::error(
                    "Could not load the request",
                    &e,
                    "Open a request from the table, or check the link.",
                ),
                Some(Err(e)) => Notice::error("Could not load the request", &e, e.advice()),
                _ => Notice::loading("Loading request…"),
            }
            .build(body),
        }
    });

    view! {
        {move || open_id.get().map(|id| view! {
            <div class="detail" role="dialog" aria-modal="false" aria-labelledby=DETAIL_TITLE>
                <div class="detail-head">
                    <h2 id=DETAIL_TITLE tabindex="-1">"Request " <code>{id}</code></h2>
                    <button type="button" title="Close the details (Esc)" on:click=move |_| close()>
                        "Close"
                    </button>
                </div>
                {cancelling.view(dash, summary)}
                <div class="detail-body" node_ref=body></div>
            </div>
        })}
    }
}

//! The seed dashboard's two panels, "Urgent pending" and "Recent completions", behind a
//! disclosure: they cost 3 calls, so they never load on first view; afterwards the answers are
//! cached for a minute like every list call. When a loaded set already holds every request
//! they ask about (Analyze all matching or an export without status or priority filter), they
//! are answered from it with the API's own query rules, at no cost.

use std::cell::RefCell;
use std::rc::Rc;

use chrono::{DateTime, Utc};
use hitl_core::format::{count, format_duration, one_line, relative};
use hitl_core::overview::{merge_urgent, recent_query, urgent_queries, Panels as Lists};
use hitl_core::response::ResponseValue;
use hitl_core::{ApiError, HitlRequest, RequestQuery, Status};
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Element;

use crate::browser::clock::Clock;
use crate::browser::url::{HistoryMode, UrlState, REQUEST_PARAM};
use crate::components::dom::{self, el, el_text, fill};
use crate::state::pages_resource;
use crate::state::Dashboard;

/// The disclosure and, once opened, the two lists.
pub(super) fn panels(dash: Dashboard) -> impl IntoView {
    let open = RwSignal::new(false);
    // The panels follow the loop filter; status and priority are their own.
    let scope = Memo::new(move |_| {
        dash.query.with(|q| RequestQuery {
            loop_id: q.as_ref().ok().and_then(|q| q.loop_id.clone()),
            ..RequestQuery::default()
        })
    });
    let all = dash.all;
    let covered = Memo::new(move |_| scope.with(|s| all.covers(s)));
    let fetched = pages_resource(
        dash,
        move || {
            let wanted = open.get() && !covered.get();
            let loop_id = scope.with(|s| s.loop_id.clone());
            wanted.then(|| {
                let [high, critical] = urgent_queries(loop_id.as_deref());
                let queries = vec![high, critical, recent_query(loop_id.as_deref())];
                (queries, None)
            })
        },
        false,
    );
    let cost = move || match dash.conn.source.with(|s| s.cost(3)) {
        0 => {
            let why = dash
                .conn
                .source
                .with(|s| s.free_because().unwrap_or("demo data"));
            format!("0 calls ({why})")
        }
        _ if covered.get() => "0 calls (from the loaded set)".to_owned(),
        n => format!("{}, cached for a minute", count(n, "call", "calls")),
    };
    let lists = move || -> Option<Result<Lists, ApiError>> {
        if covered.get() {
            // With this session's changes, like the answers below.
            let rows = all.rows.with(|r| dash.with_updates_arc(r));
            let loop_id = scope.with(|s| s.loop_id.clone());
            return Some(Ok(Lists::from_rows(&rows, loop_id.as_deref())));
        }
        fetched.with_current(|f| {
            f.map(|f| {
                f.answer.as_ref().map_err(Clone::clone).map(|pages| {
                    // Shown with this session's changes: a request cancelled here leaves
                    // "Urgent pending" at once, without another call.
                    let mut urgent = dash
                        .with_updates(&merge_urgent(&pages[0].1.requests, &pages[1].1.requests));
                    urgent.retain(|r| r.status == Status::Pending);
                    Lists {
                        urgent,
                        recent: dash.with_updates(&pages[2].1.requests),
                    }
                })
            })
        })
    };
    let where_ = move || {
        scope.with(|s| match &s.loop_id {
            Some(l) => format!("In loop {l}"),
            None => "Across all loops".to_owned(),
        })
    };
    // The lists are rebuilt as a whole when their answer changes, with the plain DOM builder
    // (size: see `dom`). Their relative times follow the clock without a rebuild, and one
    // click handler on the body opens whichever request's link was clicked.
    let clock = expect_context::<Clock>();
    let url = expect_context::<UrlState>();
    let times: Times = Rc::new(RefCell::new(Vec::new()));
    let body = NodeRef::<html::Div>::new();
    fill(body, {
        let times = times.clone();
        move |body| {
            times.borrow_mut().clear();
            if !open.get() {
                return;
            }
            let answer = lists();
            let p = el(body, "p", &[("class", "muted")]);
            dom::text(&p, &where_());
            if answer.is_none() {
                dom::text(&p, " Loading…");
            }
            let p = el(body, "p", &[("class", "card-error")]);
            match answer {
                Some(Ok(l)) => {
                    let pair = el(body, "div", &[("class", "panel-pair")]);
                    let now = clock.0.get_untracked();
                    let mut times = times.borrow_mut();
                    list(&pair, URGENT, l.urgent, false, now, &mut times);
                    list(&pair, RECENT, l.recent, true, now, &mut times);
                }
                Some(Err(ApiError::Aborted)) | None => {}
                Some(Err(e)) => dom::text(&p, &format!("Panels unavailable: {}", e.title())),
            }
        }
    });
    Effect::new(move |_| {
        let now = clock.instant();
        for (el, t) in times.borrow().iter() {
            el.set_text_content(Some(&relative(*t, now)));
        }
    });
    let open_clicked = move |ev: leptos::ev::MouseEvent| {
        let link = ev
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|t| t.closest("button[data-request]").ok().flatten());
        if let Some(id) = link.and_then(|b| b.get_attribute("data-request")) {
            url.set_param(REQUEST_PARAM, Some(&id), HistoryMode::Push);
        }
    };

    view! {
        <div class="panels">
            <button type="button" class="disclosure" aria-expanded=move || open.get().to_string()
                aria-controls="panels-body" on:click=move |_| open.update(|o| *o = !*o)>
                "Urgent pending and recent completions"
                <span class="cost">{cost}</span>
            </button>
            <div id="panels-body" class="panels-body" hidden=move || !open.get()
                node_ref=body on:click=open_clicked></div>
        </div>
    }
}

/// The lists' relative times: each element and the moment it shows.
type Times = Rc<RefCell<Vec<(Element, DateTime<Utc>)>>>;

/// A list's title, note and empty text.
type Heading = (&'static str, &'static str, &'static str);
const URGENT: Heading = (
    "Urgent pending",
    "pending, high and critical, oldest first",
    "No urgent pending requests.",
);
const RECENT: Heading = (
    "Recent completions",
    "the last 10 completed",
    "No completed requests.",
);

/// Appends one list; its relative times (as of `now_ms`) go into `times`.
fn list(
    parent: &Element,
    (title, note, empty): Heading,
    rows: Vec<HitlRequest>,
    completed: bool,
    now_ms: f64,
    times: &mut Vec<(Element, DateTime<Utc>)>,
) {
    let now = DateTime::from_timestamp_millis(now_ms as i64).unwrap_or_default();
    let div = el(parent, "div", &[("class", "mini-list")]);
    let h3 = el_text(&div, "h3", &[], title);
    el_text(&h3, "span", &[("class", "muted")], &format!(" — {note}"));
    el_text(
        &div,
        "p",
        &[("class", "muted")],
        if rows.is_empty() { empty } else { "" },
    );
    let ol = el(&div, "ol", &[]);
    for r in rows {
        let li = el(&ol, "li", &[]);
        dom::priority_badge(&li, &r.priority);
        el_text(
            &li,
            "button",
            &[
                ("type", "button"),
                ("class", "link"),
                ("title", &r.request_text),
                ("data-request", &r.id),
            ],
            &one_line(&r.request_text, 70),
        );
        let meta = el(&li, "span", &[("class", "muted")]);
        if let Some(t) = r.created_at {
            times.push((
                el_text(&meta, "span", &[("class", "when")], &relative(t, now)),
                t,
            ));
        }
        if completed {
            let answer = ResponseValue::interpret(&r.response_type, r.response_data.as_ref());
            let mut detail = format!(" · {}", one_line(&answer.display(), 40));
            if let Some(t) = r.response_time_seconds {
                detail.push_str(&format!(" · {}", format_duration(t)));
            }
            dom::text(&meta, &detail);
        }
    }
}

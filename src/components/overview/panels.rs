//! The seed dashboard's two panels, "Urgent pending" and "Recent completions", behind a
//! disclosure: they cost 3 calls, so they never load on first view; afterwards the answers are
//! cached for a minute like every list call. When a loaded set already holds every request
//! they ask about (Analyze all matching or an export without status or priority filter), they
//! are answered from it with the API's own query rules, at no cost.

use hitl_core::format::{format_duration, one_line, relative};
use hitl_core::overview::{merge_urgent, recent_query, urgent_queries, Panels as Lists};
use hitl_core::response::ResponseValue;
use hitl_core::{ApiError, HitlRequest, RequestQuery, Status};
use leptos::prelude::*;

use super::{calls_text, fetch_pages};
use crate::components::clock::Clock;
use crate::state::Dashboard;
use crate::url::{HistoryMode, UrlState};

/// The disclosure and, once opened, the two lists.
pub fn panels(dash: Dashboard) -> impl IntoView {
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
    let retry = RwSignal::new(0u32);
    let fetched = LocalResource::new(move || {
        let wanted = open.get() && !covered.get();
        let source = dash.conn.source.get();
        let loop_id = scope.with(|s| s.loop_id.clone());
        dash.refresh.track();
        retry.track();
        let queries = if wanted {
            let [high, critical] = urgent_queries(loop_id.as_deref());
            vec![high, critical, recent_query(loop_id.as_deref())]
        } else {
            Vec::new()
        };
        fetch_pages(source, queries)
    });
    dash.retry_after_pause(retry, move || {
        fetched.with(|f| matches!(f, Some(Some((_, Err(e)))) if e.is_quota()))
    });
    let cost = move || match dash.conn.source.with(|s| s.cost(3)) {
        0 => "0 calls (demo data)".to_owned(),
        _ if covered.get() => "0 calls (from the loaded set)".to_owned(),
        n => format!("{}, cached for a minute", calls_text(n)),
    };
    let lists = move || -> Option<Result<Lists, ApiError>> {
        if covered.get() {
            // With this session's changes, like the answers below.
            let rows = all.rows.with(|r| dash.with_updates_arc(r));
            let loop_id = scope.with(|s| s.loop_id.clone());
            return Some(Ok(Lists::from_rows(&rows, loop_id.as_deref())));
        }
        fetched.with(|f| {
            f.clone().flatten().map(|(_, answer)| {
                answer.map(|pages| {
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
    let body = move || {
        open.get().then(|| {
            let answer = lists();
            let loading = answer.is_none().then_some("Loading…");
            let (lists, error) = match answer {
                Some(Ok(l)) => (Some(l), None),
                Some(Err(ApiError::Aborted)) | None => (None, None),
                Some(Err(e)) => (None, Some(format!("Panels unavailable: {}", e.title()))),
            };
            view! {
                <div id="panels-body" class="panels-body">
                    <p class="muted">{where_} {loading}</p>
                    <p class="card-error">{error}</p>
                    {lists.map(|l| view! {
                        <div class="panel-pair">
                            {list("Urgent pending", "pending, high and critical, oldest first",
                                "No urgent pending requests.", l.urgent, false)}
                            {list("Recent completions", "the last 10 completed",
                                "No completed requests.", l.recent, true)}
                        </div>
                    })}
                </div>
            }
        })
    };

    view! {
        <div class="panels">
            <button type="button" class="disclosure" aria-expanded=move || open.get().to_string()
                aria-controls="panels-body" on:click=move |_| open.update(|o| *o = !*o)>
                "Urgent pending and recent completions"
                <span class="cost">{cost}</span>
            </button>
            {body}
        </div>
    }
}

fn list(
    title: &'static str,
    note: &'static str,
    empty: &'static str,
    rows: Vec<HitlRequest>,
    completed: bool,
) -> impl IntoView {
    let url = expect_context::<UrlState>();
    let clock = expect_context::<Clock>();
    let empty = rows.is_empty().then_some(empty);
    let items = rows
        .into_iter()
        .map(|r| {
            let id = r.id.clone();
            let created = r.created_at;
            let mut detail = String::new();
            if completed {
                let answer = ResponseValue::interpret(&r.response_type, r.response_data.as_ref());
                detail = format!(" · {}", one_line(&answer.display(), 40));
                if let Some(t) = r.response_time_seconds {
                    detail.push_str(&format!(" · {}", format_duration(t)));
                }
            }
            view! {
                <li>
                    <span class="badge" data-priority=r.priority.as_str().to_owned()>{r.priority.label().to_owned()}</span>
                    <button type="button" class="link" title=r.request_text.clone()
                        on:click=move |_| url.set_param("request", Some(&id), HistoryMode::Push)>
                        {one_line(&r.request_text, 70)}
                    </button>
                    <span class="muted">
                        {move || created.map(|t| relative(t, clock.instant())).unwrap_or_default()}
                        {detail}
                    </span>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="mini-list">
            <h3>{title} <span class="muted">" — " {note}</span></h3>
            <p class="muted">{empty}</p>
            <ol>{items}</ol>
        </div>
    }
}

//! The requests table: a real `<table>`, one `<tr>` per request. Untrusted text
//! (request_text, response_data) only ever becomes text nodes: Leptos escapes text children,
//! and nothing here sets inner HTML.

use std::sync::Arc;

use hitl_core::format::{format_duration, local_datetime, one_line, relative, zone_label};
use hitl_core::response::ResponseValue;
use hitl_core::{HitlRequest, Status};
use leptos::prelude::*;

use crate::browser::local_offset_minutes;
use crate::components::clock::Clock;

/// Characters of request text shown in the one-line cell.
const TEXT_CHARS: usize = 90;

/// The table of `rows`, in the given order.
#[component]
pub fn RequestsTable(
    /// The rows to show.
    #[prop(into)]
    rows: Signal<Arc<Vec<HitlRequest>>>,
) -> impl IntoView {
    let clock = expect_context::<Clock>();
    let offset = local_offset_minutes();
    let zone = zone_label(offset);
    let keyed = move || {
        rows.with(|rows| {
            rows.iter()
                .map(|r| {
                    // A changed row (e.g. cancelled) gets a new key and is rendered again.
                    let key = format!(
                        "{}:{}:{}",
                        r.id,
                        r.status,
                        r.updated_at
                            .map(|t| t.timestamp_millis())
                            .unwrap_or_default()
                    );
                    (key, r.clone())
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="table-wrap">
            <table class="requests">
                <caption class="visually-hidden">"Requests"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Created"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Priority"</th>
                        <th scope="col">"Type"</th>
                        <th scope="col">"Request"</th>
                        <th scope="col">"Response"</th>
                        <th scope="col">"Response time"</th>
                        <th scope="col">"Reviewer"</th>
                        <th scope="col">"Loop"</th>
                        <th scope="col">"Timeout"</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=keyed key=|(k, _)| k.clone() let:item>
                        <Row request=item.1 clock=clock offset=offset zone=zone.clone()/>
                    </For>
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn Row(request: HitlRequest, clock: Clock, offset: i32, zone: String) -> impl IntoView {
    let r = request;
    let created = r.created_at;
    let created_title = created
        .map(|t| format!("{} {zone}", local_datetime(t, offset)))
        .unwrap_or_default();
    let created_text = move || {
        created
            .map(|t| relative(t, clock.instant()))
            .unwrap_or_else(|| "—".to_owned())
    };
    let response = ResponseValue::interpret(&r.response_type, r.response_data.as_ref());
    let response_time = r
        .response_time_seconds
        .map(format_duration)
        .unwrap_or_default();
    let timeout_at = r.timeout_at;
    let pending = r.status == Status::Pending;
    let timeout_title = timeout_at
        .map(|t| format!("{} {zone}", local_datetime(t, offset)))
        .unwrap_or_default();
    let timeout_text = move || match (pending, timeout_at) {
        (true, Some(t)) => {
            let left = (t - clock.instant()).num_seconds();
            if left > 0 {
                format!("{} left", format_duration(left as f64))
            } else {
                "due".to_owned()
            }
        }
        (false, Some(t)) => local_datetime(t, offset),
        _ => "—".to_owned(),
    };
    let short = one_line(&r.request_text, TEXT_CHARS);
    let full = r.request_text.clone();
    view! {
        <tr data-id=r.id.clone() data-status=r.status.as_str().to_owned()>
            <td class="c-created">
                <time datetime=created.map(|t| t.to_rfc3339()).unwrap_or_default() title=created_title>
                    {created_text}
                </time>
            </td>
            <td class="c-status">
                <span class="badge" data-status=r.status.as_str().to_owned()>{r.status.label().to_owned()}</span>
            </td>
            <td class="c-priority">
                <span class="badge" data-priority=r.priority.as_str().to_owned()>{r.priority.label().to_owned()}</span>
            </td>
            <td class="c-type">{r.content_type.label().to_owned()}</td>
            <td class="c-text" title=full>{short}</td>
            <td class="c-response" data-kind=response.kind()>{response.display()}</td>
            <td class="c-rt">{response_time}</td>
            <td class="c-reviewer">{r.response_by.clone().unwrap_or_default()}</td>
            <td class="c-loop"><code>{r.loop_id.clone()}</code></td>
            <td class="c-timeout" title=timeout_title>{timeout_text}</td>
        </tr>
    }
}

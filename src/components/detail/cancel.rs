//! Cancelling the open request: a button, an inline confirmation, then one DELETE (never
//! retried, never aborted by closing the panel), and the outcome in the API's words.

use chrono::DateTime;
use hitl_core::format::one_line;
use hitl_core::markdown;
use hitl_core::{ApiError, HitlRequest, Status};
use leptos::prelude::*;

use super::content::Notice;
use crate::browser::focus::{focus_later, DETAIL_TITLE};
use crate::browser::time::now_ms;
use crate::state::Dashboard;

/// Element ids the panel moves focus to.
pub(crate) const CANCEL_ID: &str = "detail-cancel";
const KEEP_ID: &str = "detail-keep";

/// Where a cancellation stands.
#[derive(Clone, Debug, PartialEq)]
enum Cancel {
    InFlight,
    /// `Ok` holds the server's message (empty when it sent none) and whether its answer could
    /// not be read ([`hitl_core::cancel::Cancelled::unreadable`]).
    Done(Result<(String, bool), ApiError>),
}

/// The cancel flow: which request's cancellation is being confirmed (so another request never
/// inherits it) and where the last cancellation stands.
#[derive(Clone, Copy)]
pub(crate) struct Cancelling {
    pub confirming: RwSignal<Option<String>>,
    state: RwSignal<Option<(String, Cancel)>>,
}

impl Cancelling {
    pub(crate) fn new() -> Self {
        Cancelling {
            confirming: RwSignal::new(None),
            state: RwSignal::new(None),
        }
    }

    /// Sends the cancel of `id`; on success every view shows the request cancelled at once.
    fn send(self, dash: Dashboard, summary: Memo<Option<HitlRequest>>, id: String) {
        if matches!(self.state.get_untracked(), Some((_, Cancel::InFlight))) {
            return;
        }
        self.state.set(Some((id.clone(), Cancel::InFlight)));
        let source = dash.conn.source.get_untracked();
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
                self.confirming.set(None);
                focus_later(DETAIL_TITLE);
            }
            let result = result.map(|done| (done.msg, done.unreadable));
            self.state.set(Some((id, Cancel::Done(result))));
        });
    }

    /// The cancel section for the request in `summary`: the button while it is pending, the
    /// confirmation, and the outcome.
    pub(crate) fn view(self, dash: Dashboard, summary: Memo<Option<HitlRequest>>) -> impl IntoView {
        let this = self;
        move || {
            let (id, text, pending) = summary.with(|s| {
                s.as_ref().map(|r| {
                    (
                        r.id.clone(),
                        r.request_text.clone(),
                        r.status == Status::Pending,
                    )
                })
            })?;
            let state = this
                .state
                .get()
                .filter(|(for_id, _)| *for_id == id)
                .map(|(_, s)| s)
                // A refusal for the quota is over when the quota is back: Cancel is offered again.
                .filter(
                    |s| !matches!(s, Cancel::Done(Err(e)) if e.is_quota() && !dash.paused.get()),
                );
            if !pending && state.is_none() {
                return None;
            }
            let busy = state == Some(Cancel::InFlight);
            let asking = pending && this.confirming.get().as_ref() == Some(&id);
            let title = match dash.conn.source.with(|s| u64::from(!s.is_demo())) {
                0 => "Demo data: cancelling costs no API calls.".to_owned(),
                n => format!(
                    "Sends DELETE /v1/api/requests/{{id}}: costs {n} API call, not retried."
                ),
            };
            let words = one_line(&markdown::plain_text(&markdown::parse(&text)), 48);
            let question = format!("Cancel request {id} (“{words}”)? This cannot be undone.");
            let ask = {
                let id = id.clone();
                move |_| {
                    this.confirming.set(Some(id.clone()));
                    focus_later(KEEP_ID);
                }
            };
            let outcome = match state {
                Some(Cancel::Done(Ok((_, true)))) => Some(Notice(
                    "detail-done",
                    "Cancel accepted, but the API's answer could not be read.".to_owned(),
                    vec![
                        "It answered with success, so the request is shown as cancelled."
                            .to_owned(),
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
                                    on:click=move |_| this.send(dash, summary, id.clone())>
                                    {if busy { "Cancelling…" } else { "Yes, cancel it" }}
                                </button>
                                <button type="button" id=KEEP_ID disabled=busy on:click=move |_| {
                                    this.confirming.set(None);
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
        }
    }
}

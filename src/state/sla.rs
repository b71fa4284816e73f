//! The SLA watch's inputs: the pending requests known for the status cards' filters (priority
//! and loop), each in its latest state, and the API's pending total; and the watch itself,
//! recomputed every second of the clock.
//!
//! What it reads, cheapest first: a loaded set of every matching request (complete: exact), the
//! page on screen (when it holds every pending request, exact too), and the Pending card's call
//! (`status=pending&sort=created_at_asc&limit=100`, see `hitl_core::overview::sla_query`): the
//! 100 oldest pending requests and the pending total. That call is the card's own, shared in
//! flight or from the cache, so the watch costs no call of its own, except when the view's
//! status is Pending (the page gives that card) and its page does not hold them all: then it is
//! one call per load or refresh. Like the cards, it waits for the table's first page.

use std::sync::Arc;

use hitl_core::overview::{card_filters, page_holds_all, sla_query};
use hitl_core::sla::{latest_by_id, SlaWatch};
use hitl_core::{HitlRequest, RequestQuery, Status};
use leptos::prelude::*;

use super::dashboard::Dashboard;
use super::pages::{pages_resource, PagesResource};
use crate::browser::clock::Clock;

/// The pending requests the watch knows of.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Known {
    /// The pending and timed-out requests of the card filters seen in the answers, each in its
    /// latest state: the watch reads the pending ones, notifications the timed-out ones.
    pub rows: Vec<HitlRequest>,
    /// The API's count of pending requests for the filters, when known.
    pub pending_total: Option<u64>,
    /// True when `rows` holds every pending request (a complete set or page).
    pub complete: bool,
}

/// The SLA watch. Copy; provided as context.
#[derive(Clone, Copy)]
pub(crate) struct Sla {
    pub known: Memo<Arc<Known>>,
    /// The watch at the clock's second.
    pub watch: Memo<Arc<SlaWatch>>,
    /// The pending call the watch asks, when it asks one.
    asked: Memo<Option<RequestQuery>>,
    pending: PagesResource,
}

impl Sla {
    /// The watch for the view's card filters. Call once, at the root.
    pub(crate) fn new(dash: Dashboard, clock: Clock) -> Self {
        let all = dash.all;
        let filters = Memo::new(move |_| dash.query.with(|q| q.as_ref().ok().map(card_filters)));
        // A loaded set of every request of the filters holds every pending one.
        let covered =
            Memo::new(move |_| filters.with(|f| f.as_ref().is_some_and(|f| all.covers(f))));
        // The page on screen holds every pending request of the filters.
        let page_complete = Memo::new(move |_| {
            let f = filters.get()?;
            dash.shown.with(|s| {
                s.as_ref()
                    .filter(|l| card_filters(&l.query) == f)
                    .filter(|l| matches!(l.query.status, None | Some(Status::Pending)))
                    .filter(|l| page_holds_all(&l.query, &l.page))
                    .map(|l| {
                        l.page
                            .requests
                            .iter()
                            .filter(|r| r.status == Status::Pending)
                            .count()
                    })
            })
        });
        let asked = Memo::new(move |_| {
            let f = filters.get()?;
            (!covered.get() && page_complete.with(Option::is_none)).then(|| sla_query(&f))
        });
        let pending = pages_resource(
            dash,
            move || {
                // After the table's first page, as the status cards (whose Pending call this is).
                // If that page failed, its error stands for this answer too (not asked again).
                let generation = dash.conn.generation.get();
                let (_, refused) = dash.first_answer.get().filter(|(g, _)| *g == generation)?;
                let sla = asked.get()?;
                // The view's own first page first, when it may hold every pending request (no
                // status filter, or Pending): if it does, the pending call is not made (as the
                // cards do it). Untracked, as for the cards: paging must not ask again.
                let view = dash.query.get_untracked().ok()?;
                let first = RequestQuery {
                    created_before: None,
                    offset: 0,
                    ..view
                };
                let queries = if matches!(first.status, None | Some(Status::Pending)) {
                    vec![first, sla]
                } else {
                    vec![sla]
                };
                Some((queries, refused))
            },
            true,
        );
        let known = Memo::new(move |_| {
            let Some(f) = filters.get() else {
                return Arc::new(Known::default());
            };
            let set = covered.get().then(|| all.rows.get());
            let answer = pending.with_current(|p| {
                p.and_then(|p| p.answer.as_ref().ok())
                    .and_then(|pages| pages.iter().find(|(q, _)| *q == sla_query(&f)))
                    .map(|(_, page)| Arc::clone(page))
            });
            let known = dash.shown.with(|s| {
                let page = s
                    .as_ref()
                    .filter(|l| card_filters(&l.query) == f)
                    .map_or(&[][..], |l| l.page.requests.as_slice());
                // The newest answer first: the page on screen (auto-refresh reloads it).
                let sources = page
                    .iter()
                    .chain(answer.iter().flat_map(|p| p.requests.iter()))
                    .chain(set.iter().flat_map(|s| s.iter()))
                    .filter(|r| hitl_core::contract::matches(r, &f));
                // With this session's changes (a cancel); only what the watch and the
                // notifications read, so that a loaded set of 100,000 is not copied.
                dash.updated.with(|m| {
                    latest_by_id(sources)
                        .into_iter()
                        .map(|r| m.get(&r.id).unwrap_or(r))
                        .filter(|r| matches!(r.status, Status::Pending | Status::Timeout))
                        .cloned()
                        .collect::<Vec<_>>()
                })
            });
            let pending = |rows: &[HitlRequest]| {
                rows.iter().filter(|r| r.status == Status::Pending).count() as u64
            };
            let (pending_total, complete) = if set.is_some() {
                (Some(pending(&known)), true)
            } else if let Some(n) = page_complete.get() {
                (Some(n as u64), true)
            } else {
                (answer.as_ref().map(|p| p.total), false)
            };
            Arc::new(Known {
                rows: known,
                pending_total,
                complete,
            })
        });
        let watch = Memo::new(move |_| {
            let now = clock.instant();
            known.with(|k| Arc::new(SlaWatch::compute(&k.rows, now, k.pending_total)))
        });
        Sla {
            known,
            watch,
            asked,
            pending,
        }
    }

    /// True when the watch asks a pending call of its own: the view's status is Pending, so the
    /// cards do not ask it (tracked).
    pub(crate) fn own_call(&self, dash: &Dashboard) -> bool {
        let view_pending = dash.query.with(|q| {
            q.as_ref()
                .is_ok_and(|q| q.status.as_ref() == Some(&Status::Pending))
        });
        view_pending && self.asked.with(Option::is_some)
    }

    /// The pending call's error, if it failed (tracked).
    pub(crate) fn error(&self) -> Option<hitl_core::ApiError> {
        self.pending
            .with_current(|p| p.and_then(|p| p.answer.as_ref().err().cloned()))
    }
}

//! One card per status with its total for the current non-status filters. Clicking a card
//! filters the table by that status (clicking the active card clears it).

use std::sync::Arc;

use hitl_core::contract;
use hitl_core::format::{count, percent, thousands};
use hitl_core::overview::{
    apply_moves, card_filters, card_plan, card_query, cards_counted, cards_of, page_holds_all,
    with_total, StatusCard,
};
use hitl_core::{ApiError, RequestQuery, Status};
use leptos::prelude::*;

use super::panels::panels;
use crate::browser::url::{HistoryMode, UrlState};
use crate::state::pages_resource;
use crate::state::{Dashboard, Sla};

/// The status cards and the panels' disclosure.
#[component]
pub(crate) fn StatusCards() -> impl IntoView {
    let dash = expect_context::<Dashboard>();
    let url = expect_context::<UrlState>();
    // Only a change of priority or loop (or of source, or Refresh) reloads the cards.
    let filters = Memo::new(move |_| dash.query.with(|q| q.as_ref().ok().map(card_filters)));
    // The cards' filters when a loaded set holds every request matching them.
    let all = dash.all;
    let covered = Memo::new(move |_| filters.get().filter(|f| all.covers(f)));
    let fetched = pages_resource(
        dash,
        move || {
            // The table first: the cards' calls, their answers and their rendering would land in
            // the middle of the first page's, and the rows would come later (measurably, on a
            // first visit). They wait for the source's first page to answer; later views do not.
            // If that page failed, its error is the cards' answer too: asking the same server
            // the same question (and three more) would only spend calls on it.
            let generation = dash.conn.generation.get();
            let (_, refused) = dash.first_answer.get().filter(|(g, _)| *g == generation)?;
            let filters = filters.get().filter(|_| covered.with(Option::is_none))?;
            // Untracked: which status the table shows decides what its page already tells, but
            // a status change alone must not reload the cards.
            let view = dash.query.get_untracked().ok()?;
            // The view's own page first: it is the table's call, shared in flight or cached. A
            // cursor page (`created_before`) counts only older requests: ask without the cursor.
            let first = if view.created_before.is_some() {
                RequestQuery {
                    created_before: None,
                    offset: 0,
                    ..view.clone()
                }
            } else {
                view.clone()
            };
            let queries = std::iter::once(first)
                .chain(
                    card_plan(view.status.as_ref())
                        .fetch
                        .iter()
                        .map(|s| card_query(&filters, s)),
                )
                .collect();
            // A view with no status filter may hold every matching request on its first page:
            // then its rows are the totals, and the three calls are not made (its page is asked
            // first, and the totals' calls, if needed, wait for it: one round trip later).
            Some((queries, refused))
        },
        true,
    );
    // The cards, or why they are missing (`None` while loading). Requests the user changed
    // after the totals were counted (a cancel) are moved between cards here, not re-fetched.
    // The last totals that arrived are kept, with the connection and filters they count: a
    // reload of the same filters that fails (a Refresh answered with an error, or a total held
    // back by the quota) leaves them on screen, marked not current, as the table keeps its
    // last good rows.
    let cards = Memo::new(move |prev: Option<&Cards>| {
        let last = prev.and_then(|p| p.last.clone());
        // Every request of the cards' filters is loaded (Analyze all matching, an export): the
        // cards are counted from those rows, exactly, with this session's changes.
        if let Some(f) = covered.get() {
            let rows = dash.all.rows.with(|r| dash.with_updates_arc(r));
            let totals = cards_of(
                rows.iter()
                    .filter(|r| contract::matches(r, &f))
                    .map(|r| &r.status),
            );
            return Cards {
                last: Some((dash.conn.generation.get(), f, totals.clone())),
                totals: Some(totals),
                error: None,
            };
        }
        fetched.with_current(|f| {
            // `counted_at`: changes made after it are applied over these totals.
            let Some(f) = f else {
                return Cards {
                    last,
                    ..Cards::default()
                };
            };
            let (counted_at, generation) = (f.at_ms, f.generation);
            let pages = match &f.answer {
                Ok(pages) => pages,
                Err(e) => {
                    let same = |(g, f, _): &(u64, RequestQuery, _)| {
                        *g == generation && filters.with(|now| now.as_ref() == Some(f))
                    };
                    return Cards {
                        totals: last.clone().filter(same).map(|(_, _, c)| c),
                        error: Some(e.clone()),
                        last,
                    };
                }
            };
            let view = &pages[0].0;
            let moves = dash.moves_since(counted_at, &card_filters(view));
            // The table's page of this view when it reloaded since the totals were counted
            // (auto-refresh reloads it alone): the card taken from the page follows it, at
            // no call. Not after a change of the user's (a cancel), which that page
            // already holds and the moves below would count again.
            let newer = dash.shown.with(|s| {
                s.as_ref()
                    .filter(|l| moves.is_empty() && l.query == *view && l.at_ms > counted_at)
                    .map(|l| Arc::clone(&l.page))
            });
            let page = newer.as_ref().unwrap_or(&pages[0].1);
            let counted = if pages.len() == 1 {
                // The view's page alone: it holds every matching request (see above); a
                // newer page counts only while it still does.
                let page = if page_holds_all(view, page) {
                    page
                } else {
                    &pages[0].1
                };
                cards_counted(&page.requests)
            } else {
                let plan = card_plan(view.status.as_ref());
                let totals: Vec<u64> = pages[1..].iter().map(|(_, p)| p.total).collect();
                plan.cards_from_page(&totals, page)
            };
            // The page of another status on screen, reloaded since the totals were counted
            // (a status picked in the page, then auto-refresh): its total is that card's.
            let other = dash.shown.with(|s| {
                s.as_ref()
                    .filter(|l| moves.is_empty() && l.at_ms > counted_at)
                    .filter(|l| l.query.created_before.is_none() && l.query.status != view.status)
                    .filter(|l| card_filters(&l.query) == card_filters(view))
                    .and_then(|l| l.query.status.clone().map(|s| (s, l.page.total)))
            });
            let counted = match other {
                Some((status, total)) => with_total(&counted, &status, total),
                None => counted,
            };
            let totals = apply_moves(&counted, &moves);
            Cards {
                last: Some((generation, card_filters(view), totals.clone())),
                totals: Some(totals),
                error: None,
            }
        })
    });
    let active = Memo::new(move |_| {
        dash.query
            .with(|q| q.as_ref().ok().and_then(|q| q.status.clone()))
    });
    let pick = move |s: Status| {
        let mut q: RequestQuery = url.lenient_query();
        q.status = if q.status.as_ref() == Some(&s) {
            None
        } else {
            Some(s)
        };
        q.offset = 0;
        q.created_before = None;
        url.set_query(&q, HistoryMode::Replace);
    };
    // The page on screen holds every request of the cards' filters: they are counted from it.
    let counted = move || {
        dash.shown.with(|s| {
            s.as_ref().is_some_and(|l| {
                page_holds_all(&l.query, &l.page)
                    && filters.with(|f| f.as_ref() == Some(&card_filters(&l.query)))
            })
        })
    };
    let cost = move || {
        let n = dash.conn.source.with(|s| s.cost(3));
        if n > 0 && covered.with(Option::is_some) {
            "Totals: 0 calls (counted from the loaded set, which holds every matching request)"
                .to_owned()
        } else if n > 0 && counted() {
            "Totals: 0 calls (counted from the page, which holds every matching request)".to_owned()
        } else if n == 0 {
            let why = dash
                .conn
                .source
                .with(|s| s.free_because().unwrap_or("demo data"));
            format!("Totals: 0 calls ({why})")
        } else {
            // The Pending card's call lists the oldest pending requests for the SLA watch.
            let lists = dash.query.with(|q| {
                q.as_ref().is_ok_and(|q| {
                    card_plan(q.status.as_ref())
                        .fetch
                        .contains(&Status::Pending)
                })
            });
            format!(
                "Totals: {} (limit=1{}), cached for a minute",
                count(n, "call", "calls"),
                if lists {
                    "; Pending's lists the 100 oldest for the SLA watch"
                } else {
                    ""
                }
            )
        }
    };
    let scope = move || {
        filters.with(|f| {
            f.as_ref().map(|f| {
                let mut parts = Vec::new();
                if let Some(p) = &f.priority {
                    parts.push(format!("priority {}", p.label()));
                }
                if let Some(l) = &f.loop_id {
                    parts.push(format!("loop {l}"));
                }
                if parts.is_empty() {
                    "All requests".to_owned()
                } else {
                    format!("Requests with {}", parts.join(", "))
                }
            })
        })
    };
    let error = move || cards.with(|c| c.error.as_ref().map(ApiError::title));
    // Totals kept from the last load while the reload of the same filters failed.
    let stale = move || cards.with(|c| c.error.is_some() && c.totals.is_some());

    // Pending requests at risk or overdue (the SLA watch, at the clock's second).
    let sla = expect_context::<Sla>();
    let at_risk = move || sla.watch.with(|w| w.needs_attention());
    let risk_text = move || {
        sla.watch.with(|w| match w.overdue {
            0 => format!("{} at risk", thousands(w.needs_attention() as u64)),
            n => format!(
                "{} at risk ({} overdue)",
                thousands(w.needs_attention() as u64),
                thousands(n as u64)
            ),
        })
    };
    let card = move |s: &'static Status| {
        let total = move || {
            let find = |cards: &[StatusCard]| cards.iter().find(|c| &c.status == s).cloned();
            cards.with(|c| c.totals.as_deref().and_then(find))
        };
        view! {
            <button type="button" class="status-card" data-status=s.as_str()
                aria-pressed=move || (active.with(|a| a.as_ref() == Some(s))).to_string()
                // A total derived as "all minus the other three" (one call fewer) says so.
                title=move || total().filter(|c| !c.exact).map(|_| {
                    "All requests minus the other three statuses: it would also count any status the API does not document"
                })
                on:click=move |_| pick(s.clone())>
                <span class="card-label">{s.label()}</span>
                <span class="card-count">
                    {move || match total() {
                        Some(c) => thousands(c.total),
                        // Nothing to wait for: an invalid view, or the totals' calls failed.
                        None if filters.with(Option::is_none) || error().is_some() => "—".to_owned(),
                        None => "…".to_owned(),
                    }}
                </span>
                <span class="card-share">
                    {move || total().map(|c| format!("{} of all", percent(c.share)))}
                </span>
                <span class="card-meaning">{s.meaning()}</span>
                {(*s == Status::Pending).then(|| view! {
                    <span class="card-risk" data-risk=move || (at_risk() > 0).to_string()
                        title=move || sla.watch.with(|w| w.coverage())>
                        {risk_text}
                    </span>
                })}
            </button>
        }
    };

    view! {
        <section class="cards" aria-labelledby="cards-h">
            <div class="cards-head">
                <h2 id="cards-h">"By status"</h2>
                <span class="muted">{scope}</span>
                <span class="cost" title="The table's own page gives the fourth total">{cost}</span>
            </div>
            <div class="card-row" data-stale=move || stale().to_string()>
                {Status::ALL.iter().map(card).collect_view()}
            </div>
            {move || error().map(|e| {
                let text = if stale() {
                    format!("Totals not current: {e}. These are from the last load that succeeded.")
                } else {
                    format!("Totals unavailable: {e}")
                };
                view! { <p class="card-error">{text}</p> }
            })}
            {panels(dash)}
        </section>
    }
}

/// What the status cards show (one memo: each reactive type adds to the wasm).
#[derive(Clone, Default, PartialEq)]
struct Cards {
    /// The totals: the current ones, or with `error` those kept from the last load of the same
    /// connection and filters. `None` while loading, or when there is nothing to keep.
    totals: Option<Vec<StatusCard>>,
    /// Why the current totals are missing.
    error: Option<ApiError>,
    /// The last totals that arrived: the connection generation and card filters they count.
    last: Option<(u64, RequestQuery, Vec<StatusCard>)>,
}

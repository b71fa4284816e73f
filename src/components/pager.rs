//! Offset paging: First / Previous / Next / Last, "51–100 of 237", and a page jump. Page moves
//! are navigation (history push), so back/forward walk through visited pages — from the cache.

use hitl_core::format::thousands;
use hitl_core::{RequestQuery, Sort};
use leptos::prelude::*;

use crate::browser::url::{HistoryMode, UrlState};
use crate::state::{Dashboard, Loaded};

/// "51–100 of 237" for a page at `offset` holding `count` of `total`.
pub(crate) fn range_text(offset: u64, count: u64, total: u64) -> String {
    if count == 0 {
        return format!("0 of {}", thousands(total));
    }
    format!(
        "{}–{} of {}",
        thousands(offset + 1),
        thousands(offset + count),
        thousands(total)
    )
}

/// The pager for the shown page.
#[component]
pub(crate) fn Pager(#[prop(into)] loaded: Signal<Option<Loaded>>) -> impl IntoView {
    let url = expect_context::<UrlState>();
    let dash = expect_context::<Dashboard>();
    // Moves count from the page on screen. When the load of the page asked for failed, the URL
    // is already one move ahead of it, so writing that URL again would change nothing and send
    // nothing: the same move again asks again instead (Next after a failed Next retries it).
    let go = move |q: RequestQuery| {
        let asked = dash
            .query
            .with_untracked(|cur| cur.as_ref().ok() == Some(&q));
        if !asked {
            url.set_query(&q, HistoryMode::Push);
        } else if dash
            .page
            .with_current_untracked(|p| p.is_some_and(|p| p.answer.is_err()))
        {
            dash.reload();
        }
    };
    let info = move || {
        loaded.with(|l| {
            l.as_ref().map(|l| {
                let q = &l.query;
                let p = &l.page;
                let limit = u64::from(q.limit.max(1));
                let pages = p.total.div_ceil(limit).max(1);
                let current = q.offset / limit + 1;
                // An offset off the page grid (a link's `?offset=7`): the page shown counts as
                // the one after those before it, and the pages after it follow from there.
                let (current, shown_pages) = if q.offset % limit == 0 {
                    (current, pages)
                } else {
                    let before = q.offset.div_ceil(limit);
                    let after = p.total.saturating_sub(q.offset + limit).div_ceil(limit);
                    (before + 1, before + 1 + after)
                };
                (
                    q.clone(),
                    p.count,
                    p.total,
                    p.has_more,
                    limit,
                    pages,
                    current,
                    shown_pages,
                )
            })
        })
    };
    let text = move || {
        info()
            .map(|(q, count, total, ..)| range_text(q.offset, count, total))
            .unwrap_or_default()
    };
    let at_start = move || info().is_none_or(|(q, ..)| q.offset == 0);
    let at_end = move || info().is_none_or(|(_, _, _, has_more, ..)| !has_more);
    // The last page's offset. A link can point past it (the page then shows no rows): Last
    // and Previous both lead back to it.
    let last_offset = |limit: u64, pages: u64| (pages - 1) * limit;
    let on_last = move || {
        info().is_none_or(|(q, _, _, has_more, limit, pages, _, _)| {
            !has_more && q.offset <= last_offset(limit, pages)
        })
    };

    let first = move |_| {
        if let Some((q, ..)) = info() {
            go(q.with_offset(0));
        }
    };
    let prev = move |_| {
        if let Some((q, _, _, _, limit, pages, _, _)) = info() {
            go(q.with_offset(
                q.offset
                    .saturating_sub(limit)
                    .min(last_offset(limit, pages)),
            ));
        }
    };
    let next = move |_| {
        if let Some((q, _, _, _, limit, ..)) = info() {
            go(q.with_offset(q.offset + limit));
        }
    };
    let last = move |_| {
        if let Some((q, _, _, _, limit, pages, _, _)) = info() {
            go(q.with_offset(last_offset(limit, pages)));
        }
    };
    // Cursor paging (the seed's `created_before`): walks back from the last row by creation
    // time, so requests arriving meanwhile cannot shift what the next page shows.
    let last_created = move || {
        loaded.with(|l| {
            l.as_ref()
                .filter(|l| l.query.sort == Sort::CreatedAtDesc)
                .and_then(|l| l.page.requests.last())
                .and_then(|r| r.created_at)
        })
    };
    let older = move |_| {
        if let (Some((q, ..)), Some(cursor)) = (info(), last_created()) {
            go(RequestQuery {
                created_before: Some(cursor),
                offset: 0,
                ..q
            });
        }
    };
    let newest = move |_| {
        if let Some((q, ..)) = info() {
            go(RequestQuery {
                created_before: None,
                offset: 0,
                ..q
            });
        }
    };
    let in_cursor = move || info().is_some_and(|(q, ..)| q.created_before.is_some());
    let can_go_older =
        move || info().is_some_and(|(_, _, _, has_more, ..)| has_more) && last_created().is_some();
    let jump = move |ev: leptos::ev::Event| {
        let input = event_target::<web_sys::HtmlInputElement>(&ev);
        let Some((q, _, _, _, limit, pages, current, _)) = info() else {
            return;
        };
        match input
            .value()
            .trim()
            .parse::<u64>()
            .map(|n| n.clamp(1, pages))
        {
            Ok(n) if n != current => go(q.with_offset((n - 1) * limit)),
            // Cleared, not a number, or this very page: the box shows the page again.
            _ => input.set_value(&current.to_string()),
        }
    };

    view! {
        <nav class="pager" aria-label="Pages">
            <button type="button" on:click=first disabled=at_start aria-label="First page">"First"</button>
            <button type="button" on:click=prev disabled=at_start>"Previous"</button>
            <span class="pager-range" aria-live="polite">{text}</span>
            <button type="button" on:click=next disabled=at_end>"Next"</button>
            <button type="button" on:click=last disabled=on_last aria-label="Last page">"Last"</button>
            <button type="button" class="older" on:click=older disabled=move || !can_go_older()
                title="Cursor paging: the next requests created before the last row shown">"Load older"</button>
            <Show when=in_cursor>
                <button type="button" on:click=newest>"Back to newest"</button>
            </Show>
            <label class="pager-jump">
                "Page "
                <input type="number" min="1" inputmode="numeric" aria-label="Page number"
                    prop:value=move || info().map(|i| i.6.to_string()).unwrap_or_default()
                    on:change=jump/>
                {move || info().map(|i| format!(" of {}", thousands(i.7)))}
            </label>
        </nav>
        <p class="pager-help">
            "Previous/Next count rows from the newest; Load older continues from the last row's creation time, so new requests never shift what you see."
        </p>
    }
}

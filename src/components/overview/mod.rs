//! The overview: status cards above the filters (with the seed dashboard's two panels behind a
//! disclosure), and below the table the analytics over the loaded set with its charts.
//!
//! What each part costs, in calls to the API (demo data: always 0):
//! - cards: 3 `limit=1` calls per set of non-status filters (the page on screen gives the
//!   fourth total), cached for a minute; paging, sorting and picking a status cost nothing;
//! - panels: 3 calls when opened, or 0 when a loaded set already holds their answer;
//! - analytics: 0 over what is loaded; "Analyze all matching" costs one call per 100 requests.

mod analysis;
mod cards;
mod charts;
mod panels;

pub(crate) use analysis::Overview;
pub(crate) use cards::StatusCards;

use std::sync::Arc;

use hitl_core::{ApiError, RequestPage, RequestQuery};

use hitl_core::overview::{may_hold_all, page_holds_all};

use crate::api::Source;
use crate::state::{Dashboard, SourceBound};

/// The pages a card or panel resource asked for, each with its query.
type Pages = Vec<(RequestQuery, Arc<RequestPage>)>;
/// What the status cards and the panels ask: the queries, and an error that stands for their
/// answer without asking (the table's, see [`fetch_pages`]).
type Asked = (Vec<RequestQuery>, Option<ApiError>);
/// The status cards' and the panels' resource (one type for both keeps the wasm smaller).
type PagesResource = SourceBound<Asked, Pages>;

/// A [`PagesResource`] over what `ask` (tracked) gives; `counts`: see [`fetch_pages`].
fn pages_resource(
    dash: Dashboard,
    ask: impl Fn() -> Option<Asked> + 'static,
    counts: bool,
) -> PagesResource {
    SourceBound::new(dash.binding(), ask, move |source, _, (queries, refused)| {
        fetch_pages(source, queries, refused, counts)
    })
}

/// Lists every query concurrently. `Source::list` answers from its one-minute cache and shares
/// identical calls in flight, so a query the table is already loading costs nothing more.
/// `refused`: an error that stands for the answer without asking (the table's, see
/// [`Dashboard::first_answer`]). `counts`: the other queries count what the first one asks
/// for (the status cards' totals of the view): when its page may hold every request
/// ([`may_hold_all`]) it is asked alone first — the table's own call, shared or cached — and if
/// it does hold them all, the others are not asked at all ([`page_holds_all`]).
async fn fetch_pages(
    source: Source,
    queries: Vec<RequestQuery>,
    refused: Option<ApiError>,
    counts: bool,
) -> Result<Pages, ApiError> {
    if let Some(e) = refused {
        return Err(e);
    }
    if let Some(first) = queries.first().filter(|_| counts && queries.len() > 1) {
        if may_hold_all(first) {
            match source.list(first, false).await {
                Ok(page) if !page_holds_all(first, &page) => {}
                // The page alone, or its error (as from the joined calls below: not asked again).
                answer => return answer.map(|page| vec![(first.clone(), page)]),
            }
        }
    }
    let pages = futures::future::try_join_all(queries.iter().map(|q| source.list(q, false))).await;
    pages.map(|pages| queries.into_iter().zip(pages).collect())
}

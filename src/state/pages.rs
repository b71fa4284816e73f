//! Resources that list a few queries at once and keep the pages: the status cards, the
//! panels, the count of a time window's requests and the SLA watch's pending requests. One
//! resource type for all of them keeps the wasm smaller.

use std::sync::Arc;

use hitl_core::overview::{may_hold_all, page_holds_all};
use hitl_core::{ApiError, RequestPage, RequestQuery};

use super::dashboard::Dashboard;
use super::resource::SourceBound;
use crate::api::Source;

/// The pages a resource asked for, each with its query.
pub(crate) type Pages = Vec<(RequestQuery, Arc<RequestPage>)>;
/// What such a resource asks: the queries, and an error that stands for their answer without
/// asking (the table's, see [`fetch_pages`]).
pub(crate) type Asked = (Vec<RequestQuery>, Option<ApiError>);
/// A resource of several list calls.
pub(crate) type PagesResource = SourceBound<Asked, Pages>;

/// A [`PagesResource`] over what `ask` (tracked) gives; `counts`: see [`fetch_pages`].
pub(crate) fn pages_resource(
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

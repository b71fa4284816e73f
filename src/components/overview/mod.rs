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
pub(crate) mod charts;
mod panels;

pub use analysis::Overview;
pub use cards::StatusCards;

use std::sync::Arc;

use hitl_core::format::thousands;
use hitl_core::{ApiError, RequestPage, RequestQuery};
use leptos::prelude::Get;

use hitl_core::overview::{may_hold_all, page_holds_all};

use crate::api::Source;
use crate::state::Dashboard;

/// "1 call" / "3 calls".
fn calls_text(n: u64) -> String {
    if n == 1 {
        "1 call".to_owned()
    } else {
        format!("{} calls", thousands(n))
    }
}

/// When the answer arrived (ms since epoch), the source generation it came from, and the pages
/// with the queries that asked for them; `None` when nothing was asked.
type Fetched = Option<(
    f64,
    u64,
    Result<Vec<(RequestQuery, Arc<RequestPage>)>, ApiError>,
)>;

/// The answer, if it came from the current source (tracked). A resource keeps its last value
/// while the next one loads: right after Connect that is the demo's (or the previous key's),
/// which must not be shown as the live API's.
fn current(dash: Dashboard, f: &Option<Fetched>) -> Fetched {
    let generation = dash.conn.generation.get();
    f.clone().flatten().filter(|(_, g, _)| *g == generation)
}

/// Lists every query concurrently. `Source::list` answers from its one-minute cache and shares
/// identical calls in flight, so a query the table is already loading costs nothing more.
/// `refused`: an error that stands for the answer without asking (the table's, see
/// [`Dashboard::first_answer`]). `counts`: the other queries count what the first one asks
/// for (the status cards' totals of the view): when its page may hold every request
/// ([`may_hold_all`]) it is asked alone first — the table's own call, shared or cached — and if
/// it does hold them all, the others are not asked at all ([`page_holds_all`]). (One future
/// type for both overview resources keeps the wasm smaller.)
async fn fetch_pages(
    source: Source,
    generation: u64,
    queries: Vec<RequestQuery>,
    refused: Option<ApiError>,
    counts: bool,
) -> Fetched {
    if let Some(e) = refused {
        return Some((crate::browser::now_ms(), generation, Err(e)));
    }
    let first = queries.first()?;
    if counts && queries.len() > 1 && may_hold_all(first) {
        match source.list(first, false).await {
            Ok(page) if !page_holds_all(first, &page) => {}
            // The page alone, or its error (as from the joined calls below: not asked again).
            answer => {
                let pages = answer.map(|page| vec![(first.clone(), page)]);
                return Some((crate::browser::now_ms(), generation, pages));
            }
        }
    }
    let pages = futures::future::try_join_all(queries.iter().map(|q| source.list(q, false))).await;
    let pages = pages.map(|pages| queries.into_iter().zip(pages).collect());
    Some((crate::browser::now_ms(), generation, pages))
}

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

pub use analysis::Overview;
pub use cards::StatusCards;

use std::sync::Arc;

use hitl_core::format::thousands;
use hitl_core::{ApiError, RequestPage, RequestQuery};

use crate::api::Source;

/// "1 call" / "3 calls".
fn calls_text(n: u64) -> String {
    if n == 1 {
        "1 call".to_owned()
    } else {
        format!("{} calls", thousands(n))
    }
}

/// When the answer arrived (ms since epoch), and the pages with the queries that asked for
/// them; `None` when nothing was asked.
type Fetched = Option<(f64, Result<Vec<(RequestQuery, Arc<RequestPage>)>, ApiError>)>;

/// Lists every query concurrently. `Source::list` answers from its one-minute cache and shares
/// identical calls in flight, so a query the table is already loading costs nothing more.
/// (One future type for both overview resources keeps the wasm smaller.)
async fn fetch_pages(source: Source, queries: Vec<RequestQuery>) -> Fetched {
    if queries.is_empty() {
        return None;
    }
    let pages = futures::future::try_join_all(queries.iter().map(|q| source.list(q, false))).await;
    let pages = pages.map(|pages| queries.into_iter().zip(pages).collect());
    Some((crate::browser::now_ms(), pages))
}

//! The overview: status cards above the filters (with the seed dashboard's two panels behind a
//! disclosure), and below the table the analytics over the loaded set with its charts.
//!
//! What each part costs, in calls to the API (demo data: always 0):
//! - cards: 3 `limit=1` calls per set of non-status filters (the page on screen gives the
//!   fourth total), cached for a minute; paging, sorting and picking a status cost nothing;
//! - panels: 3 calls when opened, or 0 when a loaded set already holds their answer;
//! - analytics: 0 over what is loaded; "Analyze all matching" costs one call per 100 requests
//!   (of the time window's, newest first, when one is chosen; counting them: 1 call);
//! - breakdowns: 0 over what is analysed; the loop names and reviewer emails, 1 call once, when
//!   asked for (or when Loop ID was focused).

mod analysis;
mod breakdowns;
mod cards;
mod charts;
mod panels;

pub(crate) use analysis::Overview;
pub(crate) use cards::StatusCards;

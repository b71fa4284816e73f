//! Pure core of the HITL requests dashboard: no web or UI dependencies, so all of it is tested
//! with plain `cargo test` and shared by the browser app, the demo source and the mock server.
//!
//! - [`model`]: the API's objects, decoded leniently where the API could surprise us.
//! - [`error`]: every failure as one [`error::ApiError`], mapped from status + envelope.
//! - [`query`]: [`query::RequestQuery`] ⇄ query string, with the API's validation rules.
//! - [`contract`]: the list endpoint's filter/sort/page semantics over a slice.
//! - [`demo`]: deterministic generated data.
//! - [`response`]: `response_data` read by `response_type`.
//! - [`format`]: durations, relative times, numbers.
//! - [`json`]: a small JSON reader into `serde_json::Value` (lighter than serde's in wasm).
//! - [`markdown`]: a tiny, safe Markdown subset for untrusted request text, to an AST.
//! - [`stats`]: the seed's analytics and what they miss.
//! - [`chart`]: chart geometry (axis ticks, bars, stacked segments) for the app's SVG.
//! - [`overview`]: status-card call plan, the dashboard panels as queries, grouped bars.
//! - [`csv`], [`export`]: the seed's CSV export done properly, JSON export, file names.
//! - [`sorting`]: client-side column sorting of loaded rows.
//! - [`key`]: what an API key may contain before it goes into a header.
//! - [`quota`]: the hourly call quota from headers or a local log.
//! - [`cancel`]: the cancel call's undocumented answer, read leniently.
//! - [`cache`]: a time-bounded answer cache keyed by URL.
//! - [`sync`]: "History on this device": the sans-IO plan that keeps a local copy up to date.
//! - [`window`]: the analytics' time window over `created_at` (days in a zone), its URL form
//!   and loading rule.
//! - [`trends`]: per-day (per-hour) created, completed and timed-out counts and response times.
//! - [`breakdown`]: figures by loop, by reviewer and by response type, with a total row.
//! - [`sla`]: pending requests against their deadline, and which need a notification.

pub mod breakdown;
pub mod cache;
pub mod cancel;
pub mod chart;
pub mod contract;
pub mod csv;
pub mod demo;
pub mod error;
pub mod export;
pub mod format;
pub mod json;
pub mod key;
mod lenient;
pub mod loader;
pub mod markdown;
pub mod model;
pub mod overview;
pub mod query;
pub mod quota;
pub mod response;
pub mod sla;
pub mod sorting;
pub mod stats;
pub mod sync;
pub mod trends;
pub mod window;

pub use error::{decode_response, ApiError};
pub use lenient::{parse_time, FromJson};
pub use model::*;
pub use query::{QueryError, RequestQuery, Sort};

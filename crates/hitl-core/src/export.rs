//! Exports other than CSV, and file names for every export: the JSON the API returned, and a
//! name that says what the file holds (day, filters, whether it is partial).

use chrono::NaiveDate;
use serde::{Serialize, Serializer};
use std::borrow::Borrow;

use crate::model::HitlRequest;
use crate::query::RequestQuery;
use crate::window::TimeWindow;

/// The export formats the dashboard offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// The seed's CSV ([`crate::csv`]).
    Csv,
    /// The API's objects as a JSON array ([`to_json`]).
    Json,
}

impl ExportFormat {
    /// The file extension, without a dot.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
        }
    }

    /// The MIME type for the download's Blob.
    pub fn mime_type(self) -> &'static str {
        match self {
            ExportFormat::Csv => "text/csv;charset=utf-8",
            ExportFormat::Json => "application/json",
        }
    }
}

/// Serialises a slice of anything that borrows as a request without copying it into a `Vec`.
struct Rows<'a, R>(&'a [R]);

impl<R: Borrow<HitlRequest>> Serialize for Rows<'_, R> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(Borrow::borrow))
    }
}

/// The requests as a compact JSON array of the objects as the API returned them (every list
/// field, API names, timestamps as the API writes them); decoding it gives the rows back.
pub fn to_json<R: Borrow<HitlRequest>>(rows: &[R]) -> String {
    // Cannot fail: every map key is a string and serde_json writes non-finite floats as null.
    serde_json::to_string(&Rows(rows)).expect("requests serialize to JSON")
}

/// The longest any single filter value may be in a file name, in characters.
const MAX_PART: usize = 64;

/// Appends `part` keeping only `[a-z0-9-_.]`: ASCII letters are lower-cased, everything else
/// becomes `_`, so a name is safe on every file system and in a download attribute.
fn push_safe(name: &mut String, part: &str) {
    name.extend(part.chars().take(MAX_PART).map(|c| {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.') {
            c
        } else {
            '_'
        }
    }));
}

/// A file name for an export made on `date` of the view `query`:
/// `hitl-requests-2026-11-28.csv`, filters appended in a fixed order
/// (`-status-pending-priority-high-loop-<id>`), and `-partial-300-of-1234` when only `fetched`
/// of `total` matching requests are in the file. `ext` is given without or with a leading dot.
/// Sort, page and cursor are left out: they do not change which requests match.
pub fn export_filename(
    date: NaiveDate,
    query: &RequestQuery,
    ext: &str,
    partial: Option<(u64, u64)>,
) -> String {
    export_filename_in(date, query, &TimeWindow::All, ext, partial)
}

/// [`export_filename`] of an export limited to a time window, named after the date:
/// `-window-7d` for a preset, `-from-2026-11-01-to-2026-11-07` for days, nothing for all time.
pub fn export_filename_in(
    date: NaiveDate,
    query: &RequestQuery,
    window: &TimeWindow,
    ext: &str,
    partial: Option<(u64, u64)>,
) -> String {
    named("requests", date, query, window, ext, partial)
}

/// The file name of a breakdown's CSV, e.g. `hitl-by-loop-2026-11-28-window-7d.csv`: `what`
/// ("by-loop") in place of "requests" in [`export_filename_in`].
pub fn breakdown_filename(
    what: &str,
    date: NaiveDate,
    query: &RequestQuery,
    window: &TimeWindow,
) -> String {
    named(what, date, query, window, "csv", None)
}

fn named(
    what: &str,
    date: NaiveDate,
    query: &RequestQuery,
    window: &TimeWindow,
    ext: &str,
    partial: Option<(u64, u64)>,
) -> String {
    let mut name = String::with_capacity(64);
    name.push_str("hitl-");
    push_safe(&mut name, what);
    name.push('-');
    // NaiveDate's Display is ISO 8601 (`2026-11-28`), without strftime's parser.
    push_safe(&mut name, &date.to_string());
    match (window.key(), window) {
        (Some("all"), _) => {}
        (Some(key), _) => {
            name.push_str("-window-");
            push_safe(&mut name, key);
        }
        (None, TimeWindow::Custom { from, to }) => {
            name.push_str("-from-");
            push_safe(&mut name, &from.to_string());
            name.push_str("-to-");
            push_safe(&mut name, &to.to_string());
        }
        (None, _) => {}
    }
    if let Some(status) = &query.status {
        name.push_str("-status-");
        push_safe(&mut name, status.as_str());
    }
    if let Some(priority) = &query.priority {
        name.push_str("-priority-");
        push_safe(&mut name, priority.as_str());
    }
    if let Some(loop_id) = query.loop_id.as_deref().filter(|l| !l.is_empty()) {
        name.push_str("-loop-");
        push_safe(&mut name, loop_id);
    }
    if let Some((fetched, total)) = partial {
        name.push_str(&format!("-partial-{fetched}-of-{total}"));
    }
    let ext = ext.trim_start_matches('.');
    if !ext.is_empty() {
        name.push('.');
        push_safe(&mut name, ext);
    }
    name
}

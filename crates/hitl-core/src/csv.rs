//! The seed's CSV export (`export_requests_to_csv`), done properly: the same columns in the same
//! order with the same 1000-character rule, written as RFC 4180 (what Python's `csv` module
//! writes too: minimal quoting, CRLF line ends), plus what the seed forgets: spreadsheet formula
//! injection, a BOM for Excel, and streaming so a large export never holds a second copy.
//!
//! Where we differ from what the seed's Python would print, on purpose:
//! - `response_data` that is not a string is written as compact JSON (`["a","b"]`, `true`),
//!   not as a Python repr (`['a', 'b']`, `True`), so it can be parsed back.
//! - `response_time_seconds` is written as Rust prints the number: `900.5`, but `900` where
//!   Python would print `900.0` (the JSON we decode cannot tell the two apart).

use std::borrow::{Borrow, Cow};
use std::fmt::{self, Write};

use crate::model::HitlRequest;
use crate::query::format_time;

/// The seed's `fieldnames`, in its order.
pub const COLUMNS: [&str; 12] = [
    "id",
    "loop_id",
    "processing_type",
    "type",
    "priority",
    "request_text",
    "response_type",
    "status",
    "response_data",
    "response_time_seconds",
    "created_at",
    "response_at",
];

/// A `request_text` longer than this many characters (Unicode scalar values, as Python's `len`
/// counts them, not bytes) is cut.
pub const MAX_TEXT_CHARS: usize = 1000;

/// How many characters of a cut `request_text` are kept before the "..." (the seed's `[:997]`),
/// so a cut text is exactly [`MAX_TEXT_CHARS`] long.
pub const KEPT_TEXT_CHARS: usize = 997;

/// The byte order mark Excel needs to read a CSV file as UTF-8.
pub const BOM: char = '\u{feff}';

/// Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection"):
/// `=`, `+`, `-`, `@`, tab and carriage return.
pub const FORMULA_PREFIXES: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Export options.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CsvOptions {
    /// Start the output with a UTF-8 byte order mark, for Excel.
    pub bom: bool,
}

/// `request_text` under the seed's rule: at most [`MAX_TEXT_CHARS`] characters kept as is,
/// longer ones cut to their first [`KEPT_TEXT_CHARS`] characters and "..." appended.
/// Returns the kept part and whether it was cut (so the writer needs no copy).
pub fn truncate_text(text: &str) -> (&str, bool) {
    // Fast path: a text of at most 1000 bytes has at most 1000 characters.
    if text.len() <= MAX_TEXT_CHARS {
        return (text, false);
    }
    let mut cut = text.len();
    for (n, (i, _)) in text.char_indices().enumerate() {
        if n == KEPT_TEXT_CHARS {
            cut = i;
        } else if n == MAX_TEXT_CHARS {
            // A 1001st character exists: the text is too long.
            return (&text[..cut], true);
        }
    }
    (text, false)
}

/// The seed's truncated `request_text` as one string.
pub fn truncated_request_text(text: &str) -> Cow<'_, str> {
    match truncate_text(text) {
        (kept, true) => Cow::Owned(format!("{kept}...")),
        (kept, false) => Cow::Borrowed(kept),
    }
}

/// Writes one text cell made of `head` followed by `tail` (which must need no quoting):
/// formula prefix neutralised with a leading `'`, then quoted if it holds `,` `"` CR or LF,
/// with inner quotes doubled.
fn write_cell<W: Write>(out: &mut W, head: &str, tail: &str) -> fmt::Result {
    let first = head.chars().next().or_else(|| tail.chars().next());
    let guard = first.is_some_and(|c| FORMULA_PREFIXES.contains(&c));
    // Bytes suffice: UTF-8 continuation bytes never equal an ASCII byte.
    let quote = head
        .bytes()
        .any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n'));
    if quote {
        out.write_char('"')?;
    }
    if guard {
        out.write_char('\'')?;
    }
    if quote {
        for (i, part) in head.split('"').enumerate() {
            if i > 0 {
                out.write_str("\"\"")?;
            }
            out.write_str(part)?;
        }
    } else {
        out.write_str(head)?;
    }
    out.write_str(tail)?;
    if quote {
        out.write_char('"')?;
    }
    Ok(())
}

/// One text value as a finished CSV cell (formula guard and quoting applied).
pub fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 3);
    // Writing to a String cannot fail.
    let _ = write_cell(&mut out, text, "");
    out
}

/// Writes CSV one row at a time into any [`fmt::Write`], by default a `String`. Memory stays at
/// the output plus one small scratch buffer (for a JSON `response_data`), however many rows.
#[derive(Debug)]
pub struct CsvWriter<W: Write = String> {
    out: W,
    bom_pending: bool,
    rows: usize,
    scratch: String,
}

impl CsvWriter<String> {
    /// A writer into a new `String`.
    pub fn new(opts: CsvOptions) -> Self {
        Self::with_output(String::new(), opts)
    }

    /// A writer into a `String` with room for `bytes`, to avoid regrowing a large export.
    pub fn with_capacity(opts: CsvOptions, bytes: usize) -> Self {
        Self::with_output(String::with_capacity(bytes), opts)
    }
}

impl<W: Write> CsvWriter<W> {
    /// A writer that appends to `out`.
    pub fn with_output(out: W, opts: CsvOptions) -> Self {
        CsvWriter {
            out,
            bom_pending: opts.bom,
            rows: 0,
            scratch: String::new(),
        }
    }

    /// The BOM goes before whatever is written first, header or row.
    fn start(&mut self) -> fmt::Result {
        if self.bom_pending {
            self.bom_pending = false;
            self.out.write_char(BOM)?;
        }
        Ok(())
    }

    /// Writes the header line ([`COLUMNS`]).
    pub fn header(&mut self) -> fmt::Result {
        self.start()?;
        self.out.write_str(&COLUMNS.join(","))?;
        self.out.write_str("\r\n")
    }

    /// Writes one request as a line.
    pub fn row(&mut self, r: &HitlRequest) -> fmt::Result {
        self.start()?;
        let out = &mut self.out;
        let text = |out: &mut W, s: &str| write_cell(out, s, "");
        text(out, &r.id)?;
        out.write_char(',')?;
        text(out, &r.loop_id)?;
        out.write_char(',')?;
        text(out, r.processing_type.as_str())?;
        out.write_char(',')?;
        text(out, r.content_type.as_str())?;
        out.write_char(',')?;
        text(out, r.priority.as_str())?;
        out.write_char(',')?;
        let (kept, cut) = truncate_text(&r.request_text);
        write_cell(out, kept, if cut { "..." } else { "" })?;
        out.write_char(',')?;
        text(out, r.response_type.as_str())?;
        out.write_char(',')?;
        text(out, r.status.as_str())?;
        out.write_char(',')?;
        match &r.response_data {
            None | Some(serde_json::Value::Null) => {}
            Some(serde_json::Value::String(s)) => text(out, s)?,
            Some(other) => {
                self.scratch.clear();
                // `Value`'s Display is compact JSON.
                write!(self.scratch, "{other}")?;
                text(out, &self.scratch)?;
            }
        }
        out.write_char(',')?;
        // The number column is left unguarded: a negative number is data, not a formula.
        if let Some(t) = r.response_time_seconds.filter(|t| t.is_finite()) {
            out.write_str(&crate::format::decimal(t))?;
        }
        out.write_char(',')?;
        if let Some(t) = r.created_at {
            text(out, &format_time(t))?;
        }
        out.write_char(',')?;
        if let Some(t) = r.response_at {
            text(out, &format_time(t))?;
        }
        out.write_str("\r\n")?;
        self.rows += 1;
        Ok(())
    }

    /// Data rows written so far (the header not counted).
    pub fn rows_written(&self) -> usize {
        self.rows
    }

    /// The output so far.
    pub fn get_ref(&self) -> &W {
        &self.out
    }

    /// The output, e.g. to take a chunk of it (`std::mem::take`) and hand it on.
    pub fn get_mut(&mut self) -> &mut W {
        &mut self.out
    }

    /// The finished output.
    pub fn into_inner(self) -> W {
        self.out
    }
}

/// The whole export as one string: header and one line per row.
pub fn to_csv<R: Borrow<HitlRequest>>(rows: &[R], opts: CsvOptions) -> String {
    // About 300 bytes a row for typical requests; a guess that saves most regrowth.
    let mut w = CsvWriter::with_capacity(opts, 256 + rows.len() * 300);
    // Writing to a String cannot fail.
    let _ = w.header();
    for r in rows {
        let _ = w.row(r.borrow());
    }
    w.into_inner()
}

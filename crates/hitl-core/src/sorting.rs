//! Client-side column sorting of loaded rows: the table's columns, the header click cycle, and
//! a sort that returns a permutation instead of moving (or cloning) rows.
//!
//! Rules, the same for every column:
//! - typed comparisons: instants as instants, priority by rank, status in the documented order,
//!   numbers as numbers, text case-insensitively;
//! - empty or missing values go last in both directions (an ascending sort should not open with
//!   a screen of blanks, and neither should a descending one);
//! - stable: rows with equal keys keep their input (server) order.

use chrono::{DateTime, Utc};
use std::borrow::Borrow;
use std::cmp::Ordering;
use std::collections::HashMap;

use crate::model::{HitlRequest, Priority, Status};
use crate::response::ResponseValue;

/// A sortable column of the requests table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    /// `created_at`.
    Created,
    /// `status`.
    Status,
    /// `priority`.
    Priority,
    /// Content type (`type`).
    Type,
    /// `request_text`.
    Request,
    /// `response_data`, read by `response_type`.
    Response,
    /// `response_time_seconds`.
    ResponseTime,
    /// `response_by`.
    Reviewer,
    /// `loop_id`.
    Loop,
    /// `timeout_at`.
    Timeout,
}

impl Column {
    /// Every column, in the table's order.
    pub const ALL: [Column; 10] = [
        Column::Created,
        Column::Status,
        Column::Priority,
        Column::Type,
        Column::Request,
        Column::Response,
        Column::ResponseTime,
        Column::Reviewer,
        Column::Loop,
        Column::Timeout,
    ];

    /// The header label.
    pub fn label(self) -> &'static str {
        match self {
            Column::Created => "Created",
            Column::Status => "Status",
            Column::Priority => "Priority",
            Column::Type => "Type",
            Column::Request => "Request",
            Column::Response => "Response",
            Column::ResponseTime => "Response time",
            Column::Reviewer => "Reviewer",
            Column::Loop => "Loop",
            Column::Timeout => "Timeout",
        }
    }

    /// A stable short name, e.g. to keep the sort in the URL.
    pub fn key(self) -> &'static str {
        match self {
            Column::Created => "created",
            Column::Status => "status",
            Column::Priority => "priority",
            Column::Type => "type",
            Column::Request => "request",
            Column::Response => "response",
            Column::ResponseTime => "response_time",
            Column::Reviewer => "reviewer",
            Column::Loop => "loop",
            Column::Timeout => "timeout",
        }
    }

    /// The column named `key` (see [`Column::key`]).
    pub fn parse(key: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.key() == key)
    }
}

/// Sort direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Smallest first: oldest, low priority, A to Z, fastest.
    Asc,
    /// Largest first.
    Desc,
}

/// The table's client-side sort: a column and a direction. "Unsorted" (the server's order) is
/// `None` in an `Option<SortState>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SortState {
    /// The sorted column.
    pub column: Column,
    /// Its direction.
    pub direction: Direction,
}

impl SortState {
    /// The state after clicking `column`'s header in state `current`: unsorted → ascending →
    /// descending → unsorted, and a click on another column starts it at ascending. The third
    /// click returns to the server's order, so the user can always get back to it.
    pub fn click(current: Option<SortState>, column: Column) -> Option<SortState> {
        match current {
            Some(SortState {
                column: c,
                direction: Direction::Asc,
            }) if c == column => Some(SortState {
                column,
                direction: Direction::Desc,
            }),
            Some(SortState {
                column: c,
                direction: Direction::Desc,
            }) if c == column => None,
            _ => Some(SortState {
                column,
                direction: Direction::Asc,
            }),
        }
    }

    /// The `aria-sort` value of this state's column: "ascending" or "descending".
    pub fn aria_sort(self) -> &'static str {
        match self.direction {
            Direction::Asc => "ascending",
            Direction::Desc => "descending",
        }
    }
}

/// The `aria-sort` value for `column`'s header under `current`: "ascending", "descending", or
/// "none" when the table is not sorted by it.
pub fn aria_sort(current: Option<SortState>, column: Column) -> &'static str {
    match current {
        Some(s) if s.column == column => s.aria_sort(),
        _ => "none",
    }
}

/// An `f64` ordered by `total_cmp`, so it can be a sort key.
#[derive(Clone, Copy, Debug)]
struct Total(f64);

impl PartialEq for Total {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Total {}
impl PartialOrd for Total {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Total {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// The key of a response: numbers before yes/no before text, so a mixed column groups by kind.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum ResponseKey {
    Number(Total),
    YesNo(bool),
    Text(String),
}

fn text_key(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.chars().map(fold_case).collect())
}

/// A character's lowercase for sorting text case-insensitively: what `char::to_lowercase` gives
/// for the capitals of Basic Latin, Latin-1, Latin Extended-A, modern Greek and Cyrillic (U+0000
/// to U+017F, U+0386 to U+03AB, U+0400 to U+052F) and the regular pairs of Latin Extended-B
/// (Romanian Ș Ț, Vietnamese Ơ Ư, Pinyin Ǎ…); any other character as it is (tested against
/// `to_lowercase`). Not `str::to_lowercase`, whose Unicode case table would weigh on the wasm
/// for the rare capital beyond these.
pub fn fold_case(c: char) -> char {
    let u = c as u32;
    let even = u.is_multiple_of(2);
    let lower = match u {
        0x41..=0x5A | 0xC0..=0xD6 | 0xD8..=0xDE => u + 32,
        // Latin Extended-A: capital/small pairs, starting on even or odd code points.
        0x100..=0x12F | 0x132..=0x137 | 0x14A..=0x177 if even => u + 1,
        0x139..=0x148 | 0x179..=0x17E if !even => u + 1,
        0x178 => 0xFF,
        // Latin Extended-B's regular pairs.
        0x1A0 | 0x1AF => u + 1,
        0x1CD..=0x1DC if !even => u + 1,
        0x1DE..=0x1EF | 0x1F8..=0x21F | 0x222..=0x233 | 0x246..=0x24F if even => u + 1,
        // Greek capitals with and without tonos, and Cyrillic.
        0x386 => 0x3AC,
        0x388..=0x38A => u + 37,
        0x38C => 0x3CC,
        0x38E..=0x38F => u + 63,
        0x391..=0x3A1 | 0x3A3..=0x3AB | 0x410..=0x42F => u + 32,
        0x400..=0x40F => u + 80,
        0x460..=0x481 | 0x48A..=0x4BF | 0x4D0..=0x52F if even => u + 1,
        0x4C1..=0x4CE if !even => u + 1,
        0x4C0 => 0x4CF,
        _ => u,
    };
    char::from_u32(lower).unwrap_or(c)
}

fn response_key(r: &HitlRequest) -> Option<ResponseKey> {
    match ResponseValue::interpret(&r.response_type, r.response_data.as_ref()) {
        ResponseValue::None => None,
        ResponseValue::Rating(n) | ResponseValue::Number(n) => {
            n.as_f64().map(|n| ResponseKey::Number(Total(n)))
        }
        ResponseValue::YesNo(b) => Some(ResponseKey::YesNo(b)),
        other => text_key(&other.display()).map(ResponseKey::Text),
    }
}

/// Undocumented enum values, distinct and in name order: a value's position is its rank among
/// them. Ranking them up front keeps every enum key a plain integer; comparing `(rank, &str)`
/// tuples in the sort measured some 80 times slower than integers on 10,000 rows.
fn undocumented<'a>(values: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut names: Vec<&str> = values.filter(|v| !v.is_empty()).collect();
    // Through the one compiled sort (see `sort_stable`), not a sort of its own for `&str`.
    sort_stable(&mut names, &|a, b| a.cmp(b));
    names.dedup();
    names
}

/// The position of `raw` in `names` (present by construction).
fn position(names: &[&str], raw: &str) -> u32 {
    names.binary_search(&raw).unwrap_or_else(|i| i) as u32
}

/// Status keys: the documented order (pending, completed, timeout, cancelled), then
/// undocumented values by name; the empty value counts as missing.
fn status_keys<R: Borrow<HitlRequest>>(rows: &[R]) -> Vec<Option<u32>> {
    let others = undocumented(rows.iter().filter_map(|r| match &r.borrow().status {
        Status::Other(raw) => Some(raw.as_str()),
        _ => None,
    }));
    rows.iter()
        .map(|r| match &r.borrow().status {
            Status::Pending => Some(0),
            Status::Completed => Some(1),
            Status::Timeout => Some(2),
            Status::Cancelled => Some(3),
            Status::Other(raw) if raw.is_empty() => None,
            Status::Other(raw) => Some(4 + position(&others, raw)),
        })
        .collect()
}

/// Priority keys by rank (low < medium < high < critical); undocumented values rank below low
/// (where the server's `priority_desc` puts them), by name; the empty value counts as missing.
fn priority_keys<R: Borrow<HitlRequest>>(rows: &[R]) -> Vec<Option<u32>> {
    let others = undocumented(rows.iter().filter_map(|r| match &r.borrow().priority {
        Priority::Other(raw) => Some(raw.as_str()),
        _ => None,
    }));
    let base = others.len() as u32;
    rows.iter()
        .map(|r| match &r.borrow().priority {
            Priority::Other(raw) if raw.is_empty() => None,
            Priority::Other(raw) => Some(position(&others, raw)),
            p => Some(base + p.rank() as u32),
        })
        .collect()
}

fn time_key(t: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    t
}

/// The permutation that sorts `keys` (one per row, `None` for a missing value) in `direction`:
/// `result[k]` is the index of the row shown k-th. Present keys first, missing last in both
/// directions; equal keys keep their input order. Public so a view can sort by a key it derives
/// itself (say, a reviewer's email instead of their id). At most `u32::MAX` rows.
pub fn permutation_by_key<K: Ord>(keys: Vec<Option<K>>, direction: Direction) -> Vec<u32> {
    permutation(
        keys.len(),
        &|i| keys[i as usize].is_some(),
        &|a, b| keys[a as usize].cmp(&keys[b as usize]),
        direction,
    )
}

/// Sorts `items` stably by `cmp`, through the one compiled index sort below: a call to the
/// standard library's `sort_by` compiles a sort of its own for each closure (and each
/// instantiation of a generic caller); this costs only the reordering.
pub fn sort_stable<T>(items: &mut Vec<T>, cmp: &dyn Fn(&T, &T) -> Ordering) {
    let order = permutation(
        items.len(),
        &|_| true,
        &|a, b| cmp(&items[a as usize], &items[b as usize]),
        Direction::Asc,
    );
    let mut slots: Vec<Option<T>> = std::mem::take(items).into_iter().map(Some).collect();
    items.extend(order.into_iter().filter_map(|i| slots[i as usize].take()));
}

/// The sort behind [`permutation_by_key`] and [`sort_stable`], not generic over the key: the
/// standard library's sort is compiled once per instantiation, and every key type and
/// direction would add one.
/// Rows are compared through `cmp` (by index); `present` tells which rows have a key.
fn permutation(
    n: usize,
    present: &dyn Fn(u32) -> bool,
    cmp: &dyn Fn(u32, u32) -> Ordering,
    direction: Direction,
) -> Vec<u32> {
    let (mut order, missing): (Vec<u32>, Vec<u32>) = (0..n as u32).partition(|&i| present(i));
    // The index tie-break makes an unstable sort stable, without a merge sort's buffer.
    order.sort_unstable_by(|&a, &b| {
        let by_key = match direction {
            Direction::Asc => cmp(a, b),
            Direction::Desc => cmp(b, a),
        };
        by_key.then(a.cmp(&b))
    });
    order.extend(missing);
    order
}

/// [`sort_permutation`] where the Reviewer and Loop columns sort by what the table shows in
/// them: the reviewer's email and the loop's name where known (`users`, `loops`: id → label),
/// the raw id otherwise. Sorting by the hidden id would leave the visible column unsorted.
pub fn sort_permutation_named<R: Borrow<HitlRequest>>(
    rows: &[R],
    column: Column,
    direction: Direction,
    loops: &HashMap<String, String>,
    users: &HashMap<String, String>,
) -> Vec<u32> {
    let shown =
        |map: &HashMap<String, String>, id: &str| text_key(map.get(id).map_or(id, String::as_str));
    let keys: Vec<Option<String>> = match column {
        Column::Reviewer => rows
            .iter()
            .map(|r| {
                r.borrow()
                    .response_by
                    .as_deref()
                    .and_then(|id| shown(users, id))
            })
            .collect(),
        Column::Loop => rows
            .iter()
            .map(|r| shown(loops, &r.borrow().loop_id))
            .collect(),
        _ => return sort_permutation(rows, column, direction),
    };
    permutation_by_key(keys, direction)
}

/// The order of `rows` sorted by `column` in `direction`, as indices into `rows` (rows are never
/// moved or cloned). Keys are derived once per row, then sorted (decorate–sort–undecorate).
pub fn sort_permutation<R: Borrow<HitlRequest>>(
    rows: &[R],
    column: Column,
    direction: Direction,
) -> Vec<u32> {
    fn keys<'a, R: Borrow<HitlRequest>, K>(
        rows: &'a [R],
        f: impl Fn(&'a HitlRequest) -> Option<K>,
    ) -> Vec<Option<K>> {
        rows.iter().map(|r| f(r.borrow())).collect()
    }
    match column {
        Column::Created => permutation_by_key(keys(rows, |r| time_key(r.created_at)), direction),
        Column::Timeout => permutation_by_key(keys(rows, |r| time_key(r.timeout_at)), direction),
        Column::Status => permutation_by_key(status_keys(rows), direction),
        Column::Priority => permutation_by_key(priority_keys(rows), direction),
        Column::Type => {
            permutation_by_key(keys(rows, |r| text_key(r.content_type.as_str())), direction)
        }
        Column::Request => permutation_by_key(keys(rows, |r| text_key(&r.request_text)), direction),
        Column::Response => permutation_by_key(keys(rows, response_key), direction),
        Column::ResponseTime => permutation_by_key(
            keys(rows, |r| {
                r.response_time_seconds.filter(|t| !t.is_nan()).map(Total)
            }),
            direction,
        ),
        Column::Reviewer => permutation_by_key(
            keys(rows, |r| r.response_by.as_deref().and_then(text_key)),
            direction,
        ),
        Column::Loop => permutation_by_key(keys(rows, |r| text_key(&r.loop_id)), direction),
    }
}

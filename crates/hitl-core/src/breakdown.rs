//! Breakdowns of loaded requests "By loop" (`loop_id`), "By reviewer" (`response_by`) and
//! "By response type" (`response_type`): per row, and for the whole, the requests, how many
//! were completed or timed out, and the response times of the completed ones.
//!
//! Definitions (the same in [`crate::trends`]):
//! - completion rate = completed / requests (every status counts in `requests`), 0 when there
//!   are no requests — the seed's `analyzePriorityDistribution` rate, over every completed
//!   request;
//! - timeout rate = timeouts / (completed + timeouts), 0 when none finished — as
//!   [`crate::stats::Outcomes`] and [`crate::stats::PriorityRow`]: pending and cancelled work
//!   has had no chance to time out;
//! - response times follow the vendor's `analyze_response_times`: a completed request whose
//!   `response_time_seconds` is truthy (present and not 0), and finite besides, so that no sum
//!   can turn into `NaN`; the median is the vendor's `sorted[n / 2]` (the upper middle for an
//!   even count), the 90th percentile the nearest rank `sorted[⌈0.9 n⌉ − 1]` of
//!   [`crate::stats::ResponseTimeStats`], the average the plain mean. They are `None` when no
//!   completed request has such a time. Over finite data they equal the Overview's
//!   [`crate::stats::ResponseTimeStats`] of the same rows.
//!
//! The rows partition the requests, so they add up to the whole in `requests`, `completed`,
//! `timeouts` and `timed`. Every figure is computed in one pass plus one linear-time selection
//! per row; no `NaN` is ever returned.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::hash::Hash;

use rustc_hash::FxHashMap;

use crate::model::{HitlRequest, ResponseType, Status};
use crate::sorting::{sort_stable, Direction};

/// `part / whole`, or 0 when `whole` is 0.
pub(crate) fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// The response time the analytics count for `r`: completed, with a truthy (not 0, not `NaN`)
/// and finite `response_time_seconds` (see the module doc).
pub(crate) fn response_seconds(r: &HitlRequest) -> Option<f64> {
    if r.status != Status::Completed {
        return None;
    }
    r.response_time_seconds
        .filter(|t| *t != 0.0 && t.is_finite())
}

/// The index of the nearest-rank percentile in a sorted list of `n > 0` values,
/// `⌈percent / 100 · n⌉ − 1`, in integers (the rule of [`crate::stats::ResponseTimeStats`]).
pub(crate) fn rank_index(n: usize, percent: usize) -> usize {
    (percent * n).div_ceil(100).max(1) - 1
}

/// The vendor's median `sorted[n / 2]` and the nearest-rank 90th percentile of `times`, found
/// by selection (the slice is reordered); `None` when it is empty.
pub(crate) fn median_p90(times: &mut [f64]) -> Option<(f64, f64)> {
    let n = times.len();
    if n == 0 {
        return None;
    }
    // `n / 2 ≤ ⌈0.9 n⌉ − 1` for every n ≥ 1, so the percentile lies in the median's tail.
    let (m, p) = (n / 2, rank_index(n, 90));
    let (_, median, tail) = times.select_nth_unstable_by(m, f64::total_cmp);
    let median = *median;
    let p90 = if p > m {
        *tail.select_nth_unstable_by(p - m - 1, f64::total_cmp).1
    } else {
        median
    };
    Some((median, p90))
}

/// The figures of one row of a breakdown, or of the whole.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Figures {
    /// Requests in the row, every status.
    pub requests: usize,
    /// Completed requests (`status` completed), with or without a response time.
    pub completed: usize,
    /// Timed-out requests (`status` timeout).
    pub timeouts: usize,
    /// `completed / requests`; 0 when there are no requests.
    pub completion_rate: f64,
    /// `timeouts / (completed + timeouts)`; 0 when none finished.
    pub timeout_rate: f64,
    /// Completed requests whose response time counts (truthy and finite, see the module doc):
    /// the `n` of the three times below.
    pub timed: usize,
    /// The vendor's median response time, `sorted[n / 2]`, in seconds.
    pub median: Option<f64>,
    /// 90th percentile response time, nearest rank `sorted[⌈0.9 n⌉ − 1]`, in seconds.
    pub p90: Option<f64>,
    /// Mean response time (the vendor's `avg_response_time_seconds`), in seconds.
    pub average: Option<f64>,
}

/// Running counts of one row.
#[derive(Default)]
struct Acc {
    requests: usize,
    completed: usize,
    timeouts: usize,
    sum: f64,
    times: Vec<f64>,
}

impl Acc {
    fn add(&mut self, status: &Status, time: Option<f64>) {
        self.requests += 1;
        match status {
            Status::Completed => self.completed += 1,
            Status::Timeout => self.timeouts += 1,
            _ => {}
        }
        if let Some(t) = time {
            self.sum += t;
            self.times.push(t);
        }
    }

    fn figures(mut self) -> Figures {
        let timed = self.times.len();
        let order = median_p90(&mut self.times);
        Figures {
            requests: self.requests,
            completed: self.completed,
            timeouts: self.timeouts,
            completion_rate: share(self.completed, self.requests),
            timeout_rate: share(self.timeouts, self.completed + self.timeouts),
            timed,
            median: order.map(|o| o.0),
            p90: order.map(|o| o.1),
            average: (timed > 0).then(|| self.sum / timed as f64),
        }
    }
}

/// Rows keyed by a value borrowed from the requests, in order of first appearance.
struct Groups<Q> {
    // rustc's Fx hash: several times faster than SipHash on the short ids grouped here; the keys
    // are the API's own data, and the worst colliding ids could do is slow one view down.
    index: FxHashMap<Q, usize>,
    rows: Vec<(Q, Acc)>,
}

impl<Q: Hash + Eq + Copy> Groups<Q> {
    fn new() -> Self {
        Groups {
            index: FxHashMap::default(),
            rows: Vec::new(),
        }
    }

    fn add(&mut self, key: Q, status: &Status, time: Option<f64>) {
        let Groups { index, rows } = self;
        let i = *index.entry(key).or_insert_with(|| {
            rows.push((key, Acc::default()));
            rows.len() - 1
        });
        rows[i].1.add(status, time);
    }

    fn finish<K: BreakdownKey>(self, all: Figures, own: impl Fn(Q) -> K) -> Breakdown<K> {
        let mut b = Breakdown {
            rows: self
                .rows
                .into_iter()
                .map(|(q, acc)| BreakdownRow {
                    key: own(q),
                    figures: acc.figures(),
                })
                .collect(),
            all,
        };
        b.sort(BreakdownColumn::Requests, Direction::Desc);
        b
    }
}

/// What a breakdown's rows are keyed by: how keys sort and read.
pub trait BreakdownKey: Clone + PartialEq {
    /// The order of keys (ascending); a missing key is ordered by [`BreakdownKey::is_missing`].
    fn compare(&self, other: &Self) -> Ordering;
    /// True for the "no value" key (no reviewer), which sorts last in both directions.
    fn is_missing(&self) -> bool {
        false
    }
    /// The key for people: a loop id ("—" when empty), a reviewer id or "No reviewer", a
    /// response type's label.
    fn label(&self) -> Cow<'_, str>;
}

/// A loop id (`loop_id`); the empty id, sent by no documented request, is a row of its own.
impl BreakdownKey for String {
    fn compare(&self, other: &Self) -> Ordering {
        self.cmp(other)
    }
    fn label(&self) -> Cow<'_, str> {
        if self.is_empty() {
            Cow::Borrowed("—")
        } else {
            Cow::Borrowed(self)
        }
    }
}

/// A reviewer's user id (`response_by`); `None` for requests nobody answered.
impl BreakdownKey for Option<String> {
    fn compare(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Some(a), Some(b)) => a.cmp(b),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
    }
    fn is_missing(&self) -> bool {
        self.is_none()
    }
    fn label(&self) -> Cow<'_, str> {
        match self {
            Some(id) => Cow::Borrowed(id),
            None => Cow::Borrowed("No reviewer"),
        }
    }
}

/// A response type, in the documentation's order, then undocumented values by wire value.
impl BreakdownKey for ResponseType {
    fn compare(&self, other: &Self) -> Ordering {
        self.cmp(other)
    }
    fn label(&self) -> Cow<'_, str> {
        Cow::Borrowed(ResponseType::label(self))
    }
}

/// One row of a [`Breakdown`].
#[derive(Clone, Debug, PartialEq)]
pub struct BreakdownRow<K> {
    /// What the row's requests share.
    pub key: K,
    /// The row's figures.
    pub figures: Figures,
}

/// A column of a breakdown table, to sort by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BreakdownColumn {
    /// The row's key (loop id, reviewer id, response type).
    Key,
    /// [`Figures::requests`].
    Requests,
    /// [`Figures::completed`].
    Completed,
    /// [`Figures::completion_rate`].
    CompletionRate,
    /// [`Figures::timeouts`].
    Timeouts,
    /// [`Figures::timeout_rate`].
    TimeoutRate,
    /// [`Figures::median`].
    Median,
    /// [`Figures::p90`].
    P90,
    /// [`Figures::average`].
    Average,
}

impl BreakdownColumn {
    /// Every column, in a table's order.
    pub const ALL: [BreakdownColumn; 9] = [
        BreakdownColumn::Key,
        BreakdownColumn::Requests,
        BreakdownColumn::Completed,
        BreakdownColumn::CompletionRate,
        BreakdownColumn::Timeouts,
        BreakdownColumn::TimeoutRate,
        BreakdownColumn::Median,
        BreakdownColumn::P90,
        BreakdownColumn::Average,
    ];

    /// The header label (the key column's depends on the breakdown: see [`Dimension::key_label`]).
    pub fn label(self) -> &'static str {
        match self {
            BreakdownColumn::Key => "Key",
            BreakdownColumn::Requests => "Requests",
            BreakdownColumn::Completed => "Completed",
            BreakdownColumn::CompletionRate => "Completion rate",
            BreakdownColumn::Timeouts => "Timeouts",
            BreakdownColumn::TimeoutRate => "Timeout rate",
            BreakdownColumn::Median => "Median",
            BreakdownColumn::P90 => "90th percentile",
            BreakdownColumn::Average => "Average",
        }
    }

    /// The column's value in `f` (`None` for a time that is not known; never for key).
    fn value(self, f: &Figures) -> Option<f64> {
        match self {
            BreakdownColumn::Key => None,
            BreakdownColumn::Requests => Some(f.requests as f64),
            BreakdownColumn::Completed => Some(f.completed as f64),
            BreakdownColumn::CompletionRate => Some(f.completion_rate),
            BreakdownColumn::Timeouts => Some(f.timeouts as f64),
            BreakdownColumn::TimeoutRate => Some(f.timeout_rate),
            BreakdownColumn::Median => f.median,
            BreakdownColumn::P90 => f.p90,
            BreakdownColumn::Average => f.average,
        }
    }
}

/// Rows by one key, and the same figures for the whole.
#[derive(Clone, Debug, PartialEq)]
pub struct Breakdown<K> {
    /// One row per key present, by requests (most first) and then key, until
    /// [`Breakdown::sort`] orders them otherwise.
    pub rows: Vec<BreakdownRow<K>>,
    /// Every request together, for a total row (its times are over all requests, not an
    /// average of the rows').
    pub all: Figures,
}

impl<K: BreakdownKey> Breakdown<K> {
    /// Sorts the rows by `column` in `direction`, stably: an unknown time (`None`) and the
    /// missing key (no reviewer) go last in both directions, as in [`crate::sorting`]; equal
    /// values are ordered by key, ascending.
    pub fn sort(&mut self, column: BreakdownColumn, direction: Direction) {
        let directed = |o: Ordering| match direction {
            Direction::Asc => o,
            Direction::Desc => o.reverse(),
        };
        sort_stable(&mut self.rows, &|a, b| {
            let by_key = || {
                a.key
                    .is_missing()
                    .cmp(&b.key.is_missing())
                    .then_with(|| a.key.compare(&b.key))
            };
            if column == BreakdownColumn::Key {
                return a
                    .key
                    .is_missing()
                    .cmp(&b.key.is_missing())
                    .then_with(|| directed(a.key.compare(&b.key)));
            }
            let by_value = match (column.value(&a.figures), column.value(&b.figures)) {
                (Some(x), Some(y)) => directed(x.total_cmp(&y)),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            };
            by_value.then_with(by_key)
        });
    }

    /// The figures of `key`'s row, if present.
    pub fn get(&self, key: &K) -> Option<&Figures> {
        self.rows.iter().find(|r| &r.key == key).map(|r| &r.figures)
    }
}

/// The three breakdowns a view offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dimension {
    /// By `loop_id`.
    Loop,
    /// By `response_by`.
    Reviewer,
    /// By `response_type`.
    ResponseType,
}

impl Dimension {
    /// Every dimension, in a picker's order.
    pub const ALL: [Dimension; 3] = [
        Dimension::Loop,
        Dimension::Reviewer,
        Dimension::ResponseType,
    ];

    /// The picker's label: "By loop", "By reviewer", "By response type".
    pub fn label(self) -> &'static str {
        match self {
            Dimension::Loop => "By loop",
            Dimension::Reviewer => "By reviewer",
            Dimension::ResponseType => "By response type",
        }
    }

    /// The header of the key column: "Loop", "Reviewer", "Response type".
    pub fn key_label(self) -> &'static str {
        match self {
            Dimension::Loop => "Loop",
            Dimension::Reviewer => "Reviewer",
            Dimension::ResponseType => "Response type",
        }
    }
}

/// The breakdowns by loop, by reviewer and by response type of the same requests.
#[derive(Clone, Debug, PartialEq)]
pub struct Breakdowns {
    /// By `loop_id`.
    pub by_loop: Breakdown<String>,
    /// By `response_by`; requests without a reviewer (every pending, timed-out or cancelled
    /// one, and any completed one that does not say) in the `None` row.
    pub by_reviewer: Breakdown<Option<String>>,
    /// By `response_type`.
    pub by_response_type: Breakdown<ResponseType>,
}

impl Breakdowns {
    /// The three breakdowns of `rows` in one pass. For a [`crate::window::TimeWindow`], pass
    /// its requests (`rows.iter().filter(|r| bounds.contains(r.created_at))`). An empty
    /// `response_by` counts as no reviewer.
    pub fn compute<'a>(rows: impl IntoIterator<Item = &'a HitlRequest>) -> Breakdowns {
        let mut all = Acc::default();
        let mut by_loop: Groups<&'a str> = Groups::new();
        let mut by_reviewer: Groups<Option<&'a str>> = Groups::new();
        let mut by_type: Groups<&'a ResponseType> = Groups::new();
        for r in rows {
            let time = response_seconds(r);
            all.add(&r.status, time);
            by_loop.add(&r.loop_id, &r.status, time);
            let reviewer = r.response_by.as_deref().filter(|id| !id.is_empty());
            by_reviewer.add(reviewer, &r.status, time);
            by_type.add(&r.response_type, &r.status, time);
        }
        let all = all.figures();
        Breakdowns {
            by_loop: by_loop.finish(all, str::to_owned),
            by_reviewer: by_reviewer.finish(all, |q| q.map(str::to_owned)),
            by_response_type: by_type.finish(all, Clone::clone),
        }
    }

    /// The rows of `dimension` as (label, figures), in their current order: for a view that
    /// shows one dimension at a time.
    pub fn labelled(&self, dimension: Dimension) -> Vec<(Cow<'_, str>, &Figures)> {
        fn rows<K: BreakdownKey>(b: &Breakdown<K>) -> Vec<(Cow<'_, str>, &Figures)> {
            b.rows.iter().map(|r| (r.key.label(), &r.figures)).collect()
        }
        match dimension {
            Dimension::Loop => rows(&self.by_loop),
            Dimension::Reviewer => rows(&self.by_reviewer),
            Dimension::ResponseType => rows(&self.by_response_type),
        }
    }

    /// The figures of every request together (the same in all three breakdowns).
    pub fn all(&self) -> &Figures {
        &self.by_loop.all
    }
}

/// A breakdown row as a view shows it: its key as people read it (a loop's name, a reviewer's
/// email, a response type), the id it stands for, and its figures.
#[derive(Clone, Debug, PartialEq)]
pub struct ShownRow {
    /// The loop id or reviewer id (`None` for "No reviewer" and for response types).
    pub id: Option<String>,
    /// What the key column shows.
    pub label: String,
    /// The "no value" row (no reviewer): last in every order.
    pub missing: bool,
    /// The row's figures.
    pub figures: Figures,
}

/// Which id a key stands for, for [`Breakdown::shown`].
pub trait KeyId {
    /// The id, if the key is one (a loop id, a reviewer id).
    fn id(&self) -> Option<&str>;
}

impl KeyId for String {
    fn id(&self) -> Option<&str> {
        Some(self)
    }
}

impl KeyId for Option<String> {
    fn id(&self) -> Option<&str> {
        self.as_deref()
    }
}

impl KeyId for ResponseType {
    fn id(&self) -> Option<&str> {
        None
    }
}

impl<K: BreakdownKey + KeyId> Breakdown<K> {
    /// The rows as shown, each key read through `name` (a loop's name for its id, a reviewer's
    /// email for their user id) where it has one, else through [`BreakdownKey::label`] (the raw
    /// id): so a view shows ids when the names could not be loaded.
    pub fn shown(&self, name: &dyn Fn(&str) -> Option<String>) -> Vec<ShownRow> {
        self.rows
            .iter()
            .map(|r| ShownRow {
                id: r.key.id().map(str::to_owned),
                label: r
                    .key
                    .id()
                    .and_then(name)
                    .unwrap_or_else(|| r.key.label().into_owned()),
                missing: r.key.is_missing(),
                figures: r.figures,
            })
            .collect()
    }
}

/// Sorts shown rows by `column` in `direction`, stably, as [`Breakdown::sort`] does but with the
/// key column ordered by what it shows (case-insensitively, then as written): a table sorted by
/// "Loop" is in the order of the names on screen, not of ids nobody sees. The missing row and
/// unknown times go last in both directions; ties are broken by the label, ascending.
pub fn sort_shown(rows: &mut Vec<ShownRow>, column: BreakdownColumn, direction: Direction) {
    let directed = |o: Ordering| match direction {
        Direction::Asc => o,
        Direction::Desc => o.reverse(),
    };
    let fold = |s: &str| -> String { s.chars().map(crate::sorting::fold_case).collect() };
    let labels: Vec<(String, usize)> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (fold(&r.label), i))
        .collect();
    let mut order: Vec<usize> = (0..rows.len()).collect();
    let by_label = |a: usize, b: usize| {
        labels[a]
            .0
            .cmp(&labels[b].0)
            .then_with(|| rows[a].label.cmp(&rows[b].label))
    };
    sort_stable(&mut order, &|&a, &b| {
        let (x, y) = (&rows[a], &rows[b]);
        let missing = x.missing.cmp(&y.missing);
        if column == BreakdownColumn::Key {
            return missing.then_with(|| directed(by_label(a, b)));
        }
        let by_value = match (column.value(&x.figures), column.value(&y.figures)) {
            (Some(p), Some(q)) => directed(p.total_cmp(&q)),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        missing.then(by_value).then_with(|| by_label(a, b))
    });
    let mut taken: Vec<Option<ShownRow>> = std::mem::take(rows).into_iter().map(Some).collect();
    rows.extend(order.into_iter().filter_map(|i| taken[i].take()));
}

/// A breakdown as CSV (RFC 4180, CRLF, formula-guarded cells as [`crate::csv`] writes them):
/// the key column named `key_label`, the id, then `requests, completed, completion_rate,
/// timeouts, timeout_rate, timed, median_seconds, p90_seconds, average_seconds`, one line per
/// row in the given order and a last line "All" for every request together. Rates are
/// fractions (0.25), times seconds; an unknown time is an empty cell.
pub fn to_csv(key_label: &str, rows: &[ShownRow], all: &Figures) -> String {
    use crate::csv::cell;
    use crate::format::decimal;
    let mut out = String::with_capacity(128 * (rows.len() + 2));
    let header = [
        key_label,
        "id",
        "requests",
        "completed",
        "completion_rate",
        "timeouts",
        "timeout_rate",
        "timed",
        "median_seconds",
        "p90_seconds",
        "average_seconds",
    ];
    let cells: Vec<String> = header.iter().map(|h| cell(h)).collect();
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
    let time = |t: Option<f64>| t.filter(|t| t.is_finite()).map(decimal).unwrap_or_default();
    let line = |out: &mut String, label: &str, id: &str, f: &Figures| {
        let values = [
            cell(label),
            cell(id),
            f.requests.to_string(),
            f.completed.to_string(),
            decimal(f.completion_rate),
            f.timeouts.to_string(),
            decimal(f.timeout_rate),
            f.timed.to_string(),
            time(f.median),
            time(f.p90),
            time(f.average),
        ];
        out.push_str(&values.join(","));
        out.push_str("\r\n");
    };
    for r in rows {
        line(
            &mut out,
            &r.label,
            r.id.as_deref().unwrap_or(""),
            &r.figures,
        );
    }
    line(&mut out, "All", "", all);
    out
}

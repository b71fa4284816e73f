//! Analytics over loaded requests: the vendor's two examples reproduced exactly
//! (`analyze_response_times`, `analyzePriorityDistribution`), the views they miss (outcomes that
//! count timeouts, status shares, a daily series, a finer histogram). Chart geometry is in
//! [`crate::chart`].
//!
//! The seed's examples select rows with Python/JS truthiness: `r["response_time_seconds"]` is
//! false for `0` as well as for null. We keep that rule where we reproduce the seed (a response
//! time of exactly 0 s is left out of [`ResponseTimeStats`] and [`PriorityDistribution`]), so our
//! numbers equal the seed's on the same data. [`Outcomes`] is ours and uses every known time.
//!
//! Every share and rate here is 0 when its denominator is 0: no `NaN` ever reaches a view.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use std::borrow::Borrow;

use crate::format::{format_duration, Zone};
use crate::model::{HitlRequest, Priority, Status};

/// `part / whole`, or 0 when `whole` is 0: a rate that can always be displayed.
fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// JavaScript's `Math.round`: the nearest integer, halves towards +∞ (so −2.5 → −2).
/// `f64::round` sends halves away from zero, which differs from the seed for negative halves.
pub fn js_round(x: f64) -> f64 {
    let floor = x.floor();
    // `x - floor` is exact for every finite f64, so this never mis-rounds 0.49999999999999994
    // the way `(x + 0.5).floor()` does.
    if x - floor >= 0.5 {
        floor + 1.0
    } else {
        floor
    }
}

/// The response time the seed would use for `r`: completed and `response_time_seconds` truthy
/// (present, not 0, not NaN).
fn seed_response_time(r: &HitlRequest) -> Option<f64> {
    if r.status != Status::Completed {
        return None;
    }
    r.response_time_seconds.filter(|t| *t != 0.0 && !t.is_nan())
}

/// The response time of an answered request as best we know it: `response_time_seconds`, or
/// else `response_at − created_at` when both are known and not negative.
fn known_response_time(r: &HitlRequest) -> Option<f64> {
    r.response_time_seconds
        .filter(|t| t.is_finite())
        .or_else(|| {
            let (created, answered) = (r.created_at?, r.response_at?);
            let ms = answered.signed_duration_since(created).num_milliseconds();
            (ms >= 0).then(|| ms as f64 / 1000.0)
        })
}

/// One of the seed's four response-time ranges (`response_time_ranges`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResponseRange {
    /// `t < 300`.
    Under5Min,
    /// `300 ≤ t < 1800`.
    From5To30Min,
    /// `1800 ≤ t < 7200`.
    From30MinTo2Hours,
    /// `t ≥ 7200`.
    Over2Hours,
}

impl ResponseRange {
    /// The four ranges, shortest first (the seed's order).
    pub const ALL: [ResponseRange; 4] = [
        ResponseRange::Under5Min,
        ResponseRange::From5To30Min,
        ResponseRange::From30MinTo2Hours,
        ResponseRange::Over2Hours,
    ];

    /// The seed's dictionary key, e.g. `"5_to_30_min"`.
    pub fn key(self) -> &'static str {
        match self {
            ResponseRange::Under5Min => "under_5_min",
            ResponseRange::From5To30Min => "5_to_30_min",
            ResponseRange::From30MinTo2Hours => "30_min_to_2_hours",
            ResponseRange::Over2Hours => "over_2_hours",
        }
    }

    /// A label for people, e.g. "5–30 min".
    pub fn label(self) -> &'static str {
        match self {
            ResponseRange::Under5Min => "Under 5 min",
            ResponseRange::From5To30Min => "5–30 min",
            ResponseRange::From30MinTo2Hours => "30 min–2 h",
            ResponseRange::Over2Hours => "Over 2 h",
        }
    }

    /// The range `seconds` falls in, with the seed's boundaries (lower bound inclusive).
    /// Negative times land in the first range, as the seed's `t < 300` puts them there.
    pub fn of(seconds: f64) -> ResponseRange {
        if seconds < 300.0 {
            ResponseRange::Under5Min
        } else if seconds < 1800.0 {
            ResponseRange::From5To30Min
        } else if seconds < 7200.0 {
            ResponseRange::From30MinTo2Hours
        } else {
            ResponseRange::Over2Hours
        }
    }

    /// Position in [`ResponseRange::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// How many response times fell in one range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RangeCount {
    /// Which range.
    pub range: ResponseRange,
    /// Response times in it.
    pub count: usize,
    /// `count` over all counted response times (0 when there are none).
    pub share: f64,
}

/// Edges of the fine response-time histogram, in seconds: 0, 10 s, 30 s, 1 min, 2 min, 5 min,
/// 10 min, 30 min, 1 h, 2 h, 6 h, 12 h, 1 d, ∞. Roughly log-spaced because response times span
/// seconds to days; 5 min, 30 min and 2 h are edges so each seed range is a union of bins.
pub const HISTOGRAM_EDGES: [f64; 14] = [
    0.0,
    10.0,
    30.0,
    60.0,
    120.0,
    300.0,
    600.0,
    1800.0,
    3600.0,
    7200.0,
    21_600.0,
    43_200.0,
    86_400.0,
    f64::INFINITY,
];

/// Labels of the histogram bins, one per pair of adjacent [`HISTOGRAM_EDGES`].
pub const HISTOGRAM_LABELS: [&str; 13] = [
    "< 10 s",
    "10–30 s",
    "30 s–1 min",
    "1–2 min",
    "2–5 min",
    "5–10 min",
    "10–30 min",
    "30 min–1 h",
    "1–2 h",
    "2–6 h",
    "6–12 h",
    "12 h–1 d",
    "≥ 1 d",
];

/// The number of histogram bins.
pub const HISTOGRAM_BINS: usize = HISTOGRAM_LABELS.len();

/// The histogram bin of `seconds`: bin `i` holds `EDGES[i] ≤ t < EDGES[i + 1]`; negative times
/// go to the first bin so that the bins always sum to the count.
pub fn histogram_bin(seconds: f64) -> usize {
    // Edges are sorted: the number of edges ≤ t, minus one, is the bin.
    HISTOGRAM_EDGES[1..HISTOGRAM_BINS]
        .iter()
        .take_while(|edge| seconds >= **edge)
        .count()
}

/// One bin of the fine histogram.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HistogramBin {
    /// Inclusive lower edge, seconds.
    pub lower: f64,
    /// Exclusive upper edge, seconds (`f64::INFINITY` for the last bin).
    pub upper: f64,
    /// Label for people, e.g. "2–5 min".
    pub label: &'static str,
    /// Response times in this bin.
    pub count: usize,
}

/// The seed's `analyze_response_times`, plus percentiles and a finer histogram.
///
/// Counts completed requests with a truthy `response_time_seconds` (see the module doc).
#[derive(Clone, Debug, PartialEq)]
pub struct ResponseTimeStats {
    /// The seed's `total_completed`: how many response times were counted.
    pub count: usize,
    /// Mean in seconds (`avg_response_time_seconds`), summed in row order like the seed.
    pub average: f64,
    /// Fastest response, seconds.
    pub min: f64,
    /// Slowest response, seconds.
    pub max: f64,
    /// The seed's median: `sorted[len / 2]`. For an even length this is the upper of the two
    /// middle values, not their mean; we keep the seed's rule so the numbers match.
    pub median: f64,
    /// 90th percentile, nearest rank: `sorted[ceil(0.90 · n) − 1]`.
    pub p90: f64,
    /// 95th percentile, nearest rank: `sorted[ceil(0.95 · n) − 1]`.
    pub p95: f64,
    /// The seed's four ranges, in [`ResponseRange::ALL`] order.
    pub ranges: [RangeCount; 4],
    /// Counts per fine histogram bin, in [`HISTOGRAM_EDGES`] order; they sum to `count`.
    pub histogram: [usize; HISTOGRAM_BINS],
}

impl ResponseTimeStats {
    /// The statistics over `rows`, or `None` when no row qualifies (the seed returns
    /// `{"error": "No completed requests with response times"}` there).
    pub fn compute<R: Borrow<HitlRequest>>(rows: &[R]) -> Option<ResponseTimeStats> {
        let times: Vec<f64> = rows
            .iter()
            .filter_map(|r| seed_response_time(r.borrow()))
            .collect();
        Self::from_seconds(times)
    }

    /// The statistics over response times already selected, in seconds (NaN values are
    /// ignored); `None` when there are none. Takes the `Vec` to reorder it in place.
    pub fn from_seconds(mut times: Vec<f64>) -> Option<ResponseTimeStats> {
        times.retain(|t| !t.is_nan());
        if times.is_empty() {
            return None;
        }
        let mut sum = 0.0;
        let mut ranges = [0usize; 4];
        let mut histogram = [0usize; HISTOGRAM_BINS];
        for &t in &times {
            sum += t;
            ranges[ResponseRange::of(t).index()] += 1;
            histogram[histogram_bin(t)] += 1;
        }
        let n = times.len();
        // Only five order statistics are needed, so selection (O(n)) replaces a full sort: the
        // values are those of `sorted[i]` for the same indices, and 100,000 rows stay in the
        // low milliseconds even in WebAssembly.
        let [min, median, p90, p95, max] = order_statistics(
            &mut times,
            [0, n / 2, rank_index(n, 90), rank_index(n, 95), n - 1],
        );
        Some(ResponseTimeStats {
            count: n,
            average: sum / n as f64,
            min,
            max,
            median,
            p90,
            p95,
            ranges: ResponseRange::ALL.map(|range| RangeCount {
                range,
                count: ranges[range.index()],
                share: share(ranges[range.index()], n),
            }),
            histogram,
        })
    }

    /// The seed's `avg_response_time_formatted`.
    pub fn average_formatted(&self) -> String {
        format_duration(self.average)
    }

    /// The count in one of the seed's ranges.
    pub fn range(&self, range: ResponseRange) -> usize {
        self.ranges[range.index()].count
    }

    /// The fine histogram with edges and labels.
    pub fn histogram_bins(&self) -> Vec<HistogramBin> {
        (0..HISTOGRAM_BINS)
            .map(|i| HistogramBin {
                lower: HISTOGRAM_EDGES[i],
                upper: HISTOGRAM_EDGES[i + 1],
                label: HISTOGRAM_LABELS[i],
                count: self.histogram[i],
            })
            .collect()
    }
}

/// The index of the nearest-rank percentile in a sorted list of `n > 0` values:
/// `ceil(percent / 100 · n) − 1`. Integer arithmetic, since `0.95 * n` in floating point can
/// land a hair off an integer and shift the rank by one.
fn rank_index(n: usize, percent: usize) -> usize {
    (percent * n).div_ceil(100).max(1) - 1
}

/// The values `sorted[i]` would hold for each of `indices` (ascending, in bounds), found by
/// successive selection on the part of `values` not yet fixed: O(n) instead of a sort.
fn order_statistics<const K: usize>(values: &mut [f64], indices: [usize; K]) -> [f64; K] {
    let mut out = [0.0; K];
    // Everything before `fixed` is ≤ everything from `fixed` on, so later selections only look
    // at the tail.
    let mut fixed = 0;
    for (slot, &k) in out.iter_mut().zip(&indices) {
        if k >= fixed {
            values[fixed..].select_nth_unstable_by(k - fixed, f64::total_cmp);
            fixed = k + 1;
        }
        *slot = values[k];
    }
    out
}

/// One "answered within" threshold of [`Outcomes`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Within {
    /// The limit in seconds; answered means a response time strictly below it, the same
    /// boundary as the seed's ranges (so "within 5 min" equals the seed's `under_5_min`).
    pub limit_seconds: f64,
    /// Label for people, e.g. "within 30 min".
    pub label: &'static str,
    /// Completed requests answered in time.
    pub count: usize,
    /// `count` over all finished requests, timeouts included (0 when none finished).
    pub share: f64,
}

/// What happened to finished requests (completed or timed out): the honest view the seed's
/// response-time analysis misses, since it silently drops every request that timed out.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcomes {
    /// Completed + timed out.
    pub finished: usize,
    /// Completed (answered by a reviewer).
    pub completed: usize,
    /// Timed out (the default response was used).
    pub timeouts: usize,
    /// `timeouts / finished` (0 when none finished).
    pub timeout_rate: f64,
    /// Completed requests whose response time is unknown (no `response_time_seconds`, no usable
    /// `response_at`): answered, but counted in no "within" bucket.
    pub unknown_time: usize,
    /// Answered within 5 min, 30 min and 2 h, as counts and shares of all finished.
    pub within: [Within; 3],
}

impl Outcomes {
    /// The thresholds of [`Outcomes::within`], seconds, with labels.
    pub const THRESHOLDS: [(f64, &'static str); 3] = [
        (300.0, "within 5 min"),
        (1800.0, "within 30 min"),
        (7200.0, "within 2 h"),
    ];

    /// Outcomes over `rows`. A completed request's time is `response_time_seconds` (0 counts),
    /// or else `response_at − created_at`.
    pub fn compute<R: Borrow<HitlRequest>>(rows: &[R]) -> Outcomes {
        let (mut completed, mut timeouts, mut unknown_time) = (0, 0, 0);
        let mut within = [0usize; 3];
        for r in rows {
            let r = r.borrow();
            match r.status {
                Status::Completed => {
                    completed += 1;
                    match known_response_time(r) {
                        Some(t) => {
                            for (slot, (limit, _)) in within.iter_mut().zip(Self::THRESHOLDS) {
                                *slot += usize::from(t < limit);
                            }
                        }
                        None => unknown_time += 1,
                    }
                }
                Status::Timeout => timeouts += 1,
                _ => {}
            }
        }
        let finished = completed + timeouts;
        Outcomes {
            finished,
            completed,
            timeouts,
            timeout_rate: share(timeouts, finished),
            unknown_time,
            within: std::array::from_fn(|i| Within {
                limit_seconds: Self::THRESHOLDS[i].0,
                label: Self::THRESHOLDS[i].1,
                count: within[i],
                share: share(within[i], finished),
            }),
        }
    }
}

/// One priority's row of [`PriorityDistribution`].
#[derive(Clone, Debug, PartialEq)]
pub struct PriorityRow {
    /// The priority (an `Other` row for each undocumented value present).
    pub priority: Priority,
    /// Requests with this priority.
    pub count: usize,
    /// The seed's `completed`: completed requests WITH a truthy `response_time_seconds`.
    pub completed: usize,
    /// `completed / count`; 0 when `count` is 0 (the seed would divide by zero and get NaN).
    pub completion_rate: f64,
    /// Mean response time over `completed`, rounded like JS `Math.round`; `None` when
    /// `completed` is 0 (the seed shows 0 there, which reads as "instant").
    pub avg_response_time: Option<f64>,
    /// Completed or timed-out requests with this priority (any response time).
    pub finished: usize,
    /// Timed-out requests with this priority.
    pub timeouts: usize,
    /// `timeouts / finished`; 0 when nothing finished. Pending work is left out because it has
    /// not had the chance to time out yet.
    pub timeout_rate: f64,
}

/// The seed's `analyzePriorityDistribution`, plus timeouts.
#[derive(Clone, Debug, PartialEq)]
pub struct PriorityDistribution {
    /// Low, medium, high, critical (always, even with count 0), then one row per undocumented
    /// value present, by wire value. The seed would crash on an undocumented value.
    pub rows: Vec<PriorityRow>,
}

#[derive(Default)]
struct PriorityAcc {
    count: usize,
    completed: usize,
    sum: f64,
    finished: usize,
    timeouts: usize,
}

impl PriorityAcc {
    fn add(&mut self, r: &HitlRequest) {
        self.count += 1;
        if let Some(t) = seed_response_time(r) {
            self.completed += 1;
            self.sum += t;
        }
        match r.status {
            Status::Completed => self.finished += 1,
            Status::Timeout => {
                self.finished += 1;
                self.timeouts += 1;
            }
            _ => {}
        }
    }

    fn row(self, priority: Priority) -> PriorityRow {
        PriorityRow {
            priority,
            count: self.count,
            completed: self.completed,
            completion_rate: share(self.completed, self.count),
            avg_response_time: (self.completed > 0)
                .then(|| js_round(self.sum / self.completed as f64)),
            finished: self.finished,
            timeouts: self.timeouts,
            timeout_rate: share(self.timeouts, self.finished),
        }
    }
}

impl PriorityDistribution {
    /// The distribution over `rows`.
    pub fn compute<R: Borrow<HitlRequest>>(rows: &[R]) -> PriorityDistribution {
        let mut documented: [PriorityAcc; 4] = Default::default();
        // Undocumented values are rare: a small Vec beats a map here (and in code size).
        let mut others: Vec<(String, PriorityAcc)> = Vec::new();
        for r in rows {
            let r = r.borrow();
            match &r.priority {
                Priority::Other(raw) => match others.iter_mut().find(|(k, _)| k == raw) {
                    Some((_, acc)) => acc.add(r),
                    None => {
                        let mut acc = PriorityAcc::default();
                        acc.add(r);
                        others.push((raw.clone(), acc));
                    }
                },
                p => documented[p.rank() as usize].add(r),
            }
        }
        crate::sorting::sort_stable(&mut others, &|a, b| a.0.cmp(&b.0));
        let rows = Priority::ALL
            .iter()
            .cloned()
            .zip(documented)
            .map(|(p, acc)| acc.row(p))
            .chain(
                others
                    .into_iter()
                    .map(|(raw, acc)| acc.row(Priority::Other(raw))),
            )
            .collect();
        PriorityDistribution { rows }
    }

    /// The row of `priority`, if present.
    pub fn get(&self, priority: &Priority) -> Option<&PriorityRow> {
        self.rows.iter().find(|r| &r.priority == priority)
    }
}

/// One status's count.
#[derive(Clone, Debug, PartialEq)]
pub struct StatusCount {
    /// The status (an `Other` row for each undocumented value present).
    pub status: Status,
    /// Requests with this status.
    pub count: usize,
    /// `count` over all rows (0 when there are none).
    pub share: f64,
}

/// Requests per status among loaded rows.
#[derive(Clone, Debug, PartialEq)]
pub struct StatusCounts {
    /// All rows counted.
    pub total: usize,
    /// Pending, completed, timeout, cancelled (always), then one row per undocumented value
    /// present, by wire value (the empty value, a missing status, included).
    pub rows: Vec<StatusCount>,
}

impl StatusCounts {
    /// Counts over `rows`.
    pub fn compute<R: Borrow<HitlRequest>>(rows: &[R]) -> StatusCounts {
        let mut documented = [0usize; 4];
        let mut others: Vec<(String, usize)> = Vec::new();
        for r in rows {
            match &r.borrow().status {
                Status::Pending => documented[0] += 1,
                Status::Completed => documented[1] += 1,
                Status::Timeout => documented[2] += 1,
                Status::Cancelled => documented[3] += 1,
                Status::Other(raw) => match others.iter_mut().find(|(k, _)| k == raw) {
                    Some((_, n)) => *n += 1,
                    None => others.push((raw.clone(), 1)),
                },
            }
        }
        crate::sorting::sort_stable(&mut others, &|a, b| a.cmp(b));
        let total = rows.len();
        let rows = Status::ALL
            .iter()
            .cloned()
            .zip(documented)
            .chain(others.into_iter().map(|(raw, n)| (Status::Other(raw), n)))
            .map(|(status, count)| StatusCount {
                status,
                count,
                share: share(count, total),
            })
            .collect();
        StatusCounts { total, rows }
    }

    /// The count of `status` (0 when absent).
    pub fn count(&self, status: &Status) -> usize {
        self.rows
            .iter()
            .find(|r| &r.status == status)
            .map_or(0, |r| r.count)
    }

    /// All rows whose status is undocumented.
    pub fn other_total(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| matches!(r.status, Status::Other(_)))
            .map(|r| r.count)
            .sum()
    }
}

/// One calendar day of [`DailySeries`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DayCount {
    /// The day, in the series' offset.
    pub date: NaiveDate,
    /// Requests created that day.
    pub created: usize,
    /// Requests completed that day (by `response_at`).
    pub completed: usize,
}

/// Requests created vs completed per calendar day.
#[derive(Clone, Debug, PartialEq)]
pub struct DailySeries {
    /// Offset of the days, minutes east of UTC (at the newest event: a zone with daylight
    /// saving counts each event's day with the offset of its own instant).
    pub offset_minutes: i32,
    /// Every day from the first event to the last, zero days included, oldest first.
    pub days: Vec<DayCount>,
    /// Events left out because they lay more than [`DailySeries::MAX_DAYS`] days before the
    /// newest one (one bogus timestamp must not make a chart of thousands of empty days).
    pub dropped: usize,
}

impl DailySeries {
    /// The longest series built, in days (about ten years).
    pub const MAX_DAYS: i64 = 3660;

    /// The series over `rows`, days in `zone` (a fixed offset in minutes east of UTC, or a zone
    /// whose offset changes; an offset beyond ±24 h is treated as UTC). A completed request
    /// counts on the day of its `response_at`, or of `created_at + response_time_seconds` when
    /// `response_at` is missing.
    pub fn compute<R: Borrow<HitlRequest>>(rows: &[R], zone: impl Zone) -> DailySeries {
        let offset_secs = |t: DateTime<Utc>| {
            let m = zone.offset_at(t);
            if m.unsigned_abs() < 24 * 60 {
                i64::from(m) * 60
            } else {
                0
            }
        };
        let day_of = |t: DateTime<Utc>| (t.timestamp() + offset_secs(t)).div_euclid(86_400);
        // The newest instant, for the label's offset.
        let mut newest: Option<DateTime<Utc>> = None;
        let mut seen = |t: DateTime<Utc>| {
            newest = Some(newest.map_or(t, |n| n.max(t)));
            day_of(t)
        };
        // (day number, is-completion) pairs; day numbers count from 1970-01-01.
        let mut events: Vec<(i64, bool)> = Vec::with_capacity(rows.len() * 2);
        for r in rows {
            let r = r.borrow();
            if let Some(c) = r.created_at {
                events.push((seen(c), false));
            }
            if r.status == Status::Completed {
                let done = r.response_at.or_else(|| {
                    // Checked all the way: an absurd response time must not panic the page.
                    let ms = (r.response_time_seconds? * 1000.0) as i64;
                    r.created_at?
                        .checked_add_signed(Duration::try_milliseconds(ms)?)
                });
                if let Some(d) = done {
                    events.push((seen(d), true));
                }
            }
        }
        let offset_minutes = zone.offset_at(newest.unwrap_or_default());
        let Some(last) = events.iter().map(|e| e.0).max() else {
            return DailySeries {
                offset_minutes,
                days: Vec::new(),
                dropped: 0,
            };
        };
        let first_allowed = last - (Self::MAX_DAYS - 1);
        let first = events
            .iter()
            .map(|e| e.0)
            .filter(|d| *d >= first_allowed)
            .min()
            .unwrap_or(last);
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date");
        let mut days: Vec<DayCount> = (first..=last)
            .map(|d| DayCount {
                date: epoch + Duration::days(d),
                created: 0,
                completed: 0,
            })
            .collect();
        let mut dropped = 0;
        for (d, done) in events {
            if d < first {
                dropped += 1;
                continue;
            }
            let day = &mut days[(d - first) as usize];
            if done {
                day.completed += 1;
            } else {
                day.created += 1;
            }
        }
        DailySeries {
            offset_minutes,
            days,
            dropped,
        }
    }
}

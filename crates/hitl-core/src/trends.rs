//! Trends over a [`TimeWindow`]: per local day (per local hour for
//! [`TimeWindow::Last24Hours`]) the requests created, completed and timed out, the timeout rate
//! and the response times of the completed ones.
//!
//! Which requests: those created in the window ([`Bounds::contains`]), the set the window loads.
//! Each of their events is counted in the bucket of its own instant:
//! - created: `created_at`;
//! - completed: `response_at`, or `created_at + response_time_seconds` when `response_at` is
//!   missing — the day it was answered, as [`crate::stats::DailySeries`] counts it;
//! - timed out: `timeout_at`, or `updated_at` when `timeout_at` is missing. `timeout_at` is the
//!   deadline set at creation, the instant the default response took effect; unlike
//!   `updated_at` it never moves, so a past day's count stays the same across reloads (and
//!   where both are known they normally agree, as in the demo data).
//!
//! An event after the last bucket (a request created on the window's last day and answered the
//! day after) is counted in [`Trends::later`], one before the first in [`Trends::earlier`]
//! (only possible when the buckets are capped, or for a response stamped before its request),
//! one without a usable instant in [`Trends::undated`]; so for each of created, completed and
//! timeouts, the buckets plus those three add up to [`Trends::totals`].
//!
//! Buckets are the local days (hours) of the zone, each from its start to the next one's, and
//! cover the window without gap: empty buckets are included, a local hour the clocks skip has
//! no bucket, a local hour they repeat is one bucket of two hours, a day with a change of offset
//! lasts 23 or 25 hours. The first bucket of the
//! 24-hour window starts at `now − 24 h`, inside a clock hour. [`TimeWindow::All`] runs from
//! the day of the oldest request to today. At most [`MAX_BUCKETS`] buckets are kept, the newest.
//!
//! Per bucket, the timeout rate and the response times follow the definitions of
//! [`crate::breakdown`]: timeouts / (completed + timeouts), 0 when none; the vendor's median
//! `sorted[n / 2]` and the nearest-rank 90th percentile over the bucket's completed requests
//! with a truthy, finite `response_time_seconds`.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use std::borrow::Borrow;

use crate::breakdown::{median_p90, response_seconds, share};
use crate::format::Zone;
use crate::model::{HitlRequest, Status};
use crate::window::{date_of_day, first_instant, local_index, Bounds, TimeWindow, DAY, HOUR};

/// The most buckets a series holds: 400 days, over a year with room for a year-on-year look.
/// A longer window (custom, or all of a long history) keeps its newest 400 days; events before
/// them are counted in [`Trends::earlier`].
pub const MAX_BUCKETS: usize = 400;

/// The length of a bucket.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BucketUnit {
    /// A local clock hour (the 24-hour window).
    Hour,
    /// A local calendar day.
    Day,
}

impl BucketUnit {
    fn seconds(self) -> i64 {
        match self {
            BucketUnit::Hour => HOUR,
            BucketUnit::Day => DAY,
        }
    }
}

/// Created, completed and timed-out counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TrendCounts {
    /// Requests created.
    pub created: usize,
    /// Requests completed (`status` completed).
    pub completed: usize,
    /// Requests timed out (`status` timeout).
    pub timeouts: usize,
}

/// One bucket of [`Trends`].
#[derive(Clone, Debug, PartialEq)]
pub struct TrendBucket {
    /// First instant of the bucket.
    pub start: DateTime<Utc>,
    /// First instant after it (exclusive): the next bucket's `start`.
    pub end: DateTime<Utc>,
    /// The local date of the bucket (of its start) in the zone.
    pub date: NaiveDate,
    /// The local hour (0–23) of an hourly bucket; `None` for a day.
    pub hour: Option<u32>,
    /// Requests created in the bucket.
    pub created: usize,
    /// Requests of the window answered in the bucket.
    pub completed: usize,
    /// Requests of the window that timed out in the bucket.
    pub timeouts: usize,
    /// `timeouts / (completed + timeouts)`; 0 when neither.
    pub timeout_rate: f64,
    /// Completed requests of the bucket whose response time counts: the `n` of the times.
    pub timed: usize,
    /// The vendor's median response time, `sorted[n / 2]`, in seconds.
    pub median: Option<f64>,
    /// 90th percentile response time, nearest rank, in seconds.
    pub p90: Option<f64>,
}

/// The per-bucket series of a window.
#[derive(Clone, Debug, PartialEq)]
pub struct Trends {
    /// Hours for the 24-hour window, days otherwise.
    pub unit: BucketUnit,
    /// Contiguous buckets, oldest first; empty when the window holds no instant (or, for
    /// [`TimeWindow::All`], no dated request).
    pub buckets: Vec<TrendBucket>,
    /// Every event of the window's requests: its requests, and how many of them completed
    /// and timed out.
    pub totals: TrendCounts,
    /// Events before the first bucket (older than the [`MAX_BUCKETS`] kept).
    pub earlier: TrendCounts,
    /// Events at or after the last bucket's end (answered or timed out after the window).
    pub later: TrendCounts,
    /// Events without a usable instant (no `created_at` in [`TimeWindow::All`], a completed
    /// request with neither `response_at` nor a usable response time, a timeout with neither
    /// `timeout_at` nor `updated_at`).
    pub undated: TrendCounts,
}

/// The instant a completed request was answered: `response_at`, or `created_at` plus the
/// response time (checked all the way: an absurd time must not panic the page).
fn answered_at(r: &HitlRequest) -> Option<DateTime<Utc>> {
    r.response_at.or_else(|| {
        let secs = r.response_time_seconds.filter(|t| t.is_finite())?;
        let ms = (secs * 1000.0) as i64;
        r.created_at?
            .checked_add_signed(Duration::try_milliseconds(ms)?)
    })
}

/// Where an event falls.
enum Place {
    Bucket(usize),
    Earlier,
    Later,
    Undated,
}

impl TrendCounts {
    fn field(&mut self, which: usize) -> &mut usize {
        match which {
            0 => &mut self.created,
            1 => &mut self.completed,
            _ => &mut self.timeouts,
        }
    }
}

impl Trends {
    /// The series of `window` at `now`, buckets in `zone`, over the requests of `rows` created
    /// in the window (the rest are ignored). One pass over the rows, then one linear-time
    /// selection per bucket.
    pub fn compute<R: Borrow<HitlRequest>, Z: Zone + ?Sized>(
        rows: &[R],
        window: &TimeWindow,
        now: DateTime<Utc>,
        zone: &Z,
    ) -> Trends {
        let unit = if *window == TimeWindow::Last24Hours {
            BucketUnit::Hour
        } else {
            BucketUnit::Day
        };
        let bounds = window.bounds(now, zone);
        let boundaries = boundaries(rows, &bounds, unit, now, zone);
        let (first, last) = match (boundaries.first(), boundaries.last()) {
            (Some(f), Some(l)) => (*f, *l),
            _ => (now, now),
        };
        let place = |t: Option<DateTime<Utc>>| match t {
            None => Place::Undated,
            Some(t) if t < first => Place::Earlier,
            Some(t) if t >= last => Place::Later,
            Some(t) => Place::Bucket(boundaries.partition_point(|b| *b <= t) - 1),
        };
        let n = boundaries.len().saturating_sub(1);
        let mut counts = vec![TrendCounts::default(); n];
        let mut totals = TrendCounts::default();
        let (mut earlier, mut later, mut undated) = (totals, totals, totals);
        // (bucket, seconds) of each timed completion, sorted into buckets afterwards.
        let mut timed: Vec<(u32, f64)> = Vec::new();
        let mut timed_per_bucket = vec![0usize; n];
        for r in rows {
            let r = r.borrow();
            if !bounds.contains(r.created_at) {
                continue;
            }
            let mut count = |which: usize, at: Option<DateTime<Utc>>| {
                *totals.field(which) += 1;
                let place = place(at);
                let slot = match &place {
                    Place::Bucket(i) => counts[*i].field(which),
                    Place::Earlier => earlier.field(which),
                    Place::Later => later.field(which),
                    Place::Undated => undated.field(which),
                };
                *slot += 1;
                place
            };
            count(0, r.created_at);
            match r.status {
                Status::Completed => {
                    if let Place::Bucket(i) = count(1, answered_at(r)) {
                        if let Some(t) = response_seconds(r) {
                            timed.push((i as u32, t));
                            timed_per_bucket[i] += 1;
                        }
                    }
                }
                Status::Timeout => {
                    count(2, r.timeout_at.or(r.updated_at));
                }
                _ => {}
            }
        }
        // A counting sort: each bucket's times side by side in one buffer.
        let mut offsets = Vec::with_capacity(n + 1);
        let mut sum = 0;
        offsets.push(0);
        for c in &timed_per_bucket {
            sum += c;
            offsets.push(sum);
        }
        let mut times = vec![0.0; timed.len()];
        let mut next = offsets.clone();
        for (i, t) in timed {
            times[next[i as usize]] = t;
            next[i as usize] += 1;
        }
        let unit_secs = unit.seconds();
        let buckets = counts
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                let (start, end) = (boundaries[i], boundaries[i + 1]);
                let index = local_index(zone, start, unit_secs);
                let (date, hour) = match unit {
                    BucketUnit::Hour => (
                        date_of_day(index.div_euclid(24)),
                        Some(index.rem_euclid(24) as u32),
                    ),
                    BucketUnit::Day => (date_of_day(index), None),
                };
                let bucket_times = &mut times[offsets[i]..offsets[i + 1]];
                let order = median_p90(bucket_times);
                TrendBucket {
                    start,
                    end,
                    date,
                    hour,
                    created: c.created,
                    completed: c.completed,
                    timeouts: c.timeouts,
                    timeout_rate: share(c.timeouts, c.completed + c.timeouts),
                    timed: bucket_times.len(),
                    median: order.map(|o| o.0),
                    p90: order.map(|o| o.1),
                }
            })
            .collect();
        Trends {
            unit,
            buckets,
            totals,
            earlier,
            later,
            undated,
        }
    }
}

/// The buckets' boundaries, ascending: `[b0, b1, …, bn]` for buckets `[b_i, b_{i+1})`; empty
/// when there is no bucket. A window without a start begins at the day of the oldest request
/// created in it; one without an end ends with today (or this hour).
fn boundaries<R: Borrow<HitlRequest>, Z: Zone + ?Sized>(
    rows: &[R],
    bounds: &Bounds,
    unit: BucketUnit,
    now: DateTime<Utc>,
    zone: &Z,
) -> Vec<DateTime<Utc>> {
    let unit_secs = unit.seconds();
    let start = bounds.start.or_else(|| {
        let oldest = rows
            .iter()
            .filter_map(|r| r.borrow().created_at)
            .filter(|t| bounds.contains_instant(*t))
            .min()?;
        first_instant(zone, local_index(zone, oldest, unit_secs), unit_secs)
    });
    let end = bounds.end.or_else(|| {
        let next = local_index(zone, now, unit_secs).checked_add(1)?;
        first_instant(zone, next, unit_secs)
    });
    let (Some(start), Some(end)) = (start, end) else {
        return Vec::new();
    };
    // Walk back from the end, one local hour or day at a time, so that a cap keeps the newest.
    let mut out = vec![end];
    let mut b = end;
    while b > start && out.len() <= MAX_BUCKETS {
        let Some(before) = b.checked_sub_signed(Duration::seconds(1)) else {
            break;
        };
        let p = first_instant(zone, local_index(zone, before, unit_secs), unit_secs)
            .filter(|p| *p < b)
            // Never stall: a zone that misbehaves still yields buckets of one nominal unit.
            .or_else(|| b.checked_sub_signed(Duration::seconds(unit_secs)))
            .map_or(start, |p| p.max(start));
        out.push(p);
        b = p;
    }
    out.reverse();
    out
}

//! The time window of the operations analytics: which requests count, by `created_at`, and how
//! much of the list must be loaded to have them all.
//!
//! Days and hours are counted in a [`Zone`] (the zone the app's "Times" toggle shows), each
//! instant with the offset of its own instant, exactly as [`crate::stats::DailySeries`] counts
//! days: the local day of `t` is `⌊(t + offset(t)) / 86,400 s⌋`. A day in a zone with daylight
//! saving can so last 23 or 25 hours, and its start is found per day, not by adding 24 hours.
//!
//! Every window is a half-open interval of instants, `[start, end)`: a request created exactly
//! at `start` is inside, one created exactly at `end` is outside. [`TimeWindow::bounds`] gives
//! it for a given "now"; the clock is never read here.
//!
//! | Window | `start` | `end` (exclusive) |
//! |---|---|---|
//! | [`TimeWindow::Last24Hours`] | `now − 24 h` | the start of the next clock hour after `now` |
//! | [`TimeWindow::Last7Days`] | the start of the day 6 days before today | the start of tomorrow |
//! | [`TimeWindow::Last30Days`] | the start of the day 29 days before today | the start of tomorrow |
//! | [`TimeWindow::Custom`] | the start of `from` | the start of the day after `to` |
//! | [`TimeWindow::All`] | none | none |
//!
//! The relative windows end at the end of the current hour or day rather than at `now`, so that
//! the trend buckets ([`crate::trends`]) are whole and a request stamped a little after `now` by
//! a server clock ahead of the browser's still counts.
//!
//! In the URL a window is `window=24h|7d|30d|all` or `from=YYYY-MM-DD&to=YYYY-MM-DD`; the default
//! (all) is written as nothing.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use std::borrow::Borrow;

use crate::format::{thousands, Zone};
use crate::loader::{calls_for, PAGE};
use crate::model::HitlRequest;
use crate::query::{encode_pairs, QueryError, RequestQuery};

/// The query-string keys [`TimeWindow`] owns; other keys belong to the rest of the app.
pub const PARAMS: [&str; 3] = ["window", "from", "to"];

/// Seconds in an hour: the unit of hourly buckets.
pub(crate) const HOUR: i64 = 3600;
/// Seconds in a (nominal) day: the unit of daily buckets.
pub(crate) const DAY: i64 = 86_400;

/// Which requests the analytics cover, by `created_at`. `Default` is [`TimeWindow::All`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum TimeWindow {
    /// The 24 hours before `now` (and the rest of the current clock hour): `window=24h`.
    Last24Hours,
    /// Today and the 6 days before it, in the zone: `window=7d`.
    Last7Days,
    /// Today and the 29 days before it, in the zone: `window=30d`.
    Last30Days,
    /// Every loaded request, with or without a `created_at`: `window=all` or no parameter.
    #[default]
    All,
    /// The days `from` to `to`, both included, in the zone: `from=…&to=…`. A window built with
    /// `from` after `to` is empty; [`TimeWindow::custom`] refuses one.
    Custom {
        /// The first day.
        from: NaiveDate,
        /// The last day (included).
        to: NaiveDate,
    },
}

/// The month abbreviations of labels.
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// "7 Nov", optionally with the year: "7 Nov 2026".
fn day_label(d: NaiveDate, with_year: bool) -> String {
    let month = MONTHS[d.month0() as usize % 12];
    if with_year {
        format!("{} {month} {}", d.day(), d.year())
    } else {
        format!("{} {month}", d.day())
    }
}

/// Reads `YYYY-MM-DD` exactly (four-digit year, two-digit month and day, a real date).
fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = i32::try_from(digits(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, digits(5..7)?, digits(8..10)?)
}

fn invalid(data: impl Into<String>) -> QueryError {
    QueryError {
        msg: "Invalid time window",
        data: data.into(),
    }
}

impl TimeWindow {
    /// The preset windows, in the order a picker offers them (the default last).
    pub const PRESETS: [TimeWindow; 4] = [
        TimeWindow::Last24Hours,
        TimeWindow::Last7Days,
        TimeWindow::Last30Days,
        TimeWindow::All,
    ];

    /// A custom window of the days `from` to `to`, both included; refused when `from` is after
    /// `to` (with the same message as the URL parser).
    pub fn custom(from: NaiveDate, to: NaiveDate) -> Result<TimeWindow, QueryError> {
        if from > to {
            Err(invalid("from must not be after to"))
        } else {
            Ok(TimeWindow::Custom { from, to })
        }
    }

    /// The `window` value of a preset ("24h", "7d", "30d", "all"); `None` for a custom window.
    pub fn key(&self) -> Option<&'static str> {
        match self {
            TimeWindow::Last24Hours => Some("24h"),
            TimeWindow::Last7Days => Some("7d"),
            TimeWindow::Last30Days => Some("30d"),
            TimeWindow::All => Some("all"),
            TimeWindow::Custom { .. } => None,
        }
    }

    /// The preset whose `window` value is `key`.
    pub fn parse_key(key: &str) -> Option<TimeWindow> {
        Self::PRESETS.into_iter().find(|w| w.key() == Some(key))
    }

    /// A short label: "Last 24 hours", "Last 7 days", "Last 30 days", "All time", or the custom
    /// days: "1 Nov – 7 Nov 2026", "28 Dec 2026 – 3 Jan 2027", "1 Nov 2026" for one day.
    pub fn label(&self) -> String {
        match *self {
            TimeWindow::Last24Hours => "Last 24 hours".to_owned(),
            TimeWindow::Last7Days => "Last 7 days".to_owned(),
            TimeWindow::Last30Days => "Last 30 days".to_owned(),
            TimeWindow::All => "All time".to_owned(),
            TimeWindow::Custom { from, to } if from == to => day_label(from, true),
            TimeWindow::Custom { from, to } => format!(
                "{} – {}",
                day_label(from, from.year() != to.year()),
                day_label(to, true)
            ),
        }
    }

    /// What the window covers, for a sentence under the figures, with `count` requests in it:
    /// "Requests created in the last 7 days: 1,204", "Requests created 1 Nov – 7 Nov 2026: 96",
    /// "All requests: 1,204".
    pub fn describe(&self, count: u64) -> String {
        let n = thousands(count);
        match self {
            TimeWindow::Last24Hours => format!("Requests created in the last 24 hours: {n}"),
            TimeWindow::Last7Days => format!("Requests created in the last 7 days: {n}"),
            TimeWindow::Last30Days => format!("Requests created in the last 30 days: {n}"),
            TimeWindow::All => format!("All requests: {n}"),
            TimeWindow::Custom { .. } => format!("Requests created {}: {n}", self.label()),
        }
    }

    /// The window's instants for `now`, days and hours counted in `zone` (see the module doc's
    /// table). A bound beyond chrono's range of dates is `None` (unbounded).
    pub fn bounds<Z: Zone + ?Sized>(&self, now: DateTime<Utc>, zone: &Z) -> Bounds {
        let day_start = |day: i64| first_instant(zone, day, DAY);
        let (start, end) = match *self {
            TimeWindow::All => (None, None),
            TimeWindow::Last24Hours => (
                now.checked_sub_signed(Duration::hours(24)),
                local_index(zone, now, HOUR)
                    .checked_add(1)
                    .and_then(|h| first_instant(zone, h, HOUR)),
            ),
            TimeWindow::Last7Days | TimeWindow::Last30Days => {
                let days = if *self == TimeWindow::Last7Days {
                    7
                } else {
                    30
                };
                let today = local_index(zone, now, DAY);
                (day_start(today - (days - 1)), day_start(today + 1))
            }
            TimeWindow::Custom { from, to } => {
                (day_start(day_number(from)), day_start(day_number(to) + 1))
            }
        };
        Bounds { start, end }
    }

    /// True when a request created at `created_at` is in the window at `now`. Computes the
    /// bounds each call: for many requests, use [`TimeWindow::bounds`] once and
    /// [`Bounds::contains`].
    pub fn contains<Z: Zone + ?Sized>(
        &self,
        created_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
        zone: &Z,
    ) -> bool {
        self.bounds(now, zone).contains(created_at)
    }

    /// True when a set holding every request of `self` at `now` holds every request of
    /// `narrower` too (its bounds lie within ours), so `narrower` can be served from it.
    pub fn covers<Z: Zone + ?Sized>(
        &self,
        narrower: &TimeWindow,
        now: DateTime<Utc>,
        zone: &Z,
    ) -> bool {
        self.bounds(now, zone).covers(&narrower.bounds(now, zone))
    }

    /// The window's part of a sentence about requests: "in the last 7 days", "created 1 Nov –
    /// 7 Nov 2026"; empty for [`TimeWindow::All`].
    pub fn phrase(&self) -> String {
        match self {
            TimeWindow::Last24Hours => "in the last 24 hours".to_owned(),
            TimeWindow::Last7Days => "in the last 7 days".to_owned(),
            TimeWindow::Last30Days => "in the last 30 days".to_owned(),
            TimeWindow::All => String::new(),
            TimeWindow::Custom { .. } => format!("created {}", self.label()),
        }
    }

    /// What a figure over `loaded` of the window's `total` requests is based on: "Based on 1,204
    /// of 1,204 requests in the last 7 days", "Based on 1 of 3 requests created 1 Nov 2026";
    /// without a window "Based on 50 of 1,204 requests".
    pub fn based_on(&self, loaded: u64, total: u64) -> String {
        let noun = if total == 1 { "request" } else { "requests" };
        let phrase = self.phrase();
        let space = if phrase.is_empty() { "" } else { " " };
        format!(
            "Based on {} of {} {noun}{space}{phrase}",
            thousands(loaded),
            thousands(total)
        )
    }

    /// The "now" a view evaluates the window at, given the clock: the minute, or for the
    /// 24-hour window the start of the clock hour in `zone`. A window whose start moved every
    /// second would ask for a new count and rebuild every figure each time; so the 24-hour
    /// window runs from the start of the hour 24 hours ago to the end of this hour, in whole
    /// hours of the zone, and its count (see [`older_query`]) is asked again once an hour.
    pub fn now_for<Z: Zone + ?Sized>(&self, clock: DateTime<Utc>, zone: &Z) -> DateTime<Utc> {
        if *self == TimeWindow::Last24Hours {
            return first_instant(zone, local_index(zone, clock, HOUR), HOUR).unwrap_or(clock);
        }
        let secs = clock.timestamp();
        DateTime::from_timestamp(secs - secs.rem_euclid(60), 0).unwrap_or(clock)
    }

    /// Parses `key=value&…` (with or without a leading `?`): see [`TimeWindow::from_pairs`].
    pub fn from_query_string(qs: &str) -> Result<TimeWindow, QueryError> {
        let qs = qs.strip_prefix('?').unwrap_or(qs);
        Self::from_pairs(form_urlencoded::parse(qs.as_bytes()))
    }

    /// The window of decoded pairs: `window=24h|7d|30d|all`, or `from` and `to` as
    /// `YYYY-MM-DD`. Other keys are ignored, empty values count as absent and a repeated key's
    /// last value wins (as in [`crate::query::RequestQuery::from_pairs`]); no parameter is
    /// [`TimeWindow::All`]. The first problem is reported.
    pub fn from_pairs<K, V>(pairs: impl IntoIterator<Item = (K, V)>) -> Result<Self, QueryError>
    where
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let (w, mut errors) = Self::parse_pairs(pairs);
        if errors.is_empty() {
            Ok(w)
        } else {
            Err(errors.swap_remove(0))
        }
    }

    /// Like [`TimeWindow::from_query_string`], but keeps what is usable and reports every
    /// problem: a valid `window` survives a bad `from`, and anything unusable leaves
    /// [`TimeWindow::All`].
    pub fn from_query_string_lenient(qs: &str) -> (TimeWindow, Vec<QueryError>) {
        let qs = qs.strip_prefix('?').unwrap_or(qs);
        Self::parse_pairs(form_urlencoded::parse(qs.as_bytes()))
    }

    fn parse_pairs<K, V>(pairs: impl IntoIterator<Item = (K, V)>) -> (TimeWindow, Vec<QueryError>)
    where
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let (mut window, mut from, mut to) = (None, None, None);
        for (key, value) in pairs {
            let value = value.as_ref().trim();
            if value.is_empty() {
                continue;
            }
            let slot = match key.as_ref() {
                "window" => &mut window,
                "from" => &mut from,
                "to" => &mut to,
                _ => continue,
            };
            *slot = Some(value.to_owned());
        }
        let mut errors = Vec::new();
        let preset = window.as_deref().and_then(|w| {
            let preset = Self::parse_key(w);
            if preset.is_none() {
                let keys: Vec<&str> = Self::PRESETS.iter().filter_map(|p| p.key()).collect();
                errors.push(invalid(format!(
                    "window must be one of: {}",
                    keys.join(", ")
                )));
            }
            preset
        });
        let mut date = |name: &str, value: Option<String>| {
            let d = value.as_deref().map(parse_date);
            if d == Some(None) {
                errors.push(invalid(format!("{name} must be a date (YYYY-MM-DD)")));
            }
            d.flatten()
        };
        let (from_day, to_day) = (date("from", from.clone()), date("to", to.clone()));
        if window.is_some() && (from.is_some() || to.is_some()) {
            errors.push(invalid("window cannot be combined with from and to"));
        } else if from.is_some() != to.is_some() {
            errors.push(invalid("from and to must be given together"));
        }
        let custom = match (from_day, to_day) {
            (Some(f), Some(t)) => match Self::custom(f, t) {
                Ok(w) => Some(w),
                Err(e) => {
                    errors.push(e);
                    None
                }
            },
            _ => None,
        };
        let window = match (preset, custom) {
            (Some(p), _) => p,
            (None, Some(c)) if window.is_none() => c,
            _ => TimeWindow::All,
        };
        (window, errors)
    }

    /// The canonical pairs: `window=…` for a preset other than the default, `from` and `to`
    /// for a custom window, nothing for [`TimeWindow::All`].
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        match self {
            TimeWindow::All => Vec::new(),
            // NaiveDate's Display is `YYYY-MM-DD`, without strftime's parser (kilobytes of wasm).
            TimeWindow::Custom { from, to } => {
                vec![("from", from.to_string()), ("to", to.to_string())]
            }
            preset => preset
                .key()
                .map(|k| vec![("window", k.to_owned())])
                .unwrap_or_default(),
        }
    }

    /// The canonical query string, without `?`; empty for the default.
    pub fn to_query_string(&self) -> String {
        encode_pairs(self.to_pairs().iter().map(|(k, v)| (*k, v.as_str())))
    }
}

/// The `limit=1` query whose `total` counts the requests matching `filters` (status, priority,
/// loop) created before `instant`: with the filters' own total, how many requests a window
/// starting (or ending) there holds, for one call.
pub fn older_query(filters: &RequestQuery, instant: DateTime<Utc>) -> RequestQuery {
    RequestQuery {
        limit: 1,
        created_before: Some(instant),
        ..filters.filters_only()
    }
}

/// How many requests a window holds and how many a load newest first must reach, from counts:
/// `total` requests match the filters, `before_start` of them were created before the
/// window's start and `before_end` (when the window ended before now) before its end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WindowCount {
    /// Requests created in the window.
    pub in_window: u64,
    /// Requests created since the window's start, up to now: the first rows of the list newest
    /// first, which a load must read to hold the window.
    pub since_start: u64,
}

impl WindowCount {
    /// The counts; a count taken a moment apart from another never makes one negative.
    pub fn new(total: u64, before_start: u64, before_end: Option<u64>) -> WindowCount {
        let since_start = total.saturating_sub(before_start);
        WindowCount {
            in_window: before_end
                .map_or(since_start, |e| e.min(total).saturating_sub(before_start)),
            since_start,
        }
    }
}

/// A window's instants, `[start, end)`; `None` is unbounded on that side.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Bounds {
    /// The first instant inside, if any.
    pub start: Option<DateTime<Utc>>,
    /// The first instant after the window (exclusive), if any.
    pub end: Option<DateTime<Utc>>,
}

impl Bounds {
    /// True when the instant `t` is in `[start, end)`.
    pub fn contains_instant(&self, t: DateTime<Utc>) -> bool {
        self.start.is_none_or(|s| s <= t) && self.end.is_none_or(|e| t < e)
    }

    /// True when a request created at `created_at` is in the window. A request without a
    /// `created_at` is only in a window unbounded on both sides ([`TimeWindow::All`]).
    pub fn contains(&self, created_at: Option<DateTime<Utc>>) -> bool {
        match created_at {
            Some(t) => self.contains_instant(t),
            None => self.start.is_none() && self.end.is_none(),
        }
    }

    /// True when the window holds no instant at all (`start ≥ end`).
    pub fn is_empty(&self) -> bool {
        matches!((self.start, self.end), (Some(s), Some(e)) if s >= e)
    }

    /// The requests of `rows` in the window, in their order.
    pub fn select<'a, R: Borrow<HitlRequest>>(&self, rows: &'a [R]) -> Vec<&'a HitlRequest> {
        rows.iter()
            .map(Borrow::borrow)
            .filter(|r| self.contains(r.created_at))
            .collect()
    }

    /// The live loading rule, for pages fetched newest first (`sort=created_at_desc`): true
    /// once a page's last (oldest) request was created before `start`, so no later page can
    /// hold a request of the window. A request exactly at `start` is inside, so it does not
    /// stop the paging (the next page may hold more at the same instant). A last row without a
    /// `created_at` stops it too: the API's order puts those after every dated row, and none
    /// is in a window with a start. A window without a start is never reached.
    pub fn reached_start(&self, page_last_created_at: Option<DateTime<Utc>>) -> bool {
        match (self.start, page_last_created_at) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(s), Some(t)) => t < s,
        }
    }

    /// The calls needed to load a window of `in_window` requests, pages of 100 newest first:
    /// ⌈N/100⌉, plus the one page that shows the start was passed when N is a multiple of 100
    /// (so `N / 100 + 1` in whole numbers) for a window with a start; ⌈N/100⌉ (at least 1)
    /// for one without. An upper bound when the list ends before the window's start.
    pub fn calls_estimate(&self, in_window: u64) -> u64 {
        if self.start.is_some() {
            in_window / PAGE + 1
        } else {
            calls_for(in_window)
        }
    }

    /// True when every instant of `narrower` is in `self`, so a set loaded for `self` serves
    /// `narrower` (filtered by [`Bounds::contains`]). An empty `narrower` is covered by any.
    ///
    /// Coverage, not freshness: a set loaded an hour ago still covers today's window though it
    /// misses the requests created since; reloading is the refresh's business.
    pub fn covers(&self, narrower: &Bounds) -> bool {
        if narrower.is_empty() {
            return true;
        }
        let start_ok = match (self.start, narrower.start) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(a), Some(b)) => a <= b,
        };
        let end_ok = match (self.end, narrower.end) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(a), Some(b)) => b <= a,
        };
        start_ok && end_ok
    }
}

/// 1970-01-01, day number 0.
fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()
}

/// Days from 1970-01-01 to `d`.
pub(crate) fn day_number(d: NaiveDate) -> i64 {
    d.signed_duration_since(epoch()).num_days()
}

/// The date of day number `n` (see [`day_number`]); 1970-01-01 when out of chrono's range.
pub(crate) fn date_of_day(n: i64) -> NaiveDate {
    Duration::try_days(n)
        .and_then(|d| epoch().checked_add_signed(d))
        .unwrap_or_default()
}

/// The zone's offset at `t` in seconds, an offset of a day or more being treated as UTC (as
/// [`crate::stats::DailySeries`] does): always within ±86,340 s.
fn offset_secs<Z: Zone + ?Sized>(zone: &Z, t: DateTime<Utc>) -> i64 {
    let m = zone.offset_at(t);
    if m.unsigned_abs() < 24 * 60 {
        i64::from(m) * 60
    } else {
        0
    }
}

/// The local hour (`unit` = [`HOUR`]) or day ([`DAY`]) number of `t` in `zone`, counted from
/// 1970-01-01 00:00 local: `⌊(t + offset(t)) / unit⌋`.
pub(crate) fn local_index<Z: Zone + ?Sized>(zone: &Z, t: DateTime<Utc>, unit: i64) -> i64 {
    (t.timestamp() + offset_secs(zone, t)).div_euclid(unit)
}

/// [`local_index`] of the whole second `secs` (0 offset outside chrono's range).
fn index_at<Z: Zone + ?Sized>(zone: &Z, secs: i64, unit: i64) -> i64 {
    let offset = DateTime::from_timestamp(secs, 0).map_or(0, |t| offset_secs(zone, t));
    (secs + offset).div_euclid(unit)
}

/// The first whole second whose local hour or day number (see [`local_index`]) is at least
/// `index`: the start of that hour or day, or, when it does not exist locally (the clocks
/// jumped over it), the instant they jumped. (Should the clocks go back across a boundary, the
/// local hour or day starts twice, and either start may be taken.) `None` beyond chrono's
/// range.
pub(crate) fn first_instant<Z: Zone + ?Sized>(
    zone: &Z,
    index: i64,
    unit: i64,
) -> Option<DateTime<Utc>> {
    let local = index.checked_mul(unit)?;
    let is_first = |t: i64| index_at(zone, t, unit) >= index && index_at(zone, t - 1, unit) < index;
    // Usually the local boundary minus the offset there: two steps settle which offset that is.
    let at = |secs: i64| DateTime::from_timestamp(secs, 0).map_or(0, |t| offset_secs(zone, t));
    let guess = local - at(local - at(local));
    let secs = if is_first(guess) {
        guess
    } else {
        // Around a change of offset: bisect. Offsets are below a day, so the boundary lies
        // within a day of `local` on either side.
        let (mut lo, mut hi) = (local - DAY - 1, local + DAY);
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if index_at(zone, mid, unit) >= index {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        hi
    };
    DateTime::from_timestamp(secs, 0)
}

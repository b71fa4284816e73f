//! Operations analytics against hand-computed values: the time window (bounds in a zone, URL
//! form, loading rule), trends per day and hour, breakdowns by loop, reviewer and response
//! type, and the SLA watch with its notifications; then properties over generated data.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use hitl_core::breakdown::*;
use hitl_core::format::Zone;
use hitl_core::sla::*;
use hitl_core::sorting::Direction;
use hitl_core::stats::ResponseTimeStats;
use hitl_core::trends::*;
use hitl_core::window::*;
use hitl_core::{HitlRequest, Priority, ResponseType, Status};
use proptest::prelude::*;
use std::collections::HashSet;

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn secs(n: i64) -> Duration {
    Duration::seconds(n)
}

fn created(id: &str, t: DateTime<Utc>) -> HitlRequest {
    HitlRequest {
        id: id.to_owned(),
        created_at: Some(t),
        status: Status::Pending,
        ..Default::default()
    }
}

/// New York in autumn 2026: UTC−04:00 until the clocks went back on 1 November at 06:00 UTC
/// (02:00 local), UTC−05:00 after.
struct NewYork;

impl Zone for NewYork {
    fn offset_at(&self, t: DateTime<Utc>) -> i32 {
        if t < at(2026, 11, 1, 6, 0) {
            -240
        } else {
            -300
        }
    }
}

/// Paris in spring 2026: UTC+01:00 until the clocks went forward on 29 March at 01:00 UTC
/// (02:00 local became 03:00), UTC+02:00 after.
struct Paris;

impl Zone for Paris {
    fn offset_at(&self, t: DateTime<Utc>) -> i32 {
        if t < at(2026, 3, 29, 1, 0) {
            60
        } else {
            120
        }
    }
}

/// A zone whose clocks jump forward at midnight (as Santiago's have): UTC−04:00 until
/// 6 September 2026 04:00 UTC, when local 00:00 became 01:00, UTC−03:00 after.
struct MidnightJump;

impl Zone for MidnightJump {
    fn offset_at(&self, t: DateTime<Utc>) -> i32 {
        if t < at(2026, 9, 6, 4, 0) {
            -240
        } else {
            -180
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Window: URL form

#[test]
fn window_urls_round_trip() {
    let custom = TimeWindow::Custom {
        from: day(2026, 11, 1),
        to: day(2026, 11, 7),
    };
    let cases = [
        (TimeWindow::Last24Hours, "window=24h"),
        (TimeWindow::Last7Days, "window=7d"),
        (TimeWindow::Last30Days, "window=30d"),
        (TimeWindow::All, ""),
        (custom, "from=2026-11-01&to=2026-11-07"),
    ];
    for (window, qs) in cases {
        assert_eq!(window.to_query_string(), qs);
        assert_eq!(TimeWindow::from_query_string(qs), Ok(window));
        assert_eq!(TimeWindow::from_query_string(&format!("?{qs}")), Ok(window));
    }
    // `window=all` is accepted though never written; other keys and empty values are ignored.
    assert_eq!(
        TimeWindow::from_query_string("window=all"),
        Ok(TimeWindow::All)
    );
    assert_eq!(
        TimeWindow::from_query_string("status=pending&window=30d&limit=10"),
        Ok(TimeWindow::Last30Days)
    );
    assert_eq!(
        TimeWindow::from_query_string("window=&from=&to="),
        Ok(TimeWindow::All)
    );
    // One day is a custom window of one day; the last repeated key wins.
    assert_eq!(
        TimeWindow::from_query_string("from=2026-11-01&to=2026-11-01"),
        Ok(TimeWindow::Custom {
            from: day(2026, 11, 1),
            to: day(2026, 11, 1)
        })
    );
    assert_eq!(
        TimeWindow::from_query_string("window=24h&window=7d"),
        Ok(TimeWindow::Last7Days)
    );
    assert_eq!(PARAMS, ["window", "from", "to"]);
    let keys: Vec<_> = TimeWindow::PRESETS.iter().map(|w| w.key()).collect();
    assert_eq!(keys, [Some("24h"), Some("7d"), Some("30d"), Some("all")]);
    assert_eq!(custom.key(), None);
}

#[test]
fn window_url_errors_are_clear() {
    let err = |qs: &str| {
        let e = TimeWindow::from_query_string(qs).unwrap_err();
        assert_eq!(e.msg, "Invalid time window", "{qs}");
        e.data
    };
    assert_eq!(err("window=1w"), "window must be one of: 24h, 7d, 30d, all");
    assert_eq!(err("window=7D"), "window must be one of: 24h, 7d, 30d, all");
    assert_eq!(
        err("from=2026-13-01&to=2026-11-07"),
        "from must be a date (YYYY-MM-DD)"
    );
    assert_eq!(
        err("from=2026-2-01&to=2026-11-07"),
        "from must be a date (YYYY-MM-DD)"
    );
    assert_eq!(
        err("from=2026-02-30&to=2026-11-07"),
        "from must be a date (YYYY-MM-DD)"
    );
    assert_eq!(
        err("from=2026-11-01&to=11/07/2026"),
        "to must be a date (YYYY-MM-DD)"
    );
    assert_eq!(
        err("from=2026-11-08&to=2026-11-07"),
        "from must not be after to"
    );
    assert_eq!(err("from=2026-11-01"), "from and to must be given together");
    assert_eq!(err("to=2026-11-01"), "from and to must be given together");
    assert_eq!(
        err("window=7d&from=2026-11-01&to=2026-11-02"),
        "window cannot be combined with from and to"
    );
    // The message reads well in a banner.
    let e = TimeWindow::from_query_string("window=1w").unwrap_err();
    assert_eq!(
        e.to_string(),
        "Invalid time window: window must be one of: 24h, 7d, 30d, all"
    );
    assert_eq!(
        TimeWindow::custom(day(2026, 11, 8), day(2026, 11, 7))
            .unwrap_err()
            .data,
        "from must not be after to"
    );

    // Lenient: what is usable stays, every problem is reported.
    let (w, errors) = TimeWindow::from_query_string_lenient("window=7d&from=bad");
    assert_eq!(w, TimeWindow::Last7Days);
    let data: Vec<&str> = errors.iter().map(|e| e.data.as_str()).collect();
    assert_eq!(
        data,
        [
            "from must be a date (YYYY-MM-DD)",
            "window cannot be combined with from and to"
        ]
    );
    let (w, errors) = TimeWindow::from_query_string_lenient("window=nope&from=2026-11-09&to=x");
    assert_eq!(w, TimeWindow::All);
    assert_eq!(errors.len(), 3);
    let (w, errors) = TimeWindow::from_query_string_lenient("from=2026-11-09&to=2026-11-01");
    assert_eq!(w, TimeWindow::All);
    assert_eq!(errors[0].data, "from must not be after to");
}

// ---------------------------------------------------------------------------------------------
// Window: bounds

#[test]
fn window_bounds_in_utc_and_at_fixed_offsets() {
    let now = at(2026, 11, 28, 12, 30);
    let b = |w: TimeWindow, zone: i32| {
        let b = w.bounds(now, &zone);
        (b.start, b.end)
    };
    // The last 24 hours run to the end of the current clock hour.
    assert_eq!(
        b(TimeWindow::Last24Hours, 0),
        (
            Some(at(2026, 11, 27, 12, 30)),
            Some(at(2026, 11, 28, 13, 0))
        )
    );
    // Today (the 28th) and the 6 days before: 22nd to 28th, to the start of the 29th.
    assert_eq!(
        b(TimeWindow::Last7Days, 0),
        (Some(at(2026, 11, 22, 0, 0)), Some(at(2026, 11, 29, 0, 0)))
    );
    // 29 days before the 28th is 30 October.
    assert_eq!(
        b(TimeWindow::Last30Days, 0),
        (Some(at(2026, 10, 30, 0, 0)), Some(at(2026, 11, 29, 0, 0)))
    );
    assert_eq!(b(TimeWindow::All, 0), (None, None));
    let nov_1_to_7 = TimeWindow::Custom {
        from: day(2026, 11, 1),
        to: day(2026, 11, 7),
    };
    assert_eq!(
        b(nov_1_to_7, 0),
        (Some(at(2026, 11, 1, 0, 0)), Some(at(2026, 11, 8, 0, 0)))
    );
    // At UTC+01:00 local midnight is 23:00 UTC the day before.
    assert_eq!(
        b(TimeWindow::Last7Days, 60),
        (Some(at(2026, 11, 21, 23, 0)), Some(at(2026, 11, 28, 23, 0)))
    );
    // At UTC+05:30, 12:30 UTC is 18:00 local: the hour ends at 19:00 local, 13:30 UTC.
    assert_eq!(
        b(TimeWindow::Last24Hours, 330),
        (
            Some(at(2026, 11, 27, 12, 30)),
            Some(at(2026, 11, 28, 13, 30))
        )
    );
    // West of UTC, 02:00 UTC on the 28th is still the 27th: today is the 27th.
    let early = at(2026, 11, 28, 2, 0);
    let w = TimeWindow::Last7Days.bounds(early, &-300);
    assert_eq!(w.start, Some(at(2026, 11, 21, 5, 0)));
    assert_eq!(w.end, Some(at(2026, 11, 28, 5, 0)));
}

#[test]
fn a_request_exactly_at_the_start_is_inside_and_exactly_at_the_end_outside() {
    let now = at(2026, 11, 28, 12, 30);
    for window in [
        TimeWindow::Last24Hours,
        TimeWindow::Last7Days,
        TimeWindow::Last30Days,
        TimeWindow::Custom {
            from: day(2026, 11, 1),
            to: day(2026, 11, 7),
        },
    ] {
        for zone in [0, 60, -300] {
            let b = window.bounds(now, &zone);
            let (start, end) = (b.start.unwrap(), b.end.unwrap());
            assert!(b.contains(Some(start)), "{window:?} {zone}");
            assert!(!b.contains(Some(start - Duration::nanoseconds(1))));
            assert!(b.contains(Some(end - Duration::nanoseconds(1))));
            assert!(!b.contains(Some(end)), "{window:?} {zone}");
            assert!(!b.contains(None));
            assert!(window.contains(Some(start), now, &zone));
            assert!(!window.contains(Some(end), now, &zone));
        }
    }
    // All keeps everything, even a request without a `created_at`.
    let all = TimeWindow::All.bounds(now, &0);
    assert!(all.contains(None));
    assert!(all.contains(Some(at(1970, 1, 1, 0, 0))));
    // `select` keeps the rows in the window, in order.
    let rows = vec![
        created("end", at(2026, 11, 29, 0, 0)),
        created("in", at(2026, 11, 28, 23, 59)),
        created("start", at(2026, 11, 22, 0, 0)),
        created("before", at(2026, 11, 21, 23, 59)),
    ];
    let b = TimeWindow::Last7Days.bounds(now, &0);
    let ids: Vec<&str> = b.select(&rows).iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["in", "start"]);
}

#[test]
fn custom_days_are_counted_in_the_zone_across_a_dst_change() {
    // 31 October is a summer day in New York (UTC−04:00), 1 November has 25 hours: it starts
    // at UTC−04:00 and ends at UTC−05:00.
    let w = TimeWindow::Custom {
        from: day(2026, 10, 31),
        to: day(2026, 11, 1),
    };
    let now = at(2026, 11, 28, 12, 0);
    let b = w.bounds(now, &NewYork);
    assert_eq!(b.start, Some(at(2026, 10, 31, 4, 0)));
    assert_eq!(b.end, Some(at(2026, 11, 2, 5, 0)));
    let rows = vec![
        created("a", at(2026, 10, 31, 3, 59)), // 30 Oct 23:59 local: out
        created("b", at(2026, 10, 31, 4, 0)),  // 31 Oct 00:00 local: in
        created("c", at(2026, 11, 2, 4, 59)),  // 1 Nov 23:59 local (UTC−05:00): in
        created("d", at(2026, 11, 2, 5, 0)),   // 2 Nov 00:00 local: out
    ];
    let ids: Vec<&str> = b.select(&rows).iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["b", "c"]);
    // The same days at a fixed UTC−04:00 end an hour earlier: "c" is then on 2 November.
    let fixed = w.bounds(now, &-240);
    assert_eq!(fixed.end, Some(at(2026, 11, 2, 4, 0)));
    assert!(!fixed.contains(Some(at(2026, 11, 2, 4, 59))));

    // The trend has two day buckets, of 24 and 25 hours.
    let t = Trends::compute(&rows, &w, now, &NewYork);
    let lengths: Vec<i64> = t
        .buckets
        .iter()
        .map(|b| (b.end - b.start).num_hours())
        .collect();
    assert_eq!(lengths, [24, 25]);
    let dates: Vec<NaiveDate> = t.buckets.iter().map(|b| b.date).collect();
    assert_eq!(dates, [day(2026, 10, 31), day(2026, 11, 1)]);
    let created: Vec<usize> = t.buckets.iter().map(|b| b.created).collect();
    assert_eq!(created, [1, 1]);
}

#[test]
fn a_day_whose_midnight_is_skipped_starts_when_the_clocks_jump() {
    // Local 6 September 00:00 never happens: at 04:00 UTC the clocks read 01:00. The day
    // starts then and lasts 23 hours, to 7 September 00:00 at UTC−03:00 (03:00 UTC).
    let w = TimeWindow::Custom {
        from: day(2026, 9, 6),
        to: day(2026, 9, 6),
    };
    let b = w.bounds(at(2026, 9, 10, 0, 0), &MidnightJump);
    assert_eq!(b.start, Some(at(2026, 9, 6, 4, 0)));
    assert_eq!(b.end, Some(at(2026, 9, 7, 3, 0)));
    // The day before ends where it starts.
    let before = TimeWindow::Custom {
        from: day(2026, 9, 5),
        to: day(2026, 9, 5),
    }
    .bounds(at(2026, 9, 10, 0, 0), &MidnightJump);
    assert_eq!(before.start, Some(at(2026, 9, 5, 4, 0)));
    assert_eq!(before.end, b.start);
}

#[test]
fn labels_and_sentences() {
    assert_eq!(TimeWindow::Last24Hours.label(), "Last 24 hours");
    assert_eq!(TimeWindow::Last7Days.label(), "Last 7 days");
    assert_eq!(TimeWindow::Last30Days.label(), "Last 30 days");
    assert_eq!(TimeWindow::All.label(), "All time");
    let custom = |a: NaiveDate, b: NaiveDate| TimeWindow::custom(a, b).unwrap();
    assert_eq!(
        custom(day(2026, 11, 1), day(2026, 11, 7)).label(),
        "1 Nov – 7 Nov 2026"
    );
    assert_eq!(
        custom(day(2026, 12, 28), day(2027, 1, 3)).label(),
        "28 Dec 2026 – 3 Jan 2027"
    );
    assert_eq!(
        custom(day(2026, 11, 1), day(2026, 11, 1)).label(),
        "1 Nov 2026"
    );

    assert_eq!(
        TimeWindow::Last7Days.describe(1204),
        "Requests created in the last 7 days: 1,204"
    );
    assert_eq!(
        TimeWindow::Last24Hours.describe(0),
        "Requests created in the last 24 hours: 0"
    );
    assert_eq!(
        TimeWindow::Last30Days.describe(1_000_000),
        "Requests created in the last 30 days: 1,000,000"
    );
    assert_eq!(TimeWindow::All.describe(1204), "All requests: 1,204");
    assert_eq!(
        custom(day(2026, 11, 1), day(2026, 11, 7)).describe(96),
        "Requests created 1 Nov – 7 Nov 2026: 96"
    );
}

#[test]
fn paging_newest_first_stops_once_a_page_ends_before_the_start() {
    let now = at(2026, 11, 28, 12, 30);
    let b = TimeWindow::Last7Days.bounds(now, &0);
    let start = b.start.unwrap();
    assert!(!b.reached_start(Some(start + Duration::hours(1))));
    // A request exactly at the start is inside: the next page may hold more at that instant.
    assert!(!b.reached_start(Some(start)));
    assert!(b.reached_start(Some(start - secs(1))));
    // Undated rows come after every dated one in the API's order: none can be inside.
    assert!(b.reached_start(None));
    let all = TimeWindow::All.bounds(now, &0);
    assert!(!all.reached_start(Some(at(1970, 1, 1, 0, 0))));
    assert!(!all.reached_start(None));

    // ⌈N/100⌉, and one more page when N is a multiple of 100 (to see the start passed).
    let calls: Vec<u64> = [0, 1, 99, 100, 150, 250, 1204]
        .iter()
        .map(|n| b.calls_estimate(*n))
        .collect();
    assert_eq!(calls, [1, 1, 1, 2, 2, 3, 13]);
    // Without a start every page is needed, and no more: ⌈N/100⌉, at least one.
    let calls: Vec<u64> = [0, 1, 100, 101]
        .iter()
        .map(|n| all.calls_estimate(*n))
        .collect();
    assert_eq!(calls, [1, 1, 1, 2]);
}

#[test]
fn a_wider_window_serves_a_narrower_one() {
    let now = at(2026, 11, 28, 12, 30);
    let zone = NewYork;
    let nov = TimeWindow::custom(day(2026, 11, 1), day(2026, 11, 30)).unwrap();
    let nov_2_3 = TimeWindow::custom(day(2026, 11, 2), day(2026, 11, 3)).unwrap();
    let oct_31_nov_2 = TimeWindow::custom(day(2026, 10, 31), day(2026, 11, 2)).unwrap();
    let covers = |a: TimeWindow, b: TimeWindow| a.covers(&b, now, &zone);
    assert!(covers(TimeWindow::Last30Days, TimeWindow::Last7Days));
    assert!(covers(TimeWindow::Last30Days, TimeWindow::Last24Hours));
    assert!(covers(TimeWindow::Last7Days, TimeWindow::Last24Hours));
    assert!(!covers(TimeWindow::Last7Days, TimeWindow::Last30Days));
    assert!(!covers(TimeWindow::Last24Hours, TimeWindow::Last7Days));
    for w in [TimeWindow::Last24Hours, TimeWindow::Last7Days, nov] {
        assert!(covers(TimeWindow::All, w));
        assert!(!covers(w, TimeWindow::All));
        assert!(covers(w, w));
    }
    assert!(covers(nov, nov_2_3));
    assert!(!covers(nov, oct_31_nov_2));
    assert!(covers(nov, TimeWindow::Last7Days));

    // A set loaded for the last 7 days in the morning (UTC) still covers the last 24 hours in
    // the evening, but not after midnight, when the window has moved past what was loaded.
    let loaded = TimeWindow::Last7Days.bounds(now, &0);
    let evening = TimeWindow::Last24Hours.bounds(at(2026, 11, 28, 18, 0), &0);
    let next_day = TimeWindow::Last24Hours.bounds(at(2026, 11, 29, 1, 0), &0);
    assert!(loaded.covers(&evening));
    assert!(!loaded.covers(&next_day));
}

// ---------------------------------------------------------------------------------------------
// Trends

fn completed_at(
    id: &str,
    created: DateTime<Utc>,
    answered: Option<DateTime<Utc>>,
    rts: Option<f64>,
) -> HitlRequest {
    HitlRequest {
        id: id.to_owned(),
        status: Status::Completed,
        created_at: Some(created),
        response_at: answered,
        response_time_seconds: rts,
        updated_at: answered,
        ..Default::default()
    }
}

fn timed_out(
    id: &str,
    created: DateTime<Utc>,
    timeout_at: Option<DateTime<Utc>>,
    updated_at: Option<DateTime<Utc>>,
) -> HitlRequest {
    HitlRequest {
        id: id.to_owned(),
        status: Status::Timeout,
        created_at: Some(created),
        timeout_at,
        updated_at,
        ..Default::default()
    }
}

fn trend_rows() -> Vec<HitlRequest> {
    let t = |d: u32, h: u32, m: u32| at(2026, 11, d, h, m);
    vec![
        completed_at("a", t(1, 9, 0), Some(t(1, 9, 10)), Some(600.0)),
        // Answered the next day: counts on the 2nd.
        completed_at("b", t(1, 10, 0), Some(t(2, 10, 0)), Some(86_400.0)),
        // Timed out at timeout_at (13:00), touched later: counts by timeout_at.
        timed_out("c", t(1, 11, 0), Some(t(1, 13, 0)), Some(t(1, 13, 5))),
        // No response_at: answered at created_at + 120 s.
        completed_at("d", t(2, 8, 0), None, Some(120.0)),
        // A response time of 0 is not truthy: completed, but no time.
        completed_at("e", t(2, 9, 0), Some(t(2, 9, 0)), Some(0.0)),
        created("f", t(2, 12, 0)),
        // Answered after the window's end: counted in `later`.
        completed_at("g", t(3, 23, 0), Some(t(4, 1, 0)), Some(7200.0)),
        // Timed out exactly at the window's end (exclusive): `later`.
        timed_out("h", t(3, 22, 0), Some(t(4, 0, 0)), None),
        // Created a second before the window: ignored, though answered inside it.
        completed_at(
            "i",
            t(1, 0, 0) - secs(1),
            Some(t(1, 0, 0) + secs(59)),
            Some(60.0),
        ),
        // No timeout_at: counted by updated_at.
        timed_out("j", t(3, 10, 0), None, Some(t(3, 12, 0))),
        // Completed, but when is unknown: `undated`.
        completed_at("k", t(3, 11, 0), None, None),
        completed_at("l", t(2, 13, 0), Some(t(2, 13, 30)), Some(1800.0)),
        completed_at("m", t(2, 14, 0), Some(t(2, 14, 5)), Some(300.0)),
        HitlRequest {
            status: Status::Cancelled,
            ..created("n", t(2, 15, 0))
        },
    ]
}

#[test]
fn trends_per_day_by_hand() {
    let window = TimeWindow::custom(day(2026, 11, 1), day(2026, 11, 3)).unwrap();
    let t = Trends::compute(&trend_rows(), &window, at(2026, 11, 10, 0, 0), &0);
    assert_eq!(t.unit, BucketUnit::Day);
    assert_eq!(t.buckets.len(), 3);
    let dates: Vec<NaiveDate> = t.buckets.iter().map(|b| b.date).collect();
    assert_eq!(
        dates,
        [day(2026, 11, 1), day(2026, 11, 2), day(2026, 11, 3)]
    );
    assert!(t.buckets.iter().all(|b| b.hour.is_none()));

    // 1 Nov: created a, b, c; completed a; timed out c → rate 1 / (1 + 1) = 0.5.
    // Times [600]: median = p90 = 600.
    let b = &t.buckets[0];
    assert_eq!(
        (b.start, b.end),
        (at(2026, 11, 1, 0, 0), at(2026, 11, 2, 0, 0))
    );
    assert_eq!((b.created, b.completed, b.timeouts), (3, 1, 1));
    assert_eq!(b.timeout_rate, 0.5);
    assert_eq!((b.timed, b.median, b.p90), (1, Some(600.0), Some(600.0)));

    // 2 Nov: created d, e, f, l, m, n; completed b, d, e, l, m; no timeout → rate 0.
    // Times (e has none): [120, 300, 1800, 86400]; median sorted[4/2] = 1800;
    // p90 sorted[⌈3.6⌉ − 1] = sorted[3] = 86400.
    let b = &t.buckets[1];
    assert_eq!((b.created, b.completed, b.timeouts), (6, 5, 0));
    assert_eq!(b.timeout_rate, 0.0);
    assert_eq!(
        (b.timed, b.median, b.p90),
        (4, Some(1800.0), Some(86_400.0))
    );

    // 3 Nov: created g, h, j, k; nothing answered that day; timed out j → rate 1 / 1.
    let b = &t.buckets[2];
    assert_eq!((b.created, b.completed, b.timeouts), (4, 0, 1));
    assert_eq!(b.timeout_rate, 1.0);
    assert_eq!((b.timed, b.median, b.p90), (0, None, None));

    // Totals over the 13 requests created in the window (not i): completed a, b, d, e, g, k,
    // l, m; timed out c, h, j. Later: g's answer and h's timeout; undated: k's answer.
    let counts = |created, completed, timeouts| TrendCounts {
        created,
        completed,
        timeouts,
    };
    assert_eq!(t.totals, counts(13, 8, 3));
    assert_eq!(t.later, counts(0, 1, 1));
    assert_eq!(t.undated, counts(0, 1, 0));
    assert_eq!(t.earlier, counts(0, 0, 0));
}

#[test]
fn trends_of_all_run_from_the_oldest_request_to_today() {
    let rows = trend_rows();
    let t = Trends::compute(&rows, &TimeWindow::All, at(2026, 11, 5, 12, 0), &0);
    // 31 Oct (request i) to 5 Nov: six days.
    assert_eq!(t.buckets.len(), 6);
    assert_eq!(t.buckets[0].date, day(2026, 10, 31));
    assert_eq!(t.buckets[5].date, day(2026, 11, 5));
    assert_eq!(t.totals.created, rows.len());
    // i's answer lands on 1 Nov; g's (4 Nov 01:00) and h's timeout (4 Nov 00:00) on the 4th.
    assert_eq!(t.buckets[1].completed, 2);
    assert_eq!((t.buckets[4].completed, t.buckets[4].timeouts), (1, 1));
    assert_eq!(t.later, TrendCounts::default());
    // No dated request, no bucket.
    let none = Trends::compute::<HitlRequest, _>(&[], &TimeWindow::All, at(2026, 11, 5, 0, 0), &0);
    assert!(none.buckets.is_empty());
    assert_eq!(none.totals, TrendCounts::default());
}

#[test]
fn trends_keep_the_newest_400_days() {
    let now = at(2026, 11, 28, 12, 0);
    let rows = vec![
        created("old", at(2020, 1, 1, 0, 0)),
        created("new", at(2026, 11, 28, 11, 0)),
    ];
    let t = Trends::compute(&rows, &TimeWindow::All, now, &0);
    assert_eq!(t.buckets.len(), MAX_BUCKETS);
    assert_eq!(t.buckets.last().unwrap().date, day(2026, 11, 28));
    assert_eq!(t.buckets.last().unwrap().created, 1);
    assert_eq!(t.earlier.created, 1);
    // The cap applies to a custom window too.
    let long = TimeWindow::custom(day(2020, 1, 1), day(2026, 11, 28)).unwrap();
    let t = Trends::compute(&rows, &long, now, &0);
    assert_eq!(t.buckets.len(), MAX_BUCKETS);
    assert_eq!((t.totals.created, t.earlier.created), (2, 1));
}

#[test]
fn trends_of_the_last_24_hours_are_hourly_and_skip_the_hour_the_clocks_jump() {
    // 12:00 UTC on 29 March 2026 is 14:00 in Paris (summer time since 01:00 UTC). The window
    // starts at 12:00 UTC on the 28th (13:00 local, winter time) and ends with the current
    // hour, at 15:00 local (13:00 UTC): 25 real hours, one bucket each; local 02:00 on the
    // 29th never happened and has no bucket.
    let now = at(2026, 3, 29, 12, 0);
    let rows = vec![
        created("first", at(2026, 3, 28, 12, 0)),
        created("jump", at(2026, 3, 29, 1, 0)), // 03:00 local, the first summer instant
        created("last", at(2026, 3, 29, 12, 59)),
        created("too old", at(2026, 3, 28, 11, 59)),
    ];
    let t = Trends::compute(&rows, &TimeWindow::Last24Hours, now, &Paris);
    assert_eq!(t.unit, BucketUnit::Hour);
    assert_eq!(t.buckets.len(), 25);
    assert!(t
        .buckets
        .iter()
        .all(|b| b.end - b.start == Duration::hours(1)));
    let first = &t.buckets[0];
    assert_eq!(
        (first.start, first.date, first.hour, first.created),
        (at(2026, 3, 28, 12, 0), day(2026, 3, 28), Some(13), 1)
    );
    let hours_29: Vec<u32> = t
        .buckets
        .iter()
        .filter(|b| b.date == day(2026, 3, 29))
        .filter_map(|b| b.hour)
        .collect();
    assert_eq!(hours_29, [0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    let jump = t.buckets.iter().find(|b| b.hour == Some(3)).unwrap();
    assert_eq!((jump.start, jump.created), (at(2026, 3, 29, 1, 0), 1));
    assert_eq!(t.buckets[24].created, 1);
    assert_eq!(t.totals.created, 3);

    // In UTC the first bucket is part of a clock hour when `now` is not on the hour.
    let t = Trends::compute(&rows, &TimeWindow::Last24Hours, at(2026, 3, 29, 12, 30), &0);
    assert_eq!(t.buckets.len(), 25);
    assert_eq!(t.buckets[0].start, at(2026, 3, 28, 12, 30));
    assert_eq!(t.buckets[0].end, at(2026, 3, 28, 13, 0));
    assert_eq!(t.buckets[24].end, at(2026, 3, 29, 13, 0));
}

#[test]
fn an_hour_the_clocks_repeat_is_one_bucket_of_two_hours() {
    // 12:00 UTC on 1 November 2026 is 07:00 in New York (winter time since 06:00 UTC). The
    // window runs from 08:00 local on 31 October (12:00 UTC) to 08:00 local (13:00 UTC): 25
    // real hours, in 24 local hours, since 01:00–02:00 local happened twice.
    let now = at(2026, 11, 1, 12, 0);
    let rows = vec![
        created("first 01:00", at(2026, 11, 1, 5, 30)), // 01:30 EDT
        created("second 01:00", at(2026, 11, 1, 6, 30)), // 01:30 EST
    ];
    let t = Trends::compute(&rows, &TimeWindow::Last24Hours, now, &NewYork);
    assert_eq!(t.buckets.len(), 24);
    assert_eq!(t.buckets[0].start, at(2026, 10, 31, 12, 0));
    assert_eq!(t.buckets[23].end, at(2026, 11, 1, 13, 0));
    let repeated: Vec<_> = t
        .buckets
        .iter()
        .filter(|b| b.end - b.start != Duration::hours(1))
        .collect();
    assert_eq!(repeated.len(), 1);
    let b = repeated[0];
    assert_eq!((b.date, b.hour), (day(2026, 11, 1), Some(1)));
    assert_eq!(
        (b.start, b.end),
        (at(2026, 11, 1, 5, 0), at(2026, 11, 1, 7, 0))
    );
    assert_eq!(b.created, 2);
}

// ---------------------------------------------------------------------------------------------
// Breakdown

fn row(
    loop_id: &str,
    status: Status,
    by: Option<&str>,
    rts: Option<f64>,
    response_type: ResponseType,
) -> HitlRequest {
    HitlRequest {
        loop_id: loop_id.to_owned(),
        status,
        response_by: by.map(str::to_owned),
        response_time_seconds: rts,
        response_type,
        ..Default::default()
    }
}

fn breakdown_rows() -> Vec<HitlRequest> {
    use ResponseType::{Boolean, Rating, Text};
    use Status::{Cancelled, Completed, Pending, Timeout};
    vec![
        row("L1", Completed, Some("alice"), Some(100.0), Boolean),
        row("L1", Completed, Some("alice"), Some(300.0), Boolean),
        row("L1", Completed, Some("bob"), Some(200.0), Rating),
        row("L1", Timeout, None, None, Boolean),
        row("L1", Pending, None, None, Rating),
        row("L2", Completed, Some("bob"), Some(50.0), Rating),
        // An empty reviewer is no reviewer; a time of 0 is not counted (not truthy).
        row("L2", Completed, Some(""), Some(0.0), Text),
        row("L2", Cancelled, None, None, Text),
    ]
}

#[test]
fn breakdown_by_loop_by_hand() {
    let b = Breakdowns::compute(&breakdown_rows());
    let keys: Vec<&str> = b.by_loop.rows.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(keys, ["L1", "L2"]);

    // L1: 5 requests, 3 completed (3/5 = 0.6), 1 timeout (1 / (3 + 1) = 0.25).
    // Times [100, 300, 200] → sorted [100, 200, 300]: median sorted[1] = 200,
    // p90 sorted[⌈2.7⌉ − 1] = sorted[2] = 300, average 600 / 3 = 200.
    let l1 = b.by_loop.get(&"L1".to_owned()).unwrap();
    assert_eq!((l1.requests, l1.completed, l1.timeouts), (5, 3, 1));
    assert_eq!((l1.completion_rate, l1.timeout_rate), (0.6, 0.25));
    assert_eq!((l1.timed, l1.median, l1.p90), (3, Some(200.0), Some(300.0)));
    assert_eq!(l1.average, Some(200.0));

    // L2: 3 requests, 2 completed (2/3), no timeout; one time [50].
    let l2 = b.by_loop.get(&"L2".to_owned()).unwrap();
    assert_eq!((l2.requests, l2.completed, l2.timeouts), (3, 2, 0));
    assert_eq!((l2.completion_rate, l2.timeout_rate), (2.0 / 3.0, 0.0));
    assert_eq!(
        (l2.timed, l2.median, l2.p90, l2.average),
        (1, Some(50.0), Some(50.0), Some(50.0))
    );

    // All: 8 requests, 5 completed (0.625), 1 timeout (1/6). Times [100, 300, 200, 50] →
    // sorted [50, 100, 200, 300]: median sorted[2] = 200 (the vendor's upper middle),
    // p90 sorted[⌈3.6⌉ − 1] = 300, average 650 / 4 = 162.5.
    let all = b.all();
    assert_eq!((all.requests, all.completed, all.timeouts), (8, 5, 1));
    assert_eq!((all.completion_rate, all.timeout_rate), (0.625, 1.0 / 6.0));
    assert_eq!(
        (all.timed, all.median, all.p90, all.average),
        (4, Some(200.0), Some(300.0), Some(162.5))
    );
    // The same as the Overview's statistics of the same rows.
    let s = ResponseTimeStats::compute(&breakdown_rows()).unwrap();
    assert_eq!(
        (all.median, all.p90, all.average),
        (Some(s.median), Some(s.p90), Some(s.average))
    );
    assert_eq!(b.by_reviewer.all, *all);
    assert_eq!(b.by_response_type.all, *all);
}

#[test]
fn breakdown_by_reviewer_and_response_type_by_hand() {
    let b = Breakdowns::compute(&breakdown_rows());
    // Default order: most requests first, ties by key; no reviewer is its own row.
    let keys: Vec<Option<&str>> = b
        .by_reviewer
        .rows
        .iter()
        .map(|r| r.key.as_deref())
        .collect();
    assert_eq!(keys, [None, Some("alice"), Some("bob")]);

    // alice: times [100, 300]: median sorted[2/2] = 300 (not the mean 200), p90
    // sorted[⌈1.8⌉ − 1] = 300, average 200.
    let alice = b.by_reviewer.get(&Some("alice".to_owned())).unwrap();
    assert_eq!(
        (alice.requests, alice.completed, alice.completion_rate),
        (2, 2, 1.0)
    );
    assert_eq!(
        (alice.median, alice.p90, alice.average),
        (Some(300.0), Some(300.0), Some(200.0))
    );
    let bob = b.by_reviewer.get(&Some("bob".to_owned())).unwrap();
    assert_eq!(
        (bob.median, bob.p90, bob.average),
        (Some(200.0), Some(200.0), Some(125.0))
    );
    // No reviewer: the timeout, the pending, the completed one with "" and the cancelled.
    let nobody = b.by_reviewer.get(&None).unwrap();
    assert_eq!(
        (nobody.requests, nobody.completed, nobody.timeouts),
        (4, 1, 1)
    );
    assert_eq!((nobody.completion_rate, nobody.timeout_rate), (0.25, 0.5));
    assert_eq!(
        (nobody.timed, nobody.median, nobody.average),
        (0, None, None)
    );

    // By response type, in the documentation's order for ties (rating before boolean).
    let keys: Vec<&ResponseType> = b.by_response_type.rows.iter().map(|r| &r.key).collect();
    assert_eq!(
        keys,
        [
            &ResponseType::Rating,
            &ResponseType::Boolean,
            &ResponseType::Text
        ]
    );
    let boolean = b.by_response_type.get(&ResponseType::Boolean).unwrap();
    assert_eq!(
        (boolean.requests, boolean.completed, boolean.timeouts),
        (3, 2, 1)
    );
    assert_eq!(boolean.timeout_rate, 1.0 / 3.0);
    assert_eq!(boolean.median, Some(300.0));
    let text = b.by_response_type.get(&ResponseType::Text).unwrap();
    assert_eq!((text.requests, text.completed, text.median), (2, 1, None));

    let labels: Vec<String> = b
        .labelled(Dimension::Reviewer)
        .into_iter()
        .map(|(l, _)| l.into_owned())
        .collect();
    assert_eq!(labels, ["No reviewer", "alice", "bob"]);
    let labels: Vec<String> = b
        .labelled(Dimension::ResponseType)
        .into_iter()
        .map(|(l, _)| l.into_owned())
        .collect();
    assert_eq!(labels, ["Rating", "Yes/no", "Text"]);
    assert_eq!(Dimension::Loop.label(), "By loop");
}

#[test]
fn breakdown_sorts_by_any_column_with_unknown_last_and_ties_by_key() {
    let b = Breakdowns::compute(&breakdown_rows());
    let order = |column, direction| {
        let mut r = b.by_reviewer.clone();
        r.sort(column, direction);
        r.rows
            .iter()
            .map(|r| r.key.clone().unwrap_or_else(|| "-".to_owned()))
            .collect::<Vec<_>>()
    };
    use BreakdownColumn::*;
    // alice 300, bob 200, nobody unknown: unknown last in both directions.
    assert_eq!(order(Median, Direction::Asc), ["bob", "alice", "-"]);
    assert_eq!(order(Median, Direction::Desc), ["alice", "bob", "-"]);
    // No reviewer is the missing key: last in both directions.
    assert_eq!(order(Key, Direction::Asc), ["alice", "bob", "-"]);
    assert_eq!(order(Key, Direction::Desc), ["bob", "alice", "-"]);
    // alice and bob tie at 100 %: by key, ascending, in both directions.
    assert_eq!(
        order(CompletionRate, Direction::Desc),
        ["alice", "bob", "-"]
    );
    assert_eq!(order(CompletionRate, Direction::Asc), ["-", "alice", "bob"]);
    assert_eq!(order(Requests, Direction::Asc), ["alice", "bob", "-"]);
    assert_eq!(order(Average, Direction::Asc), ["bob", "alice", "-"]);
    assert_eq!(order(TimeoutRate, Direction::Desc), ["-", "alice", "bob"]);
    assert_eq!(BreakdownColumn::ALL.len(), 9);
    assert_eq!(P90.label(), "90th percentile");
}

#[test]
fn an_empty_breakdown_has_no_rows_and_no_nan() {
    let b = Breakdowns::compute(&Vec::<HitlRequest>::new());
    assert!(b.by_loop.rows.is_empty());
    let all = b.all();
    assert_eq!(
        (all.requests, all.completion_rate, all.timeout_rate),
        (0, 0.0, 0.0)
    );
    assert_eq!((all.median, all.p90, all.average), (None, None, None));
}

// ---------------------------------------------------------------------------------------------
// SLA

fn pending(
    id: &str,
    priority: Priority,
    created_at: Option<DateTime<Utc>>,
    timeout_at: Option<DateTime<Utc>>,
) -> HitlRequest {
    HitlRequest {
        id: id.to_owned(),
        priority,
        status: Status::Pending,
        created_at,
        timeout_at,
        ..Default::default()
    }
}

fn sla_rows() -> Vec<HitlRequest> {
    let t = |d: u32, h: u32, m: u32| Some(at(2026, 11, d, h, m));
    use Priority::{Critical, High, Low, Medium};
    vec![
        // 2 h left of 4 h (10 % = 24 min): on track.
        pending("s1", High, t(28, 10, 0), t(28, 14, 0)),
        // 10 min left: at risk (under 15 min).
        pending("s2", Critical, t(28, 11, 0), t(28, 12, 10)),
        // 6 h left of 78 h (10 % = 7 h 48 min): at risk (under 10 %).
        pending("s3", Low, t(25, 12, 0), t(28, 18, 0)),
        // Exactly at the deadline: overdue.
        pending("s4", High, t(28, 10, 0), t(28, 12, 0)),
        // An hour past it: overdue.
        pending("s5", Medium, t(28, 9, 0), t(28, 11, 0)),
        // No deadline: not watched.
        pending("s6", High, t(28, 9, 0), None),
        // Not pending: ignored.
        HitlRequest {
            status: Status::Completed,
            ..pending("s7", Critical, t(28, 9, 0), t(28, 12, 1))
        },
        // Exactly 15 min left, 10 % of 2 h is 12 min: on track (both rules are strict).
        pending("s8", Critical, t(28, 10, 15), t(28, 12, 15)),
        // 14 min left, window unknown: at risk by the 15-minute rule alone.
        pending("s9", High, None, t(28, 12, 14)),
        // 20 min left of 200 min: exactly 10 %, on track.
        pending("s10", Low, t(28, 9, 0), t(28, 12, 20)),
    ]
}

#[test]
fn sla_watch_by_hand() {
    let now = at(2026, 11, 28, 12, 0);
    let w = SlaWatch::compute(&sla_rows(), now, Some(52));
    let order: Vec<(&str, SlaState)> = w.entries.iter().map(|e| (e.id.as_str(), e.state)).collect();
    use SlaState::{AtRisk, OnTrack, Overdue};
    assert_eq!(
        order,
        [
            ("s5", Overdue),
            ("s4", Overdue),
            ("s2", AtRisk),
            ("s9", AtRisk),
            ("s8", OnTrack),
            ("s10", OnTrack),
            ("s1", OnTrack),
            ("s3", AtRisk),
        ]
    );
    assert_eq!(w.entries[0].left_seconds(), -3600.0);
    assert_eq!(w.entries[0].index, 4);
    assert_eq!(w.entries[7].whole, Some(Duration::hours(78)));
    assert_eq!(w.entries[3].whole, None);
    assert_eq!((w.based_on, w.no_deadline, w.watched()), (9, 1, 8));
    assert_eq!((w.at_risk, w.overdue, w.needs_attention()), (3, 2, 5));
    assert_eq!(w.coverage(), "Based on 9 of 52 pending requests");
    assert_eq!(
        SlaWatch::compute(&sla_rows(), now, None).coverage(),
        "Based on 9 loaded pending requests"
    );
    assert_eq!(
        SlaWatch::compute(&sla_rows(), now, Some(9)).coverage(),
        "Based on all 9 pending requests"
    );
    assert_eq!(
        SlaWatch::compute(&sla_rows()[..1], now, Some(1)).coverage(),
        "Based on the 1 pending request"
    );
    assert_eq!(
        SlaWatch::compute::<HitlRequest>(&[], now, Some(0)).coverage(),
        "No pending requests"
    );
    assert_eq!(
        SlaWatch::compute(&sla_rows()[..1], now, Some(1_250)).coverage(),
        "Based on 1 of 1,250 pending requests"
    );
    // Equal time left: higher priority first, then id.
    let tie = vec![
        pending("b", Priority::Low, None, Some(at(2026, 11, 28, 13, 0))),
        pending("c", Priority::High, None, Some(at(2026, 11, 28, 13, 0))),
        pending("a", Priority::Low, None, Some(at(2026, 11, 28, 13, 0))),
    ];
    let ids: Vec<String> = SlaWatch::compute(&tie, now, None)
        .entries
        .into_iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(ids, ["c", "a", "b"]);
    assert_eq!(SlaState::Overdue.label(), "Overdue");
}

#[test]
fn notifications_go_out_once_for_critical_and_high_requests_that_become_flagged() {
    let mut rows = sla_rows();
    rows.push(timed_out("t-low", at(2026, 11, 28, 9, 0), None, None));
    let now = at(2026, 11, 28, 12, 0);
    let current = flagged(&rows, now);
    let alerts: Vec<(&str, Alert)> = current.iter().map(|f| (f.id.as_str(), f.alert)).collect();
    assert_eq!(
        alerts,
        [
            ("s5", Alert::Overdue),
            ("s4", Alert::Overdue),
            ("s2", Alert::AtRisk),
            ("s9", Alert::AtRisk),
            ("s3", Alert::AtRisk),
            ("t-low", Alert::TimedOut),
        ]
    );
    // First look with nothing before: the high and critical ones (s4 high, s2 critical, s9
    // high); s5 is medium, s3 and t-low are low.
    let mut notified = HashSet::new();
    let due = notifications_due(&HashSet::new(), &current, &notified);
    let ids: Vec<&str> = due.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["s4", "s2", "s9"]);
    notified.extend(due.into_iter().map(|f| f.id));

    // Eleven minutes later: s8 (critical) has 4 min left; s2 went from at risk to overdue
    // (flagged before: no second notification); a high request timed out.
    let previous = flagged_ids(&current);
    let later = at(2026, 11, 28, 12, 11);
    let mut rows = sla_rows();
    rows.push(HitlRequest {
        priority: Priority::High,
        ..timed_out("t-high", at(2026, 11, 28, 9, 0), None, None)
    });
    let current = flagged(&rows, later);
    let due = notifications_due(&previous, &current, &notified);
    let ids: Vec<&str> = due.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["s8", "t-high"]);
    notified.extend(due.into_iter().map(|f| f.id));

    // Never twice: s2 missing from one look and back in the next is still not notified again;
    // and an id twice in one look is notified once.
    let mut current = current;
    current.push(current[0].clone());
    let due = notifications_due(&HashSet::new(), &current, &notified);
    assert!(due.is_empty());
    let fresh = vec![
        Flagged {
            id: "x".to_owned(),
            priority: Priority::Critical,
            alert: Alert::AtRisk,
        };
        2
    ];
    assert_eq!(
        notifications_due(&HashSet::new(), &fresh, &notified).len(),
        1
    );
    assert!(notifies(&Priority::High) && notifies(&Priority::Critical));
    assert!(!notifies(&Priority::Medium) && !notifies(&Priority::Other("urgent".into())));
}

// ---------------------------------------------------------------------------------------------
// Properties

/// The zones the properties run in: fixed offsets and three with a change of offset near the
/// generated instants.
#[derive(Clone, Copy, Debug)]
enum TestZone {
    Fixed(i32),
    NewYork,
    MidnightJump,
}

impl Zone for TestZone {
    fn offset_at(&self, t: DateTime<Utc>) -> i32 {
        match self {
            TestZone::Fixed(m) => *m,
            TestZone::NewYork => NewYork.offset_at(t),
            // The same jump at local midnight, moved into the generated range.
            TestZone::MidnightJump => {
                if t < at(2026, 11, 3, 4, 0) {
                    -240
                } else {
                    -180
                }
            }
        }
    }
}

fn zone_strategy() -> impl Strategy<Value = TestZone> {
    prop_oneof![
        prop_oneof![
            Just(0),
            Just(60),
            Just(-300),
            Just(330),
            Just(-720),
            Just(840)
        ]
        .prop_map(TestZone::Fixed),
        Just(TestZone::NewYork),
        Just(TestZone::MidnightJump),
    ]
}

/// The generated instants lie within about 40 days of 1 November 2026.
fn base() -> DateTime<Utc> {
    at(2026, 11, 1, 0, 0)
}

fn instant_strategy() -> impl Strategy<Value = DateTime<Utc>> {
    prop_oneof![
        (-40 * 86_400i64..40 * 86_400).prop_map(|s| base() + secs(s)),
        // Whole hours, so that instants fall on bucket edges too.
        (-960i64..960).prop_map(|h| base() + Duration::hours(h)),
    ]
}

fn window_strategy() -> impl Strategy<Value = TimeWindow> {
    prop_oneof![
        Just(TimeWindow::Last24Hours),
        Just(TimeWindow::Last7Days),
        Just(TimeWindow::Last30Days),
        Just(TimeWindow::All),
        (-40i64..40, 0i64..20).prop_map(|(from, len)| {
            let from = day(2026, 11, 1) + Duration::days(from);
            TimeWindow::Custom {
                from,
                to: from + Duration::days(len),
            }
        }),
    ]
}

fn status_strategy() -> impl Strategy<Value = Status> {
    prop_oneof![
        Just(Status::Pending),
        Just(Status::Completed),
        Just(Status::Timeout),
        Just(Status::Cancelled),
        Just(Status::Other("archived".to_owned())),
    ]
}

fn priority_strategy() -> impl Strategy<Value = Priority> {
    prop_oneof![
        Just(Priority::Low),
        Just(Priority::Medium),
        Just(Priority::High),
        Just(Priority::Critical),
    ]
}

prop_compose! {
    fn request_strategy()(
        created in prop::option::weighted(0.95, instant_strategy()),
        status in status_strategy(),
        priority in priority_strategy(),
        loop_id in prop_oneof![Just("L1"), Just("L2"), Just("L3"), Just("")],
        by in prop::option::of(prop_oneof![Just("ana"), Just("ben"), Just("")]),
        response_type in prop_oneof![
            Just(ResponseType::Text),
            Just(ResponseType::Boolean),
            Just(ResponseType::Other("vote".to_owned())),
        ],
        // Small integers too, so ties and zeros are common.
        rts in prop::option::of(prop_oneof![
            0.0f64..200_000.0,
            (0u32..20).prop_map(f64::from),
        ]),
        answered_after in prop::option::of(0i64..5 * 86_400),
        timeout_after in prop::option::of(-3_600i64..4 * 86_400),
        updated in prop::option::of(instant_strategy()),
        n in 0u32..1_000_000,
    ) -> HitlRequest {
        HitlRequest {
            id: format!("r{n}"),
            loop_id: loop_id.to_owned(),
            priority,
            response_type,
            status,
            response_by: by.map(str::to_owned),
            response_at: created.zip(answered_after).map(|(c, a)| c + secs(a)),
            response_time_seconds: rts,
            timeout_at: created.zip(timeout_after).map(|(c, t)| c + secs(t)),
            created_at: created,
            updated_at: updated,
            ..Default::default()
        }
    }
}

/// The local day number of `t` in `zone`, restated from the definition: the day of
/// `t + offset(t)`.
fn local_day(t: DateTime<Utc>, zone: &TestZone) -> NaiveDate {
    (t + Duration::minutes(i64::from(zone.offset_at(t)))).date_naive()
}

/// Membership by the window's definition in days and hours, independent of its bounds.
fn by_definition(w: &TimeWindow, t: DateTime<Utc>, now: DateTime<Utc>, zone: &TestZone) -> bool {
    let today = local_day(now, zone);
    let local_hour =
        |t: DateTime<Utc>| (t.timestamp() + i64::from(zone.offset_at(t)) * 60).div_euclid(3600);
    match *w {
        TimeWindow::All => true,
        TimeWindow::Last24Hours => {
            t >= now - Duration::hours(24) && local_hour(t) <= local_hour(now)
        }
        TimeWindow::Last7Days => {
            let d = local_day(t, zone);
            d >= today - Duration::days(6) && d <= today
        }
        TimeWindow::Last30Days => {
            let d = local_day(t, zone);
            d >= today - Duration::days(29) && d <= today
        }
        TimeWindow::Custom { from, to } => (from..=to).contains(&local_day(t, zone)),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn breakdown_rows_add_up_to_the_whole(rows in prop::collection::vec(request_strategy(), 0..80)) {
        let b = Breakdowns::compute(&rows);
        let all = *b.all();
        prop_assert_eq!(all.requests, rows.len());
        fn sums<K>(b: &Breakdown<K>) -> (usize, usize, usize, usize) {
            b.rows.iter().fold((0, 0, 0, 0), |s, r| {
                let f = &r.figures;
                (s.0 + f.requests, s.1 + f.completed, s.2 + f.timeouts, s.3 + f.timed)
            })
        }
        let whole = (all.requests, all.completed, all.timeouts, all.timed);
        prop_assert_eq!(sums(&b.by_loop), whole);
        prop_assert_eq!(sums(&b.by_reviewer), whole);
        prop_assert_eq!(sums(&b.by_response_type), whole);
        // The whole's times are the Overview's (the data is finite).
        match ResponseTimeStats::compute(&rows) {
            None => prop_assert_eq!((all.timed, all.median, all.p90, all.average), (0, None, None, None)),
            Some(s) => {
                prop_assert_eq!(all.timed, s.count);
                prop_assert_eq!((all.median, all.p90, all.average), (Some(s.median), Some(s.p90), Some(s.average)));
            }
        }
        let figures = b.by_loop.rows.iter().map(|r| &r.figures)
            .chain(b.by_reviewer.rows.iter().map(|r| &r.figures))
            .chain(b.by_response_type.rows.iter().map(|r| &r.figures))
            .chain([&all]);
        for f in figures {
            prop_assert!((0.0..=1.0).contains(&f.completion_rate));
            prop_assert!((0.0..=1.0).contains(&f.timeout_rate));
            prop_assert!(f.median.is_none_or(|m| !m.is_nan()) && f.average.is_none_or(|a| !a.is_nan()));
            prop_assert_eq!(f.median.is_some(), f.timed > 0);
        }
    }

    #[test]
    fn trends_add_up_to_the_windows_totals(
        window in window_strategy(),
        zone in zone_strategy(),
        now in instant_strategy(),
        rows in prop::collection::vec(request_strategy(), 0..80),
    ) {
        let t = Trends::compute(&rows, &window, now, &zone);
        let b = window.bounds(now, &zone);
        let inside: Vec<&HitlRequest> = b.select(&rows);
        prop_assert_eq!(t.totals.created, inside.len());
        prop_assert_eq!(t.totals.completed, inside.iter().filter(|r| r.status == Status::Completed).count());
        prop_assert_eq!(t.totals.timeouts, inside.iter().filter(|r| r.status == Status::Timeout).count());
        let mut sum = (t.earlier.created + t.later.created + t.undated.created,
                       t.earlier.completed + t.later.completed + t.undated.completed,
                       t.earlier.timeouts + t.later.timeouts + t.undated.timeouts);
        for bucket in &t.buckets {
            sum.0 += bucket.created;
            sum.1 += bucket.completed;
            sum.2 += bucket.timeouts;
            // Each bucket counts exactly the requests created in it.
            let created = inside.iter().filter(|r| r.created_at.is_some_and(|c| bucket.start <= c && c < bucket.end)).count();
            prop_assert_eq!(bucket.created, created);
            prop_assert!((0.0..=1.0).contains(&bucket.timeout_rate));
            prop_assert!(bucket.timed <= bucket.completed);
            prop_assert_eq!(bucket.median.is_some(), bucket.timed > 0);
            prop_assert!(bucket.start < bucket.end);
        }
        prop_assert_eq!(sum, (t.totals.created, t.totals.completed, t.totals.timeouts));
        // Contiguous, within the cap, and over the whole of a bounded window.
        prop_assert!(t.buckets.len() <= MAX_BUCKETS);
        prop_assert!(t.buckets.windows(2).all(|p| p[0].end == p[1].start));
        if let (Some(s), Some(e)) = (b.start, b.end) {
            prop_assert_eq!(t.buckets.first().map(|x| x.start), Some(s));
            prop_assert_eq!(t.buckets.last().map(|x| x.end), Some(e));
            prop_assert_eq!(t.earlier.created, 0);
        }
        prop_assert_eq!(t.unit == BucketUnit::Hour, window == TimeWindow::Last24Hours);
    }

    #[test]
    fn the_sla_list_is_sorted_and_at_risk_follows_the_definition(
        rows in prop::collection::vec(request_strategy(), 0..80),
        now in instant_strategy(),
    ) {
        let w = SlaWatch::compute(&rows, now, None);
        prop_assert!(w.entries.windows(2).all(|p| p[0].left <= p[1].left));
        let pending: Vec<&HitlRequest> = rows.iter().filter(|r| r.status == Status::Pending).collect();
        prop_assert_eq!(w.based_on, pending.len());
        prop_assert_eq!(w.watched() + w.no_deadline, pending.len());
        let (mut at_risk, mut overdue) = (0, 0);
        for e in &w.entries {
            let r = &rows[e.index];
            prop_assert_eq!(&r.id, &e.id);
            let deadline = r.timeout_at.unwrap();
            prop_assert_eq!(e.left, deadline - now);
            // The definition, restated in floating point (exact for these integers).
            let left = (deadline - now).num_milliseconds() as f64;
            let whole = r.created_at.map(|c| (deadline - c).num_milliseconds() as f64);
            let expected = if deadline <= now {
                SlaState::Overdue
            } else if left < 15.0 * 60_000.0 || whole.is_some_and(|w| w > 0.0 && left * 10.0 < w) {
                SlaState::AtRisk
            } else {
                SlaState::OnTrack
            };
            prop_assert_eq!(e.state, expected);
            at_risk += usize::from(expected == SlaState::AtRisk);
            overdue += usize::from(expected == SlaState::Overdue);
        }
        prop_assert_eq!((w.at_risk, w.overdue), (at_risk, overdue));
    }
}

/// Instants within 12 days of 1 November 2026, where the test zones change offset, so that
/// window edges land on those days often.
fn near_instant_strategy() -> impl Strategy<Value = DateTime<Utc>> {
    (-12 * 86_400i64..12 * 86_400).prop_map(|s| base() + secs(s))
}

/// Windows whose custom days lie near the changes of offset.
fn near_window_strategy() -> impl Strategy<Value = TimeWindow> {
    prop_oneof![
        window_strategy(),
        (-6i64..6, 0i64..4).prop_map(|(from, len)| {
            let from = day(2026, 11, 1) + Duration::days(from);
            TimeWindow::Custom {
                from,
                to: from + Duration::days(len),
            }
        }),
    ]
}

proptest! {
    // Cheap cases: many, so that the days around a change of offset come up every run.
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn a_window_holds_exactly_its_requests_edges_included(
        window in near_window_strategy(),
        zone in zone_strategy(),
        now in near_instant_strategy(),
        rows in prop::collection::vec(instant_strategy(), 0..60),
        edge_offsets in prop::collection::vec(-2i64..2, 4),
    ) {
        let b = window.bounds(now, &zone);
        // The edges themselves and the instants around them.
        let mut instants = rows;
        for edge in [b.start, b.end].into_iter().flatten() {
            for o in &edge_offsets {
                instants.push(edge + secs(*o));
            }
            instants.push(edge);
        }
        for t in instants {
            let in_bounds = b.start.is_none_or(|s| s <= t) && b.end.is_none_or(|e| t < e);
            prop_assert_eq!(b.contains(Some(t)), in_bounds);
            prop_assert_eq!(in_bounds, by_definition(&window, t, now, &zone), "{} {:?}", t, b);
        }
        if let (Some(s), Some(e)) = (b.start, b.end) {
            prop_assert!(s < e);
        }
    }

}

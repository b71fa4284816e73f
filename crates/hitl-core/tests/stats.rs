//! Statistics against hand-computed values: the seed's `analyze_response_times` and
//! `analyzePriorityDistribution`, and the views we add (outcomes, status shares, daily series,
//! histogram, chart geometry).

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use hitl_core::stats::*;
use hitl_core::{decode_response, HitlRequest, Priority, RequestPage, Status};
use proptest::prelude::*;

const SEED_LIST: &str = include_str!("fixtures/seed-list.json");

fn completed(t: f64) -> HitlRequest {
    HitlRequest {
        status: Status::Completed,
        response_time_seconds: Some(t),
        ..Default::default()
    }
}

fn with_status(status: Status, t: Option<f64>) -> HitlRequest {
    HitlRequest {
        status,
        response_time_seconds: t,
        ..Default::default()
    }
}

fn times(ts: &[f64]) -> Vec<HitlRequest> {
    ts.iter().copied().map(completed).collect()
}

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

#[test]
fn median_of_odd_length_is_the_middle() {
    let s = ResponseTimeStats::compute(&times(&[500.0, 100.0, 300.0])).unwrap();
    assert_eq!(s.median, 300.0);
}

#[test]
fn median_of_even_length_follows_the_seed_upper_middle() {
    // sorted [10, 20, 30, 40]; the seed takes sorted[4 // 2] = 30, not (20 + 30) / 2.
    let s = ResponseTimeStats::compute(&times(&[40.0, 10.0, 30.0, 20.0])).unwrap();
    assert_eq!(s.median, 30.0);
    let s = ResponseTimeStats::compute(&times(&[7.0, 3.0])).unwrap();
    assert_eq!(s.median, 7.0);
}

#[test]
fn min_average_max() {
    let s = ResponseTimeStats::compute(&times(&[600.0, 100.0, 200.0])).unwrap();
    assert_eq!(s.count, 3);
    assert_eq!(s.min, 100.0);
    assert_eq!(s.max, 600.0);
    assert_eq!(s.average, 300.0);
    assert_eq!(s.average_formatted(), "5 minutes");
}

#[test]
fn nearest_rank_percentiles_on_known_lists() {
    // 10, 20, …, 200 (n = 20): p90 = sorted[18 − 1] = 180, p95 = sorted[19 − 1] = 190.
    let list: Vec<f64> = (1..=20).rev().map(|i| f64::from(i) * 10.0).collect();
    let s = ResponseTimeStats::compute(&times(&list)).unwrap();
    assert_eq!(s.p90, 180.0);
    assert_eq!(s.p95, 190.0);
    assert_eq!(s.median, 110.0);

    // 1..=10 (n = 10): p90 = sorted[9 − 1] = 9, p95 = sorted[ceil(9.5) − 1] = 10.
    let list: Vec<f64> = (1..=10).map(f64::from).collect();
    let s = ResponseTimeStats::compute(&times(&list)).unwrap();
    assert_eq!(s.p90, 9.0);
    assert_eq!(s.p95, 10.0);

    // n = 1: everything is the one value.
    let s = ResponseTimeStats::compute(&times(&[42.0])).unwrap();
    assert_eq!(
        (s.min, s.median, s.p90, s.p95, s.max),
        (42.0, 42.0, 42.0, 42.0, 42.0)
    );
}

#[test]
fn range_boundaries_match_the_seed() {
    let cases = [
        (299.9, ResponseRange::Under5Min),
        (300.0, ResponseRange::From5To30Min),
        (1799.9, ResponseRange::From5To30Min),
        (1800.0, ResponseRange::From30MinTo2Hours),
        (7199.9, ResponseRange::From30MinTo2Hours),
        (7200.0, ResponseRange::Over2Hours),
    ];
    for (t, range) in cases {
        assert_eq!(ResponseRange::of(t), range, "{t}");
        let s = ResponseTimeStats::compute(&times(&[t])).unwrap();
        assert_eq!(s.range(range), 1, "{t}");
    }
    let all: Vec<f64> = cases.iter().map(|c| c.0).collect();
    let s = ResponseTimeStats::compute(&times(&all)).unwrap();
    let counts: Vec<usize> = s.ranges.iter().map(|r| r.count).collect();
    assert_eq!(counts, [1, 2, 2, 1]);
    assert_eq!(s.ranges[1].share, 2.0 / 6.0);
    let keys: Vec<&str> = ResponseRange::ALL.iter().map(|r| r.key()).collect();
    assert_eq!(
        keys,
        [
            "under_5_min",
            "5_to_30_min",
            "30_min_to_2_hours",
            "over_2_hours"
        ]
    );
    let labels: Vec<&str> = ResponseRange::ALL.iter().map(|r| r.label()).collect();
    assert_eq!(
        labels,
        ["Under 5 min", "5–30 min", "30 min–2 h", "Over 2 h"]
    );
}

#[test]
fn only_completed_rows_with_a_truthy_response_time_count() {
    let rows = vec![
        completed(100.0),
        completed(300.0),
        with_status(Status::Pending, Some(50.0)),
        with_status(Status::Timeout, Some(60.0)),
        with_status(Status::Cancelled, Some(70.0)),
        with_status(Status::Completed, None),
        // Python's `and r["response_time_seconds"]` is false for 0.
        completed(0.0),
    ];
    let s = ResponseTimeStats::compute(&rows).unwrap();
    assert_eq!(s.count, 2);
    assert_eq!(s.min, 100.0);
    assert_eq!(s.max, 300.0);
    assert_eq!(s.average, 200.0);
}

#[test]
fn no_qualifying_rows_gives_none() {
    assert_eq!(ResponseTimeStats::compute::<HitlRequest>(&[]), None);
    let rows = vec![
        with_status(Status::Pending, None),
        with_status(Status::Completed, None),
        completed(0.0),
    ];
    assert_eq!(ResponseTimeStats::compute(&rows), None);
    assert_eq!(ResponseTimeStats::from_seconds(vec![f64::NAN]), None);
}

#[test]
fn the_seed_page_analyses_like_the_seed() {
    let page: RequestPage = decode_response(200, SEED_LIST, None).unwrap();
    let s = ResponseTimeStats::compute(&page.requests).unwrap();
    assert_eq!(s.count, 1);
    assert_eq!(s.average, 900.5);
    assert_eq!(s.median, 900.5);
    assert_eq!(s.range(ResponseRange::From5To30Min), 1);
    assert_eq!(s.average_formatted(), "15 minutes");
}

#[test]
fn histogram_bins_and_edges() {
    assert_eq!(HISTOGRAM_EDGES.len(), HISTOGRAM_LABELS.len() + 1);
    assert!(HISTOGRAM_EDGES.windows(2).all(|w| w[0] < w[1]));
    let cases = [
        (-5.0, 0),
        (0.0, 0),
        (9.99, 0),
        (10.0, 1),
        (59.9, 2),
        (60.0, 3),
        (299.9, 4),
        (300.0, 5),
        (1800.0, 7),
        (7199.0, 8),
        (7200.0, 9),
        (86_399.0, 11),
        (86_400.0, 12),
        (1e9, 12),
    ];
    for (t, bin) in cases {
        assert_eq!(histogram_bin(t), bin, "{t}");
    }
    let s = ResponseTimeStats::compute(&times(&[5.0, 5.0, 400.0, 100_000.0])).unwrap();
    let bins = s.histogram_bins();
    assert_eq!(bins.len(), 13);
    assert_eq!(bins[0].count, 2);
    assert_eq!(bins[0].label, "< 10 s");
    assert_eq!(bins[5].count, 1);
    assert_eq!((bins[5].lower, bins[5].upper), (300.0, 600.0));
    assert_eq!(bins[12].count, 1);
    assert_eq!(bins[12].upper, f64::INFINITY);
    assert_eq!(bins.iter().map(|b| b.count).sum::<usize>(), 4);
}

fn status_strategy() -> impl Strategy<Value = Status> {
    prop_oneof![
        Just(Status::Pending),
        Just(Status::Completed),
        Just(Status::Completed),
        Just(Status::Timeout),
        Just(Status::Cancelled),
    ]
}

proptest! {
    #[test]
    fn response_stats_invariants(
        rows in prop::collection::vec(
            (status_strategy(), // Small integers too, so ties and repeated values are common.
            prop::option::of(prop_oneof![0.0f64..500_000.0, (0u32..20).prop_map(f64::from)])),
            0..200,
        )
    ) {
        let rows: Vec<HitlRequest> =
            rows.into_iter().map(|(s, t)| with_status(s, t)).collect();
        let expected = rows
            .iter()
            .filter(|r| r.status == Status::Completed)
            .filter(|r| r.response_time_seconds.is_some_and(|t| t != 0.0))
            .count();
        match ResponseTimeStats::compute(&rows) {
            None => prop_assert_eq!(expected, 0),
            Some(s) => {
                prop_assert_eq!(s.count, expected);
                // The seed's definitions over a full sort.
                let mut sorted: Vec<f64> = rows
                    .iter()
                    .filter(|r| r.status == Status::Completed)
                    .filter_map(|r| r.response_time_seconds.filter(|t| *t != 0.0))
                    .collect();
                sorted.sort_by(f64::total_cmp);
                let n = sorted.len();
                let rank = |p: usize| sorted[(p * n).div_ceil(100).max(1) - 1];
                prop_assert_eq!(s.min, sorted[0]);
                prop_assert_eq!(s.max, sorted[n - 1]);
                prop_assert_eq!(s.median, sorted[n / 2]);
                prop_assert_eq!(s.p90, rank(90));
                prop_assert_eq!(s.p95, rank(95));
                prop_assert_eq!(s.ranges.iter().map(|r| r.count).sum::<usize>(), s.count);
                prop_assert_eq!(s.histogram.iter().sum::<usize>(), s.count);
                prop_assert!(s.min <= s.median && s.median <= s.max);
                prop_assert!(s.median <= s.p90);
                prop_assert!(s.p90 <= s.p95 && s.p95 <= s.max);
                prop_assert!(s.min <= s.average * (1.0 + 1e-12) && s.average <= s.max * (1.0 + 1e-12));
                let shares: f64 = s.ranges.iter().map(|r| r.share).sum();
                prop_assert!((shares - 1.0).abs() < 1e-9);
            }
        }
    }

    #[test]
    fn outcome_and_priority_rates_are_finite_shares(
        rows in prop::collection::vec(
            (status_strategy(), prop::option::of(0.0f64..20_000.0), 0usize..5),
            0..100,
        )
    ) {
        let priorities = ["low", "medium", "high", "critical", "urgent"];
        let rows: Vec<HitlRequest> = rows
            .into_iter()
            .map(|(s, t, p)| HitlRequest {
                priority: Priority::from_wire(priorities[p]),
                ..with_status(s, t)
            })
            .collect();
        let o = Outcomes::compute(&rows);
        prop_assert_eq!(o.finished, o.completed + o.timeouts);
        prop_assert!((0.0..=1.0).contains(&o.timeout_rate));
        prop_assert!(o.within[0].count <= o.within[1].count);
        prop_assert!(o.within[1].count <= o.within[2].count);
        prop_assert!(o.within[2].count + o.unknown_time <= o.completed);
        let d = PriorityDistribution::compute(&rows);
        prop_assert_eq!(d.rows.iter().map(|r| r.count).sum::<usize>(), rows.len());
        for r in &d.rows {
            prop_assert!((0.0..=1.0).contains(&r.completion_rate));
            prop_assert!((0.0..=1.0).contains(&r.timeout_rate));
            prop_assert_eq!(r.avg_response_time.is_some(), r.completed > 0);
        }
    }
}

#[test]
fn js_round_matches_math_round() {
    assert_eq!(js_round(150.5), 151.0);
    assert_eq!(js_round(150.49), 150.0);
    assert_eq!(js_round(2.5), 3.0);
    assert_eq!(js_round(-2.5), -2.0);
    assert_eq!(js_round(-2.51), -3.0);
    assert_eq!(js_round(0.499_999_999_999_999_94), 0.0);
    assert_eq!(js_round(900.5), 901.0);
}

#[test]
fn priority_distribution_with_zero_completed_and_zero_count() {
    let p = |p: Priority, s: Status, t: Option<f64>| HitlRequest {
        priority: p,
        ..with_status(s, t)
    };
    let rows = vec![
        p(Priority::Low, Status::Completed, Some(100.0)),
        p(Priority::Low, Status::Completed, Some(201.0)),
        p(Priority::Low, Status::Pending, None),
        p(Priority::Medium, Status::Pending, None),
        p(Priority::Medium, Status::Timeout, None),
        // High: no rows at all.
        p(Priority::Critical, Status::Completed, Some(0.0)),
        p(Priority::from_wire("urgent"), Status::Completed, Some(60.0)),
    ];
    let d = PriorityDistribution::compute(&rows);
    let names: Vec<&str> = d.rows.iter().map(|r| r.priority.as_str()).collect();
    assert_eq!(names, ["low", "medium", "high", "critical", "urgent"]);

    let low = d.get(&Priority::Low).unwrap();
    assert_eq!((low.count, low.completed), (3, 2));
    assert_eq!(low.completion_rate, 2.0 / 3.0);
    // (100 + 201) / 2 = 150.5 → Math.round → 151.
    assert_eq!(low.avg_response_time, Some(151.0));
    assert_eq!((low.finished, low.timeouts, low.timeout_rate), (2, 0, 0.0));

    let medium = d.get(&Priority::Medium).unwrap();
    assert_eq!((medium.count, medium.completed), (2, 0));
    assert_eq!(medium.completion_rate, 0.0);
    assert_eq!(medium.avg_response_time, None);
    assert_eq!(
        (medium.finished, medium.timeouts, medium.timeout_rate),
        (1, 1, 1.0)
    );

    let high = d.get(&Priority::High).unwrap();
    assert_eq!((high.count, high.completed), (0, 0));
    assert_eq!(high.completion_rate, 0.0);
    assert!(!high.completion_rate.is_nan());
    assert_eq!(high.avg_response_time, None);
    assert_eq!(high.timeout_rate, 0.0);

    // The seed counts a 0-second completion as not completed (JS truthiness).
    let critical = d.get(&Priority::Critical).unwrap();
    assert_eq!((critical.count, critical.completed), (1, 0));
    assert_eq!(critical.finished, 1);
    assert_eq!(critical.avg_response_time, None);

    let urgent = &d.rows[4];
    assert_eq!(urgent.priority, Priority::Other("urgent".to_owned()));
    assert_eq!((urgent.count, urgent.completed), (1, 1));
    assert_eq!(urgent.avg_response_time, Some(60.0));
}

#[test]
fn priority_distribution_without_undocumented_values_has_four_rows() {
    let d = PriorityDistribution::compute::<HitlRequest>(&[]);
    assert_eq!(d.rows.len(), 4);
    assert!(d
        .rows
        .iter()
        .all(|r| r.count == 0 && r.completion_rate == 0.0));
}

#[test]
fn outcomes_count_timeouts_as_not_answered() {
    let created = at(2026, 11, 28, 10, 0);
    let mut rows = times(&[100.0, 299.0, 300.0, 1000.0, 5000.0, 8000.0]);
    // No response_time_seconds, but response_at − created_at = 60 s.
    rows.push(HitlRequest {
        status: Status::Completed,
        created_at: Some(created),
        response_at: Some(created + Duration::seconds(60)),
        ..Default::default()
    });
    // Completed, time unknown.
    rows.push(with_status(Status::Completed, None));
    rows.push(with_status(Status::Timeout, None));
    rows.push(with_status(Status::Timeout, None));
    rows.push(with_status(Status::Pending, None));
    rows.push(with_status(Status::Cancelled, None));

    let o = Outcomes::compute(&rows);
    assert_eq!((o.finished, o.completed, o.timeouts), (10, 8, 2));
    assert_eq!(o.timeout_rate, 0.2);
    assert_eq!(o.unknown_time, 1);
    let counts: Vec<usize> = o.within.iter().map(|w| w.count).collect();
    assert_eq!(counts, [3, 5, 6]);
    let shares: Vec<f64> = o.within.iter().map(|w| w.share).collect();
    assert_eq!(shares, [0.3, 0.5, 0.6]);
    assert_eq!(o.within[1].label, "within 30 min");
    assert_eq!(o.within[2].limit_seconds, 7200.0);

    let none = Outcomes::compute::<HitlRequest>(&[]);
    assert_eq!(none.finished, 0);
    assert_eq!(none.timeout_rate, 0.0);
    assert!(none.within.iter().all(|w| w.share == 0.0));
}

#[test]
fn status_counts_and_shares() {
    let rows = vec![
        with_status(Status::Pending, None),
        with_status(Status::Pending, None),
        with_status(Status::Completed, None),
        with_status(Status::from_wire("archived"), None),
    ];
    let c = StatusCounts::compute(&rows);
    assert_eq!(c.total, 4);
    let got: Vec<(&str, usize, f64)> = c
        .rows
        .iter()
        .map(|r| (r.status.as_str(), r.count, r.share))
        .collect();
    assert_eq!(
        got,
        [
            ("pending", 2, 0.5),
            ("completed", 1, 0.25),
            ("timeout", 0, 0.0),
            ("cancelled", 0, 0.0),
            ("archived", 1, 0.25),
        ]
    );
    assert_eq!(c.count(&Status::Pending), 2);
    assert_eq!(c.other_total(), 1);

    let empty = StatusCounts::compute::<HitlRequest>(&[]);
    assert_eq!(empty.rows.len(), 4);
    assert!(empty.rows.iter().all(|r| r.share == 0.0));
}

/// A pending request created at `t`.
fn created(t: DateTime<Utc>) -> HitlRequest {
    HitlRequest {
        status: Status::Pending,
        created_at: Some(t),
        ..Default::default()
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn daily_series_in_an_offset_crossing_midnight_with_empty_days() {
    let rows = vec![
        // 23:30 UTC on the 27th is 01:30 on the 28th at UTC+02:00.
        created(at(2026, 11, 27, 23, 30)),
        // Created 28th local, answered 21:59 UTC on the 30th = 23:59 local, still the 30th.
        HitlRequest {
            status: Status::Completed,
            created_at: Some(at(2026, 11, 28, 8, 0)),
            response_at: Some(at(2026, 11, 30, 21, 59)),
            response_time_seconds: Some(1.0),
            ..Default::default()
        },
        // 22:30 UTC on the 30th is 00:30 on December 1st locally.
        created(at(2026, 11, 30, 22, 30)),
        // Completed without response_at: created + response_time_seconds (28th 09:00 local).
        HitlRequest {
            status: Status::Completed,
            created_at: Some(at(2026, 11, 28, 6, 0)),
            response_time_seconds: Some(3600.0),
            ..Default::default()
        },
    ];
    let s = DailySeries::compute(&rows, 120);
    let got: Vec<(NaiveDate, usize, usize)> = s
        .days
        .iter()
        .map(|d| (d.date, d.created, d.completed))
        .collect();
    assert_eq!(
        got,
        [
            (day(2026, 11, 28), 3, 1),
            (day(2026, 11, 29), 0, 0),
            (day(2026, 11, 30), 0, 1),
            (day(2026, 12, 1), 1, 0),
        ]
    );
    assert_eq!(s.dropped, 0);

    // The same rows in UTC: the first request is on the 27th, the last on the 30th.
    let utc = DailySeries::compute(&rows, 0);
    assert_eq!(utc.days.first().unwrap().date, day(2026, 11, 27));
    assert_eq!(utc.days.last().unwrap().date, day(2026, 11, 30));
    assert_eq!(utc.days.len(), 4);
    assert_eq!(utc.days[3].created, 1);
    assert_eq!(utc.days[3].completed, 1);

    // West of UTC: 03:00 UTC on the 28th is the 27th at UTC−05:00.
    let west = DailySeries::compute(&[created(at(2026, 11, 28, 3, 0))], -300);
    assert_eq!(west.days.len(), 1);
    assert_eq!(west.days[0].date, day(2026, 11, 27));

    assert!(DailySeries::compute::<HitlRequest>(&[], 0).days.is_empty());
}

/// New York in autumn 2026: UTC−04:00 until the clocks went back on 1 November at 06:00 UTC,
/// UTC−05:00 after.
struct NewYork;

impl hitl_core::format::Zone for NewYork {
    fn offset_at(&self, t: DateTime<Utc>) -> i32 {
        if t < at(2026, 11, 1, 6, 0) {
            -240
        } else {
            -300
        }
    }
}

#[test]
fn daily_series_counts_each_day_with_the_offset_of_its_own_instant() {
    // 04:30 UTC on 29 October is 00:30 that day in New York (summer time), though 23:30 the
    // day before at the offset New York has in late November.
    let rows = [
        created(at(2026, 10, 29, 4, 30)),
        created(at(2026, 11, 28, 4, 30)), // 23:30 on the 27th (winter time)
    ];
    let s = DailySeries::compute(&rows, NewYork);
    assert_eq!(s.days.first().unwrap().date, day(2026, 10, 29));
    assert_eq!(s.days.first().unwrap().created, 1);
    assert_eq!(s.days.last().unwrap().date, day(2026, 11, 27));
    // The label: the offset at the newest event.
    assert_eq!(s.offset_minutes, -300);
    let fixed = DailySeries::compute(&rows, -300);
    assert_eq!(fixed.days.first().unwrap().date, day(2026, 10, 28));
}

#[test]
fn daily_series_caps_a_bogus_old_timestamp() {
    let rows = vec![
        HitlRequest {
            created_at: Some(at(1970, 1, 1, 0, 0)),
            ..Default::default()
        },
        HitlRequest {
            created_at: Some(at(2026, 11, 28, 0, 0)),
            ..Default::default()
        },
    ];
    let s = DailySeries::compute(&rows, 0);
    assert_eq!(s.days.len(), 1);
    assert_eq!(s.dropped, 1);
}

#[test]
fn daily_series_survives_an_absurd_response_time() {
    let rows = vec![HitlRequest {
        status: Status::Completed,
        created_at: Some(at(2026, 11, 28, 0, 0)),
        response_time_seconds: Some(1e300),
        ..Default::default()
    }];
    let s = DailySeries::compute(&rows, 0);
    assert_eq!(s.days.len(), 1);
    assert_eq!((s.days[0].created, s.days[0].completed), (1, 0));
}

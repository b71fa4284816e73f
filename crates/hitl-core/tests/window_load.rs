//! Loading a time window newest first: the count that says what it costs, the merge limited to
//! the window's rows, the rule that takes one more page when the start was not passed, and the
//! sentences and file names that say which window a figure or a file covers.

use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use hitl_core::contract;
use hitl_core::demo::Dataset;
use hitl_core::export::{export_filename, export_filename_in};
use hitl_core::loader::{calls_for, page_queries_upto, set_key, Merge, PAGE};
use hitl_core::window::{older_query, TimeWindow, WindowCount};
use hitl_core::{HitlRequest, Priority, RequestPage, RequestQuery, Sort, Status};
use proptest::prelude::*;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn newest_first(filters: &RequestQuery) -> RequestQuery {
    RequestQuery {
        sort: Sort::CreatedAtDesc,
        limit: PAGE as u32,
        ..set_key(filters)
    }
}

fn serve(rows: &[HitlRequest], q: &RequestQuery) -> Arc<RequestPage> {
    Arc::new(contract::list(rows, q))
}

/// The app's window load against `rows` as they are at each call (`change` runs after every
/// call, as requests arrive): the counted pages, then one more page at a time until the last
/// one passes the start, then the repair of pages whose total differs. Returns the merge, the
/// calls made and the rows as the last call saw them (what a load can know of).
fn load_window(
    rows: &mut Vec<HitlRequest>,
    filters: &RequestQuery,
    start: DateTime<Utc>,
    counted: Option<u64>,
    change: &mut dyn FnMut(&mut Vec<HitlRequest>),
) -> (Merge, u64, Vec<HitlRequest>) {
    let key = newest_first(filters);
    let mut merge = Merge::default();
    merge.limit = Some(counted.unwrap_or(1));
    let mut calls = 0;
    let mut seen = Vec::new();
    let mut fetch = |merge: &mut Merge, rows: &mut Vec<HitlRequest>, q: &RequestQuery| {
        merge.add(q.offset, serve(rows, q));
        calls += 1;
        seen = rows.clone();
        change(rows);
    };
    let first = key.with_offset(0);
    fetch(&mut merge, rows, &first);
    loop {
        let total = merge.total;
        let missing: Vec<RequestQuery> = page_queries_upto(&key, total, merge.limit)
            .into_iter()
            .filter(|q| !merge.has(q.offset))
            .collect();
        for q in &missing {
            fetch(&mut merge, rows, q);
        }
        if !missing.is_empty() {
            continue;
        }
        if merge.reached(start) {
            break;
        }
        merge.want_next_page();
    }
    for _ in 0..2 {
        merge.drop_past_end();
        let again = merge.refetch();
        if again.is_empty() {
            break;
        }
        for o in again {
            fetch(&mut merge, rows, &key.with_offset(o));
        }
    }
    merge.drop_past_end();
    (merge, calls, seen)
}

fn in_window(rows: &[HitlRequest], filters: &RequestQuery, start: DateTime<Utc>) -> Vec<String> {
    let mut ids: Vec<String> = rows
        .iter()
        .filter(|r| contract::matches(r, filters) && r.created_at.is_some_and(|c| c >= start))
        .map(|r| r.id.clone())
        .collect();
    ids.sort();
    ids
}

fn loaded_in_window(merge: &Merge, start: DateTime<Utc>) -> Vec<String> {
    let mut ids: Vec<String> = merge
        .rows()
        .into_iter()
        .filter(|r| r.created_at.is_some_and(|c| c >= start))
        .map(|r| r.id)
        .collect();
    ids.sort();
    ids
}

#[test]
fn a_counted_window_costs_one_call_per_100_of_its_requests() {
    let mut rows = Dataset::generate(7, 3000, now())
        .requests
        .into_iter()
        .map(|d| d.request)
        .collect::<Vec<_>>();
    let filters = RequestQuery::default();
    let start = TimeWindow::Last7Days.bounds(now(), &0).start.unwrap();
    let expected = in_window(&rows, &filters, start);
    let n = expected.len() as u64;
    assert!(n > 1000 && !n.is_multiple_of(100), "{n}");
    // The count: the filters' total less those created before the start (one call).
    let total = rows.len() as u64;
    let before = contract::list(&rows, &older_query(&filters, start)).total;
    let count = WindowCount::new(total, before, None);
    assert_eq!(count.in_window, n);
    assert_eq!(count.since_start, n);
    let (merge, calls, _) = load_window(&mut rows, &filters, start, Some(n), &mut |_| {});
    assert_eq!(calls, calls_for(n));
    assert_eq!(loaded_in_window(&merge, start), expected);
    assert!(merge.gap().is_none());
    // Never the whole list: 3,000 requests would be 30 calls.
    assert!(calls < calls_for(total));
}

#[test]
fn without_a_count_it_pages_until_a_page_ends_before_the_start() {
    let mut rows = Dataset::generate(7, 1500, now())
        .requests
        .into_iter()
        .map(|d| d.request)
        .collect::<Vec<_>>();
    let filters = RequestQuery {
        priority: Some(Priority::High),
        ..Default::default()
    };
    let start = TimeWindow::Last7Days.bounds(now(), &0).start.unwrap();
    let expected = in_window(&rows, &filters, start);
    let n = expected.len() as u64;
    let (merge, calls, _) = load_window(&mut rows, &filters, start, None, &mut |_| {});
    // ⌈N/100⌉ pages, plus one when N is a multiple of 100 (to see the start passed).
    assert_eq!(calls, n / PAGE + 1);
    assert_eq!(loaded_in_window(&merge, start), expected);
}

#[test]
fn a_window_holding_the_whole_list_stops_at_its_end() {
    let mut rows = Dataset::generate(7, 250, now())
        .requests
        .into_iter()
        .map(|d| d.request)
        .collect::<Vec<_>>();
    let start = now() - Duration::days(400);
    let filters = RequestQuery::default();
    let (merge, calls, _) = load_window(&mut rows, &filters, start, Some(250), &mut |_| {});
    assert_eq!(calls, 3);
    assert!(merge.reached(start));
    assert_eq!(merge.rows().len(), 250);
}

#[test]
fn requests_created_while_loading_push_the_window_down_and_one_more_page_follows() {
    let mut data = Dataset::generate(7, 2000, now());
    let mut rows: Vec<HitlRequest> = data.requests.iter().map(|d| d.request.clone()).collect();
    let filters = RequestQuery::default();
    let start = TimeWindow::Last7Days.bounds(now(), &0).start.unwrap();
    let n = in_window(&rows, &filters, start).len() as u64;
    // Twenty new requests arrive after the first call.
    let mut arrived = false;
    let mut later = now();
    let (merge, _, seen) = load_window(&mut rows, &filters, start, Some(n), &mut |rows| {
        if !arrived {
            arrived = true;
            later += Duration::seconds(5);
            data.create_pending(20, later);
            *rows = data.requests.iter().map(|d| d.request.clone()).collect();
        }
    });
    assert_eq!(
        loaded_in_window(&merge, start),
        in_window(&seen, &filters, start)
    );
    assert_eq!(seen.len(), 2020);
    assert!(merge.gap().is_none());
}

#[test]
fn counts_never_go_negative_and_a_past_window_ends_before_now() {
    assert_eq!(
        WindowCount::new(100, 40, None),
        WindowCount {
            in_window: 60,
            since_start: 60
        }
    );
    // 1–7 November: 30 created before the 1st, 70 before the 8th, 100 in all.
    assert_eq!(
        WindowCount::new(100, 30, Some(70)),
        WindowCount {
            in_window: 40,
            since_start: 70
        }
    );
    // Answers a moment apart (requests left the filters between the calls).
    assert_eq!(WindowCount::new(10, 12, Some(11)).in_window, 0);
    let q = older_query(
        &RequestQuery {
            status: Some(Status::Pending),
            limit: 20,
            offset: 40,
            sort: Sort::PriorityDesc,
            ..Default::default()
        },
        now(),
    );
    assert_eq!(
        q.to_query_string(),
        "status=pending&limit=1&created_before=2026-11-28T12%3A00%3A00Z"
    );
}

#[test]
fn figures_and_files_say_which_window_they_cover() {
    let nov = TimeWindow::custom(day(2026, 11, 1), day(2026, 11, 7)).unwrap();
    assert_eq!(
        TimeWindow::Last7Days.based_on(1204, 1204),
        "Based on 1,204 of 1,204 requests in the last 7 days"
    );
    assert_eq!(
        TimeWindow::Last24Hours.based_on(0, 1),
        "Based on 0 of 1 request in the last 24 hours"
    );
    assert_eq!(
        nov.based_on(3, 96),
        "Based on 3 of 96 requests created 1 Nov – 7 Nov 2026"
    );
    assert_eq!(
        TimeWindow::All.based_on(50, 240),
        "Based on 50 of 240 requests"
    );
    assert_eq!(TimeWindow::Last30Days.phrase(), "in the last 30 days");
    assert_eq!(TimeWindow::All.phrase(), "");

    let q = RequestQuery {
        status: Some(Status::Completed),
        ..Default::default()
    };
    let date = day(2026, 11, 28);
    assert_eq!(
        export_filename_in(date, &q, &TimeWindow::Last7Days, "csv", None),
        "hitl-requests-2026-11-28-window-7d-status-completed.csv"
    );
    assert_eq!(
        export_filename_in(date, &q, &nov, "json", Some((3, 9))),
        "hitl-requests-2026-11-28-from-2026-11-01-to-2026-11-07-status-completed-partial-3-of-9.json"
    );
    assert_eq!(
        export_filename_in(date, &q, &TimeWindow::All, "csv", None),
        export_filename(date, &q, "csv", None)
    );
}

#[test]
fn the_24_hour_window_moves_by_whole_hours() {
    let clock = Utc.with_ymd_and_hms(2026, 11, 28, 12, 34, 56).unwrap();
    let w = TimeWindow::Last24Hours;
    let at = w.now_for(clock, &0);
    assert_eq!(at, Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap());
    let b = w.bounds(at, &0);
    assert_eq!(b.start, Some(at - Duration::hours(24)));
    assert_eq!(b.end, Some(at + Duration::hours(1)));
    // The same bounds (so the same count and figures) all hour long.
    let later = Utc.with_ymd_and_hms(2026, 11, 28, 12, 59, 59).unwrap();
    assert_eq!(w.bounds(w.now_for(later, &0), &0), b);
    // Whole hours of the zone: at UTC+05:30, 12:34 UTC is 18:04, in the hour that began at
    // 18:00 local, 12:30 UTC.
    let india = w.now_for(clock, &330);
    assert_eq!(
        india,
        Utc.with_ymd_and_hms(2026, 11, 28, 12, 30, 0).unwrap()
    );
    let b = w.bounds(india, &330);
    assert_eq!(b.start, Some(india - Duration::hours(24)));
    assert_eq!(b.end, Some(india + Duration::hours(1)));
    // Other windows at the minute.
    assert_eq!(
        TimeWindow::Last7Days.now_for(clock, &0),
        Utc.with_ymd_and_hms(2026, 11, 28, 12, 34, 0).unwrap()
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Whatever the count said (right, too low, missing) and however many requests arrive while
    /// it loads, a window load holds exactly the window's requests, and it costs the counted
    /// pages plus one per page the count fell short.
    #[test]
    fn a_window_load_holds_exactly_the_windows_requests(
        count in 0usize..900,
        seed in 0u64..1000,
        days in 0i64..31,
        arrivals in 0usize..30,
        misses in prop::option::of(-150i64..150),
        status in prop::option::of(prop::sample::select(vec![Status::Pending, Status::Completed])),
    ) {
        let mut data = Dataset::generate(seed, count, now());
        let mut rows: Vec<HitlRequest> = data.requests.iter().map(|d| d.request.clone()).collect();
        let filters = RequestQuery { status, ..Default::default() };
        let start = now() - Duration::days(days);
        let n = in_window(&rows, &filters, start).len() as i64;
        let counted = misses.map(|m| (n + m).max(0) as u64);
        let mut calls_made = 0;
        let mut later = now();
        let (merge, calls, seen) = load_window(&mut rows, &filters, start, counted, &mut |rows| {
            calls_made += 1;
            if calls_made == 1 && arrivals > 0 {
                later += Duration::seconds(1);
                data.create_pending(arrivals, later);
                *rows = data.requests.iter().map(|d| d.request.clone()).collect();
            }
        });
        // As the last call saw them: a request created after it is for the next load.
        prop_assert_eq!(loaded_in_window(&merge, start), in_window(&seen, &filters, start));
        if arrivals == 0 && misses == Some(0) {
            prop_assert_eq!(calls, calls_for(n as u64));
        }
    }
}

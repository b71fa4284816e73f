//! The "all matching" plan and merge.

use chrono::{TimeZone, Utc};
use hitl_core::contract;
use hitl_core::demo::Dataset;
use hitl_core::loader::{calls_for, page_queries, set_key, Merge, PAGE};
use hitl_core::{RequestPage, RequestQuery, Sort, Status};
use std::sync::Arc;

#[test]
fn calls_are_the_ceiling_of_total_over_100() {
    assert_eq!(calls_for(0), 1);
    assert_eq!(calls_for(1), 1);
    assert_eq!(calls_for(100), 1);
    assert_eq!(calls_for(101), 2);
    assert_eq!(calls_for(1_234), 13);
}

#[test]
fn page_queries_keep_filters_and_sort_and_tile_the_set() {
    let filters = RequestQuery {
        status: Some(Status::Pending),
        sort: Sort::PriorityDesc,
        limit: 20,
        offset: 40,
        ..Default::default()
    };
    let pages = page_queries(&filters, 250);
    assert_eq!(pages.len(), 3);
    assert_eq!(
        pages.iter().map(|q| q.offset).collect::<Vec<_>>(),
        vec![0, 100, 200]
    );
    assert!(pages.iter().all(|q| q.limit as u64 == PAGE
        && q.status == Some(Status::Pending)
        && q.sort == Sort::PriorityDesc));
    assert_eq!(
        set_key(&filters),
        RequestQuery {
            status: Some(Status::Pending),
            sort: Sort::PriorityDesc,
            ..Default::default()
        }
    );
}

#[test]
fn merging_out_of_order_pages_gives_server_order_without_duplicates() {
    let d = Dataset::generate(
        3,
        345,
        Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap(),
    );
    let q = RequestQuery::default();
    let pages = page_queries(&q, 345);
    let mut merge = Merge::default();
    for p in pages.iter().rev() {
        merge.add(p.offset, Arc::new(contract::list(&d.requests, p)));
    }
    let rows = merge.rows();
    assert_eq!(rows.len(), 345);
    let expected: Vec<&str> = d.list_objects().map(|r| r.id.as_str()).collect();
    assert_eq!(
        rows.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        expected
    );

    // A row seen on two pages (data moved while loading) is kept once.
    let mut merge = Merge::default();
    let first = contract::list(&d.requests, &pages[0]);
    let mut shifted = contract::list(&d.requests, &pages[1]);
    shifted.requests.insert(0, first.requests[99].clone());
    merge.add(0, Arc::new(first));
    merge.add(
        100,
        Arc::new(RequestPage {
            total: 345,
            ..shifted
        }),
    );
    assert_eq!(merge.received(), 201);
    assert_eq!(merge.rows().len(), 200);
    assert!(merge.has(100) && !merge.has(200));
}

// --- Data that changes while the set loads ---------------------------------------------------

fn dataset(count: usize) -> Dataset {
    Dataset::generate(
        11,
        count,
        Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap(),
    )
}

fn later() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 12, 5, 0).unwrap()
}

/// The page at `offset` of `q`'s set as the server would serve it from `d` now.
fn serve(d: &Dataset, q: &RequestQuery, offset: u64) -> Arc<RequestPage> {
    Arc::new(contract::list(&d.requests, &q.with_offset(offset)))
}

fn ids(rows: &[hitl_core::HitlRequest]) -> Vec<String> {
    rows.iter().map(|r| r.id.clone()).collect()
}

fn matching_ids(d: &Dataset, q: &RequestQuery) -> Vec<String> {
    ids(&contract::list(
        &d.requests,
        &RequestQuery {
            limit: u32::MAX,
            ..q.clone()
        },
    )
    .requests)
}

fn pending() -> RequestQuery {
    let q = RequestQuery {
        status: Some(Status::Pending),
        ..Default::default()
    };
    page_queries(&q, 0)[0].clone()
}

/// Fetches what `refetch` names from `d` (after dropping the pages past the end), as the app's
/// repair round does; returns the calls made.
fn repair(merge: &mut Merge, d: &Dataset, q: &RequestQuery) -> usize {
    merge.drop_past_end();
    let again = merge.refetch();
    for &o in &again {
        merge.add(o, serve(d, q, o));
    }
    again.len()
}

#[test]
fn answered_requests_leaving_the_filter_skip_rows_that_the_count_cannot_see() {
    let mut d = dataset(12_000);
    let q = pending();
    let before = matching_ids(&d, &q);
    assert!(before.len() > 200, "need several pages of pending requests");
    // Page 0 is served, then the 7 newest pending requests (all on page 0) are answered, then
    // the other pages are served.
    let mut merge = Merge::default();
    merge.add(0, serve(&d, &q, 0));
    let answered = d.answer_newest_pending(7, later());
    assert_eq!(answered.len(), 7);
    for p in page_queries(&q, before.len() as u64).iter().skip(1) {
        merge.add(p.offset, serve(&d, &q, p.offset));
    }
    let after = matching_ids(&d, &q);
    assert_eq!(after.len(), before.len() - 7);
    // The merged set has exactly `total` rows, yet 7 pending requests are not in it (the
    // first 7 of page 100 in the new order), and the 7 answered ones are.
    let rows = ids(&merge.rows());
    assert_eq!(rows.len() as u64, merge.total);
    let skipped: Vec<&String> = after.iter().filter(|id| !rows.contains(id)).collect();
    assert_eq!(skipped.len(), 7);
    assert_eq!(skipped[0], &before[100]);
    // The pages disagree: page 0 is named, and the gap says so although the count adds up.
    assert_eq!(merge.refetch(), vec![0]);
    assert_eq!(
        merge.gap(),
        Some(hitl_core::loader::Gap {
            changed: 7,
            missing: 7
        })
    );
    // One call repairs it: exactly the requests pending now, in server order.
    assert_eq!(repair(&mut merge, &d, &q), 1);
    assert_eq!(ids(&merge.rows()), after);
    assert!(merge.refetch().is_empty());
    assert_eq!(merge.gap(), None);
}

#[test]
fn a_page_past_the_new_end_is_dropped_not_fetched_again() {
    let mut d = dataset(12_000);
    let q = pending();
    let before = matching_ids(&d, &q).len() as u64;
    // Answer enough that the last page is no longer needed.
    let k = (before % PAGE + 1) as usize;
    let pages = page_queries(&q, before);
    let last = pages.last().unwrap().offset;
    let mut merge = Merge::default();
    // The first and the last page are served before the change, the rest after.
    merge.add(0, serve(&d, &q, 0));
    merge.add(last, serve(&d, &q, last));
    d.answer_newest_pending(k, later());
    for p in &pages[1..pages.len() - 1] {
        merge.add(p.offset, serve(&d, &q, p.offset));
    }
    assert_eq!(merge.total, before - k as u64);
    assert_eq!(merge.refetch(), vec![0]);
    assert_eq!(repair(&mut merge, &d, &q), 1);
    assert!(!merge.has(last));
    assert_eq!(ids(&merge.rows()), matching_ids(&d, &q));
    assert_eq!(merge.gap(), None);
}

#[test]
fn requests_entering_the_filter_are_repaired_too_whatever_order_pages_were_served_in() {
    // status=completed: answering pending requests adds rows near the top.
    let mut d = dataset(1500);
    let q = RequestQuery {
        status: Some(Status::Completed),
        ..pending()
    };
    let total = matching_ids(&d, &q).len() as u64;
    let pages = page_queries(&q, total);
    let mut merge = Merge::default();
    // A later page first (served before the change), then the change, then the rest: the
    // page before it now ends one row later, so the row between is on neither.
    merge.add(pages[2].offset, serve(&d, &q, pages[2].offset));
    d.answer_newest_pending(3, later());
    for p in pages.iter().filter(|p| p.offset != pages[2].offset) {
        merge.add(p.offset, serve(&d, &q, p.offset));
    }
    // The load's own loop fetches the pages the grown total needs.
    for o in merge.refetch() {
        if !merge.has(o) {
            merge.add(o, serve(&d, &q, o));
        }
    }
    let now = matching_ids(&d, &q);
    assert_eq!(merge.total, total + 3);
    assert!(ids(&merge.rows()).len() < now.len(), "a row was skipped");
    assert_eq!(merge.refetch(), vec![pages[2].offset]);
    assert_eq!(repair(&mut merge, &d, &q), 1);
    assert_eq!(ids(&merge.rows()), now);
    assert_eq!(merge.gap(), None);
}

#[test]
fn every_point_of_change_is_repaired_with_only_the_pages_served_before_it() {
    for k in [1usize, 5, 60, 150] {
        let base = dataset(12_000);
        let q = pending();
        let total = matching_ids(&base, &q).len() as u64;
        let pages = page_queries(&q, total);
        for served_before in 1..pages.len() {
            let mut d = base.clone();
            let mut merge = Merge::default();
            // Served in this (not offset) order: 0, then from the end backwards.
            let mut order: Vec<u64> = pages.iter().map(|p| p.offset).collect();
            order[1..].reverse();
            for (i, &o) in order.iter().enumerate() {
                if i == served_before {
                    d.answer_newest_pending(k, later());
                }
                merge.add(o, serve(&d, &q, o));
            }
            let before_end = order[..served_before]
                .iter()
                .filter(|&&o| o < calls_for(merge.total) * PAGE)
                .count();
            let calls = repair(&mut merge, &d, &q);
            assert_eq!(calls, before_end, "k={k} served_before={served_before}");
            assert_eq!(ids(&merge.rows()), matching_ids(&d, &q), "k={k}");
            assert_eq!(merge.gap(), None);
            assert!(merge.refetch().is_empty());
        }
    }
}

#[test]
fn a_change_during_the_repair_is_reported_as_a_gap() {
    let mut d = dataset(12_000);
    let q = pending();
    let total = matching_ids(&d, &q).len() as u64;
    let pages = page_queries(&q, total);
    let mut merge = Merge::default();
    merge.add(0, serve(&d, &q, 0));
    d.answer_newest_pending(4, later());
    for p in &pages[1..] {
        merge.add(p.offset, serve(&d, &q, p.offset));
    }
    // The repair's page is served after yet another change: now every other page is stale.
    merge.drop_past_end();
    assert_eq!(merge.refetch(), vec![0]);
    d.answer_newest_pending(2, later());
    merge.add(0, serve(&d, &q, 0));
    let stale = merge.refetch();
    assert_eq!(stale.len(), pages.len() - 1);
    let gap = merge.gap().expect("not consistent");
    assert_eq!(gap.changed, 2);
    assert_eq!(gap.missing, 2 * stale.len() as u64);
    assert_eq!(merge.again(), stale.len() as u64);
}

#[test]
fn pages_that_agree_but_fall_short_of_the_total_are_a_gap() {
    let d = dataset(12_000);
    let q = pending();
    let total = matching_ids(&d, &q).len() as u64;
    let mut merge = Merge::default();
    for p in page_queries(&q, total) {
        let mut page = (*serve(&d, &q, p.offset)).clone();
        if p.offset == 100 {
            page.requests.truncate(97);
        }
        merge.add(p.offset, Arc::new(page));
    }
    assert!(merge.refetch().is_empty());
    assert_eq!(
        merge.gap(),
        Some(hitl_core::loader::Gap {
            changed: 0,
            missing: 3
        })
    );
    // No page can be named: loading again means every page.
    assert_eq!(merge.again(), calls_for(total));
}

#[test]
fn answering_the_newest_pending_requests_fills_the_response_fields() {
    let mut d = dataset(500);
    let before: Vec<_> = d.list_objects().cloned().collect();
    let ids = d.answer_newest_pending(3, later());
    let newest_pending: Vec<&String> = before
        .iter()
        .filter(|r| r.status == Status::Pending)
        .take(3)
        .map(|r| &r.id)
        .collect();
    assert_eq!(ids.iter().collect::<Vec<_>>(), newest_pending);
    for r in d.list_objects().filter(|r| ids.contains(&r.id)) {
        assert_eq!(r.status, Status::Completed);
        assert!(r.response_data.is_some() && r.response_by.is_some());
        assert_eq!(r.response_at, Some(later()));
        assert_eq!(r.updated_at, Some(later()));
        let secs = (later() - r.created_at.unwrap()).num_seconds() as f64;
        assert!((r.response_time_seconds.unwrap() - secs).abs() < 1.0);
    }
    assert_eq!(d.list_objects().count(), before.len());
}

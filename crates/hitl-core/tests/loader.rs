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

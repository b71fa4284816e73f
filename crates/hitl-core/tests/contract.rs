//! The list endpoint's semantics over generated data: filters, sorts, paging, cursor, totals.

use chrono::{TimeZone, Utc};
use hitl_core::contract::{self, compare};
use hitl_core::demo::Dataset;
use hitl_core::{HitlRequest, Priority, RequestQuery, Sort, Status};
use std::collections::HashSet;

fn data() -> Dataset {
    Dataset::generate(
        42,
        500,
        Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap(),
    )
}

#[test]
fn generation_is_deterministic_and_covers_every_status_and_priority() {
    let a = data();
    let b = data();
    assert_eq!(a.requests, b.requests);
    assert_eq!(a.requests.len(), 500);
    for s in Status::ALL {
        assert!(a.list_objects().any(|r| &r.status == s), "no {s}");
    }
    for p in Priority::ALL {
        assert!(a.list_objects().any(|r| &r.priority == p), "no {p}");
    }
    let ids: HashSet<&str> = a.list_objects().map(|r| r.id.as_str()).collect();
    assert_eq!(ids.len(), 500, "ids are unique");
    for r in a.list_objects() {
        assert_eq!(r.id.len(), 24);
        match r.status {
            Status::Completed => {
                assert!(r.response_data.is_some() && r.response_time_seconds.is_some());
                assert!(r.response_at.unwrap() > r.created_at.unwrap());
            }
            Status::Timeout => assert!(r.response_data.is_some() && r.response_by.is_none()),
            _ => assert!(r.response_data.is_none() && r.response_time_seconds.is_none()),
        }
    }
    let other = Dataset::generate(
        43,
        500,
        Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap(),
    );
    assert_ne!(a.requests[0].request.id, other.requests[0].request.id);
}

#[test]
fn filters_narrow_and_total_counts_all_matches() {
    let d = data();
    let all = contract::list(&d.requests, &RequestQuery::default());
    assert_eq!(all.total, 500);
    assert_eq!(all.count, 50);
    assert!(all.has_more);
    assert_eq!(all.pagination.next_offset, 50);

    let mut sum = 0;
    for s in Status::ALL {
        let q = RequestQuery {
            status: Some(s.clone()),
            limit: 100,
            ..Default::default()
        };
        let page = contract::list(&d.requests, &q);
        assert!(page.requests.iter().all(|r| &r.status == s));
        let expected = d.list_objects().filter(|r| &r.status == s).count() as u64;
        assert_eq!(page.total, expected);
        sum += page.total;
    }
    assert_eq!(sum, 500, "status totals add up to the unfiltered total");

    let lp = d.loops[1].id.clone();
    let q = RequestQuery {
        priority: Some(Priority::High),
        loop_id: Some(lp.clone()),
        limit: 100,
        ..Default::default()
    };
    let page = contract::list(&d.requests, &q);
    assert!(page.total > 0);
    assert!(page
        .requests
        .iter()
        .all(|r| r.priority == Priority::High && r.loop_id == lp));
}

#[test]
fn every_sort_order_is_what_it_says() {
    let d = data();
    for sort in Sort::ALL {
        let q = RequestQuery {
            sort,
            limit: 100,
            ..Default::default()
        };
        let page = contract::list(&d.requests, &q);
        for w in page.requests.windows(2) {
            assert_ne!(
                compare(sort, &w[0], &w[1]),
                std::cmp::Ordering::Greater,
                "{sort:?}"
            );
        }
        match sort {
            Sort::CreatedAtDesc => {
                assert!(page
                    .requests
                    .windows(2)
                    .all(|w| w[0].created_at >= w[1].created_at))
            }
            Sort::CreatedAtAsc => {
                assert!(page
                    .requests
                    .windows(2)
                    .all(|w| w[0].created_at <= w[1].created_at))
            }
            Sort::PriorityDesc => assert!(page
                .requests
                .windows(2)
                .all(|w| w[0].priority.rank() >= w[1].priority.rank())),
            Sort::StatusAsc => assert!(page
                .requests
                .windows(2)
                .all(|w| w[0].status.as_str() <= w[1].status.as_str())),
        }
    }
}

#[test]
fn offset_pages_tile_the_whole_set_without_overlap() {
    let d = data();
    for sort in Sort::ALL {
        let mut seen = Vec::new();
        let mut offset = 0;
        loop {
            let q = RequestQuery {
                sort,
                limit: 37,
                offset,
                ..Default::default()
            };
            let page = contract::list(&d.requests, &q);
            seen.extend(page.requests.iter().map(|r| r.id.clone()));
            if !page.has_more {
                break;
            }
            offset = page.pagination.next_offset;
        }
        assert_eq!(seen.len(), 500, "{sort:?}");
        assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 500, "{sort:?}");
        // Paging gives the same order as one big sort.
        let mut all: Vec<&HitlRequest> = d.list_objects().collect();
        all.sort_by(|a, b| compare(sort, a, b));
        assert_eq!(seen, all.iter().map(|r| r.id.clone()).collect::<Vec<_>>());
    }
}

#[test]
fn offset_past_the_end_gives_an_empty_page() {
    let d = data();
    let page = contract::list(
        &d.requests,
        &RequestQuery {
            offset: 10_000,
            ..Default::default()
        },
    );
    assert_eq!(page.count, 0);
    assert!(page.requests.is_empty());
    assert_eq!(page.total, 500);
    assert!(!page.has_more);
}

#[test]
fn cursor_paging_walks_history_without_duplicates() {
    let d = data();
    let mut q = RequestQuery {
        limit: 100,
        ..Default::default()
    };
    let mut seen = HashSet::new();
    loop {
        let page = contract::list(&d.requests, &q);
        for r in &page.requests {
            assert!(seen.insert(r.id.clone()), "duplicate {}", r.id);
            if let Some(cursor) = q.created_before {
                assert!(r.created_at.unwrap() < cursor);
            }
        }
        if page.requests.len() < q.limit as usize {
            break;
        }
        q.created_before = page.requests.last().and_then(|r| r.created_at);
    }
    assert_eq!(seen.len(), 500);
}

#[test]
fn cancel_only_pending() {
    let mut d = data();
    let now = Utc.with_ymd_and_hms(2026, 11, 28, 12, 5, 0).unwrap();
    let pending = d
        .list_objects()
        .find(|r| r.status == Status::Pending)
        .unwrap()
        .id
        .clone();
    let done = d
        .list_objects()
        .find(|r| r.status == Status::Completed)
        .unwrap()
        .id
        .clone();
    let cancelled = contract::cancel(&mut d.requests, &pending, now).unwrap();
    assert_eq!(cancelled.request.status, Status::Cancelled);
    assert_eq!(cancelled.request.updated_at, Some(now));
    assert_eq!(
        contract::find(&d.requests, &pending)
            .unwrap()
            .request
            .status,
        Status::Cancelled
    );

    let refusal = contract::cancel(&mut d.requests, &pending, now).unwrap_err();
    assert_eq!(refusal.status, 400);
    let refusal = contract::cancel(&mut d.requests, &done, now).unwrap_err();
    assert_eq!(refusal.status, 400);
    assert!(refusal.data.as_str().unwrap().contains("completed"));
    let refusal = contract::cancel(&mut d.requests, "nope", now).unwrap_err();
    assert_eq!(refusal.status, 404);
}

#[test]
fn the_benchmarks_page_body_is_what_the_api_sends_for_their_rows() {
    let rows = hitl_core::demo::bench_requests(300);
    assert_eq!(rows.len(), 300);
    assert_eq!(rows, hitl_core::demo::bench_requests(300), "deterministic");
    let page = hitl_core::decode_response::<hitl_core::RequestPage>(
        200,
        &hitl_core::demo::page_body(&rows, 100),
        None,
    )
    .expect("decodes");
    assert_eq!(page.total, 300);
    assert!(page.has_more);
    assert_eq!(page.requests.len(), 100);
    let ids: Vec<&str> = page.requests.iter().map(|r| r.id.as_str()).collect();
    let newest: Vec<&str> = rows[..100].iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        ids, newest,
        "the first page of the default (newest first) order"
    );
}

/// The demo's response times use their own cos (a quarter-turn reduction and Taylor series, to
/// keep libm's large-argument reduction out of the wasm): it agrees with `f64::cos` everywhere
/// Box–Muller asks (to a few units in the last place), including the quadrant edges.
#[test]
fn the_demo_normal_deviates_have_mean_0_and_variance_1() {
    let mut rng = hitl_core::demo::Rng::new(42);
    let n = 200_000;
    let xs: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
    let mean = xs.iter().sum::<f64>() / n as f64;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
    assert!(mean.abs() < 0.01, "mean {mean}");
    assert!((var - 1.0).abs() < 0.02, "variance {var}");
    // About 68.3 % within one standard deviation, 95.4 % within two.
    let within = |k: f64| xs.iter().filter(|x| x.abs() < k).count() as f64 / n as f64;
    assert!((within(1.0) - 0.6827).abs() < 0.01);
    assert!((within(2.0) - 0.9545).abs() < 0.005);
}

mod head {
    use super::*;
    use hitl_core::contract::Head;
    use hitl_core::{Priority, Status};
    use proptest::prelude::*;

    fn query(status: Option<Status>, sort: Sort, limit: u32, offset: u64) -> RequestQuery {
        RequestQuery {
            status,
            priority: None,
            loop_id: None,
            sort,
            limit,
            offset,
            created_before: None,
        }
    }

    #[test]
    fn answers_the_default_first_page_and_nothing_it_cannot_answer_exactly() {
        let all: Vec<HitlRequest> = data().list_objects().cloned().collect();
        let head = Head::of(&all, 100);
        assert_eq!(head.total, 500);
        let first = RequestQuery::default();
        assert_eq!(head.list(&first), Some(contract::list(&all, &first)));
        assert_eq!(
            head.list(&query(None, Sort::CreatedAtDesc, 50, 50)),
            Some(contract::list(
                &all,
                &query(None, Sort::CreatedAtDesc, 50, 50)
            ))
        );
        // Past the head, filtered, another order: the whole copy is needed.
        assert_eq!(head.list(&query(None, Sort::CreatedAtDesc, 50, 60)), None);
        assert_eq!(
            head.list(&query(Some(Status::Pending), Sort::CreatedAtDesc, 1, 0)),
            None
        );
        assert_eq!(head.list(&query(None, Sort::CreatedAtAsc, 50, 0)), None);
        let by_priority = RequestQuery {
            priority: Some(Priority::High),
            ..RequestQuery::default()
        };
        assert_eq!(head.list(&by_priority), None);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Whenever the head answers, it answers as the whole copy would, ties at its edge
        /// included (many requests share one `created_at` here).
        #[test]
        fn answers_as_the_whole_copy(
            n in 0usize..120,
            keep in 0usize..130,
            same_time in any::<bool>(),
            status in prop::option::of(prop::sample::select(Status::ALL.to_vec())),
            sort in prop::sample::select(vec![Sort::CreatedAtDesc, Sort::CreatedAtAsc, Sort::PriorityDesc]),
            limit in 1u32..=100,
            offset in 0u64..140,
            seed in 0u64..1000,
        ) {
            let mut all: Vec<HitlRequest> = Dataset::generate(
                seed,
                n,
                Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap(),
            )
            .list_objects()
            .cloned()
            .collect();
            if same_time {
                let t = all.first().and_then(|r| r.created_at);
                for r in all.iter_mut().step_by(2) {
                    r.created_at = t;
                }
            }
            let head = Head::of(&all, keep);
            prop_assert_eq!(head.total, n as u64);
            prop_assert_eq!(head.rows.len(), keep.min(n));
            let filtered = status.is_some();
            let q = query(status, sort, limit, offset);
            if let Some(page) = head.list(&q) {
                prop_assert_eq!(page, contract::list(&all, &q));
            } else {
                prop_assert!(filtered || sort != Sort::CreatedAtDesc
                    || (offset + u64::from(limit) > keep.min(n) as u64 && keep < n));
            }
        }
    }
}

//! The overview's plans: status-card calls and derivation, the dashboard panels from the API's
//! queries or a loaded set, set coverage, grouped-bar geometry.

use chrono::{Duration, TimeZone, Utc};
use hitl_core::contract;
use hitl_core::demo::Dataset;
use hitl_core::overview::*;
use hitl_core::{HitlRequest, Priority, RequestPage, RequestQuery, Sort, Status};
use proptest::prelude::*;

fn q(qs: &str) -> RequestQuery {
    RequestQuery::from_query_string(qs).unwrap()
}

fn dataset() -> Vec<HitlRequest> {
    let now = Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap();
    Dataset::generate(7, 400, now)
        .requests
        .into_iter()
        .map(|d| d.request)
        .collect()
}

fn count(rows: &[HitlRequest], f: impl Fn(&HitlRequest) -> bool) -> u64 {
    rows.iter().filter(|r| f(r)).count() as u64
}

#[test]
fn card_filters_drop_status_sort_and_paging() {
    let view = q("status=pending&priority=high&loop_id=L1&sort=priority_desc&limit=20&offset=40");
    assert_eq!(card_filters(&view), q("priority=high&loop_id=L1"));
    let call = status_total_query(&view, &Status::Timeout);
    assert_eq!(
        call.to_query_string(),
        "status=timeout&priority=high&loop_id=L1&limit=1"
    );
}

#[test]
fn unfiltered_view_fetches_three_and_derives_cancelled() {
    let plan = card_plan(None);
    assert_eq!(
        plan.fetch,
        vec![Status::Pending, Status::Completed, Status::Timeout]
    );
    assert_eq!(plan.from_page, Some(Status::Cancelled));
    assert!(plan.page_is_sum);
    let cards = plan.cards(&[10, 25, 5], 50);
    let totals: Vec<u64> = cards.iter().map(|c| c.total).collect();
    assert_eq!(totals, vec![10, 25, 5, 10]);
    assert_eq!(cards[1].share, 0.5);
    assert_eq!(cards[3].status, Status::Cancelled);
}

#[test]
fn status_filtered_view_takes_that_total_from_the_page() {
    let plan = card_plan(Some(&Status::Completed));
    assert_eq!(
        plan.fetch,
        vec![Status::Pending, Status::Timeout, Status::Cancelled]
    );
    assert_eq!(plan.from_page, Some(Status::Completed));
    assert!(!plan.page_is_sum);
    let totals: Vec<u64> = plan.cards(&[1, 2, 3], 7).iter().map(|c| c.total).collect();
    assert_eq!(totals, vec![1, 7, 2, 3]);
}

#[test]
fn derived_total_never_goes_negative_and_empty_shares_are_zero() {
    // A request arrived between the calls: the sum is larger than the page's older total.
    let cards = card_plan(None).cards(&[5, 5, 5], 12);
    assert_eq!(cards[3].total, 0);
    let empty = card_plan(None).cards(&[0, 0, 0], 0);
    assert!(empty.iter().all(|c| c.total == 0 && c.share == 0.0));
}

#[test]
fn moves_shift_one_request_per_change_and_recompute_shares() {
    let cards = card_plan(None).cards(&[10, 25, 5], 50); // 10 pending … 10 cancelled
    let cancel = (Status::Pending, Status::Cancelled);
    let after = apply_moves(&cards, &[cancel.clone(), cancel.clone()]);
    let totals: Vec<u64> = after.iter().map(|c| c.total).collect();
    assert_eq!(totals, vec![8, 25, 5, 12]);
    assert_eq!(after[1].share, 0.5, "the sum is unchanged");
    assert_eq!(after[3].status, Status::Cancelled);
    // Nothing moved: the cards as they were.
    assert_eq!(apply_moves(&cards, &[]), cards);
    assert_eq!(
        apply_moves(&cards, &[(Status::Pending, Status::Pending)]),
        cards
    );
    // Never below 0, and a status without a card only leaves its source.
    let none_pending = card_plan(None).cards(&[0, 1, 1], 2);
    let after = apply_moves(&none_pending, &[cancel]);
    assert_eq!(after[0].total, 0);
    assert_eq!(after[3].total, 1);
    let after = apply_moves(
        &cards,
        &[(Status::Pending, Status::Other("archived".into()))],
    );
    assert_eq!(after[0].total, 9);
    assert_eq!(after.iter().map(|c| c.total).sum::<u64>(), 49);
    let empty = apply_moves(&card_plan(None).cards(&[0, 0, 0], 0), &[]);
    assert!(empty.iter().all(|c| c.share == 0.0));
}

#[test]
fn undocumented_status_fetches_all_four() {
    let plan = card_plan(Some(&Status::Other("archived".into())));
    assert_eq!(plan.fetch.len(), 4);
    let totals: Vec<u64> = plan
        .cards(&[1, 2, 3, 4], 99)
        .iter()
        .map(|c| c.total)
        .collect();
    assert_eq!(totals, vec![1, 2, 3, 4]);
}

#[test]
fn cards_equal_the_contracts_totals_on_generated_data() {
    let rows = dataset();
    for view in ["", "priority=high", "status=timeout&priority=low"] {
        let view = q(view);
        let filters = card_filters(&view);
        let plan = card_plan(view.status.as_ref());
        let fetched: Vec<u64> = plan
            .fetch
            .iter()
            .map(|s| contract::list(&rows, &status_total_query(&filters, s)).total)
            .collect();
        let page_total = contract::list(&rows, &view).total;
        for card in plan.cards(&fetched, page_total) {
            let expected = count(&rows, |r| {
                contract::matches(r, &filters) && r.status == card.status
            });
            assert_eq!(card.total, expected, "{view:?} {:?}", card.status);
        }
    }
}

#[test]
fn undocumented_statuses_are_never_counted_as_cancelled() {
    let row = |id: usize, status: Status| HitlRequest {
        id: id.to_string(),
        status,
        ..HitlRequest::default()
    };
    let plan = card_plan(None);
    // A complete page (every matching request on screen): 2 pending, 1 completed, 1 timeout,
    // 2 cancelled and 3 with a status the API does not document.
    let statuses = [
        Status::Pending,
        Status::Pending,
        Status::Completed,
        Status::Timeout,
        Status::Cancelled,
        Status::Cancelled,
        Status::Other("archived".into()),
        Status::Other("archived".into()),
        Status::Other("escalated".into()),
    ];
    let rows: Vec<HitlRequest> = statuses
        .iter()
        .enumerate()
        .map(|(i, s)| row(i, s.clone()))
        .collect();
    let page = RequestPage {
        count: 9,
        total: 9,
        requests: rows.clone(),
        ..RequestPage::default()
    };
    let cards = plan.cards_from_page(&[2, 1, 1], &page);
    let totals: Vec<u64> = cards.iter().map(|c| c.total).collect();
    assert_eq!(
        totals,
        vec![2, 1, 1, 2],
        "the 3 undocumented are not cancelled"
    );
    assert!(cards.iter().all(|c| c.exact));
    assert_eq!(cards[3].share, 2.0 / 6.0);

    // Only the first page on screen: cancelled is at most the remainder less the undocumented
    // seen, and says it is a bound.
    let page = RequestPage {
        count: 5,
        total: 59,
        has_more: true,
        requests: rows[4..].to_vec(),
        ..RequestPage::default()
    };
    let cards = plan.cards_from_page(&[20, 15, 10], &page);
    assert_eq!(cards[3].status, Status::Cancelled);
    assert_eq!(cards[3].total, 59 - 45 - 3);
    assert!(!cards[3].exact);
    assert!(cards[..3].iter().all(|c| c.exact));
    // From the total alone it is a bound too.
    let cards = plan.cards(&[10, 25, 5], 50);
    assert!(!cards[3].exact);
    assert!(cards[..3].iter().all(|c| c.exact));

    // Filtered by a documented status, the page's total is that status's own: exact.
    let filtered = card_plan(Some(&Status::Cancelled));
    let page = RequestPage {
        total: 4,
        requests: vec![row(0, Status::Cancelled)],
        has_more: true,
        ..RequestPage::default()
    };
    let cards = filtered.cards_from_page(&[1, 2, 3], &page);
    assert_eq!(
        cards.iter().map(|c| c.total).collect::<Vec<_>>(),
        vec![1, 2, 3, 4]
    );
    assert!(cards.iter().all(|c| c.exact));
    // Moves keep what is known exactly.
    let moved = apply_moves(&cards, &[(Status::Pending, Status::Cancelled)]);
    assert!(moved.iter().all(|c| c.exact));
    let unfiltered = apply_moves(&plan.cards(&[10, 25, 5], 50), &[]);
    assert!(!unfiltered[3].exact);
}

#[test]
fn panel_queries_are_the_seeds() {
    let [high, critical] = urgent_queries(None);
    assert_eq!(
        high.to_query_string(),
        "status=pending&priority=high&sort=created_at_asc&limit=10"
    );
    assert_eq!(
        critical.to_query_string(),
        "status=pending&priority=critical&sort=created_at_asc&limit=10"
    );
    assert_eq!(
        recent_query(Some("L1")).to_query_string(),
        "status=completed&loop_id=L1&limit=10"
    );
}

#[test]
fn urgent_lists_merge_oldest_first_without_duplicates() {
    let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let row = |id: &str, mins: i64, p: Priority| HitlRequest {
        id: id.into(),
        priority: p,
        status: Status::Pending,
        created_at: Some(t0 + Duration::minutes(mins)),
        ..Default::default()
    };
    let high = vec![row("h1", 5, Priority::High), row("h2", 30, Priority::High)];
    let critical = vec![
        row("c1", 1, Priority::Critical),
        row("c2", 20, Priority::Critical),
        row("h1", 5, Priority::High),
    ];
    let ids: Vec<String> = merge_urgent(&high, &critical)
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(ids, vec!["c1", "h1", "c2", "h2"]);
}

#[test]
fn panels_from_a_loaded_set_equal_the_apis_answers() {
    let rows = dataset();
    for loop_id in [None, Some(rows[0].loop_id.clone())] {
        let loop_id = loop_id.as_deref();
        let panels = Panels::from_rows(&rows, loop_id);
        let [h, c] = urgent_queries(loop_id).map(|q| contract::list(&rows, &q).requests);
        assert_eq!(panels.urgent, merge_urgent(&h, &c));
        assert!(panels.urgent.len() <= 20);
        assert!(panels
            .urgent
            .windows(2)
            .all(|w| w[0].created_at <= w[1].created_at));
        assert!(panels.urgent.iter().all(|r| r.status == Status::Pending
            && matches!(r.priority, Priority::High | Priority::Critical)));
        assert_eq!(panels.recent.len(), 10);
        assert!(panels
            .recent
            .iter()
            .all(|r| r.status == Status::Completed && loop_id.is_none_or(|l| r.loop_id == l)));
        assert!(panels
            .recent
            .windows(2)
            .all(|w| w[0].created_at >= w[1].created_at));
    }
}

#[test]
fn a_set_covers_views_that_narrow_it() {
    let all = RequestQuery::default();
    assert!(covers(&all, &q("status=pending&priority=high&loop_id=L")));
    assert!(covers(
        &q("priority=high"),
        &q("priority=high&status=timeout")
    ));
    assert!(!covers(&q("priority=high"), &q("")));
    assert!(!covers(&q("priority=high"), &q("priority=low")));
    assert!(!covers(&q("loop_id=A"), &q("loop_id=B")));
    assert!(!covers(&q("status=pending"), &q("priority=high")));
    // Sort and paging do not change which requests a set holds.
    assert!(covers(&q("sort=created_at_asc&limit=100"), &q("offset=50")));
    let cursor = RequestQuery {
        created_before: Some(Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()),
        ..RequestQuery::default()
    };
    assert!(!covers(&cursor, &all));
}

#[test]
fn narrowing_a_covering_set_gives_the_views_rows() {
    let rows = dataset();
    let view = q("status=completed&priority=medium&sort=created_at_asc");
    assert!(covers(&RequestQuery::default(), &view));
    let local = count(&rows, |r| contract::matches(r, &view));
    assert_eq!(local, contract::list(&rows, &view).total);
    assert_eq!(view.sort, Sort::CreatedAtAsc);
}

#[test]
fn grouped_bars_share_one_scale() {
    let created = [4.0, 10.0, 0.0];
    let done = [2.0, 5.0, 7.0];
    let g = grouped_bars(&[&created, &done], 300.0, 100.0);
    assert_eq!(g.ticks, vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
    assert_eq!(g.slot, 100.0);
    assert_eq!(g.groups.len(), 3);
    let b = g.groups[1][0];
    assert_eq!((b.y, b.h), (0.0, 100.0));
    assert_eq!(g.groups[1][1].h, 50.0);
    assert_eq!(g.groups[2][0].h, 0.0);
    assert_eq!(g.groups[2][0].y, 100.0);
    // Side by side inside the slot, with the gap split evenly.
    let (a, c) = (g.groups[0][0], g.groups[0][1]);
    assert!((a.x - 10.0).abs() < 1e-9 && (a.w - 40.0).abs() < 1e-9);
    assert!((c.x - 50.0).abs() < 1e-9);
}

#[test]
fn grouped_bars_handle_empty_and_bad_values() {
    let g = grouped_bars(&[], 100.0, 50.0);
    assert!(g.groups.is_empty());
    assert_eq!(g.ticks, vec![0.0, 1.0]);
    let g = grouped_bars(&[&[f64::NAN, -3.0, 0.0]], 90.0, 50.0);
    assert!(g.groups.iter().all(|b| b[0].h == 0.0 && b[0].y == 50.0));
}

#[test]
fn label_steps() {
    assert_eq!(label_step(4, 8), 1);
    assert_eq!(label_step(31, 8), 4);
    assert_eq!(label_step(0, 8), 1);
    assert_eq!(label_step(10, 0), 10);
}

proptest! {
    #[test]
    fn bars_stay_inside_the_plot(values in prop::collection::vec(0u32..100_000, 1..60)) {
        let values: Vec<f64> = values.into_iter().map(f64::from).collect();
        let half: Vec<f64> = values.iter().map(|v| (v / 2.0).floor()).collect();
        let g = grouped_bars(&[&values, &half], 600.0, 200.0);
        let top = *g.ticks.last().unwrap();
        prop_assert!(top >= values.iter().copied().fold(0.0, f64::max));
        for (i, group) in g.groups.iter().enumerate() {
            for b in group {
                prop_assert!(b.h >= 0.0 && b.h <= 200.0 + 1e-9);
                prop_assert!((b.y + b.h - 200.0).abs() < 1e-9);
                prop_assert!(b.x >= i as f64 * g.slot - 1e-9);
                prop_assert!(b.x + b.w <= (i + 1) as f64 * g.slot + 1e-9);
            }
        }
    }

    #[test]
    fn derived_cards_sum_to_the_page_total(a in 0u64..1000, b in 0u64..1000, c in 0u64..1000, d in 0u64..1000) {
        let cards = card_plan(None).cards(&[a, b, c], a + b + c + d);
        prop_assert_eq!(cards.iter().map(|x| x.total).sum::<u64>(), a + b + c + d);
        prop_assert_eq!(cards[3].total, d);
        let shares: f64 = cards.iter().map(|x| x.share).sum();
        prop_assert!(a + b + c + d == 0 || (shares - 1.0).abs() < 1e-9);
    }
}

#[test]
fn a_page_holding_every_request_gives_the_cards_by_counting() {
    let row = |status: Status| HitlRequest {
        status,
        ..Default::default()
    };
    let rows = vec![
        row(Status::Pending),
        row(Status::Completed),
        row(Status::Completed),
        row(Status::Other("paused".into())),
    ];
    let page = RequestPage {
        total: 4,
        count: 4,
        has_more: false,
        requests: rows.clone(),
        ..Default::default()
    };
    let view = RequestQuery::default();
    assert!(page_holds_all(&view, &page));
    // Not with a status filter (its rows are one status), past the first page, with a cursor,
    // or when the total says more requests match than the page holds.
    let pending = RequestQuery {
        status: Some(Status::Pending),
        ..RequestQuery::default()
    };
    assert!(!page_holds_all(&pending, &page));
    assert!(!page_holds_all(&view.with_offset(50), &page));
    let cursor = RequestQuery {
        created_before: Some(Utc.with_ymd_and_hms(2026, 11, 28, 0, 0, 0).unwrap()),
        ..RequestQuery::default()
    };
    assert!(!page_holds_all(&cursor, &page));
    let more = RequestPage {
        total: 5,
        ..page.clone()
    };
    assert!(!page_holds_all(&view, &more));

    let cards = cards_counted(&page.requests);
    let totals: Vec<(Status, u64, bool)> = cards
        .iter()
        .map(|c| (c.status.clone(), c.total, c.exact))
        .collect();
    assert_eq!(
        totals,
        [
            (Status::Pending, 1, true),
            (Status::Completed, 2, true),
            (Status::Timeout, 0, true),
            (Status::Cancelled, 0, true),
        ]
    );
    // Shares of the four cards' sum: the undocumented status is on no card.
    assert!((cards[1].share - 2.0 / 3.0).abs() < 1e-12);
    assert!(cards_counted(&[])
        .iter()
        .all(|c| c.total == 0 && c.share == 0.0));
}

#[test]
fn cards_of_count_every_documented_status_exactly_and_with_total_replaces_one() {
    use hitl_core::overview::{cards_of, with_total};
    let statuses = [
        Status::Pending,
        Status::Cancelled,
        Status::Other("escalated".into()),
        Status::Cancelled,
        Status::Completed,
    ];
    let cards = cards_of(statuses.iter());
    let totals: Vec<u64> = cards.iter().map(|c| c.total).collect();
    assert_eq!(totals, [1, 1, 0, 2]);
    assert!(cards.iter().all(|c| c.exact));
    assert!((cards[3].share - 0.5).abs() < 1e-12);
    let moved = with_total(&cards, &Status::Pending, 5);
    let totals: Vec<u64> = moved.iter().map(|c| c.total).collect();
    assert_eq!(totals, [5, 1, 0, 2]);
    assert!((moved[0].share - 5.0 / 8.0).abs() < 1e-12);
}

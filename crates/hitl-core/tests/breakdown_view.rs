//! Breakdowns as a view shows them: keys read as names (loop names, reviewer emails) with ids
//! where no name is known, sorted by what is shown, and saved as CSV.

use std::collections::HashMap;

use chrono::NaiveDate;
use hitl_core::breakdown::*;
use hitl_core::export::breakdown_filename;
use hitl_core::sorting::Direction;
use hitl_core::window::TimeWindow;
use hitl_core::{HitlRequest, RequestQuery, ResponseType, Status};
use proptest::prelude::*;

fn row(loop_id: &str, status: Status, by: Option<&str>, rts: Option<f64>) -> HitlRequest {
    HitlRequest {
        loop_id: loop_id.to_owned(),
        status,
        response_by: by.map(str::to_owned),
        response_time_seconds: rts,
        response_type: ResponseType::Boolean,
        ..Default::default()
    }
}

fn rows() -> Vec<HitlRequest> {
    use Status::{Completed, Pending, Timeout};
    vec![
        row("L1", Completed, Some("u1"), Some(100.0)),
        row("L1", Completed, Some("u2"), Some(300.0)),
        row("L1", Timeout, None, None),
        row("L2", Completed, Some("u2"), Some(50.0)),
        row("L3", Pending, None, None),
        row("L3", Pending, None, None),
    ]
}

fn names() -> (HashMap<String, String>, HashMap<String, String>) {
    let loops = [("L1", "zeta review"), ("L2", "Alpha checks")]
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .into();
    let users = [("u1", "ana@x.example")]
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .into();
    (loops, users)
}

fn labels(rows: &[ShownRow]) -> Vec<&str> {
    rows.iter().map(|r| r.label.as_str()).collect()
}

#[test]
fn keys_read_as_names_where_known_and_as_ids_otherwise() {
    let b = Breakdowns::compute(&rows());
    let (loops, users) = names();
    let by_loop = b.by_loop.shown(&|id| loops.get(id).cloned());
    // Default order: most requests first.
    assert_eq!(labels(&by_loop), ["zeta review", "L3", "Alpha checks"]);
    assert_eq!(by_loop[0].id.as_deref(), Some("L1"));
    let by_reviewer = b.by_reviewer.shown(&|id| users.get(id).cloned());
    // The core's first order, most requests first: no reviewer (3) before u2 (2) and u1 (1).
    assert_eq!(labels(&by_reviewer), ["No reviewer", "u2", "ana@x.example"]);
    assert!(by_reviewer[0].missing && by_reviewer[0].id.is_none());
    // As a view sorts them: the missing row last.
    let mut sorted = by_reviewer.clone();
    sort_shown(&mut sorted, BreakdownColumn::Requests, Direction::Desc);
    assert_eq!(labels(&sorted), ["u2", "ana@x.example", "No reviewer"]);
    let by_type = b.by_response_type.shown(&|_| None);
    assert_eq!(labels(&by_type), ["Yes/no"]);
    assert_eq!(by_type[0].id, None);
}

#[test]
fn sorting_by_the_key_column_follows_what_is_shown() {
    let b = Breakdowns::compute(&rows());
    let (loops, users) = names();
    let mut by_loop = b.by_loop.shown(&|id| loops.get(id).cloned());
    // Case-insensitive: "Alpha checks" < "L3" < "zeta review" (ids would give L1 < L2 < L3).
    sort_shown(&mut by_loop, BreakdownColumn::Key, Direction::Asc);
    assert_eq!(labels(&by_loop), ["Alpha checks", "L3", "zeta review"]);
    sort_shown(&mut by_loop, BreakdownColumn::Key, Direction::Desc);
    assert_eq!(labels(&by_loop), ["zeta review", "L3", "Alpha checks"]);
    // By a time: unknown last in both directions; ties by label.
    sort_shown(&mut by_loop, BreakdownColumn::Median, Direction::Asc);
    assert_eq!(labels(&by_loop), ["Alpha checks", "zeta review", "L3"]);
    sort_shown(&mut by_loop, BreakdownColumn::Median, Direction::Desc);
    assert_eq!(labels(&by_loop), ["zeta review", "Alpha checks", "L3"]);
    // No reviewer stays last, whatever the column and direction.
    let mut by_reviewer = b.by_reviewer.shown(&|id| users.get(id).cloned());
    for column in BreakdownColumn::ALL {
        for dir in [Direction::Asc, Direction::Desc] {
            sort_shown(&mut by_reviewer, column, dir);
            assert_eq!(
                by_reviewer.last().unwrap().label,
                "No reviewer",
                "{column:?} {dir:?}"
            );
        }
    }
}

#[test]
fn a_breakdown_saves_as_csv_with_a_total_line() {
    let b = Breakdowns::compute(&rows());
    let (loops, _) = names();
    let mut shown = b.by_loop.shown(&|id| loops.get(id).cloned());
    shown[1].label = "=HYPERLINK(\"x\")".to_owned();
    let csv = to_csv("Loop", &shown, b.all());
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "Loop,id,requests,completed,completion_rate,timeouts,timeout_rate,timed,median_seconds,p90_seconds,average_seconds"
    );
    // L1: 3 requests, 2 completed, 1 timeout (1/3); times [100, 300]: median sorted[1] = 300.
    assert_eq!(
        lines[1],
        "zeta review,L1,3,2,0.6666666666666666,1,0.3333333333333333,2,300,300,200"
    );
    // A label that a spreadsheet would run is guarded, and quoted for its quotes.
    assert_eq!(lines[2], "\"'=HYPERLINK(\"\"x\"\")\",L3,2,0,0,0,0,0,,,");
    assert_eq!(lines[3], "Alpha checks,L2,1,1,1,0,0,1,50,50,50");
    assert_eq!(lines[4], "All,,6,3,0.5,1,0.25,3,100,300,150");
    assert_eq!(lines[5], "");
    let date = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    let q = RequestQuery {
        status: Some(Status::Completed),
        ..Default::default()
    };
    assert_eq!(
        breakdown_filename("by-loop", date, &q, &TimeWindow::Last30Days),
        "hitl-by-loop-2026-11-28-window-30d-status-completed.csv"
    );
}

proptest! {
    /// Whatever the order, a sorted breakdown holds the same rows, and they add up to the whole.
    #[test]
    fn sorted_rows_are_a_permutation_that_adds_up(
        specs in prop::collection::vec((0usize..5, 0usize..4, prop::option::of(0usize..3), prop::option::of(1.0f64..1e5)), 0..60),
        column in prop::sample::select(BreakdownColumn::ALL.to_vec()),
        asc in any::<bool>(),
    ) {
        let statuses = [Status::Pending, Status::Completed, Status::Timeout, Status::Cancelled];
        let rows: Vec<HitlRequest> = specs
            .iter()
            .map(|(l, s, by, t)| {
                let by = by.map(|u| format!("u{u}"));
                row(&format!("L{l}"), statuses[*s].clone(), by.as_deref(), *t)
            })
            .collect();
        let b = Breakdowns::compute(&rows);
        let dir = if asc { Direction::Asc } else { Direction::Desc };
        for mut shown in [b.by_loop.shown(&|_| None), b.by_reviewer.shown(&|id| Some(id.to_uppercase()))] {
            let before = shown.len();
            sort_shown(&mut shown, column, dir);
            prop_assert_eq!(shown.len(), before);
            let requests: usize = shown.iter().map(|r| r.figures.requests).sum();
            let completed: usize = shown.iter().map(|r| r.figures.completed).sum();
            prop_assert_eq!(requests, b.all().requests);
            prop_assert_eq!(completed, b.all().completed);
            // Missing rows last.
            let first_missing = shown.iter().position(|r| r.missing).unwrap_or(shown.len());
            prop_assert!(shown[first_missing..].iter().all(|r| r.missing));
        }
    }
}

//! The SLA watch as the dashboard runs it: which call lists the pending requests (the Pending
//! card's), rows from several answers merged to their latest state, and notifications for
//! requests that become at risk or time out while watched — once per request.

use std::collections::HashSet;

use chrono::{DateTime, Duration, TimeZone, Utc};
use hitl_core::contract;
use hitl_core::demo::Dataset;
use hitl_core::overview::{card_query, sla_query, status_total_query};
use hitl_core::sla::*;
use hitl_core::{HitlRequest, Priority, RequestQuery, Status};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap()
}

fn pending(id: &str, priority: Priority, created_min_ago: i64, window_min: i64) -> HitlRequest {
    let created = now() - Duration::minutes(created_min_ago);
    HitlRequest {
        id: id.to_owned(),
        priority,
        status: Status::Pending,
        created_at: Some(created),
        updated_at: Some(created),
        timeout_at: Some(created + Duration::minutes(window_min)),
        ..Default::default()
    }
}

#[test]
fn the_pending_card_call_lists_the_oldest_pending_requests() {
    let view = RequestQuery {
        status: Some(Status::Completed),
        priority: Some(Priority::High),
        loop_id: Some("L1".to_owned()),
        offset: 50,
        ..Default::default()
    };
    let q = sla_query(&view);
    assert_eq!(
        q.to_query_string(),
        "status=pending&priority=high&loop_id=L1&sort=created_at_asc&limit=100"
    );
    assert_eq!(card_query(&view, &Status::Pending), q);
    assert_eq!(
        card_query(&view, &Status::Timeout),
        status_total_query(&view, &Status::Timeout)
    );
    // Its total is the pending total, as the limit=1 call's was.
    let d = Dataset::generate(7, 600, now());
    let rows: Vec<HitlRequest> = d.requests.iter().map(|r| r.request.clone()).collect();
    let f = RequestQuery::default();
    let page = contract::list(&rows, &sla_query(&f));
    let one = contract::list(&rows, &status_total_query(&f, &Status::Pending));
    assert_eq!(page.total, one.total);
    // Oldest first: with equal timeouts the soonest deadlines.
    let created: Vec<_> = page.requests.iter().map(|r| r.created_at).collect();
    let mut sorted = created.clone();
    sorted.sort();
    assert_eq!(created, sorted);
}

#[test]
fn rows_of_several_answers_count_once_in_their_latest_state() {
    let old = pending("a", Priority::High, 30, 120);
    let mut answered = old.clone();
    answered.status = Status::Completed;
    answered.updated_at = Some(now());
    let b = pending("b", Priority::Low, 10, 120);
    // The older answer first: the newer version of "a" still wins by updated_at.
    let rows = [old.clone(), b.clone(), answered.clone(), b.clone()];
    let merged = latest_by_id(rows.iter());
    assert_eq!(merged.len(), 2);
    assert_eq!(merged[0].status, Status::Completed);
    assert_eq!(merged[1].id, "b");
    // Equal or unknown times: the first given.
    let mut same = old.clone();
    same.priority = Priority::Critical;
    let both = [old.clone(), same];
    let merged = latest_by_id(both.iter());
    assert_eq!(merged[0].priority, Priority::High);
}

#[test]
fn one_notification_per_request_from_at_risk_to_timed_out() {
    // c: critical, 2 h window, created 100 min ago: 20 min left (on track, 20 > 15, 20/120 > 10 %).
    // h: high, created 50 min ago with a 60 min window: 10 min left: at risk.
    // l: low, at risk too: never notifies.
    let c = pending("c", Priority::Critical, 100, 120);
    let h = pending("h", Priority::High, 50, 60);
    let l = pending("l", Priority::Low, 55, 60);
    let mut rows = vec![c.clone(), h.clone(), l.clone()];
    let mut watched: HashSet<String> = HashSet::new();
    let mut notified: HashSet<String> = HashSet::new();
    // As the app looks each second: the first look only notes what is flagged already (h is
    // not news when the dashboard opens); later looks notify what became flagged since.
    let mut look = |rows: &[HitlRequest], at: DateTime<Utc>, previous: Option<&HashSet<String>>| {
        let watch = SlaWatch::compute(rows, at, None);
        watched.extend(watch.entries.iter().map(|e| e.id.clone()));
        let current = flagged_watched(&watch, rows, &watched);
        let due = match previous {
            Some(previous) => notifications_due(previous, &current, &notified),
            None => Vec::new(),
        };
        notified.extend(due.iter().map(|f| f.id.clone()));
        (due, flagged_ids(&current))
    };
    let (_, first) = look(&rows, now(), None);
    let (due, prev) = look(&rows, now(), Some(&first));
    assert!(due.is_empty());
    // Six minutes on, c has 14 minutes left: at risk, notified once.
    let (due, prev) = look(&rows, now() + Duration::minutes(6), Some(&prev));
    assert_eq!(
        due.iter()
            .map(|f| (f.id.as_str(), f.alert))
            .collect::<Vec<_>>(),
        [("c", Alert::AtRisk)]
    );
    // Overdue, then timed out (a reload shows it): no second notification.
    let (due, prev) = look(&rows, now() + Duration::minutes(21), Some(&prev));
    assert!(due.is_empty());
    rows[0].status = Status::Timeout;
    rows[0].updated_at = Some(now() + Duration::minutes(22));
    let (due, _) = look(&rows, now() + Duration::minutes(22), Some(&prev));
    assert!(due.is_empty());
    assert_eq!(notified, HashSet::from(["c".to_owned()]));
}

#[test]
fn a_watched_request_that_times_out_is_flagged_and_one_seen_timed_out_is_not() {
    let mut seen = pending("s", Priority::High, 200, 120);
    seen.status = Status::Timeout;
    let mut never = pending("n", Priority::Critical, 300, 120);
    never.status = Status::Timeout;
    let rows = [seen, never];
    let watch = SlaWatch::compute(&rows, now(), None);
    let watched = HashSet::from(["s".to_owned()]);
    let flagged = flagged_watched(&watch, &rows, &watched);
    assert_eq!(
        flagged
            .iter()
            .map(|f| (f.id.as_str(), f.alert))
            .collect::<Vec<_>>(),
        [("s", Alert::TimedOut)]
    );
    let due = notifications_due(&HashSet::new(), &flagged, &HashSet::new());
    assert_eq!(due.len(), 1);
}

//! "History on this device": the sync plan against a fake API built on the list contract.

use chrono::{DateTime, Duration, TimeZone, Utc};
use hitl_core::contract;
use hitl_core::demo::{Dataset, Rng};
use hitl_core::sync::{
    first_load_calls, Call, Check, Differs, NotAsked, Outcome, Repair, StatusTotals, Step, Stored,
    Sync, Way,
};
use hitl_core::{ApiError, HitlRequest, RequestPage, RequestQuery, Sort, Status};
use proptest::prelude::*;
use serde_json::json;
use std::collections::HashMap;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap()
}

/// Request number `n`, created `n` minutes after a fixed start: ids and times both increase.
fn req(n: u64, status: Status) -> HitlRequest {
    let created = now() - Duration::days(60) + Duration::minutes(n as i64);
    let mut r = HitlRequest {
        id: format!("{n:024x}"),
        loop_id: "loop".to_owned(),
        request_text: format!("request {n}"),
        status: Status::Pending,
        created_at: Some(created),
        updated_at: Some(created),
        ..Default::default()
    };
    finish(&mut r, status, created + Duration::seconds(30));
    r
}

/// `r` moved to `status` at `at` (nothing for pending).
fn finish(r: &mut HitlRequest, status: Status, at: DateTime<Utc>) {
    if status == Status::Pending {
        return;
    }
    if status == Status::Completed {
        r.response_data = Some(json!("Approve"));
        r.response_by = Some("reviewer".to_owned());
        r.response_at = Some(at);
    }
    if status == Status::Timeout {
        r.response_data = Some(json!("default"));
    }
    r.status = status;
    r.updated_at = Some(at);
}

/// `r` as it was before it left pending.
fn as_pending(r: &HitlRequest) -> HitlRequest {
    HitlRequest {
        status: Status::Pending,
        response_data: None,
        response_by: None,
        response_at: None,
        response_time_seconds: None,
        updated_at: r.created_at,
        ..r.clone()
    }
}

/// The fake API: the list contract over `rows`, counting the sync's calls.
struct Api {
    rows: Vec<HitlRequest>,
    calls: u64,
    /// The clock for changes: every new request is newer than all before it.
    clock: DateTime<Utc>,
    created: u64,
}

impl Api {
    fn new(rows: Vec<HitlRequest>) -> Self {
        let newest = rows.iter().filter_map(|r| r.created_at).max();
        Api {
            rows,
            calls: 0,
            clock: newest.unwrap_or_else(now) + Duration::seconds(1),
            created: 0,
        }
    }

    fn list(&mut self, q: &RequestQuery) -> RequestPage {
        q.validate().expect("the sync asks valid queries");
        self.calls += 1;
        contract::list(&self.rows, q)
    }

    fn get(&mut self, id: &str) -> Result<HitlRequest, ApiError> {
        self.calls += 1;
        self.rows
            .iter()
            .find(|r| r.id == id)
            .cloned()
            .ok_or_else(|| contract::not_found(id).into())
    }

    /// The status cards, one state of the API.
    fn totals(&self) -> StatusTotals {
        let [all, pending, completed, timeout] =
            StatusTotals::queries().map(|q| contract::list(&self.rows, &q).total);
        StatusTotals::from_cards(all, pending, completed, timeout)
    }

    fn tick(&mut self) -> DateTime<Utc> {
        self.clock += Duration::seconds(1);
        self.clock
    }

    /// A new pending request, created now.
    fn create(&mut self) {
        let at = self.tick();
        self.created += 1;
        self.rows.push(HitlRequest {
            id: format!("ffff{:020x}", self.created),
            loop_id: "loop".to_owned(),
            request_text: "new".to_owned(),
            status: Status::Pending,
            created_at: Some(at),
            updated_at: Some(at),
            ..Default::default()
        });
    }

    /// A random pending request answered, timed out or cancelled now; false when none is pending.
    fn finish_one(&mut self, rng: &mut Rng) -> bool {
        let pending: Vec<usize> = (0..self.rows.len())
            .filter(|&i| self.rows[i].status == Status::Pending)
            .collect();
        if pending.is_empty() {
            return false;
        }
        let i = *rng.pick(&pending);
        let status = rng.pick(&Status::ALL[1..]).clone();
        let at = self.tick();
        finish(&mut self.rows[i], status, at);
        true
    }

    /// One random change: a new request or a pending one finished.
    fn change(&mut self, rng: &mut Rng) {
        if rng.below(2) == 0 || !self.finish_one(rng) {
            self.create();
        }
    }

    fn by_id(&self) -> HashMap<String, HitlRequest> {
        self.rows
            .iter()
            .map(|r| (r.id.clone(), r.clone()))
            .collect()
    }
}

/// The copy on the device: what the driver writes.
type Copy = HashMap<String, HitlRequest>;

fn copy_of(rows: &[HitlRequest]) -> Copy {
    rows.iter().map(|r| (r.id.clone(), r.clone())).collect()
}

/// Drives a sync of `copy` against `api`, writing the changes after every answer. `between`
/// runs before every call (the status cards included); `fail_after` fails the call after that
/// many calls with a quota error.
fn drive_with(
    copy: &mut Copy,
    api: &mut Api,
    repair: Option<&Repair>,
    mut between: impl FnMut(&mut Api),
    fail_after: Option<u64>,
) -> Outcome {
    let stored = Stored::from_requests(copy.values());
    let mut sync = match repair {
        Some(r) => Sync::repair(&stored, r),
        None => Sync::new(&stored),
    };
    let quota = || ApiError::QuotaExceeded {
        msg: "API key request limit exceeded".to_owned(),
        usage_count: Some(100),
        usage_limit: Some(100),
        remaining: Some(0),
        reset_at: None,
    };
    for _ in 0..10_000 {
        let step = sync.next();
        if !matches!(step, Step::Done(_)) && fail_after.is_some_and(|n| api.calls >= n) {
            sync.fail(quota());
        } else {
            match step {
                Step::Call(Call::List(q)) => {
                    between(api);
                    let page = api.list(&q);
                    sync.feed_page(&q, page).unwrap();
                }
                Step::Call(Call::GetOne(id)) => {
                    between(api);
                    let answer = api.get(&id);
                    sync.feed_one(&id, answer).unwrap();
                }
                Step::Totals => {
                    between(api);
                    sync.feed_totals(api.totals());
                }
                Step::Done(outcome) => {
                    assert!(sync.take_changes().is_empty());
                    for id in &outcome.not_in_api {
                        copy.remove(id);
                    }
                    return outcome;
                }
            }
        }
        for r in sync.take_changes() {
            copy.insert(r.id.clone(), r);
        }
    }
    panic!("the sync did not end");
}

fn drive(copy: &mut Copy, api: &mut Api) -> Outcome {
    drive_with(copy, api, None, |_| {}, None)
}

fn requests(n: u64, status: impl Fn(u64) -> Status) -> Vec<HitlRequest> {
    (0..n).map(|i| req(i, status(i))).collect()
}

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

#[test]
fn a_first_load_costs_one_call_per_100_requests() {
    for (n, calls) in [(0, 1), (1, 1), (100, 1), (101, 2), (250, 3), (1_500, 15)] {
        let rows = requests(n, |i| Status::ALL[(i % 4) as usize].clone());
        let mut api = Api::new(rows);
        let mut copy = Copy::new();
        let outcome = drive(&mut copy, &mut api);
        assert_eq!(outcome.check, Check::InStep, "{n}");
        assert_eq!(copy, api.by_id(), "{n}");
        assert_eq!((outcome.calls, outcome.calls_new), (calls, calls), "{n}");
        assert_eq!(api.calls, calls);
        assert_eq!(outcome.first_load_calls, calls);
        assert_eq!(first_load_calls(n), calls);
        assert_eq!((outcome.new, outcome.changed), (n, 0));
        assert_eq!(outcome.left_pending, Some(0), "everything read is fresh");
        assert_eq!(outcome.choice, None);
    }
}

#[test]
fn nothing_changed_costs_one_list_call() {
    let rows = requests(730, |i| {
        if i % 9 == 0 {
            Status::Pending
        } else {
            Status::Completed
        }
    });
    let mut copy = copy_of(&rows);
    let mut api = Api::new(rows);
    let outcome = drive(&mut copy, &mut api);
    assert_eq!(outcome.calls, 1);
    assert_eq!(outcome.left_pending, Some(0));
    assert_eq!(outcome.choice, None);
    assert_eq!(outcome.check, Check::InStep);
    assert_eq!(outcome.summary(), "Synced: 0 new, 0 changed · 1 call");
    assert_eq!(copy, api.by_id());
}

#[test]
fn fifty_new_and_twenty_answered_cost_one_call_and_the_cheaper_way() {
    // 1,000 stored, the 30 newest pending; 20 of them answered, 50 new requests.
    let rows = requests(1_000, |i| {
        if i >= 970 {
            Status::Pending
        } else {
            Status::Timeout
        }
    });
    let mut copy = copy_of(&rows);
    let mut api = Api::new(rows);
    for i in 970..990 {
        let at = api.tick();
        finish(&mut api.rows[i], Status::Completed, at);
    }
    for _ in 0..50 {
        api.create();
    }
    let outcome = drive(&mut copy, &mut api);
    assert_eq!(copy, api.by_id());
    assert_eq!(outcome.check, Check::InStep);
    assert_eq!((outcome.new, outcome.changed), (50, 20));
    assert_eq!(outcome.left_pending, Some(20));
    let choice = outcome.choice.expect("step 2 ran");
    assert_eq!(choice.pending_list, 1 + 20);
    assert_eq!(
        choice.reread, 1,
        "the 80 pending requests lie within 100 rows"
    );
    assert_eq!(choice.way, Way::Reread);
    assert_eq!(outcome.calls_new, 1);
    assert!(outcome.calls <= 1 + choice.reread.min(choice.pending_list));
    assert_eq!(outcome.calls, 2);
    assert_eq!(outcome.summary(), "Synced: 50 new, 20 changed · 2 calls");
}

#[test]
fn no_request_left_pending_costs_nothing_in_step_2() {
    // Stored pending requests all still pending, and 130 new ones, some pending.
    let rows = requests(400, |i| {
        if i % 7 == 0 {
            Status::Pending
        } else {
            Status::Cancelled
        }
    });
    let mut copy = copy_of(&rows);
    let mut api = Api::new(rows);
    let mut rng = Rng::new(3);
    for _ in 0..130 {
        api.create();
        if rng.below(2) == 0 {
            let at = api.tick();
            let last = api.rows.len() - 1;
            finish(&mut api.rows[last], Status::Completed, at);
        }
    }
    let outcome = drive(&mut copy, &mut api);
    assert_eq!(outcome.left_pending, Some(0));
    assert_eq!(outcome.choice, None);
    assert_eq!((outcome.calls, outcome.calls_changed), (2, 0));
    assert_eq!((outcome.new, outcome.changed), (130, 0));
    assert_eq!(outcome.check, Check::InStep);
    assert_eq!(copy, api.by_id());
}

#[test]
fn reread_is_taken_when_the_pending_requests_are_close_together() {
    // 300 pending requests among the newest 300: 3 windows; 250 still pending: 3 pages + 50.
    let rows = requests(2_000, |i| {
        if i >= 1_700 {
            Status::Pending
        } else {
            Status::Completed
        }
    });
    let mut copy = copy_of(&rows);
    let mut api = Api::new(rows);
    for i in (1_700..2_000).step_by(6) {
        let at = api.tick();
        finish(&mut api.rows[i], Status::Timeout, at);
    }
    let outcome = drive(&mut copy, &mut api);
    let choice = outcome.choice.expect("step 2 ran");
    assert_eq!(outcome.left_pending, Some(50));
    assert_eq!((choice.reread, choice.pending_list), (3, 3 + 50));
    assert_eq!(choice.way, Way::Reread);
    assert_eq!(outcome.calls, 1 + 3);
    assert_eq!(outcome.check, Check::InStep);
    assert_eq!(copy, api.by_id());
}

#[test]
fn the_pending_list_is_taken_when_the_pending_requests_are_spread_out() {
    // A pending request every 150 rows: one window each (14); one answered: 1 page + 1 get.
    let rows = requests(2_000, |i| {
        if i % 150 == 0 {
            Status::Pending
        } else {
            Status::Completed
        }
    });
    let mut copy = copy_of(&rows);
    let mut api = Api::new(rows);
    let at = api.tick();
    finish(&mut api.rows[900], Status::Cancelled, at);
    let outcome = drive(&mut copy, &mut api);
    let choice = outcome.choice.expect("step 2 ran");
    assert_eq!(outcome.left_pending, Some(1));
    assert_eq!((choice.reread, choice.pending_list), (14, 1 + 1));
    assert_eq!(choice.way, Way::PendingList);
    assert_eq!(outcome.calls, 1 + 2);
    assert_eq!((outcome.new, outcome.changed), (0, 1));
    assert_eq!(outcome.check, Check::InStep);
    assert_eq!(copy, api.by_id());
}

#[test]
fn the_pending_list_stops_once_every_request_that_left_is_found() {
    // 250 pending spread over 10,000 rows; the 2 oldest answered: found on the first page.
    let rows = requests(10_000, |i| {
        if i % 40 == 0 {
            Status::Pending
        } else {
            Status::Completed
        }
    });
    let mut copy = copy_of(&rows);
    let mut api = Api::new(rows);
    for i in [0, 40] {
        let at = api.tick();
        finish(&mut api.rows[i], Status::Completed, at);
    }
    let outcome = drive(&mut copy, &mut api);
    let choice = outcome.choice.expect("step 2 ran");
    assert_eq!((choice.way, choice.pending_list), (Way::PendingList, 3 + 2));
    assert_eq!(outcome.calls, 1 + 1 + 2, "one pending page, two gets");
    assert_eq!(outcome.check, Check::InStep);
    assert_eq!(copy, api.by_id());
}

#[test]
fn nothing_pending_now_means_a_get_each_and_no_page() {
    let rows = requests(600, |i| {
        if i % 100 == 5 {
            Status::Pending
        } else {
            Status::Completed
        }
    });
    let mut copy = copy_of(&rows);
    let mut api = Api::new(rows);
    for i in (0..600).filter(|i| i % 100 == 5) {
        let at = api.tick();
        finish(&mut api.rows[i], Status::Timeout, at);
    }
    let outcome = drive(&mut copy, &mut api);
    let choice = outcome.choice.expect("step 2 ran");
    assert_eq!((choice.reread, choice.pending_list), (6, 6));
    assert_eq!(choice.way, Way::Reread, "a tie takes the re-read");
    assert_eq!(outcome.calls, 1 + 6);
    assert_eq!(outcome.check, Check::InStep);
    assert_eq!(copy, api.by_id());
}

#[test]
fn an_interrupted_first_load_resumes_where_it_stopped() {
    let rows = requests(1_000, |i| Status::ALL[(i % 4) as usize].clone());
    let mut api = Api::new(rows);
    let mut copy = Copy::new();
    let first = drive_with(&mut copy, &mut api, None, |_| {}, Some(4));
    assert!(matches!(
        first.check,
        Check::Interrupted(ApiError::QuotaExceeded { .. })
    ));
    assert_eq!((first.calls, first.new), (4, 400));
    assert_eq!(copy.len(), 400, "every page read is written");
    api.calls = 0;
    let second = drive(&mut copy, &mut api);
    assert_eq!(
        (second.calls, second.new),
        (6, 600),
        "nothing is read twice"
    );
    assert_eq!(second.check, Check::InStep);
    assert_eq!(copy, api.by_id());
}

#[test]
fn requests_created_after_step_1_are_read_before_step_2() {
    let rows = requests(300, |i| {
        if i % 3 == 0 {
            Status::Pending
        } else {
            Status::Completed
        }
    });
    let mut copy = copy_of(&rows);
    let mut api = Api::new(rows);
    let mut done = false;
    let outcome = drive_with(
        &mut copy,
        &mut api,
        None,
        |api| {
            // Two requests are created just before the first status cards are read.
            if api.calls == 1 && !done {
                api.create();
                api.create();
                done = true;
            }
        },
        None,
    );
    assert_eq!(outcome.new, 2);
    assert_eq!(outcome.calls_new, 2, "step 1 ran again");
    assert_eq!(outcome.check, Check::InStep);
    assert_eq!(copy, api.by_id());
}

#[test]
fn a_copy_with_a_gap_is_reported_and_repaired() {
    let rows = requests(500, |i| Status::ALL[(i % 4) as usize].clone());
    let mut copy = copy_of(&rows);
    copy.remove(&rows[9].id); // completed
    copy.remove(&rows[21].id); // completed
    let mut api = Api::new(rows);
    let outcome = drive(&mut copy, &mut api);
    assert!(outcome.copy_had_gaps);
    assert_eq!(
        outcome.check,
        Check::OutOfStep {
            differs: vec![Differs {
                status: Status::Completed,
                copy: 123,
                api: 125,
            }],
        }
    );
    assert_eq!(
        outcome.repairs,
        vec![
            Repair::Statuses {
                statuses: vec![Status::Completed],
                calls: 2,
            },
            Repair::Everything { calls: 5 },
        ]
    );
    api.calls = 0;
    let repaired = drive_with(&mut copy, &mut api, Some(&outcome.repairs[0]), |_| {}, None);
    assert_eq!(repaired.check, Check::InStep);
    assert_eq!(
        (repaired.calls, repaired.calls_repair, repaired.new),
        (2, 2, 2)
    );
    assert_eq!(copy, api.by_id());
}

#[test]
fn a_stored_request_the_api_does_not_have_needs_everything() {
    let rows = requests(250, |i| Status::ALL[(i % 4) as usize].clone());
    let mut copy = copy_of(&rows);
    let stray = req(100_000, Status::Cancelled);
    copy.insert(stray.id.clone(), stray.clone());
    let mut api = Api::new(rows);
    let outcome = drive(&mut copy, &mut api);
    let Check::OutOfStep { differs } = &outcome.check else {
        panic!("a stray request must not go unnoticed: {:?}", outcome.check);
    };
    assert_eq!(
        differs,
        &[Differs {
            status: Status::Cancelled,
            copy: 63,
            api: 62,
        }]
    );
    assert_eq!(outcome.repairs, vec![Repair::Everything { calls: 3 }]);
    api.calls = 0;
    let repaired = drive_with(&mut copy, &mut api, Some(&outcome.repairs[0]), |_| {}, None);
    assert_eq!(repaired.not_in_api, vec![stray.id]);
    assert_eq!(repaired.check, Check::InStep);
    assert_eq!(repaired.calls, 3);
    assert_eq!(copy, api.by_id());
}

#[test]
fn answers_to_calls_not_asked_are_refused() {
    let stored = Stored::new();
    let mut sync = Sync::new(&stored);
    let Step::Call(Call::List(q)) = sync.next() else {
        panic!("a first load starts with a list call");
    };
    assert_eq!(
        (q.sort, q.limit, q.offset, q.status.clone()),
        (Sort::CreatedAtAsc, 100, 0, None)
    );
    assert_eq!(
        sync.next(),
        Step::Call(Call::List(q.clone())),
        "asked again"
    );
    let other = q.with_offset(100);
    assert_eq!(
        sync.feed_page(&other, RequestPage::default()),
        Err(NotAsked)
    );
    assert_eq!(sync.feed_one("x", Err(ApiError::Aborted)), Err(NotAsked));
    assert_eq!(sync.feed_page(&q, RequestPage::default()), Ok(()));
    assert_eq!(sync.next(), Step::Totals);
    sync.feed_totals(StatusTotals::default());
    let Step::Done(outcome) = sync.next() else {
        panic!("an empty API is loaded in one call");
    };
    assert_eq!((outcome.calls, outcome.check), (1, Check::InStep));
}

#[test]
fn status_totals_derive_cancelled_from_the_total() {
    let t = StatusTotals::from_cards(100, 10, 60, 20);
    assert_eq!((t.cancelled, t.total()), (10, 100));
    assert_eq!(t.of(&Status::Timeout), 20);
    assert_eq!(StatusTotals::from_cards(5, 3, 3, 0).cancelled, 0);
    let qs = StatusTotals::queries();
    assert!(qs.iter().all(|q| q.limit == 1 && q.validate().is_ok()));
    assert_eq!(qs[1].status, Some(Status::Pending));
    let stored = Stored::from_requests(&requests(8, |i| Status::ALL[(i % 4) as usize].clone()));
    assert_eq!(stored.totals(), StatusTotals::from_cards(8, 2, 2, 2));
    assert_eq!(stored.count(&Status::Completed), 2);
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

/// A generated API state, with `reverted` old requests put back to pending (a key whose old
/// requests wait long), and the copy equal to it.
fn world(seed: u64, n: usize, reverted: usize) -> (Api, Copy) {
    let mut rows: Vec<HitlRequest> = Dataset::generate(seed, n, now())
        .list_objects()
        .cloned()
        .collect();
    let mut rng = Rng::new(seed ^ 0x5EED);
    for _ in 0..reverted.min(rows.len()) {
        let i = rng.below(rows.len());
        rows[i] = as_pending(&rows[i]);
    }
    let copy = copy_of(&rows);
    (Api::new(rows), copy)
}

/// Each stored row is the API's, or the API's before it left pending: true at some moment.
fn only_past_truths(copy: &Copy, api: &Api) -> Result<(), TestCaseError> {
    let api = api.by_id();
    for (id, r) in copy {
        let now = api.get(id);
        prop_assert!(now.is_some(), "{id} is not the API's");
        let now = now.unwrap();
        prop_assert!(r == now || (r.status == Status::Pending && now.status.is_final()));
    }
    Ok(())
}

/// The oldest-first position of every request of the API.
fn positions(api: &Api) -> HashMap<String, u64> {
    let mut rows: Vec<&HitlRequest> = api.rows.iter().collect();
    rows.sort_by(|a, b| contract::compare(Sort::CreatedAtAsc, a, b));
    rows.iter()
        .enumerate()
        .map(|(i, r)| (r.id.clone(), i as u64))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Changes before the sync: the copy ends equal to the API, in step, within the budget.
    #[test]
    fn a_sync_brings_the_copy_to_the_api_within_the_cheaper_cost(
        seed in any::<u64>(),
        n in 0usize..1_500,
        reverted in 0usize..40,
        first_load in proptest::bool::weighted(0.15),
        created in 0u64..260,
        finished in 0usize..80,
    ) {
        let (mut api, copy) = world(seed, n, reverted);
        let mut copy = if first_load { Copy::new() } else { copy };
        let before = copy.clone();
        let mut rng = Rng::new(seed);
        for _ in 0..created {
            api.create();
        }
        for _ in 0..finished {
            api.finish_one(&mut rng);
        }
        let now_by_id = api.by_id();
        let p_now = api.rows.iter().filter(|r| r.status == Status::Pending).count() as u64;
        let k = before
            .values()
            .filter(|r| r.status == Status::Pending && now_by_id[&r.id].status.is_final())
            .count() as u64;
        // The candidates: stored pending and new pending, by their place.
        let at = positions(&api);
        let mut places: Vec<u64> = now_by_id
            .values()
            .filter(|r| match before.get(&r.id) {
                Some(s) => s.status == Status::Pending,
                None => r.status == Status::Pending,
            })
            .map(|r| at[&r.id])
            .collect();
        places.sort_unstable();

        let outcome = drive(&mut copy, &mut api);
        prop_assert_eq!(&outcome.check, &Check::InStep);
        prop_assert!(copy == now_by_id, "the copy is the API's data");
        let step1 = ((api.rows.len() - before.len()) as u64).div_ceil(100).max(1);
        prop_assert_eq!(outcome.calls_new, step1);
        prop_assert_eq!(outcome.left_pending, Some(k));
        let step2 = match outcome.choice {
            None => {
                prop_assert_eq!(k, 0);
                0
            }
            Some(choice) => {
                prop_assert!(k > 0);
                prop_assert_eq!(choice.pending_list, p_now.div_ceil(100) + k);
                let span = places.last().unwrap() - places[0] + 1;
                prop_assert!(choice.reread <= span.div_ceil(100));
                prop_assert!(choice.reread <= places.len() as u64);
                choice.reread.min(choice.pending_list)
            }
        };
        prop_assert!(outcome.calls <= step1 + step2, "{} > {step1} + {step2}", outcome.calls);
        prop_assert_eq!(outcome.calls, api.calls);
        prop_assert_eq!(outcome.new, (api.rows.len() - before.len()) as u64);
    }

    /// Changes during the sync: never a silent mismatch; and a sync afterwards, with the API
    /// quiet, brings the copy in step.
    #[test]
    fn changes_during_a_sync_never_go_unnoticed(
        seed in any::<u64>(),
        n in 0usize..1_500,
        reverted in 0usize..40,
        created in 0u64..160,
        finished in 0usize..40,
        busy in 0usize..4,
    ) {
        let (mut api, mut copy) = world(seed, n, reverted);
        let mut rng = Rng::new(seed);
        for _ in 0..created {
            api.create();
        }
        for _ in 0..finished {
            api.finish_one(&mut rng);
        }
        let outcome = drive_with(
            &mut copy,
            &mut api,
            None,
            |api| {
                for _ in 0..rng.below(busy + 1) {
                    api.change(&mut rng);
                }
            },
            None,
        );
        only_past_truths(&copy, &api)?;
        match &outcome.check {
            Check::InStep => prop_assert!(copy == api.by_id(), "in step means equal"),
            Check::OutOfStep { differs } => {
                prop_assert!(!differs.is_empty());
                prop_assert!(!outcome.repairs.is_empty());
            }
            Check::Interrupted(e) => prop_assert!(false, "no call failed: {e:?}"),
        }
        let again = drive(&mut copy, &mut api);
        prop_assert_eq!(&again.check, &Check::InStep);
        prop_assert!(copy == api.by_id());
    }

    /// A sync cut short by the quota at any call keeps what it read, and the next one finishes
    /// without reading a new request twice.
    #[test]
    fn an_interrupted_sync_resumes_without_reading_twice(
        seed in any::<u64>(),
        n in 0usize..1_500,
        reverted in 0usize..40,
        first_load in proptest::bool::weighted(0.3),
        created in 0u64..400,
        finished in 0usize..60,
        cut in 0u64..12,
    ) {
        let (mut api, copy) = world(seed, n, reverted);
        let mut copy = if first_load { Copy::new() } else { copy };
        let stored = copy.len() as u64;
        let mut rng = Rng::new(seed);
        for _ in 0..created {
            api.create();
        }
        for _ in 0..finished {
            api.finish_one(&mut rng);
        }
        let first = drive_with(&mut copy, &mut api, None, |_| {}, Some(cut));
        only_past_truths(&copy, &api)?;
        let second = drive(&mut copy, &mut api);
        prop_assert_eq!(&second.check, &Check::InStep);
        prop_assert!(copy == api.by_id());
        let new_pages = (api.rows.len() as u64 - stored).div_ceil(100).max(1);
        prop_assert!(
            first.calls_new + second.calls_new <= new_pages + 1,
            "{} + {} > {new_pages} + 1", first.calls_new, second.calls_new
        );
        prop_assert_eq!(first.new + second.new, api.rows.len() as u64 - stored);
    }
}

#[test]
fn the_summary_writes_thousands_and_the_noun_in_the_right_number() {
    let stored = Stored::new();
    let mut sync = Sync::new(&stored);
    sync.fail(hitl_core::ApiError::Aborted);
    let Step::Done(mut outcome) = sync.next() else {
        panic!("a failed sync is done")
    };
    outcome.new = 10_000;
    outcome.changed = 1_234;
    outcome.calls = 100;
    assert_eq!(
        outcome.summary(),
        "Synced: 10,000 new, 1,234 changed · 100 calls"
    );
}

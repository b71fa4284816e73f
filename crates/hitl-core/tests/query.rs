//! RequestQuery ⇄ query string, with the API's validation rules and wording.

use chrono::{TimeZone, Utc};
use hitl_core::{Priority, RequestQuery, Sort, Status};
use proptest::prelude::*;

#[test]
fn default_view_is_the_empty_query_string() {
    assert_eq!(RequestQuery::default().to_query_string(), "");
    assert_eq!(
        RequestQuery::from_query_string("").unwrap(),
        RequestQuery::default()
    );
    assert_eq!(
        RequestQuery::from_query_string("?").unwrap(),
        RequestQuery::default()
    );
}

#[test]
fn parses_the_seed_examples() {
    let q = RequestQuery::from_query_string("status=pending").unwrap();
    assert_eq!(q.status, Some(Status::Pending));
    let q = RequestQuery::from_query_string("?priority=high&limit=20&offset=0").unwrap();
    assert_eq!(q.priority, Some(Priority::High));
    assert_eq!(q.limit, 20);
    assert_eq!(q.offset, 0);
    let q = RequestQuery::from_query_string("status=pending&priority=high&sort=created_at_asc")
        .unwrap();
    assert_eq!(q.sort, Sort::CreatedAtAsc);
    assert_eq!(
        q.to_query_string(),
        "status=pending&priority=high&sort=created_at_asc"
    );
}

#[test]
fn canonical_form_has_fixed_order_and_no_defaults() {
    let q = RequestQuery::from_query_string(
        "offset=100&limit=50&sort=created_at_desc&loop_id=abc&priority=low&status=timeout&view=x",
    )
    .unwrap();
    assert_eq!(
        q.to_query_string(),
        "status=timeout&priority=low&loop_id=abc&offset=100"
    );
}

#[test]
fn empty_values_mean_all_and_unknown_keys_are_ignored() {
    let q = RequestQuery::from_query_string("status=&priority=&loop_id=&request=abc").unwrap();
    assert_eq!(q, RequestQuery::default());
}

#[test]
fn invalid_values_are_rejected_with_the_apis_words() {
    let err = RequestQuery::from_query_string("status=bogus").unwrap_err();
    assert_eq!(err.msg, "Invalid status filter value");
    assert_eq!(
        err.data,
        "status must be one of: pending, completed, timeout, cancelled"
    );

    let err = RequestQuery::from_query_string("priority=urgent").unwrap_err();
    assert_eq!(err.msg, "Invalid priority filter value");
    assert_eq!(
        err.data,
        "priority must be one of: low, medium, high, critical"
    );

    for bad in [
        "limit=0",
        "limit=101",
        "limit=500",
        "limit=-1",
        "limit=abc",
        "limit=1.5",
    ] {
        let err = RequestQuery::from_query_string(bad).unwrap_err();
        assert_eq!(err.msg, "Invalid pagination parameters", "{bad}");
        assert_eq!(err.data, "limit must be between 1 and 100", "{bad}");
    }
    for ok in ["limit=1", "limit=100"] {
        assert!(RequestQuery::from_query_string(ok).is_ok(), "{ok}");
    }
    let err = RequestQuery::from_query_string("offset=-5").unwrap_err();
    assert_eq!(err.msg, "Invalid pagination parameters");

    let err = RequestQuery::from_query_string("sort=newest").unwrap_err();
    assert_eq!(err.msg, "Invalid sort value");
    assert!(err
        .data
        .contains("created_at_desc, created_at_asc, priority_desc, status_asc"));

    let err = RequestQuery::from_query_string("created_before=last-week").unwrap_err();
    assert!(err.data.contains("created_before"));

    // Values are case-sensitive, as the API documents them.
    assert!(RequestQuery::from_query_string("status=Pending").is_err());
}

#[test]
fn validate_catches_what_code_can_build() {
    let q = RequestQuery {
        limit: 0,
        ..Default::default()
    };
    assert_eq!(
        q.validate().unwrap_err().msg,
        "Invalid pagination parameters"
    );
    let q = RequestQuery {
        status: Some(Status::Other("x".into())),
        ..Default::default()
    };
    assert_eq!(q.validate().unwrap_err().msg, "Invalid status filter value");
    assert!(RequestQuery::default().validate().is_ok());
}

#[test]
fn created_before_uses_the_apis_timestamp_form() {
    let t = Utc.with_ymd_and_hms(2024, 3, 15, 10, 30, 0).unwrap();
    let q = RequestQuery {
        created_before: Some(t),
        ..Default::default()
    };
    assert_eq!(
        q.to_query_string(),
        "created_before=2024-03-15T10%3A30%3A00Z"
    );
    assert_eq!(
        RequestQuery::from_query_string(&q.to_query_string()).unwrap(),
        q
    );
}

fn arb_query() -> impl Strategy<Value = RequestQuery> {
    (
        proptest::option::of(0..4usize),
        proptest::option::of(0..4usize),
        proptest::option::of("[ -~]{1,30}|[a-f0-9]{24}|\\PC{1,10}"),
        0..4usize,
        1..=100u32,
        0..100_000u64,
        proptest::option::of(0..4_000_000_000i64),
    )
        .prop_map(|(s, p, l, sort, limit, offset, cb)| RequestQuery {
            status: s.map(|i| Status::ALL[i].clone()),
            priority: p.map(|i| Priority::ALL[i].clone()),
            // Surrounding blanks are trimmed by the parser, and a blank id means "all".
            loop_id: l.map(|l| l.trim().to_owned()).filter(|l| !l.is_empty()),
            sort: Sort::ALL[sort],
            limit,
            offset,
            created_before: cb.and_then(|s| Utc.timestamp_opt(s, 0).single()),
        })
}

proptest! {
    #[test]
    fn query_string_round_trips(q in arb_query()) {
        let qs = q.to_query_string();
        prop_assert_eq!(RequestQuery::from_query_string(&qs).unwrap(), q.clone());
        // And the canonical form is a fixed point.
        prop_assert_eq!(RequestQuery::from_query_string(&qs).unwrap().to_query_string(), qs);
    }

    #[test]
    fn parsing_arbitrary_strings_never_panics(s in "\\PC{0,80}") {
        let _ = RequestQuery::from_query_string(&s);
    }
}

#[test]
fn lenient_parse_keeps_the_valid_parameters_and_lists_the_rest() {
    let (q, errors) =
        RequestQuery::from_query_string_lenient("status=bogus&priority=high&limit=500&loop_id=x");
    assert_eq!(q.priority, Some(Priority::High));
    assert_eq!(q.loop_id.as_deref(), Some("x"));
    assert_eq!(q.status, None);
    assert_eq!(q.limit, 50);
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0].msg, "Invalid status filter value");
    assert_eq!(errors[1].data, "limit must be between 1 and 100");
    // The strict parser reports the first problem.
    assert_eq!(
        RequestQuery::from_query_string("status=bogus&limit=500").unwrap_err(),
        errors[0]
    );
}

#[test]
fn query_strings_have_no_trailing_separator() {
    let q = RequestQuery {
        status: Some(Status::Pending),
        limit: 1,
        ..Default::default()
    };
    assert_eq!(q.to_query_string(), "status=pending&limit=1");
}

#[test]
fn created_before_accepts_iso_8601_and_writes_rfc_3339_back() {
    let t = Utc.with_ymd_and_hms(2024, 3, 15, 10, 30, 0).unwrap();
    for given in [
        "created_before=2024-03-15T10%3A30%3A00",
        "created_before=2024-03-15T10%3A30%3A00%2B0000",
        "created_before=2024-03-15%2010%3A30%3A00Z",
    ] {
        let q = RequestQuery::from_query_string(given).unwrap();
        assert_eq!(q.created_before, Some(t), "{given}");
        assert_eq!(
            q.to_query_string(),
            "created_before=2024-03-15T10%3A30%3A00Z"
        );
    }
}

#[test]
fn page_sizes_offer_the_view_s_own_size_in_order() {
    use hitl_core::query::{page_sizes, PAGE_SIZES};
    assert_eq!(page_sizes(50), PAGE_SIZES.to_vec());
    assert_eq!(page_sizes(25), vec![10, 20, 25, 50, 100]);
    assert_eq!(page_sizes(1), vec![1, 10, 20, 50, 100]);
    assert_eq!(page_sizes(99), vec![10, 20, 50, 99, 100]);
    // Not a size the API serves: not offered (the URL's value is refused before any call).
    assert_eq!(page_sizes(0), PAGE_SIZES.to_vec());
    assert_eq!(page_sizes(101), PAGE_SIZES.to_vec());
}

#[test]
fn all_problems_of_a_view_are_stated_at_once() {
    use hitl_core::QueryError;
    let (_, errors) = RequestQuery::from_query_string_lenient(
        "?status=bogus&limit=999&offset=-3&priority=HIGH&sort=x&status=nope",
    );
    let e = QueryError::all(errors).unwrap();
    assert_eq!(e.msg, "Invalid parameters");
    assert_eq!(
        e.data,
        "status must be one of: pending, completed, timeout, cancelled; limit must be between 1 \
         and 100; offset must be 0 or more; priority must be one of: low, medium, high, critical; \
         sort must be one of: created_at_desc, created_at_asc, priority_desc, status_asc"
    );
    // One kind of problem keeps the API's own title.
    let (_, errors) = RequestQuery::from_query_string_lenient("limit=0&offset=x");
    let e = QueryError::all(errors).unwrap();
    assert_eq!(e.msg, "Invalid pagination parameters");
    assert_eq!(
        e.data,
        "limit must be between 1 and 100; offset must be 0 or more"
    );
    assert_eq!(QueryError::all(Vec::new()), None);
}

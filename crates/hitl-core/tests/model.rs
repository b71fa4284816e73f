//! The vendor's JSON examples decode exactly, and odd values never fail a page.

use hitl_core::{
    decode_response, ApiError, ContentType, Envelope, HitlRequest, Priority, ProcessingType,
    RequestPage, ResponseType, Status,
};
use serde_json::{json, Value};

const SEED_LIST: &str = include_str!("fixtures/seed-list.json");

#[test]
fn seed_list_example_decodes_exactly() {
    let page: RequestPage = decode_response(200, SEED_LIST, None).expect("seed decodes");
    assert_eq!(page.count, 2);
    assert_eq!(page.total, 15);
    assert!(page.has_more);
    assert_eq!(page.pagination.limit, 50);
    assert_eq!(page.pagination.offset, 0);
    assert_eq!(page.pagination.next_offset, 50);

    let first = &page.requests[0];
    assert_eq!(first.id, "65f1234567890abcdef12348");
    assert_eq!(first.loop_id, "65f1234567890abcdef12345");
    assert_eq!(first.processing_type, ProcessingType::TimeSensitive);
    assert_eq!(first.content_type, ContentType::Markdown);
    assert_eq!(first.priority, Priority::High);
    assert_eq!(first.response_type, ResponseType::SingleSelect);
    assert_eq!(first.status, Status::Completed);
    assert_eq!(first.response_data, Some(json!("Approve")));
    assert_eq!(
        first.response_by.as_deref(),
        Some("65f1234567890abcdef12350")
    );
    assert_eq!(first.response_time_seconds, Some(900.5));
    assert_eq!(
        first.created_at.map(|t| t.to_rfc3339()),
        Some("2024-03-15T10:30:00+00:00".to_owned())
    );

    let second = &page.requests[1];
    assert_eq!(second.status, Status::Pending);
    assert_eq!(second.processing_type, ProcessingType::Deferred);
    assert_eq!(second.response_type, ResponseType::Rating);
    assert_eq!(second.response_data, None);
    assert_eq!(second.response_by, None);
    assert_eq!(second.response_at, None);
    assert_eq!(second.response_time_seconds, None);
}

#[test]
fn seed_list_example_round_trips_to_the_same_json() {
    let original: Value = serde_json::from_str(SEED_LIST).unwrap();
    let page: RequestPage = decode_response(200, SEED_LIST, None).unwrap();
    let again =
        serde_json::to_value(Envelope::ok("Requests retrieved successfully", page)).unwrap();
    assert_eq!(again, original);
}

#[test]
fn seed_error_examples_map_to_api_errors_with_the_apis_words() {
    let status = include_str!("fixtures/seed-invalid-status.json");
    let err = decode_response::<RequestPage>(400, status, None).unwrap_err();
    assert_eq!(err.title(), "Invalid status filter value");
    assert_eq!(
        err.detail().as_deref(),
        Some("status must be one of: pending, completed, timeout, cancelled")
    );
    assert_eq!(err.status(), Some(400));
    assert!(!err.is_retryable());

    let pagination = include_str!("fixtures/seed-invalid-pagination.json");
    let err = decode_response::<RequestPage>(400, pagination, None).unwrap_err();
    assert_eq!(err.title(), "Invalid pagination parameters");
    assert_eq!(
        err.detail().as_deref(),
        Some("limit must be between 1 and 100")
    );

    let quota = include_str!("fixtures/seed-rate-limit.json");
    let err = decode_response::<RequestPage>(429, quota, Some(1_700_000_000)).unwrap_err();
    assert_eq!(
        err,
        ApiError::QuotaExceeded {
            msg: "API key request limit exceeded".to_owned(),
            usage_count: Some(100),
            usage_limit: Some(100),
            remaining: Some(0),
            reset_at: Some(1_700_000_000),
        }
    );
    assert_eq!(
        err.detail().as_deref(),
        Some("100 of 100 calls used this hour, 0 remaining")
    );
    // Worth asking again after the reset, and only then.
    assert!(err.is_quota());
    assert!(!err.is_retryable());
    let paused = ApiError::QuotaPaused {
        reset_at: Some(1_700_000_000),
        usage_count: Some(100),
        usage_limit: Some(100),
    };
    assert!(paused.is_quota());
    for other in [
        decode_response::<RequestPage>(401, "{}", None).unwrap_err(),
        decode_response::<RequestPage>(502, "Bad gateway", None).unwrap_err(),
        decode_response::<RequestPage>(200, "not json", None).unwrap_err(),
        ApiError::Aborted,
    ] {
        assert!(!other.is_quota(), "{other:?}");
    }
}

#[test]
fn unknown_enum_values_are_kept_not_fatal() {
    let row: HitlRequest = serde_json::from_value(json!({
        "id": "a", "status": "escalated", "priority": "urgent", "type": "video",
        "processing_type": "batch", "response_type": "slider", "created_at": "2024-03-15T10:30:00Z"
    }))
    .unwrap();
    assert_eq!(row.status, Status::Other("escalated".into()));
    assert_eq!(row.status.label(), "escalated");
    assert_eq!(row.priority, Priority::Other("urgent".into()));
    assert_eq!(row.priority.rank(), -1);
    assert_eq!(row.content_type, ContentType::Other("video".into()));
    assert_eq!(row.processing_type, ProcessingType::Other("batch".into()));
    assert_eq!(row.response_type, ResponseType::Other("slider".into()));
    // And they serialise back to what the API sent.
    let back = serde_json::to_value(&row).unwrap();
    assert_eq!(back["status"], "escalated");
    assert_eq!(back["type"], "video");
}

#[test]
fn odd_field_values_degrade_to_empty_not_errors() {
    let row: HitlRequest = serde_json::from_value(json!({
        "id": 12345,
        "request_text": null,
        "status": null,
        "priority": 3,
        "response_time_seconds": "900.5",
        "created_at": "yesterday",
        "timeout_at": 17,
        "response_by": "",
        "response_data": {"nested": [1, 2]}
    }))
    .unwrap();
    assert_eq!(row.id, "12345");
    assert_eq!(row.request_text, "");
    assert_eq!(row.status, Status::Other(String::new()));
    assert_eq!(row.status.label(), "—");
    assert_eq!(row.priority, Priority::Other("3".into()));
    assert_eq!(row.response_time_seconds, Some(900.5));
    assert_eq!(row.created_at, None);
    assert_eq!(row.timeout_at, None);
    assert_eq!(row.response_by, None);
    assert_eq!(row.response_data, Some(json!({"nested": [1, 2]})));

    let missing: HitlRequest = serde_json::from_value(json!({})).unwrap();
    assert_eq!(missing, HitlRequest::default());

    for bad in [json!("NaN"), json!(true), json!([1]), json!({"a": 1})] {
        let row: HitlRequest =
            serde_json::from_value(json!({ "response_time_seconds": bad })).unwrap();
        assert_eq!(row.response_time_seconds, None);
    }
}

#[test]
fn malformed_bodies_become_readable_errors() {
    let err = decode_response::<RequestPage>(200, "<html>Gateway</html>", None).unwrap_err();
    assert!(
        matches!(err, ApiError::Decode { status: 200, .. }),
        "{err:?}"
    );
    assert!(err.detail().unwrap().contains("<html>Gateway</html>"));

    let err = decode_response::<RequestPage>(200, "", None).unwrap_err();
    assert_eq!(
        err.detail().as_deref(),
        Some("The response body was empty.")
    );

    let err = decode_response::<RequestPage>(502, "Bad gateway", None).unwrap_err();
    assert_eq!(err.title(), "The API answered with HTTP 502");
    assert_eq!(err.detail().as_deref(), Some("Bad gateway"));
    assert!(err.is_retryable());

    // error: true with status 200 is still an error.
    let err = decode_response::<RequestPage>(
        200,
        r#"{"error": true, "msg": "Something odd", "data": {"why": "because"}}"#,
        None,
    )
    .unwrap_err();
    assert_eq!(err.title(), "Something odd");
    assert_eq!(err.detail().as_deref(), Some(r#"{"why":"because"}"#));

    // Success envelope whose data is not a page.
    let err =
        decode_response::<RequestPage>(200, r#"{"error": false, "msg": "ok", "data": "x"}"#, None)
            .unwrap_err();
    assert!(matches!(err, ApiError::Decode { .. }));
    let err =
        decode_response::<RequestPage>(200, r#"{"error": false, "msg": "ok"}"#, None).unwrap_err();
    assert_eq!(
        err.detail().as_deref(),
        Some("The response has no \"data\".")
    );

    // A page that is not one says where: the field, and for a list the element.
    let detail = |data: Value| {
        let body = json!({"error": false, "msg": "ok", "data": data}).to_string();
        decode_response::<RequestPage>(200, &body, None)
            .unwrap_err()
            .detail()
            .unwrap_or_default()
    };
    assert_eq!(
        detail(json!({"requests": [], "total": "7"})),
        r#"Unexpected "data": "total": expected a whole number, found a string"#
    );
    assert_eq!(
        detail(json!({"requests": [{"id": "a"}, 5], "total": 2})),
        r#"Unexpected "data": "requests": [1]: expected a request (an object), found a number"#
    );
    assert_eq!(
        detail(json!({"requests": [], "total": 0, "pagination": {"limit": -1}})),
        r#"Unexpected "data": "pagination": "limit": expected a whole number, found a number"#
    );
    assert_eq!(
        detail(json!({"total": 0})),
        r#"Unexpected "data": missing field "requests""#
    );
    // JSON that is not an envelope, and an envelope whose `error` is not a flag.
    for (body, detail) in [
        (
            "[1, 2]",
            "Not an API envelope (an array instead of an object): [1, 2]",
        ),
        (
            r#"{"error": "no"}"#,
            r#"Not an API envelope ("error" is a string instead of true or false): {"error": "no"}"#,
        ),
    ] {
        let err = decode_response::<RequestPage>(200, body, None).unwrap_err();
        assert_eq!(err.detail().as_deref(), Some(detail));
    }

    // A 401 with the documented envelope.
    let err = decode_response::<RequestPage>(
        401,
        r#"{"error": true, "msg": "Invalid API key", "data": null}"#,
        None,
    )
    .unwrap_err();
    assert_eq!(err.title(), "Invalid API key");
    assert_eq!(err.detail(), None);
    assert!(err.advice().contains("API key"));

    // 429 without a JSON body still says quota.
    let err = decode_response::<RequestPage>(429, "slow down", Some(5)).unwrap_err();
    assert!(matches!(
        err,
        ApiError::QuotaExceeded {
            reset_at: Some(5),
            ..
        }
    ));
}

#[test]
fn every_error_kind_has_a_title_and_advice() {
    let all = [
        ApiError::Api {
            status: 401,
            msg: String::new(),
            data: Value::Null,
        },
        ApiError::Api {
            status: 403,
            msg: "Forbidden".into(),
            data: Value::Null,
        },
        ApiError::Api {
            status: 404,
            msg: "Not found".into(),
            data: Value::Null,
        },
        ApiError::Api {
            status: 400,
            msg: "Bad".into(),
            data: json!("x"),
        },
        ApiError::Api {
            status: 500,
            msg: "Boom".into(),
            data: Value::Null,
        },
        ApiError::Api {
            status: 418,
            msg: "Teapot".into(),
            data: Value::Null,
        },
        ApiError::QuotaExceeded {
            msg: String::new(),
            usage_count: None,
            usage_limit: None,
            remaining: None,
            reset_at: None,
        },
        ApiError::Network {
            detail: "TypeError: Failed to fetch".into(),
        },
        ApiError::Decode {
            status: 200,
            detail: "x".into(),
        },
        ApiError::QuotaPaused {
            reset_at: Some(10),
            usage_count: Some(100),
            usage_limit: Some(100),
        },
    ];
    for err in all {
        assert!(!err.title().is_empty(), "{err:?}");
        assert!(!err.advice().is_empty(), "{err:?}");
        assert!(!err.to_string().is_empty());
    }
    let network = ApiError::Network {
        detail: String::new(),
    };
    assert!(network.advice().contains("CORS"));
    assert!(network.advice().contains("proxy"));
    assert!(network.is_retryable());
}

#[test]
fn redaction_removes_the_key_everywhere() {
    let key = "sk_live_secret123";
    let err = ApiError::Api {
        status: 401,
        msg: format!("Invalid key {key}"),
        data: json!({ "key": key, "nested": [format!("prefix-{key}")] }),
    }
    .redact(key);
    let shown = format!("{} {:?}", err, err);
    assert!(!shown.contains(key), "{shown}");
    assert!(shown.contains("•••"));

    let err = ApiError::Network {
        detail: format!("fetch https://x/?k={key}"),
    }
    .redact(key);
    assert!(!err.to_string().contains(key));
}

#[test]
fn request_detail_round_trips_as_one_flat_object() {
    use hitl_core::RequestEnvelopeData;
    let body = json!({
        "error": false, "msg": "Request retrieved successfully",
        "data": {"request": {
            "id": "r1", "loop_id": "l1", "status": "pending", "priority": "high", "type": "image",
            "created_at": "2024-03-15T10:30:00Z", "image_url": "https://x/y.png",
            "context": {"a": 1}, "response_config": {"options": ["A", "B"]},
            "default_response": "B", "platform": "api", "platform_version": "1.0",
            "creator_id": "c1", "api_key_id": "k1", "callback_url": null,
            "broadcasted_to": [{"user_id": "u1", "email": "a@x", "role": "owner",
                                "notification_sent": false, "notification_error": "bounced"}],
            "broadcasted_at": "2024-03-15T10:30:01Z"
        }}
    });
    let data: RequestEnvelopeData = decode_response(200, &body.to_string(), None).unwrap();
    let d = &data.request;
    assert_eq!(d.request.id, "r1");
    assert_eq!(d.request.status, Status::Pending);
    assert_eq!(d.request.content_type, ContentType::Image);
    assert_eq!(d.image_url.as_deref(), Some("https://x/y.png"));
    assert_eq!(d.context, Some(json!({"a": 1})));
    assert_eq!(
        d.broadcasted_to[0].notification_error.as_deref(),
        Some("bounced")
    );
    assert!(!d.broadcasted_to[0].notification_sent);
    let again = serde_json::to_value(d).unwrap();
    assert_eq!(again["id"], "r1");
    assert_eq!(again["image_url"], "https://x/y.png");
    assert_eq!(again["broadcasted_to"][0]["email"], "a@x");
    assert!(again.get("request").is_none(), "flat on the wire");
    let back: hitl_core::RequestDetail = serde_json::from_value(again).unwrap();
    assert_eq!(&back, d);
}

#[test]
fn null_page_and_array_fields_decode_as_their_empty_defaults() {
    // Every page-level field null: an empty page, not a failed one.
    let body = json!({
        "error": false, "msg": "ok",
        "data": {"requests": null, "count": null, "total": null, "has_more": null,
                 "pagination": null}
    });
    let page: RequestPage = decode_response(200, &body.to_string(), None).unwrap();
    assert_eq!(page, RequestPage::default());
    // Null inside pagination, beside real rows.
    let body = json!({
        "error": false, "msg": "ok",
        "data": {"requests": [{"id": "a"}], "count": 1, "total": 7, "has_more": true,
                 "pagination": {"limit": null, "offset": 0, "next_offset": null}}
    });
    let page: RequestPage = decode_response(200, &body.to_string(), None).unwrap();
    assert_eq!(page.requests[0].id, "a");
    assert_eq!(page.total, 7);
    assert!(page.has_more);
    assert_eq!(page.pagination, hitl_core::Pagination::default());

    // The detail's broadcast list, and a null flag inside one entry.
    use hitl_core::RequestEnvelopeData;
    let body = json!({"error": false, "msg": "ok",
                      "data": {"request": {"id": "r1", "broadcasted_to": null}}});
    let data: RequestEnvelopeData = decode_response(200, &body.to_string(), None).unwrap();
    assert_eq!(data.request.request.id, "r1");
    assert!(data.request.broadcasted_to.is_empty());
    let body = json!({"error": false, "msg": "ok",
                      "data": {"request": {"id": "r1", "broadcasted_to": [
                          {"user_id": "u1", "notification_sent": null}]}}});
    let data: RequestEnvelopeData = decode_response(200, &body.to_string(), None).unwrap();
    assert_eq!(data.request.broadcasted_to[0].user_id, "u1");
    assert!(!data.request.broadcasted_to[0].notification_sent);

    // Loops: null members and counts, and a null list.
    use hitl_core::LoopList;
    let body = json!({"error": false, "msg": "ok",
                      "data": {"loops": [{"id": "l1", "name": "Ops", "members": null,
                                          "member_count": null, "pending_count": null}],
                               "count": null}});
    let loops: LoopList = decode_response(200, &body.to_string(), None).unwrap();
    assert_eq!(loops.loops[0].name, "Ops");
    assert!(loops.loops[0].members.is_empty());
    assert_eq!(loops.loops[0].member_count, 0);
    assert_eq!(loops.count, 0);
    let body = json!({"error": false, "msg": "ok", "data": {"loops": null, "count": 0}});
    let loops: LoopList = decode_response(200, &body.to_string(), None).unwrap();
    assert!(loops.loops.is_empty());

    // Still strict where it means something: no data, null data, data that is not a page, a
    // page without its list or its total.
    for data in [
        None,
        Some(json!(null)),
        Some(json!("x")),
        Some(json!({"total": 1})),
        Some(json!({"requests": []})),
    ] {
        let mut body = json!({"error": false, "msg": "ok"});
        if let Some(d) = data {
            body["data"] = d;
        }
        let err = decode_response::<RequestPage>(200, &body.to_string(), None).unwrap_err();
        assert!(matches!(err, ApiError::Decode { .. }), "{body} {err:?}");
    }
}

#[test]
fn quota_figures_sent_as_floats_or_strings_still_show() {
    let body = json!({"error": true, "msg": "API key request limit exceeded",
                      "data": {"usage_count": 100.0, "usage_limit": "100", "remaining": 0}});
    let err = decode_response::<RequestPage>(429, &body.to_string(), None).unwrap_err();
    assert_eq!(
        err.detail().as_deref(),
        Some("100 of 100 calls used this hour, 0 remaining")
    );
    // A figure that is not a whole count is left out; the others stay.
    for bad in [
        json!(99.5),
        json!(-1),
        json!("lots"),
        json!(true),
        json!([1]),
        json!({}),
    ] {
        let body = json!({"error": true, "msg": "",
                          "data": {"usage_count": 7, "usage_limit": 100, "remaining": bad}});
        let err = decode_response::<RequestPage>(429, &body.to_string(), None).unwrap_err();
        match err {
            ApiError::QuotaExceeded {
                usage_count,
                usage_limit,
                remaining,
                ..
            } => {
                assert_eq!(
                    (usage_count, usage_limit, remaining),
                    (Some(7), Some(100), None)
                );
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn iso_8601_timestamps_without_rfc_3339_form_still_parse_as_utc() {
    use chrono::{TimeZone, Utc};
    use hitl_core::parse_time;
    let t = Utc.with_ymd_and_hms(2024, 3, 15, 10, 30, 0).unwrap();
    for s in [
        "2024-03-15T10:30:00Z",
        "2024-03-15T10:30:00",
        "2024-03-15T10:30:00+0000",
        "2024-03-15T12:30:00+0200",
        "2024-03-15T07:30:00-0300",
        "2024-03-15T12:30:00+02",
        "2024-03-15 10:30:00Z",
        "2024-03-15 10:30:00",
        " 2024-03-15T10:30:00 ",
    ] {
        assert_eq!(parse_time(s), Some(t), "{s}");
    }
    let frac = parse_time("2024-03-15T10:30:00.123456").unwrap();
    assert_eq!(frac, t + chrono::Duration::microseconds(123_456));
    assert_eq!(
        parse_time("2024-03-15T10:30:00.5+0000"),
        Some(t + chrono::Duration::milliseconds(500))
    );
    // A row with such a time keeps it.
    let row: HitlRequest =
        serde_json::from_value(json!({"created_at": "2024-03-15T10:30:00"})).unwrap();
    assert_eq!(row.created_at, Some(t));
    // Garbage is still rejected.
    for s in [
        "",
        "yesterday",
        "2024-03-15",
        "2024-03-15T10:30",
        "2024-03-15T25:30:00",
        "2024-13-15T10:30:00",
        "2024-03-15T10:30:00+",
        "2024-03-15T10:30:00+00000",
        "2024-03-15T10:30:00 UTC",
        "2024-03-15T10:30:00+2400",
        "2024-03-15T10:30:00.",
        "2024-03-15T10:30:00Zjunk",
        "2024-03-15T10:30:00é",
        "2024-03-15x10:30:00",
    ] {
        assert_eq!(parse_time(s), None, "{s:?}");
    }
}

#[test]
fn a_loop_name_typed_for_its_id_finds_the_id_when_it_names_one_loop() {
    use hitl_core::{Loop, LoopList};
    let lp = |id: &str, name: &str| Loop {
        id: id.into(),
        name: name.into(),
        ..Loop::default()
    };
    let list = LoopList {
        loops: vec![
            lp("l1", "Claims triage"),
            lp("l2", "Équipe Modération"),
            lp("l3", "Twin"),
            lp("l4", "twin "),
            lp("l5", "l1"),
        ],
        count: 5,
    };
    assert_eq!(list.id_named("Claims triage"), Some("l1"));
    assert_eq!(list.id_named("  claims TRIAGE "), Some("l1"));
    assert_eq!(list.id_named("Équipe modération"), Some("l2"));
    // Case is folded for ASCII letters only.
    assert_eq!(list.id_named("équipe modération"), None);
    // Two loops of that name: which one is meant cannot be told.
    assert_eq!(list.id_named("Twin"), None);
    // Already an id (even one that is also a loop's name), nothing like a name, or empty.
    assert_eq!(list.id_named("l1"), None);
    assert_eq!(list.id_named("Claims"), None);
    assert_eq!(list.id_named(""), None);
    assert_eq!(LoopList::default().id_named("Claims triage"), None);
}

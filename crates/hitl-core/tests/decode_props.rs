//! Decoding never panics, whatever the server sends: arbitrary bytes, arbitrary JSON, and —
//! most searching — the documented envelope with every field replaced by arbitrary JSON.

use hitl_core::{decode_response, ApiError, LoopList, RequestEnvelopeData, RequestPage};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "\\PC{0,12}".prop_map(Value::String),
        Just(json!("2024-03-15T10:30:00Z")),
        Just(json!("pending")),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

const REQUEST_FIELDS: [&str; 16] = [
    "id",
    "loop_id",
    "processing_type",
    "type",
    "priority",
    "request_text",
    "response_type",
    "status",
    "response_data",
    "response_by",
    "response_at",
    "response_time_seconds",
    "timeout_at",
    "created_at",
    "updated_at",
    "broadcasted_to",
];

fn arb_request() -> impl Strategy<Value = Value> {
    prop::collection::vec(proptest::option::of(arb_json()), REQUEST_FIELDS.len()).prop_map(|vals| {
        let mut m = Map::new();
        for (k, v) in REQUEST_FIELDS.iter().zip(vals) {
            if let Some(v) = v {
                m.insert((*k).to_owned(), v);
            }
        }
        Value::Object(m)
    })
}

fn arb_envelope() -> impl Strategy<Value = Value> {
    (
        arb_json(),
        arb_json(),
        prop::collection::vec(arb_request(), 0..5),
        arb_json(),
        arb_json(),
        arb_json(),
    )
        .prop_map(|(error, msg, requests, total, has_more, pagination)| {
            json!({
                "error": error,
                "msg": msg,
                "data": {
                    "requests": requests,
                    "count": requests.len(),
                    "total": total,
                    "has_more": has_more,
                    "pagination": pagination,
                    "request": requests.first().cloned().unwrap_or(Value::Null),
                    "loops": requests,
                }
            })
        })
}

fn decode_all(status: u16, body: &str) {
    let _ = decode_response::<RequestPage>(status, body, None);
    let _ = decode_response::<RequestEnvelopeData>(status, body, Some(0));
    let _ = decode_response::<LoopList>(status, body, None);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(body in prop::collection::vec(any::<u8>(), 0..200), status in 100u16..600) {
        decode_all(status, &String::from_utf8_lossy(&body));
    }

    #[test]
    fn arbitrary_json_never_panics(v in arb_json(), status in prop::sample::select(vec![200u16, 400, 401, 429, 500])) {
        decode_all(status, &v.to_string());
    }

    #[test]
    fn envelopes_with_arbitrary_fields_never_panic_and_errors_are_readable(
        env in arb_envelope(),
        status in prop::sample::select(vec![200u16, 201, 400, 404, 429, 503]),
    ) {
        let body = env.to_string();
        decode_all(status, &body);
        if let Err(e) = decode_response::<RequestPage>(status, &body, None) {
            prop_assert!(!e.title().is_empty());
            prop_assert!(!e.advice().is_empty());
            if (200..300).contains(&status) && env["error"] != json!(true) {
                // A success status only fails for a body that is not a page.
                prop_assert!(matches!(e, ApiError::Decode { .. } | ApiError::Api { .. }), "{e:?}");
            }
        }
    }
}

#[test]
fn rows_with_odd_fields_still_decode_as_a_page() {
    let body = json!({
        "error": false, "msg": "ok",
        "data": {"requests": [{"id": 1, "status": 5, "created_at": [], "response_time_seconds": "x"}, {}],
                 "count": 2, "total": 2, "has_more": false}
    })
    .to_string();
    let page: RequestPage = decode_response(200, &body, None).unwrap();
    assert_eq!(page.requests.len(), 2);
    assert_eq!(page.requests[0].id, "1");
}

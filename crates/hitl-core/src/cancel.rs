//! The answer to `DELETE /v1/api/requests/{id}`, whose body the API does not document.
//!
//! An error envelope or an error status is an [`ApiError`] like any other call's. Any other
//! 2xx is a success whatever its body says about the request: `{"data": {"request": {…}}}` (what
//! the single-request call answers, and the mock), `{"data": {}}`, `"data": null`, a string, or a
//! 204 with no body at all. Reporting a cancel the server made as a failure would invite the
//! user to try again and would leave the request shown as pending.

use serde_json::Value;

use crate::error::decode_response;
use crate::lenient::{self, FromJson, Problem};
use crate::{ApiError, RequestDetail};

/// A cancel the server accepted.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cancelled {
    /// The server's `msg` (empty when it sent none); the dashboard shows it.
    pub msg: String,
    /// The request as the server returned it, when the body held one.
    pub request: Option<RequestDetail>,
    /// The 2xx body was not JSON (cut short, or garbled on the way): the status says the cancel
    /// was accepted, but nothing in the answer confirms it.
    pub unreadable: bool,
}

/// `data.request`, when `data` is an object; a `request` that is not a request object fails.
struct CancelData {
    request: Option<RequestDetail>,
}

impl FromJson for CancelData {
    fn from_json(v: Value) -> Result<Self, Problem> {
        let request = match lenient::object(v, "an object")?.remove("request") {
            Some(Value::Null) | None => None,
            Some(r) => Some(RequestDetail::from_json(r)?),
        };
        Ok(CancelData { request })
    }
}

/// Decodes the DELETE's answer (see the module docs).
pub fn decode_cancel(
    status: u16,
    body: &str,
    reset_at: Option<i64>,
) -> Result<Cancelled, ApiError> {
    let request = match decode_response::<CancelData>(status, body, reset_at) {
        Ok(data) => data.request,
        // A 2xx whose body is empty, not JSON, or not shaped as documented elsewhere.
        Err(ApiError::Decode { .. }) if (200..300).contains(&status) => None,
        Err(e) => return Err(e),
    };
    let parsed = crate::json::parse(body);
    let unreadable = parsed.is_err() && !body.trim().is_empty();
    let msg = match parsed {
        Ok(Value::Object(mut m)) => m.remove("msg").map(lenient::string).unwrap_or_default(),
        _ => String::new(),
    };
    Ok(Cancelled {
        msg,
        request,
        unreadable,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Status;

    #[test]
    fn the_documented_shape_gives_the_request_and_the_message() {
        let body = r#"{"error":false,"msg":"Request cancelled successfully","data":{"request":{"id":"a1","status":"cancelled"}}}"#;
        let c = decode_cancel(200, body, None).unwrap();
        assert_eq!(c.msg, "Request cancelled successfully");
        let r = c.request.unwrap().request;
        assert_eq!((r.id.as_str(), r.status), ("a1", Status::Cancelled));
    }

    #[test]
    fn any_other_success_body_is_still_a_success() {
        for (status, body, msg) in [
            (204, "", ""),
            (
                200,
                r#"{"error":false,"msg":"Cancelled","data":null}"#,
                "Cancelled",
            ),
            (
                200,
                r#"{"error":false,"msg":"Cancelled","data":{}}"#,
                "Cancelled",
            ),
            (
                200,
                r#"{"error":false,"msg":"ok","data":"request cancelled"}"#,
                "ok",
            ),
            (200, r#"{"error":false,"msg":"ok"}"#, "ok"),
            (200, r#"{"id":"a1","status":"cancelled"}"#, ""),
            (202, "cancelled", ""),
            (
                200,
                r#"{"error":false,"msg":"ok","data":{"request":{"id":7,"status":["x"]}}}"#,
                "ok",
            ),
        ] {
            let c = decode_cancel(status, body, None)
                .unwrap_or_else(|e| panic!("{status} {body:?}: {}", e.title()));
            assert_eq!(c.msg, msg, "{body:?}");
            if body.contains("request\":{\"id\":\"") {
                assert!(c.request.is_some(), "{body:?}");
            }
        }
    }

    #[test]
    fn a_body_that_is_not_json_is_marked_unreadable() {
        let cut = r#"{"error":false,"msg":"Request cancelled successfully","data":{"requ"#;
        for (status, body, unreadable) in [
            (200, cut, true),
            (202, "cancelled", true),
            (204, "", false),
            (200, "  \n", false),
            (200, r#"{"error":false,"msg":"ok","data":null}"#, false),
            (200, r#"{"id":"a1","status":"cancelled"}"#, false),
        ] {
            let c = decode_cancel(status, body, None).unwrap();
            assert_eq!(c.unreadable, unreadable, "{status} {body:?}");
            assert!(c.request.is_none());
        }
        // The documented answer confirms the cancel itself.
        let body =
            r#"{"error":false,"msg":"done","data":{"request":{"id":"a1","status":"cancelled"}}}"#;
        assert!(!decode_cancel(200, body, None).unwrap().unreadable);
    }

    #[test]
    fn refusals_stay_errors() {
        let body = r#"{"error":true,"msg":"Request cannot be cancelled","data":"only pending requests can be cancelled"}"#;
        match decode_cancel(400, body, None) {
            Err(ApiError::Api {
                status: 400, msg, ..
            }) => assert_eq!(msg, "Request cannot be cancelled"),
            other => panic!("{other:?}"),
        }
        // An error envelope is an error even with a 200.
        assert!(matches!(
            decode_cancel(200, r#"{"error":true,"msg":"nope","data":null}"#, None),
            Err(ApiError::Api { .. })
        ));
        assert!(matches!(
            decode_cancel(429, "{}", Some(9)),
            Err(ApiError::QuotaExceeded {
                reset_at: Some(9),
                ..
            })
        ));
        assert!(matches!(
            decode_cancel(500, "", None),
            Err(ApiError::Api { status: 500, .. })
        ));
        assert!(matches!(
            decode_cancel(404, "not found", None),
            Err(ApiError::Api { status: 404, .. })
        ));
    }
}

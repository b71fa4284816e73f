//! JSON responses in the API's envelope. Bodies are serialised by hand with serde_json so the
//! server needs no extra axum features and every body is byte-for-byte what the contract says.

use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use hitl_core::contract::Refusal;
use hitl_core::model::Envelope;
use serde::Serialize;
use serde_json::Value;

/// Any serialisable value as an `application/json` response.
pub fn json<T: Serialize>(status: u16, body: &T) -> Response {
    let bytes = serde_json::to_vec(body).expect("plain data always serialises");
    with_body(status, bytes)
}

/// A response with a JSON content type and the given (possibly invalid) bytes.
pub fn with_body(status: u16, bytes: Vec<u8>) -> Response {
    let mut resp = Response::new(Body::from(bytes));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    resp
}

/// `{"error": false, "msg": msg, "data": data}` with 200.
pub fn ok<T: Serialize>(msg: &str, data: T) -> Response {
    json(200, &Envelope::ok(msg, data))
}

/// `{"error": true, "msg": msg, "data": data}` with `status`.
pub fn err(status: u16, msg: &str, data: Value) -> Response {
    json(status, &Envelope::err(msg, data))
}

/// A contract refusal (404 unknown id, 400 cannot cancel) as its envelope.
pub fn refusal(r: Refusal) -> Response {
    err(r.status, &r.msg, r.data)
}

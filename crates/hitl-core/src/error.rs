//! Every way a call can fail, as one value, and the mapping from an HTTP response to it.
//!
//! The mapping lives here (not in the browser code) so that every case is unit-tested natively:
//! HTTP status + the envelope's `msg`/`data`, quota exhaustion with its usage figures, bodies that
//! are not JSON, `error: true` with status 200, and transport failures with no status at all.

use serde_json::{Map, Value};

use crate::lenient::{self, FromJson};

use crate::query::QueryError;

/// Why a call did not give us data.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// The API answered with an error envelope (or a non-2xx status).
    Api {
        status: u16,
        msg: String,
        /// Arbitrary JSON detail: a string, an object or null.
        data: Value,
    },
    /// 429: the key's hourly quota is spent.
    QuotaExceeded {
        msg: String,
        usage_count: Option<u64>,
        usage_limit: Option<u64>,
        remaining: Option<u64>,
        /// Unix seconds when the window resets, from `X-RateLimit-Reset` when exposed.
        reset_at: Option<i64>,
    },
    /// No HTTP status at all: the server could not be reached, or the browser blocked the
    /// response (CORS).
    Network { detail: String },
    /// The server answered but the body is not what the API documents.
    Decode { status: u16, detail: String },
    /// The query was rejected locally with the API's own rule, before spending a call.
    Invalid(QueryError),
    /// Not sent: we know the quota is spent until `reset_at` (unix seconds), from the
    /// rate-limit headers or an earlier 429. Sending would only earn another 429.
    QuotaPaused {
        reset_at: Option<i64>,
        usage_count: Option<u64>,
        usage_limit: Option<u64>,
    },
    /// The call was cancelled by the user or superseded by a newer one.
    Aborted,
}

impl ApiError {
    /// The headline: the API's own `msg` where there is one.
    pub fn title(&self) -> String {
        match self {
            ApiError::Api { msg, status, .. } if msg.is_empty() => {
                format!("The API answered with HTTP {status}")
            }
            ApiError::Api { msg, .. } => msg.clone(),
            ApiError::QuotaExceeded { msg, .. } if msg.is_empty() => {
                "API key request limit exceeded".to_owned()
            }
            ApiError::QuotaExceeded { msg, .. } => msg.clone(),
            ApiError::Network { .. } => "Could not reach the API".to_owned(),
            ApiError::Decode { .. } => {
                "The API sent a response the dashboard cannot read".to_owned()
            }
            ApiError::Invalid(e) => e.msg.to_owned(),
            ApiError::QuotaPaused { .. } => "API key request limit reached".to_owned(),
            ApiError::Aborted => "Cancelled".to_owned(),
        }
    }

    /// The detail line: the envelope's `data` rendered as text, or what we know.
    pub fn detail(&self) -> Option<String> {
        match self {
            ApiError::Api { data, .. } => data_text(data),
            ApiError::QuotaExceeded {
                usage_count,
                usage_limit,
                remaining,
                ..
            } => usage_text(*usage_count, *usage_limit, *remaining),
            ApiError::QuotaPaused {
                usage_count,
                usage_limit,
                ..
            } => usage_text(*usage_count, *usage_limit, Some(0)).map(|u| {
                format!(
                    "{u}. Calls are paused until the quota resets, so none is wasted on a refusal."
                )
            }),
            ApiError::Network { detail } | ApiError::Decode { detail, .. } => {
                Some(detail.clone()).filter(|d| !d.is_empty())
            }
            ApiError::Invalid(e) => Some(e.data.clone()),
            ApiError::Aborted => None,
        }
    }

    /// What the user can do about it.
    pub fn advice(&self) -> &'static str {
        match self {
            ApiError::Api { status: 401, .. } => {
                "Check the API key under Connection: it is missing, mistyped or revoked."
            }
            ApiError::Api { status: 403, .. } => {
                "This key is not allowed to read these requests. Use a key of the account that created them."
            }
            ApiError::Api { status: 404, .. } => {
                "Check the API base URL under Connection; the request may also have been deleted."
            }
            ApiError::Api { status: 400, .. } | ApiError::Invalid(_) => {
                "Change the filters or the page settings to allowed values."
            }
            ApiError::Api { status, .. } if *status >= 500 => {
                "The API had a problem on its side; try Refresh in a minute."
            }
            ApiError::Api { .. } => "Try again; if it persists, check the API base URL.",
            ApiError::QuotaExceeded { .. } | ApiError::QuotaPaused { .. } => {
                "Nothing is lost: what is shown stays. Calls resume by themselves when the quota resets."
            }
            ApiError::Network { .. } => {
                "Check the API base URL and your connection. If the API does not allow this site (CORS), \
                 serve the dashboard behind a same-origin proxy (see the README, \"CORS and proxies\")."
            }
            ApiError::Decode { .. } => {
                "The API base URL may point at something that is not the HITL.sh API, or a proxy rewrote the answer."
            }
            ApiError::Aborted => "",
        }
    }

    /// The headline and the advice for a cancel (`DELETE`) that failed with this error. A
    /// cancel is never retried nor queued, so the generic advice ("calls resume by themselves")
    /// would promise too much; a 400 there means the request is no longer pending, not that a
    /// filter is wrong; and after a network failure or an unreadable answer nobody knows whether
    /// the cancel arrived.
    pub fn cancel_failure(&self) -> (&'static str, &'static str) {
        const NOT: &str = "The request was not cancelled";
        match self {
            ApiError::Api { status: 400, .. } => (
                NOT,
                "It is probably no longer pending (answered, timed out or cancelled elsewhere). \
                 Refresh shows its current status.",
            ),
            ApiError::QuotaExceeded { .. } | ApiError::QuotaPaused { .. } => (
                NOT,
                "A cancel is never sent again by itself: press Cancel request once the quota resets.",
            ),
            ApiError::Network { .. } | ApiError::Decode { .. } => (
                "The request may not have been cancelled",
                "The cancel may or may not have reached the API: Refresh shows the request's status \
                 before you try again.",
            ),
            // A server error is ambiguous: the cancel may have been carried out before it.
            ApiError::Api { status, .. } if *status >= 500 => (
                "The request may not have been cancelled",
                "The API answered with a server error, which does not say whether the cancel was \
                 carried out: Refresh shows the request's status before you try again.",
            ),
            _ => (NOT, self.advice()),
        }
    }

    /// The HTTP status, where the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Api { status, .. } | ApiError::Decode { status, .. } => Some(*status),
            ApiError::QuotaExceeded { .. } => Some(429),
            _ => None,
        }
    }

    /// Worth trying again by itself: server errors and transport failures, never 4xx.
    pub fn is_retryable(&self) -> bool {
        match self {
            ApiError::Api { status, .. } => *status >= 500,
            ApiError::Network { .. } => true,
            ApiError::Decode { status, .. } => *status >= 500,
            _ => false,
        }
    }

    /// Refused for the key's quota (by the API, or by the client while the quota is paused):
    /// worth asking again once the quota resets, not before.
    pub fn is_quota(&self) -> bool {
        matches!(
            self,
            ApiError::QuotaExceeded { .. } | ApiError::QuotaPaused { .. }
        )
    }

    /// Replaces every occurrence of `secret` (the API key) in the texts this error carries, so
    /// that a server echoing the key can never put it on screen.
    pub fn redact(mut self, secret: &str) -> Self {
        if secret.is_empty() {
            return self;
        }
        let scrub = |s: &mut String| {
            if s.contains(secret) {
                *s = s.replace(secret, "•••");
            }
        };
        match &mut self {
            ApiError::Api { msg, data, .. } => {
                scrub(msg);
                let text = data.to_string();
                if text.contains(secret) {
                    *data = crate::json::parse(&text.replace(secret, "•••")).unwrap_or(Value::Null);
                }
            }
            ApiError::QuotaExceeded { msg, .. } => scrub(msg),
            ApiError::Network { detail } | ApiError::Decode { detail, .. } => scrub(detail),
            _ => {}
        }
        self
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.title())?;
        if let Some(detail) = self.detail() {
            write!(f, ": {detail}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

fn usage_text(used: Option<u64>, limit: Option<u64>, remaining: Option<u64>) -> Option<String> {
    let (used, limit) = (used?, limit?);
    let remaining = remaining.unwrap_or(limit.saturating_sub(used));
    Some(format!(
        "{used} of {limit} calls used this hour, {remaining} remaining"
    ))
}

/// An envelope's `data` as one line of text: strings verbatim, null as nothing, the rest as
/// compact JSON.
pub fn data_text(data: &Value) -> Option<String> {
    match data {
        Value::Null => None,
        Value::String(s) if s.is_empty() => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// The 429 body's usage figures; each one that is not a whole count is left out on its own.
#[derive(Default)]
struct QuotaData {
    usage_count: Option<u64>,
    usage_limit: Option<u64>,
    remaining: Option<u64>,
}

impl QuotaData {
    fn read(data: Option<Value>) -> Self {
        let Some(Value::Object(mut m)) = data else {
            return QuotaData::default();
        };
        let mut count = |key: &str| m.remove(key).and_then(lenient::opt_count);
        QuotaData {
            usage_count: count("usage_count"),
            usage_limit: count("usage_limit"),
            remaining: count("remaining"),
        }
    }
}

/// Limits shown of a body we cannot decode: enough to recognise an HTML error page.
const SNIPPET: usize = 120;

fn snippet(body: &str) -> String {
    let trimmed = body.trim();
    let mut cut: String = trimmed.chars().take(SNIPPET).collect();
    if cut.len() < trimmed.len() {
        cut.push('…');
    }
    cut
}

/// Turns one HTTP response into the envelope's `data` decoded as `T`, or the [`ApiError`] it
/// stands for. `reset_at` is the `X-RateLimit-Reset` header, where the browser could read it.
pub fn decode_response<T: FromJson>(
    status: u16,
    body: &str,
    reset_at: Option<i64>,
) -> Result<T, ApiError> {
    let data = envelope_data(status, body, reset_at)?;
    T::from_json(data).map_err(|problem| ApiError::Decode {
        status,
        detail: format!("Unexpected \"data\": {problem}"),
    })
}

/// A body's envelope: `error` (a boolean when present), `msg` (any value, read as text) and
/// `data` (`None` when absent or null). `Err` says why the body is not one: "Not JSON (…)" with
/// the JSON reader's complaint (`json::JsonError`: what and where), or "Not an API envelope (…)".
fn parse_envelope(body: &str) -> Result<(bool, String, Option<Value>), String> {
    let mut m: Map<String, Value> = match crate::json::parse(body) {
        Ok(Value::Object(m)) => m,
        Ok(other) => {
            let kind = lenient::kind(&other);
            return Err(format!("Not an API envelope ({kind} instead of an object)"));
        }
        Err(err) => return Err(format!("Not JSON ({err})")),
    };
    let error = match m.remove("error") {
        None => false,
        Some(Value::Bool(b)) => b,
        Some(other) => {
            let kind = lenient::kind(&other);
            return Err(format!(
                "Not an API envelope (\"error\" is {kind} instead of true or false)"
            ));
        }
    };
    let msg = m.remove("msg").map(lenient::string).unwrap_or_default();
    Ok((error, msg, m.remove("data").and_then(lenient::opt_value)))
}

/// The envelope's `data` of a success, or the [`ApiError`] the response stands for. Not
/// generic, so that each type [`decode_response`] is used with costs only its own decoder.
fn envelope_data(status: u16, body: &str, reset_at: Option<i64>) -> Result<Value, ApiError> {
    let ok_status = (200..300).contains(&status);
    let (error, msg, data) = match parse_envelope(body) {
        Ok(envelope) => envelope,
        Err(err) => {
            return Err(if status == 429 {
                ApiError::QuotaExceeded {
                    msg: String::new(),
                    usage_count: None,
                    usage_limit: None,
                    remaining: None,
                    reset_at,
                }
            } else if ok_status {
                ApiError::Decode {
                    status,
                    detail: if body.trim().is_empty() {
                        "The response body was empty.".to_owned()
                    } else {
                        format!("{err}: {}", snippet(body))
                    },
                }
            } else {
                ApiError::Api {
                    status,
                    msg: String::new(),
                    data: Value::String(snippet(body)),
                }
            })
        }
    };
    if status == 429 {
        let usage = QuotaData::read(data);
        return Err(ApiError::QuotaExceeded {
            msg,
            usage_count: usage.usage_count,
            usage_limit: usage.usage_limit,
            remaining: usage.remaining,
            reset_at,
        });
    }
    if error || !ok_status {
        return Err(ApiError::Api {
            status,
            msg,
            data: data.unwrap_or(Value::Null),
        });
    }
    data.ok_or_else(|| ApiError::Decode {
        status,
        detail: "The response has no \"data\".".to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_cancel_gets_advice_of_its_own() {
        let refused = ApiError::Api {
            status: 400,
            msg: "Request cannot be cancelled".into(),
            data: Value::Null,
        };
        assert!(refused.cancel_failure().1.contains("no longer pending"));
        assert!(refused.advice().contains("filters"));
        let quota = ApiError::QuotaExceeded {
            msg: String::new(),
            usage_count: None,
            usage_limit: None,
            remaining: None,
            reset_at: None,
        };
        // Never "resume by themselves": a cancel is not retried.
        assert!(!quota.cancel_failure().1.contains("by themselves"));
        assert!(quota.cancel_failure().1.contains("once the quota resets"));
        let server = ApiError::Api {
            status: 500,
            msg: String::new(),
            data: Value::Null,
        };
        // A server error does not say whether the cancel was carried out.
        assert_eq!(
            server.cancel_failure().0,
            "The request may not have been cancelled"
        );
        let lost = ApiError::Network {
            detail: String::new(),
        };
        assert_eq!(
            lost.cancel_failure().0,
            "The request may not have been cancelled"
        );
    }

    #[test]
    fn a_cancel_answered_with_a_server_error_may_have_gone_through() {
        let e = |status| ApiError::Api {
            status,
            msg: String::new(),
            data: Value::Null,
        };
        assert_eq!(e(400).cancel_failure().0, "The request was not cancelled");
        assert_eq!(e(404).cancel_failure().0, "The request was not cancelled");
        for status in [500, 502, 503] {
            let (what, advice) = e(status).cancel_failure();
            assert_eq!(what, "The request may not have been cancelled");
            assert!(advice.contains("Refresh"));
        }
    }
}

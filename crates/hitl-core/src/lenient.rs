//! Forgiving field decoders: the API is outside our control, and a surprising value in one field
//! should be shown as-is (or as empty), not fail the response that carries it.
//!
//! Decoding goes in two steps: serde_json parses the body into a [`Value`] (one parser, compiled
//! once), then [`FromJson`] reads each object's fields by hand with the functions below. This is
//! what keeps the decoders small in the wasm: serde's derived `Deserialize` compiles a visitor,
//! a field matcher and a copy of the parser's struct walk for every type and every lenient field
//! helper (docs/PERFORMANCE.md has what that weighed).

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

/// Why a `data` object is not what the API documents, e.g. `"total": expected a whole number,
/// found a string`. Shown to the user after "Unexpected \"data\": ".
pub type Problem = String;

/// A type read from the API's JSON, leniently (see the module docs).
pub trait FromJson: Sized {
    /// Decodes `v`, taking ownership so that strings move instead of being copied.
    fn from_json(v: Value) -> Result<Self, Problem>;
}

/// Implements serde's `Deserialize` through [`FromJson`] (a [`Value`] first), for the tests
/// and the mock server; the app itself calls [`FromJson`] and never compiles these.
macro_rules! deserialize_via_from_json {
    ($($t:ty),+ $(,)?) => {$(
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let v = <Value as serde::Deserialize>::deserialize(d)?;
                <$t as $crate::lenient::FromJson>::from_json(v).map_err(serde::de::Error::custom)
            }
        }
    )+};
}
pub(crate) use deserialize_via_from_json;

/// What kind of JSON value `v` is, for error messages (never the value: it may be large).
pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The fields of an object. `what` names it in the error ("a request").
pub fn object(v: Value, what: &str) -> Result<Map<String, Value>, Problem> {
    match v {
        Value::Object(m) => Ok(m),
        other => Err(format!(
            "expected {what} (an object), found {}",
            kind(&other)
        )),
    }
}

/// Prefixes a field's problem with its name: `"total": …`.
pub fn at(field: &str, problem: Problem) -> Problem {
    format!("\"{field}\": {problem}")
}

/// Any JSON value as text: strings as they are, numbers and booleans printed, null as `None`,
/// arrays and objects as a placeholder.
pub fn string_like_opt(v: Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(crate::format::json_number(&n)),
        Value::Array(_) => Some("[…]".to_owned()),
        Value::Object(_) => Some("{…}".to_owned()),
    }
}

/// A text field: see [`string_like_opt`], with null as the empty string.
pub fn string(v: Value) -> String {
    string_like_opt(v).unwrap_or_default()
}

/// An optional text field; an empty string counts as absent.
pub fn opt_string(v: Value) -> Option<String> {
    string_like_opt(v).filter(|s| !s.is_empty())
}

/// An ISO-8601 timestamp; anything that does not parse is treated as absent.
pub fn opt_time(v: Value) -> Option<DateTime<Utc>> {
    string_like_opt(v).and_then(|s| parse_time(&s))
}

/// Any JSON value except null, which is absent.
pub fn opt_value(v: Value) -> Option<Value> {
    Some(v).filter(|v| !v.is_null())
}

/// Parses an RFC 3339 / ISO-8601 timestamp into UTC.
///
/// Besides RFC 3339 (`2024-03-15T10:30:00Z`, `…+00:00`, `.123` fractions, a space for `T`), the
/// ISO-8601 forms RFC 3339 lacks: no zone at all (`2024-03-15T10:30:00`, read as UTC, since the
/// API's times are UTC) and an offset without its colon (`+0000`) or minutes (`+02`). They are
/// rewritten into RFC 3339 and parsed by the same parser, so every field is still checked and
/// no format-string machinery is pulled into the wasm.
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    DateTime::parse_from_rfc3339(s)
        .ok()
        .or_else(|| {
            // The zone starts after the seconds (`YYYY-MM-DDTHH:MM:SS`, 19 bytes) and fraction.
            let after_seconds = s.get(19..)?;
            let zone_at = 19
                + after_seconds
                    .find(|c: char| c != '.' && !c.is_ascii_digit())
                    .unwrap_or(after_seconds.len());
            let (time, zone) = s.split_at(zone_at);
            let digits = |z: &str| z.bytes().skip(1).all(|b| b.is_ascii_digit());
            let rfc3339 = match zone.len() {
                0 => format!("{time}Z"),
                3 if digits(zone) => format!("{time}{zone}:00"),
                5 if digits(zone) => format!("{time}{}:{}", &zone[..3], &zone[3..]),
                _ => return None,
            };
            DateTime::parse_from_rfc3339(&rfc3339).ok()
        })
        .map(|t| t.with_timezone(&Utc))
}

/// A finite number; numeric strings count, anything else is absent.
pub fn opt_f64(v: Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => crate::json::parse_f64(s.trim()),
        _ => None,
    }
    .filter(|v| v.is_finite())
}

/// A whole, non-negative count: integers, integer-valued floats (`100.0`) and numeric strings
/// (`"100"`) count; anything else (a fraction, a negative, text, a list) is absent. Goes through
/// [`opt_f64`], so counts beyond 2^53 are approximate, which no quota figure reaches.
pub fn opt_count(v: Value) -> Option<u64> {
    opt_f64(v)
        .filter(|v| *v >= 0.0 && v.fract() == 0.0 && *v <= u64::MAX as f64)
        .map(|v| v as u64)
}

/// A page-level count: null means 0; anything but a whole non-negative integer is a problem
/// (such a page is not one to trust).
pub fn count(v: Value) -> Result<u64, Problem> {
    match v {
        Value::Null => Ok(0),
        other => other
            .as_u64()
            .ok_or_else(|| format!("expected a whole number, found {}", kind(&other))),
    }
}

/// A flag: null means false; anything but a boolean is a problem.
pub fn flag(v: Value) -> Result<bool, Problem> {
    match v {
        Value::Null => Ok(false),
        Value::Bool(b) => Ok(b),
        other => Err(format!("expected true or false, found {}", kind(&other))),
    }
}

/// An object-valued field: null means the type's default.
pub fn or_default<T: FromJson + Default>(v: Value) -> Result<T, Problem> {
    if v.is_null() {
        Ok(T::default())
    } else {
        T::from_json(v)
    }
}

/// A list of `T`: null means empty; anything but an array, or an element that does not decode,
/// is a problem (naming the element's index).
pub fn list<T: FromJson>(v: Value) -> Result<Vec<T>, Problem> {
    match v {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => {
            // A plain loop: collecting into a `Result` compiles an iterator adapter per `T`.
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                out.push(T::from_json(item).map_err(|p| format!("[{i}]: {p}"))?);
            }
            Ok(out)
        }
        other => Err(format!("expected a list, found {}", kind(&other))),
    }
}

//! Forgiving field decoders: the API is outside our control, and a surprising value in one field
//! should be shown as-is (or as empty), not fail the response that carries it.

use chrono::{DateTime, Utc};
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::fmt;

/// A field whose `null` means what its absence means: the type's default (an empty list, 0,
/// false, an empty struct). Any other value decodes as `T` does. One generic helper, used on a
/// handful of page-level types only, to keep the wasm small.
pub fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Option::<T>::deserialize(d).map(Option::unwrap_or_default)
}

/// Which shape of value the field wanted; only used for the visitor's error text.
struct StringLike;

impl<'de> Visitor<'de> for StringLike {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(StringLike)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Some("[…]".to_owned()))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Some("{…}".to_owned()))
    }
}

/// Any JSON value as text: strings as they are, numbers and booleans printed, null as `None`,
/// arrays and objects as a placeholder.
pub fn string_like_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    d.deserialize_any(StringLike)
}

/// Like [`string_like_opt`], with null as the empty string.
pub fn string_like<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    string_like_opt(d).map(Option::unwrap_or_default)
}

/// A text field: see [`string_like`].
pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    string_like(d)
}

/// An optional text field; an empty string counts as absent.
pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    string_like_opt(d).map(|s| s.filter(|s| !s.is_empty()))
}

/// An ISO-8601 timestamp; anything that does not parse is treated as absent.
pub fn opt_time<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    Ok(string_like_opt(d)?.and_then(|s| parse_time(&s)))
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

struct NumberLike;

impl<'de> Visitor<'de> for NumberLike {
    type Value = Option<f64>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v as f64))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v).filter(|v| v.is_finite()))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.trim().parse::<f64>().ok().filter(|v| v.is_finite()))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(NumberLike)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

/// A finite number; numeric strings count, anything else is absent.
pub fn opt_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    d.deserialize_any(NumberLike)
}

/// A whole, non-negative count: integers, integer-valued floats (`100.0`) and numeric strings
/// (`"100"`) count; anything else (a fraction, a negative, text, a list) is absent. Goes through
/// [`opt_f64`], so counts beyond 2^53 are approximate, which no quota figure reaches.
pub fn opt_count<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    Ok(opt_f64(d)?
        .filter(|v| *v >= 0.0 && v.fract() == 0.0 && *v <= u64::MAX as f64)
        .map(|v| v as u64))
}

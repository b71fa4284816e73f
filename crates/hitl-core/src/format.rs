//! Text for people: durations the way the vendor's examples write them, relative times,
//! thousands separators, and timestamps in a given UTC offset.

use chrono::{DateTime, Datelike, Duration, FixedOffset, Timelike, Utc};
use serde_json::Number;

/// Formats seconds the way the vendor's `format_duration` does: under a minute "45 seconds",
/// under an hour "12 minutes", otherwise "2h 5m". Whole units are truncated, as in the seed.
/// (The seed writes "1 seconds"/"1 minutes"; we use the singular for exactly one.)
pub fn format_duration(seconds: f64) -> String {
    let seconds = if seconds.is_finite() {
        seconds.max(0.0)
    } else {
        0.0
    };
    if seconds < 60.0 {
        plural(seconds as u64, "second")
    } else if seconds < 3600.0 {
        plural((seconds / 60.0) as u64, "minute")
    } else {
        let whole = seconds as u64;
        format!("{}h {}m", whole / 3600, (whole % 3600) / 60)
    }
}

fn plural(n: u64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

/// A compact duration for tight spaces: "45s", "12m", "2h 5m", "3d 4h".
pub fn format_duration_short(seconds: f64) -> String {
    let s = if seconds.is_finite() {
        seconds.max(0.0) as u64
    } else {
        0
    };
    match s {
        0..=59 => format!("{s}s"),
        60..=3599 => format!("{}m", s / 60),
        3600..=86_399 => format!("{}h {}m", s / 3600, (s % 3600) / 60),
        _ => format!("{}d {}h", s / 86_400, (s % 86_400) / 3600),
    }
}

/// "3 min ago", "in 2 h", "just now": `then` relative to `now`.
pub fn relative(then: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let delta = now.signed_duration_since(then);
    let future = delta < Duration::zero();
    let secs = delta.num_seconds().unsigned_abs();
    if secs < 45 {
        return if future { "in a moment" } else { "just now" }.to_owned();
    }
    let amount = match secs {
        0..=3_599 => format!("{} min", (secs + 30) / 60),
        3_600..=86_399 => format!("{} h", (secs + 1_800) / 3_600),
        86_400..=2_591_999 => format!("{} d", (secs + 43_200) / 86_400),
        _ => format!("{} mo", secs / 2_592_000),
    };
    if future {
        format!("in {amount}")
    } else {
        format!("{amount} ago")
    }
}

/// 1234567 → "1,234,567".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `n` with its noun in the right number: "1 call", "2 calls", "1,204 requests".
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// `x` with at most one decimal: 238.84 → "238.8", 3.0 → "3", −0.44 → "-0.4" (chart labels,
/// exact response times). Printed from whole tenths with integer formatting, like [`percent`].
pub fn one_decimal(x: f64) -> String {
    let tenths = (x * 10.0).round() as i64;
    let sign = if tenths < 0 { "-" } else { "" };
    let t = tenths.unsigned_abs();
    if t.is_multiple_of(10) {
        format!("{sign}{}", t / 10)
    } else {
        format!("{sign}{}.{}", t / 10, t % 10)
    }
}

/// A share as a percentage with at most one decimal: 0.1234 → "12.3%", 1.0 → "100%".
///
/// Printed from whole tenths with integer formatting: float formatting would add its tables
/// to the wasm. (Exact for any share below 10^14, far beyond the [0, 1] of real shares.)
pub fn percent(share: f64) -> String {
    if !share.is_finite() {
        return "—".to_owned();
    }
    let tenths = (share * 1000.0).round();
    // `-0.0` prints as "-0", as float formatting does.
    let sign = if tenths.is_sign_negative() { "-" } else { "" };
    let t = tenths.abs() as u64;
    if t.is_multiple_of(10) {
        format!("{sign}{}%", t / 10)
    } else {
        format!("{sign}{}.{}%", t / 10, t % 10)
    }
}

/// A zone times are shown in: its offset east of UTC, in minutes, at each instant. A fixed
/// offset (`i32`; 0 is UTC) is one; a zone with daylight saving has one offset in summer and
/// another in winter, so a time is shown with the offset of its own instant, not today's.
pub trait Zone {
    fn offset_at(&self, t: DateTime<Utc>) -> i32;
}

impl Zone for i32 {
    fn offset_at(&self, _: DateTime<Utc>) -> i32 {
        *self
    }
}

/// `t` in `zone` with the offset of that instant, as "2024-03-15 10:45 UTC+01:00".
pub fn stamp(t: DateTime<Utc>, zone: &impl Zone) -> String {
    let offset = zone.offset_at(t);
    format!("{} {}", local_datetime(t, offset), zone_label(offset))
}

/// The zone label for an offset in minutes east of UTC: "UTC", "UTC+01:00", "UTC−05:30".
pub fn zone_label(offset_minutes: i32) -> String {
    if offset_minutes == 0 {
        return "UTC".to_owned();
    }
    let sign = if offset_minutes > 0 { '+' } else { '−' };
    let m = offset_minutes.unsigned_abs();
    format!("UTC{sign}{:02}:{:02}", m / 60, m % 60)
}

/// `t` in the zone `offset_minutes` east of UTC, as "2024-03-15 10:45".
pub fn local_datetime(t: DateTime<Utc>, offset_minutes: i32) -> String {
    let offset = FixedOffset::east_opt(offset_minutes * 60)
        .unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero offset is valid"));
    let l = t.with_timezone(&offset);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        l.year(),
        l.month(),
        l.day(),
        l.hour(),
        l.minute()
    )
}

/// Shortens `text` to at most `max` characters (not bytes), adding "…" when cut, on one line.
pub fn one_line(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max * 4));
    let mut chars = 0;
    let mut last_space = false;
    for c in text.chars() {
        let c = if c.is_whitespace() { ' ' } else { c };
        if c == ' ' && last_space {
            continue;
        }
        last_space = c == ' ';
        if chars == max {
            out.truncate(out.trim_end().len());
            out.push('…');
            return out;
        }
        out.push(c);
        chars += 1;
    }
    out
}

/// A JSON number as text: an integer exactly as sent (no detour through `f64`, which would turn
/// 9007199254740993 into …992); any other number in serde_json's shortest form, without an
/// integral value's trailing ".0" (`3.0` reads `3`, `1e300` reads `1e+300`). Not `f64`'s
/// `Display`: core's float formatting would add its tables to the wasm for this.
pub fn json_number(n: &Number) -> String {
    let text = n.to_string();
    match text.strip_suffix(".0") {
        Some(integral) => integral.to_owned(),
        None => text,
    }
}

/// A finite `x` as Rust's `{}` prints it — the shortest digits that read back as `x`, in plain
/// decimal notation (`3`, `0.25`, `-0`, `1e21` as `1` and 21 zeros) — but through zmij, the
/// shortest-digits printer serde_json already links, and not core's float `Display`, which
/// would add its tables to the wasm for the CSV's one number column. The one difference: when
/// two shortest candidates are exactly as near `x`, the two printers may pick different ones
/// (both read back as `x`; e.g. 231464110659834.125 prints as …834.12 here, …834.13 there).
pub fn decimal(x: f64) -> String {
    let mut buffer = zmij::Buffer::new();
    let printed = buffer.format_finite(x);
    let (sign, printed) = match printed.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", printed),
    };
    let (mantissa, exp) = match printed.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i64>().unwrap_or(0)),
        None => (printed, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    // The significant digits, and how many of them come before the decimal point.
    let all = format!("{int}{frac}");
    let lead = all.len() - all.trim_start_matches('0').len();
    let digits = all.trim_matches('0');
    let point = int.len() as i64 + exp - lead as i64;
    let mut out = String::from(sign);
    if digits.is_empty() {
        out.push('0');
    } else if point <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', point.unsigned_abs() as usize));
        out.push_str(digits);
    } else if point as usize >= digits.len() {
        out.push_str(digits);
        out.extend(std::iter::repeat_n('0', point as usize - digits.len()));
    } else {
        let (a, b) = digits.split_at(point as usize);
        out.push_str(a);
        out.push('.');
        out.push_str(b);
    }
    out
}

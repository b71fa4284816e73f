//! Text formatting against the seed's rules.

use chrono::{Duration, TimeZone, Utc};
use hitl_core::format::*;
use hitl_core::response::ResponseValue;
use hitl_core::ResponseType;
use serde_json::json;

#[test]
fn durations_follow_the_seeds_thresholds() {
    assert_eq!(format_duration(0.0), "0 seconds");
    assert_eq!(format_duration(1.0), "1 second");
    assert_eq!(format_duration(45.9), "45 seconds");
    assert_eq!(format_duration(59.0), "59 seconds");
    assert_eq!(format_duration(59.999), "59 seconds");
    assert_eq!(format_duration(60.0), "1 minute");
    assert_eq!(format_duration(900.5), "15 minutes");
    assert_eq!(format_duration(3599.0), "59 minutes");
    assert_eq!(format_duration(3600.0), "1h 0m");
    assert_eq!(format_duration(7500.0), "2h 5m");
    assert_eq!(format_duration(90_061.0), "25h 1m");
    assert_eq!(format_duration(-3.0), "0 seconds");
    assert_eq!(format_duration(f64::NAN), "0 seconds");
}

#[test]
fn short_durations() {
    assert_eq!(format_duration_short(59.0), "59s");
    assert_eq!(format_duration_short(60.0), "1m");
    assert_eq!(format_duration_short(3600.0), "1h 0m");
    assert_eq!(format_duration_short(90_000.0), "1d 1h");
}

#[test]
fn relative_times() {
    let now = Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap();
    assert_eq!(relative(now - Duration::seconds(10), now), "just now");
    assert_eq!(relative(now - Duration::minutes(3), now), "3 min ago");
    assert_eq!(relative(now - Duration::hours(5), now), "5 h ago");
    assert_eq!(relative(now - Duration::days(2), now), "2 d ago");
    assert_eq!(relative(now + Duration::minutes(12), now), "in 12 min");
    assert_eq!(relative(now - Duration::days(65), now), "2 mo ago");
}

#[test]
fn numbers_and_shares() {
    assert_eq!(thousands(0), "0");
    assert_eq!(thousands(999), "999");
    assert_eq!(thousands(1_000), "1,000");
    assert_eq!(thousands(1_234_567), "1,234,567");
    assert_eq!(percent(0.1234), "12.3%");
    assert_eq!(percent(1.0), "100%");
    assert_eq!(percent(0.0), "0%");
    assert_eq!(percent(f64::NAN), "—");
}

#[test]
fn zones_and_local_times() {
    let t = Utc.with_ymd_and_hms(2024, 3, 15, 23, 30, 0).unwrap();
    assert_eq!(zone_label(0), "UTC");
    assert_eq!(zone_label(60), "UTC+01:00");
    assert_eq!(zone_label(-330), "UTC−05:30");
    assert_eq!(local_datetime(t, 0), "2024-03-15 23:30");
    assert_eq!(local_datetime(t, 60), "2024-03-16 00:30");
    assert_eq!(local_datetime(t, -300), "2024-03-15 18:30");
}

#[test]
fn one_line_shortens_by_characters() {
    assert_eq!(one_line("a\n\nb   c", 10), "a b c");
    assert_eq!(one_line("héllo wörld", 5), "héllo…");
    assert_eq!(one_line("abc", 3), "abc");
    assert_eq!(one_line("ab cd", 3), "ab…");
}

#[test]
fn response_values_by_type() {
    let cases = [
        (
            ResponseType::SingleSelect,
            json!("Approve"),
            "Approve",
            "choice",
        ),
        (
            ResponseType::MultiSelect,
            json!(["A", "B"]),
            "A, B",
            "choices",
        ),
        (
            ResponseType::MultiSelect,
            json!([]),
            "(none selected)",
            "choices",
        ),
        (ResponseType::Rating, json!(4), "★ 4", "rating"),
        (ResponseType::Number, json!(12.5), "12.5", "number"),
        (ResponseType::Boolean, json!(true), "Yes", "yesno"),
        (ResponseType::Boolean, json!(false), "No", "yesno"),
        (
            ResponseType::Text,
            json!("Looks fine"),
            "Looks fine",
            "text",
        ),
        (
            ResponseType::Rating,
            json!({"stars": 4}),
            r#"{"stars":4}"#,
            "json",
        ),
        (
            ResponseType::MultiSelect,
            json!([1, "x"]),
            r#"[1,"x"]"#,
            "json",
        ),
        (
            ResponseType::Other("slider".into()),
            json!(3),
            "3",
            "number",
        ),
    ];
    for (rt, data, shown, kind) in cases {
        let v = ResponseValue::interpret(&rt, Some(&data));
        assert_eq!(v.display(), shown, "{rt:?} {data}");
        assert_eq!(v.kind(), kind, "{rt:?} {data}");
    }
    assert_eq!(
        ResponseValue::interpret(&ResponseType::Text, None),
        ResponseValue::None
    );
    assert_eq!(
        ResponseValue::interpret(&ResponseType::Text, Some(&json!(null))),
        ResponseValue::None
    );
}

/// The integer printing says what float formatting (the earlier implementation) said.
#[test]
fn percent_matches_float_formatting() {
    let float = |share: f64| {
        let p = (share * 1000.0).round() / 10.0;
        if p.fract() == 0.0 {
            format!("{p:.0}%")
        } else {
            format!("{p:.1}%")
        }
    };
    let mut shares = vec![
        0.0, -0.0, -0.0001, 0.00049, 0.0005, 0.9995, 1.0, 12.3456, 1e9,
    ];
    // Every tenth of a percent from -100 % to 1000 %, and values in between.
    shares.extend((-1_000..=10_000).map(|i| f64::from(i) / 1000.0));
    shares.extend((0..10_000).map(|i| f64::from(i) / 7777.0));
    for s in shares {
        assert_eq!(percent(s), float(s), "share {s}");
    }
}

#[test]
fn large_integer_answers_are_shown_exactly() {
    let big: serde_json::Value = serde_json::from_str("9007199254740993").unwrap();
    for rt in [
        ResponseType::Number,
        ResponseType::Rating,
        ResponseType::Text,
    ] {
        let shown = ResponseValue::interpret(&rt, Some(&big)).display();
        assert!(shown.ends_with("9007199254740993"), "{rt:?}: {shown}");
    }
    let cases = [
        ("18446744073709551615", "18446744073709551615"),
        ("-9223372036854775808", "-9223372036854775808"),
        ("1000000000000000", "1000000000000000"),
        ("42", "42"),
        ("-7", "-7"),
        // Floats keep their formatting: no ".0", shortest form.
        ("3.0", "3"),
        ("4.5", "4.5"),
        ("-0.25", "-0.25"),
        ("1e300", "1e+300"),
        ("1.5e-7", "1.5e-7"),
    ];
    for (json, shown) in cases {
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        let value = ResponseValue::interpret(&ResponseType::Number, Some(&v));
        assert_eq!(value.display(), shown, "{json}");
        assert_eq!(value.kind(), "number");
    }
}

#[test]
fn decimal_prints_what_display_prints() {
    for x in [
        0.0,
        -0.0,
        1.0,
        3.0,
        -3.0,
        0.5,
        12.25,
        0.1,
        1e-7,
        1.5e-300,
        5e-324,
        1e15,
        1e16,
        1e21,
        1.7976931348623157e308,
        123456789.125,
        86400.0,
        0.000_001_5,
    ] {
        assert_eq!(decimal(x), format!("{x}"), "{x:e}");
    }
    // A tie: 231464110659834.125 is exactly halfway; both neighbours read back as it.
    let tie = f64::from_bits(4_821_754_853_200_174_916);
    assert_eq!(tie * 8.0, 1_851_712_885_278_673.0); // exactly …834.125
    assert_eq!(decimal(tie), "231464110659834.12");
    assert_eq!(format!("{tie}"), "231464110659834.13");
}

/// The same number, written the same way: plain decimal notation, and the shortest digits that
/// read back as `x`. Where two candidates of that length are equally near `x` (a tie: the exact
/// binary value lies halfway between them), zmij and core may pick different neighbours, so
/// only the last digit may differ.
fn same_as_display(x: f64) -> Result<(), proptest::prelude::TestCaseError> {
    let (ours, core) = (decimal(x), format!("{x}"));
    proptest::prop_assert_eq!(
        ours.parse::<f64>().unwrap().to_bits(),
        x.to_bits(),
        "{} reads back",
        ours
    );
    proptest::prop_assert_eq!(ours.len(), core.len(), "{} vs {}", ours, core);
    proptest::prop_assert_eq!(&ours[..ours.len() - 1], &core[..core.len() - 1]);
    Ok(())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]

    #[test]
    fn decimal_matches_display_for_any_finite_float(bits in proptest::prelude::any::<u64>()) {
        let x = f64::from_bits(bits);
        if x.is_finite() {
            same_as_display(x)?;
        }
    }

    #[test]
    fn decimal_matches_display_for_response_times(t in 0.0f64..1e7) {
        same_as_display(t)?;
    }

    #[test]
    fn decimal_matches_display_for_short_decimals(hundredths in 0u64..100_000_000) {
        let t = hundredths as f64 / 100.0;
        proptest::prop_assert_eq!(decimal(t), format!("{t}"));
    }
}

/// A zone with daylight saving: UTC+01:00 in winter, UTC+02:00 from 29 March 2026 01:00 UTC.
struct Paris;

impl Zone for Paris {
    fn offset_at(&self, t: chrono::DateTime<Utc>) -> i32 {
        if t < Utc.with_ymd_and_hms(2026, 3, 29, 1, 0, 0).unwrap() {
            60
        } else {
            120
        }
    }
}

#[test]
fn a_stamp_carries_the_offset_of_its_own_instant() {
    let winter = Utc.with_ymd_and_hms(2026, 3, 28, 12, 5, 0).unwrap();
    let summer = Utc.with_ymd_and_hms(2026, 3, 30, 12, 5, 0).unwrap();
    assert_eq!(stamp(winter, &Paris), "2026-03-28 13:05 UTC+01:00");
    assert_eq!(stamp(summer, &Paris), "2026-03-30 14:05 UTC+02:00");
    assert_eq!(stamp(summer, &0), "2026-03-30 12:05 UTC");
    assert_eq!(stamp(summer, &-330), "2026-03-30 06:35 UTC−05:30");
}

#[test]
fn one_decimal_keeps_at_most_one_digit_after_the_point() {
    assert_eq!(one_decimal(238.84), "238.8");
    assert_eq!(one_decimal(3.0), "3");
    assert_eq!(one_decimal(2.96), "3");
    assert_eq!(one_decimal(-0.44), "-0.4");
    assert_eq!(one_decimal(-0.04), "0");
    assert_eq!(one_decimal(0.05), "0.1");
    assert_eq!(one_decimal(86_400.25), "86400.3");
}

#[test]
fn count_says_one_or_many() {
    assert_eq!(count(1, "call", "calls"), "1 call");
    assert_eq!(count(0, "call", "calls"), "0 calls");
    assert_eq!(count(1204, "request", "requests"), "1,204 requests");
}

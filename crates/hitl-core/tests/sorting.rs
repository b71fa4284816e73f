//! Client-side column sorting: every column both ways, missing values last both ways,
//! stability, the header click cycle and `aria-sort`.

use chrono::{DateTime, TimeZone, Utc};
use hitl_core::sorting::*;
use hitl_core::{ContentType, HitlRequest, Priority, ResponseType, Status};
use proptest::prelude::*;
use serde_json::{json, Value};

fn t(h: u32) -> Option<DateTime<Utc>> {
    Some(Utc.with_ymd_and_hms(2026, 11, 28, h, 0, 0).unwrap())
}

#[allow(clippy::too_many_arguments)]
fn row(
    created: Option<DateTime<Utc>>,
    status: Status,
    priority: Priority,
    content_type: ContentType,
    text: &str,
    response: Option<(ResponseType, Value)>,
    response_time: Option<f64>,
    reviewer: Option<&str>,
    loop_id: &str,
    timeout: Option<DateTime<Utc>>,
) -> HitlRequest {
    let (response_type, response_data) = match response {
        Some((rt, v)) => (rt, Some(v)),
        None => (ResponseType::Text, None),
    };
    HitlRequest {
        created_at: created,
        status,
        priority,
        content_type,
        request_text: text.to_owned(),
        response_type,
        response_data,
        response_time_seconds: response_time,
        response_by: reviewer.map(str::to_owned),
        loop_id: loop_id.to_owned(),
        timeout_at: timeout,
        ..Default::default()
    }
}

/// Six rows with ties, case differences and gaps in every column.
fn table() -> Vec<HitlRequest> {
    use ContentType::*;
    vec![
        row(
            t(10),
            Status::Completed,
            Priority::High,
            Markdown,
            "banana",
            Some((ResponseType::SingleSelect, json!("Approve"))),
            Some(120.0),
            Some("u2"),
            "loopB",
            t(12),
        ),
        row(
            t(9),
            Status::Pending,
            Priority::Low,
            Image,
            "Apple",
            None,
            None,
            None,
            "loopA",
            t(11),
        ),
        row(
            None,
            Status::Timeout,
            Priority::Critical,
            Markdown,
            "cherry",
            Some((ResponseType::Boolean, json!(false))),
            None,
            None,
            "",
            None,
        ),
        row(
            t(11),
            Status::Cancelled,
            Priority::Medium,
            ContentType::Other(String::new()),
            "",
            None,
            None,
            None,
            "loopA",
            t(13),
        ),
        row(
            t(10),
            Status::Completed,
            Priority::High,
            Markdown,
            "apple",
            Some((ResponseType::Rating, json!(4))),
            Some(30.0),
            Some("U1"),
            "loopB",
            t(12),
        ),
        row(
            t(8),
            Status::from_wire("archived"),
            Priority::Other(String::new()),
            Image,
            "Banana",
            Some((ResponseType::MultiSelect, json!(["x"]))),
            Some(7200.0),
            Some("u1"),
            "loopC",
            None,
        ),
    ]
}

#[test]
fn every_column_both_directions_with_missing_values_last() {
    let rows = table();
    let cases: [(Column, [u32; 6], [u32; 6]); 10] = [
        // Created: 8, 9, 10, 10, 11, missing. Equal 10:00 rows keep input order both ways.
        (Column::Created, [5, 1, 0, 4, 3, 2], [3, 0, 4, 1, 5, 2]),
        // Pending, completed ×2, timeout, cancelled, then undocumented.
        (Column::Status, [1, 0, 4, 2, 3, 5], [5, 3, 2, 0, 4, 1]),
        // Ascending is low → critical; the empty priority is missing.
        (Column::Priority, [1, 3, 0, 4, 2, 5], [2, 0, 4, 3, 1, 5]),
        // image < markdown; the empty type is missing.
        (Column::Type, [1, 5, 0, 2, 4, 3], [0, 2, 4, 1, 5, 3]),
        // Case-insensitive: Apple = apple < banana = Banana < cherry; empty text missing.
        (Column::Request, [1, 4, 0, 5, 2, 3], [2, 0, 5, 1, 4, 3]),
        // Numbers (rating 4) < yes/no (false) < text ("approve" < "x"); no answer missing.
        (Column::Response, [4, 2, 0, 5, 1, 3], [5, 0, 2, 4, 1, 3]),
        // 30 < 120 < 7200 numerically (as text "7200" < "30" would be wrong).
        (Column::ResponseTime, [4, 0, 5, 1, 2, 3], [5, 0, 4, 1, 2, 3]),
        // U1 = u1 < u2, case-insensitively.
        (Column::Reviewer, [4, 5, 0, 1, 2, 3], [0, 4, 5, 1, 2, 3]),
        (Column::Loop, [1, 3, 0, 4, 5, 2], [5, 0, 4, 1, 3, 2]),
        (Column::Timeout, [1, 0, 4, 3, 2, 5], [3, 0, 4, 1, 2, 5]),
    ];
    for (column, asc, desc) in cases {
        assert_eq!(
            sort_permutation(&rows, column, Direction::Asc),
            asc,
            "{column:?} ascending"
        );
        assert_eq!(
            sort_permutation(&rows, column, Direction::Desc),
            desc,
            "{column:?} descending"
        );
    }
}

#[test]
fn response_times_sort_as_numbers_not_text() {
    let rows: Vec<HitlRequest> = [9.5, 100.0, 20.0, 1e6, 0.0]
        .iter()
        .map(|&s| HitlRequest {
            response_time_seconds: Some(s),
            ..Default::default()
        })
        .collect();
    assert_eq!(
        sort_permutation(&rows, Column::ResponseTime, Direction::Asc),
        [4, 0, 2, 1, 3]
    );
}

#[test]
fn equal_keys_keep_input_order() {
    let rows: Vec<HitlRequest> = (0..50)
        .map(|i| HitlRequest {
            id: i.to_string(),
            priority: Priority::High,
            status: Status::Pending,
            created_at: t(10),
            ..Default::default()
        })
        .collect();
    let identity: Vec<u32> = (0..50).collect();
    for column in [
        Column::Priority,
        Column::Status,
        Column::Created,
        Column::Request,
    ] {
        for direction in [Direction::Asc, Direction::Desc] {
            assert_eq!(
                sort_permutation(&rows, column, direction),
                identity,
                "{column:?} {direction:?}"
            );
        }
    }
    assert!(sort_permutation::<HitlRequest>(&[], Column::Created, Direction::Asc).is_empty());
}

#[test]
fn permutation_by_key_for_view_derived_keys() {
    let keys = vec![Some("b"), None, Some("a"), Some("b"), None];
    assert_eq!(
        permutation_by_key(keys.clone(), Direction::Asc),
        [2, 0, 3, 1, 4]
    );
    assert_eq!(permutation_by_key(keys, Direction::Desc), [0, 3, 2, 1, 4]);
}

#[test]
fn click_cycle_and_aria_values() {
    let asc = |column| SortState {
        column,
        direction: Direction::Asc,
    };
    let desc = |column| SortState {
        column,
        direction: Direction::Desc,
    };
    let s0 = None;
    let s1 = SortState::click(s0, Column::Created);
    assert_eq!(s1, Some(asc(Column::Created)));
    let s2 = SortState::click(s1, Column::Created);
    assert_eq!(s2, Some(desc(Column::Created)));
    let s3 = SortState::click(s2, Column::Created);
    assert_eq!(s3, None);
    // Another column starts again at ascending, from either direction.
    assert_eq!(
        SortState::click(s1, Column::Priority),
        Some(asc(Column::Priority))
    );
    assert_eq!(
        SortState::click(s2, Column::Priority),
        Some(asc(Column::Priority))
    );

    assert_eq!(aria_sort(s0, Column::Created), "none");
    assert_eq!(aria_sort(s1, Column::Created), "ascending");
    assert_eq!(aria_sort(s2, Column::Created), "descending");
    assert_eq!(aria_sort(s1, Column::Status), "none");
    assert_eq!(asc(Column::Loop).aria_sort(), "ascending");
    assert_eq!(desc(Column::Loop).aria_sort(), "descending");
}

#[test]
fn columns_have_labels_and_stable_keys() {
    let labels: Vec<&str> = Column::ALL.iter().map(|c| c.label()).collect();
    assert_eq!(
        labels,
        [
            "Created",
            "Status",
            "Priority",
            "Type",
            "Request",
            "Response",
            "Response time",
            "Reviewer",
            "Loop",
            "Timeout"
        ]
    );
    for c in Column::ALL {
        assert_eq!(Column::parse(c.key()), Some(c));
    }
    assert_eq!(Column::parse("nope"), None);
}

fn priority_strategy() -> impl Strategy<Value = Priority> {
    prop_oneof![
        Just(Priority::Low),
        Just(Priority::Medium),
        Just(Priority::High),
        Just(Priority::Critical),
        Just(Priority::Other(String::new())),
    ]
}

proptest! {
    #[test]
    fn sorted_by_priority_is_a_stable_permutation_with_gaps_last(
        priorities in prop::collection::vec(priority_strategy(), 0..120),
        descending in any::<bool>(),
    ) {
        let rows: Vec<HitlRequest> = priorities
            .into_iter()
            .map(|priority| HitlRequest { priority, ..Default::default() })
            .collect();
        let direction = if descending { Direction::Desc } else { Direction::Asc };
        let perm = sort_permutation(&rows, Column::Priority, direction);
        let mut seen = perm.clone();
        seen.sort_unstable();
        prop_assert_eq!(seen, (0..rows.len() as u32).collect::<Vec<_>>());
        // Key per shown row: None (missing) sorts after every rank in both directions.
        let key = |i: u32| match &rows[i as usize].priority {
            Priority::Other(_) => None,
            p => Some(p.rank()),
        };
        for w in perm.windows(2) {
            let (a, b) = (key(w[0]), key(w[1]));
            match (a, b) {
                (None, Some(_)) => prop_assert!(false, "missing before present"),
                (Some(_), None) => {}
                (Some(x), Some(y)) if x != y => {
                    let in_order = if descending { x > y } else { x < y };
                    prop_assert!(in_order);
                }
                // Equal keys (or both missing): input order kept.
                _ => prop_assert!(w[0] < w[1]),
            }
        }
    }
}

#[test]
fn undocumented_statuses_and_priorities_sort_by_name_in_their_place() {
    let rows: Vec<HitlRequest> = [
        ("zeta", "urgent"),
        ("pending", "low"),
        ("alpha", "asap"),
        ("", ""),
        ("cancelled", "critical"),
        ("alpha", "urgent"),
    ]
    .iter()
    .map(|(s, p)| HitlRequest {
        status: Status::from_wire(s),
        priority: Priority::from_wire(p),
        ..Default::default()
    })
    .collect();
    // Documented statuses first, then undocumented by name; the empty status last.
    assert_eq!(
        sort_permutation(&rows, Column::Status, Direction::Asc),
        [1, 4, 2, 5, 0, 3]
    );
    assert_eq!(
        sort_permutation(&rows, Column::Status, Direction::Desc),
        [0, 2, 5, 4, 1, 3]
    );
    // Undocumented priorities rank below low (by name), as the server's priority_desc does.
    assert_eq!(
        sort_permutation(&rows, Column::Priority, Direction::Asc),
        [2, 0, 5, 1, 4, 3]
    );
    assert_eq!(
        sort_permutation(&rows, Column::Priority, Direction::Desc),
        [4, 1, 0, 5, 2, 3]
    );
}

#[test]
fn reviewer_and_loop_sort_by_the_names_shown_not_the_hidden_ids() {
    use std::collections::HashMap;
    let r = |reviewer: Option<&str>, loop_id: &str| {
        row(
            None,
            Status::Completed,
            Priority::Low,
            ContentType::Markdown,
            "",
            None,
            None,
            reviewer,
            loop_id,
            None,
        )
    };
    // Ids in one order, names in the opposite one; "u9" has no known email and shows its id.
    let rows = vec![
        r(Some("u1"), "l1"),
        r(Some("u2"), "l2"),
        r(None, "l3"),
        r(Some("u9"), "l9"),
    ];
    let users: HashMap<String, String> = [("u1", "zoe@example.com"), ("u2", "adam@example.com")]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .into();
    let loops: HashMap<String, String> =
        [("l1", "Zebra loop"), ("l2", "Alpha loop"), ("l3", "Middle")]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .into();
    let by = |column, direction| sort_permutation_named(&rows, column, direction, &loops, &users);
    // adam < u9 < zoe; no reviewer last, both ways.
    assert_eq!(by(Column::Reviewer, Direction::Asc), vec![1, 3, 0, 2]);
    assert_eq!(by(Column::Reviewer, Direction::Desc), vec![0, 3, 1, 2]);
    // Alpha < l9 < Middle < Zebra (case-folded).
    assert_eq!(by(Column::Loop, Direction::Asc), vec![1, 3, 2, 0]);
    // Without names it is the ids, as before; other columns are sort_permutation's.
    let none = HashMap::new();
    assert_eq!(
        sort_permutation_named(&rows, Column::Loop, Direction::Asc, &none, &none),
        vec![0, 1, 2, 3]
    );
    assert_eq!(
        by(Column::Created, Direction::Asc),
        sort_permutation(&rows, Column::Created, Direction::Asc)
    );
}

proptest! {
    /// `sort_stable` (one compiled index sort for every caller) orders exactly as the standard
    /// library's stable sort: equal keys keep their input order.
    #[test]
    fn sort_stable_matches_the_standard_stable_sort(
        items in prop::collection::vec((0u8..6, any::<u16>()), 0..200),
    ) {
        let mut ours = items.clone();
        sort_stable(&mut ours, &|a, b| a.0.cmp(&b.0));
        let mut std_sorted = items;
        std_sorted.sort_by_key(|a| a.0);
        prop_assert_eq!(ours, std_sorted);
    }
}

#[test]
fn fold_case_is_to_lowercase_for_latin_greek_and_cyrillic() {
    use hitl_core::sorting::fold_case;
    let exact = |u: u32| {
        matches!(u, 0..=0x17F | 0x386..=0x3AB | 0x400..=0x52F | 0x1A0 | 0x1AF | 0x1CD..=0x1DC)
            || (matches!(u, 0x1DE..=0x1EF | 0x1F8..=0x21F | 0x222..=0x233 | 0x246..=0x24F)
                && u.is_multiple_of(2))
    };
    for u in 0..=0x52F {
        let Some(c) = char::from_u32(u) else { continue };
        let mut lower = c.to_lowercase();
        let expected = match (lower.next(), lower.next()) {
            (Some(l), None) => l,
            // Lowercases to two characters (U+0130 İ): left as it is.
            _ => c,
        };
        if exact(u) {
            assert_eq!(fold_case(c), expected, "U+{u:04X} {c}");
        } else {
            // Elsewhere: never a wrong letter, at most one left as it is.
            assert!(
                fold_case(c) == expected || fold_case(c) == c,
                "U+{u:04X} {c}"
            );
        }
    }
    // Beyond those scripts, characters are left as they are.
    for c in ['Ա', 'Ⅻ', 'Ａ', '中', '😀', 'ß', 'ẞ'] {
        assert_eq!(fold_case(c), c);
    }
    assert_eq!(
        "ÉCOLE Ștefan ΣΟΦΊΑ МОСКВА Ǎ"
            .chars()
            .map(fold_case)
            .collect::<String>(),
        "école ștefan σοφία москва ǎ"
    );
}

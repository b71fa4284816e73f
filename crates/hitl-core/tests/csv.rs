//! The seed's CSV export, done properly: exact columns and rows, RFC 4180 quoting, the
//! 1000-character rule, formula-injection guard, streaming, JSON export and file names.

use chrono::{NaiveDate, TimeZone, Utc};
use hitl_core::csv::*;
use hitl_core::demo::Dataset;
use hitl_core::export::{export_filename, to_json, ExportFormat};
use hitl_core::query::format_time;
use hitl_core::{decode_response, HitlRequest, Priority, RequestPage, RequestQuery, Status};
use serde_json::{json, Value};

const SEED_LIST: &str = include_str!("fixtures/seed-list.json");
const HEADER: &str = "id,loop_id,processing_type,type,priority,request_text,response_type,\
status,response_data,response_time_seconds,created_at,response_at\r\n";

/// A strict RFC 4180 reader, to prove the output parses back to the intended fields.
fn parse(csv: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = csv.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                c => field.push(c),
            }
        } else {
            match c {
                '"' => {
                    assert!(field.is_empty(), "quote inside an unquoted field");
                    quoted = true;
                }
                ',' => record.push(std::mem::take(&mut field)),
                '\r' => {
                    assert_eq!(chars.next(), Some('\n'), "bare CR outside quotes");
                    record.push(std::mem::take(&mut field));
                    records.push(std::mem::take(&mut record));
                }
                '\n' => panic!("bare LF outside quotes"),
                c => field.push(c),
            }
        }
    }
    assert!(!quoted, "unterminated quote");
    assert!(
        field.is_empty() && record.is_empty(),
        "last line without CRLF"
    );
    records
}

fn one_row(r: &HitlRequest) -> String {
    let mut w = CsvWriter::new(CsvOptions::default());
    w.row(r).unwrap();
    w.into_inner()
}

/// The fields of one request's row, parsed back.
fn fields(r: &HitlRequest) -> Vec<String> {
    let mut parsed = parse(&one_row(r));
    assert_eq!(parsed.len(), 1);
    let row = parsed.remove(0);
    assert_eq!(row.len(), 12);
    row
}

fn with_text(text: &str) -> HitlRequest {
    HitlRequest {
        request_text: text.to_owned(),
        ..Default::default()
    }
}

fn with_data(data: Option<Value>) -> HitlRequest {
    HitlRequest {
        response_data: data,
        ..Default::default()
    }
}

#[test]
fn header_has_the_seed_columns_in_order_and_crlf() {
    assert_eq!(to_csv::<HitlRequest>(&[], CsvOptions::default()), HEADER);
    assert_eq!(COLUMNS.join(",") + "\r\n", HEADER);
}

#[test]
fn the_seed_page_exports_exactly() {
    let page: RequestPage = decode_response(200, SEED_LIST, None).unwrap();
    let csv = to_csv(&page.requests, CsvOptions::default());
    let expected = format!(
        "{HEADER}\
65f1234567890abcdef12348,65f1234567890abcdef12345,time-sensitive,markdown,high,\
Please review this user-generated content for community guidelines compliance.,single_select,\
completed,Approve,900.5,2024-03-15T10:30:00Z,2024-03-15T10:45:00Z\r\n\
65f1234567890abcdef12349,65f1234567890abcdef12345,deferred,markdown,medium,\
Rate the quality of this AI-generated response for accuracy and helpfulness.,rating,\
pending,,,2024-03-15T10:35:00Z,\r\n"
    );
    assert_eq!(csv, expected);
}

#[test]
fn bom_option_prefixes_the_output_once() {
    let page: RequestPage = decode_response(200, SEED_LIST, None).unwrap();
    let plain = to_csv(&page.requests, CsvOptions::default());
    let bom = to_csv(&page.requests, CsvOptions { bom: true });
    assert!(!plain.starts_with(BOM));
    assert_eq!(bom, format!("\u{feff}{plain}"));
    assert_eq!(&bom.as_bytes()[..3], b"\xEF\xBB\xBF");
    // Without a header the BOM goes before the first row.
    let mut w = CsvWriter::new(CsvOptions { bom: true });
    w.row(&page.requests[0]).unwrap();
    w.row(&page.requests[1]).unwrap();
    assert_eq!(w.get_ref().matches(BOM).count(), 1);
    assert!(w.get_ref().starts_with("\u{feff}65f"));
}

#[test]
fn quoting_follows_rfc_4180() {
    assert_eq!(cell("plain"), "plain");
    assert_eq!(cell(""), "");
    assert_eq!(cell("a,b"), "\"a,b\"");
    assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
    assert_eq!(cell("\""), "\"\"\"\"");
    assert_eq!(cell("a\rb"), "\"a\rb\"");
    assert_eq!(cell("a\nb"), "\"a\nb\"");
    assert_eq!(cell("a\r\nb"), "\"a\r\nb\"");
    assert_eq!(cell("café 日本語 🎉"), "café 日本語 🎉");
    assert_eq!(cell("日本,語"), "\"日本,語\"");
    assert_eq!(cell("semi;colon 'single'"), "semi;colon 'single'");

    let tricky = "line one\r\nline \"two\", with comma\nand 🎉";
    let row = fields(&with_text(tricky));
    assert_eq!(row[5], tricky);
}

#[test]
fn request_text_follows_the_1000_character_rule() {
    for (n, kept) in [(999, 999), (1000, 1000)] {
        let text = "a".repeat(n);
        assert_eq!(truncate_text(&text), (text.as_str(), false));
        assert_eq!(fields(&with_text(&text))[5].chars().count(), kept);
    }
    let text = "a".repeat(1001);
    let (kept, cut) = truncate_text(&text);
    assert!(cut);
    assert_eq!(kept.len(), 997);
    let out = truncated_request_text(&text);
    assert_eq!(out, format!("{}...", "a".repeat(997)));
    assert_eq!(out.chars().count(), 1000);
    assert_eq!(fields(&with_text(&text))[5], out);
}

#[test]
fn the_1000_character_rule_counts_characters_not_bytes() {
    // 1000 three-byte characters: 3000 bytes, but not too long.
    let text = "日".repeat(1000);
    assert_eq!(truncate_text(&text), (text.as_str(), false));
    assert_eq!(fields(&with_text(&text))[5], text);

    // 1001 two-byte characters: cut at a character boundary.
    let text = "é".repeat(1001);
    let out = truncated_request_text(&text);
    assert_eq!(out, format!("{}...", "é".repeat(997)));
    assert_eq!(fields(&with_text(&text))[5], out);

    // Four-byte emoji mixed with ASCII: 999 + 2 = 1001 characters.
    let text = format!("{}🎉🎉", "x".repeat(999));
    assert_eq!(
        truncated_request_text(&text),
        format!("{}...", "x".repeat(997))
    );
    let text = format!("{}{}", "🎉".repeat(998), "ab");
    assert!(!truncate_text(&text).1);
}

#[test]
fn a_cut_text_is_still_quoted_and_guarded() {
    let text = format!("=\"{}", "b".repeat(1200));
    let row = one_row(&with_text(&text));
    let expected_cell = format!("\"'=\"\"{}...\"", "b".repeat(995));
    assert!(row.contains(&expected_cell), "{row}");
    let back = fields(&with_text(&text));
    assert_eq!(back[5], format!("'=\"{}...", "b".repeat(995)));
}

#[test]
fn every_formula_prefix_is_neutralised() {
    for prefix in ["=", "+", "-", "@", "\t", "\r"] {
        let value = format!("{prefix}SUM(A1:A9)");
        let out = cell(&value);
        if prefix == "\r" {
            assert_eq!(out, format!("\"'{value}\""));
        } else {
            assert_eq!(out, format!("'{value}"), "{prefix:?}");
        }
        // Applied to every text cell: request text, response data, ids.
        let r = HitlRequest {
            id: value.clone(),
            request_text: value.clone(),
            response_data: Some(json!(value)),
            ..Default::default()
        };
        let row = fields(&r);
        assert_eq!(row[0], format!("'{value}"));
        assert_eq!(row[5], format!("'{value}"));
        assert_eq!(row[8], format!("'{value}"));
    }
    // Not a prefix: the character elsewhere, or a leading space.
    assert_eq!(cell("a=b"), "a=b");
    assert_eq!(cell(" =1"), " =1");
    // The seed demo's spreadsheet bait.
    assert_eq!(
        cell("=HYPERLINK(\"http://evil.example\",\"x\") spreadsheet bait"),
        "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\") spreadsheet bait\""
    );
}

#[test]
fn the_number_column_is_a_plain_number() {
    let t = |v: Option<f64>| {
        fields(&HitlRequest {
            response_time_seconds: v,
            ..Default::default()
        })[9]
            .clone()
    };
    assert_eq!(t(Some(900.5)), "900.5");
    assert_eq!(t(Some(900.0)), "900");
    assert_eq!(t(Some(0.25)), "0.25");
    assert_eq!(t(None), "");
    assert_eq!(t(Some(f64::NAN)), "");
    // A negative number is data, not a formula: no apostrophe in the number column.
    assert_eq!(t(Some(-5.0)), "-5");
}

#[test]
fn every_response_data_shape() {
    let cases = [
        (None, ""),
        (Some(Value::Null), ""),
        (Some(json!("Approve")), "Approve"),
        (Some(json!("")), ""),
        (
            Some(json!(["Fraud risk", "Fast track"])),
            "[\"Fraud risk\",\"Fast track\"]",
        ),
        (Some(json!([])), "[]"),
        (Some(json!(4)), "4"),
        (Some(json!(2.5)), "2.5"),
        (Some(json!(true)), "true"),
        (Some(json!(false)), "false"),
        (Some(json!({"k": [1, null]})), "{\"k\":[1,null]}"),
        // JSON text is a text cell: a leading minus is guarded.
        (Some(json!(-3)), "'-3"),
    ];
    for (data, expected) in cases {
        assert_eq!(fields(&with_data(data.clone()))[8], expected, "{data:?}");
    }
    // The raw cell: an array holds quotes and a comma, so it is quoted with quotes doubled.
    let row = one_row(&with_data(Some(json!(["a", "b"]))));
    assert!(row.contains(",\"[\"\"a\"\",\"\"b\"\"]\","), "{row}");
}

#[test]
fn timestamps_as_the_api_writes_them_and_empty_when_missing() {
    let created = Utc.with_ymd_and_hms(2024, 3, 15, 10, 30, 0).unwrap();
    let answered = created + chrono::Duration::milliseconds(900_500);
    let r = HitlRequest {
        created_at: Some(created),
        response_at: Some(answered),
        ..Default::default()
    };
    let row = fields(&r);
    assert_eq!(row[10], "2024-03-15T10:30:00Z");
    assert_eq!(row[11], format_time(answered));
    assert_eq!(row[11], "2024-03-15T10:45:00.500Z");
    let row = fields(&HitlRequest::default());
    assert_eq!((row[10].as_str(), row[11].as_str()), ("", ""));
    // Enums as the API spells them, undocumented values verbatim.
    let r = HitlRequest {
        status: Status::from_wire("archived"),
        priority: Priority::Critical,
        ..Default::default()
    };
    let row = fields(&r);
    assert_eq!((row[4].as_str(), row[7].as_str()), ("critical", "archived"));
}

fn demo_rows(n: usize) -> Vec<HitlRequest> {
    let now = Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap();
    let mut data = Dataset::generate(7, n, now);
    data.inject_hostile_text(9);
    data.list_objects().cloned().collect()
}

#[test]
fn every_row_is_written_and_parses_back() {
    let mut rows = demo_rows(500);
    rows[3].request_text = "multi\r\nline, \"quoted\"".to_owned();
    let csv = to_csv(&rows, CsvOptions::default());
    let records = parse(&csv);
    assert_eq!(records.len(), 501);
    assert_eq!(records[0], COLUMNS);
    assert!(records.iter().all(|r| r.len() == 12));
    for (r, rec) in rows.iter().zip(&records[1..]) {
        assert_eq!(rec[0], r.id);
        assert_eq!(rec[7], r.status.as_str());
        let text = truncated_request_text(&r.request_text);
        let guarded = text.starts_with(FORMULA_PREFIXES);
        assert_eq!(
            rec[5]
                .strip_prefix('\'')
                .filter(|_| guarded)
                .unwrap_or(&rec[5]),
            text
        );
    }
    assert_eq!(records[4][5], "multi\r\nline, \"quoted\"");
}

/// A `fmt::Write` that is not a String, to prove the writer is generic.
struct Counting {
    bytes: usize,
    lines: usize,
}

impl std::fmt::Write for Counting {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.bytes += s.len();
        self.lines += s.matches("\r\n").count();
        Ok(())
    }
}

#[test]
fn streaming_writer_matches_to_csv_and_can_hand_on_chunks() {
    let rows = demo_rows(300);
    let whole = to_csv(&rows, CsvOptions { bom: true });

    let mut w = CsvWriter::new(CsvOptions { bom: true });
    let mut chunks: Vec<String> = Vec::new();
    w.header().unwrap();
    for (i, r) in rows.iter().enumerate() {
        w.row(r).unwrap();
        if i % 64 == 63 {
            chunks.push(std::mem::take(w.get_mut()));
        }
    }
    assert_eq!(w.rows_written(), 300);
    chunks.push(w.into_inner());
    assert_eq!(chunks.concat(), whole);

    let mut counting =
        CsvWriter::with_output(Counting { bytes: 0, lines: 0 }, CsvOptions::default());
    counting.header().unwrap();
    for r in &rows {
        counting.row(r).unwrap();
    }
    let c = counting.into_inner();
    assert_eq!(c.bytes, whole.len() - BOM.len_utf8());
    assert_eq!(c.lines, 301);
}

#[test]
fn json_export_round_trips_the_api_objects() {
    let page: RequestPage = decode_response(200, SEED_LIST, None).unwrap();
    let text = to_json(&page.requests);
    assert!(text.starts_with("[{\"id\":\"65f1234567890abcdef12348\""));
    assert!(text.contains("\"response_at\":\"2024-03-15T10:45:00Z\""));
    assert!(text.contains("\"type\":\"markdown\""));
    assert!(text.contains("\"response_data\":null"));
    let back: Vec<HitlRequest> = serde_json::from_str(&text).unwrap();
    assert_eq!(back, page.requests);
    // The same fields and values as the vendor's example objects.
    let seed: Value = serde_json::from_str(SEED_LIST).unwrap();
    let ours: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(ours, seed["data"]["requests"]);

    let rows = demo_rows(200);
    let back: Vec<HitlRequest> = serde_json::from_str(&to_json(&rows)).unwrap();
    assert_eq!(back, rows);
    assert_eq!(to_json::<HitlRequest>(&[]), "[]");
}

#[test]
fn file_names() {
    let date = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    let all = RequestQuery::default();
    assert_eq!(
        export_filename(date, &all, "csv", None),
        "hitl-requests-2026-11-28.csv"
    );
    assert_eq!(
        export_filename(date, &all, ".json", None),
        "hitl-requests-2026-11-28.json"
    );
    let q = RequestQuery {
        // Set in the opposite order to the name's: the name's order is fixed.
        loop_id: Some("65f1234567890abcdef12345".to_owned()),
        priority: Some(Priority::High),
        status: Some(Status::Pending),
        // Sort, page and cursor do not appear.
        offset: 200,
        limit: 100,
        ..RequestQuery::default()
    };
    assert_eq!(
        export_filename(date, &q, ExportFormat::Csv.extension(), None),
        "hitl-requests-2026-11-28-status-pending-priority-high-loop-65f1234567890abcdef12345.csv"
    );
    assert_eq!(
        export_filename(date, &all, "csv", Some((300, 1234))),
        "hitl-requests-2026-11-28-partial-300-of-1234.csv"
    );
    let odd = RequestQuery {
        loop_id: Some("Loop/../Ü x".to_owned()),
        ..RequestQuery::default()
    };
    let name = export_filename(date, &odd, "CSV", None);
    assert_eq!(name, "hitl-requests-2026-11-28-loop-loop_..___x.csv");
    assert!(name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c)));
    assert_eq!(ExportFormat::Json.mime_type(), "application/json");
    assert_eq!(ExportFormat::Csv.mime_type(), "text/csv;charset=utf-8");
}

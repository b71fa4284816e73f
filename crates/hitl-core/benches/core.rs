//! Speed of the hot paths over dashboard-sized and export-sized data: response-time stats and
//! CSV over 100,000 requests, column sorts of 10,000 loaded rows, and decoding one full page.
//! Run: `cargo bench -p hitl-core --bench core -- --quick`.

use chrono::{TimeZone, Utc};
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use hitl_core::csv::{to_csv, CsvOptions};
use hitl_core::demo::Dataset;
use hitl_core::model::Envelope;
use hitl_core::query::RequestQuery;
use hitl_core::sorting::{sort_permutation, Column, Direction};
use hitl_core::stats::ResponseTimeStats;
use hitl_core::{decode_response, HitlRequest, RequestPage};

fn requests(count: usize) -> Vec<HitlRequest> {
    let now = Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap();
    Dataset::generate(7, count, now)
        .list_objects()
        .cloned()
        .collect()
}

fn benches(c: &mut Criterion) {
    let big = requests(100_000);
    c.bench_function("response_time_stats_100k", |b| {
        b.iter(|| ResponseTimeStats::compute(black_box(&big)))
    });
    c.bench_function("csv_100k", |b| {
        b.iter(|| to_csv(black_box(&big), CsvOptions::default()))
    });

    let loaded = requests(10_000);
    c.bench_function("sort_10k_created", |b| {
        b.iter(|| sort_permutation(black_box(&loaded), Column::Created, Direction::Desc))
    });
    c.bench_function("sort_10k_priority", |b| {
        b.iter(|| sort_permutation(black_box(&loaded), Column::Priority, Direction::Asc))
    });
    // The heaviest column: its keys are lower-cased copies of the text.
    c.bench_function("sort_10k_request_text", |b| {
        b.iter(|| sort_permutation(black_box(&loaded), Column::Request, Direction::Asc))
    });

    // One 100-row page as the API would send it.
    let page = hitl_core::contract::list(
        &loaded,
        &RequestQuery {
            limit: 100,
            ..RequestQuery::default()
        },
    );
    let body = serde_json::to_string(&Envelope::ok("Requests retrieved successfully", page))
        .expect("page serializes");
    c.bench_function("decode_page_100", |b| {
        b.iter(|| decode_response::<RequestPage>(200, black_box(&body), None).expect("decodes"))
    });
}

criterion_group!(core_benches, benches);
criterion_main!(core_benches);

//! Speed of the hot paths over dashboard-sized and export-sized data: response-time stats and
//! CSV over 100,000 requests, column sorts of 10,000 loaded rows, and decoding one full page.
//! Run: `cargo bench -p hitl-core --bench core -- --quick`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use hitl_core::csv::{to_csv, CsvOptions};
use hitl_core::demo::{bench_requests, page_body};
use hitl_core::sorting::{sort_permutation, Column, Direction};
use hitl_core::stats::ResponseTimeStats;
use hitl_core::{decode_response, RequestPage};

fn benches(c: &mut Criterion) {
    let big = bench_requests(100_000);
    c.bench_function("response_time_stats_100k", |b| {
        b.iter(|| ResponseTimeStats::compute(black_box(&big)))
    });
    c.bench_function("csv_100k", |b| {
        b.iter(|| to_csv(black_box(&big), CsvOptions::default()))
    });

    let loaded = bench_requests(10_000);
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
    let body = page_body(&loaded, 100);
    c.bench_function("decode_page_100", |b| {
        b.iter(|| decode_response::<RequestPage>(200, black_box(&body), None).expect("decodes"))
    });
}

criterion_group!(core_benches, benches);
criterion_main!(core_benches);

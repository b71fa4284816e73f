//! Speed of the operations analytics over 100,000 requests (the demo's bench data, 30 days
//! ending 2026-11-28 12:00 UTC): window selection, trends per day and per hour, the three
//! breakdowns and the SLA watch. The app's budget is 50 ms each in wasm.
//! Run: `cargo bench -p hitl-core --bench analytics -- --quick`.

use chrono::{DateTime, Utc};
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use hitl_core::breakdown::Breakdowns;
use hitl_core::demo::bench_requests;
use hitl_core::sla::SlaWatch;
use hitl_core::stats::{
    DailySeries, Outcomes, PriorityDistribution, ResponseTimeStats, StatusCounts,
};
use hitl_core::trends::Trends;
use hitl_core::window::TimeWindow;
use hitl_core::HitlRequest;

fn benches(c: &mut Criterion) {
    let big = bench_requests(100_000);
    // The "now" of `bench_requests`: 2026-11-28 12:00 UTC.
    let now = DateTime::<Utc>::from_timestamp(1_795_867_200, 0).unwrap_or_default();

    c.bench_function("window_select_30d_100k", |b| {
        b.iter(|| {
            TimeWindow::Last30Days
                .bounds(now, &60)
                .select(black_box(&big))
                .len()
        })
    });
    c.bench_function("trends_30d_100k", |b| {
        b.iter(|| Trends::compute(black_box(&big), &TimeWindow::Last30Days, now, &60))
    });
    c.bench_function("trends_all_100k", |b| {
        b.iter(|| Trends::compute(black_box(&big), &TimeWindow::All, now, &60))
    });
    c.bench_function("trends_24h_100k", |b| {
        b.iter(|| Trends::compute(black_box(&big), &TimeWindow::Last24Hours, now, &60))
    });
    c.bench_function("breakdowns_100k", |b| {
        b.iter(|| Breakdowns::compute(black_box(&big)))
    });
    c.bench_function("breakdowns_7d_of_100k", |b| {
        b.iter(|| {
            let bounds = TimeWindow::Last7Days.bounds(now, &60);
            Breakdowns::compute(
                black_box(&big)
                    .iter()
                    .filter(|r| bounds.contains(r.created_at)),
            )
        })
    });
    c.bench_function("sla_watch_100k", |b| {
        b.iter(|| SlaWatch::compute(black_box(&big), now, Some(5_000)))
    });
    // What the Overview computes at once when its rows change: the window's rows, every
    // statistic, the breakdowns and the trends (tests/wasm_bench.rs times the same in wasm).
    for (name, w) in [
        ("overview_trends_breakdowns_100k", TimeWindow::All),
        (
            "overview_trends_breakdowns_7d_of_100k",
            TimeWindow::Last7Days,
        ),
    ] {
        c.bench_function(name, |b| {
            b.iter(|| {
                let bounds = w.bounds(now, &60);
                let rows: Vec<&HitlRequest> = black_box(&big)
                    .iter()
                    .filter(|r| bounds.contains(r.created_at))
                    .collect();
                (
                    ResponseTimeStats::compute(&rows),
                    Outcomes::compute(&rows),
                    PriorityDistribution::compute(&rows),
                    StatusCounts::compute(&rows),
                    DailySeries::compute(&rows, 60),
                    Breakdowns::compute(rows.iter().copied()),
                    Trends::compute(&rows, &w, now, &60),
                )
            })
        });
    }
}

criterion_group!(analytics_benches, benches);
criterion_main!(analytics_benches);

//! The core hot paths timed in WebAssembly, in headless chromium: the same functions as
//! `crates/hitl-core/benches/core.rs` and `benches/analytics.rs` (criterion, native), built with
//! the app's release profile (opt-level "z", LTO), so the report can say what running them in
//! the browser costs. `overview_trends_breakdowns_100k` is what the Overview computes at once
//! when its rows change (issue 22's target: under 50 ms in wasm).
//! Not a test: nothing is asserted about time. Run by `make bench` (scripts/bench.sh):
//!   cargo test --release -p hitl-dashboard --target wasm32-unknown-unknown \
//!     --features wasm-bench --test wasm_bench
//! Each result is printed as one line `WASM_BENCH {json}` (milliseconds per iteration).
#![cfg(target_arch = "wasm32")]

use chrono::{DateTime, Utc};
use hitl_core::breakdown::Breakdowns;
use hitl_core::csv::{to_csv, CsvOptions};
use hitl_core::demo::{bench_requests, page_body};
use hitl_core::sla::SlaWatch;
use hitl_core::sorting::{sort_permutation, Column, Direction};
use hitl_core::stats::{
    DailySeries, Outcomes, PriorityDistribution, ResponseTimeStats, StatusCounts,
};
use hitl_core::trends::Trends;
use hitl_core::window::TimeWindow;
use hitl_core::HitlRequest;
use hitl_core::{decode_response, RequestPage};
use std::hint::black_box;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

/// Times `samples` samples of `batch` calls of `f` (after one warm-up call) and prints the
/// median, min and max per call. Batches keep each sample well above the browser's timer
/// resolution (100 µs without cross-origin isolation).
fn bench<R>(name: &str, samples: usize, batch: usize, mut f: impl FnMut() -> R) {
    black_box(f());
    let mut per_call: Vec<f64> = (0..samples)
        .map(|_| {
            let start = now_ms();
            for _ in 0..batch {
                black_box(f());
            }
            (now_ms() - start) / batch as f64
        })
        .collect();
    per_call.sort_by(f64::total_cmp);
    let median = if samples % 2 == 1 {
        per_call[samples / 2]
    } else {
        (per_call[samples / 2 - 1] + per_call[samples / 2]) / 2.0
    };
    console_log!(
        "WASM_BENCH {{\"name\":\"{name}\",\"median_ms\":{median},\"min_ms\":{},\"max_ms\":{},\"samples\":{samples},\"batch\":{batch}}}",
        per_call[0],
        per_call[samples - 1]
    );
}

#[wasm_bindgen_test]
fn core_hot_paths_in_wasm() {
    let big = bench_requests(100_000);
    bench("response_time_stats_100k", 15, 1, || {
        ResponseTimeStats::compute(black_box(&big))
    });
    bench("csv_100k", 7, 1, || {
        to_csv(black_box(&big), CsvOptions::default())
    });
    analytics(&big);
    drop(big);

    let loaded = bench_requests(10_000);
    bench("sort_10k_created", 15, 5, || {
        sort_permutation(black_box(&loaded), Column::Created, Direction::Desc)
    });
    bench("sort_10k_priority", 15, 2, || {
        sort_permutation(black_box(&loaded), Column::Priority, Direction::Asc)
    });
    bench("sort_10k_request_text", 15, 1, || {
        sort_permutation(black_box(&loaded), Column::Request, Direction::Asc)
    });

    let body = page_body(&loaded, 100);
    bench("decode_page_100", 15, 20, || {
        decode_response::<RequestPage>(200, black_box(&body), None).expect("decodes")
    });
}

/// The operations analytics over 100,000 requests (`benches/analytics.rs`), and the whole of
/// what the Overview computes when its rows change, in a time window as the app does it: pick
/// the window's rows, then every statistic, the breakdowns and the trends of them.
fn analytics(big: &[HitlRequest]) {
    // The "now" of `bench_requests`: 2026-11-28 12:00 UTC; a zone of UTC+01:00.
    let now = DateTime::<Utc>::from_timestamp(1_795_867_200, 0).unwrap_or_default();
    let zone = 60;
    bench("window_select_30d_100k", 15, 1, || {
        TimeWindow::Last30Days
            .bounds(now, &zone)
            .select(black_box(big))
            .len()
    });
    for (name, w) in [
        ("trends_30d_100k", TimeWindow::Last30Days),
        ("trends_all_100k", TimeWindow::All),
        ("trends_24h_100k", TimeWindow::Last24Hours),
    ] {
        bench(name, 15, 1, || {
            Trends::compute(black_box(big), &w, now, &zone)
        });
    }
    bench("breakdowns_100k", 15, 1, || {
        Breakdowns::compute(black_box(big))
    });
    bench("sla_watch_100k", 15, 1, || {
        SlaWatch::compute(black_box(big), now, Some(5_000))
    });
    for (name, w) in [
        ("overview_trends_breakdowns_100k", TimeWindow::All),
        (
            "overview_trends_breakdowns_7d_of_100k",
            TimeWindow::Last7Days,
        ),
    ] {
        bench(name, 9, 1, || {
            let bounds = w.bounds(now, &zone);
            let rows: Vec<&HitlRequest> = black_box(big)
                .iter()
                .filter(|r| bounds.contains(r.created_at))
                .collect();
            (
                ResponseTimeStats::compute(&rows),
                Outcomes::compute(&rows),
                PriorityDistribution::compute(&rows),
                StatusCounts::compute(&rows),
                DailySeries::compute(&rows, zone),
                Breakdowns::compute(rows.iter().copied()),
                Trends::compute(&rows, &w, now, &zone),
            )
        });
    }
}

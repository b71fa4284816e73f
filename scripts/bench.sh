#!/usr/bin/env bash
# Benchmarks (issue 8), one command: builds what they need, runs them, writes bench/RESULTS.md.
#   scripts/bench.sh            (= make bench; after scripts/setup.sh on a fresh clone)
# Environment: BENCH_RUNS (runs per browser benchmark, default 5), BENCH_FIRST_RUNS (first-rows
# runs, default 10), BENCH_LATENCY_MS (mock latency, default 50), BENCH_SKIP_CORE=1 (no criterion,
# no wasm core benchmarks).
# Builds go to dist-bench/ and target/release/mock-api only; Playwright output to $PW_OUTPUT_DIR
# (/tmp/pw-bench). Each browser benchmark starts and stops its own mock-api. Nothing here
# asserts a timing: the figures are medians for the report.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
step() { printf '\n\033[1m== %s\033[0m (%ss)\n' "$*" "$(( $(date +%s) - start ))"; }

export BENCH_OUT=${BENCH_OUT:-target/bench}
export DIST_DIR=dist-bench
export PW_OUTPUT_DIR=${PW_OUTPUT_DIR:-/tmp/pw-bench}
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export BENCH_STARTED=$start
export BENCH_NPROC
BENCH_NPROC=$(nproc)
export BENCH_LOAD_START
BENCH_LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

for tool in trunk wasm-bindgen zopfli /usr/bin/chromium; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: run scripts/setup.sh first" >&2; exit 1; }
done
[ -x node_modules/.bin/playwright ] || { echo "npm packages are missing: run scripts/setup.sh first" >&2; exit 1; }

mkdir -p "$BENCH_OUT"
rm -f "$BENCH_OUT"/*.json "$BENCH_OUT"/sizes.txt "$BENCH_OUT"/criterion.txt "$BENCH_OUT"/wasm-core.txt

step "release build of the app (dist-bench/)"
# What was built: the commit and any uncommitted app sources, as they were at build time.
built_commit=$(git rev-parse HEAD 2>/dev/null || true)
built_dirty=$(git status --porcelain --untracked-files=no -- src crates index.html style Cargo.toml \
  Cargo.lock Trunk.toml 2>/dev/null | sed -E 's/^.. //' | paste -sd' ' - || true)
scripts/build-dist.sh

step "mock-api, release build"
cargo build --release -p mock-api --locked

step "transfer size"
# Reported, not enforced here (make test enforces the budget).
scripts/sizes.sh dist-bench | tee "$BENCH_OUT/sizes.txt" || true

if [ "${BENCH_SKIP_CORE:-0}" != 1 ]; then
  step "core benchmarks (criterion, native)"
  cargo bench -p hitl-core --bench core --locked 2>&1 | tee "$BENCH_OUT/criterion.txt"
  # The operations analytics (time window, trends, breakdowns, SLA watch) over 100,000 requests.
  cargo bench -p hitl-core --bench analytics --locked 2>&1 | tee -a "$BENCH_OUT/criterion.txt"

  step "core benchmarks in wasm (release profile, headless chromium)"
  CHROMEDRIVER=/usr/bin/chromedriver cargo test --release -p hitl-dashboard \
    --target wasm32-unknown-unknown --features wasm-bench --test wasm_bench --locked -- --nocapture \
    2>&1 | tee "$BENCH_OUT/wasm-core.txt"
fi

step "browser benchmarks (Playwright + /usr/bin/chromium, mock-api --latency-ms ${BENCH_LATENCY_MS:-50})"
npx --no-install playwright test --config e2e/bench/playwright.config.ts

step "report"
# What the report needs to know about this run, so `node e2e/bench/report.mjs` can be re-run.
printf '{"started":%s,"nproc":%s,"loadStart":"%s","loadEnd":"%s","commit":"%s","dirty":"%s"}\n' \
  "$start" "$BENCH_NPROC" "$BENCH_LOAD_START" "$(cut -d' ' -f1-3 /proc/loadavg)" \
  "$built_commit" "$built_dirty" > "$BENCH_OUT/meta.json"
node e2e/bench/report.mjs
echo "bench took $(( $(date +%s) - start ))s; results in bench/RESULTS.md"

#!/usr/bin/env bash
# Every test, from a clean clone: set-up, format and lint (native and wasm), unit and HTTP
# tests, one release build of the app, its size budget, then the end-to-end tests in headless
# Debian chromium against that build served by mock-api. Servers are started and stopped by the
# tests themselves. Prints the app's sizes at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
step() { printf '\n\033[1m== %s\033[0m (%ss)\n' "$*" "$(( $(date +%s) - start ))"; }

step "set-up"
scripts/setup.sh

step "format"
cargo fmt --all -- --check

step "clippy (native: core, mock-api, app)"
cargo clippy --workspace --all-targets --locked -- -D warnings
step "clippy (wasm32: app)"
# --features wasm-bench: lints tests/wasm_bench.rs too (built only by make bench).
cargo clippy -p hitl-dashboard --target wasm32-unknown-unknown --all-targets --features wasm-bench --locked -- -D warnings

step "unit and HTTP tests"
cargo test --workspace --locked

step "browser unit tests (wasm-bindgen-test in headless chromium)"
CHROMEDRIVER=/usr/bin/chromedriver cargo test -p hitl-dashboard --target wasm32-unknown-unknown --locked

step "release build (dist/)"
scripts/build-dist.sh

step "size budget"
scripts/sizes.sh dist

step "end-to-end tests (Playwright + /usr/bin/chromium)"
cargo build -p mock-api --locked --quiet
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
npx --no-install playwright test --config e2e/playwright.config.ts

step "done"
scripts/sizes.sh dist
echo "test command took $(( $(date +%s) - start ))s"

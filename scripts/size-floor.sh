#!/usr/bin/env bash
# The size floor: bench/size-floor (hitl-core's shipped paths + a plain web-sys table, no UI
# framework) built like the app (release profile, wasm-bindgen, wasm-opt -Oz), gzip -9 sizes.
# Not part of make test; a measurement for the README's Performance section.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}/size-floor
out=$CARGO_TARGET_DIR/out
cargo build --release --target wasm32-unknown-unknown --manifest-path bench/size-floor/Cargo.toml
rm -rf "$out"
wasm-bindgen --target web --out-dir "$out" "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/size_floor.wasm"
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$out/size_floor_bg.wasm" -o "$out/size_floor_bg.wasm"
printf '%-6s %10s %10s\n' kind raw gzip
for f in "$out/size_floor_bg.wasm" "$out/size_floor.js"; do
  printf '%-6s %10d %10d\n' "${f##*.}" "$(stat -c %s "$f")" "$(gzip -9 -c "$f" | wc -c)"
done

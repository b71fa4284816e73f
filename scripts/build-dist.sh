#!/usr/bin/env bash
# The release build of the app into dist/ (or $DIST_DIR), with npm binaryen's wasm-opt first on
# PATH (Trunk uses the wasm-opt it finds; Debian's older binaryen breaks the module).
#   scripts/build-dist.sh [extra trunk args, e.g. --public-url /sub/path/]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
dist=${DIST_DIR:-dist}
trunk build --release --dist "$dist" "$@"
node scripts/csp.mjs "$dist/index.html"
# Static hosts without rewrite rules (GitHub Pages) serve 404.html for unknown paths: a copy of
# the app there makes deep links under the sub-path open the dashboard too.
cp "$dist/index.html" "$dist/404.html"
# What a static host serves: zopfli .gz and brotli .br copies of the hashed assets.
node scripts/precompress.mjs "$dist"

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

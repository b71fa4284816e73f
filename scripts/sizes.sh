#!/usr/bin/env bash
# Prints the transfer size of the built app — raw, gzip and brotli, as a static host serves it:
# the precompressed .gz (zopfli) and .br copies that scripts/build-dist.sh writes — and fails
# when the gzip total grows beyond the budget in bench/size-budget.txt. A dist without those
# copies (a plain `trunk build`) is measured with `gzip -9` and no brotli column.
#   scripts/sizes.sh [dist-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
dist=${1:-dist}
budget=$(grep -v '^#' bench/size-budget.txt | head -n1 | tr -d '[:space:]')
total_raw=0; total_gz=0; total_br=0; precompressed=yes
printf '%-8s %10s %10s %10s\n' kind raw gzip brotli
for kind in wasm js css; do
  raw=0; gz=0; br=0
  for f in "$dist"/*."$kind"; do
    [ -f "$f" ] || continue
    raw=$((raw + $(stat -c %s "$f")))
    if [ -f "$f.gz" ]; then
      gz=$((gz + $(stat -c %s "$f.gz")))
    else
      precompressed=no
      gz=$((gz + $(gzip -9 -c "$f" | wc -c)))
    fi
    if [ -f "$f.br" ]; then br=$((br + $(stat -c %s "$f.br"))); else precompressed=no; fi
  done
  printf '%-8s %10d %10d %10d\n' "$kind" "$raw" "$gz" "$br"
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz)); total_br=$((total_br + br))
done
if [ "$precompressed" = yes ]; then
  printf '%-8s %10d %10d %10d   (budget %d gzip)\n' total "$total_raw" "$total_gz" "$total_br" "$budget"
else
  printf '%-8s %10d %10d %10s   (budget %d gzip; no precompressed copies: gzip -9, run scripts/build-dist.sh)\n' \
    total "$total_raw" "$total_gz" - "$budget"
fi
if [ "$total_gz" -gt "$budget" ]; then
  echo "size budget exceeded: $total_gz > $budget bytes gzip (bench/size-budget.txt)" >&2
  exit 1
fi

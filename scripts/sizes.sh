#!/usr/bin/env bash
# Prints the transfer size of the built app (raw and gzip -9) and fails when the compressed
# total grows beyond the budget in bench/size-budget.txt.
#   scripts/sizes.sh [dist-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
dist=${1:-dist}
budget=$(grep -v '^#' bench/size-budget.txt | head -n1 | tr -d '[:space:]')
total_raw=0; total_gz=0
printf '%-8s %10s %10s\n' kind raw gzip
for kind in wasm js css; do
  raw=0; gz=0
  for f in "$dist"/*."$kind"; do
    [ -f "$f" ] || continue
    raw=$((raw + $(stat -c %s "$f")))
    gz=$((gz + $(gzip -9 -c "$f" | wc -c)))
  done
  printf '%-8s %10d %10d\n' "$kind" "$raw" "$gz"
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
done
printf '%-8s %10d %10d   (budget %d gzip)\n' total "$total_raw" "$total_gz" "$budget"
if [ "$total_gz" -gt "$budget" ]; then
  echo "size budget exceeded: $total_gz > $budget bytes gzip (bench/size-budget.txt)" >&2
  exit 1
fi

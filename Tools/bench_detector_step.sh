#!/usr/bin/env bash
# The real-content detector's training step in Swift (`rawquant bench detector-step`) and in PyTorch
# (Tools/bench_detector_step_torch.py, the same network, loss and AdamW), alternating ROUNDS times so both see
# the same machine load, on 1 and 2 threads; prints medians and the ratio swift/torch (< 1: Swift is faster).
# Usage: Tools/bench_detector_step.sh [ROUNDS (default 3)]   Needs python3 with torch ('torch==2.13.0+cpu').
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
swift build -c release --product rawquant 2>&1 | grep -E "error" && exit 1 || true
bin=.build/release/rawquant
field() { awk -v k="$1:" '$1 == k { print $2 }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
for threads in 1 2; do
  s=() t=()
  for ((r = 1; r <= rounds; r++)); do
    s+=("$($bin bench detector-step --threads "$threads" | field detector-step-ms)")
    t+=("$(python3 Tools/bench_detector_step_torch.py --threads "$threads" | field detector-step-ms)")
  done
  sm=$(median "${s[@]}") tm=$(median "${t[@]}")
  awk -v th="$threads" -v s="$sm" -v t="$tm" 'BEGIN { printf "threads %d: swift %.1f ms (%.1f img/s), torch %.1f ms (%.1f img/s), swift/torch %.2f\n", th, s, 8000 / s, t, 8000 / t, s / t }'
done

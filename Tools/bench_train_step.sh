#!/usr/bin/env bash
# Runs the reference-net benchmark in Swift (`rawquant bench train-step`) and its PyTorch peer
# (Tools/bench_train_step_torch.py) side by side, alternating ROUNDS times so
# both see the same machine load, and prints the median of each and the ratio
# swift/torch (< 1 means the Swift core is faster).
#
# Usage: Tools/bench_train_step.sh [--threads N] [--batch B] [--steps S] [--rounds R]
# Needs: swift, python3 with torch (pip install 'torch==2.13.0+cpu').
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS=2 BATCH=16 STEPS=20 ROUNDS=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --threads) THREADS="$2"; shift 2 ;;
    --batch) BATCH="$2"; shift 2 ;;
    --steps) STEPS="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    *) echo "usage: $0 [--threads N] [--batch B] [--steps S] [--rounds R]" >&2; exit 2 ;;
  esac
done
swift build -c release --product rawquant >/dev/null
BIN="$(swift build -c release --show-bin-path)/rawquant"
args=(--threads "$THREADS" --batch "$BATCH" --steps "$STEPS")
swift_train=() swift_fwd=() torch_train=() torch_fwd=()
field() { awk -v k="$1:" '$1 == k { print $2 }'; }
for ((r = 1; r <= ROUNDS; r++)); do
  out="$("$BIN" bench train-step "${args[@]}")"
  swift_train+=("$(field train-step-ms <<<"$out")"); swift_fwd+=("$(field forward-ms <<<"$out")")
  [[ $r == 1 ]] && echo "swift: $(tail -n 1 <<<"$out")"
  out="$(python3 Tools/bench_train_step_torch.py "${args[@]}")"
  torch_train+=("$(field train-step-ms <<<"$out")"); torch_fwd+=("$(field forward-ms <<<"$out")")
  [[ $r == 1 ]] && echo "torch: $(tail -n 1 <<<"$out")"
  echo "round $r: swift train ${swift_train[-1]} ms, forward ${swift_fwd[-1]} ms | torch train ${torch_train[-1]} ms, forward ${torch_fwd[-1]} ms"
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
best() { printf '%s\n' "$@" | sort -g | head -n 1; }
for stat in median best; do
  st="$($stat "${swift_train[@]}")" sf="$($stat "${swift_fwd[@]}")"
  tt="$($stat "${torch_train[@]}")" tf="$($stat "${torch_fwd[@]}")"
  echo "[$stat] swift train-step-ms: $st  forward-ms: $sf"
  echo "[$stat] torch train-step-ms: $tt  forward-ms: $tf"
  awk -v a="$st" -v b="$tt" -v c="$sf" -v d="$tf" -v s="$stat" \
    'BEGIN { printf "[%s] ratio swift/torch: train-step %.2f, forward %.2f\n", s, a / b, c / d }'
done

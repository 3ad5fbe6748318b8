#!/usr/bin/env bash
# Detection latency of the bundled shapes model: Swift (`rawquant bench detect`) and its codes-in ONNX graph
# (python -m rawquant.export) in ONNX Runtime CPU, on 1 and 2 threads in one run, as a ratio (< 1: Swift is faster).
# Needs python3 with torch, onnx and onnxruntime, and the python/ package importable (PYTHONPATH=python).
# Usage: Tools/bench_onnx.sh [RUNS (default 30)]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-30}
swift build -c release --product rawquant 2>&1 | grep -E "error:" && exit 1 || true
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
PYTHONPATH=python python3 -m rawquant.export Fixtures/models/detector-4bit-gamma.safetensors "$work/detector.onnx" --size 256x256 >/dev/null 2>&1
swift_lines=$(.build/release/rawquant bench detect --sizes 256x256 --runs "$runs")
for threads in 1 2; do
  swift_ms=$(echo "$swift_lines" | awk -v t="$threads" '$1 == "detect-ms" && $2 == "256x256" && $4 == t":" { print $5 }')
  ort_ms=$(PYTHONPATH=python python3 - "$work/detector.onnx" "$threads" "$runs" <<'PY'
import sys, time, numpy as np, onnxruntime as ort
options = ort.SessionOptions(); options.intra_op_num_threads = int(sys.argv[2]); options.inter_op_num_threads = 1
session = ort.InferenceSession(sys.argv[1], options, providers=["CPUExecutionProvider"])
codes = np.random.default_rng(1).integers(0, 16, size=(1, 1, 256, 256), dtype=np.uint8)
for _ in range(5): session.run(None, {"codes": codes})
times = []
for _ in range(int(sys.argv[3])):
    start = time.perf_counter(); session.run(None, {"codes": codes}); times.append((time.perf_counter() - start) * 1000)
print(f"{np.median(times):.2f}")
PY
)
  echo "threads $threads: swift ${swift_ms:-?} ms, onnxruntime ${ort_ms} ms (codes in), swift/onnxruntime $(awk -v s="${swift_ms:-0}" -v o="$ort_ms" 'BEGIN { printf "%.2f", s / o }')"
done

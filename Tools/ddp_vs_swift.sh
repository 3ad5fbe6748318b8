#!/usr/bin/env bash
# Issue 17: the same recipe trained by PyTorch DDP (python/examples/train_ddp.py, 2 CPU processes over gloo) and by
# the Swift trainer, both scored by `rawquant eval` on the same test split. Writes experiment/ddp-vs-swift/RESULTS.md.
# Recipe: learned per-colour γ from 1.0 at 4 bits, width 16, batch 16 (8 per process × 2), 96×96 crops, left–right
# flips, AdamW 2e-3 / γ 1e-2, warm-up and cosine decay, EPOCHS epochs (default 8), seed 1; the last epoch's weights.
# Data: `rawquant synth --count 600 --seed 21 --size 128x128` (generated, no third-party content). Needs torch (CPU).
# Resumable: a finished side is not retrained.
set -euo pipefail
cd "$(dirname "$0")/.."
epochs=${EPOCHS:-8} data=${DATA:-data/synthetic-600} out=experiment/ddp-vs-swift runs=runs/ddp-vs-swift
swift build -c release --product rawquant 2>&1 | grep -E "error" && exit 1 || true
bin=.build/release/rawquant
[ -f "$data/dataset.json" ] || $bin synth --count 600 --seed 21 --size 128x128 --out "$data" > /dev/null
mkdir -p "$out" "$runs"
if [ ! -f "$runs/swift.done" ]; then
    start=$(date +%s)
    TENSORCORE_THREADS=2 $bin train --data "$data" --quantizer gamma-per-channel --bits 4 --epochs "$epochs" --batch 16 \
        --crop 96x96 --width 16 --seed 1 --eval-every "$epochs" --no-resume --out "$runs/swift" > "$runs/swift.log"
    echo $(( $(date +%s) - start )) > "$runs/swift.done"
fi
if [ ! -f "$runs/ddp.done" ]; then
    start=$(date +%s)
    OMP_NUM_THREADS=1 torchrun --standalone --nproc_per_node 2 python/examples/train_ddp.py --data "$data" --epochs "$epochs" \
        --batch 8 --crop 96x96 --width 16 --bits 4 --seed 1 --out "$runs/ddp.safetensors" > "$runs/ddp.log" 2>&1
    echo $(( $(date +%s) - start )) > "$runs/ddp.done"
fi
score() { TENSORCORE_THREADS=2 $bin eval --model "$1" --data "$data" --split test --json; }
score "$runs/swift/checkpoint.safetensors" > "$runs/swift-test.json"
score "$runs/ddp.safetensors" > "$runs/ddp-test.json"
python3 - "$runs" "$out/RESULTS.md" "$epochs" "$data" <<'PY'
import json, sys
runs, target, epochs, data = sys.argv[1:5]
def row(name, result, seconds):
    r = json.load(open(result))
    r = r[0] if isinstance(r, list) else r
    m50, m = r.get("mAP50", r.get("map50")), r.get("mAP", r.get("map"))
    return f"| {name} | {m50:.3f} | {m:.3f} | {open(seconds).read().strip()} |"
lines = ["# The same recipe in PyTorch DDP and in Swift, scored by `rawquant eval`", "",
         f"Command: `Tools/ddp_vs_swift.sh` (EPOCHS={epochs}); data `{data}` (generated); test split; last-epoch weights;",
         "2 CPU cores for each side (DDP: 2 processes × 1 thread over gloo; Swift: 2 tensor-core threads).", "",
         "| trainer | test mAP@0.5 | test AP@[.5:.95] | training wall s |", "|---|---|---|---|",
         row("PyTorch DDP, 2 processes (gloo)", f"{runs}/ddp-test.json", f"{runs}/ddp.done"),
         row("Swift tensor core", f"{runs}/swift-test.json", f"{runs}/swift.done"), ""]
open(target, "w").write("\n".join(lines))
print("\n".join(lines))
PY

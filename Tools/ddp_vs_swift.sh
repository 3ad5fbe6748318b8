#!/usr/bin/env bash
# Issue 17: the same recipe trained by PyTorch DDP (python/examples/train_ddp.py, 2 CPU processes over gloo) and by
# the Swift trainer, both scored by `rawquant eval` on the same test split. Writes experiment/ddp-vs-swift/RESULTS.md.
# Recipe: learned per-colour γ from 1.0 at 4 bits, width 16, batch 16 (8 per process × 2), 96×96 crops, left–right
# flips, AdamW 2e-3 / γ 1e-2, warm-up and cosine decay, EPOCHS epochs (default 8), SEEDS (default 1 2 3); the last
# epoch's weights. Data: `rawquant synth --count 600 --seed 21 --size 128x128` (generated, no third-party content).
# Needs torch (CPU). Resumable: a finished run is not retrained.
set -euo pipefail
cd "$(dirname "$0")/.."
epochs=${EPOCHS:-8} seeds=${SEEDS:-1 2 3} data=${DATA:-data/synthetic-600} out=experiment/ddp-vs-swift runs=runs/ddp-vs-swift
swift build -c release --product rawquant 2>&1 | grep -E "error" && exit 1 || true
bin=.build/release/rawquant
[ -f "$data/dataset.json" ] || $bin synth --count 600 --seed 21 --size 128x128 --out "$data" > /dev/null
mkdir -p "$out"
for seed in $seeds; do
    dir=$runs/seed-$seed
    mkdir -p "$dir"
    if [ ! -f "$dir/swift.done" ]; then
        start=$(date +%s)
        TENSORCORE_THREADS=2 $bin train --data "$data" --quantizer gamma-per-channel --bits 4 --epochs "$epochs" --batch 16 \
            --crop 96x96 --width 16 --seed "$seed" --eval-every "$epochs" --no-resume --out "$dir/swift" > "$dir/swift.log" 2>&1
        echo $(( $(date +%s) - start )) > "$dir/swift.done"
    fi
    if [ ! -f "$dir/ddp.done" ]; then
        start=$(date +%s)
        PYTHONPATH="python${PYTHONPATH:+:$PYTHONPATH}" OMP_NUM_THREADS=1 torchrun --standalone --nproc_per_node 2 python/examples/train_ddp.py \
            --data "$data" --epochs "$epochs" --batch 8 --crop 96x96 --width 16 --bits 4 --seed "$seed" --out "$dir/ddp.safetensors" > "$dir/ddp.log" 2>&1
        echo $(( $(date +%s) - start )) > "$dir/ddp.done"
    fi
    TENSORCORE_THREADS=2 $bin eval --model "$dir/swift/checkpoint.safetensors" --data "$data" --split test --json > "$dir/swift-test.json"
    TENSORCORE_THREADS=2 $bin eval --model "$dir/ddp.safetensors" --data "$data" --split test --json > "$dir/ddp-test.json"
done
python3 - "$runs" "$out/RESULTS.md" "$epochs" "$data" $seeds <<'PY'
import json, statistics, sys
runs, target, epochs, data, *seeds = sys.argv[1:]
def result(path):
    r = json.load(open(path))
    return r[0] if isinstance(r, list) else r
def row(name, side):
    m50 = [result(f"{runs}/seed-{s}/{side}-test.json")["mAP50"] for s in seeds]
    m = [result(f"{runs}/seed-{s}/{side}-test.json")["mAP"] for s in seeds]
    wall = [int(open(f"{runs}/seed-{s}/{side}.done").read()) for s in seeds]
    sd = lambda v: statistics.stdev(v) if len(v) > 1 else 0.0
    return (f"| {name} | {statistics.mean(m50):.3f} ± {sd(m50):.3f} | {', '.join(f'{v:.3f}' for v in m50)} | "
            f"{statistics.mean(m):.3f} ± {sd(m):.3f} | {statistics.mean(wall):.0f} |")
lines = ["# The same recipe in PyTorch DDP and in Swift, scored by `rawquant eval`", "",
         f"Command: `Tools/ddp_vs_swift.sh` (EPOCHS={epochs}, SEEDS={' '.join(seeds)}); data `{data}` (generated); test split;",
         "last-epoch weights; 2 CPU cores for each side (DDP: 2 processes × 1 thread over gloo; Swift: 2 tensor-core threads).",
         "The wall times include start-up (and, for Swift, one validation pass); they were taken with other jobs on the",
         "machine and are not a benchmark (`rawquant bench train-step` is).", "",
         "| trainer | test mAP@0.5 (mean ± sd) | seeds | test AP@[.5:.95] | training wall s (mean) |", "|---|---|---|---|---|",
         row("PyTorch DDP, 2 processes (gloo)", "ddp"), row("Swift tensor core", "swift"), ""]
open(target, "w").write("\n".join(lines))
print("\n".join(lines))
PY

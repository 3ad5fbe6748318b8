#!/usr/bin/env bash
# Trains the bundled detector (Fixtures/models/detector-4bit-gamma.safetensors): a 4-bit learned-γ
# (per CFA colour) CenterNet on synthetic raw scenes, then evaluates it on the held-out test split.
# Run from the repository root on the project's 2-core machine; ~20–30 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release
bin=.build/release/rawquant
data=data/synthetic-256
run=runs/bundled
[ -f "$data/dataset.json" ] || $bin synth --count 3000 --seed 2026 --size 256x256 --out "$data"
start=$(date +%s)
$bin train --data "$data" --quantizer gamma-per-channel --bits 4 --epochs 30 --batch 16 --crop 160x160 --width 16 --seed 1 --out "$run"
end=$(date +%s)
mkdir -p Fixtures/models
cp "$run/best.safetensors" Fixtures/models/detector-4bit-gamma.safetensors
cp "$run/training.csv" Fixtures/models/detector-4bit-gamma.training.csv
$bin eval --model Fixtures/models/detector-4bit-gamma.safetensors --data "$data" --split test --json > Fixtures/models/detector-4bit-gamma.test.json
echo "training wall time: $((end - start)) s"
cat Fixtures/models/detector-4bit-gamma.test.json

#!/usr/bin/env bash
# Trains the bundled real-content detector (Fixtures/models/photo-4bit.safetensors) on the unprocessed photos of
# Tools/make-photo-dataset.sh: learned per-colour γ at 4 bits (median start), trained on the clean mosaics with
# fresh exposure (2⁻⁵…1), ISO 100…3200 noise, colour gains and 0.35…0.7× scale every epoch (the network sees mosaics at half scale: --input-scale 0.5); validated on the noisy
# val split; scored once on the noisy test split (COCO val2017). Resumable: rerun to continue.
# 350 epochs take about 80 minutes on the 2-core machine (13 s per epoch, validation every 10 epochs).
# Usage: Tools/train-photo-model.sh [EPOCHS (default 350)] [OUT (default runs/photo-4bit)]
set -euo pipefail
cd "$(dirname "$0")/.."
epochs=${1:-350}
out=${2:-runs/photo-4bit}
[ -d data/photos-clean ] || Tools/make-photo-dataset.sh
swift build -c release --product rawquant 2>&1 | grep -E "error" && exit 1 || true
bin=.build/release/rawquant
$bin train --data data/photos-clean --val-data data/photos --classes person,car,bicycle \
    --quantizer gamma-per-channel --bits 4 --gamma-start median --width 16 --deep-stages 2 --input-scale 0.5 --batch 8 --crop 320x256 \
    --scale-range 0.35,0.7 --reexpose 0.03125,1 --iso-range 100,3200 --gain-jitter 0.1 --eval-every 10 \
    --epochs "$epochs" --seed 1 --out "$out"
$bin eval --model "$out/best.safetensors" --data data/photos --split test --json > "$out/test.json"
cat "$out/test.json"

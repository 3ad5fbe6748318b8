#!/usr/bin/env bash
# The headline question on real content: the experiment's rows at 4 bits on the unprocessed photos of
# Tools/make-photo-dataset.sh (train on clean mosaics with fresh exposure and noise every epoch; validate and
# test on the noisy ones; COCO val2017 = test), 3 seeds, with per-class AP and a low-light column (the test
# images re-exposed at 2⁻⁶…2⁻⁴). Resumable: rerun to continue; --report-only rewrites RESULTS.md.
# Budget: about 5.5 h on the 2-core machine (7 rows × 3 seeds × 45 epochs of 303 images).
# Usage: Tools/run_photo_experiment.sh [extra experiment options, e.g. --report-only]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d data/photos-clean ] || Tools/make-photo-dataset.sh
swift build -c release --product rawquant 2>&1 | grep -E "error" && exit 1 || true
.build/release/rawquant experiment --data data/photos --training-data data/photos-clean --out experiment/photos \
    --rows float,isp,linear-4,log-4,gamma-global-4,gamma-per-channel-4,bwsq-4 --bits 4 --seeds 1,2,3 --epochs 45 \
    --batch 8 --width 16 --deep-stages 2 --input-scale 0.5 --crop 256 --gamma-start median \
    --scale-range 0.35,0.7 --reexpose 0.03125,1 --iso-range 100,3200 --low-light 0.015625,0.0625 "$@"

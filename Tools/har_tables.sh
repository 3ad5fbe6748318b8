#!/usr/bin/env bash
# Human activity recognition on real wearable data (issue 19): quantizers per sensor channel at 2, 3, 4 and 8 bits,
# 5 seeds, accuracy and macro-F1, with the bytes per second a watch would send.
#   - BasicMotions (sktime/UEA .ts; smart-watch accelerometer + gyroscope, 6 channels × 100 steps at 10 Hz, 4 classes,
#     its own 40/40 train/test split): `rawquant features stream-table` (1-D CNN, quantizer per channel shared over time).
#   - WISDM v1.1 transformed features (ARFF; 43 features per 10-s window of a phone accelerometer, 6 classes):
#     `rawquant features table` (MLP, quantizer per feature), one row per 10 s; split by subject (`--group-column user`,
#     the 36 users whole on one side: har-wisdm-subjects.md) and, for comparison, by window (har-wisdm.md).
# Third-party files are read from ../shared/real/tables (never committed); results go to docs/features/har-*.md (+ .json).
# Environment: RAWQUANT (binary; default .build/release/rawquant), TENSORCORE_THREADS (default 1), ONLY (basicmotions|wisdm-subjects|wisdm).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${RAWQUANT:-.build/release/rawquant}
[ -x "$bin" ] || swift build -c release --product rawquant
export TENSORCORE_THREADS=${TENSORCORE_THREADS:-1}
shared=../shared/real/tables
mkdir -p data/features docs/features
if [ -z "${ONLY:-}" ] || [ "$ONLY" = basicmotions ]; then
    "$bin" features stream-table --train "$shared/sktime_BasicMotions/BasicMotions_TRAIN.ts" --test "$shared/sktime_BasicMotions/BasicMotions_TEST.ts" \
        --methods fp,minmax,gamma-global,gamma,lsq,bwsq --bits 2,3,4,8 --repeats 5 --sample-rate 10 \
        --out docs/features/har-basicmotions.md > data/features/har-basicmotions.log
fi
if [ -z "${ONLY:-}" ] || [ "$ONLY" = wisdm-subjects ]; then
    "$bin" features table --data "$shared/wisdm_v1.1_transformed/WISDM_ar_v1.1_transformed.arff" --target class --drop UNIQUE_ID \
        --group-column user --drop-missing --methods fp,minmax,gamma-global,gamma,lsq,bwsq --bits 2,3,4,8 --repeats 5 \
        --rows-per-second 0.1 --out docs/features/har-wisdm-subjects.md > data/features/har-wisdm-subjects.log
fi
if [ -z "${ONLY:-}" ] || [ "$ONLY" = wisdm ]; then
    "$bin" features table --data "$shared/wisdm_v1.1_transformed/WISDM_ar_v1.1_transformed.arff" --target class --drop UNIQUE_ID,user \
        --drop-missing --methods fp,minmax,gamma-global,gamma,lsq,bwsq --bits 2,3,4,8 --repeats 5 --rows-per-second 0.1 \
        --out docs/features/har-wisdm.md > data/features/har-wisdm.log
fi

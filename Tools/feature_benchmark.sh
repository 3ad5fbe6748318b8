#!/usr/bin/env bash
# The feature-compression benchmark (issue 7): generated public benchmark tables (Friedman #1–#3, Hastie 10.2,
# a skewed log-normal table) and accelerometer windows, each methods × bits with 5 seeded repeats, written to
# docs/features/*.md (+ .json). The tables themselves are generated from fixed seeds (rawquant features synth),
# so nothing is downloaded and every number can be remade. Any CSV runs the same way, e.g.
#   rawquant features table --data california.csv --target MedHouseVal --out california.md
# Environment: TENSORCORE_THREADS (default 1), REPEATS (5), EPOCHS (30), ROWS (3000 per generated table), ONLY (one table).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product rawquant
bin=.build/release/rawquant
export TENSORCORE_THREADS=${TENSORCORE_THREADS:-1}
repeats=${REPEATS:-5} epochs=${EPOCHS:-30} rows=${ROWS:-3000}
mkdir -p data/features docs/features
start=$(date +%s)
for table in friedman1 friedman2 friedman3 lognormal hastie; do
    [ -n "${ONLY:-}" ] && [ "$ONLY" != "$table" ] && continue
    [ -f "data/features/$table.csv" ] || $bin features synth --kind "$table" --rows "$rows" --seed 2026 --out "data/features/$table.csv"
    task=regression
    [ "$table" = hastie ] && task=classification
    $bin features table --data "data/features/$table.csv" --target y --task $task --repeats "$repeats" --epochs "$epochs" --schedule constant \
        --out "docs/features/$table.md" > "data/features/$table.log"
    echo "$table done after $(( $(date +%s) - start )) s"
done
# The wearable case: 2.5k windows of 64 × 3 accelerometer readings (192 features), 5 activities.
if [ -z "${ONLY:-}" ] || [ "$ONLY" = motion ]; then
    [ -f data/features/motion.csv ] || $bin features synth --kind motion --rows 2500 --seed 2026 --out data/features/motion.csv
    $bin features table --data data/features/motion.csv --target activity --methods fp,minmax,lsq,gamma,bwsq --bits 2,4 \
        --repeats "$repeats" --epochs "$epochs" --schedule constant --out docs/features/motion.md > data/features/motion.log
    echo "motion done after $(( $(date +%s) - start )) s"
fi

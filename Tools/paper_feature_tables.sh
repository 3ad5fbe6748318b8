#!/usr/bin/env bash
# The feature-compression paper's Table 2 on its own data (issue 19): `rawquant features table --protocol paper`
# on california, wine_quality (red + white) and fried, methods FP, Pr-MQ (minmax), Pr-QQ (quantile), LSQ, SQ and
# Bw-SQ at 2–8 bits; then Tools/paper_feature_compare.py puts the paper's numbers beside each cell in
# docs/features/paper-NAME.md (+ .json).
#
# The real tables are third-party files read from ../shared/real/tables (never committed); wine's two files are
# joined into data/features/wine_quality.csv and fried is generated (Friedman #1, 40,768 rows, σ = 1, seed 2026).
# Resumable: every table is saved after each cell and a rerun does only the missing cells (--resume).
# Environment: ONLY (one table), RAWQUANT (the binary; default .build/release/rawquant, copy it elsewhere for long
# runs), TENSORCORE_THREADS (default 1: run two tables in two shells on two cores).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${RAWQUANT:-.build/release/rawquant}
[ -x "$bin" ] || swift build -c release --product rawquant
export TENSORCORE_THREADS=${TENSORCORE_THREADS:-1}
shared=../shared/real/tables
mkdir -p data/features docs/features
methods=fp,bwsq,sq,lsq,quantile,minmax  # Bw-SQ first: a partial run (resumable) has the headline rows
run() {  # NAME, then the data options
    local name=$1; shift
    [ -n "${ONLY:-}" ] && [ "$ONLY" != "$name" ] && return 0
    # The search's first candidate, stated so the table does not move with the CLI's defaults.
    local args=(features table --protocol paper --methods "$methods" --bits 2,3,4,5,6,7,8 --hidden 128,128 --dropout 0.1 --epochs 60
                --lr 1e-3 --schedule constant --batch 128 --out "docs/features/paper-$name-raw.md")
    [ -f "docs/features/paper-$name-raw.json" ] && args+=(--resume)
    "$bin" "${args[@]}" "$@" > "data/features/paper-$name.log"
    python3 Tools/paper_feature_compare.py "$name" "docs/features/paper-$name-raw.json" ../shared/reference/PAPER-TABLES.md "docs/features/paper-$name.md"
}
if [ -f "$shared/california_housing_handsonml2.csv" ]; then
    run california --data "$shared/california_housing_handsonml2.csv" --target median_house_value --numeric-only --drop-missing
fi
if [ -f "$shared/winequality-red.csv" ]; then
    awk 1 "$shared/winequality-red.csv" "$shared/winequality-white.csv" > data/features/wine_quality.csv
    run wine_quality --data data/features/wine_quality.csv --no-header --target 12
fi
[ -f data/features/fried.csv ] || "$bin" features synth --kind friedman1 --rows 40768 --seed 2026 --out data/features/fried.csv
run fried --data data/features/fried.csv --target y
pairs=()
for name in california wine_quality fried; do
    [ -f "docs/features/paper-$name-raw.json" ] && pairs+=("$name=docs/features/paper-$name-raw.json")
done
[ ${#pairs[@]} -gt 0 ] && python3 Tools/paper_feature_compare.py --summary ../shared/reference/PAPER-TABLES.md docs/features/paper-summary.md "${pairs[@]}"

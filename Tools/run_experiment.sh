#!/usr/bin/env bash
# The headline experiment (issue 6): every input row × bits × 3 seeds on one synthetic dataset, with one
# budget for every row, then RESULTS.md and plots in experiment/.
#
# The rows are split over LANES processes of one tensor-core thread each (on the project's 2-core
# machine two 1-thread lanes train 1.4× more images per second than one 2-thread process). Each lane
# takes its rows in priority order (the 4-bit column first), and every run resumes: rerunning this
# script after an interruption continues where it stopped. The last step only reads the finished runs
# and writes the report. Environment: LANES (default 2), EPOCHS (8), CROP (96), SEEDS (1,2,3),
# DATA (data/synthetic-128), OUT (experiment).
set -euo pipefail
cd "$(dirname "$0")/.."
lanes=${LANES:-2} epochs=${EPOCHS:-8} crop=${CROP:-96} seeds=${SEEDS:-1,2,3}
data=${DATA:-data/synthetic-128} out=${OUT:-experiment}
swift build -c release --product rawquant
bin=.build/release/rawquant
[ -f "$data/dataset.json" ] || $bin synth --count 2000 --seed 11 --size 128x128 --out "$data"

# Priority order: references and the 4-bit column, then the other widths. ROWS (a space-separated list of row
# ids) runs only those, e.g. the learned curves of issue 16 on their own:
#   ROWS="float-log float-monotone log-learned-global-4 log-learned-4 gamma-log-4 monotone-4" Tools/run_experiment.sh
methods=(gamma-per-channel linear log gamma gamma-global bwsq sq lsq log-learned-global log-learned gamma-log monotone)
rows=(float isp float-log float-monotone)
for m in "${methods[@]}"; do rows+=("$m-4"); done
for b in 2 3 6 8; do
    for m in "${methods[@]}"; do rows+=("$m-$b"); done
done
[ -n "${ROWS:-}" ] && read -r -a rows <<< "$ROWS"

common=(--data "$data" --out "$out" --seeds "$seeds" --epochs "$epochs" --crop "$crop")
start=$(date +%s)
mkdir -p "$out"
for ((lane = 0; lane < lanes; lane++)); do
    (
        for ((i = lane; i < ${#rows[@]}; i += lanes)); do
            TENSORCORE_THREADS=1 $bin experiment "${common[@]}" --rows "${rows[$i]}" > /dev/null
            echo "lane $lane: ${rows[$i]} done after $(( $(date +%s) - start )) s"
        done
    ) 2>&1 | tee -a "$out/lane-$lane.log" &
done
wait
echo "all lanes finished after $(( $(date +%s) - start )) s"
# Every run is finished: this pass only loads results and writes RESULTS.md and the plots.
$bin experiment "${common[@]}" | tail -n 3

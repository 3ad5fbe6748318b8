#!/usr/bin/env bash
# Fuzzes every reader of the project with libFuzzer (issue 13): safetensors, .rqm, .rqf, VOC XML, COCO
# JSON, YOLO labels, class-name files, CSV, the DNG/LibRaw path, PNG, headerless mosaics (--raw-format), detector checkpoints, quantizer files, feature models and file lists, each from a seed corpus made
# from Fixtures/. Usage: Tools/fuzz.sh [SECONDS_PER_TARGET (default 60)] [TARGET …]
#
# First replays Tests/FuzzRegressions/<target>/ (inputs that crashed once) through a normal build; then
# fuzzes each target for SECONDS with AddressSanitizer. A crash is saved to Tests/FuzzRegressions/<target>/
# (commit it: from then on it is replayed on every run) and the script exits 1. Prints executions per target.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(safetensors rqm rqf voc coco yolo classNames csv dng png rawFormat checkpoint quantizer featureModel fileList)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

swift build -c release --product rawquant >/dev/null
swift build -c release --product rawquant-fuzz >/dev/null
replay=.build/release/rawquant-fuzz
swift build -c debug --product rawquant-fuzz --build-path .build-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING 2>&1 \
    | grep -v "Cannot export local symbol" | grep -E "error|warning: " || true
fuzzer=.build-fuzz/debug/rawquant-fuzz
[ -x "$fuzzer" ] || { echo "fuzz build failed"; exit 1; }

# Seed corpora, from committed fixtures and files the tool writes from them.
for t in safetensors rqm rqf voc coco yolo classNames csv dng png rawFormat checkpoint quantizer featureModel fileList; do mkdir -p "$work/corpus/$t"; done
cp Fixtures/models/*.safetensors Fixtures/quantizers/*.safetensors "$work/corpus/safetensors/" 2>/dev/null || true
cp Fixtures/models/*.safetensors "$work/corpus/checkpoint/" 2>/dev/null || true
cp Fixtures/quantizers/*.safetensors "$work/corpus/quantizer/" 2>/dev/null || true
cp Fixtures/scenes/*.xml "$work/corpus/voc/"
cp Fixtures/generated/*.dng "$work/corpus/dng/"
printf '0 0.5 0.5 0.25 0.5\n79 0.1 0.9 0.2 0.2\n' > "$work/corpus/yolo/labels.txt"
printf 'names:\n  0: person\n  1: "traffic light"\nnc: 2\n' > "$work/corpus/classNames/data.yaml"
printf 'names: [person, car]\n' > "$work/corpus/classNames/inline.yaml"
printf '\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x04\x00\x00\x00\x04\x08\x00\x00\x00\x00\x8c\x9a\xc1\xa2\x00\x00\x00\x1c\x49\x44\x41\x54\x78\x9c\x63\x60\x60\xe1\xe0\x61\x10\x10\x91\x90\x61\x50\x50\xd1\xd0\x61\x30\x30\xb1\xb0\x01\x00\x0c\x44\x01\xe1\x19\x7b\x1d\xab\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82' > "$work/corpus/png/gray4x4.png"
{ printf '4x4,12,RGGB,64,4000\n'; head -c 32 /dev/urandom; } > "$work/corpus/rawFormat/rggb4x4.bin"
bin=.build/release/rawquant
$bin simulate --bits 3 --output "$work/rqm" Fixtures/generated/synthetic_rggb_12bit.dng Fixtures/generated/synthetic_gbrg_14bit.dng >/dev/null
cp "$work"/rqm/*.rqm "$work/corpus/rqm/"
printf '/data/raw/a.dng\n\n/data/raw/b c.cr2\r\n' > "$work/corpus/fileList/list.txt"
# Quantizer files of the learned-curve kinds (monotone, γ-log, learned log): one epoch on a few generated scenes.
$bin synth --count 8 --seed 5 --size 64x64 --out "$work/scenes" >/dev/null
for q in monotone gamma-log log-learned; do
    $bin train --data "$work/scenes" --quantizer "$q" --bits 3 --epochs 1 --width 4 --batch 4 --crop 64x64 --val-split none \
        --out "$work/train-$q" --no-resume >/dev/null 2>&1
    cp "$work/train-$q/quantizer.safetensors" "$work/corpus/quantizer/$q.safetensors"
done
$bin features synth --kind friedman1 --rows 12 --seed 1 --out "$work/corpus/csv/friedman.csv" >/dev/null
$bin features synth --kind motion --rows 3 --samples 4 --seed 1 --out "$work/corpus/csv/motion.csv" >/dev/null
printf '%% seed\n@relation r\n@attribute x numeric\n@attribute "c" {a,b}\n@data\n1.5,a\n?,\x27b\x27\n' > "$work/corpus/csv/seed.arff"
$replay seed "$work/corpus/rqf/seed.rqf"
$bin features train --data "$work/corpus/csv/friedman.csv" --target y --epochs 1 --hidden 4 --bits 2 --out "$work/corpus/featureModel/m.safetensors" >/dev/null
cat > "$work/corpus/coco/instances_seed.json" <<'JSON'
{"images": [{"id": 1, "file_name": "a.png", "width": 48, "height": 32}],
 "annotations": [{"image_id": 1, "category_id": 2, "bbox": [1.5, 2, 10, 8], "iscrowd": 0}],
 "categories": [{"id": 1, "name": "person"}, {"id": 2, "name": "car"}]}
JSON

status=0
for t in "${targets[@]}"; do
    regressions=Tests/FuzzRegressions/$t
    [ -d "$regressions" ] && $replay "$t" "$regressions"
    mkdir -p "$work/crashes/$t"
    log="$work/$t.log"
    if ! RAWQUANT_FUZZ_TARGET=$t ASAN_OPTIONS=detect_leaks=0 "$fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
        -max_len=1048576 -print_final_stats=1 -artifact_prefix="$work/crashes/$t/" "$work/corpus/$t" >"$log" 2>&1; then
        status=1
        mkdir -p "$regressions"
        for crash in "$work/crashes/$t"/*; do [ -f "$crash" ] && cp "$crash" "$regressions/" && echo "$t: crashing input saved as $regressions/$(basename "$crash")"; done
        grep -E "ERROR|SUMMARY|Fatal|panic" "$log" | head -5
    fi
    runs=$(grep -E "stat::number_of_executed_units" "$log" | awk '{print $2}' | tail -1)
    echo "$t: ${runs:-?} executions in ${seconds} s"
done
exit $status

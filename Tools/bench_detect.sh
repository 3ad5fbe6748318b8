#!/usr/bin/env bash
# Detector inference, RawQuant against its exact PyTorch twin (issue 18): the same weights from the bundled
# checkpoints (shapes and photo models), the network alone on the input each mosaic size becomes, at 256², 1024² and
# 4000×3000 on 1 and 2 threads. PyTorch runs NCHW and channels_last; the faster is the peer. Prints, per line, the
# Swift folded path, the Swift module path and the peer, and swift/peer (< 1: Swift is faster).
# Needs python3 with torch (CPU) and the python/ package (PYTHONPATH=python). Usage: Tools/bench_detect.sh [RUNS (10)]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
swift build -c release --product rawquant 2>&1 | grep -E "error:" && exit 1 || true
bin=.build/release/rawquant
for model in shapes photo; do
    case $model in
        shapes) checkpoint=Fixtures/models/detector-4bit-gamma.safetensors ;;
        photo) checkpoint=Fixtures/models/photo-4bit.safetensors ;;
    esac
    for size in 256x256 1024x1024 4000x3000; do
        r=$runs
        [ "$size" = 4000x3000 ] && r=$(( runs > 2 ? runs / 2 : 1 ))
        lines=$($bin bench detect --network-only --model "$model" --sizes "$size" --runs "$r")
        shape=$(echo "$lines" | awk '$1 == "network-input" { print $3 }')
        IFS=x read -r c h w <<< "$shape"
        for threads in 1 2; do
            fast=$(echo "$lines" | awk -v t="$threads" '$1 == "network-ms" && $4 == t":" { print $5 }')
            module=$(echo "$lines" | awk -v t="$threads" '$1 == "network-module-ms" && $4 == t":" { print $5 }')
            torch_line=$(PYTHONPATH=python python3 Tools/bench_detect_torch.py "$checkpoint" "$c" "$h" "$w" "$threads" "$r")
            nchw=$(echo "$torch_line" | awk '{ print $3 }') last=$(echo "$torch_line" | awk '{ print $5 }')
            peer=$(awk -v a="$nchw" -v b="$last" 'BEGIN { print (a < b ? a : b) }')
            echo "$model $size (network input ${c}x${h}x${w}) threads $threads: swift $fast ms (module $module), torch nchw $nchw / channels_last $last ms, swift/peer $(awk -v s="$fast" -v p="$peer" 'BEGIN { printf "%.2f", s / p }')"
        done
    done
done

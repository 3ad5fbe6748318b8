#!/usr/bin/env bash
# Transfer to the real file (issue 6): the bundled CR2 through a 4-bit sensor with `simulate`'s default (the learned
# log, the 4-bit column's validation winner, Fixtures/quantizers/log-learned-global-4.safetensors) and with a linear
# 4-bit ramp. Writes docs/transfer/{learned,linear}/IMG_5952.q4.{jpg,json} (previews 900 px wide); the .rqm
# and .dng outputs stay out of the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product rawquant
bin=.build/release/rawquant
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for variant in learned linear; do
    if [ $variant = learned ]; then q=(--quantizer-file Fixtures/quantizers/log-learned-global-4.safetensors); else q=(--quantizer linear --bits 4); fi
    $bin simulate "${q[@]}" --preview-size 900 --output "$work/$variant" --json Fixtures/IMG_5952.CR2 > "$work/$variant.json"
    mkdir -p docs/transfer/$variant
    cp "$work/$variant/IMG_5952.q4.jpg" docs/transfer/$variant/
    sed "s#$work/##g" "$work/$variant.json" > docs/transfer/$variant/IMG_5952.q4.json
    grep -E '"(quantizer|psnrLinear|entropyBitsPerPixel)"' docs/transfer/$variant/IMG_5952.q4.json
done

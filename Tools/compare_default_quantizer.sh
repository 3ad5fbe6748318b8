#!/usr/bin/env bash
# Which 4-bit quantizer should `simulate` default to? Reconstruction PSNR (linear domain, `simulate --json`) of
# every real raw file the project can read — the bundled CR2 and the third-party files of ../shared/real/raw —
# under the default (the learned log of the synthetic scenes), the learned per-colour γ of the synthetic scenes (the
# previous default), the γ learned on real photos (QUANTIZER, from Tools/train-photo-model.sh), linear and the fixed
# log. Prints a Markdown table.
# Usage: Tools/compare_default_quantizer.sh [QUANTIZER (default runs/photo-4bit/quantizer.safetensors)]
set -euo pipefail
cd "$(dirname "$0")/.."
photo=${1:-runs/photo-4bit/quantizer.safetensors}
real=../shared/real/raw
bin=.build/release/rawquant
swift build -c release --product rawquant 2>&1 | grep -E "error" && exit 1 || true
files=("Fixtures/IMG_5952.CR2|" "$real/RAW_CANON_D30_SRGB.CRW|" "$real/RAW_KODAK_DC50.KDC|"
       "$real/isp_DSC_1339_768x512_rggb.raw|--raw-format 768x512,14,RGGB,600,15520"
       "$real/halide_bayer_small_N900_GRBG_10bit.png|--raw-format 256x344,10,GRBG,25,1023")
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
psnr() { python3 -c 'import json,sys; d=json.load(sys.stdin); d=d[0] if isinstance(d,list) else d; print("%.2f" % d["psnrLinear"])'; }
echo "| file | default (learned log) | learned γ (synthetic) | photo-learned γ | linear | fixed log |"
echo "|---|---|---|---|---|---|"
for entry in "${files[@]}"; do
  file=${entry%%|*}; extra=${entry#*|}
  [ -f "$file" ] || continue
  row="| $(basename "$file")"
  for q in "" "--quantizer gamma" "--quantizer-file $photo" "--quantizer linear" "--quantizer log"; do
    # shellcheck disable=SC2086
    row+=" | $($bin simulate --bits 4 $q $extra --json --output "$work" "$file" | psnr)"
  done
  echo "$row |"
done

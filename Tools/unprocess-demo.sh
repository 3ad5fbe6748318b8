#!/usr/bin/env bash
# The README's unprocessing pictures, from the project's own material only: the bundled CR2's rendering is
# unprocessed through the bundled Canon 30D at daylight (exposure 1, ISO 100) and low light (exposure 0.1,
# ISO 1600), and each mosaic is rendered again by the preview ISP (automatic exposure).
# Usage: Tools/unprocess-demo.sh   (from the repository root) → docs/unprocess/*.jpg
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product rawquant >/dev/null
bin=.build/release/rawquant
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$work/photo" docs/unprocess
$bin simulate --bits 8 --preview-size 480 --output "$work/render" Fixtures/IMG_5952.CR2 >/dev/null
cp "$work/render/IMG_5952.q8.jpg" "$work/photo/scene.jpg"
cat > "$work/coco.json" <<'JSON'
{"images": [{"id": 1, "file_name": "scene.jpg"}], "annotations": [], "categories": [{"id": 1, "name": "object"}]}
JSON
for setting in "daylight 1,1 100,100" "lowlight 0.1,0.1 1600,1600"; do
  set -- $setting
  $bin unprocess --images "$work/photo" --annotations "$work/coco.json" --exposure-range "$2" --iso-range "$3" --seed 1 \
    --out "$work/$1" >/dev/null 2>&1
  $bin simulate --bits 8 --output "$work/$1/render" "$work/$1/raw/scene.dng" >/dev/null
  cp "$work/$1/render/scene.q8.jpg" "docs/unprocess/$1.jpg"
done
cp "$work/photo/scene.jpg" docs/unprocess/photo.jpg
echo "wrote docs/unprocess/{photo,daylight,lowlight}.jpg"

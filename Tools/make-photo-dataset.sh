#!/usr/bin/env bash
# Unprocesses every labelled photo of ../shared/real/photos (coco128, coco_tiny, tiny_coco, coco_mini; duplicates
# by COCO id taken once) through the bundled Canon 30D, keeping person, car and bicycle boxes:
#   data/photos        noisy mosaics, default draws (exposure 0.05…1, ISO 100…3200): validation and test
#   data/photos-clean  the same photos without noise at the photo's exposure: training input for
#                      `train --reexpose`, which draws exposure and noise afresh every epoch
# Splits: COCO train2017 → train (a seeded 10 % → val), val2017 → test (the same in both folders).
# Usage: Tools/make-photo-dataset.sh [SHARED_PHOTOS (default ../shared/real/photos)]   — never commit data/.
set -euo pipefail
cd "$(dirname "$0")/.."
photos=${1:-../shared/real/photos}
[ -d "$photos/coco128" ] || { echo "no labelled photos at $photos (see ../shared/real/README.md)"; exit 1; }
swift build -c release --product rawquant 2>&1 | grep -E "error" && exit 1 || true
sources=(--images "$photos/coco128/images" --annotations "$photos/coco128/object_detection/labels"
         --images "$photos/coco_tiny" --annotations "$photos/coco_tiny/annotations"
         --images "$photos/tiny_coco" --annotations "$photos/tiny_coco/annotations"
         --images "$photos/coco_mini" --annotations "$photos/coco_mini/annotations")
.build/release/rawquant unprocess "${sources[@]}" --classes person,car,bicycle --seed 2026 --out data/photos
.build/release/rawquant unprocess "${sources[@]}" --classes person,car,bicycle --seed 2026 --no-noise --exposure-range 1,1 --out data/photos-clean

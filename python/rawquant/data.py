"""RawQuant datasets in Python (needs rawpy): the packed planes and boxes the Swift trainer sees.

A dataset directory in RawQuant's layout (`rawquant synth`, `rawquant unprocess`): `raw/<id>.dng`,
`Annotations/<id>.xml` (VOC: boxes in mosaic pixels, 1-based inclusive), `ImageSets/Main/<split>.txt`.
`planes(path)` decodes a raw file with LibRaw (through rawpy) and packs it as Swift's `PlanePacking` does:
`[4, H/2, W/2]` float32, planes R, Gr, Gb, B, x̂ = clamp((x − black)/(white − black), 0, 1) per 2×2 position.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

import numpy as np


def source_positions(cfa: str) -> List[int]:
    """The 2×2 positions (row-major) of the R, Gr, Gb, B planes (Swift `PlanePacking.sourcePositions`)."""
    cfa = cfa.upper()
    red, blue = cfa.index("R"), cfa.index("B")
    return [red, (red & 2) | (1 - (red & 1)), (blue & 2) | (1 - (blue & 1)), blue]


def planes(path) -> Tuple[np.ndarray, List[int]]:
    """(planes `[4, H/2, W/2]` float32, ADC range white − black of each plane) of a raw file."""
    import rawpy

    with rawpy.imread(str(path)) as raw:
        mosaic = raw.raw_image_visible.astype(np.float32)
        pattern = raw.raw_pattern
        letters = raw.color_desc.decode()
        cfa = "".join(letters[pattern[p >> 1][p & 1]] for p in range(4))  # e.g. "RGGB" (color_desc "RGBG")
        blacks = [int(b) for b in raw.black_level_per_channel]
        black_at = [blacks[pattern[p >> 1][p & 1]] for p in range(4)]
        white = int(raw.white_level)
    h, w = mosaic.shape[0] // 2 * 2, mosaic.shape[1] // 2 * 2
    out, ranges = [], []
    for p in source_positions(cfa):
        r, c = p >> 1, p & 1
        b = np.float32(black_at[p])
        x = (mosaic[r:h:2, c:w:2] - b) / (np.float32(white) - b)
        out.append(np.clip(x, 0, 1).astype(np.float32))
        ranges.append(white - black_at[p])
    return np.stack(out), ranges


def voc_boxes(path, classes: Sequence[str]) -> List[Tuple[int, List[float]]]:
    """(class index, [xmin, ymin, xmax, ymax]) of a VOC annotation's objects of `classes` (others left out)."""
    root = ET.parse(str(path)).getroot()
    found = []
    for obj in root.iter("object"):
        name = obj.findtext("name")
        if name not in classes:
            continue
        box = obj.find("bndbox")
        found.append((classes.index(name), [float(box.findtext(k)) for k in ("xmin", "ymin", "xmax", "ymax")]))
    return found


class RawDetectionDataset:
    """Images of one split: item i is (planes `[4, h, w]`, ranges, boxes [(class, box)])."""

    def __init__(self, directory, split: str, classes: Optional[Sequence[str]] = None):
        self.directory = Path(directory)
        self.ids = [line.strip() for line in (self.directory / "ImageSets" / "Main" / f"{split}.txt").read_text().splitlines() if line.strip()]
        if classes is None:
            names = set()
            for i in self.ids:
                names.update(o.findtext("name") for o in ET.parse(str(self.directory / "Annotations" / f"{i}.xml")).getroot().iter("object"))
            classes = sorted(names)
        self.classes = list(classes)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index: int):
        image_id = self.ids[index]
        x, ranges = planes(self.directory / "raw" / f"{image_id}.dng")
        return x, ranges, voc_boxes(self.directory / "Annotations" / f"{image_id}.xml", self.classes)

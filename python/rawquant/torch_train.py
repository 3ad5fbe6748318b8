"""Joint detector + quantizer training in torch, as RawQuant's `DetectorTrainer` does it (needs torch).

CenterNet targets and loss as in Swift (`CenterNetTargets`, `CenterNetLoss`): Gaussian heatmaps at stride 4 of
the mosaic with CenterNet's radius (IoU 0.7), σ = (2r + 1)/6; focal loss (α 2, β 4) normalised by the number of
peaks, + 0.1 · L1 on sizes (cells) + 1 · L1 on sub-cell offsets at the centres. AdamW (network lr 2e-3, weight
decay 1e-4; quantizer lr 1e-2, no decay), linear warm-up then cosine to 5 %, gradient norm clipped at 10.
"""
from __future__ import annotations

import math
from typing import List, Sequence, Tuple

import torch
import torch.nn.functional as F

STRIDE = 4


def gaussian_radius(height: float, width: float, min_overlap: float = 0.7) -> float:
    a1, b1, c1 = 1.0, height + width, width * height * (1 - min_overlap) / (1 + min_overlap)
    r1 = (b1 + math.sqrt(b1 * b1 - 4 * a1 * c1)) / 2
    a2, b2, c2 = 4.0, 2 * (height + width), (1 - min_overlap) * width * height
    r2 = (b2 + math.sqrt(b2 * b2 - 4 * a2 * c2)) / 2
    a3, b3, c3 = 4 * min_overlap, -2 * min_overlap * (height + width), (min_overlap - 1) * width * height
    r3 = (b3 + math.sqrt(b3 * b3 - 4 * a3 * c3)) / 2
    return min(r1, r2, r3)


def targets(boxes: Sequence[Sequence[Tuple[int, List[float]]]], classes: int, mosaic_height: int, mosaic_width: int):
    """(heatmap [B, K, h, w], centre cell indices, sizes, offsets, batch indices) for VOC boxes in mosaic pixels."""
    h, w = mosaic_height // STRIDE, mosaic_width // STRIDE
    heat = torch.zeros(len(boxes), classes, h, w)
    cells, sizes, offsets, owners = [], [], [], []
    for n, objects in enumerate(boxes):
        for label, (xmin, ymin, xmax, ymax) in objects:
            cx, cy = (xmin - 1 + xmax) / 2 / STRIDE, (ymin - 1 + ymax) / 2 / STRIDE
            ix, iy = min(max(int(math.floor(cx)), 0), w - 1), min(max(int(math.floor(cy)), 0), h - 1)
            bw, bh = (xmax - xmin + 1) / STRIDE, (ymax - ymin + 1) / STRIDE
            radius = max(0, int(gaussian_radius(bh, bw)))
            sigma = (2 * radius + 1) / 6
            for dy in range(-radius, radius + 1):
                for dx in range(-radius, radius + 1):
                    yy, xx = iy + dy, ix + dx
                    if 0 <= yy < h and 0 <= xx < w:
                        value = 1.0 if dx == 0 and dy == 0 else math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma))
                        heat[n, label, yy, xx] = max(float(heat[n, label, yy, xx]), value)
            cells.append(iy * w + ix)
            sizes.append([bw, bh])
            offsets.append([cx - ix, cy - iy])
            owners.append(n)
    return heat, torch.tensor(cells, dtype=torch.long), torch.tensor(sizes).reshape(-1, 2), torch.tensor(offsets).reshape(-1, 2), \
        torch.tensor(owners, dtype=torch.long)


def loss(outputs, target):
    """CenterNet's loss: focal + 0.1 · size L1 + 1 · offset L1 (normalised by the number of objects)."""
    logits, size, offset = outputs
    heat, cells, sizes, offsets, owners = target
    positive = (heat == 1).float()
    p = torch.sigmoid(logits)
    focal_pos = (1 - p) ** 2 * F.logsigmoid(logits) * positive
    focal_neg = p ** 2 * F.logsigmoid(-logits) * (1 - heat) ** 4 * (1 - positive)
    focal = -(focal_pos + focal_neg).sum() / max(float(positive.sum()), 1.0)
    count = max(len(cells), 1)
    if len(cells) == 0:
        return focal
    b, _, h, w = size.shape
    ps = size.reshape(b, 2, h * w)[owners, :, cells]
    po = offset.reshape(b, 2, h * w)[owners, :, cells]
    return focal + 0.1 * (ps - sizes).abs().sum() / count + (po - offsets).abs().sum() / count


def schedule(step: int, total: int, warmup: int = 100, minimum: float = 0.05) -> float:
    """Linear warm-up, then cosine decay to `minimum` of the learning rate."""
    if step < warmup:
        return (step + 1) / warmup
    progress = min(1.0, (step - warmup) / max(total - warmup, 1))
    return minimum + (1 - minimum) * 0.5 * (1 + math.cos(math.pi * progress))

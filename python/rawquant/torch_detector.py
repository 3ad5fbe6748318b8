"""The torch twin of RawQuant's `CenterNetDetector` (needs torch), loading and writing its checkpoints.

Same modules, order and parameter names as the Swift network (`network.stem.0.weight`, `network.down1.4.running_var`,
…), so a RawQuant checkpoint's `network.*` tensors load as they are and a torch-trained state dict saves back into a
checkpoint `rawquant detect` and `eval` read. Input `[B, C, H, W]`: the quantizer's output on the packed R, Gr, Gb, B
planes (H, W multiples of the plane multiple); output at stride 2 of the planes: heatmap logits (K), size (2), offset (2).

Backbone (c = base channels; conv 3×3 without bias → BatchNorm → ReLU): stem c @ ½ → 2c stride 2 → 2c (→ r residual
blocks) → 4c stride 2 → 4c (→ r residual blocks) → 4c dilated 2; with deep stages 8c stride 2 → 8c (→ r) at ¹⁄₁₆ and
8c stride 2 → 8c (→ r) at ¹⁄₃₂, merged top-down by 3×3 blocks; the ⅛ features upsampled and concatenated with the ¼
ones, fused to 4c; three heads conv 3×3 (c, bias) → ReLU → conv 1×1.
"""
from __future__ import annotations

import json
from typing import Dict

import torch
import torch.nn.functional as F
from safetensors.numpy import load_file, save_file
from torch import nn


def _block(cin: int, cout: int, stride: int = 1, dilation: int = 1):
    return [nn.Conv2d(cin, cout, 3, stride=stride, padding=dilation, dilation=dilation, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]


class ResidualBlock(nn.Module):
    """y = ReLU(body(x) + x), body = conv → BN → ReLU → conv → BN (Swift `ResidualBlock`)."""

    def __init__(self, channels: int, dilation: int = 1):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(channels, channels, 3, padding=dilation, dilation=dilation, bias=False), nn.BatchNorm2d(channels), nn.ReLU(),
            nn.Conv2d(channels, channels, 3, padding=dilation, dilation=dilation, bias=False), nn.BatchNorm2d(channels))
        nn.init.zeros_(self.body[4].weight)

    def forward(self, x):
        return F.relu(self.body(x) + x)


class CenterNet(nn.Module):
    """`configuration`: the checkpoint's `DetectorConfiguration` JSON (classes, baseChannels, inputChannels,
    deepStages, residualBlocks)."""

    def __init__(self, configuration: Dict):
        super().__init__()
        self.configuration = dict(configuration)
        c, i = configuration["baseChannels"], configuration["inputChannels"]
        k, deep, r = len(configuration["classes"]), configuration.get("deepStages") or 0, configuration.get("residualBlocks") or 0
        self.deep = deep
        res = lambda ch: [ResidualBlock(ch) for _ in range(r)]  # noqa: E731
        self.stem = nn.Sequential(*_block(i, c))
        self.down1 = nn.Sequential(*_block(c, 2 * c, 2), *_block(2 * c, 2 * c), *res(2 * c))
        self.down2 = nn.Sequential(*_block(2 * c, 4 * c, 2), *_block(4 * c, 4 * c), *res(4 * c))
        self.context = nn.Sequential(*_block(4 * c, 4 * c, dilation=2))
        self.fuse = nn.Sequential(*_block(6 * c, 4 * c))

        def head(outputs: int):
            return nn.Sequential(nn.Conv2d(4 * c, c, 3, padding=1), nn.ReLU(), nn.Conv2d(c, outputs, 1))

        self.heatmapHead, self.sizeHead, self.offsetHead = head(k), head(2), head(2)
        nn.init.constant_(self.heatmapHead[2].bias, -2.19)
        self.deep16 = nn.Sequential(*_block(4 * c, 8 * c, 2), *_block(8 * c, 8 * c), *res(8 * c)) if deep >= 1 else None
        self.deep32 = nn.Sequential(*_block(8 * c, 8 * c, 2), *_block(8 * c, 8 * c), *res(8 * c)) if deep >= 2 else None
        self.merge16 = nn.Sequential(*_block(16 * c, 8 * c)) if deep >= 2 else None
        self.merge8 = nn.Sequential(*_block(12 * c, 4 * c)) if deep >= 1 else None

    @property
    def plane_multiple(self) -> int:
        return 8 << max(0, self.deep - 1)

    def forward(self, x):
        up = lambda t: F.interpolate(t, scale_factor=2, mode="nearest")  # noqa: E731
        quarter = self.down1(self.stem(x))
        eighth = self.context(self.down2(quarter))
        if self.deep16 is not None:
            sixteenth = self.deep16(eighth)
            if self.deep32 is not None:
                sixteenth = self.merge16(torch.cat([sixteenth, up(self.deep32(sixteenth))], dim=1))
            eighth = self.merge8(torch.cat([eighth, up(sixteenth)], dim=1))
        fused = self.fuse(torch.cat([quarter, up(eighth)], dim=1))
        return self.heatmapHead(fused), self.sizeHead(fused), self.offsetHead(fused)


def load_checkpoint(path):
    """(network in eval mode, the checkpoint's metadata JSON) from a RawQuant detector checkpoint."""
    from safetensors import safe_open

    with safe_open(str(path), framework="np") as f:
        metadata = f.metadata() or {}
    if metadata.get("format") != "rawquant-detector":
        raise ValueError(f"{path}: not a RawQuant detector checkpoint")
    info = json.loads(metadata["detector"])
    network = CenterNet(info["configuration"])
    tensors = load_file(str(path))
    state = {k[len("network."):]: torch.from_numpy(v) for k, v in tensors.items() if k.startswith("network.")}
    missing, unexpected = network.load_state_dict(state, strict=False)
    missing = [m for m in missing if not m.endswith("num_batches_tracked")]
    if missing or unexpected:
        raise ValueError(f"{path}: weights do not fit the configuration (missing {missing[:3]}, unexpected {unexpected[:3]})")
    network.eval()
    return network, info, {k: v for k, v in tensors.items() if not k.startswith("network.")}


def save_checkpoint(network: CenterNet, info: Dict, quantizer_tensors: Dict, path) -> None:
    """Writes `network` (with the quantizer tensors and checkpoint JSON `info`) as a checkpoint `rawquant` reads."""
    tensors = {f"network.{k}": v.detach().cpu().numpy().astype("float32") for k, v in network.state_dict().items()
               if not k.endswith("num_batches_tracked")}
    tensors.update(quantizer_tensors)
    save_file(tensors, str(path), metadata={"format": "rawquant-detector", "version": "1", "detector": json.dumps(info, sort_keys=True)})

"""ONNX export of a RawQuant detector that takes the sensor's codes (needs torch, onnx; onnxruntime to run it).

    python -m rawquant.export MODEL.safetensors OUT.onnx --size 256x256 --cfa RGGB

The graph's input `codes` is the N-bit code mosaic a sensor sends, `[1, 1, H, W]` uint8 (H, W even); inside, the
codes are split into the R, Gr, Gb, B planes of the CFA, mapped through the quantizer's network decoder
((code + ½)/L for the curve quantizers: γ, log, learned log, γ-log, monotone), zero-padded to the network's plane
multiple and run through the CenterNet. Outputs: `heatmap_logits` [1, K, h, w], `size` [1, 2, h, w], `offset`
[1, 2, h, w] at stride 4 of the mosaic — what `rawquant detect` decodes into boxes. Models that see mosaics at an
input scale other than 1 resample the raw before quantizing and have no codes-in graph (refused).
"""
from __future__ import annotations

import argparse
import math
import sys

import torch
import torch.nn.functional as F
from torch import nn

from .data import source_positions
from .torch_detector import CenterNet, load_checkpoint

CURVE_QUANTIZERS = {"gamma", "gamma-global", "gamma-per-channel", "linear", "log", "log-learned", "log-learned-global", "gamma-log", "monotone"}


class CodesDetector(nn.Module):
    """codes [1, 1, H, W] uint8 → (heatmap logits, size, offset)."""

    def __init__(self, network: CenterNet, bits: int, cfa: str, height: int, width: int):
        super().__init__()
        if height % 2 or width % 2:
            raise ValueError(f"the mosaic's sides must be even, got {width}×{height}")
        self.network = network
        levels = 1 << bits
        self.register_buffer("table", ((torch.arange(levels, dtype=torch.float32) + 0.5) / levels))
        self.positions = source_positions(cfa)
        m = network.plane_multiple
        self.pad = (0, math.ceil(width / 2 / m) * m - width // 2, 0, math.ceil(height / 2 / m) * m - height // 2)
        self.zero = float((0 + 0.5) / levels)

    def forward(self, codes):
        index = codes.to(torch.int64)
        planes = [self.table[index[:, :, p >> 1::2, p & 1::2]] for p in self.positions]
        x = torch.cat(planes, dim=1)
        # Padding gets the code of x̂ = 0, as the quantizer gives the zero-padded planes (code 0 for every curve).
        x = F.pad(x, self.pad, value=self.zero)
        return self.network(x)


def export(checkpoint: str, output: str, height: int, width: int, cfa: str = "RGGB") -> None:
    """Writes the codes-in ONNX graph of `checkpoint` for `height` × `width` mosaics with CFA `cfa`."""
    network, info, _ = load_checkpoint(checkpoint)
    quantizer = info["quantizer"]
    if quantizer["name"] not in CURVE_QUANTIZERS:
        raise ValueError(f"{checkpoint}: a {quantizer['name']} detector has no codes-in graph yet (curve quantizers only)")
    if (info["configuration"].get("inputScale") or 1) != 1:
        raise ValueError(f"{checkpoint}: this detector sees mosaics at scale {info['configuration']['inputScale']}; it has no codes-in graph")
    model = CodesDetector(network, quantizer["bits"], cfa, height, width).eval()
    example = torch.zeros(1, 1, height, width, dtype=torch.uint8)
    torch.onnx.export(model, (example,), output, input_names=["codes"], output_names=["heatmap_logits", "size", "offset"],
                      opset_version=17, dynamo=False)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Export a RawQuant detector as an ONNX graph that takes the sensor's codes.")
    parser.add_argument("checkpoint")
    parser.add_argument("output")
    parser.add_argument("--size", default="256x256", help="mosaic WIDTHxHEIGHT (even)")
    parser.add_argument("--cfa", default="RGGB")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))
    try:
        export(args.checkpoint, args.output, height, width, args.cfa)
    except ValueError as error:
        print(f"rawquant.export: error: {error}", file=sys.stderr)
        return 2
    print(f"wrote {args.output} ({width}×{height} codes in, CFA {args.cfa})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

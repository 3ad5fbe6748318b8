"""Torch train faces of RawQuant's curve quantizers (needs torch): learned γ, learned log, γ-log, monotone.

Input: x̂ `[B, C, H, W]` float32 in [0, 1] (x̂ = (x − black)/(white − black) of an ADC code x) with a
`layout`: per channel its CFA colour (0 R, 1 G, 2 B) and ADC range white − black. Output: what the network
receives, (code + ½)/L with code = min(L − 1, ⌊L·f(x̂)⌋).

- **Training mode** evaluates f with torch ops and passes gradients straight through the code step (as the Swift
  `StraightThrough.code`: ∂out/∂y = 1), so the curve's parameters learn through the detection loss.
- **Eval mode** is the deploy face: each x̂ is mapped back to its ADC offset k = round(x̂ · range) and looked up in
  the sensor's encoder table for that range (`QuantizerSpec.encoder`, built with the C library's float32 `logf`/
  `powf` exactly as Swift builds it), so on every ADC code the output equals Swift's bit for bit — whatever last
  bit torch's vectorised `log`/`pow` would round differently.

Parameters are named and shaped as in the Swift checkpoints (`rho` [groups] for γ, `logScale` [groups] for D,
`theta` [groups, K] and the buffer `knots` [K + 1] for the monotone curve).

SQ, Bw-SQ and LSQ (`SoftThresholds`, `LSQ`, `TemperatureSchedule`) live in `torch_threshold_faces` and are
re-exported here; all faces share `DeployFace.deployed`, the eval path through the spec's encoder and network decoder.
"""
from __future__ import annotations

import math
from typing import List, Sequence

import numpy as np
import torch
from torch import nn

from .spec import QuantizerSpec


def _inverse_softplus(v: float) -> float:
    return v if v > 20 else math.log(math.expm1(v))


class StraightThroughCode(torch.autograd.Function):
    """code = min(L − 1, ⌊L·y⌋) forward; gradient L (the derivative of L·y) backward."""

    @staticmethod
    def forward(ctx, y, levels: int):
        ctx.levels = levels
        return torch.clamp(torch.floor(y * levels), max=levels - 1)

    @staticmethod
    def backward(ctx, g):
        return g * ctx.levels, None


class Layout:
    """Per channel: CFA colour (0 R, 1 G, 2 B) and ADC range white − black (e.g. the packed R, Gr, Gb, B planes)."""

    def __init__(self, colors: Sequence[int], ranges: Sequence[int]):
        if len(colors) != len(ranges):
            raise ValueError(f"layout: {len(colors)} colours but {len(ranges)} ranges")
        self.colors = [int(c) for c in colors]
        self.ranges = [int(r) for r in ranges]

    @staticmethod
    def bayer_planes(black_levels_by_plane: Sequence[int], white: int) -> "Layout":
        """The R, Gr, Gb, B planes with each plane's black level."""
        return Layout([0, 1, 1, 2], [white - b for b in black_levels_by_plane])


class DeployFace(nn.Module):
    """What every train face shares: N bits, the deploy spec, and the exact eval path through the sensor's tables."""

    def __init__(self, bits: int):
        super().__init__()
        if not 1 <= bits <= 8:
            raise ValueError(f"bits must be in 1...8, got {bits}")
        self.bits = bits
        self._tables = {}

    @property
    def levels(self) -> int:
        return 1 << self.bits

    @property
    def values_per_channel(self) -> int:
        """Values the network receives per input channel (2^N − 1 for Bw-SQ, else 1)."""
        return 1

    def output_channels(self, input_channels: int) -> int:
        return input_channels * self.values_per_channel

    def deploy_spec(self) -> QuantizerSpec:
        raise NotImplementedError

    def start_epoch(self, epoch: int, epochs: int) -> None:
        """Called once per epoch by a trainer (Swift `startEpoch`; the threshold faces' temperature uses it)."""

    def after_optimizer_step(self) -> None:
        """Called after each optimizer step (Swift `afterOptimizerStep`; projections such as sorted thresholds)."""

    def check_input(self, x: torch.Tensor, layout: Layout) -> None:
        if x.dim() != 4 or x.shape[1] != len(layout.colors):
            raise ValueError(f"input {tuple(x.shape)} does not match {len(layout.colors)} channels")

    @torch.no_grad()
    def deployed(self, x: torch.Tensor, layout: Layout) -> torch.Tensor:
        """The deploy face on x̂ of ADC codes: the encoder table at ADC offset round(x̂ · range), then the network
        decoder (`QuantizerSpec.network_decoder`: (code + ½)/L for the curves). Output `[B, C·V, H, W]`, channel
        c·V + j holding value j of input channel c."""
        spec = self.deploy_spec()
        v = spec.values_per_channel
        b, c_in, h, w = x.shape
        out = torch.empty((b, c_in * v, h, w), dtype=x.dtype, device=x.device)
        for c, (color, span) in enumerate(zip(layout.colors, layout.ranges)):
            key = (repr(spec), color, span, str(x.device), x.dtype)
            if key not in self._tables:
                if len(self._tables) > 64:
                    self._tables.clear()
                codes = spec.encoder(color, 0, span, max(1, int(span).bit_length()))[: span + 1]
                table = spec.network_decoder(color)[codes.astype(np.int64)]
                self._tables[key] = torch.from_numpy(np.ascontiguousarray(table)).to(device=x.device, dtype=x.dtype)
            offsets = torch.clamp(torch.round(x[:, c] * span), 0, span).long()
            values = self._tables[key][offsets]  # [B, H, W, V]
            out[:, c * v:(c + 1) * v] = values.permute(0, 3, 1, 2)
        return out


class CurveFace(DeployFace):
    """The curve families: parameters per group (1 global or 3 for R, G, B), the code step, and the exact eval path."""

    def per_channel(self, values: torch.Tensor, layout: Layout) -> torch.Tensor:
        index = [0] * len(layout.colors) if values.shape[0] == 1 else layout.colors
        return values[index].reshape(1, len(layout.colors), 1, 1)

    def curve(self, x: torch.Tensor, layout: Layout) -> torch.Tensor:
        raise NotImplementedError

    def forward(self, x: torch.Tensor, layout: Layout) -> torch.Tensor:
        self.check_input(x, layout)
        if not self.training:
            return self.deployed(x, layout)
        y = self.curve(x, layout)
        return (StraightThroughCode.apply(y, self.levels) + 0.5) / self.levels


class LearnableGamma(CurveFace):
    """y = x̂^γ, γ = softplus(ρ) per group (Swift `LearnableGammaQuantizer`); ∂y/∂γ = 0 at x̂ = 0."""

    def __init__(self, bits: int, gamma: Sequence[float] = (1.0,), groups: int = 3):
        super().__init__(bits)
        start = list(gamma) * groups if len(gamma) == 1 else list(gamma)
        self.rho = nn.Parameter(torch.tensor([_inverse_softplus(g) for g in start], dtype=torch.float32))

    def curve(self, x, layout):
        g = self.per_channel(torch.nn.functional.softplus(self.rho), layout)
        positive = x > 0
        safe = torch.where(positive, x, torch.ones_like(x))
        return torch.where(positive, safe.pow(g), torch.zeros_like(x))

    def deploy_spec(self):
        gammas = torch.nn.functional.softplus(self.rho.detach()).tolist()
        return QuantizerSpec(kind="gamma", bits=self.bits, gammas=[float(np.float32(g)) for g in gammas])


class LearnedLog(CurveFace):
    """y = (ln(1 + D·x̂)/ln(1 + D))^γ, D = e^δ (`logScale`), γ = softplus(ρ) for γ-log, γ ≡ 1 for the learned log."""

    def __init__(self, bits: int, scale: float = 3839, gamma: float = None, groups: int = 3):
        super().__init__(bits)
        self.logScale = nn.Parameter(torch.full((groups,), math.log(scale), dtype=torch.float32))
        self.rho = nn.Parameter(torch.full((groups,), _inverse_softplus(gamma), dtype=torch.float32)) if gamma is not None else None

    def curve(self, x, layout):
        d = self.per_channel(torch.exp(self.logScale), layout)
        y = torch.log(x * d + 1) / torch.log(d + 1)
        if self.rho is None:
            return y
        g = self.per_channel(torch.nn.functional.softplus(self.rho), layout)
        positive = y > 0
        return torch.where(positive, torch.where(positive, y, torch.ones_like(y)).pow(g), torch.zeros_like(y))

    def deploy_spec(self):
        scales = [float(v) for v in np.exp(self.logScale.detach().numpy().astype(np.float32)).astype(np.float32)]
        if self.rho is None:
            return QuantizerSpec(kind="log", bits=self.bits, log_scales=scales)
        gammas = torch.nn.functional.softplus(self.rho.detach()).tolist()
        return QuantizerSpec(kind="gamma-log", bits=self.bits, gammas=[float(np.float32(g)) for g in gammas], log_scales=scales)


class MonotoneCurve(CurveFace):
    """y = Σ_k Δ_k · clamp((x̂ − t_k)·s_k, 0, 1), Δ = softplus(θ)/Σ softplus(θ) per group, knots t fixed (a buffer)."""

    def __init__(self, bits: int, knots: Sequence[float], groups: int = 3):
        super().__init__(bits)
        self.register_buffer("knots", torch.tensor(list(knots), dtype=torch.float32))
        self.theta = nn.Parameter(torch.zeros(groups, len(knots) - 1))

    @staticmethod
    def log_spaced_knots(segments: int, range_: float) -> List[float]:
        """Knots uniform in the log curve's y (Swift `MonotoneCurve.logSpacedKnots`)."""
        return [0.0 if k == 0 else 1.0 if k == segments else float(np.float32(math.expm1(k / segments * math.log1p(range_)) / range_))
                for k in range(segments + 1)]

    def increments(self) -> torch.Tensor:
        positive = torch.nn.functional.softplus(self.theta)
        return positive / positive.sum(dim=1, keepdim=True)

    def curve(self, x, layout):
        delta = self.increments()
        t = self.knots
        slopes = 1 / (t[1:] - t[:-1])
        y = None
        for k in range(delta.shape[1]):
            term = torch.clamp((x - t[k]) * slopes[k], 0, 1) * self.per_channel(delta[:, k], layout)
            y = term if y is None else y + term
        return y

    def deploy_spec(self):
        rows = [[float(v) for v in row] for row in self.increments().detach().numpy().astype(np.float32)]
        return QuantizerSpec(kind="monotone", bits=self.bits, knots=[float(v) for v in self.knots.numpy()], increments=rows)


def from_spec(spec: QuantizerSpec, **options) -> DeployFace:
    """A torch train face whose deploy face is `spec`, in eval mode: the curve kinds (gamma, log with D, gamma-log,
    monotone) and SQ, Bw-SQ, LSQ (`torch_threshold_faces.from_spec`; `options` go to it, e.g. `schedule=`)."""
    if spec.kind in ("sq", "bwsq", "lsq"):
        from .torch_threshold_faces import from_spec as threshold_from_spec

        return threshold_from_spec(spec, **options)
    if spec.kind == "gamma":
        face = LearnableGamma(spec.bits, spec.gammas, groups=len(spec.gammas))
        face.rho.data = torch.tensor([_inverse_softplus(g) for g in spec.gammas], dtype=torch.float32)
    elif spec.kind in ("log", "gamma-log") and spec.log_scales is not None:
        groups = max(len(spec.log_scales), len(spec.gammas) or 1)
        spread = lambda v: list(v) * groups if len(v) == 1 else list(v)  # noqa: E731
        face = LearnedLog(spec.bits, gamma=1.0 if spec.kind == "gamma-log" else None, groups=groups)
        face.logScale.data = torch.tensor([math.log(d) for d in spread(spec.log_scales)], dtype=torch.float32)
        if spec.kind == "gamma-log":
            face.rho.data = torch.tensor([_inverse_softplus(g) for g in spread(spec.gammas)], dtype=torch.float32)
    elif spec.kind == "monotone":
        face = MonotoneCurve(spec.bits, spec.knots, groups=len(spec.increments))
        face.theta.data = torch.tensor([[_inverse_softplus(max(v, 1e-30)) for v in row] for row in spec.increments], dtype=torch.float32)
    else:
        raise ValueError(f"no torch face for {spec.kind} (yet)")
    face.eval()
    return face


def __getattr__(name):
    # The threshold and step faces live in their own module (which imports this one); re-exported lazily.
    if name in ("SoftThresholds", "LSQ", "TemperatureSchedule", "RAW_TEMPERATURE"):
        from . import torch_threshold_faces

        return getattr(torch_threshold_faces, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

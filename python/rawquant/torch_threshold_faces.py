"""Torch train faces of RawQuant's threshold and step quantizers (needs torch): SQ, Bw-SQ and LSQ.

Input: x̂ `[B, C, H, W]` in [0, 1] with a `torch_faces.Layout` (per channel its CFA colour and ADC range), as
for the curve faces. Parameters are named and shaped as in the Swift checkpoints (`quantizer.thresholds`
`[groups, 2^N − 1]`, `quantizer.step` `[groups]`), so a checkpoint's `quantizer.*` tensors load as they are.

- `SoftThresholds` (Swift `ThresholdQuantizer`): M = 2^N − 1 thresholds a_j per group and a temperature τ.
  Training: s_j = σ((x̂ − a_j)/τ); SQ receives Σ_j s_j / M, Bw-SQ the M steps as channels (`[B, C·M, H, W]`,
  channel c·M + j = threshold j of input channel c). τ follows a `TemperatureSchedule` through `start_epoch`.
  Eval: the hard code #{j : x̂ > a_j}; SQ receives code/M, Bw-SQ the thermometer [x̂ > a_j].
- `LSQ` (Swift `LSQQuantizer`, `StraightThrough.lsq`): v = clamp(round(x̂/s), 0, L − 1) · s, half to even, in
  both modes; backward ∂v/∂x̂ = 1 inside [0, L − 1], ∂v/∂s = round(x̂/s) − x̂/s inside, L − 1 above, 0 below,
  the step's gradient scaled by 1/√(elements · (L − 1)).

**Eval mode is the deploy face** (as for the curve faces): each x̂ goes back to its ADC offset, through the
spec's encoder table and its network decoder, so on every ADC code it equals Swift's output bit for bit.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import List, Optional, Sequence

import numpy as np
import torch
from torch import nn

from .spec import QuantizerSpec
from .torch_faces import DeployFace, Layout

_f32 = np.float32


@dataclass(frozen=True)
class TemperatureSchedule:
    """The sigmoid temperature over training (Swift `TemperatureSchedule`), computed in double, then rounded to
    float32 and floored at 10⁻⁴: `exponential(start, end)` τ_e = start·(end/start)^(e/E), `linear`, `cosine`,
    `warmup_linear(start, end, warmup_epochs)`, `cyclical(high, low, period)` and `constant(τ)`."""

    kind: str
    a: float = 0.0
    b: float = 0.0
    n: int = 0

    MINIMUM = float(_f32(1e-4))

    @classmethod
    def constant(cls, t: float):
        return cls("constant", float(_f32(t)))

    @classmethod
    def exponential(cls, start: float, end: float):
        return cls("exponential", float(_f32(start)), float(_f32(end)))

    @classmethod
    def linear(cls, start: float, end: float):
        return cls("linear", float(_f32(start)), float(_f32(end)))

    @classmethod
    def cosine(cls, start: float, end: float):
        return cls("cosine", float(_f32(start)), float(_f32(end)))

    @classmethod
    def warmup_linear(cls, start: float, end: float, warmup_epochs: int):
        return cls("warmup-linear", float(_f32(start)), float(_f32(end)), int(warmup_epochs))

    @classmethod
    def cyclical(cls, high: float, low: float, period: int):
        return cls("cyclical", float(_f32(high)), float(_f32(low)), int(period))

    def temperature(self, epoch: int, epochs: int) -> float:
        """τ at `epoch` (0-based) of `epochs`, a float32 value."""
        e, total = float(epoch), float(max(epochs, 1))
        start, end = self.a, self.b
        if self.kind == "constant":
            value = start
        elif self.kind == "exponential":
            value = start * math.pow(end / start, e / total)
        elif self.kind == "linear":
            value = start + (end - start) * min(e / max(total - 1, 1), 1)
        elif self.kind == "cosine":
            value = end + (start - end) * (1 + math.cos(math.pi * e / total)) / 2
        elif self.kind == "warmup-linear":
            rest = max(total - self.n - 1, 1)
            value = start if e < self.n else start + (end - start) * min((e - self.n) / rest, 1)
        elif self.kind == "cyclical":
            p = max(self.n, 1)
            value = start + (end - start) * math.fmod(epoch, p) / max(p - 1, 1)
        else:
            raise ValueError(f"unknown temperature schedule {self.kind}")
        return float(max(_f32(value), _f32(self.MINIMUM)))


#: The schedule of `rawquant train --quantizer sq|bwsq` on raw x̂ (Swift `InputRepresentation.rawTemperature`).
RAW_TEMPERATURE = TemperatureSchedule.exponential(1e-2, 1e-4)
#: Swift `ThresholdQuantizer`'s own default (the paper's τ₀ = 1, for z-scored features).
FEATURE_TEMPERATURE = TemperatureSchedule.exponential(1, 1e-3)


def _gather_groups(values: torch.Tensor, layout: Layout) -> torch.Tensor:
    """Rows `[C, …]` of a `[groups, …]` parameter: group 0 for every channel when global, else the channel's colour."""
    index = [0] * len(layout.colors) if values.shape[0] == 1 else layout.colors
    return values[index]


class SwiftSigmoid(torch.autograd.Function):
    """σ(z) as Swift's tensor core computes it (`sigmoidScalar`): 1/(1 + e^−z) for z ≥ 0, e^z/(1 + e^z) below;
    backward g · y(1 − y). (torch's own `sigmoid` differs from it in the last bit more often.)"""

    @staticmethod
    def forward(ctx, z):
        e = torch.exp(-z.abs())
        y = torch.where(z >= 0, 1 / (1 + e), e / (1 + e))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return g * (y * (1 - y))


def soft_steps(x: torch.Tensor, thresholds: torch.Tensor, temperature, layout: Layout) -> torch.Tensor:
    """σ((x̂ − a_j)/τ) `[B, C, M, H, W]` for thresholds `[groups, M]` (the training-mode steps, differentiable)."""
    a = _gather_groups(thresholds, layout)
    tau = torch.as_tensor(temperature, dtype=x.dtype, device=x.device)
    return SwiftSigmoid.apply((x.unsqueeze(2) - a.reshape(1, a.shape[0], a.shape[1], 1, 1)) / tau)


def hard_steps(x: torch.Tensor, thresholds: torch.Tensor, layout: Layout) -> torch.Tensor:
    """[x̂ > a_j] `[B, C, M, H, W]` (Swift `StraightThrough.thermometer`, the eval-mode steps on any x̂)."""
    a = _gather_groups(thresholds.detach().to(x.dtype), layout)
    return (x.unsqueeze(2) > a.reshape(1, a.shape[0], a.shape[1], 1, 1)).to(x.dtype)


class SoftThresholds(DeployFace):
    """SQ (`mode="sq"`) and Bw-SQ (`mode="bwsq"`): trainable thresholds `thresholds` `[groups, 2^N − 1]` in x̂ units,
    started uniform at j/2^N; groups 1 (global), 3 (R, G, B) or one per feature. `schedule` sets τ per epoch
    (`start_epoch`); `temperature` may also be set directly. `keep_sorted` sorts each row after every optimizer step
    (`after_optimizer_step`, which also clamps to [0, 1]); `decoder_values` are carried into the deploy spec."""

    def __init__(self, mode: str, bits: int, groups: int = 3, schedule: TemperatureSchedule = RAW_TEMPERATURE,
                 keep_sorted: bool = False):
        super().__init__(bits)
        if mode not in ("sq", "bwsq"):
            raise ValueError(f'mode must be "sq" or "bwsq", got {mode!r}')
        if groups < 1:
            raise ValueError("SoftThresholds: need at least one group")
        self.mode = mode
        self.schedule = schedule
        self.keep_sorted = keep_sorted
        self.temperature = schedule.temperature(0, 1)
        self.decoder_values: Optional[List[List[float]]] = None
        m = self.levels - 1
        uniform = np.arange(1, m + 1, dtype=np.float32) / _f32(m + 1)
        self.thresholds = nn.Parameter(torch.from_numpy(np.tile(uniform, (groups, 1)).astype(np.float32)))

    @property
    def values_per_channel(self) -> int:
        return self.levels - 1 if self.mode == "bwsq" else 1

    def start_epoch(self, epoch: int, epochs: int) -> None:
        """τ of `epoch` (0-based) of `epochs` from the schedule (Swift `startEpoch`)."""
        self.temperature = self.schedule.temperature(epoch, epochs)

    @torch.no_grad()
    def after_optimizer_step(self) -> None:
        """Clamps the thresholds into [0, 1] and, with `keep_sorted`, sorts each group's row (Swift `afterOptimizerStep`)."""
        values = self.thresholds.clamp(0, 1)
        if self.keep_sorted:
            values = values.sort(dim=1).values
        self.thresholds.copy_(values)

    @torch.no_grad()
    def initialize(self, method: str, samples: Sequence[Sequence[float]]) -> None:
        """Thresholds from samples of x̂, one array per group: `"minMax"` a_j = lo + (hi − lo)/M · (j − ½), or
        `"quantile"` a_j = the sample at ⌊j/2^N · count⌋ of the sorted samples (float32, as Swift)."""
        m = self.levels - 1
        if len(samples) != self.thresholds.shape[0]:
            raise ValueError(f"initialize: need {self.thresholds.shape[0]} sample groups")
        rows = []
        for values in samples:
            v = np.asarray(values, dtype=np.float32).ravel()
            if v.size == 0:
                raise ValueError("initialize: empty sample group")
            j = np.arange(1, m + 1)
            if method == "minMax":
                lo, hi = v.min(), v.max()
                step = _f32((hi - lo) / _f32(m))
                rows.append((lo + step * (j.astype(np.float32) - _f32(0.5))).astype(np.float32))
            elif method == "quantile":
                s = np.sort(v)
                rows.append(s[[min(s.size - 1, int(float(k) / float(m + 1) * float(s.size))) for k in j]])
            else:
                raise ValueError(f'initialize: method "minMax" or "quantile", got {method!r}')
        self.thresholds.copy_(torch.from_numpy(np.stack(rows).astype(np.float32)))

    def steps(self, x: torch.Tensor, layout: Layout) -> torch.Tensor:
        """The per-threshold steps `[B, C, M, H, W]`: soft in training mode, hard [x̂ > a_j] in eval mode."""
        return soft_steps(x, self.thresholds, self.temperature, layout) if self.training else hard_steps(x, self.thresholds, layout)

    def combine(self, steps: torch.Tensor) -> torch.Tensor:
        """What the network receives from the steps: Σ_j / M (SQ) or the steps as channels (Bw-SQ)."""
        b, c, m, h, w = steps.shape
        if self.mode == "sq":
            # Summed j = 0, 1, … in turn, the order of Swift's reduction (torch's `sum` blocks it otherwise).
            total = steps[:, :, 0]
            for j in range(1, m):
                total = total + steps[:, :, j]
            return total / torch.as_tensor(float(m), dtype=steps.dtype, device=steps.device)
        return steps.reshape(b, c * m, h, w)

    def forward(self, x: torch.Tensor, layout: Layout) -> torch.Tensor:
        self.check_input(x, layout)
        if not self.training:
            return self.deployed(x, layout)
        return self.combine(self.steps(x, layout))

    def deploy_spec(self) -> QuantizerSpec:
        rows = [[float(v) for v in row] for row in self.thresholds.detach().cpu().numpy().astype(np.float32)]
        spec = QuantizerSpec(kind=self.mode, bits=self.bits, thresholds=rows,
                             decoder_values=None if self.decoder_values is None else [[float(_f32(v)) for v in r] for r in self.decoder_values])
        spec.validate()
        return spec


class LSQFunction(torch.autograd.Function):
    """v = clamp(round(x/s), 0, L − 1) · s with LSQ's gradients (Swift `StraightThrough.lsq`); `s` is `[1, C, 1, 1]`."""

    @staticmethod
    def forward(ctx, x, s, levels: int, grad_scale: float):
        qp = float(levels - 1)
        ctx.save_for_backward(x, s)
        ctx.qp, ctx.grad_scale = qp, grad_scale
        return torch.clamp(torch.round(x / s), 0, qp) * s

    @staticmethod
    def backward(ctx, g):
        x, s = ctx.saved_tensors
        r = x / s
        below, above = r < 0, r > ctx.qp
        inside = ~below & ~above
        gx = torch.where(inside, g, torch.zeros_like(g)) if ctx.needs_input_grad[0] else None
        gs = None
        if ctx.needs_input_grad[1]:
            local = torch.where(above, torch.full_like(r, ctx.qp), torch.where(inside, torch.round(r) - r, torch.zeros_like(r)))
            gs = (g * local).sum(dim=(0, 2, 3), keepdim=True) * ctx.grad_scale
        return gx, gs, None, None


class LSQ(DeployFace):
    """Learned step size (Swift `LSQQuantizer`): `step` `[groups]` in x̂ units, started at 1/(L − 1) unless
    `initial_step` is given; groups 1 (global), 3 (R, G, B) or one per feature. The network receives code · s in
    both modes; eval mode goes through the deploy tables. Adam users: Swift learns the step at a rate relative to
    its size (`relative_rate_parameters`)."""

    def __init__(self, bits: int, groups: int = 3, initial_step: Optional[float] = None):
        super().__init__(bits)
        if groups < 1:
            raise ValueError("LSQ: need at least one group")
        s = _f32(initial_step) if initial_step is not None else _f32(1) / _f32(self.levels - 1)
        self.step = nn.Parameter(torch.full((groups,), float(s), dtype=torch.float32))
        self.decoder_values: Optional[List[List[float]]] = None

    def relative_rate_parameters(self) -> List[nn.Parameter]:
        """The parameters Swift learns at a rate relative to their size (`ownRelativeRateParameters`): the step."""
        return [self.step]

    def grad_scale(self, elements: int) -> float:
        """1/√(elements · (L − 1)) in float32, as Swift computes it."""
        return float(_f32(1) / np.sqrt(_f32(elements) * _f32(self.levels - 1)))

    @torch.no_grad()
    def initialize(self, samples: Sequence[Sequence[float]]) -> None:
        """LSQ's data-driven start per group: s = max(2·mean(x̂)/√(L − 1), 10⁻⁶), float32 as Swift."""
        if len(samples) != self.step.shape[0]:
            raise ValueError(f"initialize: need {self.step.shape[0]} sample groups")
        qp = _f32(self.levels - 1)
        out = []
        for values in samples:
            v = np.asarray(values, dtype=np.float32).ravel()
            total = np.cumsum(v, dtype=np.float32)[-1] if v.size else _f32(0)  # sequential, as Swift's reduce
            out.append(max(_f32(_f32(_f32(2) * total) / _f32(max(v.size, 1))) / np.sqrt(qp), _f32(1e-6)))
        self.step.copy_(torch.tensor(np.asarray(out, dtype=np.float32)))

    def quantize(self, x: torch.Tensor, layout: Layout) -> torch.Tensor:
        """The Swift forward on any x̂ (both modes): LSQ with the per-channel steps and LSQ's gradient scale."""
        s = _gather_groups(self.step, layout).reshape(1, len(layout.colors), 1, 1).to(x.dtype)
        return LSQFunction.apply(x, s, self.levels, self.grad_scale(x.numel()))

    def forward(self, x: torch.Tensor, layout: Layout) -> torch.Tensor:
        self.check_input(x, layout)
        if not self.training:
            return self.deployed(x, layout)
        return self.quantize(x, layout)

    def deploy_spec(self) -> QuantizerSpec:
        spec = QuantizerSpec(kind="lsq", bits=self.bits, steps=[float(v) for v in self.step.detach().cpu().numpy().astype(np.float32)],
                             decoder_values=None if self.decoder_values is None else [[float(_f32(v)) for v in r] for r in self.decoder_values])
        spec.validate()
        return spec


def from_spec(spec: QuantizerSpec, schedule: TemperatureSchedule = RAW_TEMPERATURE, keep_sorted: bool = False) -> DeployFace:
    """The SQ / Bw-SQ / LSQ train face whose deploy face is `spec` (Swift `InputQuantizer.make(from:)`), in eval mode;
    `deploy_spec()` gives `spec` back (float32 parameters)."""
    spec.validate()
    if spec.kind in ("sq", "bwsq"):
        rows = np.asarray(spec.thresholds, dtype=np.float32)
        face = SoftThresholds(spec.kind, spec.bits, groups=rows.shape[0], schedule=schedule, keep_sorted=keep_sorted)
        face.thresholds.data = torch.from_numpy(rows.copy())
    elif spec.kind == "lsq":
        face = LSQ(spec.bits, groups=len(spec.steps))
        face.step.data = torch.from_numpy(np.asarray(spec.steps, dtype=np.float32))
    else:
        raise ValueError(f"{spec.kind} is not a threshold or step quantizer (see torch_faces.from_spec)")
    face.decoder_values = None if spec.decoder_values is None else [list(r) for r in spec.decoder_values]
    face.eval()
    return face

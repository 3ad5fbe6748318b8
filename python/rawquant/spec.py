"""Quantizer specs (the deploy face) and their sensor tables, bit-identical to the Swift `QuantizerSpec`.

Per channel: x̂ = clamp((x − black)/(white − black), 0, 1) in float32, then

- curves (linear, log, gamma, gamma-log, monotone): code = min(L − 1, ⌊L · f(x̂)⌋) in float32;
- thresholds (sq, bwsq): code = #{ j : x̂ > a_j };
- step (lsq): code = clamp(round_half_even(x̂ / s), 0, L − 1);

with L = 2^N. Parameters are global (one value or row) or per CFA colour R, G, B (both greens share G).
The decode table maps each code to black + centre · (white − black), the centre of the code's input interval
in x̂ (computed in double, as Swift does), or the learned `decoderValues`; the network decoder maps it to what
the network receives (`network_decoder`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import List, Optional

import numpy as np

from ._libm import logf, logf_scalar, powf
from .errors import RawQuantFormatError

KINDS = ("linear", "log", "gamma", "gamma-log", "monotone", "sq", "bwsq", "lsq")


@dataclass
class QuantizerSpec:
    """A quantizer's family, bits and parameters — what a sensor and a server need (see the Swift type)."""

    kind: str
    bits: int
    gammas: List[float] = field(default_factory=list)
    thresholds: Optional[List[List[float]]] = None
    steps: Optional[List[float]] = None
    decoder_values: Optional[List[List[float]]] = None
    log_scales: Optional[List[float]] = None
    knots: Optional[List[float]] = None
    increments: Optional[List[List[float]]] = None

    @property
    def levels(self) -> int:
        """L = 2^N codes."""
        return 1 << self.bits

    @classmethod
    def from_json(cls, d: dict) -> "QuantizerSpec":
        """From the JSON object Swift writes (e.g. an `.rqm` header's `quantizer`)."""
        if not isinstance(d, dict) or not isinstance(d.get("kind"), str) or not isinstance(d.get("bits"), int):
            raise RawQuantFormatError("quantizer needs a string kind and an integer bits")
        spec = cls(kind=d["kind"], bits=d["bits"], gammas=list(d.get("gammas", [])), thresholds=d.get("thresholds"),
                   steps=d.get("steps"), decoder_values=d.get("decoderValues"), log_scales=d.get("logScales"),
                   knots=d.get("knots"), increments=d.get("increments"))
        spec.validate()
        return spec

    def validate(self) -> None:
        """The checks of Swift's `QuantizerSpec.validate()`, with its messages."""
        def err(message: str) -> None:
            raise RawQuantFormatError(message)

        def finite(values) -> bool:
            return all(isinstance(v, (int, float)) and math.isfinite(v) for v in values)

        if self.kind not in KINDS:
            err(f'unknown quantizer kind "{self.kind}" (known: {", ".join(KINDS)})')
        if not 1 <= self.bits <= 8:
            err(f"bits must be 1...8, got {self.bits}")
        m = self.levels - 1
        if self.log_scales is not None:
            if self.kind not in ("log", "gamma-log"):
                err(f"{self.kind} quantizer takes no log scale D")
            if len(self.log_scales) not in (1, 3) or not finite(self.log_scales) or not all(1e-3 <= v <= 1e9 for v in self.log_scales):
                err("log scale D needs 1 or 3 (R,G,B) finite values in [0.001, 1e9]")
        if self.kind != "monotone" and (self.knots is not None or self.increments is not None):
            err(f"{self.kind} quantizer takes no knots")
        if self.kind in ("gamma", "gamma-log"):
            if len(self.gammas) not in (1, 3):
                err(f"γ quantizer needs 1 global γ or 3 (R,G,B), got {len(self.gammas)}")
            if not finite(self.gammas) or not all(0 < g <= 100 for g in self.gammas):
                err("γ must be a finite number in (0, 100]")
        if self.kind in ("linear", "log"):
            if self.gammas or self.thresholds is not None or self.steps is not None:
                err(f"{self.kind} quantizer takes no parameters")
        elif self.kind == "gamma-log":
            if self.thresholds is not None or self.steps is not None or self.log_scales is None:
                err("gamma-log quantizer needs γ and D, and nothing else")
        elif self.kind == "monotone":
            k, rows = self.knots, self.increments
            if self.gammas or self.thresholds is not None or self.steps is not None or k is None or rows is None:
                err("monotone quantizer needs knots and increments, and nothing else")
            if not (2 <= len(k) <= 1025 and finite(k) and k[0] == 0 and k[-1] == 1 and all(a < b for a, b in zip(k, k[1:]))):
                err("monotone knots must be 2...1025 strictly increasing values from 0 to 1")
            k32 = np.asarray(k, dtype=np.float32)
            if not np.all(k32[:-1] < k32[1:]):
                err("monotone knots must stay distinct in Float32")
            if len(rows) not in (1, 3) or not all(len(r) == len(k) - 1 for r in rows):
                err(f"monotone increments need 1 or 3 (R,G,B) rows of {len(k) - 1} values")
            if not all(finite(r) and all(v >= 0 for v in r) and sum(r) <= 1.001 for r in rows):
                err("monotone increments must be finite, non-negative and sum to at most 1")
        elif self.kind in ("sq", "bwsq"):
            rows = self.thresholds
            if rows is None or len(rows) not in (1, 3):
                err(f"{self.kind} quantizer needs 1 or 3 (R,G,B) rows of thresholds")
            for row in rows:
                if len(row) != m:
                    err(f"{self.bits}-bit {self.kind} needs {m} thresholds per row, got {len(row)}")
                if not finite(row):
                    err("thresholds must be finite numbers")
        elif self.kind == "lsq":
            if self.steps is None or len(self.steps) not in (1, 3) or not finite(self.steps) or not all(s > 0 for s in self.steps):
                err("lsq quantizer needs 1 or 3 (R,G,B) positive finite step sizes")
        if self.decoder_values is not None:
            rows = self.decoder_values
            if len(rows) not in (1, 3) or not all(len(r) == self.levels and finite(r) and all(0 <= v <= 1 for v in r) for r in rows):
                err(f"decoder values need 1 or 3 rows of {self.levels} numbers in [0, 1]")

    # MARK: tables

    @staticmethod
    def _pick(values, color: int):
        return values[0] if len(values) == 1 else values[color]

    def normalized(self, black: int, white: int, adc_bits: int) -> np.ndarray:
        """x̂ of every ADC code 0 … 2^adc_bits − 1, float32 exactly as Swift's `normalizedADC`."""
        b = np.float32(black)
        x = (np.arange(1 << adc_bits, dtype=np.float32) - b) / (np.float32(white) - b)
        return np.minimum(np.maximum(x, np.float32(0)), np.float32(1)).astype(np.float32)

    def curve(self, x: np.ndarray, color: int, black: int, white: int) -> np.ndarray:
        """y = f(x̂) in float32 for the curve kinds."""
        x = np.asarray(x, dtype=np.float32)
        one = np.float32(1)
        if self.kind == "linear":
            return x
        if self.kind in ("log", "gamma-log"):
            d = np.float32(self._pick(self.log_scales, color)) if self.log_scales is not None else np.float32(max(white - black, 1))
            y = (logf(x * d + one) / logf_scalar(d + one)).astype(np.float32)
            return y if self.kind == "log" else powf(y, self._pick(self.gammas, color))
        if self.kind == "gamma":
            return powf(x, self._pick(self.gammas, color))
        if self.kind == "monotone":
            t = np.asarray(self.knots, dtype=np.float32)
            delta = np.asarray(self._pick(self.increments, color), dtype=np.float32)
            slopes = (one / (t[1:] - t[:-1])).astype(np.float32)
            y = None
            for k in range(len(delta)):
                term = (np.minimum(np.maximum((x - t[k]) * slopes[k], np.float32(0)), one) * delta[k]).astype(np.float32)
                y = term if y is None else (y + term).astype(np.float32)
            return y
        raise ValueError(f"{self.kind} is not a curve")

    def codes(self, x: np.ndarray, color: int, black: int, white: int) -> np.ndarray:
        """The N-bit code of each x̂ (float32 input), as Swift's `CodeMapping.code`."""
        x = np.asarray(x, dtype=np.float32)
        levels = self.levels
        if self.kind in ("sq", "bwsq"):
            row = np.asarray(self._pick(self.thresholds, color), dtype=np.float32)
            return (x[:, None] > row[None, :]).sum(axis=1).astype(np.uint8)
        if self.kind == "lsq":
            s = np.float32(self._pick(self.steps, color))
            r = np.rint((x / s).astype(np.float32))
            return np.clip(r, 0, levels - 1).astype(np.uint8)
        y = self.curve(x, color, black, white)
        return np.minimum(levels - 1, np.floor((np.float32(levels) * y).astype(np.float32))).astype(np.uint8)

    def encoder(self, color: int, black: int, white: int, adc_bits: int) -> np.ndarray:
        """The sensor's encoder LUT of a channel of colour `color` (0 R, 1 G, 2 B): ADC code → N-bit code."""
        return self.codes(self.normalized(black, white, adc_bits), color, black, white)

    def centre(self, k: int, color: int, black: int, white: int) -> float:
        """The centre of code k's input interval in x̂ (double), as Swift's `CodeMapping.centre`."""
        levels = self.levels
        if self.decoder_values is not None:
            return float(self._pick(self.decoder_values, color)[k])
        if self.kind in ("sq", "bwsq"):
            a = sorted(float(np.float32(v)) for v in self._pick(self.thresholds, color))
            s = [0.0] + a + [1.0]
            return min(max((s[k] + s[k + 1]) / 2, 0.0), 1.0)
        if self.kind == "lsq":
            return min(max(k * float(np.float32(self._pick(self.steps, color))), 0.0), 1.0)
        y = (k + 0.5) / levels
        if self.kind == "linear":
            return y
        if self.kind in ("log", "gamma-log"):
            d = float(np.float32(self._pick(self.log_scales, color))) if self.log_scales is not None else float(np.float32(max(white - black, 1)))
            if self.kind == "gamma-log":
                if y <= 0:
                    return 0.0
                y = math.pow(y, 1 / float(np.float32(self._pick(self.gammas, color))))
            return math.expm1(y * math.log1p(d)) / d
        if self.kind == "gamma":
            return 0.0 if y <= 0 else math.pow(y, 1 / float(np.float32(self._pick(self.gammas, color))))
        # monotone: the smallest x̂ the curve maps to y
        t = [float(v) for v in np.asarray(self.knots, dtype=np.float32)]
        delta = [float(v) for v in np.asarray(self._pick(self.increments, color), dtype=np.float32)]
        below = 0.0
        for i, rise in enumerate(delta):
            if rise > 0 and below + rise >= y:
                return t[i] + max(0.0, (y - below) / rise) * (t[i + 1] - t[i])
            below += rise
        return 1.0

    def network_decoder(self, color: int) -> np.ndarray:
        """Code → what the network receives, float32 `[L, V]` (V = 2^N − 1 for Bw-SQ, else 1), as Swift's
        `ChannelQuantizer.networkValue`: (k + ½)/L for the curves, k/M for SQ, k · s for LSQ, and for Bw-SQ the
        thermometer vector whose entry j is 1 iff threshold j is among the k smallest (ties by index)."""
        levels, f32 = self.levels, np.float32
        k = np.arange(levels, dtype=np.float32)
        if self.kind == "sq":
            return (k / f32(levels - 1)).astype(np.float32).reshape(levels, 1)
        if self.kind == "lsq":
            return (k * f32(self._pick(self.steps, color))).astype(np.float32).reshape(levels, 1)
        if self.kind == "bwsq":
            a = np.asarray(self._pick(self.thresholds, color), dtype=np.float32)
            rank = sorted(range(len(a)), key=lambda j: (a[j], j))
            out = np.zeros((levels, len(a)), dtype=np.float32)
            for code in range(levels):
                out[code, rank[:code]] = 1
            return out
        return ((k + f32(0.5)) / f32(levels)).astype(np.float32).reshape(levels, 1)

    @property
    def values_per_channel(self) -> int:
        """Values per channel the network receives: 2^N − 1 for Bw-SQ, else 1."""
        return self.levels - 1 if self.kind == "bwsq" else 1

    def decoder(self, color: int, black: int, white: int) -> np.ndarray:
        """Code → linear ADC value, float64: black + centre · (white − black)."""
        return np.array([black + self.centre(k, color, black, white) * (white - black) for k in range(self.levels)], dtype=np.float64)

"""Quantizer `.safetensors` files (see the Swift `QuantizerFile`): the spec from tensors and metadata.

Tensors by kind (groups 1 = global or 3 = R, G, B): `gamma` [groups] (gamma, gamma-log), `thresholds`
[groups, 2^N − 1] (sq, bwsq), `step` [groups] (lsq), `log_scale` [groups] (learned D of log, gamma-log),
`knots` [K + 1] and `increments` [groups, K] (monotone), optional `decoder` [groups, 2^N]. Metadata: `format`
= `rawquant-quantizer`, `version` = `1`, `kind`, `bits`, `sorted`.
"""
from __future__ import annotations

import json
import struct

import numpy as np
from safetensors import SafetensorError
from safetensors.numpy import load

from .errors import RawQuantFormatError, read_file
from .spec import KINDS, QuantizerSpec

FORMAT = "rawquant-quantizer"


def decode_quantizer(data: bytes) -> QuantizerSpec:
    """Parses and validates a quantizer file's bytes."""
    data = bytes(data)
    try:
        arrays = load(data)
        (n,) = struct.unpack_from("<Q", data, 0)
        header = json.loads(data[8:8 + n].decode("utf-8"))
        metadata = header.get("__metadata__") or {}
    except (SafetensorError, ValueError, struct.error, UnicodeDecodeError, AttributeError) as error:
        raise RawQuantFormatError(f"not a valid safetensors file: {error}") from None
    if metadata.get("format") != FORMAT:
        raise RawQuantFormatError(f"not a RawQuant quantizer file (metadata format ≠ {FORMAT})")
    if metadata.get("version") != "1":
        raise RawQuantFormatError(f"unsupported quantizer file version {metadata.get('version', 'none')}")
    kind = metadata.get("kind")
    if kind not in KINDS:
        raise RawQuantFormatError(f'unknown quantizer kind "{kind}" (known: {", ".join(KINDS)})')
    try:
        bits = int(metadata.get("bits", ""))
    except ValueError:
        bits = 0
    if not 1 <= bits <= 8:
        raise RawQuantFormatError(f'bits must be an integer in 1...8, got "{metadata.get("bits", "")}"')

    def tensor(name: str, rank: int) -> np.ndarray:
        if name not in arrays:
            raise RawQuantFormatError(f'{kind} quantizer file lacks the tensor "{name}"')
        a = arrays[name]
        if a.ndim != rank or a.shape[0] not in (1, 3):
            raise RawQuantFormatError(f'tensor "{name}" has shape {list(a.shape)}; expected 1 or 3 (R, G, B) groups')
        if a.dtype != np.float32 or not np.all(np.isfinite(a)):
            raise RawQuantFormatError(f'tensor "{name}" must hold finite F32 values')
        return a

    def rows(a: np.ndarray) -> list:
        return [[float(v) for v in row] for row in a]

    spec = QuantizerSpec(kind=kind, bits=bits)
    if kind in ("gamma", "gamma-log"):
        g = tensor("gamma", 1)
        if not np.all(g > 0):
            raise RawQuantFormatError(f"γ must be positive, got {g.tolist()}")
        spec.gammas = [float(v) for v in g]
    elif kind in ("sq", "bwsq"):
        t = tensor("thresholds", 2)
        if metadata.get("sorted") == "true":
            for i, row in enumerate(t):
                if np.any(row[:-1] > row[1:]):
                    raise RawQuantFormatError(f"thresholds of group {i} are not sorted, but the file says they must be")
        spec.thresholds = rows(t)
    elif kind == "lsq":
        spec.steps = [float(v) for v in tensor("step", 1)]
    elif kind == "monotone":
        k = arrays.get("knots")
        if k is None or k.ndim != 1 or not np.all(np.isfinite(k)):
            raise RawQuantFormatError('monotone quantizer file needs a finite rank-1 tensor "knots"')
        spec.knots = [float(v) for v in k]
        spec.increments = rows(tensor("increments", 2))
    if "log_scale" in arrays:
        spec.log_scales = [float(v) for v in tensor("log_scale", 1)]
    if "decoder" in arrays:
        spec.decoder_values = rows(tensor("decoder", 2))
    spec.validate()
    return spec


def read_quantizer(path) -> QuantizerSpec:
    """Reads and validates the quantizer file at `path`; a refused file raises `RawQuantFormatError` naming it."""
    return read_file(path, decode_quantizer)


def encode_quantizer(spec: QuantizerSpec, sorted_thresholds: bool = False) -> bytes:
    """A quantizer file's bytes for `spec` (parameters as float32, the layout the Swift reader expects)."""
    from safetensors.numpy import save

    spec.validate()
    f32 = lambda values: np.asarray(values, dtype=np.float32)  # noqa: E731
    arrays = {}
    if spec.kind in ("gamma", "gamma-log"):
        arrays["gamma"] = f32(spec.gammas)
    elif spec.kind in ("sq", "bwsq"):
        arrays["thresholds"] = f32(spec.thresholds)
    elif spec.kind == "lsq":
        arrays["step"] = f32(spec.steps)
    elif spec.kind == "monotone":
        arrays["knots"] = f32(spec.knots)
        arrays["increments"] = f32(spec.increments)
    if spec.log_scales is not None:
        arrays["log_scale"] = f32(spec.log_scales)
    if spec.decoder_values is not None:
        arrays["decoder"] = f32(spec.decoder_values)
    metadata = {"format": FORMAT, "version": "1", "kind": spec.kind, "bits": str(spec.bits), "sorted": "true" if sorted_thresholds else "false"}
    return save(arrays, metadata=metadata)


def write_quantizer(spec: QuantizerSpec, path) -> None:
    """Writes `spec` as a quantizer file that `rawquant` reads (`--quantizer-file`, `inspect-quantizer`)."""
    with open(path, "wb") as f:
        f.write(encode_quantizer(spec))

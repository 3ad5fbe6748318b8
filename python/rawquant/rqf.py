"""`.rqf` files: feature rows as N-bit codes, what `rawquant features encode` writes (see the Swift `FeatureCodeFile`).

The shared framed layout of `.rqm` (`rqm.split_framed`): magic `RQF1`, version u16 (1), reserved u16, header length
u32, UTF-8 JSON header, payload length u64, payload, CRC-32 (IEEE) of every preceding byte. Header: `rows`,
`features` (the column names, in order), `bits`, `method` (minmax, quantile, sq, bwsq, lsq, gamma) and
`codecChecksum`, the CRC-32 of the model's codec JSON. Payload: the codes bit-packed LSB-first, row-major (row r,
feature f is code r·F + f), exactly ⌈rows·F·N/8⌉ bytes.

The file holds no decode tables: they are the model's (`rawquant features train --out`), whose metadata `codec`
is the `FeatureCodec` (thresholds on u, the training range, network values and a representative value per code).
`read_rqf(path, model=…)` checks the file against that model as the Swift server does and can then decode it.
"""
from __future__ import annotations

import json
import os
import struct
import zlib
from dataclasses import dataclass, field
from typing import List, Optional

import numpy as np

from .errors import RawQuantFormatError, read_file
from .rqm import split_framed, unpack_codes

MAGIC = b"RQF1"
VERSION = 1
#: The largest `.rqf` file the Swift reader reads (`FeatureCodeFile.maximumFileSize`).
MAXIMUM_FILE_SIZE = 4 << 30
METHODS = ("fp", "minmax", "quantile", "sq", "bwsq", "lsq", "gamma")
MODEL_FORMAT = "rawquant-feature-model"


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def values_per_feature(method: str, bits: int) -> int:
    """Values the network receives per feature: 2^N − 1 for Bw-SQ, else 1."""
    return (1 << bits) - 1 if method == "bwsq" else 1


@dataclass
class FeatureCodec:
    """A feature model's deploy face (Swift `FeatureCodec`): per feature f, u = clamp((x − lower_f)/(upper_f −
    lower_f), 0, 1) rounded to float32, code = #{k : u ≥ t_{f,k}}; `network_values` `[F, 2^N, V]` float32 is what the
    network receives per code, `levels` `[F, 2^N]` float64 a representative raw value per code."""

    method: str
    bits: int
    unit_thresholds: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    network_values: np.ndarray
    levels: np.ndarray
    checksum: int

    @property
    def features(self) -> int:
        return self.unit_thresholds.shape[0]

    @property
    def values_per_feature(self) -> int:
        return values_per_feature(self.method, self.bits)

    @classmethod
    def from_json(cls, text: str) -> "FeatureCodec":
        """From the JSON a model file stores (its CRC-32 is what an `.rqf` header names as `codecChecksum`)."""
        try:
            d = json.loads(text)
            method, bits = d["method"], d["bits"]
            if method not in METHODS or method == "fp" or not _is_int(bits) or not 1 <= bits <= 8:
                raise ValueError(f"method {method!r} at {bits!r} bits")
            levels, m, v = 1 << bits, (1 << bits) - 1, values_per_feature(method, bits)
            thresholds = np.asarray(d["unitThresholds"], dtype=np.float64)
            f = thresholds.shape[0] if thresholds.ndim == 2 else -1
            network = np.asarray(d["networkValues"], dtype=np.float64)
            representative = np.asarray(d["levels"], dtype=np.float64)
            lower, upper = np.asarray(d["lower"], dtype=np.float64), np.asarray(d["upper"], dtype=np.float64)
        except (KeyError, TypeError, ValueError, json.JSONDecodeError) as error:
            raise RawQuantFormatError(f"the model's codec metadata is malformed: {error}") from None
        if f < 1 or thresholds.shape != (f, m) or network.shape != (f, levels, v) or representative.shape != (f, levels) \
                or lower.shape != (f,) or upper.shape != (f,):
            raise RawQuantFormatError(f"the model's codec does not hold {m} thresholds, {levels} network values of {v} "
                                      f"and {levels} levels per feature")
        if not all(np.all(np.isfinite(a)) for a in (thresholds, network, representative, lower, upper)):
            raise RawQuantFormatError("the model's codec holds non-finite values")
        return cls(method=method, bits=bits, unit_thresholds=thresholds.astype(np.float32), lower=lower, upper=upper,
                   network_values=network.astype(np.float32), levels=representative, checksum=zlib.crc32(text.encode("utf-8")) & 0xFFFFFFFF)

    def unit(self, rows: np.ndarray) -> np.ndarray:
        """u of raw values `[rows, F]` (float64), float32 exactly as the Swift codec rounds it."""
        x = np.asarray(rows, dtype=np.float64)
        span = self.upper - self.lower
        with np.errstate(divide="ignore", invalid="ignore"):
            u = np.minimum(np.maximum((x - self.lower) / np.where(span > 0, span, 1), 0), 1)
        return np.where(span > 0, u, 0).astype(np.float32)

    def encode(self, rows: np.ndarray) -> np.ndarray:
        """The codes `[rows, F]` uint8 of raw feature rows (what `rawquant features encode` writes)."""
        u = self.unit(rows)
        if u.ndim != 2 or u.shape[1] != self.features:
            raise ValueError(f"rows must be [rows, {self.features}], got {list(u.shape)}")
        return np.stack([np.searchsorted(self.unit_thresholds[f], u[:, f], side="right") for f in range(self.features)], axis=1).astype(np.uint8)

    def decoded(self, codes: np.ndarray) -> np.ndarray:
        """Each code's representative raw value, `[rows, F]` float64 (what `rawquant features decode` writes)."""
        codes = np.asarray(codes)
        return self.levels[np.arange(self.features)[None, :], codes.astype(np.int64)]

    def network_input(self, codes: np.ndarray) -> np.ndarray:
        """What the network receives, `[rows, F·V]` float32 (Swift `FeatureCodec.networkInput`)."""
        codes = np.asarray(codes)
        values = self.network_values[np.arange(self.features)[None, :], codes.astype(np.int64)]  # [rows, F, V]
        return values.reshape(codes.shape[0], -1)


@dataclass
class FeatureModel:
    """What `read_feature_model` reads of a feature model file: its codec (None for full precision), the feature
    names in order, and the `info` JSON (task, target, scaler, …); the network weights are not loaded."""

    codec: Optional[FeatureCodec]
    feature_names: List[str]
    info: dict
    metadata: dict = field(repr=False, default_factory=dict)


def decode_feature_model(data: bytes) -> FeatureModel:
    """A feature model's metadata from its safetensors bytes (the checks of Swift's `FeatureModelFile.read` that need
    no network)."""
    data = bytes(data)
    try:
        (n,) = struct.unpack_from("<Q", data, 0)
        if n > len(data) - 8:
            raise ValueError(f"header length {n} runs past the end")
        header = json.loads(data[8:8 + n].decode("utf-8"))
        metadata = header.get("__metadata__") or {}
    except (ValueError, struct.error, UnicodeDecodeError, AttributeError) as error:
        raise RawQuantFormatError(f"not a readable safetensors file: {error}") from None
    if metadata.get("format") != MODEL_FORMAT:
        raise RawQuantFormatError(f"not a RawQuant feature model (metadata format ≠ {MODEL_FORMAT})")
    if metadata.get("version") != "1":
        raise RawQuantFormatError(f"unsupported feature model version {metadata.get('version', 'none')}")
    try:
        info = json.loads(metadata["info"])
        names = info["featureNames"]
        if not isinstance(names, list) or not all(isinstance(s, str) for s in names) or not 1 <= len(names) <= 100_000:
            raise ValueError("featureNames")
        if info.get("method") not in METHODS or not _is_int(info.get("bits")) or not 1 <= info["bits"] <= 8:
            raise ValueError("method or bits")
    except (KeyError, TypeError, ValueError) as error:
        raise RawQuantFormatError(f"the model's info metadata is missing or malformed ({error})") from None
    codec = None
    if "codec" in metadata:
        codec = FeatureCodec.from_json(metadata["codec"])
        if codec.features != len(names) or codec.method != info["method"] or codec.bits != info["bits"]:
            raise RawQuantFormatError("the stored codec does not match the model's quantizer")
    elif info["method"] != "fp":
        raise RawQuantFormatError(f"a {info['method']} model without its codec metadata")
    return FeatureModel(codec=codec, feature_names=list(names), info=info, metadata=dict(metadata))


def read_feature_model(path) -> FeatureModel:
    """The codec and feature names of the feature model file at `path` (`rawquant features train --out`)."""
    return read_file(path, decode_feature_model)


@dataclass
class FeatureCodes:
    """An `.rqf` file: `codes` `[rows, F]` uint8 (row-major, as sent), `bits`, `method`, `features` (column names),
    `codec_checksum`, the raw `header`, and `codec` when read against a model (then `decoded()`, `network_input()`)."""

    codes: np.ndarray
    bits: int
    method: str
    features: List[str]
    codec_checksum: int
    header: dict
    codec: Optional[FeatureCodec] = None

    @property
    def rows(self) -> int:
        return self.codes.shape[0]

    def _need_codec(self) -> FeatureCodec:
        if self.codec is None:
            raise ValueError("the file holds only codes: read it with model= to decode them")
        return self.codec

    def decoded(self) -> np.ndarray:
        """Each code's representative raw value `[rows, F]` float64: the CSV `rawquant features decode` writes."""
        return self._need_codec().decoded(self.codes)

    def network_input(self) -> np.ndarray:
        """What the model's network receives, `[rows, F·V]` float32."""
        return self._need_codec().network_input(self.codes)


def decode_rqf(data: bytes, model: Optional[FeatureModel] = None) -> FeatureCodes:
    """Parses and verifies an `.rqf` file's bytes (the checks of Swift's `FeatureCodeFile.decode`); with `model`, also
    that the codes were made with its codec (method, bits, feature count, codec checksum) and its feature names."""
    header_bytes, payload = split_framed(bytes(data), MAGIC, VERSION, ".rqf")
    try:
        header = json.loads(header_bytes.decode("utf-8"))
        rows, names, bits, method, checksum = (header[k] for k in ("rows", "features", "bits", "method", "codecChecksum"))
        if not (_is_int(rows) and _is_int(bits) and _is_int(checksum) and 0 <= checksum <= 0xFFFFFFFF):
            raise ValueError("rows, bits and codecChecksum must be integers (a UInt32 checksum)")
        if not isinstance(names, list) or not all(isinstance(s, str) for s in names):
            raise ValueError("features must be a list of names")
        if method not in METHODS:
            raise ValueError(f'unknown method "{method}" (known: {", ".join(METHODS)})')
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
        raise RawQuantFormatError(f"malformed header: {error!r}") from None
    codec = None
    if model is not None:
        codec = model.codec
        if codec is None:
            raise RawQuantFormatError("a full-precision model has no codes")
        if bits != codec.bits or len(names) != codec.features or method != codec.method or checksum != codec.checksum:
            raise RawQuantFormatError(f"the codes were made with another model ({method}, {bits} bits, {len(names)} features)")
        if names != model.feature_names:
            first = next((i for i, (a, b) in enumerate(zip(names, model.feature_names)) if a != b), min(len(names), len(model.feature_names)))
            theirs = json.dumps(names[first]) if first < len(names) else "none"
            ours = json.dumps(model.feature_names[first]) if first < len(model.feature_names) else "none"
            raise RawQuantFormatError(f"the file's features differ from the model's at column {first + 1} "
                                      f"({theirs} in the file, {ours} in the model)")
    if not 1 <= bits <= 8 or method == "fp":
        raise RawQuantFormatError(f"{method} codes of {bits} bits: an .rqf file holds 1...8-bit codes of a quantized method")
    f = len(names)
    if rows < 0 or len(payload) != (rows * f * bits + 7) // 8:
        raise RawQuantFormatError(f"payload of {len(payload)} bytes does not hold {rows} rows of {f} {bits}-bit codes")
    codes = unpack_codes(payload, rows * f, bits).reshape(rows, f)
    return FeatureCodes(codes=codes, bits=bits, method=method, features=list(names), codec_checksum=checksum, header=header, codec=codec)


def read_rqf(path, model=None) -> FeatureCodes:
    """Reads and verifies the `.rqf` file at `path`; `model`: a feature model file (path) or a `FeatureModel` to check
    the file against and decode with. A refused file raises `RawQuantFormatError` naming it (the model's own errors
    name the model)."""
    if model is not None and not isinstance(model, FeatureModel):
        model = read_feature_model(model)
    try:
        size = os.stat(path).st_size
    except OSError:
        size = 0
    if size > MAXIMUM_FILE_SIZE:
        raise RawQuantFormatError(f"{path}: .rqf file of {size} bytes is larger than the limit of {MAXIMUM_FILE_SIZE}")
    return read_file(path, lambda data: decode_rqf(data, model))

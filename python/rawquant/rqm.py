"""`.rqm` files: the codes a simulated sensor sends, with their decode tables (see the Swift `PackedMosaicFile`).

Layout (little-endian): magic `RQM1`, version u16 (1), reserved u16, header length u32, UTF-8 JSON header,
payload length u64, payload (codes bit-packed LSB-first, row-major), CRC-32 (IEEE) of every preceding byte.
"""
from __future__ import annotations

import json
import struct
import zlib
from dataclasses import dataclass

import numpy as np

from .errors import RawQuantFormatError, read_file
from .spec import QuantizerSpec

MAGIC = b"RQM1"
VERSION = 1
CFA_NAMES = ("RGGB", "BGGR", "GRBG", "GBRG")


def split_framed(data: bytes, magic: bytes, version: int, kind: str):
    """Header bytes and payload of a RawQuant framed file, after checking magic, version, lengths and CRC-32."""
    if len(data) < 24:
        raise RawQuantFormatError(f"truncated: {len(data)} bytes is shorter than any {kind} file")
    if data[:4] != magic:
        raise RawQuantFormatError(f"not a RawQuant {kind} file (bad magic)")
    (file_version,) = struct.unpack_from("<H", data, 4)
    if file_version != version:
        raise RawQuantFormatError(f"unsupported {kind} version {file_version} (this reader knows {version})")
    (header_length,) = struct.unpack_from("<I", data, 8)
    if header_length > len(data) - 24:
        raise RawQuantFormatError(f"truncated: header length {header_length} runs past the end")
    length_offset = 12 + header_length
    (payload_length,) = struct.unpack_from("<Q", data, length_offset)
    start = length_offset + 8
    if payload_length > len(data) - start - 4:
        raise RawQuantFormatError(f"truncated: payload of {payload_length} bytes runs past the end")
    end = start + payload_length
    if end + 4 != len(data):
        raise RawQuantFormatError(f"{len(data) - end - 4} unexpected bytes after the payload")
    (stored,) = struct.unpack_from("<I", data, end)
    if stored != zlib.crc32(data[:end]) & 0xFFFFFFFF:
        raise RawQuantFormatError("checksum mismatch: file is corrupt")
    return data[12:length_offset], data[start:end]


def unpack_codes(payload: bytes, count: int, bits: int) -> np.ndarray:
    """`count` codes of `bits` bits from an LSB-first bit stream (code i in stream bits [i·N, (i+1)·N))."""
    if bits == 8:
        return np.frombuffer(payload, dtype=np.uint8, count=count).copy()
    stream = np.unpackbits(np.frombuffer(payload, dtype=np.uint8), bitorder="little")[: count * bits]
    weights = (1 << np.arange(bits, dtype=np.uint16)).astype(np.uint16)
    return (stream.reshape(count, bits).astype(np.uint16) @ weights).astype(np.uint8)


@dataclass
class PackedMosaic:
    """A quantized Bayer mosaic: `codes` H×W uint8, `decoder` [4, 2^N] float64 (per 2×2 position, row-major)."""

    codes: np.ndarray
    decoder: np.ndarray
    cfa: str
    bits: int
    adc_bits: int
    black_levels: list
    white_level: int
    quantizer: QuantizerSpec
    header: dict

    @property
    def height(self) -> int:
        return self.codes.shape[0]

    @property
    def width(self) -> int:
        return self.codes.shape[1]

    def dequantized(self) -> np.ndarray:
        """The linear mosaic in ADC units (float32): each pixel's code through its 2×2 position's table."""
        tables = self.decoder.astype(np.float32)
        out = np.empty(self.codes.shape, dtype=np.float32)
        for p in range(4):
            r, c = p >> 1, p & 1
            out[r::2, c::2] = tables[p][self.codes[r::2, c::2]]
        return out


def decode_rqm(data: bytes) -> PackedMosaic:
    """Parses and verifies a `.rqm` file's bytes (the checks of Swift's `PackedMosaicFile.decode`)."""
    header_bytes, payload = split_framed(bytes(data), MAGIC, VERSION, ".rqm")
    try:
        header = json.loads(header_bytes.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise RawQuantFormatError(f"malformed header: {error}") from None
    if not isinstance(header, dict):
        raise RawQuantFormatError("malformed header: not a JSON object")
    try:
        width, height, bits, adc_bits = (int(header[k]) for k in ("width", "height", "bits", "adcBits"))
        black, white, cfa = header["blackLevels"], int(header["whiteLevel"]), header["cfa"]
        tables, order, quantizer = header["decodeTables"], header["bitOrder"], header["quantizer"]
    except (KeyError, TypeError, ValueError) as error:
        raise RawQuantFormatError(f"malformed header: {error!r}") from None
    if order != "lsb-first":
        raise RawQuantFormatError(f'unknown bit order "{order}"')
    spec = QuantizerSpec.from_json(quantizer)
    if bits != spec.bits:
        raise RawQuantFormatError(f"header bits {bits} disagree with quantizer bits {spec.bits}")
    if not isinstance(cfa, str) or cfa.upper() not in CFA_NAMES:
        raise RawQuantFormatError(f'invalid CFA "{cfa}"')
    if not (0 < width <= 1 << 20 and 0 < height <= 1 << 20):
        raise RawQuantFormatError(f"invalid dimensions {width}×{height}")
    if not (1 <= adc_bits <= 16 and 0 < white < 1 << adc_bits):
        raise RawQuantFormatError(f"white level {white} does not fit a {adc_bits}-bit ADC")
    if not (isinstance(black, list) and len(black) == 4 and all(isinstance(b, int) and 0 <= b < white for b in black)):
        raise RawQuantFormatError(f"invalid black levels {black}")
    decoder = np.asarray(tables, dtype=np.float64) if isinstance(tables, list) else None
    if decoder is None or decoder.shape != (4, spec.levels) or not np.all(np.isfinite(decoder)):
        raise RawQuantFormatError(f"decode tables must be 4 × {spec.levels} finite values")
    expected = (width * height * bits + 7) // 8
    if len(payload) != expected:
        raise RawQuantFormatError(f"payload has {len(payload)} bytes, expected {expected} for {width}×{height} at {bits} bits")
    codes = unpack_codes(payload, width * height, bits).reshape(height, width)
    return PackedMosaic(codes=codes, decoder=decoder, cfa=cfa.upper(), bits=bits, adc_bits=adc_bits, black_levels=list(black),
                        white_level=white, quantizer=spec, header=header)


def read_rqm(path) -> PackedMosaic:
    """Reads and verifies the `.rqm` file at `path`; a refused file raises `RawQuantFormatError` naming it."""
    return read_file(path, decode_rqm)

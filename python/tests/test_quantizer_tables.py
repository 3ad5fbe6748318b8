"""The Python encoder LUTs, decode tables and network decoders equal the Swift tool's, bit for bit, for every family."""
from pathlib import Path

import numpy as np
import pytest

import rawquant
from conftest import ROOT, inspect

BUNDLED = sorted((ROOT / "Fixtures" / "quantizers").glob("*.safetensors"))
SENSORS = [(10, 64, 1023), (12, 256, 4095), (12, 128, 3900), (14, 1024, 16383)]


def thresholds_of(lut: np.ndarray, levels: int):
    """The smallest ADC value with code ≥ k + 1, k = 0 … L − 2 (None where none), as Swift's `thresholds`."""
    out = []
    for k in range(1, levels):
        hit = np.nonzero(lut >= k)[0]
        out.append(int(hit[0]) if hit.size else None)
    return out


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_bundled_quantizers_match_swift(swift, path):
    compare(swift, path)


def test_learned_families_match_swift(swift, learned_quantizers):
    for name, path in learned_quantizers.items():
        spec = compare(swift, path)
        assert spec.kind in name.replace("log-learned", "log").replace("gamma-per-channel", "gamma").replace("gamma-global", "gamma")


def compare(run, path: Path):
    spec = rawquant.read_quantizer(path)
    for adc_bits, black, white in SENSORS:
        swift = inspect(run, path, adc_bits, black, white)
        assert swift["summary"]
        for color, channel in enumerate(swift["channels"]):
            lut = spec.encoder(color, black, white, adc_bits)
            assert thresholds_of(lut, spec.levels) == channel["adcThresholds"], (path.name, adc_bits, color)
            decoder = spec.decoder(color, black, white)
            assert decoder.tolist() == channel["linearDecoder"], (path.name, adc_bits, color)
            network = np.asarray(channel["networkDecoder"], dtype=np.float32)
            assert np.array_equal(spec.network_decoder(color), network), (path.name, adc_bits, color)
    return spec


def test_spec_validation_refuses_what_swift_refuses():
    bad = [dict(kind="gamma", bits=4, gammas=[]), dict(kind="gamma", bits=9, gammas=[1.0]), dict(kind="log", bits=4, gammas=[1.0]),
           dict(kind="gamma-log", bits=4, gammas=[1.0]), dict(kind="monotone", bits=4, knots=[0, 0.5, 0.4, 1], increments=[[0.3, 0.3, 0.4]]),
           dict(kind="sq", bits=2, thresholds=[[0.1, 0.2]]), dict(kind="lsq", bits=4, steps=[-1.0]), dict(kind="warp", bits=4)]
    for d in bad:
        with pytest.raises(rawquant.RawQuantFormatError):
            rawquant.QuantizerSpec.from_json(d)
    assert rawquant.QuantizerSpec.from_json(dict(kind="log", bits=4, logScales=[100.0])).log_scales == [100.0]


def test_corrupt_quantizer_files_are_refused(tmp_path):
    data = BUNDLED[0].read_bytes()
    for broken in [data[:20], b"not a safetensors file at all", data[:8] + b"[" + data[9:], data[:-1]]:
        with pytest.raises(rawquant.RawQuantFormatError):
            rawquant.decode_quantizer(broken)
    path = tmp_path / "q.safetensors"
    path.write_bytes(data[:-3])
    with pytest.raises(rawquant.RawQuantFormatError, match=str(path)):
        rawquant.read_quantizer(path)

"""`.rqf` files written by `rawquant features encode` read back in Python: codes, the model's codec, and refusals."""
import csv
import json
import struct
import subprocess
import zlib

import numpy as np
import pytest

import rawquant
from conftest import rawquant_binary

RUNS = [("bwsq", 3), ("sq", 2), ("lsq", 4), ("gamma", 5), ("minmax", 8), ("quantile", 1), ("lsq", 7)]


def read_csv(path):
    with open(path, newline="") as f:
        table = list(csv.reader(f))
    return table[0], np.array([[float(v) for v in row] for row in table[1:]], dtype=np.float64)


@pytest.fixture(scope="session")
def encoded(swift, tmp_path_factory):
    """A generated table, models of several methods trained on it, its rows encoded by each and decoded back by Swift:
    (method, bits, model, .rqf, encode report, decoded CSV)."""
    root = tmp_path_factory.mktemp("features")
    table = root / "t.csv"
    swift("features", "synth", "--kind", "friedman1", "--rows", 203, "--seed", 3, "--out", table)
    out = []
    for method, bits in RUNS:
        model, codes, decoded = root / f"{method}-{bits}.safetensors", root / f"{method}-{bits}.rqf", root / f"{method}-{bits}.csv"
        swift("features", "train", "--data", table, "--target", "y", "--method", method, "--bits", bits, "--epochs", 2, "--hidden", 8,
              "--out", model)
        report = json.loads(swift("features", "encode", "--model", model, "--json", table, codes))
        swift("features", "decode", "--model", model, codes, decoded)
        out.append((method, bits, model, codes, report, decoded))
    return table, out


def test_codes_read_back_and_decode_as_swift(encoded):
    table, runs = encoded
    columns, rows = read_csv(table)
    features = [c for c in columns if c != "y"]
    raw = rows[:, [columns.index(c) for c in features]]
    for method, bits, model, path, report, decoded in runs:
        plain = rawquant.read_rqf(path)
        assert (plain.rows, plain.bits, plain.method, plain.features) == (203, bits, method, features), method
        assert plain.codes.shape == (203, 10) and plain.codes.dtype == np.uint8 and int(plain.codes.max()) < 1 << bits
        assert plain.codec is None
        with pytest.raises(ValueError, match="model="):
            plain.decoded()
        assert report["payloadBytes"] == (203 * 10 * bits + 7) // 8 and report["fileBytes"] == path.stat().st_size
        checked = rawquant.read_rqf(path, model=model)
        assert np.array_equal(checked.codes, plain.codes)
        codec = checked.codec
        assert codec.checksum == plain.codec_checksum and codec.bits == bits and codec.method == method
        # The server's view: each code's representative value, exactly the CSV `rawquant features decode` wrote.
        names, swift_decoded = read_csv(decoded)
        assert names == features
        assert np.array_equal(checked.decoded(), swift_decoded), method
        # The device's view: the rows encoded in Python with the model's codec are the codes Swift sent.
        assert np.array_equal(codec.encode(raw), plain.codes), method
        network = checked.network_input()
        assert network.shape == (203, 10 * codec.values_per_feature) and network.dtype == np.float32
        # The model passed as read once gives the same.
        again = rawquant.read_rqf(path, model=rawquant.read_feature_model(model))
        assert np.array_equal(again.network_input(), network)


def framed(header: dict, payload: bytes, magic=b"RQF1", version=1) -> bytes:
    text = json.dumps(header, separators=(",", ":"), sort_keys=True).encode()
    body = magic + struct.pack("<HHI", version, 0, len(text)) + text + struct.pack("<Q", len(payload)) + payload
    return body + struct.pack("<I", zlib.crc32(body) & 0xFFFFFFFF)


def test_corrupt_files_are_refused_as_swift_refuses_them(encoded, tmp_path):
    _, runs = encoded
    method, bits, model, path, _, _ = runs[0]
    other_model = runs[2][2]
    data = path.read_bytes()
    header_length = struct.unpack_from("<I", data, 8)[0]
    header = json.loads(data[12:12 + header_length])
    payload = data[20 + header_length:-4]
    assert framed(header, payload) == data, "the Swift header is sorted compact JSON"

    def rebuilt(**changes):
        return framed(dict(header, **changes), payload)

    flipped = bytearray(data)
    flipped[20 + header_length + 5] ^= 0x10
    cases = {
        "truncated": data[:-1], "tiny": data[:10], "bad magic": b"RQM1" + data[4:], "version": data[:4] + b"\x02\x00" + data[6:],
        "checksum": bytes(flipped), "header byte": data[:14] + bytes([data[14] ^ 1]) + data[15:], "trailing": data + b"\x00",
        "short payload": framed(header, payload[:-1]), "long payload": framed(header, payload + b"\x00"),
        "rows": rebuilt(rows=header["rows"] + 1), "negative rows": rebuilt(rows=-1), "bits 9": rebuilt(bits=9),
        "bits 0": rebuilt(bits=0), "method": rebuilt(method="warp"), "fp": rebuilt(method="fp"), "no rows": rebuilt(rows=None),
        "names": rebuilt(features="x1"), "checksum type": rebuilt(codecChecksum=-1),
    }
    body = b"RQF1" + struct.pack("<HHI", 1, 0, 3) + b"{x}" + struct.pack("<Q", 0)
    cases["json"] = body + struct.pack("<I", zlib.crc32(body) & 0xFFFFFFFF)
    # Against the model: another model's codes (method, bits, checksum) and other feature names are refused too.
    against_model = {
        "checksum of another codec": rebuilt(codecChecksum=(header["codecChecksum"] + 1) & 0xFFFFFFFF),
        "bits of another codec": rebuilt(bits=bits + 1),
        "renamed column": rebuilt(features=["x1", "x2", "z3"] + header["features"][3:]),
        "fewer columns": rebuilt(features=header["features"][:9]),
    }
    binary = rawquant_binary()
    for name, broken in {**cases, **against_model}.items():
        target = tmp_path / f"{name.replace(' ', '-')}.rqf"
        target.write_bytes(broken)
        if name in cases:
            with pytest.raises(rawquant.RawQuantFormatError):
                rawquant.decode_rqf(broken)
            with pytest.raises(rawquant.RawQuantFormatError, match=target.name):
                rawquant.read_rqf(target)
        with pytest.raises(rawquant.RawQuantFormatError, match=target.name):
            rawquant.read_rqf(target, model=model)
        # The Swift server refuses the same file.
        result = subprocess.run([binary, "features", "decode", "--model", str(model), str(target), str(tmp_path / f"{target.stem}.csv")],
                                capture_output=True, text=True)
        assert result.returncode != 0 and target.name in result.stderr, (name, result.stderr)
    with pytest.raises(rawquant.RawQuantFormatError, match="another model"):
        rawquant.read_rqf(path, model=other_model)
    with pytest.raises(rawquant.RawQuantFormatError, match="column 3"):
        rawquant.read_rqf(tmp_path / "renamed-column.rqf", model=model)


def test_model_files_are_checked(encoded, swift, tmp_path):
    table, runs = encoded
    model, path = runs[0][2], runs[0][3]
    fp = tmp_path / "fp.safetensors"
    swift("features", "train", "--data", table, "--target", "y", "--method", "fp", "--epochs", 1, "--hidden", 4, "--out", fp)
    assert rawquant.read_feature_model(fp).codec is None
    with pytest.raises(rawquant.RawQuantFormatError, match="full-precision"):
        rawquant.read_rqf(path, model=fp)
    data = model.read_bytes()
    broken = tmp_path / "broken.safetensors"
    for bad in [data[:6], data.replace(b"rawquant-feature-model", b"rawquant-feature-xodel"), data.replace(b"unitThresholds", b"unitThresholdz"),
                data.replace(b"featureNames", b"featureNamez")]:
        broken.write_bytes(bad)
        with pytest.raises(rawquant.RawQuantFormatError, match=broken.name):
            rawquant.read_rqf(path, model=broken)

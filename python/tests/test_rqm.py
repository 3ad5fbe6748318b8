"""`.rqm` files written by `rawquant simulate` read back in Python: codes, decode tables and refusals."""
import json
import struct
import zlib

import numpy as np
import pytest

import rawquant
from conftest import CR2

CFA_COLOR = {"R": 0, "G": 1, "B": 2}


@pytest.fixture(scope="session")
def simulated(swift, tmp_path_factory, learned_quantizers):
    """The bundled CR2 through several quantizers: (name, .rqm path, the JSON report)."""
    out = []
    runs = [("default-4", ["--bits", 4]), ("log-3", ["--bits", 3, "--quantizer", "log"]), ("linear-8", ["--bits", 8, "--quantizer", "linear"]),
            ("gamma-2", ["--bits", 2, "--quantizer", "gamma", "--gamma", "0.4"]),
            ("monotone-4", ["--quantizer-file", learned_quantizers["monotone-4"]]),
            ("bwsq-3", ["--quantizer-file", learned_quantizers["bwsq-3"]])]
    for name, args in runs:
        directory = tmp_path_factory.mktemp(name)
        report = json.loads(swift("simulate", *args, "--json", "--output", directory, CR2))
        report = report[0] if isinstance(report, list) else report
        out.append((name, next(directory.glob("*.rqm")), report))
    return out


def test_simulate_outputs_read_back(simulated):
    for name, path, report in simulated:
        mosaic = rawquant.read_rqm(path)
        assert mosaic.codes.shape == (2348, 3522), name
        assert mosaic.bits == report["bits"]
        assert int(mosaic.codes.max()) < 1 << mosaic.bits
        # The code histograms of the four 2×2 positions are the ones Swift reported.
        for key in ["R", "G1", "G2", "B"]:
            position = [i for i, letter in enumerate(mosaic.cfa) if letter == key[0]][0 if key != "G2" else 1]
            rr, cc = position >> 1, position & 1
            counts = np.bincount(mosaic.codes[rr::2, cc::2].ravel(), minlength=mosaic.quantizer.levels)
            assert counts.tolist() == report["histograms"][key], (name, key)
        # Every decode table is the spec's, recomputed in Python, to the last bit.
        for p in range(4):
            color = CFA_COLOR[mosaic.cfa[p]]
            expected = mosaic.quantizer.decoder(color, mosaic.black_levels[p], mosaic.white_level)
            assert expected.tolist() == mosaic.decoder[p].tolist(), (name, p)
        linear = mosaic.dequantized()
        assert linear.dtype == np.float32 and linear.shape == mosaic.codes.shape


def test_unpacking_is_lsb_first():
    codes = np.array([1, 2, 3, 15, 0, 7, 9], dtype=np.uint8)
    packed = bytes([1 | 2 << 4, 3 | 15 << 4, 0 | 7 << 4, 9])
    assert rawquant.rqm.unpack_codes(packed, 7, 4).tolist() == codes.tolist()
    assert rawquant.rqm.unpack_codes(bytes([0b11100100]), 4, 2).tolist() == [0, 1, 2, 3]
    assert rawquant.rqm.unpack_codes(bytes([0b10001011, 0b1]), 3, 3).tolist() == [3, 1, 6]


def test_corrupt_files_are_refused(simulated, tmp_path):
    data = simulated[0][1].read_bytes()
    header_length = struct.unpack_from("<I", data, 8)[0]

    def with_crc(body: bytes) -> bytes:
        return body + struct.pack("<I", zlib.crc32(body) & 0xFFFFFFFF)

    header = json.loads(data[12:12 + header_length])
    def rebuilt(**changes) -> bytes:
        h = dict(header, **changes)
        text = json.dumps(h).encode()
        payload = data[20 + header_length:-4]
        return with_crc(b"RQM1" + struct.pack("<HHI", 1, 0, len(text)) + text + struct.pack("<Q", len(payload)) + payload)

    assert rawquant.decode_rqm(rebuilt()).codes.shape == (2348, 3522)
    cases = {
        "truncated": data[:-1], "bad magic": b"XQM1" + data[4:], "version": data[:4] + b"\x02\x00" + data[6:],
        "checksum": data[:-5] + bytes([data[-5] ^ 1]) + data[-4:], "trailing": data + b"\x00",
        "tiny": data[:10], "bits": rebuilt(bits=3), "cfa": rebuilt(cfa="RGBX"), "white": rebuilt(whiteLevel=1 << 20),
        "black": rebuilt(blackLevels=[0, 0, 0]), "tables": rebuilt(decodeTables=[[0.0]] * 4), "width": rebuilt(width=3521),
        "order": rebuilt(bitOrder="msb-first"), "quantizer": rebuilt(quantizer={"kind": "gamma", "bits": 4, "gammas": [-1]}),
        "json": with_crc(b"RQM1" + struct.pack("<HHI", 1, 0, 3) + b"{x}" + struct.pack("<Q", 0)),
    }
    for name, broken in cases.items():
        with pytest.raises(rawquant.RawQuantFormatError):
            rawquant.decode_rqm(broken)
        path = tmp_path / f"{name.replace(' ', '-')}.rqm"
        path.write_bytes(broken)
        with pytest.raises(rawquant.RawQuantFormatError, match=path.name):
            rawquant.read_rqm(path)

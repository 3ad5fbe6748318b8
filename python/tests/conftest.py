"""Shared fixtures: the Swift `rawquant` binary (RAWQUANT_BIN, else the repository's release build) and files it writes."""
import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CR2 = ROOT / "Fixtures" / "IMG_5952.CR2"


def rawquant_binary():
    path = os.environ.get("RAWQUANT_BIN") or str(ROOT / ".build" / "release" / "rawquant")
    return path if os.access(path, os.X_OK) else None


@pytest.fixture(scope="session")
def swift():
    """Runs the Swift tool: swift(*args) → stdout; skips the test when the binary is not built."""
    binary = rawquant_binary()
    if binary is None:
        pytest.skip("the Swift rawquant binary is not built (swift build -c release --product rawquant, or set RAWQUANT_BIN)")

    def run(*args):
        return subprocess.run([binary, *map(str, args)], check=True, capture_output=True, text=True).stdout

    return run


@pytest.fixture(scope="session")
def learned_quantizers(swift, tmp_path_factory):
    """Quantizer files of every learned family, written by the Swift trainer (1 epoch on 16 generated scenes)."""
    root = tmp_path_factory.mktemp("learned")
    swift("synth", "--count", 16, "--seed", 3, "--size", "64x64", "--out", root / "data")
    files = {}
    for name, bits in [("gamma-per-channel", 4), ("gamma-global", 3), ("sq", 2), ("bwsq", 3), ("lsq", 4),
                       ("log-learned", 4), ("log-learned-global", 2), ("gamma-log", 4), ("monotone", 4), ("monotone", 6)]:
        out = root / f"{name}-{bits}"
        swift("train", "--data", root / "data", "--quantizer", name, "--bits", bits, "--epochs", 1, "--width", 4,
                 "--batch", 4, "--crop", "64x64", "--val-split", "none", "--out", out, "--no-resume")
        files[f"{name}-{bits}"] = out / "quantizer.safetensors"
    return files


def inspect(swift, path, adc_bits, black, white):
    """`rawquant inspect-quantizer --json`: the Swift tables."""
    return json.loads(swift("inspect-quantizer", "--json", "--adc-bits", adc_bits, "--black", black, "--white", white, path))

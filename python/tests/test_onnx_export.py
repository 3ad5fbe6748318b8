"""The codes-in ONNX graph: onnxruntime on the sensor's codes gives Swift's maps (rawquant detect --maps)."""
import numpy as np
import pytest

pytest.importorskip("torch", reason="torch is not installed")
pytest.importorskip("onnx", reason="onnx is not installed")
ort = pytest.importorskip("onnxruntime", reason="onnxruntime is not installed")

from safetensors.numpy import load_file  # noqa: E402

from rawquant import export  # noqa: E402
from conftest import ROOT  # noqa: E402


def test_onnx_on_codes_equals_swift(swift, tmp_path):
    checkpoint = ROOT / "Fixtures" / "models" / "detector-4bit-gamma.safetensors"
    scene = ROOT / "Fixtures" / "scenes" / "scene_000017.dng"
    swift("detect", "--model", checkpoint, "--maps", tmp_path, scene)
    maps = load_file(str(next(tmp_path.glob("*.maps.safetensors"))))
    codes = maps["codes"].astype(np.uint8)
    height, width = codes.shape[2:]
    graph = tmp_path / "detector.onnx"
    export.export(str(checkpoint), str(graph), height, width, "RGGB")
    session = ort.InferenceSession(str(graph), providers=["CPUExecutionProvider"])
    outputs = session.run(None, {"codes": codes})
    for key, out in zip(["heatmap_logits", "size", "offset"], outputs):
        assert out.shape == maps[key].shape, key
        assert np.abs(out - maps[key]).max() < 1e-3, (key, np.abs(out - maps[key]).max())


def test_scaled_models_are_refused(tmp_path):
    with pytest.raises(ValueError, match="scale"):
        export.export(str(ROOT / "Fixtures" / "models" / "photo-4bit.safetensors"), str(tmp_path / "x.onnx"), 256, 256)

"""Training at scale: the DDP example on 2 CPU processes (gloo) writes a checkpoint `rawquant eval` scores, and
`rawquant.data` gives the planes the Swift detector sees."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="torch is not installed")
pytest.importorskip("rawpy", reason="rawpy is not installed")

from safetensors.numpy import load_file  # noqa: E402

from conftest import ROOT, rawquant_binary  # noqa: E402


def test_ddp_training_writes_a_checkpoint_rawquant_reads(swift, tmp_path):
    swift("synth", "--count", 24, "--seed", 7, "--size", "64x64", "--out", tmp_path / "data")
    environment = dict(os.environ, OMP_NUM_THREADS="1", PYTHONPATH=str(ROOT / "python"))
    command = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2", "--master_port", "29517",
               str(ROOT / "python" / "examples" / "train_ddp.py"), "--data", str(tmp_path / "data"), "--epochs", "2", "--batch", "4",
               "--crop", "64x64", "--width", "4", "--out", str(tmp_path / "ddp.safetensors")]
    done = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "epoch 2/2" in done.stdout
    result = json.loads(swift("eval", "--model", tmp_path / "ddp.safetensors", "--data", tmp_path / "data", "--split", "test", "--json"))
    assert 0 <= result["mAP50"] <= 1 and set(result["ap50PerClass"]) == {"disk", "square", "triangle"}


def test_planes_are_the_swift_detectors_input(swift, tmp_path):
    from rawquant import data, torch_faces

    scene = ROOT / "Fixtures" / "scenes" / "scene_000017.dng"
    swift("detect", "--model", "shapes", "--maps", tmp_path, scene)
    maps = load_file(str(next(tmp_path.glob("*.maps.safetensors"))))
    planes, ranges = data.planes(scene)
    rho = load_file(str(ROOT / "Fixtures" / "models" / "detector-4bit-gamma.safetensors"))["quantizer.rho"]
    face = torch_faces.LearnableGamma(4, (1.0,), groups=3)
    face.rho.data = torch.from_numpy(rho)
    face.eval()
    seen = face(torch.from_numpy(planes[None]), torch_faces.Layout([0, 1, 1, 2], ranges)).numpy()
    assert seen.shape == maps["input"].shape
    assert (seen == maps["input"]).mean() > 0.999

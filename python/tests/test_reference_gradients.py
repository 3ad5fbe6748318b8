"""Training-mode twins: each torch train face reproduces the Swift one's output and gradients on the reference
batches `rawquant reference-batch` writes (seeded input, moved parameters, the gradient of a seeded linear loss)."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")
from safetensors.numpy import load_file  # noqa: E402

from rawquant import torch_faces  # noqa: E402

# Family → a fresh torch face of its shape (parameters are then loaded from the batch).
CURVES = {
    "gamma-global": lambda bits: torch_faces.LearnableGamma(bits, groups=1),
    "gamma-per-channel": lambda bits: torch_faces.LearnableGamma(bits, groups=3),
    "log-learned-global": lambda bits: torch_faces.LearnedLog(bits, groups=1),
    "log-learned": lambda bits: torch_faces.LearnedLog(bits, groups=3),
    "gamma-log": lambda bits: torch_faces.LearnedLog(bits, gamma=1.0, groups=3),
    "monotone": lambda bits: torch_faces.MonotoneCurve(bits, knots=torch_faces.MonotoneCurve.log_spaced_knots(16, 3839), groups=3),
}


def reference(swift, tmp_path, family, bits, seed=2):
    path = tmp_path / f"{family}-{bits}.safetensors"
    swift("reference-batch", "--quantizer", family, "--bits", bits, "--seed", seed, "--output", path)
    from safetensors import safe_open
    with safe_open(str(path), framework="numpy") as f:
        metadata = f.metadata()
    return load_file(str(path)), metadata


def load_state(face, tensors):
    with torch.no_grad():
        for key, value in tensors.items():
            kind, _, name = key.partition(".")
            if kind in ("param", "buffer"):
                target = getattr(face, name)
                assert tuple(target.shape) == value.shape, f"{name}: torch {tuple(target.shape)} vs Swift {value.shape}"
                target.copy_(torch.from_numpy(value))


def check(face, tensors, metadata):
    layout = torch_faces.Layout([int(c) for c in metadata["colors"].split(",")], [int(metadata["range"])] * 4)
    load_state(face, tensors)
    face.train()
    x = torch.from_numpy(tensors["x"])
    out = face(x, layout)
    assert tuple(out.shape) == tensors["output"].shape
    (out * torch.from_numpy(tensors["weights"])).sum().backward()
    # Outputs: the same codes but where float rounding of log/pow puts a pixel across a code boundary.
    mismatched = np.mean(np.abs(out.detach().numpy() - tensors["output"]) > 1e-6)
    assert mismatched <= 0.01, f"{mismatched:.2%} of outputs differ"
    errors = {}
    for key, swift_grad in tensors.items():
        if not key.startswith("grad."):
            continue
        grad = getattr(face, key[5:]).grad.numpy()
        errors[key] = float(np.linalg.norm(grad - swift_grad) / max(np.linalg.norm(swift_grad), 1e-12))
    assert errors and max(errors.values()) < 1e-3, errors
    return errors


@pytest.mark.parametrize("bits", [2, 4])
@pytest.mark.parametrize("family", sorted(CURVES))
def test_curve_faces_match_the_swift_gradients(swift, tmp_path, family, bits):
    tensors, metadata = reference(swift, tmp_path, family, bits)
    assert metadata["quantizer"] == family and metadata["bits"] == str(bits)
    check(CURVES[family](bits), tensors, metadata)

"""Torch train faces: eval mode equals the Swift deploy face on every ADC code (through a quantizer file the Swift
tool reads), training mode learns (finite, non-zero gradients) and stays within one code of eval."""
import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="torch is not installed (pip install ./python[torch])")

import rawquant  # noqa: E402
from rawquant import torch_faces  # noqa: E402
from conftest import inspect  # noqa: E402


def faces():
    gamma = torch_faces.LearnableGamma(4, (0.3, 0.45, 0.27))
    log = torch_faces.LearnedLog(3, scale=700)
    log.logScale.data = torch.tensor([5.1, 7.9, 3.3])
    gamma_log = torch_faces.LearnedLog(4, scale=1200, gamma=0.8)
    gamma_log.rho.data = torch.tensor([0.2, 0.9, -0.4])
    monotone = torch_faces.MonotoneCurve(4, torch_faces.MonotoneCurve.log_spaced_knots(16, 3839))
    monotone.theta.data = torch.linspace(-2, 2, 48).reshape(3, 16).sin() * 2
    global_gamma = torch_faces.LearnableGamma(2, (0.5,), groups=1)
    return [gamma, log, gamma_log, monotone, global_gamma]


@pytest.mark.parametrize("index", range(5))
def test_eval_equals_the_swift_deploy_face_on_every_adc_code(swift, tmp_path, index):
    face = faces()[index]
    face.eval()
    spec = face.deploy_spec()
    path = tmp_path / "q.safetensors"
    rawquant.write_quantizer(spec, path)
    assert rawquant.read_quantizer(path) == spec
    for adc_bits, black, white in [(10, 64, 1023), (12, 256, 4095), (14, 1024, 16383)]:
        swift_tables = inspect(swift, path, adc_bits, black, white)["channels"]
        codes = np.arange(1 << adc_bits)
        x = np.clip((codes.astype(np.float32) - np.float32(black)) / (np.float32(white) - np.float32(black)), 0, 1).astype(np.float32)
        planes = torch.from_numpy(np.stack([x, x, x, x]).reshape(1, 4, 1, -1))
        layout = torch_faces.Layout([0, 1, 1, 2], [white - black] * 4)
        out = face(planes, layout).numpy().reshape(4, -1)
        for c, color in enumerate([0, 1, 1, 2]):
            thresholds = swift_tables[color]["adcThresholds"]
            expected = np.array([sum(1 for t in thresholds if t is not None and adc >= t) for adc in codes])
            got = out[c] * face.levels - 0.5
            assert np.array_equal(got, expected), (spec.kind, adc_bits, c, np.nonzero(got != expected)[0][:5])
            assert np.array_equal(out[c], ((expected + np.float32(0.5)) / np.float32(face.levels)).astype(np.float32))


def test_training_mode_learns_and_agrees_with_eval(tmp_path):
    # x̂ of ADC codes (what the sensor sees), dense near black.
    x = (torch.round(torch.rand(2, 4, 16, 16) ** 3 * 3839) / 3839).float()
    layout = torch_faces.Layout([0, 1, 1, 2], [3839] * 4)
    for face in faces():
        face.train()
        out = face(x, layout)
        (out * torch.linspace(-1, 1, out.numel()).reshape(out.shape)).sum().backward()
        for name, p in face.named_parameters():
            assert torch.isfinite(p.grad).all() and (p.grad != 0).any(), (type(face).__name__, name)
        face.eval()
        # Training-mode codes are the same curve in torch's float32: at most one code apart where torch's log or pow
        # rounds the last bit otherwise, equal on almost every pixel.
        diff = (face(x, layout) - out.detach()).abs() * face.levels
        assert diff.max() <= 1.0 + 1e-4 and (diff > 0.5).float().mean() < 0.01, type(face).__name__


def test_faces_rebuilt_from_swift_files(swift, learned_quantizers):
    for name in ["gamma-per-channel-4", "log-learned-4", "gamma-log-4", "monotone-4"]:
        spec = rawquant.read_quantizer(learned_quantizers[name])
        face = torch_faces.from_spec(spec)
        again = face.deploy_spec()
        assert again.kind == spec.kind and again.bits == spec.bits
        for a, b in [(again.gammas, spec.gammas), (again.log_scales or [], spec.log_scales or [])]:
            assert np.allclose(a, b, rtol=1e-6)

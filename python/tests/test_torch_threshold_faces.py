"""SQ, Bw-SQ and LSQ torch train faces: eval mode equals the Swift deploy face on every ADC code (through quantizer
files the Swift tool reads, at 1…8 bits and 10-, 12- and 14-bit ADCs); Swift checkpoints load; training mode is the
Swift formula, its gradients are checked (float64 gradcheck of the sigmoid steps, LSQ against `StraightThrough.lsq`)."""
import math

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="torch is not installed (pip install ./python[torch])")

import rawquant  # noqa: E402
from rawquant import torch_faces  # noqa: E402
from rawquant.torch_threshold_faces import (  # noqa: E402
    FEATURE_TEMPERATURE, LSQ, RAW_TEMPERATURE, LSQFunction, SoftThresholds, TemperatureSchedule, from_spec, hard_steps, soft_steps)
from conftest import inspect  # noqa: E402

SENSORS = [(10, 64, 1023), (12, 256, 4095), (14, 1024, 16383)]
PLANES = [0, 1, 1, 2]


def random_spec(kind: str, bits: int, seed: int) -> rawquant.QuantizerSpec:
    """Parameters that exercise the edges: raw-like thresholds dense near black, an unsorted row with a tie, values
    outside [0, 1] and one exactly on an ADC code's x̂; LSQ steps around the uniform grid, one on an ADC grid."""
    rng = np.random.default_rng(seed)
    m = (1 << bits) - 1
    if kind == "lsq":
        steps = [float(np.float32(rng.uniform(0.3, 2.5) / m)), float(np.float32(2 / 959)), float(np.float32(rng.uniform(0.01, 0.3) / m))]
        return rawquant.QuantizerSpec(kind="lsq", bits=bits, steps=steps)
    raw = np.sort(rng.random(m) ** 4).astype(np.float32)
    shuffled = rng.permutation(rng.uniform(-0.05, 1.05, m)).astype(np.float32)
    if m >= 3:
        shuffled[1] = shuffled[2]
        shuffled[0] = np.float32(100) / np.float32(959)
    mid = rng.uniform(0, 0.3, m).astype(np.float32)
    rows = [[float(v) for v in row] for row in (raw, shuffled, mid)]
    return rawquant.QuantizerSpec(kind=kind, bits=bits, thresholds=rows)


def adc_input(adc_bits, black, white):
    codes = np.arange(1 << adc_bits)
    x = np.clip((codes.astype(np.float32) - np.float32(black)) / (np.float32(white) - np.float32(black)), 0, 1).astype(np.float32)
    return codes, torch.from_numpy(np.stack([x] * 4).reshape(1, 4, 1, -1))


def as_bits(a) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(a, dtype=np.float32)).view(np.uint32)


@pytest.mark.parametrize("kind", ["sq", "bwsq", "lsq"])
@pytest.mark.parametrize("bits", range(1, 9))
def test_eval_equals_the_swift_deploy_face_on_every_adc_code(swift, tmp_path, kind, bits):
    spec = random_spec(kind, bits, seed=bits)
    path = tmp_path / f"{kind}-{bits}.safetensors"
    rawquant.write_quantizer(spec, path)
    face = from_spec(rawquant.read_quantizer(path))
    assert face.deploy_spec() == spec and not face.training
    assert torch_faces.from_spec(spec).deploy_spec() == spec
    v = spec.values_per_channel
    for adc_bits, black, white in SENSORS:
        channels = inspect(swift, path, adc_bits, black, white)["channels"]
        codes, x = adc_input(adc_bits, black, white)
        layout = torch_faces.Layout(PLANES, [white - black] * 4)
        out = face(x, layout).numpy().reshape(4, v, -1)
        assert out.dtype == np.float32
        for c, color in enumerate(PLANES):
            swift_network = np.asarray(channels[color]["networkDecoder"], dtype=np.float32)
            assert np.array_equal(as_bits(spec.network_decoder(color)), as_bits(swift_network)), (kind, bits, color)
            thresholds = channels[color]["adcThresholds"]
            code = np.array([sum(1 for t in thresholds if t is not None and adc >= t) for adc in codes])
            assert np.array_equal(code, spec.encoder(color, black, white, adc_bits)), (kind, bits, adc_bits, color)
            expected = swift_network[code].T  # [V, ADC codes]
            assert np.array_equal(as_bits(out[c]), as_bits(expected)), (kind, bits, adc_bits, c, np.nonzero((out[c] != expected).any(0))[0][:5])
        # The Swift eval formula run directly in torch (thermometer [x̂ > a_j], or LSQ's clamp-round) gives the same bits.
        if kind == "lsq":
            direct = face.quantize(x, layout)
        else:
            direct = face.combine(hard_steps(x, face.thresholds, layout))
        assert np.array_equal(as_bits(direct.detach().numpy().reshape(4, v, -1)), as_bits(out)), (kind, bits, adc_bits)


def test_global_rows_and_batches(swift, tmp_path):
    """One global row of thresholds or one step; a batch of 2 with x̂ laid out over H × W."""
    for spec in [rawquant.QuantizerSpec(kind="bwsq", bits=2, thresholds=[[0.02, 0.3, 0.001]]),
                 rawquant.QuantizerSpec(kind="sq", bits=3, thresholds=[[0.5, 0.01, 0.02, 0.04, 0.08, 0.16, 0.32]]),
                 rawquant.QuantizerSpec(kind="lsq", bits=3, steps=[0.03])]:
        path = tmp_path / f"{spec.kind}.safetensors"
        rawquant.write_quantizer(spec, path)
        face = from_spec(spec)
        channels = inspect(swift, path, 12, 256, 4095)["channels"]
        codes, x = adc_input(12, 256, 4095)
        x = x.reshape(4, 64, 64).unsqueeze(0).repeat(2, 1, 1, 1)
        layout = torch_faces.Layout(PLANES, [4095 - 256] * 4)
        out = face(x, layout).numpy()
        assert out.shape == (2, 4 * spec.values_per_channel, 64, 64)
        for c, color in enumerate(PLANES):
            code = spec.encoder(color, 256, 4095, 12)
            expected = np.asarray(channels[color]["networkDecoder"], dtype=np.float32)[code].T.reshape(-1, 64, 64)
            v = spec.values_per_channel
            assert np.array_equal(out[1, c * v:(c + 1) * v], expected), (spec.kind, c)


def test_swift_checkpoints_load(swift, learned_quantizers):
    """`quantizer.thresholds` / `quantizer.step` of a Swift detector checkpoint load into the modules as they are."""
    from safetensors.numpy import load_file

    for name, make in [("sq-2", lambda: SoftThresholds("sq", 2)), ("bwsq-3", lambda: SoftThresholds("bwsq", 3)), ("lsq-4", lambda: LSQ(4))]:
        path = learned_quantizers[name]
        tensors = load_file(str(path.parent / "checkpoint.safetensors"))
        state = {k[len("quantizer."):]: torch.from_numpy(v) for k, v in tensors.items() if k.startswith("quantizer.")}
        face = make()
        face.load_state_dict(state, strict=True)
        spec = rawquant.read_quantizer(path)
        assert face.deploy_spec() == spec, name
        assert from_spec(spec).deploy_spec() == spec
        face.eval()
        channels = inspect(swift, path, 12, 256, 4095)["channels"]
        codes, x = adc_input(12, 256, 4095)
        out = face(x, torch_faces.Layout(PLANES, [3839] * 4)).numpy().reshape(4, spec.values_per_channel, -1)
        for c, color in enumerate(PLANES):
            expected = np.asarray(channels[color]["networkDecoder"], dtype=np.float32)[spec.encoder(color, 256, 4095, 12)].T
            assert np.array_equal(out[c], expected), (name, c)


# MARK: training mode


def test_temperature_schedules():
    e = 8
    assert RAW_TEMPERATURE.temperature(0, e) == float(np.float32(1e-2))
    for epoch in range(e):
        expected = np.float32(float(np.float32(1e-2)) * math.pow(float(np.float32(1e-4)) / float(np.float32(1e-2)), epoch / e))
        assert RAW_TEMPERATURE.temperature(epoch, e) == float(max(expected, np.float32(1e-4)))
    assert abs(RAW_TEMPERATURE.temperature(4, 8) - 1e-3) < 1e-9
    assert FEATURE_TEMPERATURE.temperature(0, 5) == 1.0
    assert TemperatureSchedule.constant(1e-6).temperature(3, 5) == float(np.float32(1e-4))
    assert TemperatureSchedule.linear(1, 0.5).temperature(4, 5) == 0.5
    assert TemperatureSchedule.cosine(1, 0).temperature(5, 10) == float(np.float32(0.5))
    warm = TemperatureSchedule.warmup_linear(1, 0.5, 2)
    assert [warm.temperature(k, 5) for k in range(5)] == [1.0, 1.0, 1.0, 0.75, 0.5]
    assert [TemperatureSchedule.cyclical(1, 0.5, 3).temperature(k, 9) for k in range(4)] == [1.0, 0.75, 0.5, 1.0]
    face = SoftThresholds("sq", 2)
    assert face.temperature == float(np.float32(1e-2))
    face.start_epoch(7, 8)
    assert face.temperature == RAW_TEMPERATURE.temperature(7, 8)


def test_training_mode_is_the_swift_formula():
    torch.manual_seed(0)
    x = torch.rand(2, 4, 5, 6) ** 3
    layout = torch_faces.Layout(PLANES, [3839] * 4)
    for mode in ["sq", "bwsq"]:
        face = SoftThresholds(mode, 3)
        face.thresholds.data = torch.rand(3, 7) * 0.5
        face.temperature = 0.05
        face.train()
        out = face(x, layout)
        a = face.thresholds.detach().double().numpy()[PLANES]  # [C, M]
        steps = 1 / (1 + np.exp(-(x.double().numpy()[:, :, None] - a[None, :, :, None, None]) / np.float32(0.05)))
        expected = steps.sum(2) / 7 if mode == "sq" else steps.reshape(2, 28, 5, 6)
        assert out.shape == expected.shape and np.allclose(out.detach().numpy(), expected, atol=2e-6), mode
        (out * torch.linspace(-1, 1, out.numel()).reshape(out.shape)).sum().backward()
        assert torch.isfinite(face.thresholds.grad).all() and (face.thresholds.grad != 0).any()
        # As τ → 0 the soft steps become the eval thermometer (away from the thresholds).
        face.temperature = 1e-9
        with torch.no_grad():
            soft = face(x, layout)
        face.eval()
        assert torch.allclose(soft, face.combine(hard_steps(x, face.thresholds, layout)), atol=1e-6), mode


def test_soft_steps_gradcheck_float64():
    torch.manual_seed(1)
    layout = torch_faces.Layout([0, 1, 2], [1000] * 3)
    x = torch.rand(2, 3, 3, 2, dtype=torch.float64, requires_grad=True)
    thresholds = (torch.rand(3, 3, dtype=torch.float64) * 0.8 + 0.1).requires_grad_()
    for mode in ["sq", "bwsq"]:
        face = SoftThresholds(mode, 2)

        def f(x, a):
            return face.combine(soft_steps(x, a, 0.2, layout))

        assert torch.autograd.gradcheck(f, (x, thresholds), eps=1e-6, atol=1e-6)
    global_row = (torch.rand(1, 3, dtype=torch.float64) * 0.8 + 0.1).requires_grad_()
    assert torch.autograd.gradcheck(lambda x, a: soft_steps(x, a, 0.3, layout), (x, global_row), eps=1e-6, atol=1e-6)


def lsq_reference(x, s, g, levels, grad_scale):
    """Swift `StraightThrough.lsq`, element by element in float32: (v, ∂x, ∂s per channel)."""
    qp = np.float32(levels - 1)
    b, c, h, w = x.shape
    v = np.zeros_like(x)
    gx = np.zeros_like(x)
    gs = np.zeros(c, dtype=np.float64)
    for idx in np.ndindex(x.shape):
        sc = s[idx[1]]
        r = np.float32(x[idx] / sc)
        v[idx] = np.float32(min(max(np.rint(r), np.float32(0)), qp) * sc)
        if r < 0:
            continue
        if r > qp:
            gs[idx[1]] += g[idx] * qp
        else:
            gx[idx] = g[idx]
            gs[idx[1]] += g[idx] * (np.rint(r) - r)
    return v, gx, gs * grad_scale


def test_lsq_forward_and_gradient_are_swifts():
    rng = np.random.default_rng(5)
    for bits in [1, 2, 4, 8]:
        levels = 1 << bits
        face = LSQ(bits)
        face.step.data = torch.tensor([0.7, 1.3, 0.2], dtype=torch.float32) / (levels - 1)
        s = face.step.detach().numpy()[PLANES]
        x = rng.uniform(-0.05, 1.1, (2, 4, 3, 5)).astype(np.float32)
        x[0, :, 0, :4] = (np.arange(4, dtype=np.float32) + np.float32(0.5)) * s[:, None]  # ties: half to even
        x[0, :, 1, 0] = 0
        x[0, :, 1, 1] = s * np.float32(levels - 1)  # the top code exactly
        g = rng.normal(size=x.shape).astype(np.float32)
        layout = torch_faces.Layout(PLANES, [3839] * 4)
        xt = torch.from_numpy(x).requires_grad_()
        face.train()
        out = face(xt, layout)
        out.backward(torch.from_numpy(g))
        v, gx, gs = lsq_reference(x, s, g, levels, face.grad_scale(x.size))
        assert np.array_equal(as_bits(out.detach().numpy()), as_bits(v)), bits
        assert np.array_equal(xt.grad.numpy(), gx), bits
        per_group = np.array([gs[0], gs[1] + gs[2], gs[3]])  # the greens share G's step
        assert np.allclose(face.step.grad.numpy(), per_group, rtol=1e-5, atol=1e-7), bits
        assert face.grad_scale(x.size) == float(np.float32(1) / np.sqrt(np.float32(x.size) * np.float32(levels - 1)))


def test_lsq_function_analytic_gradient_float64():
    # Away from the clamp the forward is piecewise constant in x, its straight-through ∂v/∂x = 1: compare to the
    # analytic formula in float64 (gradcheck's numerical derivative of a step would be 0).
    x = torch.tensor([[[[0.013, 0.51, 0.2]]]], dtype=torch.float64, requires_grad=True)
    s = torch.tensor([0.1], dtype=torch.float64).reshape(1, 1, 1, 1).requires_grad_()
    out = LSQFunction.apply(x, s, 4, 0.5)
    out.sum().backward()
    r = x.detach() / 0.1
    assert torch.equal(x.grad, torch.tensor([[[[1.0, 0.0, 1.0]]]], dtype=torch.float64))
    assert torch.allclose(s.grad.flatten(), 0.5 * ((torch.round(r) - r) * (r <= 3) + 3 * (r > 3)).sum().reshape(1))


def test_after_optimizer_step_and_initialisation():
    face = SoftThresholds("bwsq", 2, keep_sorted=True)
    face.thresholds.data = torch.tensor([[0.5, -0.2, 1.4], [0.3, 0.1, 0.2], [0.9, 0.8, 0.7]])
    face.after_optimizer_step()
    assert face.thresholds.tolist() == [[0.0, 0.5, 1.0], [pytest.approx(0.1), pytest.approx(0.2), pytest.approx(0.3)],
                                        [pytest.approx(0.7), pytest.approx(0.8), pytest.approx(0.9)]]
    samples = [list(np.linspace(0, 1, 101, dtype=np.float32))] * 3
    face.initialize("quantile", samples)
    assert face.thresholds[0].tolist() == [np.float32(v) for v in (samples[0][25], samples[0][50], samples[0][75])]
    face.initialize("minMax", samples)
    assert np.allclose(face.thresholds[0].detach().numpy(), [1 / 6, 3 / 6, 5 / 6], atol=1e-7)
    lsq = LSQ(4, groups=1)
    lsq.initialize([[0.25] * 10])
    assert lsq.step.item() == float(np.float32(np.float32(0.5) / np.sqrt(np.float32(15))))
    assert lsq.relative_rate_parameters() == [lsq.step]
    fresh = SoftThresholds("sq", 3)
    assert fresh.thresholds.shape == (3, 7) and fresh.thresholds[0].tolist() == [np.float32(j) / np.float32(8) for j in range(1, 8)]
    assert LSQ(3).step.tolist() == [float(np.float32(1) / np.float32(7))] * 3
    assert SoftThresholds("bwsq", 4).output_channels(4) == 60 and LSQ(4).output_channels(4) == 4


# MARK: against the Swift train face (`rawquant reference-batch`)


def swift_reference(swift, tmp_path, family, bits, seed=2):
    from safetensors import safe_open
    from safetensors.numpy import load_file

    if "reference-batch" not in swift("--help"):
        pytest.skip("the Swift binary predates `rawquant reference-batch` (rebuild it)")
    path = tmp_path / f"{family}-{bits}.safetensors"
    swift("reference-batch", "--quantizer", family, "--bits", bits, "--seed", seed, "--output", path)
    with safe_open(str(path), framework="numpy") as f:
        metadata = f.metadata()
    assert metadata["format"] == "rawquant-quantizer-reference" and metadata["quantizer"] == family and metadata["bits"] == str(bits)
    return load_file(str(path)), metadata


@pytest.mark.parametrize("bits", [1, 2, 3, 4, 8])
@pytest.mark.parametrize("family", ["sq", "bwsq", "lsq"])
def test_training_mode_matches_the_swift_train_face(swift, tmp_path, family, bits):
    """The Swift train face on a seeded batch at epoch 1 of 4: the same temperature, the same output (LSQ to the bit,
    the sigmoids within float32 rounding) and the same parameter gradients of Σ output · w."""
    tensors, metadata = swift_reference(swift, tmp_path, family, bits)
    face = LSQ(bits) if family == "lsq" else SoftThresholds(family, bits)
    with torch.no_grad():
        for key, value in tensors.items():
            if key.startswith("param."):
                target = getattr(face, key[len("param."):])
                assert tuple(target.shape) == value.shape, key
                target.copy_(torch.from_numpy(value))
    face.train()
    face.start_epoch(int(metadata["epoch"]), int(metadata["epochs"]))
    if family != "lsq":
        assert face.temperature == float(np.float32(metadata["temperature"])), (face.temperature, metadata["temperature"])
    layout = torch_faces.Layout([int(c) for c in metadata["colors"].split(",")], [int(metadata["range"])] * 4)
    x = torch.from_numpy(tensors["x"])
    out = face(x, layout)
    assert tuple(out.shape) == tensors["output"].shape
    if family == "lsq":
        assert np.array_equal(as_bits(out.detach().numpy()), as_bits(tensors["output"]))
    else:
        # Swift's sigmoid formula and summation order: equal but where torch's expf rounds the last bit otherwise.
        assert np.abs(out.detach().numpy() - tensors["output"]).max() <= 2e-6
        assert np.mean(out.detach().numpy() == tensors["output"]) >= 0.99
    (out * torch.from_numpy(tensors["weights"])).sum().backward()
    for key, swift_grad in tensors.items():
        if key.startswith("grad."):
            grad = getattr(face, key[len("grad."):]).grad.numpy()
            scale = max(float(np.abs(swift_grad).max()), 1e-12)
            assert np.abs(grad - swift_grad).max() <= 1e-4 * scale, (key, grad, swift_grad)
    # x holds x̂ of ADC offsets: eval mode is the deploy face there; for LSQ it is the training output itself.
    face.eval()
    evaluated = face(x, layout).numpy()
    if family == "lsq":
        assert np.array_equal(as_bits(evaluated), as_bits(tensors["output"]))
    else:
        hard = face.combine(hard_steps(x, face.thresholds, layout)).numpy()
        assert np.array_equal(evaluated, hard)

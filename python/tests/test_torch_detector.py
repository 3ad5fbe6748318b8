"""The torch twin of the detector: RawQuant checkpoints load as they are, its forward pass gives Swift's maps on the
same input, and a checkpoint it writes is one `rawquant detect` reads with the same result."""
import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="torch is not installed (pip install ./python[torch])")

from safetensors.numpy import load_file  # noqa: E402

from rawquant import torch_detector  # noqa: E402
from conftest import CR2, ROOT  # noqa: E402

MODELS = {"shapes": (ROOT / "Fixtures" / "models" / "detector-4bit-gamma.safetensors", ROOT / "Fixtures" / "scenes" / "scene_000017.dng"),
          "photo": (ROOT / "Fixtures" / "models" / "photo-4bit.safetensors", CR2)}


def swift_maps(swift, model, raw, directory):
    swift("detect", "--model", model, "--maps", directory, raw)
    return load_file(str(next(directory.glob("*.maps.safetensors"))))


@pytest.mark.parametrize("name", sorted(MODELS))
def test_forward_equals_swift(swift, tmp_path, name):
    checkpoint, raw = MODELS[name]
    maps = swift_maps(swift, name, raw, tmp_path / "maps")
    network, info, _ = torch_detector.load_checkpoint(checkpoint)
    with torch.no_grad():
        outputs = network(torch.from_numpy(maps["input"]))
    for key, out in zip(["heatmap_logits", "size", "offset"], outputs):
        expected = maps[key]
        assert out.shape == expected.shape, key
        difference = np.abs(out.numpy() - expected).max()
        assert difference < 2e-3 * max(1.0, np.abs(expected).max()), (name, key, difference)


def test_a_checkpoint_written_by_torch_reads_back_in_swift(swift, tmp_path):
    checkpoint, raw = MODELS["shapes"]
    network, info, extra = torch_detector.load_checkpoint(checkpoint)
    with torch.no_grad():
        network.heatmapHead[2].bias += 0.5  # a changed model, so the round trip is seen
    written = tmp_path / "torch.safetensors"
    torch_detector.save_checkpoint(network, info, extra, written)
    maps = swift_maps(swift, written, raw, tmp_path / "maps")
    with torch.no_grad():
        heatmap = network(torch.from_numpy(maps["input"]))[0].numpy()
    assert np.abs(heatmap - maps["heatmap_logits"]).max() < 2e-3 * max(1.0, np.abs(heatmap).max())

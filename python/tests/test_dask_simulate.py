"""The Dask example: sharded simulate on a LocalCluster gives the single-process outputs byte for byte, and a
rerun after a lost output redoes only that input."""
import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

from conftest import ROOT, rawquant_binary

EXAMPLE = ROOT / "python" / "examples" / "dask_simulate.py"


def load_example():
    spec = importlib.util.spec_from_file_location("dask_simulate", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def copies(source: Path, stem: str, count: int, directory: Path) -> Path:
    """`count` copies of `source` named STEM0… in directory/raw, and a list of them; returns the list's path."""
    (directory / "raw").mkdir(exist_ok=True)
    raws = [directory / "raw" / f"{stem}{i}{source.suffix.lower()}" for i in range(count)]
    for path in raws:
        shutil.copy(source, path)
    listing = directory / "list.txt"
    listing.write_text("".join(f"{p}\n" for p in raws))
    return listing


def test_dask_outputs_equal_a_single_process_run(swift, tmp_path):
    pytest.importorskip("dask.distributed", reason="dask[distributed] is not installed")
    listing = copies(ROOT / "Fixtures" / "scenes" / "scene_000017.dng", "scene", 5, tmp_path)
    swift("simulate", "--files-from", listing, "--output", tmp_path / "single", "--bits", 3)
    example = load_example()
    arguments = ["--list", str(listing), "--output", str(tmp_path / "dask"), "--shards", "4", "--workers", "2",
                 "--rawquant", rawquant_binary(), "--log", str(tmp_path / "log.jsonl"), "--", "--bits", "3"]
    assert example.main(arguments) == 0
    single = sorted(p.name for p in (tmp_path / "single").iterdir())
    assert single == sorted(p.name for p in (tmp_path / "dask").iterdir()) and len(single) == 20
    for name in single:
        assert (tmp_path / "single" / name).read_bytes() == (tmp_path / "dask" / name).read_bytes(), name
    # A lost output: the rerun redoes that input only.
    (tmp_path / "dask" / "scene3.q3.dng").unlink()
    assert example.main(arguments) == 0
    log = (tmp_path / "log.jsonl").read_text()
    assert log.count('"status": "skipped"') == 4 and log.count('"status": "ok"') == 1
    assert (tmp_path / "dask" / "scene3.q3.dng").read_bytes() == (tmp_path / "single" / "scene3.q3.dng").read_bytes()


def test_a_killed_run_leaves_no_partial_output_and_the_rerun_completes(swift, tmp_path):
    import subprocess
    import time

    from conftest import CR2
    listing = copies(CR2, "frame", 6, tmp_path)
    out = tmp_path / "out"
    command = [rawquant_binary(), "simulate", "--files-from", str(listing), "--output", str(out), "--jobs", "1", "--skip-existing", "--jsonl"]
    worker = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(2.0)
    worker.kill()
    worker.communicate()
    manifests = {p.name.split(".")[0] for p in out.glob("*.manifest.json")} if out.exists() else set()
    assert len(manifests) < 6, "the run was killed before the end"
    rerun = subprocess.run(command, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    statuses = [line.split('"status":"')[1].split('"')[0] for line in rerun.stdout.splitlines()]
    assert statuses.count("skipped") == len(manifests) and statuses.count("ok") == 6 - len(manifests)
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(f"frame{i}.q4.{ext}" for i in range(6) for ext in ("dng", "jpg", "manifest.json", "rqm")), names

"""Spread `rawquant simulate` over a Dask cluster: one task per shard of a file list.

Each task runs `rawquant simulate --files-from LIST --shard K/N --skip-existing --jsonl` on a worker, so a task
that dies (or a worker that is killed) leaves no partial output, and rerunning the script finishes what is
missing. The same code runs on a `LocalCluster` (the default) or on any Dask cluster (`--scheduler ADDRESS`)
whose workers see the files and the `rawquant` binary at the same paths.

    python python/examples/dask_simulate.py --list raws.txt --output out --shards 16 --workers 4 -- --bits 4
    python python/examples/dask_simulate.py --scheduler tcp://scheduler:8786 --list raws.txt --output out --shards 256

Prints one summary line and exits 1 when an input failed; the JSON lines of every input go to `--log` if given.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys


def run_shard(binary: str, file_list: str, output: str, shard: int, shards: int, extra: list) -> list:
    """Runs one shard on a worker; returns its JSON lines as dicts (status ok, skipped or error)."""
    command = [binary, "simulate", "--files-from", file_list, "--shard", f"{shard}/{shards}", "--skip-existing", "--jsonl",
               "--jobs", "1", "--output", output, *extra]
    done = subprocess.run(command, capture_output=True, text=True)
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    if done.returncode not in (0, 1) or (done.returncode == 1 and not any(l["status"] == "error" for l in lines)):
        lines.append({"file": f"shard {shard}/{shards}", "status": "error", "outputs": [], "error": done.stderr.strip()[-500:]})
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", required=True, help="file of raw paths, one per line")
    parser.add_argument("--output", required=True, help="output directory (shared by all workers)")
    parser.add_argument("--shards", type=int, default=8, help="number of tasks (shards of the list)")
    parser.add_argument("--workers", type=int, default=2, help="LocalCluster workers (ignored with --scheduler)")
    parser.add_argument("--scheduler", help="address of an existing Dask scheduler (default: start a LocalCluster)")
    parser.add_argument("--rawquant", default=shutil.which("rawquant") or "rawquant", help="the rawquant binary")
    parser.add_argument("--log", help="write every input's JSON line here")
    parser.add_argument("extra", nargs="*", help="more simulate options, after --")
    args = parser.parse_args(argv)
    from dask.distributed import Client, LocalCluster

    cluster = None if args.scheduler else LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True)
    with Client(args.scheduler or cluster) as client:
        futures = client.map(run_shard, [args.rawquant] * args.shards, [args.list] * args.shards, [args.output] * args.shards,
                             range(1, args.shards + 1), [args.shards] * args.shards, [args.extra] * args.shards, pure=False)
        lines = [line for shard in client.gather(futures) for line in shard]
    if cluster is not None:
        cluster.close()
    counts = {s: sum(1 for l in lines if l["status"] == s) for s in ("ok", "skipped", "error")}
    if args.log:
        with open(args.log, "w") as f:
            f.writelines(json.dumps(l, sort_keys=True) + "\n" for l in lines)
    print(f"{len(lines)} inputs: {counts['ok']} done, {counts['skipped']} already complete, {counts['error']} failed")
    for line in lines:
        if line["status"] == "error":
            print(f"error: {line.get('error')}", file=sys.stderr)
    return 1 if counts["error"] else 0


if __name__ == "__main__":
    sys.exit(main())

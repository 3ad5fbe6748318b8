"""Train RawQuant's detector and its learnable γ quantizer with PyTorch DDP; the checkpoint loads in `rawquant`.

    torchrun --nproc_per_node 2 python/examples/train_ddp.py --data data/synthetic-128 --out run/ddp.safetensors
    rawquant eval --model run/ddp.safetensors --data data/synthetic-128 --split test --json

CPU processes talk over gloo, GPUs over NCCL (one process per GPU; `torchrun --nnodes N --nproc_per_node G`, or
`srun` under Slurm with torchrun's rendezvous). Each process reads its shard of the training split
(`DistributedSampler`) through `rawquant.data` — the packed planes the Swift trainer sees — and the recipe is the
Swift one (`rawquant.torch_train`): random crops at even offsets (the CFA phase kept), left–right flips, per-colour γ from 1.0,
CenterNet loss, AdamW with warm-up and cosine decay. Rank 0 writes the checkpoint (network, `quantizer.rho`,
configuration) in RawQuant's format.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import time

import numpy as np
import torch
import torch.distributed as dist
from torch import nn

from rawquant import torch_train
from rawquant.data import RawDetectionDataset
from rawquant.torch_detector import CenterNet, save_checkpoint
from rawquant.torch_faces import Layout, LearnableGamma


class Detector(nn.Module):
    """Quantizer train face, then the CenterNet, on packed planes."""

    def __init__(self, bits: int, configuration: dict):
        super().__init__()
        self.quantizer = LearnableGamma(bits, (1.0,), groups=3)
        self.network = CenterNet(configuration)

    def forward(self, planes, layout):
        return self.network(self.quantizer(planes, layout))


def crop(item, size, rng):
    """A random crop of `size` (mosaic pixels, even) at even offsets; boxes clipped, those under 30 % kept out."""
    planes, ranges, boxes = item
    ph, pw = size[1] // 2, size[0] // 2
    h, w = planes.shape[1], planes.shape[2]
    padded = np.zeros((4, max(h, ph), max(w, pw)), dtype=np.float32)
    padded[:, :h, :w] = planes
    y0, x0 = rng.randint(0, padded.shape[1] - ph), rng.randint(0, padded.shape[2] - pw)
    out = padded[:, y0:y0 + ph, x0:x0 + pw]
    kept = []
    for label, (xmin, ymin, xmax, ymax) in boxes:
        dx, dy = 2 * x0, 2 * y0
        c = [max(xmin - dx, 1), max(ymin - dy, 1), min(xmax - dx, size[0]), min(ymax - dy, size[1])]
        if c[0] <= c[2] and c[1] <= c[3] and (c[2] - c[0] + 1) * (c[3] - c[1] + 1) >= 0.3 * (xmax - xmin + 1) * (ymax - ymin + 1):
            kept.append((label, c))
    return out, ranges, kept


def flip(item, width, rng, probability):
    """A left–right flip with `probability`, as Swift's `flippedHorizontally` seen in the planes: each plane
    mirrored (a mirrored even-width mosaic keeps every plane's colour), boxes x → W + 1 − x (1-based, inclusive)."""
    planes, ranges, boxes = item
    if rng.random() >= probability:
        return item
    mirrored = np.ascontiguousarray(planes[:, :, ::-1])
    return mirrored, ranges, [(label, [width + 1 - b[2], b[1], width + 1 - b[0], b[3]]) for label, b in boxes]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--split", default="train")
    parser.add_argument("--classes", help="comma-separated (default: those in the data)")
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--batch", type=int, default=16, help="per process")
    parser.add_argument("--crop", default="96x96")
    parser.add_argument("--bits", type=int, default=4)
    parser.add_argument("--width", type=int, default=16)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--quantizer-lr", type=float, default=1e-2)
    parser.add_argument("--hflip", type=float, default=0.5, help="probability of a left–right flip (Swift's default 0.5)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    backend = "nccl" if torch.cuda.is_available() else "gloo"
    distributed = "RANK" in os.environ
    if distributed:
        dist.init_process_group(backend)
    rank, world = (dist.get_rank(), dist.get_world_size()) if distributed else (0, 1)
    device = torch.device(f"cuda:{int(os.environ.get('LOCAL_RANK', 0))}" if backend == "nccl" else "cpu")
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed * 1000 + rank)

    dataset = RawDetectionDataset(args.data, args.split, args.classes.split(",") if args.classes else None)
    configuration = {"classes": dataset.classes, "baseChannels": args.width, "inputChannels": 4}
    model = Detector(args.bits, configuration).to(device)
    ddp = nn.parallel.DistributedDataParallel(model) if distributed else model
    network_parameters = list(model.network.parameters())
    optimizer = torch.optim.AdamW([{"params": network_parameters, "lr": args.lr, "weight_decay": 1e-4},
                                   {"params": list(model.quantizer.parameters()), "lr": args.quantizer_lr, "weight_decay": 0.0}])
    base = [group["lr"] for group in optimizer.param_groups]
    size = tuple(int(v) for v in args.crop.lower().split("x"))
    batches = max(len(range(rank, len(dataset), world)) // args.batch, 1)  # this process's shard of each epoch's order
    total = args.epochs * batches
    cache = {}
    step, started = 0, time.time()
    for epoch in range(args.epochs):
        order = list(range(len(dataset)))
        random.Random(args.seed + epoch).shuffle(order)
        mine = order[rank::world]
        model.train()
        losses = []
        for b in range(batches):
            items = []
            for index in mine[b * args.batch:(b + 1) * args.batch]:
                if index not in cache:
                    cache[index] = dataset[index]
                items.append(flip(crop(cache[index], size, rng), size[0], rng, args.hflip))
            planes = torch.from_numpy(np.stack([i[0] for i in items])).to(device)
            layout = Layout([0, 1, 1, 2], items[0][1])
            target = torch_train.targets([i[2] for i in items], len(dataset.classes), size[1], size[0])
            target = tuple(t.to(device) for t in target)
            for group, lr in zip(optimizer.param_groups, base):
                group["lr"] = lr * torch_train.schedule(step, total)
            optimizer.zero_grad()
            value = torch_train.loss(ddp(planes, layout), target)
            value.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 10.0)
            optimizer.step()
            losses.append(value.item())
            step += 1
        if rank == 0:
            gammas = torch.nn.functional.softplus(model.quantizer.rho.detach()).tolist()
            print(f"epoch {epoch + 1}/{args.epochs}: loss {np.mean(losses):.4f}, γ {[round(g, 3) for g in gammas]}, "
                  f"{time.time() - started:.1f} s", flush=True)
    if rank == 0:
        info = {"configuration": configuration, "quantizer": {"name": "gamma-per-channel", "bits": args.bits},
                "adcRanges": [float(r) for r in dataset[0][1]], "epoch": args.epochs,
                "notes": {"trainedWith": f"torch DDP, {world} processes ({backend})", "epochs": str(args.epochs),
                          "batchSize": str(args.batch * world), "seed": str(args.seed)}}
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        save_checkpoint(model.network.cpu(), info, {"quantizer.rho": model.quantizer.rho.detach().cpu().numpy().astype("float32")}, args.out)
        print(json.dumps({"checkpoint": args.out, "seconds": round(time.time() - started, 1)}))
    if distributed:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()

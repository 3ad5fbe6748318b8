#!/usr/bin/env python3
"""PyTorch CPU peer of `rawquant bench detector-step`: the same real-content detector training step.

Network (c = width; conv 3x3 no bias -> BatchNorm2d -> ReLU blocks, as Sources/Detection/CenterNetDetector.swift):
stem c @1/2 -> 2c s2, 2c -> 4c s2, 4c -> context 4c dilation 2 -> deep stages (8c s2, 8c @1/16; 8c s2, 8c @1/32;
merge16 16c->8c; merge8 12c->4c, nearest upsampling) -> fuse concat(1/4, up(1/8)) 6c->4c -> three heads
(conv3x3 4c->c with bias, ReLU, conv1x1). Input: a 4-bit learned-gamma quantizer (x^gamma per plane colour, rounded
to 15 levels with a straight-through gradient) on [B, 4, S/2, S/2] uniform planes. Loss: CenterNet focal loss on the
heatmap (Gaussian targets at two boxes per image) + 0.1 L1 size + 1 L1 offset at the centre cells. AdamW lr 1e-3,
weight decay 1e-4, gradient-norm clip 10. A step = zero grads, forward, loss, backward, clip, update.
Prints `detector-step-ms: X` (median) and `images-per-second: Y`.
Usage: bench_detector_step_torch.py [--threads N] [--batch B] [--size S] [--width C] [--steps K]
"""
import argparse
import math
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def block(i, o, stride=1, dilation=1):
    return [nn.Conv2d(i, o, 3, stride=stride, padding=dilation, dilation=dilation, bias=False), nn.BatchNorm2d(o), nn.ReLU()]


class Detector(nn.Module):
    def __init__(self, c, classes=3):
        super().__init__()
        self.gamma = nn.Parameter(torch.ones(3))
        self.stem = nn.Sequential(*block(4, c))
        self.down1 = nn.Sequential(*block(c, 2 * c, 2), *block(2 * c, 2 * c))
        self.down2 = nn.Sequential(*block(2 * c, 4 * c, 2), *block(4 * c, 4 * c))
        self.context = nn.Sequential(*block(4 * c, 4 * c, dilation=2))
        self.deep16 = nn.Sequential(*block(4 * c, 8 * c, 2), *block(8 * c, 8 * c))
        self.deep32 = nn.Sequential(*block(8 * c, 8 * c, 2), *block(8 * c, 8 * c))
        self.merge16 = nn.Sequential(*block(16 * c, 8 * c))
        self.merge8 = nn.Sequential(*block(12 * c, 4 * c))
        self.fuse = nn.Sequential(*block(6 * c, 4 * c))
        def head(n):
            return nn.Sequential(nn.Conv2d(4 * c, c, 3, padding=1), nn.ReLU(), nn.Conv2d(c, n, 1))
        self.heatmap, self.size, self.offset = head(classes), head(2), head(2)
        self.heatmap[2].bias.data.fill_(-2.19)

    def quantize(self, x):
        g = self.gamma[[0, 1, 1, 2]].view(1, 4, 1, 1)
        y = x.clamp(1e-6, 1) ** g
        return y + ((y * 15).round() / 15 - y).detach()

    def forward(self, x):
        half = self.stem(self.quantize(x))
        quarter = self.down1(half)
        eighth = self.context(self.down2(quarter))
        sixteenth = self.deep16(eighth)
        sixteenth = self.merge16(torch.cat([sixteenth, F.interpolate(self.deep32(sixteenth), scale_factor=2, mode="nearest")], 1))
        eighth = self.merge8(torch.cat([eighth, F.interpolate(sixteenth, scale_factor=2, mode="nearest")], 1))
        fused = self.fuse(torch.cat([quarter, F.interpolate(eighth, scale_factor=2, mode="nearest")], 1))
        return self.heatmap(fused), self.size(fused), self.offset(fused)


def targets(batch, size, classes=3):
    h = w = size // 4
    heat = torch.zeros(batch, classes, h, w)
    boxes = [(0, 20, 30, 100, 220), (2, 120, 140, 240, 200)]  # class, x0, y0, x1, y1 (continuous mosaic pixels)
    idx, sz, off = [], [], []
    for cls, x0, y0, x1, y1 in boxes:
        cx, cy = (x0 + x1) / 8, (y0 + y1) / 8
        ix, iy = int(cx), int(cy)
        sigma = max(1.0, ((x1 - x0) / 4 + (y1 - y0) / 4) / 12)
        ys, xs = torch.meshgrid(torch.arange(h), torch.arange(w), indexing="ij")
        g = torch.exp(-((xs - ix) ** 2 + (ys - iy) ** 2) / (2 * sigma * sigma))
        heat[:, cls] = torch.maximum(heat[:, cls], g)
        idx.append(iy * w + ix)
        sz.append(((x1 - x0) / 4, (y1 - y0) / 4))
        off.append((cx - ix, cy - iy))
    return heat, torch.tensor(idx), torch.tensor(sz).t(), torch.tensor(off).t()


def loss_fn(out, tgt):
    logits, size, offset = out
    heat, idx, sz, off = tgt
    p = torch.sigmoid(logits).clamp(1e-4, 1 - 1e-4)
    pos = heat.eq(1).float()
    neg = 1 - pos
    n = max(pos.sum().item(), 1)
    focal = -(pos * (1 - p) ** 2 * torch.log(p) + neg * (1 - heat) ** 4 * p ** 2 * torch.log(1 - p)).sum() / n
    b = logits.shape[0]
    gs = size.flatten(2)[:, :, idx]
    go = offset.flatten(2)[:, :, idx]
    l1s = (gs - sz.unsqueeze(0).expand(b, -1, -1)).abs().sum() / n
    l1o = (go - off.unsqueeze(0).expand(b, -1, -1)).abs().sum() / n
    return focal + 0.1 * l1s + l1o


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--width", type=int, default=16)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    net = Detector(args.width)
    net.train()
    x = torch.rand(args.batch, 4, args.size // 2, args.size // 2)
    tgt = targets(args.batch, args.size)
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=1e-4)
    times = []
    for step in range(args.warmup + args.steps):
        start = time.perf_counter()
        opt.zero_grad()
        loss = loss_fn(net(x), tgt)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 10)
        opt.step()
        if step >= args.warmup:
            times.append((time.perf_counter() - start) * 1000)
    ms = statistics.median(times)
    print(f"detector-step-ms: {ms:.2f}")
    print(f"images-per-second: {args.batch / ms * 1000:.1f}")
    print(f"threads: {args.threads} batch: {args.batch} size: {args.size}x{args.size} width: {args.width} final-loss: {loss.item():.4f}")


if __name__ == "__main__":
    main()

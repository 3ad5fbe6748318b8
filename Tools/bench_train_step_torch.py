#!/usr/bin/env python3
"""PyTorch CPU peer of the Swift reference-net benchmark (runReferenceNetBenchmark).

Same net: 5 x [conv3x3 no bias -> BatchNorm2d -> ReLU], channels 4->16->32->64->64->64,
strides 2,2,2,2,1, padding 1, then a 1x1 conv 64->6 with bias; input [B,4,128,128];
MSE against a fixed random target; SGD momentum 0.9, lr 0.01.
A step = zero grads, forward, backward, update. Prints median milliseconds:
  train-step-ms: X
  forward-ms: Y      (eval mode, torch.no_grad)
Usage: bench_train_step_torch.py [--threads N] [--batch B] [--steps S] [--warmup W]
"""
import argparse
import statistics
import time

import torch
import torch.nn as nn


def reference_net(in_channels=4):
    widths = [in_channels, 16, 32, 64, 64, 64]
    strides = [2, 2, 2, 2, 1]
    layers = []
    for i in range(5):
        layers += [nn.Conv2d(widths[i], widths[i + 1], 3, stride=strides[i], padding=1, bias=False),
                   nn.BatchNorm2d(widths[i + 1]), nn.ReLU()]
    layers.append(nn.Conv2d(64, 6, 1, bias=True))
    return nn.Sequential(*layers)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    net = reference_net()
    x = torch.randn(args.batch, 4, 128, 128)
    target = torch.randn(args.batch, 6, 8, 8)
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    loss_fn = nn.MSELoss()

    def step():
        opt.zero_grad()
        loss = loss_fn(net(x), target)
        loss.backward()
        opt.step()
        return loss.item()

    net.train()
    for _ in range(args.warmup):
        step()
    times = []
    for _ in range(args.steps):
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1e3)
    net.eval()
    ftimes = []
    with torch.no_grad():
        for _ in range(args.warmup):
            net(x)
        for _ in range(args.steps):
            t0 = time.perf_counter()
            net(x)
            ftimes.append((time.perf_counter() - t0) * 1e3)
    print(f"train-step-ms: {statistics.median(times):.2f}")
    print(f"forward-ms: {statistics.median(ftimes):.2f}")
    print(f"threads: {args.threads} batch: {args.batch} steps: {args.steps} torch: {torch.__version__}")


if __name__ == "__main__":
    main()

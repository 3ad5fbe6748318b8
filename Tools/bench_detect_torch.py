#!/usr/bin/env python3
"""The PyTorch twin of a RawQuant detector timed on CPU: eval mode, inference_mode, NCHW and channels_last.

Usage: bench_detect_torch.py CHECKPOINT C H W THREADS RUNS
Prints one line: "torch-ms nchw X channels-last Y" (medians, milliseconds) for an input [1, C, H, W].
"""
import sys
import time

import numpy as np
import torch

from rawquant.torch_detector import load_checkpoint


def median_ms(network, x, runs):
    with torch.inference_mode():
        for _ in range(3):
            network(x)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            network(x)
            times.append((time.perf_counter() - start) * 1000)
    return float(np.median(times))


def main():
    path, c, h, w, threads, runs = sys.argv[1], *map(int, sys.argv[2:7])
    torch.set_num_threads(threads)
    torch.manual_seed(42)
    network, _, _ = load_checkpoint(path)
    x = torch.rand(1, c, h, w)
    nchw = median_ms(network, x, runs)
    network = network.to(memory_format=torch.channels_last)
    last = median_ms(network, x.to(memory_format=torch.channels_last), runs)
    print(f"torch-ms nchw {nchw:.2f} channels-last {last:.2f}")


if __name__ == "__main__":
    main()

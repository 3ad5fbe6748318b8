#!/usr/bin/env python3
"""Writes PyTorch CPU reference vectors for the Swift tensor core into Fixtures/tensor/.

Each file is safetensors (F32) with inputs, outputs and gradients; references are
computed in float64 from the float32 inputs, then stored as float32, so the Swift
tests' tolerances only absorb Swift's own float32 rounding. Tests never need torch.

Files:
  conv2d.safetensors       several conv2d configs (stride, padding, dilation, groups, bias):
                           <cfg>.x, .w, [.b], .y, .gy (upstream gradient), .dx, .dw, [.db]
  batchnorm.safetensors    train and eval: x, weight, bias, running stats before/after, y, gy, dx, dweight, dbias
  pooling.safetensors      max/avg (count_include_pad on/off)/global-avg pooling and nearest upsampling: x, y, gy, dx
  focal.safetensors        CenterNet focal loss: logits, target, loss, dlogits
  train_step.safetensors   one small CNN's full training step (MSE, SGD momentum 0.9, two steps):
                           params before, input, target, loss per step, grads of step 1, params after each step,
                           running stats after step 2
  optimizers.safetensors   SGD (momentum, Nesterov, weight decay), Adam, AdamW over three given gradients
Config values (strides etc.) are in each file's __metadata__ as JSON.

Usage: python3 Tools/make_tensor_fixtures.py   (needs torch==2.13.0+cpu and safetensors)
"""
import json
import os

import torch
import torch.nn.functional as F
from safetensors.torch import save_file

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "tensor")


def f32(t):
    return t.detach().to(torch.float32).contiguous()


def leaf(t):
    return t.detach().to(torch.float64).requires_grad_(True)


def save(name, tensors, meta):
    meta = {k: (v if isinstance(v, str) else json.dumps(v)) for k, v in meta.items()}
    meta["generator"] = "Tools/make_tensor_fixtures.py"
    meta["torch"] = torch.__version__
    save_file({k: f32(v) for k, v in tensors.items()}, os.path.join(OUT, name), metadata=meta)


def conv2d_fixtures():
    configs = {
        "basic": dict(n=2, c=3, h=9, w=8, o=4, k=(3, 3), stride=(1, 1), padding=(1, 1), dilation=(1, 1), groups=1, bias=True),
        "strided": dict(n=2, c=4, h=11, w=10, o=5, k=(3, 3), stride=(2, 2), padding=(1, 1), dilation=(1, 1), groups=1, bias=False),
        "rect_dilated": dict(n=1, c=2, h=10, w=9, o=3, k=(3, 2), stride=(1, 2), padding=(2, 0), dilation=(2, 1), groups=1, bias=True),
        "grouped": dict(n=2, c=6, h=7, w=7, o=4, k=(3, 3), stride=(2, 1), padding=(1, 2), dilation=(1, 1), groups=2, bias=True),
        "depthwise": dict(n=1, c=4, h=6, w=5, o=4, k=(3, 3), stride=(1, 1), padding=(1, 1), dilation=(1, 1), groups=4, bias=False),
        "pointwise": dict(n=3, c=5, h=4, w=6, o=2, k=(1, 1), stride=(1, 1), padding=(0, 0), dilation=(1, 1), groups=1, bias=True),
    }
    tensors, meta = {}, {}
    for index, (name, cfg) in enumerate(configs.items()):
        g = torch.Generator().manual_seed(100 + index)
        x = torch.randn(cfg["n"], cfg["c"], cfg["h"], cfg["w"], generator=g)
        w = torch.randn(cfg["o"], cfg["c"] // cfg["groups"], *cfg["k"], generator=g) * 0.5
        b = torch.randn(cfg["o"], generator=g) if cfg["bias"] else None
        xl, wl = leaf(x), leaf(w)
        bl = leaf(b) if b is not None else None
        y = F.conv2d(xl, wl, bl, stride=cfg["stride"], padding=cfg["padding"], dilation=cfg["dilation"], groups=cfg["groups"])
        gy = torch.randn(y.shape, generator=g)
        y.backward(gy.to(torch.float64))
        tensors.update({f"{name}.x": x, f"{name}.w": w, f"{name}.y": y, f"{name}.gy": gy, f"{name}.dx": xl.grad, f"{name}.dw": wl.grad})
        if b is not None:
            tensors.update({f"{name}.b": b, f"{name}.db": bl.grad})
        meta[name] = {k: cfg[k] for k in ("stride", "padding", "dilation", "groups", "bias")}
    save("conv2d.safetensors", tensors, meta)


def batchnorm_fixtures():
    g = torch.Generator().manual_seed(1)
    tensors = {}
    for mode in ("train", "eval"):
        x = torch.randn(4, 3, 5, 6, generator=g) * 2 + 0.5
        weight = torch.rand(3, generator=g) + 0.5
        bias = torch.randn(3, generator=g)
        rm = torch.randn(3, generator=g) * 0.1
        rv = torch.rand(3, generator=g) + 0.5
        rm_after, rv_after = rm.clone().to(torch.float64), rv.clone().to(torch.float64)
        xl, wl, bl = leaf(x), leaf(weight), leaf(bias)
        y = F.batch_norm(xl, rm_after, rv_after, wl, bl, training=(mode == "train"), momentum=0.1, eps=1e-5)
        gy = torch.randn(y.shape, generator=g)
        y.backward(gy.to(torch.float64))
        tensors.update({f"{mode}.x": x, f"{mode}.weight": weight, f"{mode}.bias": bias,
                        f"{mode}.running_mean": rm, f"{mode}.running_var": rv,
                        f"{mode}.running_mean_after": rm_after, f"{mode}.running_var_after": rv_after,
                        f"{mode}.y": y, f"{mode}.gy": gy, f"{mode}.dx": xl.grad, f"{mode}.dweight": wl.grad, f"{mode}.dbias": bl.grad})
    save("batchnorm.safetensors", tensors, {"momentum": 0.1, "eps": 1e-5})


def pooling_fixtures():
    g = torch.Generator().manual_seed(2)
    ops = {
        "max3s2p1": lambda x: F.max_pool2d(x, 3, stride=2, padding=1),
        "max2": lambda x: F.max_pool2d(x, 2),
        "avg3s2p1": lambda x: F.avg_pool2d(x, 3, stride=2, padding=1, count_include_pad=True),
        "avg3s1p1_exclude": lambda x: F.avg_pool2d(x, 3, stride=1, padding=1, count_include_pad=False),
        "global_avg": lambda x: F.adaptive_avg_pool2d(x, 1),
        "upsample2": lambda x: F.interpolate(x, scale_factor=2, mode="nearest"),
    }
    tensors = {}
    for name, op in ops.items():
        x = torch.randn(2, 3, 9, 7, generator=g)
        xl = leaf(x)
        y = op(xl)
        gy = torch.randn(y.shape, generator=g)
        y.backward(gy.to(torch.float64))
        tensors.update({f"{name}.x": x, f"{name}.y": y, f"{name}.gy": gy, f"{name}.dx": xl.grad})
    save("pooling.safetensors", tensors, {"ops": list(ops)})


def focal_loss(logits, target, alpha=2.0, beta=4.0):
    """CenterNet focal loss on logits, ln p and ln(1-p) via logsigmoid."""
    pos = target.eq(1).to(logits.dtype)
    neg = 1 - pos
    p = torch.sigmoid(logits)
    pos_loss = torch.pow(1 - p, alpha) * F.logsigmoid(logits) * pos
    neg_loss = torch.pow(1 - target, beta) * torch.pow(p, alpha) * F.logsigmoid(-logits) * neg
    num_pos = pos.sum()
    return -(pos_loss.sum() + neg_loss.sum()) / torch.clamp(num_pos, min=1)


def focal_fixtures():
    g = torch.Generator().manual_seed(3)
    logits = torch.randn(2, 3, 8, 8, generator=g) * 2
    # Gaussian-splatted heatmap with exact peaks of 1.
    target = torch.zeros(2, 3, 8, 8)
    ys, xs = torch.meshgrid(torch.arange(8.0), torch.arange(8.0), indexing="ij")
    for n, c, cy, cx in [(0, 0, 2, 3), (0, 2, 5, 5), (1, 1, 1, 6), (1, 1, 6, 2)]:
        blob = torch.exp(-((ys - cy) ** 2 + (xs - cx) ** 2) / (2 * 1.5 ** 2))
        target[n, c] = torch.maximum(target[n, c], blob)
    lg = leaf(logits)
    loss = focal_loss(lg, target.to(torch.float64))
    loss.backward()
    save("focal.safetensors", {"logits": logits, "target": target, "loss": loss.reshape(()), "dlogits": lg.grad},
         {"alpha": 2.0, "beta": 4.0})


def small_net():
    return torch.nn.Sequential(
        torch.nn.Conv2d(3, 8, 3, stride=2, padding=1, bias=False), torch.nn.BatchNorm2d(8), torch.nn.ReLU(),
        torch.nn.Conv2d(8, 8, 3, stride=1, padding=1, bias=False), torch.nn.BatchNorm2d(8), torch.nn.ReLU(),
        torch.nn.Conv2d(8, 2, 1, bias=True))


def train_step_fixtures():
    torch.manual_seed(4)
    net = small_net().to(torch.float64)
    x = torch.randn(4, 3, 12, 10)
    target = torch.randn(4, 2, 6, 5)
    tensors = {"input": x, "target": target}
    for k, v in net.state_dict().items():
        if "num_batches" not in k:
            tensors[f"before.{k}"] = v.clone()
    opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
    for step in (1, 2):
        opt.zero_grad()
        loss = F.mse_loss(net(x.to(torch.float64)), target.to(torch.float64))
        loss.backward()
        tensors[f"step{step}.loss"] = loss.reshape(())
        if step == 1:
            for k, p in net.named_parameters():
                tensors[f"grad1.{k}"] = p.grad.clone()
        opt.step()
        for k, v in net.state_dict().items():
            if "num_batches" not in k:
                tensors[f"after{step}.{k}"] = v.clone()
    save("train_step.safetensors", tensors, {"lr": 0.05, "momentum": 0.9, "loss": "mse", "steps": 2})


def optimizer_fixtures():
    g = torch.Generator().manual_seed(5)
    p0 = torch.randn(6, generator=g)
    grads = [torch.randn(6, generator=g) for _ in range(3)]
    tensors = {"p0": p0}
    for i, gr in enumerate(grads):
        tensors[f"grad{i}"] = gr
    rules = {
        "sgd_momentum": lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.01),
        "sgd_nesterov": lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01),
        "adam": lambda ps: torch.optim.Adam(ps, lr=0.01, weight_decay=0.1),
        "adamw": lambda ps: torch.optim.AdamW(ps, lr=0.01, weight_decay=0.1),
    }
    for name, make in rules.items():
        p = torch.nn.Parameter(p0.clone().to(torch.float64))
        opt = make([p])
        for i, gr in enumerate(grads):
            p.grad = gr.clone().to(torch.float64)
            opt.step()
            tensors[f"{name}.after{i}"] = p.detach().clone()
    save("optimizers.safetensors", tensors, {
        "sgd_momentum": {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.01},
        "sgd_nesterov": {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01},
        "adam": {"lr": 0.01, "weight_decay": 0.1}, "adamw": {"lr": 0.01, "weight_decay": 0.1}})


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.use_deterministic_algorithms(True)
    conv2d_fixtures()
    batchnorm_fixtures()
    pooling_fixtures()
    focal_fixtures()
    train_step_fixtures()
    optimizer_fixtures()
    for f in sorted(os.listdir(OUT)):
        print(f, os.path.getsize(os.path.join(OUT, f)), "bytes")


if __name__ == "__main__":
    main()

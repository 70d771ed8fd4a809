#!/usr/bin/env python3
"""Golden test: nncc against PyTorch on the same weights and batches.

1. one batch through nncc's train/eval/predict entry points (step_harness)
   and through PyTorch: logits, loss and every gradient agree within RTOL,
   relative to the largest magnitude of the PyTorch tensor;
2. 10 SGD-with-momentum steps by `nncc train --no-shuffle` and by
   torch.optim.SGD on the same Fashion-MNIST batches: weights agree.
"""
import argparse
import gzip
import os
import struct
import subprocess
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
import safetensors_io  # noqa: E402
from workloads import WORKLOADS  # noqa: E402

RTOL = 1e-4
MEAN, STD = 0.2860, 0.3530
failures = []


def compare(what, ours, ref, rtol=RTOL):
    ours = ours.to(torch.float64)
    ref = ref.to(torch.float64)
    if ours.shape != ref.shape:
        failures.append(f"{what}: shape {list(ours.shape)} vs {list(ref.shape)}")
        return
    scale = max(ref.abs().max().item(), 1e-12)
    err = (ours - ref).abs().max().item() / scale
    status = "ok" if err <= rtol else "FAIL"
    print(f"{status:4} {what:40} max rel err {err:.2e}")
    if err > rtol:
        failures.append(f"{what}: relative error {err:.2e} > {rtol:.0e}")


def read_idx(path):
    with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as f:
        data = f.read()
    magic, count = struct.unpack(">II", data[:8])
    if magic == 0x803:
        rows, cols = struct.unpack(">II", data[8:16])
        return torch.frombuffer(bytearray(data[16:]), dtype=torch.uint8).reshape(count, 1, rows, cols)
    return torch.frombuffer(bytearray(data[8:]), dtype=torch.uint8).to(torch.int64)


def one_batch(args, model, batch_size, tag):
    g = torch.Generator().manual_seed(batch_size)
    x = torch.randn(batch_size, *model_input_shape, generator=g)
    y = torch.randint(0, 10, (batch_size,), generator=g)
    batch_path = os.path.join(args.workdir, f"batch{tag}.safetensors")
    out_path = os.path.join(args.workdir, f"out{tag}.safetensors")
    safetensors_io.write(batch_path, {"input": x, "target": y})
    subprocess.run([args.harness, init_path, batch_path, out_path], check=True)
    out = safetensors_io.read(out_path)

    model.train()
    model.zero_grad()
    logits = model(x)
    loss = model.criterion(logits, y)
    loss.backward()
    compare(f"batch {batch_size} train logits", out["train.logits"], logits)
    compare(f"batch {batch_size} train loss", out["train.loss"], loss)
    for name, p in model.named_parameters():
        compare(f"batch {batch_size} grad {name}", out["grad." + name], p.grad)
    model.eval()
    with torch.no_grad():
        logits = model(x)
        loss = model.criterion(logits, y)
    compare(f"batch {batch_size} eval logits", out["eval.logits"], logits)
    compare(f"batch {batch_size} eval loss", out["eval.loss"], loss)
    compare(f"batch {batch_size} predict logits", out["predict.logits"], logits)


def sgd_steps(args, model, steps=10, batch=64):
    after_path = os.path.join(args.workdir, "after.safetensors")
    subprocess.run([args.nncc, "train", args.model, "--data",
                    f"fashion-mnist={args.data}", "--steps", str(steps),
                    "--batch", str(batch), "--lr", "0.05", "--momentum", "0.9",
                    "--no-shuffle", "--load", init_path, "--save", after_path],
                   check=True, stdout=subprocess.DEVNULL)
    images = read_idx(os.path.join(args.data, "train-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(args.data, "train-labels-idx1-ubyte.gz"))
    # The seed means torch.manual_seed: PyTorch's own initialisation of the
    # same model must be bit-identical.
    ours = safetensors_io.read(init_path)
    for name, t in model.state_dict().items():
        if not torch.equal(ours[name], t):
            failures.append(f"init {name}: differs from torch.manual_seed(0)")
    print("init bit-identical to torch.manual_seed(0):",
          all(torch.equal(ours[n], t) for n, t in model.state_dict().items()))
    model.load_state_dict(ours)
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    for step in range(steps):
        x = (images[step * batch:(step + 1) * batch].float() / 255 - MEAN) / STD
        y = labels[step * batch:(step + 1) * batch]
        opt.zero_grad()
        model.criterion(model(x), y).backward()
        opt.step()
    ours = safetensors_io.read(after_path)
    for name, p in model.state_dict().items():
        compare(f"after {steps} SGD steps {name}", ours[name], p)


def main():
    global init_path, model_input_shape
    parser = argparse.ArgumentParser()
    parser.add_argument("--workload", default="mlp")
    parser.add_argument("--nncc", required=True)
    parser.add_argument("--harness", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--workdir", required=True)
    args = parser.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    torch.manual_seed(0)
    cls, _, model_input_shape = WORKLOADS[args.workload]
    model = cls()

    # nncc's own initialisation, loaded into PyTorch by state_dict name.
    init_path = os.path.join(args.workdir, "init.safetensors")
    subprocess.run([args.nncc, "train", args.model, "--steps", "0", "--save",
                    init_path, "--seed", "0"], check=True,
                   stdout=subprocess.DEVNULL)
    model.load_state_dict(safetensors_io.read(init_path))

    for batch_size in (64, 7, 1):
        one_batch(args, model, batch_size, str(batch_size))
    sgd_steps(args, model)

    if failures:
        print("\n".join(["FAILED:"] + failures))
        return 1
    print("golden: all tensors agree with PyTorch")
    return 0


if __name__ == "__main__":
    sys.exit(main())

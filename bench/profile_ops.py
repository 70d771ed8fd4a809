#!/usr/bin/env python3
"""Where a training step's time goes, by op class, in nncc and in PyTorch.

nncc: the model is compiled with `-g`, whose line table is model.nn's (every
op of a layer, forward and backward, carries the layer's line), the training
step runs under `perf record`, and `perf report --sort srcline` gives the
share of each line; a line is classed by the layer it defines (Conv2d,
BatchNorm, pooling, Linear, activations/additions, the loss).
PyTorch: torch.profiler over the same step, aten ops classed the same way.

    /usr/bin/python3 bench/profile_ops.py --workloads cnn,resnet8
"""
import argparse
import collections
import os
import re
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests", "golden"))

CLASSES = ["conv", "batch norm", "pooling", "GEMM (Linear)", "elementwise",
           "loss", "other"]

LINE_PATTERNS = [
    ("conv", r"\bConv2d\(|conv2d\("),
    ("batch norm", r"BatchNorm[12]d\("),
    ("pooling", r"Pool2d\(|pool2d\("),
    ("GEMM (Linear)", r"\bLinear\("),
    ("loss", r"CrossEntropyLoss|criterion\("),
    ("elementwise", r"ReLU|relu|Sigmoid|Tanh|GELU|SiLU|Dropout|\+|Flatten|flatten"),
]

ATEN_PATTERNS = [
    ("conv", r"conv|convolution"),
    ("batch norm", r"batch_norm"),
    ("pooling", r"pool"),
    ("GEMM (Linear)", r"addmm|\bmm\b|matmul|linear|mkldnn_linear"),
    ("loss", r"nll_loss|log_softmax|cross_entropy"),
    ("elementwise", r"relu|threshold|add|mul|sigmoid|tanh|gelu|silu|dropout|view|flatten|reshape"),
]


def classify(text, patterns):
    for name, pattern in patterns:
        if re.search(pattern, text):
            return name
    return "other"


def nncc_profile(args, workload, nn_file):
    work = tempfile.mkdtemp(prefix=f"nncc-profile-{workload}-")
    obj = os.path.join(work, "model.o")
    subprocess.run([args.nncc, os.path.join(REPO, nn_file), "-g",
                    "--prefix=model", "-o", obj], check=True)
    exe = os.path.join(work, "bench")
    subprocess.run(["c++", "-std=c++17", "-O2", "-I", work, "-I",
                    os.path.join(REPO, "runtime", "include"),
                    os.path.join(REPO, "bench", "train_step_bench.cpp"), obj,
                    os.path.join(args.build, "lib", "libnncc_runtime.a"),
                    "-lz", "-lpthread", "-o", exe], check=True)
    data = os.path.join(work, "perf.data")
    subprocess.run(["perf", "record", "-q", "-o", data, exe, "--batch",
                    str(args.batch), "--rounds", "1", "--steps",
                    str(args.steps)], check=True, stdout=subprocess.DEVNULL)
    report = subprocess.run(["perf", "report", "-i", data, "--stdio",
                             "--sort", "srcline"], check=True,
                            capture_output=True, text=True).stdout
    source = open(os.path.join(REPO, nn_file)).read().splitlines()
    base = os.path.basename(nn_file)
    shares = collections.Counter()
    for line in report.splitlines():
        m = re.match(r"\s*([\d.]+)%\s+(\S+)", line)
        if not m:
            continue
        share, where = float(m.group(1)), m.group(2)
        if where.startswith(base + ":"):
            number = int(where.split(":")[1])
            text = source[number - 1] if 0 < number <= len(source) else ""
            shares[classify(text, LINE_PATTERNS)] += share
        else:
            shares["other"] += share  # runtime (SGD), libc, kernel
    return shares


def torch_profile(args, workload):
    import torch
    from workloads import WORKLOADS
    cls, _, shape = WORKLOADS[workload]
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = cls()
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    x = torch.randn(args.batch, *shape)
    y = torch.randint(0, 10, (args.batch,))
    loss_fn = torch.nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()

    for _ in range(3):
        step()
    with torch.profiler.profile() as prof:
        for _ in range(args.steps):
            step()
    shares = collections.Counter()
    total = 0.0
    for event in prof.key_averages():
        # Self time: what the op itself spent, not its children.
        t = event.self_cpu_time_total
        total += t
        shares[classify(event.key, ATEN_PATTERNS)] += t
    return {k: 100.0 * v / total for k, v in shares.items()}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--nncc", default=os.path.join(REPO, "build", "bin", "nncc"))
    p.add_argument("--build", default=os.path.join(REPO, "build"))
    p.add_argument("--workloads", default="cnn,resnet8")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args()
    for workload in args.workloads.split(","):
        nn_file = f"examples/{workload}.nn"
        ours = nncc_profile(args, workload, nn_file)
        theirs = torch_profile(args, workload)
        print(f"\n{workload}, batch {args.batch}: share of a training step")
        print(f"  {'op class':16} {'nncc':>8} {'PyTorch':>8}")
        for c in CLASSES:
            print(f"  {c:16} {ours.get(c, 0.0):7.1f}% {theirs.get(c, 0.0):7.1f}%")


if __name__ == "__main__":
    main()

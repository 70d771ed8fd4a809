#!/usr/bin/python3
"""Training throughput of nncc vs PyTorch on the reference workloads.

Run from the repository root with Debian's Python (the one with torch 1.13):

    /usr/bin/python3 bench/bench.py --nncc build/bin/nncc --build build

For each workload this compiles the model with nncc, builds
bench/train_step_bench.cpp against it, starts it in --serve mode, builds the
same model in PyTorch (tests/golden/workloads.py, same state_dict names) and
then interleaves rounds: nncc, PyTorch as written, PyTorch with its Linear
layers through oneDNN, in an order that rotates each round, so that drift of
the machine (other jobs, clock) hits every contender alike. Each round starts
from the same initial weights and a new SGD (lr 0.05, momentum 0.9) and runs
a fixed number of training steps on one fixed synthetic batch (inputs uniform
in [0,1] normalised with mean 0.2860 std 0.3530, random labels).

Reported: median images/s over the rounds for each contender, min/max, the
ratio of medians nncc/PyTorch and the median of the per-round ratios (each
taken between rounds run seconds apart, so less sensitive to drift).

nncc's generated code is single-threaded for now; PyTorch runs with
--threads threads (default 2, the machine's vCPUs).
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests", "golden"))

MEAN, STD = 0.2860, 0.3530
LR, MOMENTUM = 0.05, 0.9
FASHION_MNIST = "/usr/share/datasets/fashion-mnist"

# One entry per workload: the PyTorch module's name in tests/golden/workloads.py
# (which also knows the .nn file and input shape). Adding `cnn` and `resnet8`
# means adding them to workloads.WORKLOADS and listing them here.
BENCH_WORKLOADS = ["mlp", "cnn", "resnet8"]


# --------------------------------------------------------------------------
# PyTorch contenders
# --------------------------------------------------------------------------

def torch_linear_via_onednn():
    """nn.Linear whose forward and backward run through oneDNN.

    Debian's torch 1.13 sends F.linear (addmm) to the netlib reference BLAS,
    which is slow. aten::mkldnn_linear runs the matmul through oneDNN and has
    an autograd formula (mkldnn_linear_backward: input and weight gradients
    via oneDNN too), so it trains. It wants an MKLDNN-layout input; weight,
    bias and their gradients stay ordinary dense tensors, so torch.optim.SGD
    is unchanged. (torch.utils.mkldnn.to_mkldnn(model) is inference-only: it
    turns the weights into MKLDNN tensors without gradients;
    torch.backends.mkldnn only affects convolutions.)
    """
    import torch
    from torch import nn

    class OneDnnLinear(nn.Linear):
        def forward(self, x):
            y = torch._C._nn.mkldnn_linear(x.to_mkldnn(), self.weight,
                                           self.bias)
            return y.to_dense()

    return OneDnnLinear


def convert_linears(module, cls):
    """Replaces every nn.Linear under `module` by `cls`, keeping weights."""
    from torch import nn
    for name, child in module.named_children():
        if type(child) is nn.Linear:
            new = cls(child.in_features, child.out_features,
                      bias=child.bias is not None)
            new.load_state_dict(child.state_dict())
            setattr(module, name, new)
        else:
            convert_linears(child, cls)
    return module


def has_linear(module):
    from torch import nn
    return any(type(m) is nn.Linear for m in module.modules())


class TorchContender:
    """One PyTorch training setup; run_round() times `steps` steps."""

    def __init__(self, name, label, model, batch, input_shape, seed, threads):
        import torch
        self.torch = torch
        self.name, self.label = name, label
        self.threads = threads
        self.model = model
        self.model.train()
        self.initial = {k: v.clone() for k, v in model.state_dict().items()}
        gen = torch.Generator().manual_seed(seed + 1)
        self.x = (torch.rand((batch,) + tuple(input_shape), generator=gen)
                  - MEAN) / STD
        self.y = torch.randint(0, 10, (batch,), generator=gen)
        self.criterion = torch.nn.CrossEntropyLoss()
        self.batch = batch
        self.steps = None
        self.reset()

    def reset(self):
        self.model.load_state_dict(self.initial)
        self.opt = self.torch.optim.SGD(self.model.parameters(), lr=LR,
                                        momentum=MOMENTUM)

    def step(self):
        self.opt.zero_grad()
        loss = self.criterion(self.model(self.x), self.y)
        loss.backward()
        self.opt.step()
        return loss

    def warm_up(self, seconds, steps, round_seconds):
        self.torch.set_num_threads(self.threads)
        self.reset()
        times, start = [], time.perf_counter()
        while time.perf_counter() - start < seconds or len(times) < 5:
            t = time.perf_counter()
            self.step()
            times.append(time.perf_counter() - t)
        # The median, not the mean: a few stalled steps (a busy machine
        # descheduling one OpenMP thread) must not shrink every round.
        per_step = statistics.median(times[1:])
        self.steps = steps or max(10, round(round_seconds / per_step))
        return len(times)

    def run_round(self, index):
        self.torch.set_num_threads(self.threads)
        self.reset()
        start = time.perf_counter()
        for _ in range(self.steps):
            loss = self.step()
        seconds = time.perf_counter() - start
        return {"round": index, "steps": self.steps, "seconds": seconds,
                "images_per_s": self.steps * self.batch / seconds,
                "loss": float(loss)}


def check_same_step(reference, other):
    """The oneDNN variant must compute what the model as written computes."""
    torch = reference.torch
    reference.reset()
    other.reset()
    other.model.load_state_dict(reference.model.state_dict())
    results = []
    for c in (reference, other):
        c.opt.zero_grad()
        loss = c.criterion(c.model(reference.x), reference.y)
        loss.backward()
        results.append((float(loss),
                        [p.grad.clone() for p in c.model.parameters()]))
    (l0, g0), (l1, g1) = results
    worst = max(float((a - b).abs().max()) for a, b in zip(g0, g1))
    if abs(l0 - l1) > 1e-4 or worst > 1e-4:
        raise SystemExit(f"{other.name} disagrees with {reference.name}: "
                         f"loss {l0} vs {l1}, max grad diff {worst}")
    reference.reset()
    other.reset()
    return worst


# --------------------------------------------------------------------------
# nncc contender
# --------------------------------------------------------------------------

def build_nncc_bench(args, workload, nn_file):
    workdir = os.path.join(args.build, "nncc-bench", workload)
    os.makedirs(workdir, exist_ok=True)
    obj = os.path.join(workdir, "model.o")
    exe = os.path.join(workdir, "train_step_bench")
    start = time.perf_counter()
    subprocess.run([args.nncc, os.path.join(REPO, nn_file), "--prefix=model",
                    "-o", obj], check=True)
    compile_seconds = time.perf_counter() - start
    runtime_lib = os.path.join(args.build, "lib", "libnncc_runtime.a")
    cxx = os.environ.get("CXX", "c++")
    subprocess.run([cxx, "-std=c++17", "-O2", "-I", workdir, "-I",
                    os.path.join(REPO, "runtime", "include"),
                    os.path.join(REPO, "bench", "train_step_bench.cpp"), obj,
                    runtime_lib, "-lz", "-lpthread", "-o", exe], check=True)
    return exe, compile_seconds


class NnccContender:
    def __init__(self, exe, args):
        cmd = [exe, "--serve", "--batch", str(args.batch),
               "--round-seconds", str(args.round_seconds),
               "--warmup-seconds", str(args.warmup_seconds),
               "--seed", str(args.seed)]
        if args.steps_per_round:
            cmd += ["--steps", str(args.steps_per_round)]
        if args.data and os.path.isdir(args.data):
            cmd += ["--data", args.data]
        self.name, self.label = "nncc", "nncc (1 thread)"
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        self.info = self._read()
        self.steps = self.info["steps_per_round"]

    def _read(self):
        line = self.proc.stdout.readline()
        if not line:
            raise SystemExit("nncc bench exited early (rc %s)"
                             % self.proc.wait())
        return json.loads(line)

    def command(self, cmd):
        self.proc.stdin.write(cmd + "\n")
        self.proc.stdin.flush()
        return self._read()

    def run_round(self, index):
        result = self.command("round")
        result["round"] = index
        return result

    def close(self):
        self.proc.stdin.write("quit\n")
        self.proc.stdin.close()
        self.proc.wait()


# --------------------------------------------------------------------------

def summarize(rounds):
    rates = [r["images_per_s"] for r in rounds]
    return {"median_images_per_s": statistics.median(rates),
            "min_images_per_s": min(rates), "max_images_per_s": max(rates),
            "rounds": rounds}


def bench_workload(args, name):
    import torch
    import workloads

    module_cls, nn_file, input_shape = workloads.WORKLOADS[name]
    print(f"== {name} (batch {args.batch}, {args.rounds} rounds)",
          flush=True)
    exe, compile_seconds = build_nncc_bench(args, name, nn_file)
    print(f"   nncc compile: {compile_seconds:.2f} s", flush=True)

    nncc = NnccContender(exe, args)
    contenders = [nncc]
    notes = []
    for threads in args.threads:
        torch.set_num_threads(threads)
        torch.manual_seed(args.seed)
        written = TorchContender(
            f"torch_{threads}t", f"PyTorch as written, {threads} thr",
            module_cls(), args.batch, input_shape, args.seed, threads)
        contenders.append(written)
        if has_linear(written.model):
            torch.manual_seed(args.seed)
            onednn = TorchContender(
                f"torch_onednn_linear_{threads}t",
                f"PyTorch Linear via oneDNN, {threads} thr",
                convert_linears(module_cls(), torch_linear_via_onednn()),
                args.batch, input_shape, args.seed, threads)
            diff = check_same_step(written, onednn)
            if threads == args.threads[0]:
                notes.append(
                    "torch_onednn_linear: nn.Linear replaced by "
                    "aten::mkldnn_linear (forward and backward through "
                    "oneDNN); one step matches the model as written (max "
                    f"grad diff {diff:.2e})")
            contenders.append(onednn)
    for c in contenders[1:]:
        c.warm_up(args.warmup_seconds, args.steps_per_round,
                  args.round_seconds)

    results = {c.name: [] for c in contenders}
    for r in range(args.rounds):
        order = contenders[r % len(contenders):] + \
            contenders[:r % len(contenders)]
        for c in order:
            results[c.name].append(c.run_round(r))
        line = "  ".join(f"{c.name} {results[c.name][-1]['images_per_s']:.0f}"
                         for c in contenders)
        print(f"   round {r} img/s: {line}", flush=True)

    split = nncc.command("split")
    loader = nncc.command("loader") if "--data" in nncc.proc.args else None
    nncc.close()

    out = {"workload": name, "batch": args.batch, "rounds": args.rounds,
           "nncc_compile_seconds": compile_seconds,
           "nncc_info": nncc.info, "contenders": {}, "ratios": {},
           "notes": notes}
    for c in contenders:
        out["contenders"][c.name] = dict(label=c.label, steps_per_round=c.steps,
                                         **summarize(results[c.name]))
    nncc_med = out["contenders"]["nncc"]["median_images_per_s"]
    for c in contenders[1:]:
        med = out["contenders"][c.name]["median_images_per_s"]
        paired = [a["images_per_s"] / b["images_per_s"]
                  for a, b in zip(results["nncc"], results[c.name])]
        out["ratios"][f"nncc/{c.name}"] = {
            "ratio_of_medians": nncc_med / med,
            "median_of_round_ratios": statistics.median(paired),
            "min_round_ratio": min(paired), "max_round_ratio": max(paired)}
    step_seconds = args.batch / nncc_med
    out["nncc_step_split"] = {
        "train_step_seconds": split["train_step_seconds"],
        "sgd_seconds": split["sgd_seconds"],
        "note": "generated train step alone vs nncc::Sgd::step alone, "
                "measured once after the rounds"}
    if loader and "seconds_per_batch" in loader:
        loader["step_seconds_median"] = step_seconds
        loader["loader_fraction_of_step"] = \
            loader["seconds_per_batch"] / step_seconds
        out["nncc_data_loader"] = loader
    return out


def print_report(out):
    name = out["workload"]
    print(f"\n{name}, batch {out['batch']}, median of {out['rounds']} rounds "
          "(training images/s: train step + SGD step)")
    print(f"  {'contender':<40} {'median':>9} {'min':>9} {'max':>9}  steps/round")
    for c in out["contenders"].values():
        print(f"  {c['label']:<40} {c['median_images_per_s']:9.0f} "
              f"{c['min_images_per_s']:9.0f} {c['max_images_per_s']:9.0f}  "
              f"{c['steps_per_round']}")
    for key, r in out["ratios"].items():
        print(f"  {key:<40} {r['ratio_of_medians']:9.2f}x  (per-round "
              f"median {r['median_of_round_ratios']:.2f}x, range "
              f"{r['min_round_ratio']:.2f}-{r['max_round_ratio']:.2f})")
    s = out["nncc_step_split"]
    print(f"  nncc step: generated train step {s['train_step_seconds']*1e3:.3f}"
          f" ms + SGD {s['sgd_seconds']*1e3:.3f} ms")
    if "nncc_data_loader" in out:
        d = out["nncc_data_loader"]
        print(f"  nncc DataLoader (Fashion-MNIST train, shuffled, batch "
              f"{out['batch']}): {d['seconds_per_batch']*1e6:.1f} us/batch "
              f"= {100*d['loader_fraction_of_step']:.2f}% of a "
              f"{d['step_seconds_median']*1e3:.2f} ms step "
              f"(dataset load {d['dataset_load_seconds']:.2f} s once)")
    for n in out["notes"]:
        print(f"  note: {n}")
    print("  note: nncc's generated code is single-threaded for now; "
          "PyTorch uses the thread count in its label")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--nncc", default=os.path.join(REPO, "build", "bin", "nncc"))
    p.add_argument("--build", default=os.path.join(REPO, "build"),
                   help="build directory (lib/libnncc_runtime.a; the bench "
                        "writes into BUILD/nncc-bench/)")
    p.add_argument("--workloads", default=",".join(BENCH_WORKLOADS),
                   help="comma-separated, from: " + ", ".join(BENCH_WORKLOADS))
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--rounds", type=int, default=7)
    p.add_argument("--steps-per-round", type=int, default=0,
                   help="0 (default): each contender calibrates its own count "
                        "to --round-seconds during warm-up")
    p.add_argument("--round-seconds", type=float, default=1.0)
    p.add_argument("--warmup-seconds", type=float, default=0.5)
    p.add_argument("--threads", default="2",
                   help="PyTorch intra-op threads, or a comma-separated list "
                        "(e.g. 1,2: one set of PyTorch contenders per count); "
                        "nncc: always 1 for now")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--data", default=FASHION_MNIST,
                   help="Fashion-MNIST directory for the data-loader timing "
                        "(skipped if missing)")
    p.add_argument("--json", metavar="OUT", help="write all results here")
    args = p.parse_args()
    args.nncc = os.path.abspath(args.nncc)
    args.build = os.path.abspath(args.build)
    try:
        args.threads = [int(t) for t in args.threads.split(",") if t]
    except ValueError:
        p.error("--threads takes integers")
    if not args.threads or min(args.threads) < 1:
        p.error("--threads takes positive integers")

    import torch
    names = [w for w in args.workloads.split(",") if w]
    for w in names:
        if w not in BENCH_WORKLOADS:
            p.error(f"unknown workload {w!r}; known: {BENCH_WORKLOADS}")
    if not os.access(args.nncc, os.X_OK):
        p.error(f"no nncc at {args.nncc} (build it, or pass --nncc)")

    meta = {"torch": torch.__version__, "torch_threads": args.threads,
            "nncc_threads": 1, "cpu": platform.processor() or
            platform.machine(), "nproc": os.cpu_count(),
            "loadavg_before": os.getloadavg()}
    start = time.perf_counter()
    reports = []
    for w in names:
        out = bench_workload(args, w)
        print_report(out)
        reports.append(out)
    meta["loadavg_after"] = os.getloadavg()
    meta["wall_seconds"] = time.perf_counter() - start
    print(f"\n(load average before/after: {meta['loadavg_before'][0]:.2f} / "
          f"{meta['loadavg_after'][0]:.2f} on {meta['nproc']} CPUs; "
          f"{meta['wall_seconds']:.0f} s)")
    if max(meta["loadavg_before"][0], meta["loadavg_after"][0]) > \
            meta["nproc"] - 0.5:
        print("warning: the machine was busy with other work; multi-threaded "
              "PyTorch suffers most (an OpenMP thread that loses its CPU "
              "stalls every parallel region), so its numbers are noisy")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"meta": meta, "workloads": reports}, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Training throughput of nncc against PyTorch 1.13 and 2.x, eager and compiled.

Run from the repository root with Debian's Python (the one with torch 1.13):

    /usr/bin/python3 bench/bench.py                       # everything
    /usr/bin/python3 bench/bench.py --workloads cnn --batch 64 --threads 2
    /usr/bin/python3 bench/bench.py --epoch               # epoch_bench.py

For each workload and batch size this

1. measures the machine's FP32 FMA peak (bench/fma_peak.cpp, built for the
   host) on 1 core and on every thread count asked for, and reads the
   training step's FLOPs from `nncc summary`;
2. compiles the model with nncc and builds bench/train_step_bench.cpp
   against it (a --serve process);
3. writes one initial state and batch (PyTorch 1.13, torch.manual_seed) that
   every contender loads;
4. starts every PyTorch contender as a worker process (bench/torch_worker.py)
   with the Python of its PyTorch: Debian's 1.13 as written and with Linear
   through oneDNN; PyTorch 2.x (torch2_env.py, made on first use) eager, with
   channels_last, with torch.compile on model + loss and on the whole step;
5. checks each contender's first step against PyTorch 1.13 as written (loss,
   and every gradient within 1e-4 of the largest gradient); one that fails
   is reported and left out of every ratio; with torch.compile the first step
   is the compilation, reported next to nncc's compile time;
6. interleaves the rounds of all contenders, rotating the order each round,
   so drift of the machine hits every contender alike. Each round starts
   from the initial state and runs a calibrated number of steps (zero_grad,
   forward, loss, backward, SGD lr 0.05 momentum 0.9).

Then, alone on the machine, a build of the same model with `nncc --profile`
runs the round's step count at each thread count under nncc::Profiler: the
per-layer table (each nn op of the training step, forward and backward, with
ms per step, share, GFLOP/s and percent of the FMA peak; `--no-layers` skips
it).

Reported: median images/s over the rounds, min/max, GFLOP/s and percent of
the FMA peak of the cores used, and nncc's ratio to the best PyTorch at each
thread count (ratio of medians and median of per-round ratios).
"""
import argparse
import json
import os
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import torch2_env  # noqa: E402

FASHION_MNIST = "/usr/share/datasets/fashion-mnist"
# The first-step check. The loss is continuous: within 1e-4 (relative, at
# least absolute). A ReLU network's gradient is not: at batch 64 and more,
# values within f32 rounding of a ReLU or max-pool kink route gradient one way
# or the other in two correct implementations (tests/golden/golden_workload.py
# measured up to 4e-2 of the largest gradient between nncc and PyTorch on
# resnet8, and PyTorch 2.x's own channels_last differs from 1.13 by 3e-3).
# So gradients within 1e-4 of the largest gradient are "exact", and within the
# golden tests' KINK_TOL (0.1) "ok, kinks"; a wrong or missing term is off by
# the size of the gradient itself and still fails.
LOSS_TOLERANCE = 1e-4
EXACT_TOLERANCE = 1e-4
KINK_TOLERANCE = 0.1

# name: (model file, has convolutions: channels_last applies)
WORKLOADS = {
    "mlp": ("examples/mlp.nn", False),
    "cnn": ("examples/cnn.nn", True),
    "resnet8": ("examples/resnet8.nn", True),
}


# --------------------------------------------------------------------------
# The machine
# --------------------------------------------------------------------------

def cpu_info():
    model, flags = "unknown", set()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key.strip() == "model name" and model == "unknown":
                    model = value.strip()
                elif key.strip() == "flags" and not flags:
                    flags = set(value.split())
    except OSError:
        pass
    isa = ("AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags
           else "SSE")
    if "amx_tile" in flags:
        isa += " + AMX"
    return {"model": model, "isa": isa, "nproc": os.cpu_count()}


def measure_peak(args, threads):
    """GFLOP/s per thread count of the FMA probe, built for this host."""
    exe = os.path.join(args.workdir, "fma_peak")
    cxx = os.environ.get("CXX", "c++")
    subprocess.run([cxx, "-std=c++17", "-O2", "-march=native",
                    os.path.join(HERE, "fma_peak.cpp"), "-lpthread", "-o",
                    exe], check=True)
    counts = sorted(set([1] + threads))
    best = None
    for attempt in range(3):
        out = subprocess.run([exe, "--threads", ",".join(map(str, counts))],
                             check=True, capture_output=True, text=True).stdout
        probe = json.loads(out)
        probe["by_threads"] = {t["threads"]: t["gflops"]
                               for t in probe["threads"]}
        if best is None:
            best = probe
        else:  # a peak is the best the machine does: keep each count's max
            for t, g in probe["by_threads"].items():
                best["by_threads"][t] = max(best["by_threads"][t], g)
            best["gflops_per_core"] = best["by_threads"][1]
        # n threads on n cores should reach about n times one core; less
        # means another process held a core while the probe ran.
        low = [t for t, g in best["by_threads"].items()
               if t <= (os.cpu_count() or 1) and
               g < 0.8 * t * best["by_threads"][1]]
        if not low:
            break
        time.sleep(5)
    best["disturbed"] = bool(low)
    if low:
        print(f"warning: the FMA peak on {low} threads is below 0.8x that many "
              "cores; another process held a core during the probe (or the "
              "CPUs share FMA units); percentages of peak on those counts "
              "are overstated", flush=True)
    best["threads"] = [{"threads": t, "gflops": g}
                       for t, g in sorted(best["by_threads"].items())]
    return best


def nncc_step_flops(args, nn_file, batch):
    out = subprocess.run([args.nncc, "summary", nn_file, "--batch",
                          str(batch)], check=True, capture_output=True,
                         text=True).stdout
    for line in out.splitlines():
        if line.startswith("training-step FLOPs per batch:"):
            return int(line.split(":")[1].split()[0])
    raise SystemExit("nncc summary printed no training-step FLOPs")


# --------------------------------------------------------------------------
# Contenders: worker processes that answer one JSON line per command
# --------------------------------------------------------------------------

class ContenderFailed(Exception):
    pass


def read_safetensors(path):
    """name -> float64 numpy array (the parent has no torch of its own)."""
    with open(path, "rb") as f:
        blob = f.read()
    (length,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + length])
    data = blob[8 + length:]
    dtypes = {"F32": np.float32, "I64": np.int64}
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        out[name] = np.frombuffer(data[begin:end], dtype=dtypes[info["dtype"]]
                                  ).reshape(info["shape"]).astype(np.float64)
    return out


class Contender:
    """A process serving rounds over a pipe (torch_worker.py or nncc's
    train_step_bench --serve)."""

    def __init__(self, name, label, cmd, threads, log, env=None):
        self.name, self.label, self.threads = name, label, threads
        self.info, self.check, self.steps = {}, None, None
        self.compile_seconds = self.first_step_seconds = None
        # PyTorch's and Inductor's warnings go to a log, shown on failure.
        self.log = log
        with open(log, "w") as err:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=err,
                                         text=True, env=env)
        self.info = self.read()

    def failed(self, what):
        with open(self.log) as f:
            tail = [l.rstrip() for l in f.readlines()[-5:]]
        return ContenderFailed("\n      ".join([what] + tail))

    def read(self):
        line = self.proc.stdout.readline()
        if not line:
            raise self.failed(f"exited (rc {self.proc.wait()})")
        reply = json.loads(line)
        if "error" in reply:
            raise self.failed(reply["error"])
        return reply

    def command(self, cmd):
        try:
            self.proc.stdin.write(cmd + "\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            raise self.failed(f"exited (rc {self.proc.wait()})")
        return self.read()

    def close(self):
        try:
            self.proc.stdin.write("quit\n")
            self.proc.stdin.close()
        except (BrokenPipeError, ValueError):
            pass
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def torch_specs(args, has_conv, torch2):
    """(name, label, python, variant, threads) of every PyTorch contender."""
    specs = []
    for t in args.threads:
        specs.append((f"torch1_eager_{t}t", f"PyTorch 1.13 as written, {t} thr",
                      sys.executable, "eager", t))
        specs.append((f"torch1_onednn_linear_{t}t",
                      f"PyTorch 1.13 Linear via oneDNN, {t} thr",
                      sys.executable, "onednn_linear", t))
        if torch2:
            v = torch2_env.TORCH_VERSION
            specs.append((f"torch2_eager_{t}t", f"PyTorch {v} eager, {t} thr",
                          torch2, "eager", t))
            if has_conv:
                specs.append((f"torch2_channels_last_{t}t",
                              f"PyTorch {v} channels_last, {t} thr", torch2,
                              "channels_last", t))
            specs.append((f"torch2_compile_{t}t",
                          f"PyTorch {v} compile(model+loss), {t} thr", torch2,
                          "compile", t))
            specs.append((f"torch2_compile_step_{t}t",
                          f"PyTorch {v} compile(whole step), {t} thr",
                          torch2, "compile_step", t))
    return specs


def start_torch(args, spec, name, batch, init, tmp):
    cname, label, python, variant, threads = spec
    env = dict(os.environ)
    # OpenMP pools sized from the start; a cold Inductor cache per contender,
    # so its compile time is what a user's first run pays.
    env["OMP_NUM_THREADS"] = str(threads)
    env["TORCHINDUCTOR_CACHE_DIR"] = os.path.join(tmp, "inductor-" + cname)
    cmd = [python, os.path.join(HERE, "torch_worker.py"), "--workload", name,
           "--batch", str(batch), "--threads", str(threads), "--variant",
           variant, "--init", init]
    return Contender(cname, label, cmd, threads,
                     os.path.join(tmp, f"{name}-{batch}-{cname}.log"), env)


def compare_step(reference, result):
    """Loss and gradients of one step against the reference's."""
    scale = max(float(np.abs(g).max()) for k, g in reference.items()
                if k != "loss")
    loss_diff = abs(float(result["loss"][0] - reference["loss"][0]))
    worst, where = 0.0, None
    for k, g in reference.items():
        if k == "loss":
            continue
        if k not in result or result[k].shape != g.shape:
            return {"passed": False, "reason": f"no gradient {k} {g.shape}"}
        d = float(np.abs(result[k] - g).max())
        if d >= worst:
            worst, where = d, k
    loss_ok = loss_diff <= LOSS_TOLERANCE * max(1.0, abs(
        float(reference["loss"][0])))
    exact = loss_ok and worst <= EXACT_TOLERANCE * scale
    passed = loss_ok and worst <= KINK_TOLERANCE * scale
    out = {"passed": passed, "exact": exact,
           "loss": float(result["loss"][0]),
           "loss_diff": loss_diff, "max_grad_diff": worst,
           "max_grad_diff_param": where, "largest_grad": scale,
           "relative_grad_diff": worst / scale if scale else 0.0}
    if not passed:
        out["reason"] = (f"loss off by {loss_diff:.3g}, gradient {where} off "
                         f"by {worst:.3g} ({worst / scale:.2g} of the "
                         "largest gradient)")
    return out


# --------------------------------------------------------------------------
# nncc
# --------------------------------------------------------------------------

def build_nncc_bench(args, workload, nn_file, profile=False):
    workdir = os.path.join(args.workdir,
                           workload + ("-profile" if profile else ""))
    os.makedirs(workdir, exist_ok=True)
    obj = os.path.join(workdir, "model.o")
    exe = os.path.join(workdir, "train_step_bench")
    start = time.perf_counter()
    subprocess.run([args.nncc, nn_file, "--prefix=model", "-o", obj] +
                   (["--profile"] if profile else []), check=True)
    compile_seconds = time.perf_counter() - start
    runtime_lib = os.path.join(args.build, "lib", "libnncc_runtime.a")
    cxx = os.environ.get("CXX", "c++")
    subprocess.run([cxx, "-std=c++17", "-O2", "-I", workdir, "-I",
                    os.path.join(REPO, "runtime", "include"),
                    os.path.join(HERE, "train_step_bench.cpp"), obj,
                    runtime_lib, "-lz", "-lpthread", "-o", exe], check=True)
    return exe, compile_seconds


def start_nncc(args, exe, batch, init, tmp, threads):
    cmd = [exe, "--serve", "--batch", str(batch), "--round-seconds",
           str(args.round_seconds), "--warmup-seconds",
           str(args.warmup_seconds), "--seed", str(args.seed), "--init", init,
           "--threads", str(threads)]
    if args.steps_per_round:
        cmd += ["--steps", str(args.steps_per_round)]
    if args.data and os.path.isdir(args.data):
        cmd += ["--data", args.data]
    c = Contender(f"nncc_{threads}t",
                  f"nncc ({threads} thread{'s' if threads > 1 else ''})", cmd,
                  threads, os.path.join(tmp, f"nncc-{batch}-{threads}.log"))
    c.steps = c.info["steps_per_round"]
    return c


# --------------------------------------------------------------------------

def summarize(rounds):
    rates = [r["images_per_s"] for r in rounds]
    return {"median_images_per_s": statistics.median(rates),
            "min_images_per_s": min(rates), "max_images_per_s": max(rates),
            "rounds": rounds}


def profile_layers(args, profiled, batch, init, tmp, peak, out):
    """The per-layer table: the profiled build (nncc --profile) alone on the
    machine, one run of the median round's step count per thread count."""
    exe, _ = profiled
    out["layers"] = {}
    for t in args.threads:
        c = None
        try:
            c = start_nncc(args, exe, batch, init, tmp, t)
            steps = max(5, c.steps)
            reply = c.command(f"profile {steps}")
        except ContenderFailed as e:
            out["notes"].append(f"per-layer profile at {t} threads: {e}")
            continue
        finally:
            if c is not None:
                c.close()
        if "error" in reply:
            out["notes"].append(f"per-layer profile at {t} threads: "
                                f"{reply['error']}")
            continue
        rows = [r for r in reply["profile"] if r["entry"] == "train_step"]
        total = sum(r["seconds"] for r in rows)
        layers = []
        for r in rows:
            entry = {"layer": r["layer"], "op": r["op"], "fused": r["fused"]}
            if not r["fused"] and r["calls"]:
                flops = r["flops_per_sample"] * r["samples"]
                entry["ms_per_step"] = 1e3 * r["seconds"] / r["calls"]
                entry["share"] = r["seconds"] / total if total else 0
                if flops and r["seconds"]:
                    gflops = flops / r["seconds"] / 1e9
                    entry["gflops"] = gflops
                    entry["percent_of_peak"] = \
                        100 * gflops / peak["by_threads"][t]
            layers.append(entry)
        out["layers"][f"{t}t"] = {
            "steps": steps, "train_step_ms": 1e3 * total / steps,
            "rows": layers}


def bench_workload(args, name, batch, nncc_build, torch2, peak, tmp,
                   profiled=None):
    nn_file, has_conv = WORKLOADS[name]
    nn_file = os.path.join(REPO, nn_file)
    exe, compile_seconds = nncc_build
    print(f"== {name}, batch {batch}", flush=True)
    flops = nncc_step_flops(args, nn_file, batch)
    init = os.path.join(tmp, f"{name}-{batch}-init.safetensors")
    subprocess.run([sys.executable, os.path.join(HERE, "torch_worker.py"),
                    "--write-init", init, "--workload", name, "--batch",
                    str(batch), "--seed", str(args.seed)], check=True)

    out = {"workload": name, "batch": batch, "rounds": args.rounds,
           "flops_per_step": flops, "nncc_compile_seconds": compile_seconds,
           "contenders": {}, "failed": {}, "ratios": {}, "notes": []}
    live, reference = [], None

    def check(c, kind):
        nonlocal reference
        path = os.path.join(tmp, f"{name}-{batch}-{c.name}-step.safetensors")
        reply = c.command(f"check {path}")
        result = read_safetensors(path)
        if reference is None:
            reference = result
            c.check = {"passed": True, "exact": True, "reference": True,
                       "loss": float(result["loss"][0])}
        else:
            c.check = compare_step(reference, result)
        c.first_step_seconds = reply.get("first_step_seconds")
        mark = ("FAILED: " + c.check["reason"] if not c.check["passed"] else
                "ok" if c.check["exact"] else
                f"ok within the kink bound ({c.check['relative_grad_diff']:.1e} "
                "of the largest gradient)")
        extra = (f"; first step {c.first_step_seconds:.1f} s"
                 if kind == "compile" else "")
        print(f"   {c.name}: first-step check {mark}{extra}", flush=True)
        return c.check["passed"]

    # Contenders start and compile one at a time, each alone on the machine.
    for spec in torch_specs(args, has_conv, torch2):
        c = None
        try:
            c = start_torch(args, spec, name, batch, init, tmp)
            ok = check(c, "compile" if "compile" in spec[3] else "eager")
        except ContenderFailed as e:
            ok = False
            out["failed"][spec[0]] = {"label": spec[1], "reason": str(e)}
            print(f"   {spec[0]}: failed: {e}", flush=True)
        if ok:
            live.append(c)
        else:
            if c is not None:
                out["failed"].setdefault(spec[0], {"label": spec[1],
                                                   "check": c.check})
                c.close()
    if reference is None:
        raise SystemExit("PyTorch 1.13 as written did not run; it is the "
                         "reference every contender is checked against")
    nnccs = []
    for t in args.threads:
        n = start_nncc(args, exe, batch, init, tmp, t)
        if check(n, "nncc"):
            nnccs.append(n)
        else:
            out["failed"][n.name] = {"label": n.label, "check": n.check}
            n.close()
    live = nnccs + live

    for c in live:
        if c in nnccs:
            continue
        w = c.command(f"warmup {args.warmup_seconds} {args.round_seconds} "
                      f"{args.steps_per_round}")
        c.steps = w["steps"]
        if "compile" in c.info.get("variant", ""):
            c.compile_seconds = max(0.0, c.first_step_seconds -
                                    w["median_step_seconds"])

    results = {c.name: [] for c in live}
    for r in range(args.rounds):
        order = live[r % len(live):] + live[:r % len(live)]
        for c in order:
            reply = c.command("round")
            reply["round"] = r
            results[c.name].append(reply)
        line = "  ".join(f"{c.name} {results[c.name][-1]['images_per_s']:.0f}"
                         for c in live)
        print(f"   round {r}: {line}", flush=True)

    for n in nnccs:
        # The iterations each worker ran: the threads did work.
        n.workers = n.command("workers")["iterations_per_worker"]
    if nnccs:
        nncc = nnccs[0]
        split = nncc.command("split")
        out["nncc_step_split"] = {
            "train_step_seconds": split["train_step_seconds"],
            "sgd_seconds": split["sgd_seconds"],
            "note": "generated train step alone vs nncc::Sgd::step alone, "
                    "measured once after the rounds"}
        if "--data" in nncc.proc.args:
            loader = nncc.command("loader")
            if "seconds_per_batch" in loader:
                loader["step_seconds_median"] = batch / statistics.median(
                    r["images_per_s"] for r in results[nncc.name])
                loader["loader_fraction_of_step"] = \
                    loader["seconds_per_batch"] / loader["step_seconds_median"]
                out["nncc_data_loader"] = loader
    for c in live:
        c.close()
    if profiled:
        profile_layers(args, profiled, batch, init, tmp, peak, out)

    for c in live:
        s = summarize(results[c.name])
        gflops = flops * s["median_images_per_s"] / batch / 1e9
        entry = {"label": c.label, "threads": c.threads,
                 "torch_version": c.info.get("torch"),
                 "steps_per_round": c.steps, "first_step_check": c.check,
                 "compile_seconds": (compile_seconds if c in nnccs
                                     else c.compile_seconds),
                 "gflops": gflops,
                 "percent_of_peak": 100 * gflops / peak["by_threads"][c.threads],
                 **s}
        if c in nnccs:
            entry["iterations_per_worker"] = c.workers
        out["contenders"][c.name] = entry
    torch_live = [c for c in live if c not in nnccs]
    for n in nnccs:
        nncc_med = out["contenders"][n.name]["median_images_per_s"]
        for c in torch_live:
            med = out["contenders"][c.name]["median_images_per_s"]
            paired = [a["images_per_s"] / b["images_per_s"]
                      for a, b in zip(results[n.name], results[c.name])]
            out["ratios"][f"{n.name}/{c.name}"] = {
                "ratio_of_medians": nncc_med / med,
                "median_of_round_ratios": statistics.median(paired),
                "min_round_ratio": min(paired), "max_round_ratio": max(paired)}
    # Like for like: nncc on t threads against the best PyTorch on t.
    out["best_torch"] = {}
    for n in nnccs:
        same = [c for c in torch_live if c.threads == n.threads]
        if not same:
            continue
        best = max(same, key=lambda c: out["contenders"][c.name][
            "median_images_per_s"])
        out["best_torch"][f"{n.threads}t"] = {
            "contender": best.name, "nncc": n.name,
            "ratio": out["ratios"][f"{n.name}/{best.name}"]}
    return out


def print_report(out, peak):
    name, batch = out["workload"], out["batch"]
    gf = out["flops_per_step"] / 1e9
    peaks = ", ".join(f"{g:.0f} on {t}" for t, g in
                      sorted(peak["by_threads"].items()))
    print(f"\n{name}, batch {batch}: {gf:.3f} GFLOP per training step; median "
          f"of {out['rounds']} rounds; FMA peak GFLOP/s {peaks} thread(s)")
    print(f"  {'contender':<42} {'img/s':>8} {'min':>8} {'max':>8} "
          f"{'GFLOP/s':>8} {'%peak':>6} {'compile':>8}  check")
    for c in out["contenders"].values():
        comp = (f"{c['compile_seconds']:.1f}s"
                if c["compile_seconds"] is not None else "-")
        chk = c["first_step_check"]
        chk = ("reference" if chk.get("reference") else
               f"{'ok' if chk['exact'] else 'kinks'} "
               f"({chk['relative_grad_diff']:.1e})")
        print(f"  {c['label']:<42} {c['median_images_per_s']:8.0f} "
              f"{c['min_images_per_s']:8.0f} {c['max_images_per_s']:8.0f} "
              f"{c['gflops']:8.1f} {c['percent_of_peak']:5.1f}% {comp:>8}  "
              f"{chk}")
    for cname, f in out["failed"].items():
        why = f.get("reason") or f["check"].get("reason")
        print(f"  {f['label']:<42} left out: {why}")
    for t, b in out.get("best_torch", {}).items():
        r = b["ratio"]
        print(f"  {b['nncc']} / best PyTorch at {t[:-1]} thread(s) "
              f"({b['contender']}): {r['ratio_of_medians']:.2f}x (per-round "
              f"median {r['median_of_round_ratios']:.2f}x, range "
              f"{r['min_round_ratio']:.2f}-{r['max_round_ratio']:.2f})")
    for name, c in out["contenders"].items():
        if "iterations_per_worker" in c and c["threads"] > 1:
            print(f"  {name}: parallel-loop iterations per worker "
                  f"{c['iterations_per_worker']}")
    s = out.get("nncc_step_split")
    if s:
        print(f"  nncc step: generated train step "
              f"{s['train_step_seconds']*1e3:.3f} ms + SGD "
              f"{s['sgd_seconds']*1e3:.3f} ms")
    for t, prof in out.get("layers", {}).items():
        print(f"  nncc per layer, {t[:-1]} thread(s) (nncc --profile, "
              f"{prof['steps']} steps, train step "
              f"{prof['train_step_ms']:.2f} ms):")
        print(f"    {'layer':<22} {'op':<22} {'ms/step':>8} {'share':>6} "
              f"{'GFLOP/s':>8} {'%peak':>6}")
        for r in prof["rows"]:
            if r["fused"]:
                print(f"    {r['layer']:<22} {r['op']:<22} {'fused':>8}")
                continue
            rate = (f"{r['gflops']:8.1f} {r['percent_of_peak']:5.1f}%"
                    if "gflops" in r else "")
            print(f"    {r['layer']:<22} {r['op']:<22} "
                  f"{r['ms_per_step']:8.3f} {100*r['share']:5.1f}% "
                  f"{rate}".rstrip())
    d = out.get("nncc_data_loader")
    if d:
        print(f"  nncc DataLoader (Fashion-MNIST train, shuffled, batch "
              f"{batch}): {d['seconds_per_batch']*1e6:.1f} us/batch = "
              f"{100*d['loader_fraction_of_step']:.2f}% of a step")


def main():
    if "--epoch" in sys.argv[1:]:
        os.execv(sys.executable, [sys.executable,
                                  os.path.join(HERE, "epoch_bench.py")] +
                 [a for a in sys.argv[1:] if a != "--epoch"])
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--nncc", default=os.path.join(REPO, "build", "bin", "nncc"))
    p.add_argument("--build", default=os.path.join(REPO, "build"),
                   help="build directory (lib/libnncc_runtime.a)")
    p.add_argument("--workdir", help="where the bench builds its programs "
                   "(default BUILD/nncc-bench)")
    p.add_argument("--workloads", default=",".join(WORKLOADS),
                   help="comma-separated, from: " + ", ".join(WORKLOADS))
    p.add_argument("--batch", default="64,256",
                   help="batch sizes, comma-separated (default 64,256)")
    p.add_argument("--threads", default="1,2",
                   help="thread counts, comma-separated: one nncc and one set "
                        "of PyTorch contenders per count")
    p.add_argument("--rounds", type=int, default=7)
    p.add_argument("--steps-per-round", type=int, default=0,
                   help="0 (default): each contender calibrates its own count "
                        "to --round-seconds during warm-up")
    p.add_argument("--round-seconds", type=float, default=1.0)
    p.add_argument("--warmup-seconds", type=float, default=0.5)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--data", default=FASHION_MNIST,
                   help="Fashion-MNIST directory for the data-loader timing "
                        "(skipped if missing)")
    p.add_argument("--no-torch2", action="store_true",
                   help="leave PyTorch 2.x out (no PyPI needed)")
    p.add_argument("--torch2-python", metavar="PYTHON",
                   help="the Python of an existing PyTorch 2.x environment "
                        "(default: torch2_env.py's, made on first use)")
    p.add_argument("--epoch", action="store_true",
                   help="run the Fashion-MNIST epoch comparison instead "
                        "(bench/epoch_bench.py, which takes the other "
                        "arguments)")
    p.add_argument("--no-layers", action="store_true",
                   help="skip the per-layer table (it compiles each workload "
                        "a second time, with --profile)")
    p.add_argument("--json", metavar="OUT", help="write all results here")
    args = p.parse_args()

    def int_list(text, what):
        try:
            values = [int(v) for v in text.split(",") if v]
        except ValueError:
            values = []
        if not values or min(values) < 1:
            p.error(f"--{what} takes positive integers, comma-separated")
        return values

    args.threads = int_list(args.threads, "threads")
    batches = int_list(args.batch, "batch")
    names = [w for w in args.workloads.split(",") if w]
    for w in names:
        if w not in WORKLOADS:
            p.error(f"unknown workload {w!r}; known: {', '.join(WORKLOADS)}")
    args.nncc = os.path.abspath(args.nncc)
    args.build = os.path.abspath(args.build)
    if not os.access(args.nncc, os.X_OK):
        p.error(f"no nncc at {args.nncc} (build it, or pass --nncc)")
    try:
        import torch
    except ImportError:
        p.error("run bench.py with Debian's /usr/bin/python3 (PyTorch 1.13 "
                "is the reference every contender is checked against)")
    args.workdir = os.path.abspath(args.workdir or
                                   os.path.join(args.build, "nncc-bench"))
    os.makedirs(args.workdir, exist_ok=True)

    torch2, reason = None, "--no-torch2"
    if args.torch2_python:
        torch2, reason = args.torch2_python, None
    elif not args.no_torch2:
        torch2, reason = torch2_env.ensure()
    if torch2 is None:
        print(f"bench: PyTorch 2.x is not measured in this run: {reason}; "
              "ratios are against PyTorch 1.13 only", flush=True)

    cpu = cpu_info()
    meta = {"cpu": cpu["model"], "isa": cpu["isa"], "nproc": cpu["nproc"],
            "torch1": torch.__version__,
            "torch2": ({"available": True, "python": torch2,
                        "pinned": torch2_env.TORCH_VERSION} if torch2 else
                       {"available": False, "reason": reason}),
            "ratios_against": "torch 1.13 and 2.x" if torch2 else
                              "torch 1.13 only (no PyTorch 2.x in this run)",
            "torch_threads": args.threads, "nncc_threads": args.threads,
            "batches": batches, "loadavg_before": os.getloadavg()}
    print(f"CPU: {cpu['model']} ({cpu['isa']}, {cpu['nproc']} CPUs)",
          flush=True)
    peak = measure_peak(args, args.threads)
    meta["fma_peak"] = peak
    print(f"FP32 FMA peak ({peak['isa']}, {peak['lanes']} lanes): "
          f"{peak['gflops_per_core']:.1f} GFLOP/s per core"
          + "".join(f", {g:.1f} on {t} threads" for t, g in
                    sorted(peak["by_threads"].items()) if t > 1)
          + f"; clock {peak['clock_ghz']:.2f} GHz from a dependent add chain, "
          f"{peak['fma_instructions_per_cycle']:.2f} FMA instructions/cycle",
          flush=True)

    start = time.perf_counter()
    reports = []
    tmp = tempfile.mkdtemp(prefix="run-", dir=args.workdir)
    try:
        for w in names:
            nn_file = os.path.join(REPO, WORKLOADS[w][0])
            build = build_nncc_bench(args, w, nn_file)
            print(f"nncc compiles {w} in {build[1]:.2f} s", flush=True)
            profiled = (None if args.no_layers else
                        build_nncc_bench(args, w, nn_file, profile=True))
            for batch in batches:
                out = bench_workload(args, w, batch, build, torch2, peak, tmp,
                                     profiled)
                print_report(out, peak)
                reports.append(out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
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
        with open(args.json + ".tmp", "w") as f:
            json.dump({"meta": meta, "workloads": reports}, f, indent=1)
            f.write("\n")
        os.replace(args.json + ".tmp", args.json)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""How long `nncc MODEL.nn -o MODEL.o` takes: cold (--no-cache), and a cache hit.

    /usr/bin/python3 bench/compile_bench.py                    # mlp cnn resnet8
    /usr/bin/python3 bench/compile_bench.py --models cnn --runs 5 --json out.json
    /usr/bin/python3 bench/compile_bench.py --models resnet18 --runs 1

Each model is compiled `--runs` times into an empty cache, with
--time-report (the phases are read off the tool's own report), then `--runs`
times from the cache. Medians of wall time, seconds. Run on an
otherwise idle machine: two compiles at once share the cores. The goals of
issue 10 (mlp <= 1 s, cnn and resnet8 <= 3 s, ResNet-18 at 224x224 <= 60 s,
a hit <= 0.2 s) are printed beside the results.
"""
import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOALS = {"mlp": 1.0, "cnn": 3.0, "resnet8": 3.0, "resnet18": 60.0, "resnet50": 120.0}
HIT_GOAL = 0.2
# The phases of --time-report worth a column (top-level names in its tree).
PHASES = ["MLIR passes", "LLVM: O3", "LLVM: code generation"]


def cpu_model():
    """The CPU's name and its widest vector ISA, as every number here needs."""
    name, flags = platform.processor() or "unknown", set()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    name = line.split(":", 1)[1].strip()
                elif line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
    except OSError:
        pass
    isa = "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else "SSE"
    return f"{name} ({isa})"


def compile_once(nncc, model, out, env, extra):
    start = time.perf_counter()
    proc = subprocess.run([nncc, model, "-o", out] + extra, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"compile_bench: nncc failed on {model}:\n{proc.stderr}")
    phases = {}
    for name in PHASES:
        # "    1.6237 ( 39.5%)    1.6237 ( 41.2%)  LLVM: O3": the wall column.
        m = re.search(r"^\s+[\d.]+ \(\s*[\d.]+%\)\s+([\d.]+) \(\s*[\d.]+%\)  " + re.escape(name) + r"$",
                      proc.stderr, re.M)
        if m:
            phases[name] = float(m.group(1))
    return wall, phases


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=["mlp", "cnn", "resnet8"],
                        help="examples/<name>.nn (default: mlp cnn resnet8)")
    parser.add_argument("--runs", type=int, default=3, help="cold and hit compiles per model")
    parser.add_argument("--nncc", default=os.path.join(ROOT, "build", "bin", "nncc"))
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args()

    cpu = cpu_model()
    print(f"nncc compile time, {cpu}, {os.cpu_count()} CPUs; wall seconds, median of {args.runs}")
    print(f"{'model':10} {'cold':>8} {'MLIR':>7} {'O3':>7} {'codegen':>8} {'hit':>7}   goal (cold / hit)")
    results = []
    with tempfile.TemporaryDirectory(prefix="nncc-compile-bench-") as tmp:
        for name in args.models:
            model = os.path.join(ROOT, "examples", name + ".nn")
            out = os.path.join(tmp, name + ".o")
            cold, phase_runs = [], []
            for run in range(args.runs):
                # Each cold compile starts from an empty cache (a miss, then
                # the store); the last one's entry serves the hits.
                env = dict(os.environ, NNCC_CACHE_DIR=os.path.join(tmp, f"cache-{name}-{run}"))
                wall, phases = compile_once(args.nncc, model, out, env, ["--time-report"])
                cold.append(wall)
                phase_runs.append(phases)
            hits = [compile_once(args.nncc, model, out, env, [])[0] for _ in range(args.runs)]
            row = {
                "model": name,
                "cold_s": statistics.median(cold),
                "hit_s": statistics.median(hits),
                "phases_s": {p: statistics.median(r.get(p, 0.0) for r in phase_runs) for p in PHASES},
                "goal_cold_s": GOALS.get(name),
                "goal_hit_s": HIT_GOAL,
            }
            results.append(row)
            ph = row["phases_s"]
            goal = GOALS.get(name)
            print(f"{name:10} {row['cold_s']:8.2f} {ph['MLIR passes']:7.2f} {ph['LLVM: O3']:7.2f} "
                  f"{ph['LLVM: code generation']:8.2f} {row['hit_s']:7.3f}   "
                  f"{goal if goal else '-'} / {HIT_GOAL}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"cpu": cpu, "cpus": os.cpu_count(), "runs": args.runs, "models": results}, f, indent=2)


if __name__ == "__main__":
    main()

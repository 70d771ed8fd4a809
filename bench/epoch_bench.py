#!/usr/bin/python3
"""One Fashion-MNIST epoch as a user runs it: `nncc train` against PyTorch 2.x.

    /usr/bin/python3 bench/epoch_bench.py [--workloads mlp,cnn] [--repeats 1]
    /usr/bin/python3 bench/bench.py --epoch ...        (the same)

nncc: `nncc train examples/<w>.nn --data fashion-mnist=DIR --epochs 1
--batch 64 --lr 0.05 --momentum 0.9 --seed 0` (its loader, the compiled step,
SGD, then evaluation on the 10,000 test images), timed by its own metrics
(--metrics-json: the epoch's seconds and the evaluation's) and as a whole
command (compile, link, load, train, evaluate).

PyTorch 2.x (torch2_env.py): bench/torch_epoch.py, a DataLoader(batch 64,
shuffle) over the same files with the fastest of eager and torch.compile and
of 0..nproc loader workers, chosen by a short trial, then the same epoch and
evaluation from the same initial weights (torch.manual_seed(0)).

Both train on all 60,000 images with the same hyper-parameters, so their
accuracies should agree to within the run-to-run spread of the shuffle.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import torch2_env  # noqa: E402
from bench import WORKLOADS, cpu_info  # noqa: E402


def nncc_epoch(args, workload, tmp):
    metrics = os.path.join(tmp, f"{workload}-metrics.json")
    cmd = [args.nncc, "train", os.path.join(REPO, WORKLOADS[workload][0]),
           "--data", f"fashion-mnist={args.data}", "--epochs", "1",
           "--batch", "64", "--lr", "0.05", "--momentum", "0.9", "--seed",
           str(args.seed), "--metrics-json", metrics]
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    with open(metrics) as f:
        m = json.load(f)
    e = m["epochs"][0]
    return {"epoch_seconds": e["seconds"], "eval_seconds": e["eval_seconds"],
            "images_per_s": e["images_per_second"],
            "train_accuracy": e["train_accuracy"],
            "test_accuracy": e["test_accuracy"], "process_seconds": wall,
            "threads": m["threads"], "workers": m["workers"],
            "iterations_per_worker": m["parallel_iterations_per_worker"],
            "peak_rss_bytes": m.get("peak_rss_bytes", 0)}


def torch_epoch(args, python, workload):
    out = subprocess.run(
        [python, os.path.join(HERE, "torch_epoch.py"), "--workload",
         workload, "--data", args.data, "--seed", str(args.seed)],
        check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        text=True).stdout
    return json.loads(out)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--nncc", default=os.path.join(REPO, "build", "bin", "nncc"))
    p.add_argument("--workloads", default="mlp,cnn")
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--repeats", type=int, default=1,
                   help="runs of each side, alternating; medians reported")
    p.add_argument("--torch2-python", metavar="PYTHON")
    p.add_argument("--json", metavar="OUT")
    args = p.parse_args()
    args.nncc = os.path.abspath(args.nncc)
    names = [w for w in args.workloads.split(",") if w]
    for w in names:
        if w not in WORKLOADS:
            p.error(f"unknown workload {w!r}; known: {', '.join(WORKLOADS)}")
    python, reason = (args.torch2_python, None) if args.torch2_python \
        else torch2_env.ensure()
    if python is None:
        print(f"bench: PyTorch 2.x is not measured in this run: {reason}")
    cpu = cpu_info()
    print(f"CPU: {cpu['model']} ({cpu['isa']}, {cpu['nproc']} CPUs)")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for w in names:
            runs = {"nncc": [], "torch2": []}
            for r in range(args.repeats):
                runs["nncc"].append(nncc_epoch(args, w, tmp))
                if python:
                    runs["torch2"].append(torch_epoch(args, python, w))
            out = {"workload": w, "runs": runs}
            print(f"\n{w}: one Fashion-MNIST epoch (60,000 images, batch 64) "
                  "and evaluation on 10,000, median of "
                  f"{args.repeats} run(s)")
            print(f"  {'':<44} {'epoch s':>8} {'img/s':>8} {'eval s':>7} "
                  f"{'test acc':>8} {'process s':>9}")
            for side, rs in runs.items():
                if not rs:
                    continue
                med = {k: statistics.median(r[k] for r in rs) for k in
                       ("epoch_seconds", "images_per_s", "eval_seconds",
                        "test_accuracy", "process_seconds")}
                out[side] = med
                last = rs[-1]
                if side == "nncc":
                    label = (f"nncc train ({last['threads']} thr, "
                             f"{last['workers']} workers)")
                else:
                    label = (f"PyTorch {last['torch']} "
                             f"{'compiled' if last['chosen']['compiled'] else 'eager'}"
                             f", {last['threads']} thr, "
                             f"{last['chosen']['workers']} workers")
                print(f"  {label:<44} {med['epoch_seconds']:8.2f} "
                      f"{med['images_per_s']:8.0f} {med['eval_seconds']:7.2f} "
                      f"{100 * med['test_accuracy']:7.2f}% "
                      f"{med['process_seconds']:9.1f}")
            if runs["torch2"]:
                for t in runs["torch2"][-1]["trials"]:
                    print(f"    trial: {'compiled' if t['compiled'] else 'eager':8} "
                          f"{t['workers']} workers {t['images_per_s']:8.0f} img/s")
                out["ratio_epoch_seconds"] = (out["torch2"]["epoch_seconds"] /
                                              out["nncc"]["epoch_seconds"])
                print(f"  nncc's epoch is {out['ratio_epoch_seconds']:.2f}x "
                      "as fast as PyTorch's")
            if runs["nncc"] and runs["nncc"][-1]["peak_rss_bytes"]:
                out["nncc_peak_rss_mib"] = max(
                    r["peak_rss_bytes"] for r in runs["nncc"]) / 2**20
                print(f"  nncc train's peak RSS (the trainer process): "
                      f"{out['nncc_peak_rss_mib']:.1f} MiB")
            results.append(out)
    if args.json:
        with open(args.json + ".tmp", "w") as f:
            json.dump({"meta": {"cpu": cpu, "torch2": python or reason},
                       "workloads": results}, f, indent=1)
        os.replace(args.json + ".tmp", args.json)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Golden test of the runtime's optimizers, clipping and lr schedules against
torch 1.13 (torch.optim, foreach=False; clip_grad_norm_; lr_scheduler).

Both sides start from the same parameters and see the same 100 gradients
(the frozen tensor's gradient slots hold NaN on the nncc side, as generated
code never writes them; torch excludes it from the optimizer). Per case we
compare the final weights (max relative error over all elements, asserted
<= 1e-6, and whether the bits are identical), the lr of every group at every
step (asserted <= 1e-12 relative) and, with clipping, the total norms. The
harness itself checks that save + load halfway reproduces its own bits.
"""
import argparse
import os
import subprocess
import sys
import time
import warnings

import torch

sys.path.insert(0, os.path.dirname(__file__))
import safetensors_io  # noqa: E402

L = torch.optim.lr_scheduler
STEPS, EPOCHS = 100, 10
# (name, shape), in table order; the last one is frozen.
TENSORS = [("conv.weight", (8, 3, 3, 3)), ("conv.bias", (8,)),
           ("bn.weight", (8,)), ("bn.bias", (8,)), ("fc.weight", (10, 37)),
           ("fc.bias", (10,)), ("frozen.weight", (4, 5))]
FROZEN = "frozen.weight"

# name, harness settings (see optim_harness.cpp).
CASES = [
    ("sgd", dict(optimizer="sgd", lr=0.05)),
    ("sgd-momentum", dict(optimizer="sgd", lr=0.05, momentum=0.9)),
    ("sgd-nesterov", dict(optimizer="sgd", lr=0.05, momentum=0.9, nesterov=1)),
    ("sgd-dampening", dict(optimizer="sgd", lr=0.05, momentum=0.9,
                           dampening=0.5)),
    ("sgd-weight-decay", dict(optimizer="sgd", lr=0.05, momentum=0.9,
                              weight_decay=5e-4)),
    ("adam", dict(optimizer="adam", lr=1e-3)),
    ("adam-amsgrad", dict(optimizer="adam", lr=1e-3, amsgrad=1)),
    ("adam-weight-decay", dict(optimizer="adam", lr=1e-3, weight_decay=1e-2,
                               beta1=0.8, beta2=0.99, eps=1e-6)),
    ("adamw", dict(optimizer="adamw", lr=1e-3, weight_decay=1e-2)),
    ("adamw-amsgrad", dict(optimizer="adamw", lr=2e-3, weight_decay=0.1,
                           amsgrad=1)),
    ("adamw-no-decay-groups", dict(optimizer="adamw", lr=1e-3,
                                   weight_decay=5e-2, groups="nodecay")),
    ("sgd-groups-lr", dict(optimizer="sgd", lr=0.05, momentum=0.9,
                           weight_decay=1e-3, groups="nodecay",
                           group1_lr=0.01)),
    ("sgd-clip", dict(optimizer="sgd", lr=0.05, momentum=0.9, clip=5.0)),
    ("adam-clip", dict(optimizer="adam", lr=1e-3, clip=4.0)),
    ("step-lr", dict(optimizer="sgd", lr=0.1, momentum=0.9,
                     schedule="step:step_size=3,gamma=0.5")),
    ("multistep-lr", dict(optimizer="adam", lr=1e-2,
                          schedule="multistep:milestones=2+5+5+7,gamma=0.3")),
    ("cosine-epochs", dict(optimizer="sgd", lr=0.1, momentum=0.9,
                           schedule="cosine:eta_min=0.001")),
    ("cosine-iterations-restart", dict(optimizer="adamw", lr=1e-2,
                                       schedule="cosine:unit=iteration,"
                                                "t_max=30")),
    ("linear-warmup", dict(optimizer="sgd", lr=0.1,
                           schedule="linear:start=0.1,iters=4")),
    ("warmup-cosine-groups", dict(optimizer="sgd", lr=0.1, momentum=0.9,
                                  groups="nodecay", group1_lr=0.02,
                                  weight_decay=1e-3,
                                  schedule="cosine:unit=iteration,warmup=10,"
                                           "warmup_start=0.01")),
    ("onecycle-sgd", dict(optimizer="sgd", lr=0.1, momentum=0.9,
                          schedule="onecycle:max_lr=0.2")),
    ("onecycle-adam-three-phase", dict(optimizer="adam", lr=1e-3,
                                       schedule="onecycle:max_lr=1e-2,"
                                                "three_phase=true,"
                                                "anneal=linear,"
                                                "pct_start=0.25")),
]


def spec_settings(spec):
    name, _, rest = spec.partition(":")
    kv = dict(item.split("=", 1) for item in rest.split(",") if item)
    return name, kv


def torch_groups(params, c):
    trainable = [(n, p) for n, p in params if n != FROZEN]
    if c.get("groups") != "nodecay":
        return [{"params": [p for _, p in trainable]}]
    decay = [p for n, p in trainable if p.ndim > 1 and not n.endswith(".bias")]
    rest = [p for n, p in trainable if not (p.ndim > 1
                                            and not n.endswith(".bias"))]
    second = {"params": rest, "weight_decay": 0.0}
    if "group1_lr" in c:
        second["lr"] = c["group1_lr"]
    return [{"params": decay}, second]


def torch_optimizer(groups, c):
    kind = c["optimizer"]
    if kind == "sgd":
        return torch.optim.SGD(groups, lr=c["lr"],
                               momentum=c.get("momentum", 0),
                               dampening=c.get("dampening", 0),
                               weight_decay=c.get("weight_decay", 0),
                               nesterov=bool(c.get("nesterov", 0)),
                               foreach=False)
    cls = torch.optim.Adam if kind == "adam" else torch.optim.AdamW
    kw = dict(lr=c["lr"], betas=(c.get("beta1", 0.9), c.get("beta2", 0.999)),
              eps=c.get("eps", 1e-8), amsgrad=bool(c.get("amsgrad", 0)),
              foreach=False)
    if "weight_decay" in c:
        kw["weight_decay"] = c["weight_decay"]
    return cls(groups, **kw)


def torch_scheduler(opt, spec):
    """What nncc::makeScheduler builds for `spec`, as a torch user writes
    it; returns the scheduler and whether it steps per iteration."""
    if not spec:
        return None, False
    name, kv = spec_settings(spec)
    if name == "onecycle":
        return L.OneCycleLR(
            opt, max_lr=float(kv["max_lr"]), total_steps=STEPS,
            pct_start=float(kv.get("pct_start", 0.3)),
            anneal_strategy=kv.get("anneal", "cos"),
            three_phase=kv.get("three_phase") == "true"), True
    per_step = kv.get("unit") == "iteration"
    run = STEPS if per_step else EPOCHS
    warmup = int(kv.get("warmup", 0))
    # makeScheduler builds the warm-up first, then the schedule.
    if warmup:
        first = L.LinearLR(opt, float(kv.get("warmup_start", 0.1)), 1.0,
                           warmup)
    if name == "step":
        main = L.StepLR(opt, int(kv["step_size"]), float(kv["gamma"]))
    elif name == "multistep":
        main = L.MultiStepLR(opt, [int(m) for m in kv["milestones"].split("+")],
                             float(kv["gamma"]))
    elif name == "cosine":
        t_max = int(kv.get("t_max", 0)) or run - warmup
        main = L.CosineAnnealingLR(opt, t_max, float(kv.get("eta_min", 0)))
    elif name == "linear":
        main = L.LinearLR(opt, float(kv.get("start", 1 / 3)),
                          float(kv.get("end", 1.0)), int(kv.get("iters", 5)))
    if warmup:
        return L.SequentialLR(opt, [first, main], [warmup]), per_step
    return main, per_step


def torch_run(params0, grads, c):
    params = [(n, p.clone().requires_grad_(n != FROZEN)) for n, p in params0]
    opt = torch_optimizer(torch_groups(params, c), c)
    sched, per_step = torch_scheduler(opt, c.get("schedule", ""))
    lrs, norms = [], []
    trainable = [p for n, p in params if n != FROZEN]
    for k in range(STEPS):
        for n, p in params:
            if n != FROZEN:
                p.grad = grads[k][n].clone()
        lrs.append([g["lr"] for g in opt.param_groups])
        if "clip" in c:
            norms.append(torch.nn.utils.clip_grad_norm_(trainable, c["clip"]))
        opt.step()
        if sched and (per_step or (k + 1) % (STEPS // EPOCHS) == 0):
            sched.step()
    final = {n: p.detach() for n, p in params}
    return final, torch.tensor(lrs, dtype=torch.float64), norms


def rel_err(got, want):
    diff = (got.double() - want.double()).abs()
    scale = want.double().abs().clamp_min(1e-30)
    return float((diff / scale).max()) if diff.numel() else 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--harness", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--only", help="run the cases whose name contains this")
    args = ap.parse_args()
    warnings.simplefilter("ignore")  # torch's lr_scheduler step-order notes
    torch.manual_seed(0)
    params0 = [(n, torch.randn(s) * 0.5) for n, s in TENSORS]
    grads = []
    for k in range(STEPS):
        # Gradients of varying size, so clipping is on for part of the run.
        scale = 0.2 + 1.5 * (k % 7) / 6
        grads.append({n: torch.randn(s) * scale for n, s in TENSORS})
    inputs = {"param." + n: p for n, p in params0}
    for k in range(STEPS):
        for n, _ in TENSORS:
            inputs[f"grad.{k}.{n}"] = grads[k][n]
    os.makedirs(args.workdir, exist_ok=True)
    in_path = os.path.join(args.workdir, "inputs.safetensors")
    safetensors_io.write(in_path, inputs)

    start = time.time()
    failures, worst, identical = [], 0.0, 0
    cases = [c for c in CASES if not args.only or args.only in c[0]]
    for name, c in cases:
        out_path = os.path.join(args.workdir, name + ".safetensors")
        argv = [args.harness, in_path, out_path, f"epochs={EPOCHS}",
                f"frozen={FROZEN}"] + [f"{k}={v}" for k, v in c.items()]
        r = subprocess.run(argv, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0:
            failures.append(f"{name}: harness failed: {r.stdout.strip()}")
            continue
        got = safetensors_io.read(out_path)
        want, lrs, norms = torch_run(params0, grads, c)
        err = max(rel_err(got["param." + n], want[n]) for n, _ in TENSORS)
        bits = all(torch.equal(got["param." + n], want[n]) for n, _ in TENSORS)
        got_lrs = got["lr"].view(torch.float64)
        lr_err = rel_err(got_lrs, lrs)
        lr_bits = torch.equal(got_lrs, lrs)
        frozen_same = torch.equal(got["param." + FROZEN],
                                  dict(params0)[FROZEN])
        line = (f"{name}: weights max rel err {err:.3g}"
                f"{' (bit-identical)' if bits else ''}, lr max rel err "
                f"{lr_err:.3g}{' (bit-identical)' if lr_bits else ''}")
        if norms:
            norm_err = rel_err(got["norm"], torch.stack(norms))
            line += f", norm max rel err {norm_err:.3g}"
            err = max(err, norm_err)
        print(line)
        worst = max(worst, err)
        identical += bits
        if err > 1e-6 or lr_err > 1e-12 or not frozen_same:
            failures.append(f"{name}: weights {err:.3g}, lr {lr_err:.3g}, "
                            f"frozen tensor unchanged: {frozen_same}")
    print(f"{len(cases)} cases in {time.time() - start:.1f} s, "
          f"{identical} bit-identical, worst weight rel err {worst:.3g}")
    for f in failures:
        print("FAIL", f)
    if failures:
        sys.exit(1)
    print("golden-optim: all optimizers agree with PyTorch")


if __name__ == "__main__":
    main()

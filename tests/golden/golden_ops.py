#!/usr/bin/env python3
"""Golden test of every operation alone (op_cases.py) against PyTorch.

For each case and batch size, from the same weights and running statistics:
train mode: logits, loss, every gradient (the gradient of the layer before
the op is the op's input gradient), the updated running statistics and
num_batches_tracked; eval mode: eval_step's loss and logits and predict's
logits. Tolerance: checks.RTOL relative to the reference's largest magnitude.

Dropout is random on both sides with different generators, so its cases
check the semantics instead: each output element is 0 or x / (1 - p), the
dropped fraction is p within 5 standard deviations, the gradients are
PyTorch's for the mask nncc used, the same seed gives the same mask and
another seed another one, and eval mode is the identity.
"""
import argparse
import fnmatch
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import torch

sys.path.insert(0, os.path.dirname(__file__))
import checks  # noqa: E402
import nncc_model  # noqa: E402
from op_cases import CASES, CLASSES  # noqa: E402

# A bias followed by batch norm in training mode (Case.zero_grad): the batch
# mean removes it, so its exact gradient is zero and both sides return
# rounding noise. That noise is bounded by eps times the sum of the terms
# that cancel, sum over everything but the channel of |dL/dy| (y: the biased
# layer's output): compare absolutely against RTOL times the largest such
# sum.

# Known compiler bugs: check-name prefix -> (reason, largest error tolerated).
# (BUG-1, batch-norm sums in f32 chains, is fixed: the sums run in f64 and
# bn2d_long_sums now checks it at batch 1024.)
XFAIL = {}


def inputs(case, n, seed=0):
    g = torch.Generator().manual_seed(1000 * n + seed)
    x = case.x_mean + case.x_std * torch.randn(n, *case.input_shape,
                                               generator=g)
    y = torch.randint(0, CLASSES, (n,), generator=g)
    return x, y


def capture_zero_grad_outputs(case, module):
    """Keeps (with their gradients) the outputs of the modules that
    Case.zero_grad parameters shift, for their absolute scale."""
    outputs = {}
    handles = []
    modules = dict(module.named_modules())
    for param, producer in case.zero_grad.items():
        def store(_m, _i, out, producer=producer):
            out.retain_grad()
            outputs[producer] = out
        handles.append(modules[producer].register_forward_hook(store))
    return outputs, handles


def golden_case(check, case, compiled):
    module = case.torch_module()
    state = {k: v.clone() for k, v in module.state_dict().items()}
    for n in case.batches:
        x, y = inputs(case, n)
        tag = f"{case.name} batch {n}"
        ours = compiled.train_step(state, x, y, seed=0, buffers=state)
        module.load_state_dict(state)
        module.train()
        module.zero_grad()
        outputs, handles = capture_zero_grad_outputs(case, module)
        logits = module(x)
        loss = module.criterion(logits, y)
        loss.backward()
        for h in handles:
            h.remove()
        check.close(f"{tag} train logits", ours.logits, logits,
                    group=f"{case.name} fwd")
        check.close(f"{tag} train loss", ours.loss, loss,
                    group=f"{case.name} fwd")
        for name, p in module.named_parameters():
            scale = None
            if name in case.zero_grad:
                g = outputs[case.zero_grad[name]].grad
                dims = [d for d in range(g.dim()) if d != 1]
                scale = g.abs().sum(dim=dims).max().item()
            check.close(f"{tag} grad {name}", ours.grads[name], p.grad,
                        atol_scale=scale, group=f"{case.name} grad")
        for name, b in module.state_dict().items():
            if name not in ours.buffers:
                continue
            if b.dtype == torch.int64:
                check.equal(f"{tag} train {name}", ours.buffers[name], b)
            else:
                check.close(f"{tag} train {name}", ours.buffers[name], b,
                            group=f"{case.name} buffers")
        module.load_state_dict(state)
        module.eval()
        with torch.no_grad():
            logits = module(x)
            loss = module.criterion(logits, y)
        ev = compiled.eval_step(state, x, y, buffers=state)
        check.close(f"{tag} eval logits", ev.logits, logits,
                    group=f"{case.name} fwd")
        check.close(f"{tag} eval loss", ev.loss, loss,
                    group=f"{case.name} fwd")
        check.close(f"{tag} predict logits",
                    compiled.predict(state, x, buffers=state), logits,
                    group=f"{case.name} fwd")


def dropout_case(check, case, compiled):
    """The logits are the dropout output: the model is pre -> Dropout(p)."""
    module = case.torch_module()
    p = module.op.p
    state = {k: v.clone() for k, v in module.state_dict().items()}
    group = f"{case.name} grad"
    for n in case.batches:
        x, y = inputs(case, n)
        tag = f"{case.name} batch {n}"
        with torch.no_grad():
            kept = torch.flatten(module.pre(x), 1)  # dropout's input
        ours = compiled.train_step(state, x, y, seed=7, buffers=state)
        out = ours.logits
        mask = out != 0
        # Each element: 0, or its input scaled by 1 / (1 - p).
        scaled = kept / (1 - p)
        err = ((out - scaled).abs() * mask).max().item() / \
            scaled.abs().max().item()
        check.check(f"{tag} train: each element 0 or x/(1-p)",
                    err <= checks.RTOL, f"rel err {err:.2e}", group)
        frac = 1 - mask.double().mean().item()
        sigma = (p * (1 - p) / out.numel()) ** 0.5
        check.check(f"{tag} train: dropped fraction ~ p",
                    abs(frac - p) <= 5 * sigma + 1e-12 or out.numel() < 100,
                    f"{frac:.3f} vs p={p} (5 sigma = {5 * sigma:.3f}, "
                    f"{out.numel()} elements)")
        # Gradients through the same mask, as PyTorch computes them.
        module.load_state_dict(state)
        module.zero_grad()
        h = torch.flatten(module.pre(x), 1) * mask / (1 - p)
        loss = module.criterion(h, y)
        loss.backward()
        check.close(f"{tag} train loss", ours.loss, loss, group=group)
        for name, prm in module.named_parameters():
            check.close(f"{tag} grad {name} (nncc's mask)", ours.grads[name],
                        prm.grad, group=group)
        again = compiled.train_step(state, x, y, seed=7, buffers=state)
        check.check(f"{tag} train: same seed, same mask",
                    torch.equal(again.logits, out), "")
        if out.numel() >= 32:
            other = compiled.train_step(state, x, y, seed=8, buffers=state)
            check.check(f"{tag} train: other seed, other mask",
                        not torch.equal(other.logits != 0, mask), "")
        ev = compiled.eval_step(state, x, y, buffers=state)
        check.close(f"{tag} eval: identity", ev.logits, kept, group=group)
        check.close(f"{tag} predict: identity",
                    compiled.predict(state, x, buffers=state), kept,
                    group=group)
    # Masks differ across the batch and across steps' seeds, not only rows.
    n = case.batches[-1]
    x, y = inputs(case, n)
    rows = compiled.train_step(state, x, y, seed=3, buffers=state).logits != 0
    check.check(f"{case.name}: rows get different masks",
                not all(torch.equal(rows[0], rows[i]) for i in range(1, n)),
                "")


def compile_cases(cases, args):
    """Compiles every case, `args.jobs` at a time."""
    def build(case):
        start = time.time()
        model = nncc_model.compile_model(
            case.source(), os.path.join(args.workdir, case.name), args.nncc,
            name=case.name, cache_dir=args.cache)
        return model, time.time() - start

    with ThreadPoolExecutor(args.jobs) as pool:
        return dict(zip([c.name for c in cases], pool.map(build, cases)))


def selected(patterns):
    return [c for c in CASES
            if not patterns or any(fnmatch.fnmatch(c.name, p)
                                   for p in patterns)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--nncc", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--cache", help="compiled-model cache directory")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("cases", nargs="*", help="case names (globs)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    cases = selected(args.cases)
    start = time.time()
    compiled = compile_cases(cases, args)
    print(f"compiled {len(cases)} models in {time.time() - start:.1f} s")
    check = checks.Checker(XFAIL)
    for case in cases:
        model, seconds = compiled[case.name]
        print(f"-- {case.name} (compiled in {seconds:.1f} s)")
        if case.dropout:
            dropout_case(check, case, model)
        else:
            golden_case(check, case, model)
    print(f"total {time.time() - start:.1f} s")
    return check.summary("golden ops")


if __name__ == "__main__":
    sys.exit(main())

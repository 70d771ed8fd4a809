#!/usr/bin/env python3
"""Finite-difference check of every operation's VJP (the cases of
op_cases.py): nncc's training-mode gradients against central differences
of nncc's own training-mode loss, at batch sizes 1 and 3 (3 and 4 for
BatchNorm1d on [N, C]).

The compiled code is f32 and a model has thousands of inputs, so instead of
one difference per element we compare directional derivatives:
(L(p + h d) - L(p - h d)) / 2h against <grad, d>, computed in f64 from the
f32 losses and gradients, for each parameter tensor along a random Gaussian
direction and along its own gradient, and for all parameters together.
Where a parametrized layer (`pre`) precedes the op, its gradient is the op's
input gradient pulled back, so the op's input VJP is checked too. Batch norm
in training mode depends on the whole batch (a directional derivative does
not mind); dropout with a fixed seed is a fixed mask.

Step and tolerance. d has the RMS of the tensor it moves (so h is a relative
step), and h is chosen so that the loss moves by about 1% (h = 0.01 |L| /
|<grad, d>|, clamped to [1e-4, 1e-1]): large enough that the f32 rounding of
L (a few ulps, ~1e-7 |L| each) is ~1e-4 of the difference, small enough that
the central difference's O(h^2) truncation is ~1e-4 relative and that few
ReLU / max-pool kinks are crossed (a crossed kink perturbs one term of
thousands). The check is |FD - <grad, d>| <= 1e-2 |<grad, d>| + atol, with
atol = 32 ulp(L) / h, the rounding noise of the difference quotient; 1e-2
relative is far below what a wrong VJP produces (a missing term, a wrong
index or scale moves a directional derivative by O(1)).
"""
import argparse
import fnmatch
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(__file__))
import checks  # noqa: E402
import golden_ops  # noqa: E402
from op_cases import CASES  # noqa: E402

RTOL = 1e-2
LOSS_CHANGE, H_MIN, H_MAX, NOISE_ULPS, SHRINKS = 2e-3, 1e-5, 1e-2, 16, 4
SEED = 7  # dropout's seed: a fixed mask

# Known compiler bugs: check-name glob prefix -> (reason, largest error).
XFAIL = {}


def difference(model, flat, x, y, buffers, d, h, loss):
    """Central difference of the f32 loss along d at step h, and the bound
    on its rounding noise."""
    plus = model.train_loss((flat + h * d).astype(np.float32), x, y, SEED,
                            buffers)
    minus = model.train_loss((flat - h * d).astype(np.float32), x, y, SEED,
                             buffers)
    fd = (np.float64(plus) - np.float64(minus)) / (2 * h)
    ulp = float(np.spacing(np.float32(max(abs(loss), abs(plus),
                                          abs(minus)))))
    return fd, NOISE_ULPS * ulp / h


def directional(model, flat, x, y, buffers, d, grad_dot_d, loss, h_max):
    """The directional derivative by central differences. The first step
    moves the loss by about LOSS_CHANGE; while a quarter of the step gives
    another answer (beyond noise), a ReLU or max-pool kink lies within the
    step, and the step shrinks."""
    h = float(np.clip(LOSS_CHANGE * max(abs(loss), 0.1) /
                      max(abs(grad_dot_d), 1e-30), H_MIN, h_max))
    fd, atol = difference(model, flat, x, y, buffers, d, h, loss)
    for _ in range(SHRINKS):
        fd2, atol2 = difference(model, flat, x, y, buffers, d, h / 4, loss)
        settled = abs(fd2 - fd) <= RTOL / 4 * abs(fd2) + atol + atol2
        fd, atol, h = fd2, atol2, h / 4
        if settled or h / 4 < H_MIN:
            break
    return fd, atol, h


def check_case(check, case, model, batches):
    module = case.torch_module()
    state = module.state_dict()
    flat = model.flat_params(state).astype(np.float64)
    buffers = model.flat_buffers(state)
    rng = np.random.default_rng(1234)
    for n in batches:
        x, y = golden_ops.inputs(case, n)
        out = model.train_step(flat.astype(np.float32), x, y, SEED, buffers)
        grad = np.zeros_like(flat)
        for p in model.params:
            grad[p.offset:p.offset + p.numel] = \
                out.grads[p.name].reshape(-1).double().numpy()
        directions = []
        everything = np.zeros_like(flat)
        for p in model.params:
            span = slice(p.offset, p.offset + p.numel)
            rms = max(float(np.sqrt(np.mean(flat[span] ** 2))), 1e-3)
            rand = np.zeros_like(flat)
            rand[span] = rms * rng.standard_normal(p.numel)
            everything[span] = rand[span]
            directions.append((f"{p.name} random", rand))
            g = grad[span]
            g_rms = float(np.sqrt(np.mean(g ** 2)))
            if g_rms > 0:
                along = np.zeros_like(flat)
                along[span] = rms * g / g_rms
                directions.append((f"{p.name} along grad", along))
        directions.append(("all params random", everything))
        for label, d in directions:
            an = float(np.dot(grad, d))
            fd, atol, h = directional(model, flat, x, y, buffers, d, an,
                                      out.loss, case.fd_h_max or H_MAX)
            err = abs(fd - an)
            ok = err <= RTOL * abs(an) + atol
            rel = err / max(abs(an), 1e-30)
            # Only derivatives well above the noise say how accurate the
            # gradient is; the others are checked against atol alone.
            group = f"{case.name}" if abs(an) > 10 * atol else None
            check.record(f"{case.name} batch {n} {label}", rel, ok,
                         f"fd {fd:+.6e} vs grad.d {an:+.6e} (rel "
                         f"{rel:.1e}, atol {atol:.1e}, h {h:.0e})", group)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--nncc", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--cache", help="compiled-model cache directory")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("cases", nargs="*", help="case names (globs)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    cases = [c for c in CASES if c.fd and (
        not args.cases or any(fnmatch.fnmatch(c.name, p) for p in args.cases))]
    start = time.time()
    compiled = golden_ops.compile_cases(cases, args)
    print(f"compiled {len(cases)} models in {time.time() - start:.1f} s")
    check = checks.Checker(XFAIL)
    for case in cases:
        batches = sorted(case.batches)[:2]
        check_case(check, case, compiled[case.name][0], batches)
    print(f"total {time.time() - start:.1f} s")
    return check.summary("finite differences")


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Golden test of one reference workload (workloads.py) against PyTorch.

1. `nncc train --steps 0 --save init --seed 0` is torch.manual_seed(0)'s
   initialisation of the PyTorch module, bit for bit (params and buffers);
2. train mode, one batch of Fashion-MNIST test images at batch sizes 1, 3
   and 64: logits, loss, every gradient and the updated running statistics;
   eval mode: eval_step's and predict's logits and loss;
3. `nncc train --no-shuffle --batch 64 --lr 0.05 --momentum 0.9` for 1, 2,
   ..., 10 steps against torch.optim.SGD on the first 640 training images:
   every parameter and buffer after each step, where PyTorch takes that step
   from nncc's state after the previous one (teacher forcing, see below),
   and after 10 free-running steps on both sides;
4. from nncc's trained state: eval mode (running statistics far from 0 and
   1) and one more train step.

Tolerances. Continuous quantities (logits, loss, running statistics, eval
mode, weights) agree within checks.RTOL of the reference's largest
magnitude. The gradient of a ReLU network is not continuous: it jumps where a
pre-activation crosses zero or a max-pool window changes its argmax. At
batch 64 thousands of values lie within f32 rounding of such a kink, so two
correct f32 implementations route some gradient differently: perturbing the
weights by 1e-6 relative moves the exact (f64) batch-64 gradient of resnet8
by up to 2.4e-2, nncc differs from PyTorch by up to 4e-2 there, PyTorch f32
from f64 by 1e-6 (its intermediate errors are smaller than nncc's, see
BUG-1). So
 - gradients at batch 1 and 3 must agree within max(RTOL, K x spread), the
   spread being how far the f64 gradient moves under PERTURB-relative
   weight perturbations (~0 on these well-conditioned batches: RTOL);
 - gradients at batch 64 within KINK_TOL, a bound on kink effects (it still
   catches a wrong or missing term, which shows at batch 1 and 3 as well);
 - a training trajectory is chaotic for the same reason (a 1e-6 relative
   perturbation of the initial weights in f64 moves some tensors by 0.2
   relative after 10 steps; PyTorch f32 vs f64: 6e-2), so each SGD step is
   checked from the same state on both sides: PyTorch loads nncc's weights
   and running statistics after step k-1 (its optimizer keeps its own
   momentum) and takes step k; weights must agree within RTOL of their
   magnitude or KINK_TOL of the step's update (the update carries the
   batch-64 gradient); running statistics within RTOL. The free-running
   10-step result is compared within CHAOS_TOL of the weights' magnitude.
"""
import argparse
import copy
import os
import subprocess
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
import checks  # noqa: E402
import nncc_model  # noqa: E402
import safetensors_io  # noqa: E402
from workloads import WORKLOADS  # noqa: E402

# A convolution bias followed by batch norm in training mode: the batch mean
# subtracts it again, so its exact gradient is zero and both sides return
# rounding noise. The noise is bounded by eps times the sum of the terms that
# cancel, sum over (n, h, w) of |dL/dy| for the channel, where y is the
# convolution's output: compare absolutely against RTOL times the largest such
# sum (module that produces y, per bias).
ZERO_GRAD_IN_TRAIN = {
    "cnn": {"features.0.bias": "features.0", "features.4.bias": "features.4"},
}

# Known compiler bugs: check-name glob prefix -> reason (see the final report).
# None now: BUG-1 (batch-norm statistics summed in long f32 chains, 1.2e-4
# off in the first batch norm's running mean at batch 64) is fixed by summing
# in f64 as PyTorch does.
XFAIL = {"cnn": {}, "resnet8": {}}

STEPS, BATCH, LR, MOMENTUM = 10, 64, 0.05, 0.9
K, PERTURB = 4.0, (1e-5, 1e-5, 1e-6)
KINK_TOL = 0.1
CHAOS_TOL = 0.5


def perturbed_copy(model, rel, seed, dtype):
    """The module in `dtype` with every parameter scaled by 1 + rel * N(0,1)."""
    other = copy.deepcopy(model).to(dtype)
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in other.parameters():
            noise = torch.randn(p.shape, generator=g, dtype=torch.float64)
            p.mul_((1 + rel * noise).to(dtype))
    return other


def f64_grads(model, x, y, rel, seed):
    m = perturbed_copy(model, rel, seed, torch.float64)
    m.train()
    m.criterion(m(x.double()), y).backward()
    return {n: p.grad for n, p in m.named_parameters()}


def spreads(ref, samples):
    """Per tensor: the largest relative movement of `ref` over the samples."""
    out = {}
    for name, r in ref.items():
        scale = max(r.abs().max().item(), 1e-30)
        out[name] = max((s[name].double() - r.double()).abs().max().item()
                        / scale for s in samples)
    return out


def capture_outputs(model, names):
    """Forward hooks that keep the named modules' outputs with their grads."""
    outputs = {}
    modules = dict(model.named_modules())

    def hook(name):
        def store(_module, _inputs, out):
            if out.requires_grad:
                out.retain_grad()
            outputs[name] = out
        return store

    handles = [modules[n].register_forward_hook(hook(n)) for n in names]
    return outputs, handles


def compare_train_step(check, tag, compiled, model, zero_grad, x, y):
    """One train step from the module's current state on both sides."""
    state = {k: v.clone() for k, v in model.state_dict().items()}
    ours = compiled.train_step(state, x, y, seed=0, buffers=state)
    if x.shape[0] >= 32:
        tols = {n: (KINK_TOL, " (kinks at batch 64)")
                for n, _ in model.named_parameters()}
    else:
        ref64 = f64_grads(model, x, y, 0.0, 0)
        spread = spreads(ref64, [f64_grads(model, x, y, rel, i + 1)
                                 for i, rel in enumerate(PERTURB)])
        tols = {n: (max(checks.RTOL, K * s), f" = {K:g} x f64 spread")
                for n, s in spread.items()}
    model.load_state_dict(state)
    model.train()
    model.zero_grad()
    outputs, handles = capture_outputs(model, set(zero_grad.values()))
    logits = model(x)
    loss = model.criterion(logits, y)
    loss.backward()
    for h in handles:
        h.remove()
    check.close(f"{tag} train logits", ours.logits, logits, group="logits")
    check.close(f"{tag} train loss", ours.loss, loss, group="loss")
    for name, p in model.named_parameters():
        if name in zero_grad:
            g = outputs[zero_grad[name]].grad
            scale = g.abs().sum(dim=(0, 2, 3)).max().item()
            check.close(f"{tag} grad {name}", ours.grads[name], p.grad,
                        atol_scale=scale, group="grads (zero in theory)")
        else:
            rtol, note = tols[name]
            check.close(f"{tag} grad {name}", ours.grads[name], p.grad,
                        rtol=rtol, note=note,
                        group=f"grads batch {'64' if x.shape[0] >= 32 else '1, 3'}")
    for name, b in model.state_dict().items():
        if name in ours.buffers:
            if b.dtype == torch.int64:
                check.equal(f"{tag} train buffer {name}", ours.buffers[name],
                            b)
            else:
                check.close(f"{tag} train buffer {name}", ours.buffers[name],
                            b, group="running stats")
    model.load_state_dict(state)  # undo PyTorch's running-stat update


def compare_eval(check, tag, compiled, model, x, y):
    state = model.state_dict()
    ours = compiled.eval_step(state, x, y, buffers=state)
    predicted = compiled.predict(state, x, buffers=state)
    model.eval()
    with torch.no_grad():
        logits = model(x)
        loss = model.criterion(logits, y)
    check.close(f"{tag} eval logits", ours.logits, logits, group="logits")
    check.close(f"{tag} eval loss", ours.loss, loss, group="loss")
    check.close(f"{tag} predict logits", predicted, logits, group="logits")


def sgd(model, x, y):
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    for step in range(STEPS):
        batch = slice(step * BATCH, (step + 1) * BATCH)
        opt.zero_grad()
        model.criterion(model(x[batch]), y[batch]).backward()
        opt.step()
    return model.state_dict()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workload", required=True, choices=WORKLOADS)
    parser.add_argument("--nncc", required=True)
    parser.add_argument("--src", required=True, help="source root")
    parser.add_argument("--runtime-lib", required=True)
    parser.add_argument("--runtime-include", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--cache", help="compiled-model cache directory")
    args = parser.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    torch.set_num_threads(1)
    torch.manual_seed(0)
    cls, model_file, _ = WORKLOADS[args.workload]
    model = cls()
    zero_grad = ZERO_GRAD_IN_TRAIN.get(args.workload, {})
    check = checks.Checker(XFAIL.get(args.workload, {}))

    compiled = nncc_model.compile_model(
        os.path.join(args.src, model_file), args.workdir, args.nncc,
        cache_dir=args.cache, trainer=True, runtime_lib=args.runtime_lib,
        runtime_include=args.runtime_include)
    check.check("state_dict names and order",
                [p.name for p in compiled.params] +
                [b.name for b in compiled.buffers] ==
                [n for n, _ in model.named_parameters()] +
                [n for n, _ in model.named_buffers()],
                f"{len(compiled.params)} params, "
                f"{len(compiled.buffers)} buffers")

    # 1. nncc's seed-0 initialisation is PyTorch's.
    init_path = os.path.join(args.workdir, "init.safetensors")
    compiled.train_cli(["--steps", "0", "--save", init_path, "--seed", "0"],
                       stdout=subprocess.DEVNULL)
    init = safetensors_io.read(init_path)
    for name, t in model.state_dict().items():
        check.equal(f"init {name} bit-identical to torch.manual_seed(0)",
                    init[name], t)
    model.load_state_dict(init)

    # 2. One batch at the initial weights: train mode, then eval mode.
    test_x, test_y = checks.fashion_mnist(args.data, "test", 64)
    for n in (1, 3, 64):
        compare_train_step(check, f"init batch {n}", compiled, model,
                           zero_grad, test_x[:n], test_y[:n])
        compare_eval(check, f"init batch {n}", compiled, model, test_x[:n],
                     test_y[:n])

    # 3. SGD steps. The trainer evaluates the whole test set at the end; a
    # 100-image test set keeps that cheap. The per-step runs read only the
    # 640 images they use, the free-running one the real training set.
    full = checks.fashion_mnist_subset(args.data,
                                       os.path.join(args.workdir, "full"))
    subset = checks.fashion_mnist_subset(
        args.data, os.path.join(args.workdir, "subset"), STEPS * BATCH)
    train_x, train_y = checks.fashion_mnist(args.data, "train", STEPS * BATCH)

    def nncc_sgd(steps, data):
        path = os.path.join(args.workdir, f"after{steps}.safetensors")
        compiled.train_cli(["--data", f"fashion-mnist={data}", "--steps",
                            str(steps), "--batch", str(BATCH), "--lr",
                            str(LR), "--momentum", str(MOMENTUM),
                            "--no-shuffle", "--load", init_path, "--save",
                            path], stdout=subprocess.DEVNULL)
        return safetensors_io.read(path)

    # Teacher forcing: PyTorch takes step k from nncc's state after k - 1.
    teacher = copy.deepcopy(model)
    teacher.train()
    opt = torch.optim.SGD(teacher.parameters(), lr=LR, momentum=MOMENTUM)
    before = init
    for step in range(1, STEPS + 1):
        after = nncc_sgd(step, subset)
        teacher.load_state_dict(before)  # copies: the momentum stays
        batch = slice((step - 1) * BATCH, step * BATCH)
        opt.zero_grad()
        teacher.criterion(teacher(train_x[batch]), train_y[batch]).backward()
        opt.step()
        for name, t in teacher.state_dict().items():
            what = f"SGD step {step} from nncc's step {step - 1}: {name}"
            if t.dtype == torch.int64:
                check.equal(what, after[name], t)
            elif name in dict(teacher.named_parameters()):
                update = (after[name] - before[name]).abs().max().item()
                diff = (after[name] - t).abs().max().item()
                bound = max(checks.RTOL * t.abs().max().item(),
                            KINK_TOL * update)
                # Zero-gradient biases barely move: their bound is RTOL |w|.
                check.record(what, diff / max(update, 1e-30), diff <= bound,
                             f"diff {diff:.2e} = "
                             f"{diff / max(update, 1e-30):.1e} x update, "
                             f"{diff / t.abs().max().item():.1e} x |w|",
                             group=None if name in zero_grad
                             else "SGD steps (diff / update)")
            else:
                check.close(what, after[name], t, group="SGD running stats")
        before = after

    # Free-running: 10 steps on both sides from the initial state, nncc on
    # the real training files (the same bits as the subset's run).
    free = nncc_sgd(STEPS, full)
    for name, t in after.items():
        check.equal(f"{STEPS} steps on the full dataset = on its first "
                    f"{STEPS * BATCH} images: {name}", free[name], t)
    reference = sgd(copy.deepcopy(model), train_x, train_y)
    for name, t in reference.items():
        if t.dtype == torch.int64:
            check.equal(f"after {STEPS} free-running SGD steps {name}",
                        free[name], t)
        else:
            check.close(f"after {STEPS} free-running SGD steps {name}",
                        free[name], t, rtol=CHAOS_TOL,
                        note=" (chaotic trajectory)",
                        group="free-running SGD")

    # 4. From nncc's trained state: eval mode with real running statistics,
    # and one more train step.
    model.load_state_dict(free)
    for n in (3, 64):
        compare_eval(check, f"trained batch {n}", compiled, model,
                     test_x[:n], test_y[:n])
    compare_train_step(check, "trained batch 3", compiled, model, zero_grad,
                       test_x[:3], test_y[:3])
    compare_train_step(check, "trained batch 64", compiled, model, zero_grad,
                       test_x, test_y)

    return check.summary(f"golden {args.workload}")


if __name__ == "__main__":
    sys.exit(main())

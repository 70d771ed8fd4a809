#!/usr/bin/env python3
"""The probe entry point against PyTorch: for the reference cnn with one
non-finite weight planted in a layer, the count of NaN and infinite values
in every layer's training-mode output equals what forward hooks on the
PyTorch module count, layer for layer (the NaN spreads through batch norm's
statistics, ReLU, max pooling and the matmuls as IEEE arithmetic says);
with sane weights every count is zero. This is what `nncc train` reads to
name the layer whose output went non-finite first."""
import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nncc_model  # noqa: E402
import workloads  # noqa: E402


def torch_counts(module, x, y):
    counts = {}
    hooks = []
    for name, child in module.named_modules():
        if isinstance(child, torch.nn.Sequential) or child is module:
            continue
        hooks.append(child.register_forward_hook(
            lambda m, i, o, name=name: counts.__setitem__(
                name, int((~torch.isfinite(o)).sum()))))
    logits = module(x)
    counts["criterion"] = int((~torch.isfinite(
        torch.nn.functional.cross_entropy(logits, y))).sum())
    for h in hooks:
        h.remove()
    return counts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--nncc", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--src", required=True)
    args = ap.parse_args()
    model = nncc_model.compile_model(
        os.path.join(args.src, "examples", "cnn.nn"), args.workdir, args.nncc)
    torch.manual_seed(0)
    reference = workloads.CNN().train()
    x = torch.randn(5, 1, 28, 28)
    y = torch.randint(0, 10, (5,))

    initial = {k: v.clone() for k, v in reference.state_dict().items()}
    checked = 0
    for blown, index, value in ((None, None, None),
                                ("features.4.weight", (5, 3, 1, 1), "nan"),
                                ("classifier.1.weight", (7, 100), "inf"),
                                ("classifier.3.bias", (2,), "-inf")):
        state = {k: v.clone() for k, v in initial.items()}
        if blown:
            state[blown][index] = float(value)
        reference.load_state_dict(state)
        expected = torch_counts(reference, x, y)
        got = model.probe(state, x, y, buffers=state)
        first = None
        for name, count in got:
            path = name.split(" ")[0]
            if path not in expected:
                sys.exit(f"probe names {name!r}, which the PyTorch module "
                         f"does not have")
            if count != expected[path]:
                sys.exit(f"{blown}: {name} has {count} non-finite values, "
                         f"PyTorch {expected[path]}")
            if count and first is None:
                first = name
            checked += 1
        print(f"{blown or 'sane weights'}: first non-finite layer "
              f"{first or 'none'}")
    print(f"golden probe: all {checked} layer counts match")


main()

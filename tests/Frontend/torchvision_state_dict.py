"""Compares the parameters and buffers `nncc --emit=ast` prints with the
state_dict of a torchvision model: the same names, in the same order, with
the same shapes. Usage: torchvision_state_dict.py AST_FILE MODEL_NAME."""
import re
import sys

import torchvision


def nncc_state(path):
    params, buffers = [], []
    pattern = re.compile(r"^  (param|buffer) (\S+) : (?:[a-z0-9]+)?\[([^\]]*)\]")
    for line in open(path):
        m = pattern.match(line)
        if not m:
            continue
        shape = [int(d) for d in m.group(3).split(",") if d.strip()]
        (params if m.group(1) == "param" else buffers).append((m.group(2), shape))
    return params, buffers


def torch_state(name):
    model = getattr(torchvision.models, name)()
    params = [(k, list(v.shape)) for k, v in model.named_parameters()]
    buffers = [(k, list(v.shape)) for k, v in model.named_buffers()]
    return params, buffers


def main():
    ours, theirs = nncc_state(sys.argv[1]), torch_state(sys.argv[2])
    for kind, a, b in (("parameters", ours[0], theirs[0]),
                       ("buffers", ours[1], theirs[1])):
        if a != b:
            for i, (x, y) in enumerate(zip(a, b)):
                if x != y:
                    sys.exit(f"{kind} differ at #{i}: nncc {x}, torchvision {y}")
            sys.exit(f"{kind}: nncc has {len(a)}, torchvision {len(b)}")
        print(f"{sys.argv[2]}: {len(a)} {kind} match")


main()

"""One PyTorch contender of bench.py, in a process of its own.

bench.py runs Debian's Python (PyTorch 1.13); PyTorch 2.x lives in a virtual
environment (torch2_env.py), and one process cannot load both. So every
PyTorch contender is a worker like this one, started with the Python of its
PyTorch and driven over a pipe the way nncc's `train_step_bench --serve` is:
one JSON line per command, so rounds of all contenders interleave.

    python torch_worker.py --write-init FILE --workload W --batch B --seed S
        builds the model after torch.manual_seed(S) and writes its state_dict
        (`model.<name>`) and the batch (`batch.input`, `batch.target`) to FILE
        (safetensors; train_step_bench --init reads the same file)
    python torch_worker.py --init FILE --workload W --batch B --threads T
                           --variant V
        loads FILE, prints {"ready": ...}, then serves, one line each:
          check OUT   one step from the initial state; loss (`loss`) and
                      gradients (by parameter name) to OUT (safetensors);
                      the first step's time (with
                      torch.compile: the compilation)
          warmup W R S  warm-up for W seconds (at least 5 steps); S steps per
                      round, or calibrated to R seconds when S is 0
          round       reset, then time the round's steps
          quit

Variants: eager (the model as written), channels_last (model and batch in
NHWC), onednn_linear (PyTorch 1.13: nn.Linear through aten::mkldnn_linear),
compile (torch.compile of model + loss; SGD eager), compile_step (that, and
torch.compile of the optimizer step: the whole step compiled).

A step is what a user's loop does: zero_grad, forward, CrossEntropyLoss,
backward, SGD(lr 0.05, momentum 0.9).step, in model.train(). Each round
starts from the initial state: parameters and buffers copied back in place
and SGD's momentum zeroed in place, which is what a fresh optimizer's first
step computes, without giving torch.compile a new object to recompile for.
"""
import argparse
import json
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tests", "golden"))

LR, MOMENTUM = 0.05, 0.9
MEAN, STD = 0.2860, 0.3530
VARIANTS = ["eager", "channels_last", "onednn_linear", "compile",
            "compile_step"]


def onednn_linear_class():
    """nn.Linear whose forward and backward run through oneDNN.

    Debian's torch 1.13 sends F.linear (addmm) to the netlib reference BLAS.
    aten::mkldnn_linear runs the matmul through oneDNN and has an autograd
    formula (input and weight gradients through oneDNN too); it wants an
    MKLDNN-layout input, while weight, bias and their gradients stay dense,
    so torch.optim.SGD is unchanged. (torch.utils.mkldnn.to_mkldnn(model) is
    inference-only.)
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
    from torch import nn
    for name, child in module.named_children():
        if type(child) is nn.Linear:
            setattr(module, name, cls(child.in_features, child.out_features,
                                      bias=child.bias is not None))
        else:
            convert_linears(child, cls)
    return module


def write_init(args):
    import torch
    import safetensors_io
    import workloads
    module_cls, _, input_shape = workloads.WORKLOADS[args.workload]
    torch.manual_seed(args.seed)
    model = module_cls()
    gen = torch.Generator().manual_seed(args.seed + 1)
    tensors = {"model." + k: v for k, v in model.state_dict().items()}
    tensors["batch.input"] = (torch.rand((args.batch,) + tuple(input_shape),
                                         generator=gen) - MEAN) / STD
    tensors["batch.target"] = torch.randint(0, 10, (args.batch,),
                                            generator=gen)
    safetensors_io.write(args.write_init + ".tmp", tensors)
    os.replace(args.write_init + ".tmp", args.write_init)


class Contender:
    def __init__(self, args):
        import torch
        import safetensors_io
        import workloads
        self.torch, self.io = torch, safetensors_io
        self.batch = args.batch
        torch.set_num_threads(args.threads)
        module_cls, _, _ = workloads.WORKLOADS[args.workload]
        model = module_cls()
        if args.variant == "onednn_linear":
            model = convert_linears(model, onednn_linear_class())
        init = safetensors_io.read(args.init)
        self.x, self.y = init.pop("batch.input"), init.pop("batch.target")
        model.load_state_dict({k[len("model."):]: v for k, v in init.items()})
        if args.variant == "channels_last":
            model = model.to(memory_format=torch.channels_last)
            self.x = self.x.contiguous(memory_format=torch.channels_last)
        model.train()
        self.model = model
        self.initial = {k: v.clone() for k, v in model.state_dict().items()}
        self.opt = torch.optim.SGD(model.parameters(), lr=LR,
                                   momentum=MOMENTUM)
        criterion = torch.nn.CrossEntropyLoss()

        def forward_loss(x, y):
            return criterion(model(x), y)

        self.forward_loss = forward_loss
        self.opt_step = self.opt.step
        if args.variant in ("compile", "compile_step"):
            self.forward_loss = torch.compile(forward_loss)
        if args.variant == "compile_step":
            # PyTorch's recipe for a compiled optimizer ("Compiling the
            # optimizer", pytorch.org tutorials): compile a function that
            # calls step().
            @torch.compile(fullgraph=False)
            def opt_step():
                self.opt.step()
            self.opt_step = opt_step
        self.steps = 10

    def reset(self):
        torch = self.torch
        with torch.no_grad():
            for k, v in self.model.state_dict().items():
                v.copy_(self.initial[k])
            for state in self.opt.state.values():
                buf = state.get("momentum_buffer")
                if buf is not None:
                    buf.zero_()

    def step(self):
        self.opt.zero_grad()
        loss = self.forward_loss(self.x, self.y)
        loss.backward()
        self.opt_step()
        return loss

    def check(self, out):
        self.reset()
        start = time.perf_counter()
        loss = self.step()
        seconds = time.perf_counter() - start
        tensors = {name: p.grad for name, p in self.model.named_parameters()}
        tensors["loss"] = loss.detach().reshape(1)
        self.io.write(out + ".tmp", tensors)
        os.replace(out + ".tmp", out)
        return {"loss": loss.item(), "first_step_seconds": seconds}

    def warmup(self, seconds, round_seconds, steps):
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
        return {"steps": self.steps, "warmup_steps": len(times),
                "median_step_seconds": per_step}

    def round(self):
        self.reset()
        start = time.perf_counter()
        for _ in range(self.steps):
            loss = self.step()
        seconds = time.perf_counter() - start
        return {"steps": self.steps, "seconds": seconds,
                "images_per_s": self.steps * self.batch / seconds,
                "loss": loss.item()}


def serve(args):
    # The protocol gets a private copy of stdout; whatever PyTorch or
    # Inductor prints goes to stderr, so it can never corrupt a reply.
    reply_fd = os.dup(1)
    os.dup2(2, 1)
    replies = os.fdopen(reply_fd, "w", buffering=1)

    def send(obj):
        replies.write(json.dumps(obj) + "\n")

    try:
        c = Contender(args)
    except Exception as e:  # reported, and the contender left out
        send({"error": f"{type(e).__name__}: {e}"})
        return 1
    import torch
    send({"ready": True, "torch": torch.__version__,
          "threads": torch.get_num_threads(), "variant": args.variant,
          "python": sys.executable})
    for line in sys.stdin:
        cmd = line.split()
        if not cmd:
            continue
        try:
            if cmd[0] == "quit":
                break
            elif cmd[0] == "check":
                send(c.check(cmd[1]))
            elif cmd[0] == "warmup":
                send(c.warmup(float(cmd[1]), float(cmd[2]), int(cmd[3])))
            elif cmd[0] == "round":
                send(c.round())
            else:
                send({"error": f"unknown command {cmd[0]!r}"})
        except Exception as e:
            send({"error": f"{type(e).__name__}: {e}"})
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--workload", required=True)
    p.add_argument("--batch", type=int, required=True)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--write-init", metavar="FILE")
    p.add_argument("--init", metavar="FILE")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--variant", choices=VARIANTS, default="eager")
    args = p.parse_args()
    if args.write_init:
        write_init(args)
        return 0
    if not args.init:
        p.error("--init or --write-init is required")
    return serve(args)


if __name__ == "__main__":
    sys.exit(main())

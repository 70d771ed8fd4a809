"""One Fashion-MNIST epoch in PyTorch, as a user writes it (for epoch_bench.py).

Runs with the Python of the PyTorch to measure (torch2_env.py's for 2.x):

    python torch_epoch.py --workload cnn --data /usr/share/datasets/fashion-mnist

A Dataset over the IDX files whose __getitem__ does what torchvision's
ToTensor() + Normalize((0.2860,), (0.3530,)) do to one image (without the
PIL round trip torchvision's FashionMNIST adds, so PyTorch gets the faster
path), a DataLoader(batch_size=64, shuffle=True, num_workers=W), SGD(lr 0.05,
momentum 0.9), and evaluation on the 10,000 test images in batches of 1000
under model.eval() and torch.no_grad(), as `nncc train` does.

First a short trial of each configuration (eager and torch.compile of model
+ loss; 0 to nproc loader workers) after a warm-up that includes any
compilation; then one full epoch and evaluation with the fastest, from the
initial weights (copied back in place, so a compiled model is not compiled
again). Prints one JSON document.
"""
import argparse
import gzip
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tests", "golden"))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch.utils.data import DataLoader, Dataset  # noqa: E402

import workloads  # noqa: E402

MEAN, STD = 0.2860, 0.3530


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big")
             for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims
                         ).reshape(shape)


class FashionMNIST(Dataset):
    def __init__(self, root, train):
        prefix = "train" if train else "t10k"
        self.images = torch.from_numpy(read_idx(os.path.join(
            root, f"{prefix}-images-idx3-ubyte.gz")).copy())
        self.labels = torch.from_numpy(read_idx(os.path.join(
            root, f"{prefix}-labels-idx1-ubyte.gz")).astype(np.int64))

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        x = self.images[i].unsqueeze(0).float().div(255)  # ToTensor()
        return (x - MEAN) / STD, self.labels[i]            # Normalize


class Run:
    def __init__(self, workload, compiled, seed):
        torch.manual_seed(seed)
        self.model = workloads.WORKLOADS[workload][0]()
        self.initial = {k: v.clone() for k, v in
                        self.model.state_dict().items()}
        self.opt = torch.optim.SGD(self.model.parameters(), lr=0.05,
                                   momentum=0.9)
        criterion = torch.nn.CrossEntropyLoss()
        model = self.model

        def forward_loss(x, y):
            logits = model(x)
            return criterion(logits, y), logits

        self.forward_loss = torch.compile(forward_loss) if compiled \
            else forward_loss

    def reset(self):
        with torch.no_grad():
            for k, v in self.model.state_dict().items():
                v.copy_(self.initial[k])
            for state in self.opt.state.values():
                if state.get("momentum_buffer") is not None:
                    state["momentum_buffer"].zero_()

    def train(self, loader, max_steps=None, skip=0):
        """Trains over `loader`; returns (seconds after `skip` steps, samples
        after `skip`, mean loss, accuracy)."""
        self.model.train()
        total_loss, correct, samples, steps = 0.0, 0, 0, 0
        start, timed = time.perf_counter(), 0
        for x, y in loader:
            if steps == skip:
                start, timed = time.perf_counter(), 0
            self.opt.zero_grad()
            loss, logits = self.forward_loss(x, y)
            loss.backward()
            self.opt.step()
            total_loss += loss.item() * len(y)
            correct += int((logits.argmax(1) == y).sum())
            samples += len(y)
            timed += len(y) if steps >= skip else 0
            steps += 1
            if max_steps and steps >= max_steps:
                break
        return (time.perf_counter() - start, timed, total_loss / samples,
                correct / samples)

    def evaluate(self, loader):
        self.model.eval()
        total_loss, correct, samples = 0.0, 0, 0
        start = time.perf_counter()
        with torch.no_grad():
            for x, y in loader:
                loss, logits = self.forward_loss(x, y)
                total_loss += loss.item() * len(y)
                correct += int((logits.argmax(1) == y).sum())
                samples += len(y)
        return time.perf_counter() - start, total_loss / samples, \
            correct / samples


def loader(dataset, workers, seed, batch, shuffle=True):
    g = torch.Generator().manual_seed(seed)
    return DataLoader(dataset, batch_size=batch, shuffle=shuffle,
                      num_workers=workers, generator=g,
                      persistent_workers=False)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--workload", required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--trial-steps", type=int, default=150)
    p.add_argument("--warmup-steps", type=int, default=20)
    args = p.parse_args()
    start = time.perf_counter()
    train = FashionMNIST(args.data, True)
    test = FashionMNIST(args.data, False)
    load_seconds = time.perf_counter() - start

    trials, runs = [], {}
    for compiled in (False, True):
        t = time.perf_counter()
        run = Run(args.workload, compiled, args.seed)
        runs[compiled] = run
        for workers in range(0, (os.cpu_count() or 1) + 1):
            run.reset()
            seconds, samples, _, _ = run.train(
                loader(train, workers, args.seed, args.batch),
                max_steps=args.warmup_steps + args.trial_steps,
                skip=args.warmup_steps)
            trial = {"compiled": compiled, "workers": workers,
                     "images_per_s": samples / seconds}
            if workers == 0:
                # The first trial's warm-up holds the compilation.
                trial["first_trial_seconds"] = time.perf_counter() - t
            trials.append(trial)
    best = max(trials, key=lambda r: r["images_per_s"])
    run = runs[best["compiled"]]
    run.reset()
    seconds, samples, train_loss, train_acc = run.train(
        loader(train, best["workers"], args.seed, args.batch))
    eval_seconds, test_loss, test_acc = run.evaluate(
        loader(test, best["workers"], args.seed, 1000, shuffle=False))
    json.dump({"torch": torch.__version__, "threads": torch.get_num_threads(),
               "dataset_load_seconds": load_seconds, "trials": trials,
               "chosen": {"compiled": best["compiled"],
                          "workers": best["workers"]},
               "epoch_seconds": seconds, "images_per_s": samples / seconds,
               "eval_seconds": eval_seconds, "train_loss": train_loss,
               "train_accuracy": train_acc, "test_loss": test_loss,
               "test_accuracy": test_acc,
               "process_seconds": time.perf_counter() - start},
              sys.stdout)
    print()


if __name__ == "__main__":
    main()

"""Comparisons shared by the golden and finite-difference tests: each check
prints one line (ok / FAIL / XFAIL / XPASS and the error), failures are
collected, and known compiler bugs are expected failures listed by check-name
prefix (a glob) with the reason (printed, so the log says why a case is tolerated) and
an optional bound: an expected failure whose error exceeds its bound fails
anyway, so that a listed bug cannot hide a worse one."""
import fnmatch
import gzip
import os
import struct

import torch

# Relative tolerance of the golden tests: f32 kernels that sum in another
# order than PyTorch's differ by a few ulps of the largest term; 1e-4
# relative to the largest magnitude of the reference tensor leaves room for
# sums of a few thousand terms without hiding a wrong index or a missing term.
RTOL = 1e-4


class Checker:
    def __init__(self, xfail=None):
        self.failures = []
        self.xfail = dict(xfail or {})
        self.xfailed = []
        self.xpassed = []
        self.max_err = {}  # group -> (error, check name)
        self.count = 0

    def _expected(self, what):
        for pattern, reason in self.xfail.items():
            if fnmatch.fnmatchcase(what, pattern + "*"):
                return reason if isinstance(reason, tuple) else (reason, None)
        return None, None

    def record(self, what, err, ok, detail="", group=None):
        self.count += 1
        reason, bound = self._expected(what)
        if reason is not None and bound is not None and not ok \
                and err > bound:
            detail = f"{detail}, above the known bug's bound {bound:.0e}"
            reason = None
        if reason is None:
            status = "ok" if ok else "FAIL"
            if not ok:
                self.failures.append(f"{what}: {detail or f'error {err:.2e}'}")
        else:
            status = "XPASS" if ok else "XFAIL"
            (self.xpassed if ok else self.xfailed).append(
                f"{what}: {reason}")
        print(f"{status:5} {what:60} {detail or f'err {err:.2e}'}")
        if group is not None and reason is None:
            best = self.max_err.get(group)
            if best is None or err > best[0]:
                self.max_err[group] = (err, what)
        return ok

    def close(self, what, ours, ref, rtol=RTOL, atol_scale=None, group=None,
              note=""):
        """max|ours - ref| / max|ref| <= rtol, or, where `atol_scale` is given
        (a tensor whose exact value is zero in theory, so that relative error
        means nothing), max|ours - ref| <= rtol * atol_scale."""
        ours = torch.as_tensor(ours).to(torch.float64)
        ref = torch.as_tensor(ref).to(torch.float64)
        if ours.shape != ref.shape:
            return self.record(what, float("inf"), False,
                               f"shape {list(ours.shape)} vs "
                               f"{list(ref.shape)}", group)
        if not torch.isfinite(ours).all():
            return self.record(what, float("inf"), False,
                               "non-finite values", group)
        diff = (ours - ref).abs().max().item() if ours.numel() else 0.0
        if atol_scale is not None:
            err = diff / max(atol_scale, 1e-30)
            return self.record(what, err, err <= rtol,
                               f"abs err {diff:.2e} = {err:.2e} x scale "
                               f"{atol_scale:.2e} (zero in theory)", group)
        scale = max(ref.abs().max().item() if ref.numel() else 0.0, 1e-12)
        err = diff / scale
        return self.record(what, err, err <= rtol,
                           f"rel err {err:.2e}" + (f" (tol {rtol:.1e}{note})"
                                                   if rtol != RTOL else ""),
                           group)

    def equal(self, what, ours, ref, group=None):
        ok = torch.equal(torch.as_tensor(ours), torch.as_tensor(ref))
        return self.record(what, 0.0 if ok else float("inf"), ok,
                           "equal" if ok else
                           f"differs: {ours!r} vs {ref!r}"[:200], group)

    def check(self, what, ok, detail, group=None):
        return self.record(what, 0.0 if ok else float("inf"), ok, detail,
                           group)

    def summary(self, title):
        if self.max_err:
            print(f"\nlargest error per group ({title}):")
            for group, (err, what) in sorted(self.max_err.items()):
                print(f"  {group:28} {err:.2e}  ({what})")
        for line in self.xfailed:
            print("XFAIL (known bug):", line)
        for line in self.xpassed:
            print("XPASS (fixed? remove from the xfail list):", line)
        if self.failures:
            print("\n".join(["FAILED:"] + self.failures))
            return 1
        print(f"{title}: all {self.count} checks passed"
              + (f" ({len(self.xfailed)} expected failures)"
                 if self.xfailed else ""))
        return 0


def read_idx(path):
    """An IDX file (Fashion-MNIST) as a uint8 image or int64 label tensor."""
    with gzip.open(path, "rb") if path.endswith(".gz") else open(path,
                                                                 "rb") as f:
        data = f.read()
    magic, count = struct.unpack(">II", data[:8])
    if magic == 0x803:
        rows, cols = struct.unpack(">II", data[8:16])
        return torch.frombuffer(bytearray(data[16:]), dtype=torch.uint8
                                ).reshape(count, 1, rows, cols)
    return torch.frombuffer(bytearray(data[8:]),
                            dtype=torch.uint8).to(torch.int64)


def write_idx(path, tensor):
    """Writes uint8 images [count, 1, rows, cols] or int64 labels [count] as
    an uncompressed IDX file (what read_idx and the runtime's loader read)."""
    if tensor.dim() == 4:
        count, _, rows, cols = tensor.shape
        header = struct.pack(">IIII", 0x803, count, rows, cols)
    else:
        header = struct.pack(">II", 0x801, tensor.shape[0])
    with open(path, "wb") as f:
        f.write(header + tensor.to(torch.uint8).contiguous().numpy().tobytes())


def fashion_mnist_subset(data_dir, out_dir, train_count=None, test_count=100):
    """A Fashion-MNIST directory with the first `test_count` test images and
    the first `train_count` training images (all of them, linked, if None):
    `nncc train` evaluates the whole test set after training, which the
    golden tests do not need 10,000 images for."""
    os.makedirs(out_dir, exist_ok=True)
    for split, count in (("train", train_count), ("t10k", test_count)):
        for kind in ("images-idx3-ubyte", "labels-idx1-ubyte"):
            name = f"{split}-{kind}"
            for stale in (name, name + ".gz"):
                if os.path.lexists(os.path.join(out_dir, stale)):
                    os.remove(os.path.join(out_dir, stale))
            source = os.path.join(data_dir, name + ".gz")
            if count is None:
                os.symlink(os.path.abspath(source),
                           os.path.join(out_dir, name + ".gz"))
            else:
                write_idx(os.path.join(out_dir, name),
                          read_idx(source)[:count])
    return out_dir


def fashion_mnist(data_dir, split, count, mean=0.2860, std=0.3530):
    """The first `count` images of a split, normalised as `nncc train` does,
    and their labels."""
    prefix = "train" if split == "train" else "t10k"
    images = read_idx(os.path.join(data_dir, f"{prefix}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(data_dir, f"{prefix}-labels-idx1-ubyte.gz"))
    x = (images[:count].float() / 255 - mean) / std
    return x, labels[:count]

"""Compiles a model.nn into a shared library and calls its entry points from
Python, so that a test evaluates a model thousands of times in one process.

    model = nncc_model.compile_model("m.nn", workdir, nncc="build/bin/nncc")
    out = model.train_step(state_dict, x, y, seed=0)
    out.loss, out.logits, out.grads["fc.weight"], out.buffers["bn.running_mean"]

The library is `nncc m.nn --prefix=model -o model.o` linked with a C file
that exports `nncc_model_info()`, the header's `model_model`; everything else
(tensor tables, sizes, entry points) is read from that struct through ctypes,
so the ABI of runtime/include/nncc/abi.h is the only thing mirrored here.
`Model.train_cli` runs the runtime's generic trainer linked against the same
object: what `nncc train` does (tools/nncc/Train.cpp), without compiling the
model a second time.

Compiled models are cached under `cache_dir` by a hash of the nncc binary,
the runtime library and the source, behind a file lock, so that lit tests
running side by side compile each model once.
"""
import ctypes
import fcntl
import hashlib
import os
import shutil
import subprocess
import tempfile
import time

import numpy as np
import torch

ABI_GUARD = "NNCC_ABI_V4"
F32, I64 = 0, 1

_SHIM = """#include "model.h"
#if !defined(%s)
#error "nncc_model.py mirrors ABI v4; update it with runtime/include/nncc/abi.h"
#endif
const nncc_model *nncc_model_info(void) { return &model_model; }
""" % ABI_GUARD

_TRAIN_MAIN = """#include "model.h"
#include <nncc/train.h>
int main(int argc, char **argv) { return nncc_train_main(&model_model, argc, argv); }
"""


class _TensorInfo(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("rank", ctypes.c_int32),
                ("shape", ctypes.c_int64 * 4), ("offset", ctypes.c_int64),
                ("numel", ctypes.c_int64), ("init", ctypes.c_int32),
                ("fan_in", ctypes.c_int64), ("fan_out", ctypes.c_int64),
                ("frozen", ctypes.c_int32), ("dtype", ctypes.c_int32),
                ("init_param", ctypes.c_double)]


# Every entry point takes an execution context after the workspace; these
# calls pass NULL, which runs the step on the calling thread (the thread
# count never changes results: tests/golden/threads.test checks that).
_P = ctypes.c_void_p
_TRAIN = ctypes.CFUNCTYPE(None, _P, _P, _P, _P, _P, ctypes.c_int64,
                          ctypes.c_uint64, _P, _P, _P, _P)
_EVAL = ctypes.CFUNCTYPE(None, _P, _P, _P, _P, ctypes.c_int64, _P, _P, _P,
                         _P)
_PREDICT = ctypes.CFUNCTYPE(None, _P, _P, _P, ctypes.c_int64, _P, _P, _P)
_WORKSPACE = ctypes.CFUNCTYPE(ctypes.c_size_t, ctypes.c_int64, ctypes.c_int32)
_PROBE = ctypes.CFUNCTYPE(None, _P, _P, _P, _P, ctypes.c_int64,
                          ctypes.c_uint64, _P, _P, _P)


class _ModelInfo(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("input_rank", ctypes.c_int32),
                ("input_shape", ctypes.c_int64 * 4),
                ("num_classes", ctypes.c_int64),
                ("params", ctypes.POINTER(_TensorInfo)),
                ("num_params", ctypes.c_int32),
                ("param_count", ctypes.c_int64),
                ("has_dropout", ctypes.c_int32),
                ("buffers", ctypes.POINTER(_TensorInfo)),
                ("num_buffers", ctypes.c_int32),
                ("buffer_count", ctypes.c_int64),
                ("train_step", _TRAIN), ("eval_step", _EVAL),
                ("predict", _PREDICT), ("workspace_size", _WORKSPACE),
                ("probe", _PROBE), ("num_probes", ctypes.c_int32),
                ("probe_names", ctypes.POINTER(ctypes.c_char_p)),
                ("target_cpu", ctypes.c_char_p),
                ("target_features", ctypes.c_char_p)]


class TensorInfo:
    """One row of a tensor table: name, shape, offset in 4-byte slots."""

    def __init__(self, raw):
        self.name = raw.name.decode()
        self.shape = tuple(raw.shape[i] for i in range(raw.rank))
        self.offset = raw.offset
        self.numel = raw.numel
        self.frozen = bool(raw.frozen)
        self.dtype = torch.int64 if raw.dtype == I64 else torch.float32
        self.slots = raw.numel * (2 if raw.dtype == I64 else 1)

    def __repr__(self):
        return f"{self.name}{list(self.shape)}@{self.offset}"


def aligned_empty(count, dtype=np.float32, align=64):
    """A zeroed numpy array of `count` elements whose data is `align`-aligned."""
    itemsize = np.dtype(dtype).itemsize
    raw = np.zeros(count * itemsize + align, dtype=np.uint8)
    start = (-raw.ctypes.data) % align
    return raw[start:start + count * itemsize].view(dtype)


def _ptr(a):
    return ctypes.c_void_p(a.ctypes.data)


class StepResult:
    def __init__(self, loss, logits, grads=None, buffers=None):
        self.loss = loss          # python float
        self.logits = logits      # torch [batch, classes]
        self.grads = grads        # {name: torch tensor}
        self.buffers = buffers    # {name: torch tensor}, updated in place


class Model:
    """A compiled model: tensor tables and numpy/torch-friendly entry points.

    Where a method takes `params` or `buffers` it accepts either a dict of
    tensors by state_dict name (a state_dict works for both) or a flat array
    from `flat_params` / `flat_buffers`."""

    def __init__(self, lib_path, trainer_path=None):
        self.lib_path = lib_path
        self.trainer_path = trainer_path
        self._lib = ctypes.CDLL(lib_path)
        self._lib.nncc_model_info.restype = ctypes.POINTER(_ModelInfo)
        info = self._lib.nncc_model_info().contents
        self._info = info
        self.name = info.name.decode()
        self.input_shape = tuple(info.input_shape[i]
                                 for i in range(info.input_rank))
        self.num_classes = info.num_classes
        self.params = [TensorInfo(info.params[i])
                       for i in range(info.num_params)]
        self.buffers = [TensorInfo(info.buffers[i])
                        for i in range(info.num_buffers)]
        self.param_count = info.param_count
        self.buffer_count = info.buffer_count
        self.has_dropout = bool(info.has_dropout)
        self._workspaces = {}

    # -- flat arrays --------------------------------------------------------

    def flat_params(self, tensors):
        """The flat parameter array for {name: tensor} (every parameter)."""
        if isinstance(tensors, np.ndarray):
            return tensors
        flat = aligned_empty(max(self.param_count, 1))
        for p in self.params:
            t = torch.as_tensor(tensors[p.name]).detach()
            if tuple(t.shape) != p.shape:
                raise ValueError(f"{p.name}: shape {list(t.shape)}, "
                                 f"model expects {list(p.shape)}")
            flat[p.offset:p.offset + p.numel] = \
                t.to(torch.float32).reshape(-1).numpy()
        return flat

    def flat_buffers(self, tensors):
        """The flat buffer array for {name: tensor} (every buffer)."""
        if isinstance(tensors, np.ndarray):
            return tensors
        # One spare slot: a model without buffers still gets a valid pointer.
        flat = aligned_empty(self.buffer_count + 1)
        for b in self.buffers:
            t = torch.as_tensor(tensors[b.name]).detach()
            if tuple(t.shape) != b.shape:
                raise ValueError(f"{b.name}: shape {list(t.shape)}, "
                                 f"model expects {list(b.shape)}")
            raw = t.to(b.dtype).reshape(-1).numpy().view(np.float32)
            flat[b.offset:b.offset + b.slots] = raw
        return flat

    def unpack_params(self, flat):
        """{name: torch tensor} (copies) from a flat parameter/grad array."""
        return {p.name: torch.from_numpy(
            flat[p.offset:p.offset + p.numel].copy()).reshape(p.shape)
            for p in self.params}

    def unpack_buffers(self, flat):
        out = {}
        for b in self.buffers:
            raw = flat[b.offset:b.offset + b.slots].copy()
            if b.dtype == torch.int64:
                raw = raw.view(np.int64)
            out[b.name] = torch.from_numpy(raw).reshape(b.shape)
        return out

    # -- entry points -------------------------------------------------------

    def _workspace(self, batch):
        if batch not in self._workspaces:
            size = self._info.workspace_size(batch, 1)
            self._workspaces[batch] = aligned_empty(max(size, 64), np.uint8)
        return self._workspaces[batch]

    def _input(self, x):
        x = np.ascontiguousarray(
            x.detach().numpy() if torch.is_tensor(x) else x, dtype=np.float32)
        if tuple(x.shape[1:]) != self.input_shape:
            raise ValueError(f"input shape {list(x.shape)}, model expects "
                             f"[N, {', '.join(map(str, self.input_shape))}]")
        return x, x.shape[0]

    @staticmethod
    def _target(y):
        return np.ascontiguousarray(
            y.numpy() if torch.is_tensor(y) else y, dtype=np.int64)

    def train_step(self, params, x, y, seed=0, buffers=None):
        """Training mode: loss, logits, gradients and the updated buffers.
        `buffers` (dict or flat array) is not modified; a flat array passed
        in is copied first."""
        x, n = self._input(x)
        y = self._target(y)
        p = self.flat_params(params)
        b = self.flat_buffers(buffers if buffers is not None else {}) \
            if not isinstance(buffers, np.ndarray) else buffers.copy()
        grads = aligned_empty(max(self.param_count, 1))
        logits = np.zeros((n, self.num_classes), dtype=np.float32)
        loss = np.zeros(1, dtype=np.float32)
        self._info.train_step(_ptr(p), _ptr(grads), _ptr(b), _ptr(x), _ptr(y),
                              n, seed, _ptr(self._workspace(n)), None,
                              _ptr(loss), _ptr(logits))
        return StepResult(float(loss[0]), torch.from_numpy(logits),
                          self.unpack_params(grads), self.unpack_buffers(b))

    def probe(self, params, x, y, seed=0, buffers=None):
        """Non-finite values in each layer's training-mode output, as
        [(layer name, count)] in graph order."""
        x, n = self._input(x)
        y = self._target(y)
        p = self.flat_params(params)
        b = self.flat_buffers(buffers if buffers is not None else {}) \
            if not isinstance(buffers, np.ndarray) else buffers.copy()
        counts = np.zeros(self._info.num_probes, dtype=np.float32)
        self._info.probe(_ptr(p), _ptr(b), _ptr(x), _ptr(y), n, seed,
                         _ptr(self._workspace(n)), None, _ptr(counts))
        return [(self._info.probe_names[i].decode(), int(counts[i]))
                for i in range(self._info.num_probes)]

    def train_loss(self, params, x, y, seed=0, buffers=None):
        """Only the training-mode loss (for finite differences)."""
        return self.train_step(params, x, y, seed, buffers).loss

    def eval_step(self, params, x, y, buffers=None):
        """Eval mode (running statistics, no dropout): loss and logits."""
        x, n = self._input(x)
        y = self._target(y)
        p = self.flat_params(params)
        b = self.flat_buffers(buffers if buffers is not None else {})
        logits = np.zeros((n, self.num_classes), dtype=np.float32)
        loss = np.zeros(1, dtype=np.float32)
        self._info.eval_step(_ptr(p), _ptr(b), _ptr(x), _ptr(y), n,
                             _ptr(self._workspace(n)), None, _ptr(loss),
                             _ptr(logits))
        return StepResult(float(loss[0]), torch.from_numpy(logits))

    def predict(self, params, x, buffers=None):
        """Eval-mode logits."""
        x, n = self._input(x)
        p = self.flat_params(params)
        b = self.flat_buffers(buffers if buffers is not None else {})
        logits = np.zeros((n, self.num_classes), dtype=np.float32)
        self._info.predict(_ptr(p), _ptr(b), _ptr(x), n,
                           _ptr(self._workspace(n)), None, _ptr(logits))
        return torch.from_numpy(logits)

    def train_cli(self, args, **kwargs):
        """Runs the runtime's trainer (`nncc train`'s flags after MODEL.nn)."""
        if not self.trainer_path:
            raise RuntimeError("compile_model(..., trainer=True) builds it")
        # argv[0] as `nncc train` passes it, so messages read the same.
        return subprocess.run(["nncc train"] + list(args),
                              executable=self.trainer_path, check=True,
                              **kwargs)


_hash_memo = {}


def _file_hash(path):
    if path not in _hash_memo:
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        _hash_memo[path] = h.hexdigest()
    return _hash_memo[path]


def _run(cmd, what):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if r.returncode != 0:
        raise RuntimeError(f"{what} failed ({' '.join(cmd)}):\n"
                           + r.stdout.decode(errors="replace"))


def _build(source_path, out_dir, nncc, runtime_include, runtime_lib, trainer):
    obj = os.path.join(out_dir, "model.o")
    _run([nncc, source_path, "--prefix=model", "-o", obj], "nncc")
    shim = os.path.join(out_dir, "shim.c")
    with open(shim, "w") as f:
        f.write(_SHIM)
    cc = os.environ.get("CC", "cc")
    _run([cc, "-shared", "-fPIC", "-O1", "-I", out_dir, shim, obj, "-lm",
          "-o", os.path.join(out_dir, "libmodel.so")], "linking the model")
    if trainer:
        main = os.path.join(out_dir, "train_main.c")
        with open(main, "w") as f:
            f.write(_TRAIN_MAIN)
        _run([cc, "-std=c11", "-O2", "-I", out_dir, "-I", runtime_include,
              "-c", main, "-o", os.path.join(out_dir, "train_main.o")],
             "compiling the trainer")
        _run([os.environ.get("CXX", "c++"),
              os.path.join(out_dir, "train_main.o"), obj, runtime_lib, "-lz",
              "-lpthread", "-lm", "-o", os.path.join(out_dir, "train")],
             "linking the trainer")


def _prune(cache_dir, name, keep):
    """Removes this model's entries from older compilers (an hour unused)."""
    now = time.time()
    for entry in os.listdir(cache_dir):
        path = os.path.join(cache_dir, entry)
        if (entry.startswith(name + "-") and entry != keep
                and "." not in entry and len(entry) == len(keep)
                and now - os.path.getmtime(path) > 3600):
            shutil.rmtree(path, ignore_errors=True)
            if os.path.exists(path + ".lock"):
                os.remove(path + ".lock")


def compile_model(source, workdir, nncc, name=None, cache_dir=None,
                  trainer=False, runtime_lib=None, runtime_include=None):
    """Compiles `source` (a path to a .nn file, or the text of one when it
    contains a newline) and loads it. `trainer=True` also links the runtime's
    trainer (needs runtime_lib and runtime_include)."""
    if "\n" in source:
        text = source
        name = name or "model"
        source_path = os.path.join(workdir, name + ".nn")
        os.makedirs(workdir, exist_ok=True)
        with open(source_path, "w") as f:
            f.write(text)
    else:
        source_path = source
        with open(source_path) as f:
            text = f.read()
        name = name or os.path.splitext(os.path.basename(source))[0]
    key = hashlib.sha256()
    for part in (_SHIM, _TRAIN_MAIN if trainer else "", _file_hash(nncc),
                 _file_hash(runtime_lib) if trainer else "", text):
        key.update(part.encode() + b"\0")
    key = name + "-" + key.hexdigest()[:16]

    if cache_dir is None:
        out_dir = os.path.join(workdir, name)
        shutil.rmtree(out_dir, ignore_errors=True)
        os.makedirs(out_dir)
        _build(source_path, out_dir, nncc, runtime_include, runtime_lib,
               trainer)
    else:
        os.makedirs(cache_dir, exist_ok=True)
        out_dir = os.path.join(cache_dir, key)
        with open(out_dir + ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if os.path.exists(os.path.join(out_dir, "libmodel.so")):
                os.utime(out_dir)  # in use: see _prune
            else:
                tmp = tempfile.mkdtemp(prefix=key + ".", dir=cache_dir)
                try:
                    _build(source_path, tmp, nncc, runtime_include,
                           runtime_lib, trainer)
                    shutil.rmtree(out_dir, ignore_errors=True)
                    os.rename(tmp, out_dir)
                finally:
                    shutil.rmtree(tmp, ignore_errors=True)
                _prune(cache_dir, name, key)
    return Model(os.path.join(out_dir, "libmodel.so"),
                 os.path.join(out_dir, "train") if trainer else None)

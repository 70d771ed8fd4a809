#!/usr/bin/python3
"""The current PyTorch 2.x that bench.py measures against, in a virtual
environment made on demand.

Debian ships PyTorch 1.13; the people nncc is for run a 2.x from PyPI. This
module makes a virtual environment with one pinned PyTorch (and NumPy) under
the user's cache directory, never in the repository or the build tree:

    $XDG_CACHE_HOME/nncc/bench/wheels/            downloaded wheels (reused)
    $XDG_CACHE_HOME/nncc/bench/torch-<version>/   the environment

PyPI's Linux `torch` wheel is the CUDA build: with its NVIDIA packages the
download is about 3 GB and the environment about 5 GB. The wheels are
downloaded once into the wheel directory and installed from there with
--no-index, so a broken or deleted environment is rebuilt without the
network. Inductor (torch.compile on the CPU) compiles C++ against Python.h
with the machine's g++: Debian's python3-venv and python3-dev (see
`make bench-deps`).

    /usr/bin/python3 bench/torch2_env.py          # make it (idempotent)
    /usr/bin/python3 bench/torch2_env.py --print  # its python, or why not

Only the benchmark uses this; `make check` never does.
"""
import argparse
import fcntl
import json
import os
import shutil
import subprocess
import sys

# One version, recorded in every result. torchvision is not needed: the epoch
# benchmark reads Fashion-MNIST's IDX files itself.
TORCH_VERSION = "2.15.0"
REQUIREMENTS = [f"torch=={TORCH_VERSION}", "numpy==2.4.6"]


def cache_root():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(
        os.path.expanduser("~"), ".cache")
    return os.path.join(base, "nncc", "bench")


def env_dir():
    return os.path.join(cache_root(), f"torch-{TORCH_VERSION}")


def env_python():
    return os.path.join(env_dir(), "bin", "python")


def _marker():
    # Written last: an environment without it is half-made and is rebuilt.
    return os.path.join(env_dir(), "nncc-bench-ready.json")


def _ready():
    try:
        with open(_marker()) as f:
            return json.load(f).get("requirements") == REQUIREMENTS
    except (OSError, ValueError):
        return False


def _run(cmd, log):
    """Runs cmd with its output to `log`; returns the last lines on failure."""
    with open(log, "a") as out:
        out.write("$ " + " ".join(cmd) + "\n")
        out.flush()
        rc = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT).returncode
    if rc == 0:
        return None
    with open(log) as f:
        tail = [l.strip() for l in f.readlines()[-200:] if l.strip()]
    # pip's own diagnosis is usually the last "ERROR:" line.
    errors = [l for l in tail if l.startswith("ERROR")]
    return (errors or tail or ["exit code %d" % rc])[-1]


def ensure(quiet=False):
    """Returns (python, None) for a ready environment, else (None, reason).

    Safe when two benchmarks start at once: one makes the environment under
    an exclusive lock while the other waits for it.
    """
    if _ready():
        return env_python(), None
    root = cache_root()
    wheels = os.path.join(root, "wheels")
    try:
        os.makedirs(wheels, exist_ok=True)
    except OSError as e:
        return None, f"cannot create {root}: {e.strerror}"
    log = os.path.join(root, "setup.log")
    with open(os.path.join(root, ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _ready():
            return env_python(), None
        if not quiet:
            print(f"bench: making the PyTorch {TORCH_VERSION} environment in "
                  f"{env_dir()} (once; about 3 GB of wheels, log in {log})",
                  flush=True)
        shutil.rmtree(env_dir(), ignore_errors=True)
        if _run([sys.executable, "-m", "venv", env_dir()], log):
            return None, ("python3 -m venv failed (Debian needs python3-venv: "
                          "make bench-deps)")
        pip = [env_python(), "-m", "pip", "--disable-pip-version-check"]
        # Download what is missing into the wheel directory, then install from
        # it alone, so that a later rebuild needs no network.
        have_all = _run(pip + ["install", "--dry-run", "--no-index",
                               "--find-links", wheels] + REQUIREMENTS,
                        log) is None
        if not have_all:
            err = _run(pip + ["download", "--dest", wheels, "--find-links",
                              wheels] + REQUIREMENTS, log)
            if err:
                shutil.rmtree(env_dir(), ignore_errors=True)
                return None, f"cannot download PyTorch {TORCH_VERSION} " \
                             f"from PyPI ({err})"
        err = _run(pip + ["install", "--no-index", "--find-links", wheels] +
                   REQUIREMENTS, log)
        if err:
            return None, f"cannot install PyTorch {TORCH_VERSION} ({err})"
        probe = subprocess.run(
            [env_python(), "-c", "import torch; print(torch.__version__)"],
            capture_output=True, text=True)
        if probe.returncode != 0:
            lines = probe.stderr.strip().splitlines() or ["no output"]
            return None, f"PyTorch {TORCH_VERSION} does not import " \
                         f"({lines[-1]})"
        with open(_marker() + ".tmp", "w") as f:
            json.dump({"requirements": REQUIREMENTS,
                       "torch": probe.stdout.strip()}, f)
        os.replace(_marker() + ".tmp", _marker())
    return env_python(), None


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--print", action="store_true",
                   help="print the environment's python (or why there is "
                        "none) without making it")
    args = p.parse_args()
    if args.print:
        if _ready():
            print(env_python())
            return 0
        print(f"no PyTorch {TORCH_VERSION} environment at {env_dir()} "
              "(make bench-deps)", file=sys.stderr)
        return 1
    python, reason = ensure()
    if python is None:
        print(f"bench: {reason}", file=sys.stderr)
        return 1
    print(python)
    return 0


if __name__ == "__main__":
    sys.exit(main())

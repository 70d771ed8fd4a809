# What a new user types. `make demo` and `make check` work on a fresh Debian 12
# machine: each installs what is missing, builds, then runs.
BUILD   ?= build
PYTHON  ?= /usr/bin/python3
JOBS    ?= $(shell nproc)
DATA    ?= /usr/share/datasets/fashion-mnist
DEBS    := cmake ninja-build g++ llvm-19-dev llvm-19-tools libmlir-19-dev \
           mlir-19-tools libfmt-dev zlib1g-dev libgtest-dev python3 \
           python3-torch python3-torchvision python3-numpy dataset-fashion-mnist \
           clang-format git clang libclang-rt-14-dev chromium valgrind

.PHONY: deps apt-install configure build demo check test clean format bench-deps bench

# The benchmark's rival, PyTorch 2.x from PyPI, in a virtual environment under
# ~/.cache/nncc/bench (bench/torch2_env.py). Only `make bench` needs it.
BENCH_DEBS := python3-venv python3-dev g++

# Idempotent: only calls apt-get when a package is missing.
deps:
	@$(MAKE) --no-print-directory apt-install PKGS="$(DEBS)"

apt-install:
	@missing=$$(for p in $(PKGS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null \
	    | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=$$( [ $$(id -u) -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release

configure: deps $(BUILD)/build.ninja

build: configure
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	$(BUILD)/bin/nncc train examples/mlp.nn --data fashion-mnist=$(DATA) \
	  --epochs 1 --batch 64 --lr 0.05 --momentum 0.9 --seed 0

check: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test: check

bench-deps: deps
	@$(MAKE) --no-print-directory apt-install PKGS="$(BENCH_DEBS)"
	$(PYTHON) bench/torch2_env.py

# nncc against PyTorch 1.13 and 2.x (eager, compiled), batch 64 and 256,
# 1 and 2 threads; bench/README.md says what it measures.
bench: build bench-deps
	$(PYTHON) bench/bench.py --json $(BUILD)/bench.json

format:
	git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD)

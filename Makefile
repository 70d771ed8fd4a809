# What a new user types. `make demo` and `make check` work on a fresh Debian 12
# machine: each installs what is missing, builds, then runs.
BUILD   ?= build
PYTHON  ?= /usr/bin/python3
JOBS    ?= $(shell nproc)
DATA    ?= /usr/share/datasets/fashion-mnist
DEBS    := cmake ninja-build g++ llvm-19-dev llvm-19-tools libmlir-19-dev \
           mlir-19-tools libfmt-dev zlib1g-dev libgtest-dev python3 \
           python3-torch python3-torchvision python3-numpy dataset-fashion-mnist \
           clang-format git clang libclang-rt-14-dev chromium

.PHONY: deps configure build demo check test clean format

# Idempotent: only calls apt-get when a package is missing.
deps:
	@missing=$$(for p in $(DEBS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null \
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

format:
	git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD)

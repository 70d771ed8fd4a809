# The fuzzers, by name: `<name>_fuzzer.cpp` and `corpus/<name>/` each.
set(NNCC_FUZZERS
  frontend
  optimizer_state
  idx
  cifar
  npy
  npz
  png
  checkpoint
)

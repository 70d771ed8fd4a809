# Builds tests/fuzz as a separate clang project (libFuzzer needs clang and its
# runtime: Debian's clang and libclang-rt-dev) and adds one ctest per fuzzer
# that runs it for NNCC_FUZZ_SECONDS over a scratch copy of its seed corpus.
# Without clang the fuzz tests are skipped with a message, not silently.
include(ExternalProject)
find_program(NNCC_FUZZ_CXX NAMES clang++-14 clang++)
set(NNCC_FUZZ_SECONDS 20 CACHE STRING "seconds each fuzzer runs in ctest")

if(NOT NNCC_FUZZ_CXX)
  message(WARNING "clang++ not found: the fuzz tests are not built")
  return()
endif()

set(fuzz_dir ${PROJECT_SOURCE_DIR}/tests/fuzz)
set(fuzz_bin ${CMAKE_CURRENT_BINARY_DIR}/fuzz)
include(${fuzz_dir}/Fuzzers.cmake)
ExternalProject_Add(nncc_fuzzers
  SOURCE_DIR ${fuzz_dir}
  BINARY_DIR ${fuzz_bin}
  CMAKE_ARGS -G Ninja -DCMAKE_CXX_COMPILER=${NNCC_FUZZ_CXX}
             -DCMAKE_BUILD_TYPE=RelWithDebInfo
             -DNNCC_SOURCE_DIR=${PROJECT_SOURCE_DIR}
  INSTALL_COMMAND ""
  BUILD_ALWAYS ON
  USES_TERMINAL_BUILD ON)

foreach(name ${NNCC_FUZZERS})
  set(work ${fuzz_bin}/corpus-work/${name})
  # New inputs go to the scratch directory (the first one); the committed
  # seeds are only read. -timeout catches hangs, -rss_limit_mb unbounded
  # allocation; ASan's leak check runs at exit. A crashing input is saved
  # in the build tree as <name>-crash-<sha1>, to add to the corpus once fixed.
  add_test(NAME fuzz-${name}
           COMMAND sh -c "mkdir -p '${work}' && exec '${fuzz_bin}/${name}_fuzzer' \
-max_total_time=${NNCC_FUZZ_SECONDS} -timeout=10 -rss_limit_mb=2048 \
-print_final_stats=1 -artifact_prefix='${fuzz_bin}/${name}-' \
'${work}' '${fuzz_dir}/corpus/${name}'")
endforeach()

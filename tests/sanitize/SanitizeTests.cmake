# Builds tests/sanitize twice with clang, once with ASan+UBSan and once with
# TSan, and runs the runtime's unit tests in each as one ctest apiece. Without
# clang the sanitizer tests are skipped with a message, not silently.
include(ExternalProject)
find_program(NNCC_SANITIZE_CXX NAMES clang++-14 clang++)
find_program(NNCC_SANITIZE_CC NAMES clang-14 clang)
if(NOT NNCC_SANITIZE_CXX OR NOT NNCC_SANITIZE_CC)
  message(WARNING "clang not found: the sanitizer tests are not built")
  return()
endif()

foreach(kind asan tsan)
  set(bin ${CMAKE_CURRENT_BINARY_DIR}/sanitize-${kind})
  ExternalProject_Add(nncc_sanitize_${kind}
    SOURCE_DIR ${PROJECT_SOURCE_DIR}/tests/sanitize
    BINARY_DIR ${bin}
    CMAKE_ARGS -G Ninja -DCMAKE_CXX_COMPILER=${NNCC_SANITIZE_CXX}
               -DCMAKE_C_COMPILER=${NNCC_SANITIZE_CC}
               -DCMAKE_BUILD_TYPE=RelWithDebInfo
               -DNNCC_SOURCE_DIR=${PROJECT_SOURCE_DIR}
               -DNNCC_SANITIZER=${kind}
    INSTALL_COMMAND ""
    BUILD_ALWAYS ON
    USES_TERMINAL_BUILD ON)
endforeach()

# Reports end the run with a failure; ASan's leak check runs at exit.
add_test(NAME runtime-asan COMMAND ${CMAKE_CURRENT_BINARY_DIR}/sanitize-asan/runtime_test)
set_tests_properties(runtime-asan PROPERTIES ENVIRONMENT
  "ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1;UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1")
add_test(NAME runtime-tsan COMMAND ${CMAKE_CURRENT_BINARY_DIR}/sanitize-tsan/runtime_test)
set_tests_properties(runtime-tsan PROPERTIES ENVIRONMENT
  "TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1")

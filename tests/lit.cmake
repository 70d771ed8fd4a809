# lit + FileCheck suites (Frontend/, Dialect/, Transforms/, Conversion/,
# Pipelines/, e2e/, golden/) run as one ctest entry.
set(NNCC_LIT ${NNCC_LLVM_PREFIX}/build/utils/lit/lit.py)
configure_file(${CMAKE_CURRENT_SOURCE_DIR}/lit.site.cfg.py.in
               ${CMAKE_CURRENT_BINARY_DIR}/lit.site.cfg.py @ONLY)
add_test(NAME lit
         COMMAND /usr/bin/python3 ${NNCC_LIT} -sv ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties(lit PROPERTIES TIMEOUT 3000)

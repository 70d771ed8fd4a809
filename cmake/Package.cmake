# The CMake package `cmake --install` puts under <prefix>/lib/cmake/nncc, so
# that another project can write
#   find_package(nncc REQUIRED)                  # nncc::runtime, nncc::nncc
#   nncc_add_model(my_model model.nn)            # cmake/NnccAddModel.cmake
# The targets themselves are installed next to where they are defined
# (runtime/CMakeLists.txt, tools/nncc/CMakeLists.txt) into the nnccTargets
# export set; this file writes the config and version files around it.
include(CMakePackageConfigHelpers)

set(NNCC_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/nncc)

install(EXPORT nnccTargets NAMESPACE nncc::
        DESTINATION ${NNCC_INSTALL_CMAKEDIR} FILE nnccTargets.cmake)

# Without the compiler (NNCC_BUILD_COMPILER=OFF) the package still gives the
# runtime (the export set then has no nncc::nncc); nncc_add_model then says
# the compiler is missing.
configure_package_config_file(
  ${CMAKE_CURRENT_LIST_DIR}/nnccConfig.cmake.in
  ${PROJECT_BINARY_DIR}/cmake/nnccConfig.cmake
  INSTALL_DESTINATION ${NNCC_INSTALL_CMAKEDIR})
# 0.x: a minor release may change the ABI of generated headers (NNCC_ABI_V*),
# so only the same minor version is compatible.
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/cmake/nnccConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)

install(FILES ${PROJECT_BINARY_DIR}/cmake/nnccConfig.cmake
              ${PROJECT_BINARY_DIR}/cmake/nnccConfigVersion.cmake
              ${CMAKE_CURRENT_LIST_DIR}/NnccAddModel.cmake
        DESTINATION ${NNCC_INSTALL_CMAKEDIR})

# The same package for the build tree, so a project can also use nncc without
# installing it: -Dnncc_DIR=<build>/cmake.
export(EXPORT nnccTargets NAMESPACE nncc::
       FILE ${PROJECT_BINARY_DIR}/cmake/nnccTargets.cmake)
configure_file(${CMAKE_CURRENT_LIST_DIR}/NnccAddModel.cmake
               ${PROJECT_BINARY_DIR}/cmake/NnccAddModel.cmake COPYONLY)

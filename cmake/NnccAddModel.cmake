# nncc_add_model: compile a model.nn at build time into a static library, as
# Halide's add_halide_library does for a generator.
#
#   nncc_add_model(<target> <model.nn>
#                  [TARGET cpu]          # what to generate code for
#                  [PREFIX <name>]       # C symbol prefix (nncc --prefix)
#                  [OPTIONS <flag>...]   # more nncc flags, e.g. -g
#                  [DEPENDS <file>...])  # more files it depends on
#
# runs `nncc <model.nn> -o <bin>/<target>.o --header <bin>/<target>.h ...`
# whenever the model, a file it imports (nncc writes them to a depfile), a
# DEPENDS file or nncc changes, and makes <target> a static library of that
# object whose include directory holds <target>.h and which links
# nncc::runtime (plus libm, which generated code calls). Without
# PREFIX the symbols are nncc's default, the model's name in lower case
# (`model MLP` gives mlp_train_step, mlp_model), the same as by hand.
include_guard(GLOBAL)

# Functions keep the policies in effect where they are defined: paths in the
# depfile are absolute, so CMP0116 NEW (CMake >= 3.20) only silences a warning.
cmake_policy(PUSH)
if(POLICY CMP0116)
  cmake_policy(SET CMP0116 NEW)
endif()

function(nncc_add_model target model)
  cmake_parse_arguments(PARSE_ARGV 2 ARG "" "TARGET;PREFIX" "OPTIONS;DEPENDS")
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "nncc_add_model(${target}): unknown arguments "
            "'${ARG_UNPARSED_ARGUMENTS}' "
            "(expected TARGET, PREFIX, OPTIONS, DEPENDS)")
  endif()
  if(ARG_KEYWORDS_MISSING_VALUES)
    message(FATAL_ERROR "nncc_add_model(${target}): "
            "${ARG_KEYWORDS_MISSING_VALUES} needs a value")
  endif()
  if(NOT DEFINED ARG_TARGET OR ARG_TARGET STREQUAL "cpu")
    # The host CPU: the only target the compiler has so far.
  elseif(ARG_TARGET STREQUAL "cuda")
    message(FATAL_ERROR "nncc_add_model(${target}): TARGET cuda is not "
            "supported yet (this nncc generates code for the CPU only)")
  else()
    message(FATAL_ERROR "nncc_add_model(${target}): unknown TARGET "
            "'${ARG_TARGET}' (expected cpu)")
  endif()
  if(NOT TARGET nncc::nncc)
    message(FATAL_ERROR "nncc_add_model(${target}): this nncc installation "
            "has no compiler (it was built with NNCC_BUILD_COMPILER=OFF)")
  endif()

  get_filename_component(model "${model}" ABSOLUTE
                         BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT EXISTS "${model}")
    message(FATAL_ERROR "nncc_add_model(${target}): no model file ${model}")
  endif()
  set(object "${CMAKE_CURRENT_BINARY_DIR}/${target}.o")
  set(header "${CMAKE_CURRENT_BINARY_DIR}/${target}.h")
  set(depfile "${CMAKE_CURRENT_BINARY_DIR}/${target}.d")
  set(prefix_flag)
  if(DEFINED ARG_PREFIX)
    set(prefix_flag --prefix "${ARG_PREFIX}")
  endif()
  # The model, the files it imports (the depfile), extra files and the
  # compiler are the whole dependency set.
  set(extra_depends)
  foreach(file IN LISTS ARG_DEPENDS)
    get_filename_component(file "${file}" ABSOLUTE
                           BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND extra_depends "${file}")
  endforeach()
  add_custom_command(
    OUTPUT "${object}" "${header}"
    COMMAND nncc::nncc "${model}" -o "${object}" --header "${header}"
            --depfile "${depfile}" ${prefix_flag} ${ARG_OPTIONS}
    DEPENDS "${model}" ${extra_depends} "$<TARGET_FILE:nncc::nncc>"
    DEPFILE "${depfile}"
    COMMENT "Compiling nncc model ${target} from ${model}"
    VERBATIM)

  add_library(${target} STATIC "${object}" "${header}")
  set_source_files_properties("${object}" PROPERTIES
    EXTERNAL_OBJECT TRUE GENERATED TRUE)
  set_target_properties(${target} PROPERTIES LINKER_LANGUAGE C)
  target_include_directories(${target} INTERFACE
                             "$<BUILD_INTERFACE:${CMAKE_CURRENT_BINARY_DIR}>")
  target_link_libraries(${target} INTERFACE nncc::runtime)
  if(UNIX AND NOT APPLE)
    target_link_libraries(${target} INTERFACE m)
  endif()
endfunction()

cmake_policy(POP)

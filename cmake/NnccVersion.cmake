# Runs at build time (cmake -P): writes OUT with nncc's version and, when the
# source tree is a git checkout, the commit it was built from ("+dirty" with
# uncommitted changes to tracked files). configure_file rewrites OUT only when
# it changes, so a build after a commit recompiles one small file.
#   cmake -DSRC=<source dir> -DVERSION=<x.y.z> -DIN=<template> -DOUT=<file> -P NnccVersion.cmake
set(NNCC_GIT_COMMIT "")
find_program(GIT git)
if(GIT AND EXISTS "${SRC}/.git")
  execute_process(COMMAND "${GIT}" -C "${SRC}" rev-parse --short=12 HEAD
                  OUTPUT_VARIABLE commit RESULT_VARIABLE rc
                  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(rc EQUAL 0)
    set(NNCC_GIT_COMMIT "${commit}")
    execute_process(COMMAND "${GIT}" -C "${SRC}" diff --quiet HEAD --
                    RESULT_VARIABLE dirty ERROR_QUIET)
    if(NOT dirty EQUAL 0)
      string(APPEND NNCC_GIT_COMMIT "+dirty")
    endif()
  endif()
endif()
set(NNCC_VERSION "${VERSION}")
configure_file("${IN}" "${OUT}" @ONLY)

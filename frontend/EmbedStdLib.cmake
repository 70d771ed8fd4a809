# nncc_embed_std_library(OUT): writes OUT, a C++ source returning the text of
# frontend/lib/std.nn, so `import std` needs no data file at run time. Used
# by the frontend and by the fuzz project; editing std.nn re-runs cmake.
set(NNCC_FRONTEND_DIR ${CMAKE_CURRENT_LIST_DIR})
function(nncc_embed_std_library out)
  set(src ${NNCC_FRONTEND_DIR}/lib/std.nn)
  file(READ ${src} NNCC_STD_SOURCE)
  configure_file(${NNCC_FRONTEND_DIR}/StdLib.cpp.in ${out} @ONLY)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${src})
endfunction()

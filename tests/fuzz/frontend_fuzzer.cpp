//===- frontend_fuzzer.cpp - libFuzzer target for lexer, parser, Sema -----===//
//
// Any bytes as a model.nn: the frontend must return a graph or diagnostics,
// never crash, hang, leak or recurse without bound. Imports resolve against
// an in-memory file system with one file, `lib.nn`, whose text is the input
// itself, so a fuzzer reaches the import paths (including a file that
// imports itself) without touching the disk.
//
//===----------------------------------------------------------------------===//
#include "frontend/Frontend.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <sstream>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string source(reinterpret_cast<const char *>(data), size);
  nncc::SourceReader reader =
      [&source](const std::string &path,
                std::string &error) -> std::optional<std::string> {
    if (path == "lib.nn")
      return source;
    error = "no such file";
    return std::nullopt;
  };
  nncc::DiagnosticEngine diags;
  nncc::checkModelSource("fuzz.nn", source, diags, reader);
  std::ostringstream printed;
  diags.print(printed); // the caret lines index into the source
  return 0;
}

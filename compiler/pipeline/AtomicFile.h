//===- AtomicFile.h - write a file whole or not at all ----------*- C++ -*-===//
#ifndef NNCC_COMPILER_PIPELINE_ATOMICFILE_H
#define NNCC_COMPILER_PIPELINE_ATOMICFILE_H

#include "llvm/Support/raw_ostream.h"

#include <functional>
#include <string>

namespace nncc {
/// Writes `path` through a temporary file in the same directory and renames
/// it into place, so a failure never leaves a half-written file ("-" writes
/// to stdout).
bool writeFileAtomically(const std::string &path,
                         const std::function<bool(llvm::raw_ostream &)> &write,
                         std::string &error);
} // namespace nncc

#endif // NNCC_COMPILER_PIPELINE_ATOMICFILE_H

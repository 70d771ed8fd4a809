//===- nncc/CpuCheck.h - can this CPU run the model's code? -----*- C++ -*-===//
#ifndef NNCC_CPUCHECK_H
#define NNCC_CPUCHECK_H

#include "nncc/abi.h"

#include <string>

namespace nncc {

/// The first of the comma-separated instruction-set extensions `features`
/// (as nncc_model::target_features lists them) the running CPU lacks, or ""
/// when it has them all.
std::string missingCpuFeature(const char *features);

/// Throws nncc::Error naming the missing extension, the CPU the model was
/// compiled for and what to do, unless this CPU can run the model's code.
void checkCpu(const nncc_model &model);

} // namespace nncc

#endif // NNCC_CPUCHECK_H

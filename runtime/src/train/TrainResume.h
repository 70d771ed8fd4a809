//===- TrainResume.h - what --resume checks before continuing a run -------===//
//
// A resumed run must be the run that saved its state, continued: these
// find the state file and refuse settings under which the saved order,
// position or optimizer state would mean something else.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_RUNTIME_TRAINRESUME_H
#define NNCC_RUNTIME_TRAINRESUME_H

#include "nncc/Dataset.h"
#include "nncc/Trainer.h"

#include <map>
#include <string>

namespace nncc {

/// --resume takes the --save path of the run to continue (or its state
/// file directly); throws when only a weights file is there.
std::string resumeStatePath(const std::string &path);

/// The settings a resume must share with the run that saved the state.
std::map<std::string, std::string> runConfig(const TrainOptions &o,
                                             const Dataset *trainSet);

/// Throws nncc::Error naming the flag of the first setting that differs.
void checkResumeConfig(const std::map<std::string, std::string> &saved,
                       const std::map<std::string, std::string> &now,
                       const std::string &path);

} // namespace nncc

#endif // NNCC_RUNTIME_TRAINRESUME_H

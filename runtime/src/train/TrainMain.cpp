//===- TrainMain.cpp - nncc_train_main, the C entry of the trainer --------===//
//
// The boundary between C callers and the C++ runtime: no exception may cross
// it, so every failure becomes "error: ..." on stderr and exit status 1.
//
//===----------------------------------------------------------------------===//
#include "nncc/Error.h"
#include "nncc/Trainer.h"
#include "nncc/train.h"

#include <cstdio>
#include <exception>
#include <new>

extern "C" int nncc_train_main(const nncc_model *model, int argc, char **argv) {
  try {
    if (!model)
      throw nncc::Error("nncc_train_main called without a model");
    nncc::TrainOptions options = nncc::parseTrainOptions(argc, argv);
    if (options.help) {
      std::fputs(nncc::trainUsage(argc > 0 ? argv[0] : "train").c_str(),
                 stdout);
      return 0;
    }
    nncc::train(*model, options);
    return 0;
  } catch (const std::bad_alloc &) {
    std::fflush(stdout);
    std::fprintf(stderr, "error: out of memory\n");
  } catch (const std::exception &e) {
    std::fflush(stdout);
    std::fprintf(stderr, "error: %s\n", e.what());
  } catch (...) {
    std::fflush(stdout);
    std::fprintf(stderr, "error: unknown exception\n");
  }
  return 1;
}

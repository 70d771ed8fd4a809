/*===- nncc/train.h - the generic training program --------------*- C -*-===*
 *
 * A generated model becomes a training program with a three-line C stub:
 *   #include "mlp.h"
 *   #include <nncc/train.h>
 *   int main(int c, char **v) { return nncc_train_main(&mlp_model, c, v); }
 * C-compatible on purpose: the stub may be compiled by a C compiler.
 *
 *===----------------------------------------------------------------------===*/
#ifndef NNCC_TRAIN_H
#define NNCC_TRAIN_H

#include "nncc/abi.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Parses the command line (see `--help`), trains, evaluates and optionally
 * saves. Returns 0 on success; on any error prints "error: ..." to stderr and
 * returns 1. Never throws. */
int nncc_train_main(const nncc_model *model, int argc, char **argv);

/* NULL when the running CPU has every instruction-set extension the model's
 * code was generated for (model->target_features), else the first one it
 * lacks: call it before the first entry point, which would otherwise die of
 * an illegal instruction. nncc_train_main checks it itself. */
const char *nncc_missing_cpu_feature(const nncc_model *model);

#ifdef __cplusplus
}
#endif

#endif /* NNCC_TRAIN_H */

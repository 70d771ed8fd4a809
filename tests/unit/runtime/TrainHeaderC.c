/*===- TrainHeaderC.c - nncc/train.h must compile as strict C -------------===*
 *
 * Generated training stubs are C; this file is built with -std=c11
 * -pedantic -Werror so a C++-ism in the header breaks the unit-test build.
 *
 *===----------------------------------------------------------------------===*/
#include <nncc/abi.h>
#include <nncc/train.h>

int nncc_test_train_main_from_c(const nncc_model *model, int argc,
                                char **argv);

int nncc_test_train_main_from_c(const nncc_model *model, int argc,
                                char **argv) {
  return nncc_train_main(model, argc, argv);
}

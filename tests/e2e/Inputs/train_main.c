/* The three-line program `nncc train` generates, for tests that run the
 * trainer many times: compiling and linking the model once saves seconds
 * per run. Compile with -I<dir of mlp.h>. */
#include "mlp.h"
#include <nncc/train.h>
int main(int argc, char **argv) {
  return nncc_train_main(&mlp_model, argc, argv);
}

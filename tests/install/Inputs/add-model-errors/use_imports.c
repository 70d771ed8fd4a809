/* Links the model built from an imported block; exits 0 when the block's
 * parameters are there. */
#include "imports.h"

#include <string.h>

int main(void) {
  for (int i = 0; i < imports_model.num_params; ++i)
    if (strcmp(imports_model.params[i].name, "head.fc.weight") == 0)
      return 0;
  return 1;
}

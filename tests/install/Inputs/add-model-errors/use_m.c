/* Links a model compiled with PREFIX fashion; exits 0 when its table says 10
 * classes. */
#include "m.h"

int main(void) { return fashion_model.num_classes == 10 ? 0 : 1; }

//===- TensorTable.cpp - checks of generated tensor tables ----------------===//
#include "state/TensorTable.h"
#include "nncc/Error.h"

#include <cstdint>
#include <string>

namespace nncc {

void checkTensorTable(const nncc_tensor_info *table, int32_t count,
                      int64_t arraySlots, const char *kind) {
  if (count > 0 && !table)
    throw Error(std::string("the ") + kind + " table is missing");
  for (int32_t i = 0; i < count; ++i) {
    const nncc_tensor_info &t = table[i];
    if (!t.name)
      throw Error(std::string(kind) + " " + std::to_string(i) +
                  " of the table has no name");
    std::string what = std::string(kind) + " '" + t.name + "'";
    bool shapeOk = t.rank >= 0 && t.rank <= 4;
    int64_t numel = 1;
    for (int32_t d = 0; shapeOk && d < t.rank; ++d) {
      shapeOk = t.shape[d] >= 0 &&
                (t.shape[d] == 0 || numel <= INT64_MAX / 2 / t.shape[d]);
      numel *= shapeOk ? t.shape[d] : 1;
    }
    if (!shapeOk || numel != t.numel)
      throw Error(what + " has an inconsistent table entry (rank " +
                  std::to_string(t.rank) + ", numel " +
                  std::to_string(t.numel) + ")");
    if (t.dtype != NNCC_DTYPE_F32 && t.dtype != NNCC_DTYPE_I64)
      throw Error(what + " has unknown dtype " + std::to_string(t.dtype));
    if (t.dtype == NNCC_DTYPE_I64 && t.offset % 2 != 0)
      throw Error(what + " is I64 but starts at odd slot " +
                  std::to_string(t.offset));
    int64_t slots = tensorSlots(t);
    if (t.offset < 0 || arraySlots < 0 || t.offset > arraySlots ||
        slots > arraySlots - t.offset)
      throw Error(what + " lies outside its flat array (" +
                  std::to_string(slots) + " slots at offset " +
                  std::to_string(t.offset) + ", array of " +
                  std::to_string(arraySlots) + ")");
  }
}

} // namespace nncc

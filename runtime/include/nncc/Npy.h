//===- nncc/Npy.h - NumPy .npy arrays and .npz (zip) archives ---*- C++ -*-===//
//
// What is accepted, decided once here:
//  - .npy versions 1.0, 2.0 and 3.0, C order, little-endian (or 1-byte)
//    dtypes: |u1 |i1 <i2 <u2 <i4 <u4 <i8 <u8 <f4 <f8; Fortran order and
//    big-endian data are rejected with an error saying so;
//  - images must be uint8 (|u1), the loader's input type: [N, H, W] (one
//    channel), [N, C, H, W] when C is 1 or 3, or [N, H, W, C] when C is 1 or
//    3 and dimension 1 is not (NumPy/Keras's NHWC, transposed at load);
//  - labels: 1-D [N] of any integer dtype;
//  - .npz is a zip archive of .npy members, stored or deflated (what
//    np.savez and np.savez_compressed write, zip64 included); CRCs are
//    checked.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_NPY_H
#define NNCC_NPY_H

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace nncc {

struct NpyArray {
  std::string dtype; // as in the header, e.g. "|u1", "<f4"
  std::vector<int64_t> shape;
  std::vector<uint8_t> data; // raw little-endian elements, C order
  int64_t numel() const;
  int64_t itemSize() const;
};

/// Parses a whole .npy file; errors name `name` and a byte offset.
NpyArray parseNpy(const std::vector<uint8_t> &bytes, const std::string &name);

/// The members of a zip archive by name, inflated and CRC-checked. A member's
/// claimed size is bounded by what its compressed bytes can expand to before
/// anything is allocated.
std::map<std::string, std::vector<uint8_t>>
readZip(const std::vector<uint8_t> &bytes, const std::string &name);

/// Element i of an integer array as int64; throws for non-integer dtypes.
int64_t npyInteger(const NpyArray &a, int64_t i, const std::string &name);

} // namespace nncc

#endif // NNCC_NPY_H

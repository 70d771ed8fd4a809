//===- nncc/Safetensors.h - safetensors files of named tensors --*- C++ -*-===//
//
// The checkpoint format, shared with PyTorch: an 8-byte little-endian header
// length, a JSON header {"name": {"dtype", "shape", "data_offsets"}, …,
// "__metadata__": {string: string}}, then raw little-endian data. Readers
// never trust the header: offsets, shapes and lengths are all validated
// against the file before any tensor is returned.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_SAFETENSORS_H
#define NNCC_SAFETENSORS_H

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace nncc {

enum class DType { F32, I64 };

const char *dtypeName(DType dtype);
size_t dtypeSize(DType dtype);

struct NamedTensor {
  std::string name;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  std::vector<uint8_t> data; // raw little-endian bytes

  int64_t numel() const;
  static NamedTensor fromF32(std::string name, std::vector<int64_t> shape,
                             const float *values);
  static NamedTensor fromI64(std::string name, std::vector<int64_t> shape,
                             const int64_t *values);
  /// Element `i` converted to float (I64 values are rounded).
  float floatAt(int64_t i) const;
};

struct TensorFile {
  std::vector<NamedTensor> tensors; // in data order
  std::map<std::string, std::string> metadata;

  const NamedTensor *find(const std::string &name) const;
};

/// Serialises `file`; tensor data is laid out in `tensors` order and the
/// header is padded with spaces to a multiple of 8 bytes so data is aligned.
std::vector<uint8_t> serializeSafetensors(const TensorFile &file);
/// Parses a whole file's bytes; `path` only names the file in errors.
TensorFile parseSafetensors(const uint8_t *bytes, size_t size,
                            const std::string &path);

TensorFile readSafetensors(const std::string &path);
/// Atomic: see writeFileAtomically.
void writeSafetensors(const std::string &path, const TensorFile &file);

/// "[256, 784]"
std::string formatShape(const std::vector<int64_t> &shape);

} // namespace nncc

#endif // NNCC_SAFETENSORS_H

//===- Safetensors.cpp - safetensors reading and writing ------------------===//
//
// Validation follows the reference implementation (huggingface/safetensors):
// the header length must fit in the file and stay under 100 MB, every
// tensor's byte range must equal numel * dtype size, and the ranges must
// tile the data section exactly, with no gaps and no overlaps.
//
//===----------------------------------------------------------------------===//
#include "nncc/Safetensors.h"
#include "nncc/Error.h"
#include "nncc/File.h"
#include "nncc/Json.h"

#include <algorithm>
#include <cstring>

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "safetensors data is little-endian; add byte swapping");

namespace nncc {

const char *dtypeName(DType dtype) {
  return dtype == DType::F32 ? "F32" : "I64";
}

size_t dtypeSize(DType dtype) { return dtype == DType::F32 ? 4 : 8; }

std::string formatShape(const std::vector<int64_t> &shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

int64_t NamedTensor::numel() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

NamedTensor NamedTensor::fromF32(std::string name, std::vector<int64_t> shape,
                                 const float *values) {
  NamedTensor t{std::move(name), DType::F32, std::move(shape), {}};
  t.data.resize(static_cast<size_t>(t.numel()) * 4);
  if (!t.data.empty())
    std::memcpy(t.data.data(), values, t.data.size());
  return t;
}

NamedTensor NamedTensor::fromI64(std::string name, std::vector<int64_t> shape,
                                 const int64_t *values) {
  NamedTensor t{std::move(name), DType::I64, std::move(shape), {}};
  t.data.resize(static_cast<size_t>(t.numel()) * 8);
  if (!t.data.empty())
    std::memcpy(t.data.data(), values, t.data.size());
  return t;
}

float NamedTensor::floatAt(int64_t i) const {
  if (dtype == DType::F32) {
    float v;
    std::memcpy(&v, data.data() + i * 4, 4);
    return v;
  }
  int64_t v;
  std::memcpy(&v, data.data() + i * 8, 8);
  return static_cast<float>(v);
}

const NamedTensor *TensorFile::find(const std::string &name) const {
  for (const NamedTensor &t : tensors)
    if (t.name == name)
      return &t;
  return nullptr;
}

std::vector<uint8_t> serializeSafetensors(const TensorFile &file) {
  std::string header = "{";
  if (!file.metadata.empty()) {
    header += "\"__metadata__\":{";
    bool first = true;
    for (const auto &kv : file.metadata) {
      header += (first ? "" : ",") + json::quote(kv.first) + ":" +
                json::quote(kv.second);
      first = false;
    }
    header += "}";
  }
  uint64_t offset = 0;
  for (const NamedTensor &t : file.tensors) {
    if (t.name == "__metadata__")
      throw Error("a tensor cannot be named __metadata__");
    if (t.data.size() != static_cast<uint64_t>(t.numel()) * dtypeSize(t.dtype))
      throw Error("tensor '" + t.name + "' holds " +
                  std::to_string(t.data.size()) + " bytes, its shape " +
                  formatShape(t.shape) + " needs " +
                  std::to_string(t.numel() * dtypeSize(t.dtype)));
    std::string shape = formatShape(t.shape);
    shape.erase(std::remove(shape.begin(), shape.end(), ' '), shape.end());
    header += (header.size() > 1 ? "," : "") + json::quote(t.name) +
              ":{\"dtype\":\"" + dtypeName(t.dtype) + "\",\"shape\":" + shape +
              ",\"data_offsets\":[" + std::to_string(offset) + "," +
              std::to_string(offset + t.data.size()) + "]}";
    offset += t.data.size();
  }
  header += "}";
  while (header.size() % 8 != 0)
    header += ' ';
  std::vector<uint8_t> out(8 + header.size() + offset);
  uint64_t len = header.size();
  for (int i = 0; i < 8; ++i)
    out[i] = static_cast<uint8_t>(len >> (8 * i));
  std::memcpy(out.data() + 8, header.data(), header.size());
  uint8_t *data = out.data() + 8 + header.size();
  for (const NamedTensor &t : file.tensors) {
    if (!t.data.empty())
      std::memcpy(data, t.data.data(), t.data.size());
    data += t.data.size();
  }
  return out;
}

void writeSafetensors(const std::string &path, const TensorFile &file) {
  std::vector<uint8_t> bytes = serializeSafetensors(file);
  writeFileAtomically(path, bytes.data(), bytes.size());
}

TensorFile readSafetensors(const std::string &path) {
  std::vector<uint8_t> bytes = readFile(path);
  return parseSafetensors(bytes.data(), bytes.size(), path);
}

} // namespace nncc

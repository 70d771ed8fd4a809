//===- SafetensorsRead.cpp - validating safetensors parser ----------------===//
//
// A checkpoint may come from anywhere (PyTorch, a crashed run, a hostile
// download), so each size in the header is checked before it is used and
// every error names the file and the absolute byte offset involved.
//
//===----------------------------------------------------------------------===//
#include "nncc/Error.h"
#include "nncc/Json.h"
#include "nncc/Safetensors.h"

#include <algorithm>
#include <cstring>
#include <set>

namespace nncc {

namespace {

constexpr uint64_t kMaxHeaderBytes = 100u << 20;

struct Entry {
  NamedTensor tensor;
  uint64_t begin, end;
};

/// Reads one tensor's header entry; sizes are checked against `dataSize`.
Entry parseEntry(const std::string &name, const json::Value &v,
                 uint64_t dataSize, const std::string &where) {
  std::string in = where + ": tensor '" + name + "'";
  if (v.kind != json::Value::Object)
    throw Error(in + ": header entry is not an object");
  const json::Value *dtype = v.find("dtype");
  const json::Value *shape = v.find("shape");
  const json::Value *offsets = v.find("data_offsets");
  if (!dtype || dtype->kind != json::Value::String)
    throw Error(in + ": missing or non-string \"dtype\"");
  if (!shape || shape->kind != json::Value::Array)
    throw Error(in + ": missing or non-array \"shape\"");
  if (!offsets || offsets->kind != json::Value::Array ||
      offsets->items.size() != 2)
    throw Error(in + ": \"data_offsets\" must be an array of two integers");
  Entry e;
  e.tensor.name = name;
  if (dtype->text == "F32")
    e.tensor.dtype = DType::F32;
  else if (dtype->text == "I64")
    e.tensor.dtype = DType::I64;
  else
    throw Error(in + ": dtype " + dtype->text +
                " is not supported (only F32 and I64)");
  uint64_t elemSize = dtypeSize(e.tensor.dtype);
  // numel * elemSize must fit in the data section, which bounds every
  // intermediate product and so rules out overflow.
  uint64_t bytes = elemSize;
  bool empty = false;
  for (const json::Value &d : shape->items) {
    int64_t dim;
    if (!d.asInt64(dim) || dim < 0)
      throw Error(in + ": shape entries must be non-negative integers");
    e.tensor.shape.push_back(dim);
    if (dim == 0)
      empty = true;
    else if (!empty && bytes > dataSize / uint64_t(dim))
      throw Error(in + ": shape " + formatShape(e.tensor.shape) +
                  "… needs more bytes than the file's data section (" +
                  std::to_string(dataSize) + ")");
    else if (!empty)
      bytes *= uint64_t(dim);
  }
  if (empty)
    bytes = 0;
  int64_t b, end;
  if (!offsets->items[0].asInt64(b) || !offsets->items[1].asInt64(end) ||
      b < 0 || end < b)
    throw Error(in + ": \"data_offsets\" must be two integers 0 <= begin <= "
                     "end");
  e.begin = uint64_t(b);
  e.end = uint64_t(end);
  if (e.end > dataSize)
    throw Error(in + ": data_offsets [" + std::to_string(b) + ", " +
                std::to_string(end) +
                "] end beyond the data section, which "
                "has " +
                std::to_string(dataSize) + " bytes");
  if (e.end - e.begin != bytes)
    throw Error(in + ": data_offsets [" + std::to_string(b) + ", " +
                std::to_string(end) + "] span " +
                std::to_string(e.end - e.begin) + " bytes, but " + dtype->text +
                " " + formatShape(e.tensor.shape) + " needs " +
                std::to_string(bytes));
  return e;
}

} // namespace

TensorFile parseSafetensors(const uint8_t *bytes, size_t size,
                            const std::string &path) {
  std::string where = "'" + path + "'";
  if (size < 8)
    throw Error(where + ": file ends at byte offset " + std::to_string(size) +
                ", before the 8-byte header length");
  uint64_t headerLen = 0;
  for (int i = 0; i < 8; ++i)
    headerLen |= uint64_t(bytes[i]) << (8 * i);
  if (headerLen > size - 8)
    throw Error(where + ": header length " + std::to_string(headerLen) +
                " (at byte offset 0) runs past the end of the file at byte "
                "offset " +
                std::to_string(size));
  if (headerLen > kMaxHeaderBytes)
    throw Error(where + ": header length " + std::to_string(headerLen) +
                " exceeds the 100 MB limit");
  json::Value header = json::parse(reinterpret_cast<const char *>(bytes) + 8,
                                   headerLen, where, 8);
  if (header.kind != json::Value::Object)
    throw Error(where + ": header at byte offset 8 is not a JSON object");
  uint64_t dataStart = 8 + headerLen;
  uint64_t dataSize = size - dataStart;

  TensorFile file;
  std::vector<Entry> entries;
  std::set<std::string> seen;
  for (const auto &member : header.members) {
    if (!seen.insert(member.first).second)
      throw Error(where + ": duplicate header entry '" + member.first + "'");
    if (member.first == "__metadata__") {
      if (member.second.kind != json::Value::Object)
        throw Error(where + ": __metadata__ is not an object");
      for (const auto &kv : member.second.members) {
        if (kv.second.kind != json::Value::String)
          throw Error(where + ": __metadata__ value of '" + kv.first +
                      "' is not a string");
        file.metadata[kv.first] = kv.second.text;
      }
      continue;
    }
    entries.push_back(parseEntry(member.first, member.second, dataSize, where));
  }

  // The byte ranges must tile the data section: no gaps, no overlaps.
  std::sort(entries.begin(), entries.end(), [](const Entry &a, const Entry &b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  uint64_t expected = 0;
  for (const Entry &e : entries) {
    if (e.begin != expected)
      throw Error(where + ": tensor '" + e.tensor.name +
                  "' starts at data "
                  "offset " +
                  std::to_string(e.begin) + " (byte offset " +
                  std::to_string(dataStart + e.begin) + "), expected " +
                  std::to_string(expected) +
                  (e.begin < expected ? ": overlapping tensors" : ": a gap"));
    expected = e.end;
  }
  if (expected != dataSize)
    throw Error(where + ": " + std::to_string(dataSize - expected) +
                " bytes after the last tensor, from byte offset " +
                std::to_string(dataStart + expected));
  for (Entry &e : entries) {
    e.tensor.data.assign(bytes + dataStart + e.begin,
                         bytes + dataStart + e.end);
    file.tensors.push_back(std::move(e.tensor));
  }
  return file;
}

} // namespace nncc

//===- nncc/File.h - whole-file reads and atomic writes ---------*- C++ -*-===//
//
// Data files are small enough (Fashion-MNIST is 47 MB unpacked) to read
// whole, which keeps the parsers simple: they check lengths once against an
// in-memory buffer instead of handling short reads everywhere.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_FILE_H
#define NNCC_FILE_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace nncc {

/// Reads the whole file as it is on disk.
std::vector<uint8_t> readFile(const std::string &path);

/// Whether `path` names an existing directory / regular file.
bool isDirectory(const std::string &path);
bool isRegularFile(const std::string &path);

/// Reads the whole file, inflating it when it starts with the gzip magic
/// (1f 8b). Sets `*wasGzip` when given, so messages can say that byte
/// offsets refer to the decompressed stream.
std::vector<uint8_t> readMaybeGzipFile(const std::string &path,
                                       bool *wasGzip = nullptr);

/// Writes `path.tmp.<pid>`, fsyncs it and renames it over `path`, so a crash
/// or a failed write never leaves a half-written file under `path`.
void writeFileAtomically(const std::string &path, const void *data,
                         size_t size);
inline void writeFileAtomically(const std::string &path,
                                const std::string &data) {
  writeFileAtomically(path, data.data(), data.size());
}

} // namespace nncc

#endif // NNCC_FILE_H

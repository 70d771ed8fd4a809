//===- TestUtil.h - temp dirs and synthetic data files for runtime tests --===//
//
// Tests build their inputs byte by byte so each one states exactly what the
// parser sees (a truncated file is the bytes of a good one, minus a few).
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_TESTS_RUNTIME_TESTUTIL_H
#define NNCC_TESTS_RUNTIME_TESTUTIL_H

#include "nncc/Error.h"
#include "nncc/abi.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <dirent.h>
#include <fstream>
#include <string>
#include <vector>
#include <zlib.h>

namespace nncc::test {

/// A 1-d f32 table entry of `numel` floats at `offset`, for optimizer tests
/// that need a tensor table without a compiled model.
inline nncc_tensor_info flatTensor(const char *name, int64_t offset,
                                   int64_t numel, int32_t frozen = 0) {
  nncc_tensor_info t{};
  t.name = name;
  t.rank = 1;
  t.shape[0] = numel;
  t.offset = offset;
  t.numel = numel;
  t.frozen = frozen;
  t.dtype = NNCC_DTYPE_F32;
  return t;
}

/// A fresh directory under $TMPDIR, removed with its files at scope exit.
class TempDir {
public:
  TempDir() {
    const char *base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base ? base : "/tmp") + "/nncc-rt-XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    path_ = ::mkdtemp(buf.data());
  }
  ~TempDir() {
    for (const std::string &f : files())
      std::remove((path_ + "/" + f).c_str());
    std::remove(path_.c_str());
  }
  const std::string &path() const { return path_; }
  std::string file(const std::string &name) const { return path_ + "/" + name; }
  std::vector<std::string> files() const {
    std::vector<std::string> names;
    if (DIR *d = ::opendir(path_.c_str())) {
      while (dirent *e = ::readdir(d))
        if (std::string(e->d_name) != "." && std::string(e->d_name) != "..")
          names.push_back(e->d_name);
      ::closedir(d);
    }
    return names;
  }

private:
  std::string path_;
};

inline void writeBytes(const std::string &path,
                       const std::vector<uint8_t> &bytes) {
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char *>(bytes.data()),
             std::streamsize(bytes.size()));
}

inline std::vector<uint8_t> readBytes(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

inline void writeGzip(const std::string &path,
                      const std::vector<uint8_t> &bytes) {
  gzFile f = gzopen(path.c_str(), "wb");
  gzwrite(f, bytes.data(), unsigned(bytes.size()));
  gzclose(f);
}

inline void putBigEndian32(std::vector<uint8_t> &out, uint32_t v) {
  for (int s = 24; s >= 0; s -= 8)
    out.push_back(uint8_t(v >> s));
}

inline std::vector<uint8_t> idxImages(uint32_t n, uint32_t rows, uint32_t cols,
                                      const std::vector<uint8_t> &pixels) {
  std::vector<uint8_t> out;
  putBigEndian32(out, 0x803);
  putBigEndian32(out, n);
  putBigEndian32(out, rows);
  putBigEndian32(out, cols);
  out.insert(out.end(), pixels.begin(), pixels.end());
  return out;
}

inline std::vector<uint8_t> idxLabels(const std::vector<uint8_t> &labels) {
  std::vector<uint8_t> out;
  putBigEndian32(out, 0x801);
  putBigEndian32(out, uint32_t(labels.size()));
  out.insert(out.end(), labels.begin(), labels.end());
  return out;
}

/// FNV-1a (64-bit) over the little-endian bytes of `n` floats: what the
/// torch snippets in the tests print to pin a whole tensor bit for bit.
inline uint64_t fnv1a(const float *values, int64_t n) {
  uint64_t h = 0xcbf29ce484222325u;
  const auto *bytes = reinterpret_cast<const uint8_t *>(values);
  for (int64_t i = 0; i < 4 * n; ++i) {
    h ^= bytes[i];
    h *= 0x100000001b3u;
  }
  return h;
}

/// The message of the nncc::Error `fn` throws ("" if none).
template <typename Fn> std::string errorOf(Fn fn) {
  try {
    fn();
  } catch (const nncc::Error &e) {
    return e.what();
  }
  return "";
}

} // namespace nncc::test

#endif // NNCC_TESTS_RUNTIME_TESTUTIL_H

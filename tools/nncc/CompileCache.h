//===- CompileCache.h - never compile the same model twice ------*- C++ -*-===//
//
// Objects keyed on everything that decides their bytes: the model as the
// nn dialect holds it (every imported file and the standard library
// included, with the source locations debug info and profiles name), the
// flags, the target, and this nncc (its version, commit and the executable
// itself, so a rebuilt nncc never reuses an older one's objects). Entries
// live in $NNCC_CACHE_DIR, else $XDG_CACHE_HOME/nncc/objects, else
// ~/.cache/nncc/objects, one file each, written to a temporary file and
// renamed into place, so two processes compiling the same model at once
// both leave a whole entry. Each entry carries its length and SHA-256: a
// truncated or corrupt one is a miss (one warning line) and is rebuilt. A
// directory that cannot be written is bypassed with one warning. The least
// recently used entries go when the total passes the bound
// ($NNCC_CACHE_MAX_MB, 1024 by default).
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_TOOLS_NNCC_COMPILECACHE_H
#define NNCC_TOOLS_NNCC_COMPILECACHE_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SHA256.h"

#include <cstdint>
#include <optional>
#include <string>

namespace nncc {

/// Builds a cache key from labelled parts (a part's length goes in with it,
/// so "ab"+"c" and "a"+"bc" differ).
class CacheKey {
public:
  CacheKey();
  CacheKey &add(llvm::StringRef label, llvm::StringRef value);
  /// 64 hex digits.
  std::string hex();

private:
  llvm::SHA256 hash_;
};

class CompileCache {
public:
  /// The directory from the environment (see above); empty if no home.
  static std::string defaultDirectory();
  /// The size bound from $NNCC_CACHE_MAX_MB (a warning if it is not a
  /// number), 1 GiB otherwise.
  static uint64_t defaultMaxBytes();
  /// This nncc: version, commit, and a hash of its executable.
  static std::string compilerIdentity();

  CompileCache(std::string directory, uint64_t maxBytes);

  /// The object stored under `key`, checked; nullopt on a miss. A damaged
  /// entry is removed, with a warning.
  std::optional<std::string> lookup(const std::string &key);
  /// Stores `object` under `key` and evicts the least recently used entries
  /// beyond the bound. Failures are warnings: the compile still succeeded.
  void store(const std::string &key, llvm::StringRef object);

private:
  std::string pathOf(const std::string &key) const;
  void evict();

  std::string directory_;
  uint64_t maxBytes_;
};

} // namespace nncc

#endif // NNCC_TOOLS_NNCC_COMPILECACHE_H

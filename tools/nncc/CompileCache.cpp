//===- CompileCache.cpp - never compile the same model twice --------------===//
#include "tools/nncc/CompileCache.h"

#include "Version.inc"
#include "compiler/pipeline/AtomicFile.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <vector>

using namespace nncc;

/// An entry: this line, "<payload bytes> <payload SHA-256>\n", the payload.
static constexpr llvm::StringLiteral kMagic = "nncc compile cache entry 1\n";

static void warn(const llvm::Twine &message) {
  llvm::errs() << "nncc: warning: compile cache: " << message << "\n";
}

static std::string sha256Hex(llvm::StringRef bytes) {
  return llvm::toHex(llvm::SHA256::hash(llvm::arrayRefFromStringRef(bytes)),
                     /*LowerCase=*/true);
}

CacheKey::CacheKey() { add("format", kMagic); }

CacheKey &CacheKey::add(llvm::StringRef label, llvm::StringRef value) {
  hash_.update(label);
  hash_.update(std::to_string(value.size()) + ":");
  hash_.update(value);
  return *this;
}

std::string CacheKey::hex() {
  return llvm::toHex(hash_.final(), /*LowerCase=*/true);
}

std::string CompileCache::defaultDirectory() {
  llvm::SmallString<256> dir;
  if (auto explicitDir = llvm::sys::Process::GetEnv("NNCC_CACHE_DIR"))
    return *explicitDir;
  if (auto xdg = llvm::sys::Process::GetEnv("XDG_CACHE_HOME");
      xdg && !xdg->empty())
    dir = *xdg;
  else if (auto home = llvm::sys::Process::GetEnv("HOME");
           home && !home->empty())
    llvm::sys::path::append(dir, *home, ".cache");
  else
    return "";
  llvm::sys::path::append(dir, "nncc", "objects");
  return dir.str().str();
}

uint64_t CompileCache::defaultMaxBytes() {
  uint64_t megabytes = 1024;
  if (auto env = llvm::sys::Process::GetEnv("NNCC_CACHE_MAX_MB"))
    if (llvm::StringRef(*env).getAsInteger(10, megabytes))
      warn("NNCC_CACHE_MAX_MB='" + *env +
           "' is not a number of MiB; using 1024");
  return megabytes << 20;
}

std::string CompileCache::compilerIdentity() {
  std::string identity = "nncc " NNCC_VERSION_STRING " " NNCC_GIT_COMMIT
                         " llvm " LLVM_VERSION_STRING;
  // The executable itself: a rebuilt nncc (same commit, changed code) must
  // not reuse objects an older build made.
  std::string self = llvm::sys::fs::getMainExecutable(nullptr, nullptr);
  auto buffer = llvm::MemoryBuffer::getFile(self);
  identity += " exe " + (buffer ? sha256Hex((*buffer)->getBuffer())
                                : "unreadable " + self);
  return identity;
}

CompileCache::CompileCache(std::string directory, uint64_t maxBytes)
    : directory_(std::move(directory)), maxBytes_(maxBytes) {}

std::string CompileCache::pathOf(const std::string &key) const {
  llvm::SmallString<256> path(directory_);
  llvm::sys::path::append(path, key + ".entry");
  return path.str().str();
}

std::optional<std::string> CompileCache::lookup(const std::string &key) {
  std::string path = pathOf(key);
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return std::nullopt;
  llvm::StringRef bytes = (*buffer)->getBuffer();
  // Checks each claim of the entry before using it; any failure is a miss.
  auto damaged = [&](const llvm::Twine &why) -> std::optional<std::string> {
    warn("entry " + path + " is damaged (" + why + "); rebuilding it");
    llvm::sys::fs::remove(path);
    return std::nullopt;
  };
  if (!bytes.consume_front(kMagic))
    return damaged("byte 0: not an nncc cache entry");
  size_t lineEnd = bytes.find('\n');
  if (lineEnd == llvm::StringRef::npos)
    return damaged("byte " + llvm::Twine(kMagic.size()) + ": no size line");
  auto [sizeText, hash] = bytes.take_front(lineEnd).split(' ');
  uint64_t size = 0;
  if (sizeText.getAsInteger(10, size) || hash.size() != 64)
    return damaged("byte " + llvm::Twine(kMagic.size()) +
                   ": a malformed size line");
  llvm::StringRef payload = bytes.drop_front(lineEnd + 1);
  if (payload.size() != size)
    return damaged("it holds " + llvm::Twine(payload.size()) +
                   " bytes of object where its header says " +
                   llvm::Twine(size));
  if (sha256Hex(payload) != hash)
    return damaged("its object does not match its SHA-256");
  // A hit is a use: the least recently used entries are evicted first.
  int fd;
  if (!llvm::sys::fs::openFileForWrite(path, fd, llvm::sys::fs::CD_OpenExisting,
                                       llvm::sys::fs::OF_Append)) {
    llvm::sys::fs::setLastAccessAndModificationTime(
        fd, std::chrono::system_clock::now());
    llvm::sys::Process::SafelyCloseFileDescriptor(fd);
  }
  return payload.str();
}

void CompileCache::store(const std::string &key, llvm::StringRef object) {
  if (auto ec = llvm::sys::fs::create_directories(directory_)) {
    warn("cannot create " + directory_ + " (" + ec.message() +
         "); compiling without it");
    return;
  }
  std::string error;
  if (!writeFileAtomically(
          pathOf(key),
          [&](llvm::raw_ostream &os) {
            os << kMagic << object.size() << " " << sha256Hex(object) << "\n"
               << object;
            return true;
          },
          error)) {
    warn(error + "; compiling without it");
    return;
  }
  evict();
}

void CompileCache::evict() {
  struct Entry {
    std::string path;
    uint64_t size;
    llvm::sys::TimePoint<> used;
  };
  std::vector<Entry> entries;
  uint64_t total = 0;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(directory_, ec), end;
       it != end && !ec; it.increment(ec)) {
    if (!llvm::StringRef(it->path()).ends_with(".entry"))
      continue;
    llvm::sys::fs::file_status status;
    if (llvm::sys::fs::status(it->path(), status))
      continue;
    entries.push_back(
        {it->path(), status.getSize(), status.getLastModificationTime()});
    total += status.getSize();
  }
  if (total <= maxBytes_)
    return;
  std::sort(entries.begin(), entries.end(),
            [](const Entry &a, const Entry &b) { return a.used < b.used; });
  // Down to 90% of the bound, so that the next few stores evict nothing.
  for (const Entry &entry : entries) {
    if (total <= maxBytes_ / 10 * 9)
      break;
    if (!llvm::sys::fs::remove(entry.path))
      total -= entry.size;
  }
}

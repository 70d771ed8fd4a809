//===- File.cpp - whole-file reads, gzip inflation, atomic writes ---------===//
//
// Reading goes through the raw bytes first so that gzip is detected by its
// magic rather than by the file name, and so that a truncated gzip stream is
// reported with the compressed offset where it ran out.
//
//===----------------------------------------------------------------------===//
#include "nncc/File.h"
#include "nncc/Error.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

namespace nncc {

static std::string errnoText() { return std::strerror(errno); }

std::vector<uint8_t> readFile(const std::string &path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    throw Error("cannot open '" + path + "': " + errnoText());
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw Error("'" + path + "' is not a regular file");
  }
  std::vector<uint8_t> bytes;
  bytes.reserve(static_cast<size_t>(st.st_size));
  uint8_t chunk[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, chunk, sizeof(chunk));
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      std::string why = errnoText();
      ::close(fd);
      throw Error("cannot read '" + path + "' at byte offset " +
                  std::to_string(bytes.size()) + ": " + why);
    }
    if (n == 0)
      break;
    bytes.insert(bytes.end(), chunk, chunk + n);
  }
  ::close(fd);
  return bytes;
}

static std::vector<uint8_t> inflateGzip(const std::vector<uint8_t> &packed,
                                        const std::string &path) {
  z_stream zs;
  std::memset(&zs, 0, sizeof(zs));
  // 15 + 32: the largest window, and let zlib check the gzip header.
  if (inflateInit2(&zs, 15 + 32) != Z_OK)
    throw Error("cannot initialise zlib to read '" + path + "'");
  // The last member's trailer holds its size mod 2^32 (ISIZE): for the
  // usual one-member file, the exact size, so the output is allocated (and
  // its pages touched) once, not at 4x the packed size and then grown. A
  // wrong guess (several members, a corrupt trailer) only costs regrowth.
  size_t guess = packed.size() * 4 + 4096;
  if (packed.size() >= 18) {
    const uint8_t *t = packed.data() + packed.size() - 4;
    size_t isize = size_t(t[0]) | size_t(t[1]) << 8 | size_t(t[2]) << 16 |
                   size_t(t[3]) << 24;
    if (isize > 0 && isize <= packed.size() * 1100)
      guess = isize;
  }
  std::vector<uint8_t> out;
  out.resize(guess);
  zs.next_in = const_cast<Bytef *>(packed.data());
  int rc = Z_OK;
  size_t inPos = 0, outPos = 0;
  while (true) {
    // zlib's counters are 32-bit; feed it at most 1 GiB at a time.
    size_t inLeft = packed.size() - inPos;
    zs.next_in = const_cast<Bytef *>(packed.data()) + inPos;
    zs.avail_in = static_cast<uInt>(std::min<size_t>(inLeft, 1u << 30));
    // Our own output counter: inflateReset clears zs.total_out.
    if (outPos == out.size())
      out.resize(out.size() * 2);
    zs.next_out = out.data() + outPos;
    zs.avail_out =
        static_cast<uInt>(std::min<size_t>(out.size() - outPos, 1u << 30));
    uInt availInBefore = zs.avail_in, availOutBefore = zs.avail_out;
    rc = inflate(&zs, Z_NO_FLUSH);
    inPos += availInBefore - zs.avail_in;
    outPos += availOutBefore - zs.avail_out;
    if (rc == Z_STREAM_END) {
      // Concatenated gzip members are legal (`cat a.gz b.gz`); go on.
      if (inPos < packed.size()) {
        inflateReset(&zs);
        continue;
      }
      break;
    }
    if (rc == Z_BUF_ERROR && inPos == packed.size())
      break; // input exhausted before the end of the stream
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      std::string msg = zs.msg ? zs.msg : "unknown zlib error";
      inflateEnd(&zs);
      throw Error("'" + path +
                  "': corrupt gzip data near compressed byte offset " +
                  std::to_string(inPos) + ": " + msg);
    }
  }
  size_t produced = outPos;
  inflateEnd(&zs);
  if (rc != Z_STREAM_END)
    throw Error(
        "'" + path +
        "': truncated gzip stream: compressed data ends at byte offset " +
        std::to_string(packed.size()) + " (after " + std::to_string(produced) +
        " decompressed bytes)");
  out.resize(produced);
  return out;
}

std::vector<uint8_t> readMaybeGzipFile(const std::string &path, bool *wasGzip) {
  std::vector<uint8_t> bytes = readFile(path);
  bool gz = bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;
  if (wasGzip)
    *wasGzip = gz;
  return gz ? inflateGzip(bytes, path) : bytes;
}

/// Test hook: with NNCC_TEST_PAUSE_MID_WRITE set to a substring of the
/// destination path, the write stops halfway, says so on stderr with its
/// pid, and waits up to a minute, so a test can SIGKILL the process in the
/// middle of a save deterministically instead of racing it.
static void pauseMidWriteForTests(const std::string &path,
                                  const std::string &tmp) {
  const char *match = std::getenv("NNCC_TEST_PAUSE_MID_WRITE");
  if (!match || !*match || path.find(match) == std::string::npos)
    return;
  std::fprintf(stderr, "nncc test hook: process %d paused writing '%s'\n",
               int(::getpid()), tmp.c_str());
  std::fflush(stderr);
  for (int i = 0; i < 600; ++i)
    ::usleep(100000);
}

/// Makes a rename durable: until the directory itself is synced, a power
/// loss may bring back the old name.
static void syncDirectoryOf(const std::string &path) {
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "."
                    : slash == 0               ? "/"
                                               : path.substr(0, slash);
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd); // best effort: some file systems refuse it for directories
    ::close(fd);
  }
}

void writeFileAtomically(const std::string &path, const void *data,
                         size_t size) {
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    throw Error("cannot create '" + tmp + "': " + errnoText());
  auto fail = [&](const std::string &what) {
    std::string why = errnoText();
    ::close(fd);
    ::unlink(tmp.c_str());
    throw Error("cannot " + what + " '" + tmp + "': " + why);
  };
  const char *p = static_cast<const char *>(data);
  size_t left = size;
  bool paused = false;
  while (left > 0) {
    if (!paused && left <= size / 2) {
      paused = true;
      pauseMidWriteForTests(path, tmp);
    }
    // Half at a time at most, so the test hook finds a half-written file.
    size_t chunk =
        paused ? left : std::min(left, std::max<size_t>(1, size / 2));
    ssize_t n = ::write(fd, p, chunk);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      fail("write");
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0)
    fail("fsync");
  if (::close(fd) != 0) {
    std::string why = errnoText();
    ::unlink(tmp.c_str());
    throw Error("cannot close '" + tmp + "': " + why);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string why = errnoText();
    ::unlink(tmp.c_str());
    throw Error("cannot rename '" + tmp + "' to '" + path + "': " + why);
  }
  syncDirectoryOf(path);
}

bool isDirectory(const std::string &path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool isRegularFile(const std::string &path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

} // namespace nncc

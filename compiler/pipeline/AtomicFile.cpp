//===- AtomicFile.cpp - write a file whole or not at all ------------------===//
#include "compiler/pipeline/AtomicFile.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

using namespace nncc;

bool nncc::writeFileAtomically(
    const std::string &path,
    const std::function<bool(llvm::raw_ostream &)> &write, std::string &error) {
  if (path == "-")
    return write(llvm::outs());
  llvm::SmallString<256> temp;
  int fd;
  if (auto ec =
          llvm::sys::fs::createUniqueFile(path + ".tmp-%%%%%%", fd, temp)) {
    error = "cannot write '" + path + "': " + ec.message();
    return false;
  }
  bool ok;
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    ok = write(os);
    os.flush();
    if (os.has_error()) {
      error = "cannot write '" + path + "': " + os.error().message();
      os.clear_error();
      ok = false;
    }
  }
  if (ok) {
    if (auto ec = llvm::sys::fs::rename(temp, path)) {
      error = "cannot write '" + path + "': " + ec.message();
      ok = false;
    }
  }
  if (!ok)
    llvm::sys::fs::remove(temp);
  return ok;
}

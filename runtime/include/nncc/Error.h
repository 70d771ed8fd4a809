//===- nncc/Error.h - the runtime's one exception type ----------*- C++ -*-===//
//
// Every runtime failure the user can cause (a bad file, a bad flag, a
// checkpoint that does not fit the model) is reported as an nncc::Error whose
// message names the file and, where it helps, the byte offset. One type keeps
// the trainer's catch-all simple: print "error: " + what(), exit 1.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_ERROR_H
#define NNCC_ERROR_H

#include <stdexcept>
#include <string>

namespace nncc {

class Error : public std::runtime_error {
public:
  explicit Error(const std::string &message) : std::runtime_error(message) {}
};

} // namespace nncc

#endif // NNCC_ERROR_H

//===- nncc/Aligned.h - 64-byte aligned arrays for the ABI ------*- C++ -*-===//
//
// The ABI asks for 64-byte aligned parameter, gradient, buffer and workspace
// arrays so generated code can use aligned AVX-512 loads. std::vector gives no
// such guarantee, hence this small owning array.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_ALIGNED_H
#define NNCC_ALIGNED_H

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>

namespace nncc {

constexpr size_t kAbiAlignment = 64;

/// A zero-initialised, 64-byte aligned array of `T` that owns its memory.
template <typename T> class AlignedArray {
public:
  AlignedArray() = default;
  explicit AlignedArray(size_t count) : count_(count) {
    // aligned_alloc needs a size that is a multiple of the alignment, and a
    // non-null pointer even for empty arrays keeps callers simple.
    size_t bytes = count * sizeof(T);
    bytes = (bytes + kAbiAlignment - 1) / kAbiAlignment * kAbiAlignment;
    if (bytes == 0)
      bytes = kAbiAlignment;
    data_ = static_cast<T *>(std::aligned_alloc(kAbiAlignment, bytes));
    if (!data_)
      throw std::bad_alloc();
    std::memset(static_cast<void *>(data_), 0, bytes);
  }
  AlignedArray(AlignedArray &&other) noexcept
      : data_(other.data_), count_(other.count_) {
    other.data_ = nullptr;
    other.count_ = 0;
  }
  AlignedArray &operator=(AlignedArray &&other) noexcept {
    std::swap(data_, other.data_);
    std::swap(count_, other.count_);
    return *this;
  }
  AlignedArray(const AlignedArray &) = delete;
  AlignedArray &operator=(const AlignedArray &) = delete;
  ~AlignedArray() { std::free(data_); }

  T *data() { return data_; }
  const T *data() const { return data_; }
  size_t size() const { return count_; }
  T &operator[](size_t i) { return data_[i]; }
  const T &operator[](size_t i) const { return data_[i]; }

private:
  T *data_ = nullptr;
  size_t count_ = 0;
};

} // namespace nncc

#endif // NNCC_ALIGNED_H

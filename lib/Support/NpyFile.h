//===- NpyFile.h - .npy files with llvm::Error ------------------*- C++ -*-===//
//
// The compiler's way to Npy.h: the same reader and writer, their errors as
// llvm::Expected / llvm::Error (the compiler's convention, docs/dialect.md).
// Npy.h itself reports in strings because it builds without LLVM, for the
// runtime's tools (snn-bench-emulator with -DSNNC_BUILD_COMPILER=OFF); this
// header is inline so that SNNSupport stays free of LLVM.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_SUPPORT_NPYFILE_H
#define SNN_SUPPORT_NPYFILE_H

#include "Support/Npy.h"

#include "llvm/Support/Error.h"

namespace snn::npy {

/// Refuses what is not a regular file; the error names the file.
inline llvm::Error checkRegularFile(const std::string &path) {
  std::string error;
  if (!isRegularFile(path, error))
    return llvm::createStringError(error);
  return llvm::Error::success();
}

/// The bytes of a .npy file as an array; the error says what is wrong.
inline llvm::Expected<Array> parseBytes(const std::string &bytes) {
  std::string error;
  std::optional<Array> array = parse(bytes, error);
  if (!array)
    return llvm::createStringError(error);
  return std::move(*array);
}

/// Reads a file; errors name the file.
inline llvm::Expected<Array> read(const std::string &path) {
  std::string error;
  std::optional<Array> array = load(path, error);
  if (!array)
    return llvm::createStringError(error);
  return std::move(*array);
}

/// Writes `values` with `shape` as dtype `dtype` (see save()).
inline llvm::Error write(const std::string &path,
                         const std::vector<int64_t> &shape,
                         const std::vector<double> &values,
                         const std::string &dtype) {
  std::string error;
  if (!save(path, shape, values, dtype, error))
    return llvm::createStringError(error);
  return llvm::Error::success();
}

} // namespace snn::npy

#endif // SNN_SUPPORT_NPYFILE_H

//===- Npy.h - NumPy .npy arrays in and out ---------------------*- C++ -*-===//
//
// The .npy format (version 1.0-3.0): a magic string, a Python-dict header
// with descr, fortran_order and shape, then the raw little-endian data.
// Every array is read into doubles; the dtype it had is kept.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_SUPPORT_NPY_H
#define SNN_SUPPORT_NPY_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace snn::npy {

/// The most elements an array read from a file may have (1 GiB as doubles);
/// a larger header is refused before anything is allocated.
constexpr int64_t kMaxElements = int64_t(1) << 27;

/// Refuses what is not a regular file (a directory, a device such as
/// /dev/zero, a pipe): `error` names the file. Streams from such files never
/// end or fail only after reading.
bool isRegularFile(const std::string &path, std::string &error);

struct Array {
  std::vector<int64_t> shape;
  std::vector<double> values; // C order
  std::string dtype;          // "uint8", "bool", "float32", "int64", ...

  int64_t size() const { return static_cast<int64_t>(values.size()); }
};

/// Parses the bytes of a .npy file; nullopt with `error` (naming what is
/// wrong) for anything else: bad magic, truncated data, Fortran order,
/// unsupported dtypes.
std::optional<Array> parse(const std::string &bytes, std::string &error);

/// Reads a file; errors name the file.
std::optional<Array> load(const std::string &path, std::string &error);

/// Writes `values` with `shape` as dtype `dtype` ("float64", "float32",
/// "int32", "int64", "uint8").
bool save(const std::string &path, const std::vector<int64_t> &shape,
          const std::vector<double> &values, const std::string &dtype,
          std::string &error);

} // namespace snn::npy

#endif // SNN_SUPPORT_NPY_H

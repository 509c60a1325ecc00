//===- Hdf5.h - the few HDF5 operations NIR files need ---------*- C++ -*-===//
//
// A thin layer over HDF5's C API: files opened from and written to memory,
// groups, and datasets of strings and numbers. Every failure comes back as a
// message, never as HDF5's own error-stack printout.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_NIR_HDF5_H
#define SNN_NIR_HDF5_H

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace snn::hdf5 {

using Id = int64_t; // hid_t

/// Owns one HDF5 identifier (file, group, dataset, type, space, plist).
class Handle {
public:
  Handle() = default;
  explicit Handle(Id id) : id(id) {}
  Handle(Handle &&other) noexcept : id(std::exchange(other.id, -1)) {}
  Handle &operator=(Handle &&other) noexcept;
  Handle(const Handle &) = delete;
  Handle &operator=(const Handle &) = delete;
  ~Handle();

  Id get() const { return id; }
  bool valid() const { return id >= 0; }

private:
  Id id = -1;
};

/// An HDF5 file held in memory.
class File {
public:
  /// Opens the bytes of an HDF5 file read-only; nullopt with `error` set
  /// when they are not HDF5 or cannot be read.
  static std::optional<File> openImage(const std::string &bytes,
                                       std::string &error);
  /// A new, empty file that lives in memory until image() takes its bytes.
  static std::optional<File> create(std::string &error);

  Id root() const { return handle.get(); }
  /// The file's bytes (after flushing), for writing it out.
  std::optional<std::string> image(std::string &error) const;

private:
  Handle handle;
};

enum class ObjectKind { Missing, Group, Dataset, Other };

/// What `name` is below `parent`; Missing when there is no such link.
ObjectKind kindOf(Id parent, const std::string &name);

/// Opens a group below `parent`.
Handle openGroup(Id parent, const std::string &name);

/// The names of a group's members, in HDF5's (alphabetical) order.
bool listMembers(Id group, std::vector<std::string> &names, std::string &error);

/// An identity for a group that survives different paths to it (hard links
/// can make a group its own ancestor).
std::optional<std::pair<unsigned long, uint64_t>> objectIdentity(Id object);

enum class ElementKind { String, Integer, Float, Other };

struct DatasetInfo {
  ElementKind kind = ElementKind::Other;
  std::string typeName; // "float32", "int64", "string", ...
  std::vector<int64_t> shape;
  int64_t numElements = 0;
};

/// Shape and element kind of a dataset. Fails on datasets larger than
/// `maxElements`, so that a corrupt header cannot make the reader allocate
/// without bound.
bool describe(Id parent, const std::string &name, DatasetInfo &info,
              int64_t maxElements, std::string &error);

/// Reads a string dataset (variable or fixed length, any shape).
bool readStrings(Id parent, const std::string &name,
                 std::vector<std::string> &out, std::string &error);

/// Reads a numeric dataset converted to double / int64.
bool readDoubles(Id parent, const std::string &name, std::vector<double> &out,
                 std::string &error);
bool readInts(Id parent, const std::string &name, std::vector<int64_t> &out,
              std::string &error);

/// Writers, in the layout NIR's Python package writes (h5py's defaults:
/// variable-length UTF-8 strings, no attributes).
Handle createGroup(Id parent, const std::string &name, std::string &error);
bool writeString(Id parent, const std::string &name, const std::string &value,
                 std::string &error);
bool writeStringTable(Id parent, const std::string &name,
                      const std::vector<std::string> &values,
                      const std::vector<int64_t> &shape, std::string &error);
bool writeDoubles(Id parent, const std::string &name,
                  const std::vector<double> &values,
                  const std::vector<int64_t> &shape, bool asFloat32,
                  std::string &error);
bool writeInts(Id parent, const std::string &name,
               const std::vector<int64_t> &values,
               const std::vector<int64_t> &shape, std::string &error);

} // namespace snn::hdf5

#endif // SNN_NIR_HDF5_H

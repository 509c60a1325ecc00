//===- Hdf5.h - the few HDF5 operations NIR files need ---------*- C++ -*-===//
//
// A thin layer over HDF5's C API: files opened from and written to memory,
// groups, and datasets of strings and numbers. Every failure comes back as an
// llvm::Error whose message says what is wrong with the object (the caller
// adds the file and node), never as HDF5's own error-stack printout.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_NIR_HDF5_H
#define SNN_NIR_HDF5_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

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
  /// Opens the bytes of an HDF5 file read-only; an error when they are not
  /// HDF5 or cannot be read. HDF5 reads from `bytes`, which must outlive the
  /// file.
  static llvm::Expected<File> openImage(llvm::StringRef bytes);
  /// A new, empty file that lives in memory until image() takes its bytes.
  static llvm::Expected<File> create();

  Id root() const { return handle.get(); }
  /// The file's bytes (after flushing), for writing it out.
  llvm::Expected<std::string> image() const;

private:
  Handle handle;
};

enum class ObjectKind { Missing, Group, Dataset, Other };

/// What `name` is below `parent`; Missing when there is no such link.
ObjectKind kindOf(Id parent, const std::string &name);

/// Opens a group below `parent`.
Handle openGroup(Id parent, const std::string &name);

/// The names of a group's members, in HDF5's (alphabetical) order.
llvm::Expected<std::vector<std::string>> listMembers(Id group);

/// An identity for a group that survives different paths to it (hard links
/// can make a group its own ancestor).
std::optional<std::pair<unsigned long, uint64_t>> objectIdentity(Id object);

enum class ElementKind { String, Integer, Float, Other };

struct DatasetInfo {
  ElementKind kind = ElementKind::Other;
  std::string typeName; // "float32", "int64", "string", ...
  std::vector<int64_t> shape;
  int64_t numElements = 0;
  /// Bytes the stored elements take (numElements times the element size),
  /// computed with overflow checks.
  int64_t storageBytes = 0;
};

/// Shape and element kind of a dataset, read from its header only (no data
/// is read). Fails on datasets of more than `maxElements` elements, so that a
/// corrupt or hostile header cannot make the reader allocate without bound.
llvm::Expected<DatasetInfo> describe(Id parent, const std::string &name,
                                     int64_t maxElements);

/// Reads a string dataset (variable or fixed length, any shape).
llvm::Expected<std::vector<std::string>> readStrings(Id parent,
                                                     const std::string &name);

/// Reads a numeric dataset converted to double / int64.
llvm::Expected<std::vector<double>> readDoubles(Id parent,
                                                const std::string &name);
llvm::Expected<std::vector<int64_t>> readInts(Id parent,
                                              const std::string &name);

/// Writers, in the layout NIR's Python package writes (h5py's defaults:
/// variable-length UTF-8 strings, no attributes).
llvm::Expected<Handle> createGroup(Id parent, const std::string &name);
llvm::Error writeString(Id parent, const std::string &name,
                        const std::string &value);
llvm::Error writeStringTable(Id parent, const std::string &name,
                             const std::vector<std::string> &values,
                             const std::vector<int64_t> &shape);
llvm::Error writeDoubles(Id parent, const std::string &name,
                         const std::vector<double> &values,
                         const std::vector<int64_t> &shape, bool asFloat32);
llvm::Error writeInts(Id parent, const std::string &name,
                      const std::vector<int64_t> &values,
                      const std::vector<int64_t> &shape);

} // namespace snn::hdf5

#endif // SNN_NIR_HDF5_H

//===- Hdf5.cpp - the few HDF5 operations NIR files need ------------------===//

#include "NIR/Hdf5.h"

#include <hdf5.h>

#include <atomic>
#include <cstring>
#include <limits>

namespace snn::hdf5 {

namespace {

/// HDF5 prints its error stack to stderr by default; every call here reports
/// failures through its own messages instead.
void silenceErrorStack() {
  static bool done = [] {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    return true;
  }();
  (void)done;
}

/// Files in memory still need distinct names while open together.
std::string uniqueName(const char *prefix) {
  static std::atomic<unsigned> counter{0};
  return std::string(prefix) + std::to_string(counter++);
}

bool hasSignature(const std::string &bytes) {
  static const char signature[8] = {'\211', 'H', 'D', 'F', '\r', '\n', '\032', '\n'};
  // The superblock sits at 0 or, after a user block, at 512, 1024, 2048, ...
  for (size_t offset = 0; offset + 8 <= bytes.size();
       offset = offset ? offset * 2 : 512)
    if (std::memcmp(bytes.data() + offset, signature, 8) == 0)
      return true;
  return false;
}

std::string typeName(hid_t type) {
  switch (H5Tget_class(type)) {
  case H5T_STRING:
    return "string";
  case H5T_INTEGER:
    return std::string(H5Tget_sign(type) == H5T_SGN_NONE ? "uint" : "int") +
           std::to_string(H5Tget_size(type) * 8);
  case H5T_FLOAT:
    return "float" + std::to_string(H5Tget_size(type) * 8);
  case H5T_ENUM:
    return "enum";
  case H5T_COMPOUND:
    return "compound";
  default:
    return "non-numeric";
  }
}

ElementKind kindOfType(hid_t type) {
  switch (H5Tget_class(type)) {
  case H5T_STRING:
    return ElementKind::String;
  case H5T_INTEGER:
    return ElementKind::Integer;
  case H5T_FLOAT:
    return ElementKind::Float;
  default:
    return ElementKind::Other;
  }
}

Handle dataspaceFor(const std::vector<int64_t> &shape) {
  if (shape.empty())
    return Handle(H5Screate(H5S_SCALAR));
  std::vector<hsize_t> dims(shape.begin(), shape.end());
  return Handle(H5Screate_simple(static_cast<int>(dims.size()), dims.data(),
                                 nullptr));
}

Handle variableStringType() {
  Handle type(H5Tcopy(H5T_C_S1));
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  return type;
}

/// Elements in a dataset's dataspace, or -1 with `error` set.
hssize_t pointCount(const Handle &dataset, Handle &space, std::string &error) {
  space = Handle(H5Dget_space(dataset.get()));
  hssize_t n = H5Sget_simple_extent_npoints(space.get());
  if (n < 0)
    error = "has an unreadable shape";
  return n;
}

template <typename T>
bool readNumbers(Id parent, const std::string &name, hid_t memType,
                 std::vector<T> &out, std::string &error) {
  Handle dataset(H5Dopen2(parent, name.c_str(), H5P_DEFAULT));
  if (!dataset.valid()) {
    error = "cannot be opened as a dataset";
    return false;
  }
  Handle type(H5Dget_type(dataset.get()));
  ElementKind kind = kindOfType(type.get());
  if (kind != ElementKind::Integer && kind != ElementKind::Float) {
    error = "is a " + typeName(type.get()) + " dataset, not numbers";
    return false;
  }
  Handle space;
  hssize_t n = pointCount(dataset, space, error);
  if (n < 0)
    return false;
  out.assign(static_cast<size_t>(n), T());
  if (n > 0 && H5Dread(dataset.get(), memType, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                       out.data()) < 0) {
    error = "cannot be read (truncated or corrupt data)";
    return false;
  }
  return true;
}

} // namespace

Handle &Handle::operator=(Handle &&other) noexcept {
  if (this != &other) {
    Handle old(std::exchange(id, std::exchange(other.id, -1)));
  }
  return *this;
}

Handle::~Handle() {
  if (id < 0)
    return;
  switch (H5Iget_type(id)) {
  case H5I_FILE:
    H5Fclose(id);
    break;
  case H5I_GROUP:
    H5Gclose(id);
    break;
  case H5I_DATASET:
    H5Dclose(id);
    break;
  case H5I_DATATYPE:
    H5Tclose(id);
    break;
  case H5I_DATASPACE:
    H5Sclose(id);
    break;
  case H5I_GENPROP_LST:
    H5Pclose(id);
    break;
  default:
    break;
  }
}

std::optional<File> File::openImage(const std::string &bytes,
                                    std::string &error) {
  silenceErrorStack();
  if (!hasSignature(bytes)) {
    error = "not an HDF5 file (no HDF5 signature)";
    return std::nullopt;
  }
  Handle access(H5Pcreate(H5P_FILE_ACCESS));
  if (H5Pset_fapl_core(access.get(), 1 << 16, /*backing_store=*/0) < 0 ||
      H5Pset_file_image(access.get(), const_cast<char *>(bytes.data()),
                        bytes.size()) < 0) {
    error = "cannot hand the file to HDF5";
    return std::nullopt;
  }
  File file;
  file.handle = Handle(H5Fopen(uniqueName("nir-in-").c_str(), H5F_ACC_RDONLY,
                               access.get()));
  if (!file.handle.valid()) {
    error = "HDF5 cannot open it (truncated or corrupt file)";
    return std::nullopt;
  }
  return file;
}

std::optional<File> File::create(std::string &error) {
  silenceErrorStack();
  Handle access(H5Pcreate(H5P_FILE_ACCESS));
  H5Pset_fapl_core(access.get(), 1 << 16, /*backing_store=*/0);
  File file;
  file.handle = Handle(H5Fcreate(uniqueName("nir-out-").c_str(), H5F_ACC_TRUNC,
                                 H5P_DEFAULT, access.get()));
  if (!file.handle.valid()) {
    error = "HDF5 cannot create a file in memory";
    return std::nullopt;
  }
  return file;
}

std::optional<std::string> File::image(std::string &error) const {
  if (H5Fflush(handle.get(), H5F_SCOPE_GLOBAL) < 0) {
    error = "HDF5 cannot flush the file";
    return std::nullopt;
  }
  ssize_t size = H5Fget_file_image(handle.get(), nullptr, 0);
  if (size < 0) {
    error = "HDF5 cannot produce the file's bytes";
    return std::nullopt;
  }
  std::string bytes(static_cast<size_t>(size), '\0');
  if (H5Fget_file_image(handle.get(), bytes.data(), bytes.size()) < 0) {
    error = "HDF5 cannot produce the file's bytes";
    return std::nullopt;
  }
  return bytes;
}

ObjectKind kindOf(Id parent, const std::string &name) {
  if (name.empty() || name.find('/') != std::string::npos || name == ".")
    return ObjectKind::Missing;
  if (H5Lexists(parent, name.c_str(), H5P_DEFAULT) <= 0)
    return ObjectKind::Missing;
  H5O_info_t info;
#if H5_VERSION_GE(1, 12, 0)
  if (H5Oget_info_by_name3(parent, name.c_str(), &info, H5O_INFO_BASIC,
                           H5P_DEFAULT) < 0)
#else
  if (H5Oget_info_by_name2(parent, name.c_str(), &info, H5O_INFO_BASIC,
                           H5P_DEFAULT) < 0)
#endif
    return ObjectKind::Missing;
  switch (info.type) {
  case H5O_TYPE_GROUP:
    return ObjectKind::Group;
  case H5O_TYPE_DATASET:
    return ObjectKind::Dataset;
  default:
    return ObjectKind::Other;
  }
}

Handle openGroup(Id parent, const std::string &name) {
  return Handle(H5Gopen2(parent, name.c_str(), H5P_DEFAULT));
}

bool listMembers(Id group, std::vector<std::string> &names,
                 std::string &error) {
  H5G_info_t info;
  if (H5Gget_info(group, &info) < 0) {
    error = "group cannot be listed";
    return false;
  }
  names.clear();
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    ssize_t len = H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i,
                                     nullptr, 0, H5P_DEFAULT);
    if (len < 0) {
      error = "group member " + std::to_string(i) + " cannot be read";
      return false;
    }
    std::string name(static_cast<size_t>(len) + 1, '\0');
    H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(),
                       name.size(), H5P_DEFAULT);
    name.resize(static_cast<size_t>(len));
    names.push_back(std::move(name));
  }
  return true;
}

std::optional<std::pair<unsigned long, uint64_t>> objectIdentity(Id object) {
  H5O_info_t info;
#if H5_VERSION_GE(1, 12, 0)
  if (H5Oget_info3(object, &info, H5O_INFO_BASIC) < 0)
    return std::nullopt;
  uint64_t token;
  std::memcpy(&token, &info.token, sizeof(token));
  return std::make_pair(info.fileno, token);
#else
  if (H5Oget_info2(object, &info, H5O_INFO_BASIC) < 0)
    return std::nullopt;
  return std::make_pair(info.fileno, static_cast<uint64_t>(info.addr));
#endif
}

bool describe(Id parent, const std::string &name, DatasetInfo &info,
              int64_t maxElements, std::string &error) {
  Handle dataset(H5Dopen2(parent, name.c_str(), H5P_DEFAULT));
  if (!dataset.valid()) {
    error = "cannot be opened as a dataset";
    return false;
  }
  Handle type(H5Dget_type(dataset.get()));
  Handle space(H5Dget_space(dataset.get()));
  if (!type.valid() || !space.valid()) {
    error = "has an unreadable type or shape";
    return false;
  }
  info.kind = kindOfType(type.get());
  info.typeName = typeName(type.get());
  info.shape.clear();
  if (H5Sget_simple_extent_type(space.get()) == H5S_NULL) {
    info.numElements = 0;
    return true;
  }
  int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0 || rank > 32) {
    error = "has an unreadable shape";
    return false;
  }
  std::vector<hsize_t> dims(static_cast<size_t>(rank));
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  int64_t n = 1;
  for (hsize_t d : dims) {
    if (d > static_cast<hsize_t>(maxElements) ||
        (d != 0 && n > maxElements / static_cast<int64_t>(d))) {
      std::string shape;
      for (hsize_t e : dims)
        shape += (shape.empty() ? "" : "x") + std::to_string(e);
      error = "has shape " + shape + ", more than the " +
              std::to_string(maxElements) + " elements a NIR field may have";
      return false;
    }
    n *= static_cast<int64_t>(d);
    info.shape.push_back(static_cast<int64_t>(d));
  }
  info.numElements = n;
  return true;
}

bool readStrings(Id parent, const std::string &name,
                 std::vector<std::string> &out, std::string &error) {
  Handle dataset(H5Dopen2(parent, name.c_str(), H5P_DEFAULT));
  if (!dataset.valid()) {
    error = "cannot be opened as a dataset";
    return false;
  }
  Handle fileType(H5Dget_type(dataset.get()));
  if (H5Tget_class(fileType.get()) != H5T_STRING) {
    error = "is a " + typeName(fileType.get()) + " dataset, not a string";
    return false;
  }
  Handle space;
  hssize_t n = pointCount(dataset, space, error);
  if (n < 0)
    return false;
  out.clear();
  if (n == 0)
    return true;
  Handle memType(H5Tcopy(H5T_C_S1));
  H5Tset_cset(memType.get(), H5Tget_cset(fileType.get()));
  if (H5Tis_variable_str(fileType.get()) > 0) {
    H5Tset_size(memType.get(), H5T_VARIABLE);
    std::vector<char *> pointers(static_cast<size_t>(n), nullptr);
    if (H5Dread(dataset.get(), memType.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT,
                pointers.data()) < 0) {
      error = "cannot be read (truncated or corrupt data)";
      return false;
    }
    for (char *p : pointers)
      out.emplace_back(p ? p : "");
    H5Dvlen_reclaim(memType.get(), space.get(), H5P_DEFAULT, pointers.data());
    return true;
  }
  size_t width = H5Tget_size(fileType.get());
  if (width == 0 || width > (1u << 20)) {
    error = "has strings of an unreadable width";
    return false;
  }
  H5Tset_size(memType.get(), width);
  H5Tset_strpad(memType.get(), H5T_STR_NULLPAD);
  std::vector<char> buffer(static_cast<size_t>(n) * width);
  if (H5Dread(dataset.get(), memType.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT,
              buffer.data()) < 0) {
    error = "cannot be read (truncated or corrupt data)";
    return false;
  }
  for (hssize_t i = 0; i < n; ++i) {
    const char *start = buffer.data() + i * width;
    out.emplace_back(start, strnlen(start, width));
  }
  return true;
}

bool readDoubles(Id parent, const std::string &name, std::vector<double> &out,
                 std::string &error) {
  return readNumbers(parent, name, H5T_NATIVE_DOUBLE, out, error);
}

bool readInts(Id parent, const std::string &name, std::vector<int64_t> &out,
              std::string &error) {
  return readNumbers(parent, name, H5T_NATIVE_INT64, out, error);
}

Handle createGroup(Id parent, const std::string &name, std::string &error) {
  Handle group(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT,
                          H5P_DEFAULT));
  if (!group.valid())
    error = "cannot create group '" + name + "'";
  return group;
}

namespace {
bool writeDataset(Id parent, const std::string &name, hid_t fileType,
                  hid_t memType, const std::vector<int64_t> &shape,
                  const void *data, std::string &error) {
  Handle space = dataspaceFor(shape);
  Handle dataset(H5Dcreate2(parent, name.c_str(), fileType, space.get(),
                            H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  if (!dataset.valid() ||
      H5Dwrite(dataset.get(), memType, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0) {
    error = "cannot write dataset '" + name + "'";
    return false;
  }
  return true;
}
} // namespace

bool writeString(Id parent, const std::string &name, const std::string &value,
                 std::string &error) {
  Handle type = variableStringType();
  const char *pointer = value.c_str();
  return writeDataset(parent, name, type.get(), type.get(), {}, &pointer,
                      error);
}

bool writeStringTable(Id parent, const std::string &name,
                      const std::vector<std::string> &values,
                      const std::vector<int64_t> &shape, std::string &error) {
  Handle type = variableStringType();
  std::vector<const char *> pointers;
  for (const std::string &v : values)
    pointers.push_back(v.c_str());
  return writeDataset(parent, name, type.get(), type.get(), shape,
                      pointers.data(), error);
}

bool writeDoubles(Id parent, const std::string &name,
                  const std::vector<double> &values,
                  const std::vector<int64_t> &shape, bool asFloat32,
                  std::string &error) {
  return writeDataset(parent, name, asFloat32 ? H5T_IEEE_F32LE : H5T_IEEE_F64LE,
                      H5T_NATIVE_DOUBLE, shape, values.data(), error);
}

bool writeInts(Id parent, const std::string &name,
               const std::vector<int64_t> &values,
               const std::vector<int64_t> &shape, std::string &error) {
  return writeDataset(parent, name, H5T_STD_I64LE, H5T_NATIVE_INT64, shape,
                      values.data(), error);
}

} // namespace snn::hdf5

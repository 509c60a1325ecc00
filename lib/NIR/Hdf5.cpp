//===- Hdf5.cpp - the few HDF5 operations NIR files need ------------------===//

#include "NIR/Hdf5.h"
#include "NIR/Hdf5Strings.h"

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
llvm::Error fail(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

std::string uniqueName(const char *prefix) {
  static std::atomic<unsigned> counter{0};
  return std::string(prefix) + std::to_string(counter++);
}

bool hasSignature(llvm::StringRef bytes) {
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

/// Elements in a dataset's dataspace.
llvm::Expected<hssize_t> pointCount(const Handle &dataset, Handle &space) {
  space = Handle(H5Dget_space(dataset.get()));
  hssize_t n = H5Sget_simple_extent_npoints(space.get());
  if (n < 0)
    return fail("has an unreadable shape");
  return n;
}

template <typename T>
llvm::Expected<std::vector<T>> readNumbers(Id parent, const std::string &name,
                                           hid_t memType) {
  Handle dataset(H5Dopen2(parent, name.c_str(), H5P_DEFAULT));
  if (!dataset.valid())
    return fail("cannot be opened as a dataset");
  Handle type(H5Dget_type(dataset.get()));
  ElementKind kind = kindOfType(type.get());
  if (kind != ElementKind::Integer && kind != ElementKind::Float)
    return fail("is a " + typeName(type.get()) + " dataset, not numbers");
  Handle space;
  llvm::Expected<hssize_t> n = pointCount(dataset, space);
  if (!n)
    return n.takeError();
  std::vector<T> out(static_cast<size_t>(*n), T());
  if (*n > 0 && H5Dread(dataset.get(), memType, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                        out.data()) < 0)
    return fail("cannot be read (truncated or corrupt data)");
  return out;
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

llvm::Expected<File> File::openImage(llvm::StringRef bytes) {
  silenceErrorStack();
  if (!hasSignature(bytes))
    return fail("not an HDF5 file (no HDF5 signature)");
  Handle access(H5Pcreate(H5P_FILE_ACCESS));
  if (H5Pset_fapl_core(access.get(), 1 << 16, /*backing_store=*/0) < 0 ||
      H5Pset_file_image(access.get(), const_cast<char *>(bytes.data()),
                        bytes.size()) < 0)
    return fail("cannot hand the file to HDF5");
  File file;
  file.handle = Handle(H5Fopen(uniqueName("nir-in-").c_str(), H5F_ACC_RDONLY,
                               access.get()));
  if (!file.handle.valid())
    return fail("HDF5 cannot open it (truncated or corrupt file)");
  return std::move(file);
}

llvm::Expected<File> File::create() {
  silenceErrorStack();
  Handle access(H5Pcreate(H5P_FILE_ACCESS));
  H5Pset_fapl_core(access.get(), 1 << 16, /*backing_store=*/0);
  File file;
  file.handle = Handle(H5Fcreate(uniqueName("nir-out-").c_str(), H5F_ACC_TRUNC,
                                 H5P_DEFAULT, access.get()));
  if (!file.handle.valid())
    return fail("HDF5 cannot create a file in memory");
  return std::move(file);
}

llvm::Expected<std::string> File::image() const {
  if (H5Fflush(handle.get(), H5F_SCOPE_GLOBAL) < 0)
    return fail("HDF5 cannot flush the file");
  ssize_t size = H5Fget_file_image(handle.get(), nullptr, 0);
  if (size < 0)
    return fail("HDF5 cannot produce the file's bytes");
  std::string bytes(static_cast<size_t>(size), '\0');
  if (H5Fget_file_image(handle.get(), bytes.data(), bytes.size()) < 0)
    return fail("HDF5 cannot produce the file's bytes");
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

llvm::Expected<std::vector<std::string>> listMembers(Id group) {
  H5G_info_t info;
  if (H5Gget_info(group, &info) < 0)
    return fail("group cannot be listed");
  std::vector<std::string> names;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    ssize_t len = H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i,
                                     nullptr, 0, H5P_DEFAULT);
    if (len < 0 || len > (1 << 16))
      return fail("group member " + std::to_string(i) + " cannot be read");
    std::string name(static_cast<size_t>(len) + 1, '\0');
    H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(),
                       name.size(), H5P_DEFAULT);
    name.resize(static_cast<size_t>(len));
    names.push_back(std::move(name));
  }
  return names;
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

llvm::Expected<DatasetInfo> describe(Id parent, const std::string &name,
                                     int64_t maxElements) {
  Handle dataset(H5Dopen2(parent, name.c_str(), H5P_DEFAULT));
  if (!dataset.valid())
    return fail("cannot be opened as a dataset");
  Handle type(H5Dget_type(dataset.get()));
  Handle space(H5Dget_space(dataset.get()));
  if (!type.valid() || !space.valid())
    return fail("has an unreadable type or shape");
  DatasetInfo info;
  info.kind = kindOfType(type.get());
  info.typeName = typeName(type.get());
  if (H5Sget_simple_extent_type(space.get()) == H5S_NULL)
    return info;
  int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0 || rank > 32)
    return fail("has an unreadable shape");
  std::vector<hsize_t> dims(static_cast<size_t>(rank));
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  // The product is checked against the limit before each multiplication, so
  // it cannot overflow 64 bits whatever the header says.
  int64_t n = 1;
  for (hsize_t d : dims) {
    if (d > static_cast<hsize_t>(maxElements) ||
        (d != 0 && n > maxElements / static_cast<int64_t>(d))) {
      std::string shape;
      for (hsize_t e : dims)
        shape += (shape.empty() ? "" : "x") + std::to_string(e);
      return fail("has shape " + shape + ", more than the " +
                  std::to_string(maxElements) +
                  " elements a NIR field may have");
    }
    n *= static_cast<int64_t>(d);
    info.shape.push_back(static_cast<int64_t>(d));
  }
  info.numElements = n;
  size_t elementSize = H5Tget_size(type.get());
  if (elementSize == 0 || elementSize > (1u << 20))
    return fail("has elements of an unreadable size");
  // n <= maxElements < 2^40 and elementSize <= 2^20: no overflow.
  info.storageBytes = n * static_cast<int64_t>(elementSize);
  return info;
}

llvm::Expected<std::vector<std::string>> readStrings(Id parent,
                                                     const std::string &name) {
  Handle dataset(H5Dopen2(parent, name.c_str(), H5P_DEFAULT));
  if (!dataset.valid())
    return fail("cannot be opened as a dataset");
  Handle fileType(H5Dget_type(dataset.get()));
  if (H5Tget_class(fileType.get()) != H5T_STRING)
    return fail("is a " + typeName(fileType.get()) + " dataset, not a string");
  Handle space;
  llvm::Expected<hssize_t> count = pointCount(dataset, space);
  if (!count)
    return count.takeError();
  hssize_t n = *count;
  std::vector<std::string> out;
  if (n == 0)
    return out;
  // HDF5's own variable-length conversion allocates whatever length a
  // corrupt element claims (Hdf5Strings.h): such strings are read from the
  // file's bytes within limits instead.
  if (H5Tis_variable_str(fileType.get()) > 0)
    return readVariableStrings(dataset.get(), static_cast<uint64_t>(n));
  if (static_cast<uint64_t>(n) > kMaxStrings)
    return fail("holds " + std::to_string(n) +
                " strings, more than the limit of " +
                std::to_string(kMaxStrings));
  size_t width = H5Tget_size(fileType.get());
  if (width == 0 || width > kMaxStringBytes)
    return fail("has strings of " + std::to_string(width) +
                " bytes, more than the limit of " +
                std::to_string(kMaxStringBytes) + " bytes per string");
  if (static_cast<uint64_t>(n) * width > kMaxStringTableBytes)
    return fail("holds " + std::to_string(n) + " strings of " +
                std::to_string(width) + " bytes, more than the limit of " +
                std::to_string(kMaxStringTableBytes) + " bytes in all");
  Handle memType(H5Tcopy(H5T_C_S1));
  H5Tset_cset(memType.get(), H5Tget_cset(fileType.get()));
  H5Tset_size(memType.get(), width);
  H5Tset_strpad(memType.get(), H5T_STR_NULLPAD);
  std::vector<char> buffer(static_cast<size_t>(n) * width);
  if (H5Dread(dataset.get(), memType.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT,
              buffer.data()) < 0)
    return fail("cannot be read (truncated or corrupt data)");
  for (hssize_t i = 0; i < n; ++i) {
    const char *start = buffer.data() + i * width;
    out.emplace_back(start, strnlen(start, width));
  }
  return out;
}

llvm::Expected<std::vector<double>> readDoubles(Id parent,
                                                const std::string &name) {
  return readNumbers<double>(parent, name, H5T_NATIVE_DOUBLE);
}

llvm::Expected<std::vector<int64_t>> readInts(Id parent,
                                              const std::string &name) {
  return readNumbers<int64_t>(parent, name, H5T_NATIVE_INT64);
}

llvm::Expected<Handle> createGroup(Id parent, const std::string &name) {
  Handle group(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT,
                          H5P_DEFAULT));
  if (!group.valid())
    return fail("cannot create group '" + name + "'");
  return std::move(group);
}

namespace {
llvm::Error writeDataset(Id parent, const std::string &name, hid_t fileType,
                         hid_t memType, const std::vector<int64_t> &shape,
                         const void *data) {
  Handle space = dataspaceFor(shape);
  Handle dataset(H5Dcreate2(parent, name.c_str(), fileType, space.get(),
                            H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  if (!dataset.valid() ||
      H5Dwrite(dataset.get(), memType, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
    return fail("cannot write dataset '" + name + "'");
  return llvm::Error::success();
}
} // namespace

llvm::Error writeString(Id parent, const std::string &name,
                        const std::string &value) {
  Handle type = variableStringType();
  const char *pointer = value.c_str();
  return writeDataset(parent, name, type.get(), type.get(), {}, &pointer);
}

llvm::Error writeStringTable(Id parent, const std::string &name,
                             const std::vector<std::string> &values,
                             const std::vector<int64_t> &shape) {
  Handle type = variableStringType();
  std::vector<const char *> pointers;
  for (const std::string &v : values)
    pointers.push_back(v.c_str());
  return writeDataset(parent, name, type.get(), type.get(), shape,
                      pointers.data());
}

llvm::Error writeDoubles(Id parent, const std::string &name,
                         const std::vector<double> &values,
                         const std::vector<int64_t> &shape, bool asFloat32) {
  return writeDataset(parent, name, asFloat32 ? H5T_IEEE_F32LE : H5T_IEEE_F64LE,
                      H5T_NATIVE_DOUBLE, shape, values.data());
}

llvm::Error writeInts(Id parent, const std::string &name,
                      const std::vector<int64_t> &values,
                      const std::vector<int64_t> &shape) {
  return writeDataset(parent, name, H5T_STD_I64LE, H5T_NATIVE_INT64, shape,
                      values.data());
}

} // namespace snn::hdf5

//===- Hdf5Strings.h - variable-length strings within limits ----*- C++ -*-===//
//
// HDF5 stores a variable-length string as a 16-byte element in the dataset
// (its length, and the global heap collection and object that hold its
// bytes). HDF5's own conversion (H5Dread into char *) allocates the length
// the element claims before it looks at the heap, up to 4 GiB for a corrupt
// length (found by the nir-import fuzzer: H5T__conv_vlen), and it loops
// forever on some corrupt heaps (netx fuzzer, finding 5). So the NIR and netx
// readers read such strings themselves: the elements and the heap
// collections are read as raw bytes of the file HDF5 holds in memory (the
// core driver), every length checked against the limits below before
// anything is allocated, every offset against the collection and the file.
//
// Header-only so that the plain netx library (no MLIR) and the NIR library
// share it without a library of their own.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_NIR_HDF5STRINGS_H
#define SNN_NIR_HDF5STRINGS_H

#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"

#include <hdf5.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace snn::hdf5 {

/// The longest string a NIR or netx reader takes (node types, names,
/// padding modes, layer types are a few bytes).
constexpr uint64_t kMaxStringBytes = uint64_t(1) << 20;
/// The most strings one dataset may hold (an edge table of 2^19 edges)...
constexpr uint64_t kMaxStrings = uint64_t(1) << 20;
/// ...and the most bytes all of them may take together.
constexpr uint64_t kMaxStringTableBytes = uint64_t(1) << 26;
/// The most bytes of global heap collections read for one dataset (h5py
/// writes collections of 4 KiB; this bounds the work a file of many
/// overlapping collections could ask for).
constexpr uint64_t kMaxStringHeapBytes = uint64_t(1) << 28;

namespace detail {

inline llvm::Error stringError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// The bytes of the file `object` belongs to, as the core driver holds them;
/// empty when the file is not held in memory.
inline llvm::StringRef fileImage(hid_t object) {
  hid_t file = H5Iget_file_id(object);
  if (file < 0)
    return {};
  // A file being written may hold heap collections in HDF5's cache only.
  unsigned intent = 0;
  if (H5Fget_intent(file, &intent) >= 0 && (intent & H5F_ACC_RDWR))
    H5Fflush(file, H5F_SCOPE_LOCAL);
  hid_t access = H5Fget_access_plist(file);
  bool core = access >= 0 && H5Pget_driver(access) == H5FD_CORE;
  void *handle = nullptr;
  hsize_t size = 0;
  llvm::StringRef image;
  // The core driver's handle is the address of its buffer (H5FDcore.c).
  if (core && H5Fget_vfd_handle(file, access, &handle) >= 0 && handle &&
      H5Fget_filesize(file, &size) >= 0)
    image = llvm::StringRef(*static_cast<const char **>(handle), size);
  if (access >= 0)
    H5Pclose(access);
  H5Fclose(file);
  return image;
}

/// A little-endian unsigned integer of `width` bytes at `p`.
inline uint64_t decode(const char *p, size_t width) {
  uint64_t v = 0;
  for (size_t i = width; i-- > 0;)
    v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

/// One global heap collection's objects: index -> (offset in the file,
/// size), read once per collection.
using Collection = std::map<uint64_t, std::pair<uint64_t, uint64_t>>;

/// Reads the collection at absolute offset `at` (format: "GCOL", version 1,
/// 3 reserved bytes, its size; then objects of index (2 bytes), reference
/// count (2), 4 reserved bytes, size, and the data padded to 8 bytes, until
/// object 0, the free space).
inline llvm::Error readCollection(llvm::StringRef image, uint64_t at,
                                  unsigned sizeofSize, uint64_t &budget,
                                  Collection &out) {
  uint64_t header = 8 + sizeofSize;
  if (at > image.size() || image.size() - at < header ||
      image.substr(at, 4) != "GCOL")
    return stringError("refers to a string heap at byte " + llvm::Twine(at) +
                       ", which is not one (corrupt file)");
  uint64_t size = decode(image.data() + at + 8, sizeofSize);
  if (size < header || size > image.size() - at)
    return stringError("refers to a string heap of " + llvm::Twine(size) +
                       " bytes at byte " + llvm::Twine(at) +
                       ", beyond the file (corrupt file)");
  if (size > budget)
    return stringError("refers to string heaps of more than " +
                       llvm::Twine(kMaxStringHeapBytes) +
                       " bytes in all, the limit");
  budget -= size;
  uint64_t end = at + size, p = at + header;
  uint64_t objectHeader = 8 + sizeofSize;
  // Each step moves forward by at least objectHeader bytes: at most
  // size / objectHeader steps.
  while (end - p >= objectHeader) {
    uint64_t index = decode(image.data() + p, 2);
    if (index == 0)
      break; // the free space ends the collection
    uint64_t objectSize = decode(image.data() + p + 8, sizeofSize);
    uint64_t data = p + objectHeader;
    if (objectSize > end - data)
      return stringError("has a string heap object of " +
                         llvm::Twine(objectSize) +
                         " bytes, beyond its collection (corrupt file)");
    out.emplace(index, std::make_pair(data, objectSize));
    uint64_t padded = (objectSize + 7) / 8 * 8;
    if (padded > end - data)
      break;
    p = data + padded;
  }
  return llvm::Error::success();
}

} // namespace detail

/// Reads the `count` variable-length strings of `dataset` (whose file type
/// is a variable-length string) from the raw bytes of the file, within
/// kMaxStrings, kMaxStringBytes each and kMaxStringTableBytes in all. The
/// error says what is wrong with the dataset; the caller names the file,
/// node and field.
inline llvm::Expected<std::vector<std::string>>
readVariableStrings(hid_t dataset, uint64_t count) {
  using detail::stringError;
  if (count > kMaxStrings)
    return stringError("holds " + llvm::Twine(count) +
                       " strings, more than the limit of " +
                       llvm::Twine(kMaxStrings));
  std::vector<std::string> out;
  if (count == 0)
    return out;
  hid_t create = H5Dget_create_plist(dataset);
  H5D_layout_t layout = create >= 0 ? H5Pget_layout(create) : H5D_LAYOUT_ERROR;
  if (create >= 0)
    H5Pclose(create);
  // h5py, and so NIR's and lava-dl's writers, store strings contiguously.
  if (layout != H5D_CONTIGUOUS)
    return stringError("holds variable-length strings in a compact or "
                       "chunked layout; SNNC reads them stored contiguously, "
                       "as h5py writes them");
  llvm::StringRef image = detail::fileImage(dataset);
  if (image.empty())
    return stringError("cannot be read (the file is not held in memory)");
  hid_t file = H5Iget_file_id(dataset);
  hid_t fileCreate = file >= 0 ? H5Fget_create_plist(file) : -1;
  size_t sizeofAddr = 0, sizeofSize = 0;
  hsize_t base = 0; // the user block moves every address
  bool sizes = fileCreate >= 0 &&
               H5Pget_sizes(fileCreate, &sizeofAddr, &sizeofSize) >= 0 &&
               H5Pget_userblock(fileCreate, &base) >= 0;
  if (fileCreate >= 0)
    H5Pclose(fileCreate);
  if (file >= 0)
    H5Fclose(file);
  if (!sizes || sizeofAddr < 2 || sizeofAddr > 8 || sizeofSize < 2 ||
      sizeofSize > 8)
    return stringError("cannot be read (unreadable file header)");
  // An element: the length (4 bytes), the collection's address, the
  // object's index (4 bytes).
  uint64_t element = 8 + sizeofAddr;
  haddr_t start = H5Dget_offset(dataset); // absolute, user block included
  if (start == HADDR_UNDEF)
    return stringError("holds no stored strings (corrupt file)");
  if (start > image.size() || (image.size() - start) / element < count)
    return stringError("holds " + llvm::Twine(count) +
                       " strings beyond the end of the file (truncated?)");
  std::map<uint64_t, detail::Collection> collections;
  uint64_t total = 0, budget = kMaxStringHeapBytes;
  for (uint64_t i = 0; i < count; ++i) {
    const char *e = image.data() + start + i * element;
    uint64_t length = detail::decode(e, 4);
    uint64_t address = detail::decode(e + 4, sizeofAddr);
    uint64_t index = detail::decode(e + 4 + sizeofAddr, 4);
    if (length > kMaxStringBytes)
      return stringError("string " + llvm::Twine(i) + " claims " +
                         llvm::Twine(length) + " bytes, more than the limit " +
                         "of " + llvm::Twine(kMaxStringBytes) +
                         " bytes per string");
    total += length;
    if (total > kMaxStringTableBytes)
      return stringError("holds strings of more than " +
                         llvm::Twine(kMaxStringTableBytes) +
                         " bytes in all, the limit");
    if (length == 0 || address == 0) { // HDF5's empty (nil) string
      out.emplace_back();
      continue;
    }
    if (address > image.size() || base > image.size() - address)
      return stringError("string " + llvm::Twine(i) +
                         " lies beyond the end of the file (corrupt file)");
    auto [it, fresh] = collections.try_emplace(address);
    if (fresh) {
      if (llvm::Error bad = detail::readCollection(
              image, base + address, unsigned(sizeofSize), budget, it->second))
        return std::move(bad);
    }
    auto object = it->second.find(index);
    if (object == it->second.end() || object->second.second < length)
      return stringError("string " + llvm::Twine(i) +
                         " is missing from its heap (corrupt file)");
    // As a C string, the way HDF5's conversion hands it over.
    const char *text = image.data() + object->second.first;
    out.emplace_back(text, strnlen(text, length));
  }
  return out;
}

} // namespace snn::hdf5

#endif // SNN_NIR_HDF5STRINGS_H

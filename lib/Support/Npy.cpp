//===- Npy.cpp - NumPy .npy arrays in and out -----------------------------===//

#include "Support/Npy.h"

#include <cerrno>
#include <sys/stat.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>

namespace snn::npy {

namespace {

struct Dtype {
  const char *descr; // without the byte-order character
  const char *name;
  size_t size;
};

const Dtype kDtypes[] = {
    {"u1", "uint8", 1},   {"b1", "bool", 1},     {"i1", "int8", 1},
    {"i2", "int16", 2},   {"u2", "uint16", 2},   {"i4", "int32", 4},
    {"u4", "uint32", 4},  {"i8", "int64", 8},    {"u8", "uint64", 8},
    {"f4", "float32", 4}, {"f8", "float64", 8},
};

const Dtype *findDescr(const std::string &descr) {
  // One-byte types use '|', others '<' (little endian); '>' is refused.
  if (descr.size() != 3 || (descr[0] != '<' && descr[0] != '|'))
    return nullptr;
  for (const Dtype &d : kDtypes)
    if (descr.compare(1, 2, d.descr) == 0)
      return &d;
  return nullptr;
}

const Dtype *findName(const std::string &name) {
  for (const Dtype &d : kDtypes)
    if (name == d.name)
      return &d;
  return nullptr;
}

template <typename T> double readAs(const char *p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return static_cast<double>(v);
}

using Decoder = double (*)(const char *);

/// The element reader of `d`, chosen once per array: choosing it for each
/// element by comparing names made an array of 2^24 bytes take over 20 s
/// under ASan (found by the xylo-spec fuzzer; a .npz member inflates to it).
Decoder decoderFor(const Dtype &d) {
  std::string n = d.name;
  if (n == "uint8" || n == "bool")
    return &readAs<uint8_t>;
  if (n == "int8")
    return &readAs<int8_t>;
  if (n == "int16")
    return &readAs<int16_t>;
  if (n == "uint16")
    return &readAs<uint16_t>;
  if (n == "int32")
    return &readAs<int32_t>;
  if (n == "uint32")
    return &readAs<uint32_t>;
  if (n == "int64")
    return &readAs<int64_t>;
  if (n == "uint64")
    return &readAs<uint64_t>;
  if (n == "float32")
    return &readAs<float>;
  return &readAs<double>;
}

/// The value of `key` in the header dict, as written by NumPy.
std::optional<std::string> field(const std::string &header,
                                 const std::string &key) {
  size_t k = header.find("'" + key + "'");
  if (k == std::string::npos)
    return std::nullopt;
  size_t colon = header.find(':', k);
  if (colon == std::string::npos)
    return std::nullopt;
  size_t start = header.find_first_not_of(' ', colon + 1);
  if (start == std::string::npos)
    return std::nullopt;
  size_t end;
  if (header[start] == '\'') {
    end = header.find('\'', start + 1);
    return end == std::string::npos
               ? std::nullopt
               : std::optional<std::string>(header.substr(start + 1, end - start - 1));
  }
  if (header[start] == '(') {
    end = header.find(')', start);
    return end == std::string::npos
               ? std::nullopt
               : std::optional<std::string>(header.substr(start + 1, end - start - 1));
  }
  end = header.find_first_of(",}", start);
  return end == std::string::npos
             ? std::nullopt
             : std::optional<std::string>(header.substr(start, end - start));
}

} // namespace

std::optional<Array> parse(const std::string &bytes, std::string &error) {
  static const char magic[] = "\x93NUMPY";
  if (bytes.size() < 10 || bytes.compare(0, 6, magic, 6) != 0) {
    error = "not a .npy file (no \\x93NUMPY magic)";
    return std::nullopt;
  }
  unsigned major = static_cast<unsigned char>(bytes[6]);
  size_t headerLen, offset;
  if (major == 1) {
    headerLen = static_cast<unsigned char>(bytes[8]) |
                (static_cast<size_t>(static_cast<unsigned char>(bytes[9])) << 8);
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) {
      error = "truncated .npy header";
      return std::nullopt;
    }
    headerLen = 0;
    for (int i = 0; i < 4; ++i)
      headerLen |= static_cast<size_t>(static_cast<unsigned char>(bytes[8 + i]))
                   << (8 * i);
    offset = 12;
  } else {
    error = ".npy format version " + std::to_string(major) + " is unknown";
    return std::nullopt;
  }
  if (headerLen > bytes.size() - offset) {
    error = "truncated .npy header";
    return std::nullopt;
  }
  std::string header = bytes.substr(offset, headerLen);
  offset += headerLen;

  auto descr = field(header, "descr");
  auto fortran = field(header, "fortran_order");
  auto shapeText = field(header, "shape");
  if (!descr || !fortran || !shapeText) {
    error = "the .npy header lacks descr, fortran_order or shape";
    return std::nullopt;
  }
  const Dtype *dtype = findDescr(*descr);
  if (!dtype) {
    error = "dtype '" + *descr +
            "' is not supported (use little-endian bool, integers, float32 or "
            "float64)";
    return std::nullopt;
  }
  if (*fortran != "False") {
    error = "Fortran-ordered arrays are not supported (save with C order)";
    return std::nullopt;
  }
  Array array;
  array.dtype = dtype->name;
  std::stringstream dims(*shapeText);
  std::string item;
  int64_t count = 1;
  while (std::getline(dims, item, ',')) {
    size_t first = item.find_first_not_of(' ');
    if (first == std::string::npos)
      continue;
    char *end = nullptr;
    long long d = std::strtoll(item.c_str() + first, &end, 10);
    if (end == item.c_str() + first || d < 0 ||
        (d > 0 && count > std::numeric_limits<int64_t>::max() / d / 8)) {
      error = "the .npy shape (" + *shapeText + ") is not a valid shape";
      return std::nullopt;
    }
    array.shape.push_back(d);
    count *= d;
  }
  if (count > kMaxElements) {
    error = "the .npy shape (" + *shapeText + ") has " +
            std::to_string(count) + " elements, more than the " +
            std::to_string(kMaxElements) + " snn-run reads";
    return std::nullopt;
  }
  size_t need = static_cast<size_t>(count) * dtype->size;
  if (bytes.size() - offset < need) {
    error = "truncated .npy data: the shape (" + *shapeText + ") needs " +
            std::to_string(need) + " bytes but the file has " +
            std::to_string(bytes.size() - offset);
    return std::nullopt;
  }
  array.values.resize(static_cast<size_t>(count));
  const char *p = bytes.data() + offset;
  Decoder decode = decoderFor(*dtype);
  for (int64_t i = 0; i < count; ++i)
    array.values[i] = decode(p + i * dtype->size);
  return array;
}

bool isRegularFile(const std::string &path, std::string &error) {
  struct stat status;
  if (::stat(path.c_str(), &status) != 0) {
    error = path + ": " + std::strerror(errno);
    return false;
  }
  if (S_ISDIR(status.st_mode)) {
    error = path + ": is a directory, not a file";
    return false;
  }
  if (!S_ISREG(status.st_mode)) {
    error = path + ": is not a regular file (a device or a pipe)";
    return false;
  }
  return true;
}

std::optional<Array> load(const std::string &path, std::string &error) {
  if (!isRegularFile(path, error))
    return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": cannot be opened";
    return std::nullopt;
  }
  std::string bytes((std::istreambuf_iterator<char>(in)),
                    std::istreambuf_iterator<char>());
  auto array = parse(bytes, error);
  if (!array)
    error = path + ": " + error;
  return array;
}

bool save(const std::string &path, const std::vector<int64_t> &shape,
          const std::vector<double> &values, const std::string &dtype,
          std::string &error) {
  const Dtype *d = findName(dtype);
  if (!d) {
    error = "cannot write dtype " + dtype;
    return false;
  }
  std::string shapeText;
  for (int64_t s : shape)
    shapeText += std::to_string(s) + ", ";
  if (shape.size() > 1)
    shapeText.erase(shapeText.size() - 2);
  else if (shape.size() == 1)
    shapeText.pop_back();
  std::string header = std::string("{'descr': '") +
                       (d->size == 1 ? '|' : '<') + d->descr +
                       "', 'fortran_order': False, 'shape': (" + shapeText +
                       "), }";
  // Pad so that the data starts at a multiple of 64 bytes.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::ofstream out(path, std::ios::binary);
  if (!out) {
    error = path + ": cannot be written";
    return false;
  }
  out.write("\x93NUMPY\x01\x00", 8);
  uint16_t len = static_cast<uint16_t>(header.size());
  char lenBytes[2] = {static_cast<char>(len & 0xff), static_cast<char>(len >> 8)};
  out.write(lenBytes, 2);
  out << header;
  std::string name = d->name;
  for (double v : values) {
    auto put = [&](auto x) {
      out.write(reinterpret_cast<const char *>(&x), sizeof(x));
    };
    if (name == "float64")
      put(v);
    else if (name == "float32")
      put(static_cast<float>(v));
    else if (name == "int32")
      put(static_cast<int32_t>(v));
    else if (name == "int64")
      put(static_cast<int64_t>(v));
    else
      put(static_cast<uint8_t>(v));
  }
  if (!out) {
    error = path + ": write failed";
    return false;
  }
  return true;
}

} // namespace snn::npy

//===- XyloSpecIO.cpp - Rockpool Xylo specifications in and out -----------===//
//
// A specification goes through one intermediate form, a map from key to
// npy::Array (shape, values, dtype), whichever file it came from; one
// function (specFromArrays) checks keys, dtypes and shapes and builds the
// Spec. The zip reader is written for hostile input: every offset and size
// is checked against the bytes actually present before it is used.
//
//===----------------------------------------------------------------------===//

#include "Xylo/XyloSpecIO.h"

#include "Support/JsonFile.h"
#include "Support/Npy.h"

#include "llvm/Support/raw_ostream.h"

#include <zlib.h>

#include <sys/stat.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <set>

namespace snn::xylo {

namespace {

using Arrays = std::map<std::string, npy::Array>;

/// Far beyond any Xylo (1000 hidden neurons): a bound on every dimension so
/// that defaults built from a shape (weights_rec's zeros) stay small.
constexpr int64_t kMaxDim = 1 << 14;

const char *const kKeys[] = {"weights_in",
                             "weights_out",
                             "weights_rec",
                             "dash_mem",
                             "dash_mem_out",
                             "dash_syn",
                             "dash_syn_2",
                             "dash_syn_out",
                             "threshold",
                             "threshold_out",
                             "bias",
                             "bias_out",
                             "weight_shift_in",
                             "weight_shift_rec",
                             "weight_shift_out",
                             "aliases",
                             "dt"};

std::string shapeText(const std::vector<int64_t> &shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + (shape.size() == 1 ? ",)" : ")");
}

std::string indexText(const std::vector<int64_t> &shape, int64_t flat) {
  std::vector<int64_t> idx(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    idx[d] = shape[d] ? flat % shape[d] : 0;
    flat = shape[d] ? flat / shape[d] : 0;
  }
  std::string s = "[";
  for (size_t i = 0; i < idx.size(); ++i)
    s += (i ? ", " : "") + std::to_string(idx[i]);
  return s + "]";
}

//===--- zip (npz) reading ---===//

uint32_t rd16(const std::string &b, size_t at) {
  return uint32_t(uint8_t(b[at])) | uint32_t(uint8_t(b[at + 1])) << 8;
}
uint32_t rd32(const std::string &b, size_t at) {
  return rd16(b, at) | rd16(b, at + 2) << 16;
}
uint64_t rd64(const std::string &b, size_t at) {
  return uint64_t(rd32(b, at)) | uint64_t(rd32(b, at + 4)) << 32;
}

/// A central directory entry.
struct Member {
  std::string name;
  uint32_t method = 0, crc = 0;
  uint64_t compressedSize = 0, size = 0, offset = 0;
};

/// Replaces 0xFFFFFFFF sizes and offset with the zip64 extra field's.
bool applyZip64(const std::string &b, size_t extra, size_t extraLen, Member &m,
                std::string &error) {
  bool needSize = m.size == 0xFFFFFFFFu,
       needCompressed = m.compressedSize == 0xFFFFFFFFu,
       needOffset = m.offset == 0xFFFFFFFFu;
  if (!needSize && !needCompressed && !needOffset)
    return true;
  for (size_t at = extra; at + 4 <= extra + extraLen;) {
    uint32_t id = rd16(b, at), len = rd16(b, at + 2);
    if (at + 4 + len > extra + extraLen)
      break;
    if (id == 1) {
      size_t p = at + 4, end = at + 4 + len;
      for (auto [need, field] : {std::pair{needSize, &m.size},
                                 {needCompressed, &m.compressedSize},
                                 {needOffset, &m.offset}}) {
        if (!need)
          continue;
        if (p + 8 > end) {
          error = "member '" + m.name + "': short zip64 extra field";
          return false;
        }
        *field = rd64(b, p);
        p += 8;
      }
      return true;
    }
    at += 4 + len;
  }
  error = "member '" + m.name + "': sizes need a zip64 field that is absent";
  return false;
}

/// The central directory's entries, checked to lie inside the file.
std::optional<std::vector<Member>> readDirectory(const std::string &b,
                                                 std::string &error) {
  if (b.size() < 22) {
    error = "not a zip file (too short)";
    return std::nullopt;
  }
  size_t eocd = std::string::npos;
  size_t lowest = b.size() > 22 + 65535 ? b.size() - 22 - 65535 : 0;
  for (size_t at = b.size() - 22 + 1; at-- > lowest;)
    if (rd32(b, at) == 0x06054b50u) {
      eocd = at;
      break;
    }
  if (eocd == std::string::npos) {
    error = "not a zip file (no end of central directory record)";
    return std::nullopt;
  }
  uint64_t count = rd16(b, eocd + 10), dirSize = rd32(b, eocd + 12),
           dirOffset = rd32(b, eocd + 16);
  if (count == 0xFFFF || dirSize == 0xFFFFFFFFu || dirOffset == 0xFFFFFFFFu) {
    error = "zip64 archives (over 65535 members or 4 GiB) are not supported";
    return std::nullopt;
  }
  if (dirOffset + dirSize > eocd) {
    error = "the zip central directory lies outside the file";
    return std::nullopt;
  }
  std::vector<Member> members;
  size_t at = dirOffset, end = dirOffset + dirSize;
  for (uint64_t i = 0; i < count; ++i) {
    if (at + 46 > end || rd32(b, at) != 0x02014b50u) {
      error = "zip central directory entry " + std::to_string(i) +
              " is truncated or corrupt";
      return std::nullopt;
    }
    Member m;
    m.method = rd16(b, at + 10);
    m.crc = rd32(b, at + 16);
    m.compressedSize = rd32(b, at + 20);
    m.size = rd32(b, at + 24);
    size_t nameLen = rd16(b, at + 28), extraLen = rd16(b, at + 30),
           commentLen = rd16(b, at + 32);
    m.offset = rd32(b, at + 42);
    if (at + 46 + nameLen + extraLen + commentLen > end) {
      error =
          "zip central directory entry " + std::to_string(i) + " is truncated";
      return std::nullopt;
    }
    m.name = b.substr(at + 46, nameLen);
    if (!applyZip64(b, at + 46 + nameLen, extraLen, m, error))
      return std::nullopt;
    members.push_back(std::move(m));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return members;
}

/// A member's uncompressed bytes: stored or deflated, size and CRC checked.
std::optional<std::string> readMember(const std::string &b, const Member &m,
                                      std::string &error) {
  std::string where = "member '" + m.name + "'";
  if (m.offset > b.size() || b.size() - m.offset < 30 ||
      rd32(b, m.offset) != 0x04034b50u) {
    error = where + ": local header outside the file or corrupt";
    return std::nullopt;
  }
  uint64_t data =
      m.offset + 30 + rd16(b, m.offset + 26) + rd16(b, m.offset + 28);
  if (data > b.size() || m.compressedSize > b.size() - data) {
    error = where + ": data runs past the end of the file";
    return std::nullopt;
  }
  if (m.size > static_cast<uint64_t>(kMaxArrayBytes)) {
    error = where + ": " + std::to_string(m.size) + " bytes exceed the " +
            std::to_string(kMaxArrayBytes) + "-byte limit";
    return std::nullopt;
  }
  std::string out;
  if (m.method == 0) {
    if (m.compressedSize != m.size) {
      error = where + ": stored member with differing sizes";
      return std::nullopt;
    }
    out = b.substr(data, m.size);
  } else if (m.method == 8) {
    out.assign(m.size, '\0');
    z_stream z{};
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK) {
      error = where + ": zlib cannot start";
      return std::nullopt;
    }
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(b.data() + data));
    z.avail_in = static_cast<uInt>(m.compressedSize);
    z.next_out = reinterpret_cast<Bytef *>(out.data());
    z.avail_out = static_cast<uInt>(m.size);
    int rc = inflate(&z, Z_FINISH);
    uint64_t produced = z.total_out;
    inflateEnd(&z);
    if (rc != Z_STREAM_END || produced != m.size) {
      error = where + ": deflate data corrupt or not of the stated size";
      return std::nullopt;
    }
  } else {
    error = where + ": compression method " + std::to_string(m.method) +
            " is not supported (stored or deflated only)";
    return std::nullopt;
  }
  uint32_t crc = static_cast<uint32_t>(
      crc32(0, reinterpret_cast<const Bytef *>(out.data()),
            static_cast<uInt>(out.size())));
  if (crc != m.crc) {
    error = where + ": CRC mismatch";
    return std::nullopt;
  }
  return out;
}

std::optional<Arrays> arraysFromNpz(const std::string &bytes,
                                    std::string &error) {
  auto members = readDirectory(bytes, error);
  if (!members)
    return std::nullopt;
  Arrays arrays;
  for (const Member &m : *members) {
    if (m.name.size() < 5 || m.name.compare(m.name.size() - 4, 4, ".npy")) {
      error = "member '" + m.name + "' is not a .npy array";
      return std::nullopt;
    }
    std::string key = m.name.substr(0, m.name.size() - 4);
    if (arrays.count(key)) {
      error = "key '" + key + "' appears twice";
      return std::nullopt;
    }
    auto data = readMember(bytes, m, error);
    if (!data)
      return std::nullopt;
    auto array = npy::parse(*data, error);
    if (!array) {
      error = "key '" + key + "': " + error;
      return std::nullopt;
    }
    arrays.emplace(key, std::move(*array));
  }
  return arrays;
}

//===--- json reading ---===//

/// A nested list of numbers as an array; dtype int64 when every number is
/// an integer.
bool flattenJson(const llvm::json::Value &v, size_t depth, npy::Array &out,
                 bool &allInts, const std::string &key, std::string &error) {
  if (auto *list = v.getAsArray()) {
    if (depth == out.shape.size())
      out.shape.push_back(static_cast<int64_t>(list->size()));
    else if (depth > out.shape.size() ||
             out.shape[depth] != static_cast<int64_t>(list->size())) {
      error = "key '" + key + "': nested lists are not rectangular";
      return false;
    }
    for (const llvm::json::Value &item : *list)
      if (!flattenJson(item, depth + 1, out, allInts, key, error))
        return false;
    return true;
  }
  if (depth != out.shape.size()) {
    error = "key '" + key + "': nested lists are not rectangular";
    return false;
  }
  if (auto i = v.getAsInteger()) {
    out.values.push_back(static_cast<double>(*i));
    return true;
  }
  if (auto d = v.getAsNumber()) {
    allInts = false;
    out.values.push_back(*d);
    return true;
  }
  error = "key '" + key + "': holds something other than numbers";
  return false;
}

std::optional<Arrays>
arraysFromJson(const llvm::json::Value &root,
               std::optional<std::vector<std::vector<int64_t>>> &aliases,
               std::string &error) {
  const llvm::json::Object *obj = root.getAsObject();
  if (!obj) {
    error = "a specification must be a JSON object of keys";
    return std::nullopt;
  }
  Arrays arrays;
  for (const auto &[k, v] : *obj) {
    std::string key = k.str();
    if (key == "aliases") {
      aliases.emplace();
      const llvm::json::Array *lists = v.getAsArray();
      if (!lists) {
        error = "key 'aliases': needs a list of lists of neuron indices";
        return std::nullopt;
      }
      for (size_t h = 0; h < lists->size(); ++h) {
        const llvm::json::Array *l = (*lists)[h].getAsArray();
        if (!l) {
          error = "aliases[" + std::to_string(h) + "]: needs a list";
          return std::nullopt;
        }
        aliases->emplace_back();
        for (const llvm::json::Value &t : *l) {
          auto i = t.getAsInteger();
          if (!i) {
            error = "aliases[" + std::to_string(h) + "]: needs integers";
            return std::nullopt;
          }
          aliases->back().push_back(*i);
        }
      }
      continue;
    }
    npy::Array a;
    bool allInts = true;
    if (!flattenJson(v, 0, a, allInts, key, error))
      return std::nullopt;
    a.dtype = allInts ? "int64" : "float64";
    arrays.emplace(key, std::move(a));
  }
  return arrays;
}

//===--- arrays -> Spec ---===//

bool isIntegerDtype(const std::string &d) {
  return d == "bool" || d.find("int") != std::string::npos;
}

/// An array's values as int64: integer dtypes, or floats that hold integers
/// (Rockpool's mapper writes float arrays by default).
bool toInts(const std::string &key, const npy::Array &a,
            std::vector<int64_t> &out, std::string &error) {
  out.resize(a.values.size());
  for (size_t i = 0; i < a.values.size(); ++i) {
    double v = a.values[i];
    if (!std::isfinite(v) || v != std::floor(v) || std::fabs(v) > 0x1p62) {
      error = "key '" + key + "'" +
              indexText(a.shape, static_cast<int64_t>(i)) + " = " +
              std::to_string(v) + " is not an integer (dtype " + a.dtype + ")";
      return false;
    }
    out[i] = static_cast<int64_t>(v);
  }
  return true;
}

bool needShape(const std::string &key, const npy::Array &a,
               const std::vector<int64_t> &shape, const std::string &meaning,
               std::string &error) {
  if (a.shape == shape)
    return true;
  error = "key '" + key + "' has shape " + shapeText(a.shape) + " but needs " +
          meaning + " = " + shapeText(shape);
  return false;
}

/// weights_in / weights_rec: rank 2, or rank 3 with 1 or 2 synapses.
bool weightShape(const std::string &key, const npy::Array &a, int64_t &syn,
                 bool &is3d, std::string &error) {
  if (a.shape.size() == 2 ||
      (a.shape.size() == 3 && (a.shape[2] == 1 || a.shape[2] == 2))) {
    is3d = a.shape.size() == 3;
    syn = is3d ? a.shape[2] : 1;
    for (int64_t d : a.shape)
      if (d > kMaxDim) {
        error = "key '" + key + "' has shape " + shapeText(a.shape) +
                ": a dimension beyond " + std::to_string(kMaxDim);
        return false;
      }
    return true;
  }
  error = "key '" + key + "' has shape " + shapeText(a.shape) +
          " but needs (N, M) or (N, M, 1 or 2)";
  return false;
}

bool readWeights(const Arrays &arrays, Spec &s, std::string &error) {
  const npy::Array &in = arrays.at("weights_in");
  if (!weightShape("weights_in", in, s.synIn, s.in3d, error) ||
      !toInts("weights_in", in, s.weightsIn, error))
    return false;
  s.nIn = in.shape[0];
  s.nIen = in.shape[1];
  auto rec = arrays.find("weights_rec");
  if (rec != arrays.end()) {
    const npy::Array &r = rec->second;
    if (!weightShape("weights_rec", r, s.synRec, s.rec3d, error))
      return false;
    if (r.shape[0] != r.shape[1]) {
      error = "key 'weights_rec' has shape " + shapeText(r.shape) +
              " but needs (Nhid, Nhid[, 2])";
      return false;
    }
    if (!toInts("weights_rec", r, s.weightsRec, error))
      return false;
    s.nHid = r.shape[0];
  } else {
    // from_specification: weights_rec defaults to zeros (Nien, Nien).
    s.nHid = s.nIen;
    s.weightsRec.assign(static_cast<size_t>(s.nHid * s.nHid), 0);
  }
  const npy::Array &out = arrays.at("weights_out");
  if (out.shape.size() != 2 || out.shape[0] > kMaxDim ||
      out.shape[1] > kMaxDim) {
    error = "key 'weights_out' has shape " + shapeText(out.shape) +
            " but needs (Noen, Nout)";
    return false;
  }
  if (!toInts("weights_out", out, s.weightsOut, error))
    return false;
  s.nOen = out.shape[0];
  s.nOut = out.shape[1];
  if (s.nIen > s.nHid || s.nOen > s.nHid) {
    error = checkShapes(s);
    return false;
  }
  return true;
}

bool readVectors(const Arrays &arrays, Spec &s, std::string &error) {
  struct Vec {
    const char *key;
    std::vector<int64_t> &v;
    int64_t n;
    const char *meaning;
  } vecs[] = {{"dash_mem", s.dashMem, s.nHid, "(Nhid,)"},
              {"dash_syn", s.dashSyn, s.nHid, "(Nhid,)"},
              {"dash_syn_2", s.dashSyn2, s.nHid, "(Nhid,)"},
              {"threshold", s.threshold, s.nHid, "(Nhid,)"},
              {"bias", s.bias, s.nHid, "(Nhid,)"},
              {"dash_mem_out", s.dashMemOut, s.nOut, "(Nout,)"},
              {"dash_syn_out", s.dashSynOut, s.nOut, "(Nout,)"},
              {"threshold_out", s.thresholdOut, s.nOut, "(Nout,)"},
              {"bias_out", s.biasOut, s.nOut, "(Nout,)"}};
  for (Vec &v : vecs) {
    auto it = arrays.find(v.key);
    if (it == arrays.end()) {
      v.v.assign(static_cast<size_t>(v.n), 0); // from_specification's 0
      continue;
    }
    if (!needShape(v.key, it->second, {v.n}, v.meaning, error) ||
        !toInts(v.key, it->second, v.v, error))
      return false;
  }
  struct Scalar {
    const char *key;
    int64_t &v;
  } scalars[] = {{"weight_shift_in", s.weightShiftIn},
                 {"weight_shift_rec", s.weightShiftRec},
                 {"weight_shift_out", s.weightShiftOut}};
  for (Scalar &sc : scalars) {
    auto it = arrays.find(sc.key);
    if (it == arrays.end())
      continue;
    std::vector<int64_t> v;
    if (!needShape(sc.key, it->second, {}, "a scalar", error) ||
        !toInts(sc.key, it->second, v, error))
      return false;
    sc.v = v[0];
  }
  auto dt = arrays.find("dt");
  if (dt != arrays.end()) {
    if (!needShape("dt", dt->second, {}, "a scalar", error))
      return false;
    s.dt = dt->second.values[0];
  }
  return true;
}

/// npz aliases: (Nhid, k) integers, -1 for no target, or (Nhid,).
bool aliasesFromArray(const npy::Array &a, Spec &s, std::string &error) {
  if (a.shape.empty() || a.shape.size() > 2 || a.shape[0] != s.nHid) {
    error = "key 'aliases' has shape " + shapeText(a.shape) +
            " but needs (Nhid, k) = (" + std::to_string(s.nHid) +
            ", k), -1 marking no target";
    return false;
  }
  std::vector<int64_t> v;
  if (!toInts("aliases", a, v, error))
    return false;
  int64_t k = a.shape.size() == 2 ? a.shape[1] : 1;
  s.aliases.assign(static_cast<size_t>(s.nHid), {});
  for (int64_t h = 0; h < s.nHid; ++h)
    for (int64_t j = 0; j < k; ++j)
      if (v[h * k + j] != -1)
        s.aliases[h].push_back(v[h * k + j]);
  return true;
}

std::optional<Spec>
specFromArrays(const Arrays &arrays,
               const std::optional<std::vector<std::vector<int64_t>>> &aliases,
               std::string &error) {
  std::set<std::string> known(std::begin(kKeys), std::end(kKeys));
  for (const auto &[key, a] : arrays) {
    if (key == "mapped_graph") {
      error = "key 'mapped_graph' is a Rockpool graph object, not numbers: "
              "pop it from the specification before saving";
      return std::nullopt;
    }
    if (!known.count(key)) {
      error = "unknown key '" + key +
              "' (not an argument of "
              "XyloSim.from_specification)";
      return std::nullopt;
    }
    if (key != "dt" && key != "aliases" && !isIntegerDtype(a.dtype) &&
        a.dtype != "float32" && a.dtype != "float64") {
      error = "key '" + key + "' has dtype " + a.dtype;
      return std::nullopt;
    }
  }
  for (const char *key : {"weights_in", "weights_out"})
    if (!arrays.count(key)) {
      error = std::string("missing key '") + key +
              "' (XyloSim.from_specification requires it)";
      return std::nullopt;
    }
  Spec s;
  if (!readWeights(arrays, s, error) || !readVectors(arrays, s, error))
    return std::nullopt;
  s.aliases.assign(static_cast<size_t>(s.nHid), {});
  if (aliases) {
    if (static_cast<int64_t>(aliases->size()) != s.nHid) {
      error = "key 'aliases' has " + std::to_string(aliases->size()) +
              " lists but needs one per hidden neuron (" +
              std::to_string(s.nHid) + ")";
      return std::nullopt;
    }
    s.aliases = *aliases;
  } else if (auto it = arrays.find("aliases"); it != arrays.end()) {
    if (!aliasesFromArray(it->second, s, error))
      return std::nullopt;
  }
  return s;
}

bool readBytes(const std::string &path, std::string &bytes,
               std::string &error) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    error = path + ": cannot be opened";
    return false;
  }
  if (!S_ISREG(st.st_mode)) {
    error = path + ": not a regular file";
    return false;
  }
  if (st.st_size > kMaxFileBytes) {
    error = path + ": " + std::to_string(st.st_size) + " bytes exceed the " +
            std::to_string(kMaxFileBytes) + "-byte limit";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": cannot be opened";
    return false;
  }
  bytes.assign(std::istreambuf_iterator<char>(in),
               std::istreambuf_iterator<char>());
  return true;
}

bool endsWith(const std::string &s, const std::string &tail) {
  return s.size() >= tail.size() &&
         s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

//===--- writing ---===//

struct Dtype {
  const char *descr; // with byte order
  int size;
  int64_t lo, hi;
};
const Dtype kInt8{"|i1", 1, -128, 127}, kUint8{"|u1", 1, 0, 255},
    kInt16{"<i2", 2, -32768, 32767}, kInt64{"<i8", 8, INT64_MIN, INT64_MAX};

std::string npyHeader(const char *descr, const std::vector<int64_t> &shape) {
  std::string h = std::string("{'descr': '") + descr +
                  "', 'fortran_order': False, 'shape': " + shapeText(shape) +
                  ", }";
  // Magic (6) + version (2) + length (2) + header + '\n', padded to 64.
  size_t total = 10 + h.size() + 1;
  h.append((64 - total % 64) % 64, ' ');
  h += '\n';
  std::string out("\x93NUMPY\x01\x00", 8);
  out += char(h.size() & 0xFF);
  out += char((h.size() >> 8) & 0xFF);
  return out + h;
}

bool npyInts(const std::string &key, const std::vector<int64_t> &v,
             const std::vector<int64_t> &shape, const Dtype &d,
             std::string &out, std::string &error) {
  out = npyHeader(d.descr, shape);
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] < d.lo || v[i] > d.hi) {
      error = "key '" + key + "'" + indexText(shape, static_cast<int64_t>(i)) +
              " = " + std::to_string(v[i]) + " does not fit " + d.descr;
      return false;
    }
    uint64_t u = static_cast<uint64_t>(v[i]);
    for (int b = 0; b < d.size; ++b)
      out += char((u >> (8 * b)) & 0xFF);
  }
  return true;
}

std::string npyFloat(double x) {
  std::string out = npyHeader("<f8", {});
  uint64_t u;
  std::memcpy(&u, &x, 8);
  for (int b = 0; b < 8; ++b)
    out += char((u >> (8 * b)) & 0xFF);
  return out;
}

void put16(std::string &o, uint32_t v) {
  o += char(v & 0xFF);
  o += char((v >> 8) & 0xFF);
}
void put32(std::string &o, uint32_t v) {
  put16(o, v & 0xFFFF);
  put16(o, v >> 16);
}

/// A zip of stored members, as numpy's np.load reads it.
std::string
zipStored(const std::vector<std::pair<std::string, std::string>> &members) {
  std::string file, dir;
  for (const auto &[name, data] : members) {
    uint32_t crc = static_cast<uint32_t>(
        crc32(0, reinterpret_cast<const Bytef *>(data.data()),
              static_cast<uInt>(data.size())));
    uint32_t offset = static_cast<uint32_t>(file.size());
    auto common = [&](std::string &o) {
      put16(o, 20);   // version needed
      put16(o, 0);    // flags
      put16(o, 0);    // stored
      put16(o, 0);    // time
      put16(o, 0x21); // date 1980-01-01
      put32(o, crc);
      put32(o, static_cast<uint32_t>(data.size()));
      put32(o, static_cast<uint32_t>(data.size()));
      put16(o, static_cast<uint32_t>(name.size()));
      put16(o, 0); // extra
    };
    put32(file, 0x04034b50u);
    common(file);
    file += name;
    file += data;
    put32(dir, 0x02014b50u);
    put16(dir, 20); // version made by
    common(dir);
    put16(dir, 0); // comment
    put16(dir, 0); // disk
    put16(dir, 0); // internal attributes
    put32(dir, 0); // external attributes
    put32(dir, offset);
    dir += name;
  }
  std::string out = file + dir;
  put32(out, 0x06054b50u);
  put16(out, 0);
  put16(out, 0);
  put16(out, static_cast<uint32_t>(members.size()));
  put16(out, static_cast<uint32_t>(members.size()));
  put32(out, static_cast<uint32_t>(dir.size()));
  put32(out, static_cast<uint32_t>(file.size()));
  put16(out, 0);
  return out;
}

std::vector<int64_t> inShape(const Spec &s) {
  if (s.in3d)
    return {s.nIn, s.nIen, s.synIn};
  return {s.nIn, s.nIen};
}
std::vector<int64_t> recShape(const Spec &s) {
  if (s.rec3d)
    return {s.nHid, s.nHid, s.synRec};
  return {s.nHid, s.nHid};
}

/// aliases as (Nhid, k), -1 padded.
std::pair<std::vector<int64_t>, std::vector<int64_t>>
aliasArray(const Spec &s) {
  size_t k = 0;
  for (const auto &a : s.aliases)
    k = std::max(k, a.size());
  std::vector<int64_t> v(s.aliases.size() * k, -1);
  for (size_t h = 0; h < s.aliases.size(); ++h)
    for (size_t j = 0; j < s.aliases[h].size(); ++j)
      v[h * k + j] = s.aliases[h][j];
  return {v, {static_cast<int64_t>(s.aliases.size()), int64_t(k)}};
}

bool writeFile(const std::string &path, const std::string &bytes,
               std::string &error) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out || !out.write(bytes.data(), bytes.size())) {
    error = path + ": cannot be written";
    return false;
  }
  return true;
}

void jsonNested(llvm::json::OStream &j, const std::vector<int64_t> &v,
                const std::vector<int64_t> &shape, size_t dim, int64_t &at) {
  if (dim == shape.size()) {
    j.value(v[at++]);
    return;
  }
  j.arrayBegin();
  for (int64_t i = 0; i < shape[dim]; ++i)
    jsonNested(j, v, shape, dim + 1, at);
  j.arrayEnd();
}

/// A specification is a flat object of arrays up to rank 3.
constexpr int64_t kMaxSpecJsonDepth = 8;

} // namespace

static std::optional<Spec> parseSpecNpzStr(const std::string &bytes, std::string &error) {
  auto arrays = arraysFromNpz(bytes, error);
  if (!arrays)
    return std::nullopt;
  return specFromArrays(*arrays, std::nullopt, error);
}

static std::optional<Spec> parseSpecJsonStr(const std::string &text, std::string &error) {
  // LLVM's JSON parser recurses once per level: refuse deep nesting before
  // it sees the text (a specification needs 4 levels).
  if (jsonNestingDepth(text, kMaxSpecJsonDepth) > kMaxSpecJsonDepth) {
    error = "JSON nested deeper than " + std::to_string(kMaxSpecJsonDepth) +
            " levels (a specification needs 4)";
    return std::nullopt;
  }
  llvm::Expected<llvm::json::Value> root = llvm::json::parse(text);
  if (!root) {
    error = "not JSON: " + llvm::toString(root.takeError());
    return std::nullopt;
  }
  std::optional<std::vector<std::vector<int64_t>>> aliases;
  auto arrays = arraysFromJson(*root, aliases, error);
  if (!arrays)
    return std::nullopt;
  return specFromArrays(*arrays, aliases, error);
}

static std::optional<Spec> readSpecNpzStr(const std::string &path, std::string &error) {
  std::string bytes;
  if (!readBytes(path, bytes, error))
    return std::nullopt;
  auto spec = parseSpecNpzStr(bytes, error);
  if (!spec)
    error = path + ": " + error;
  return spec;
}

static std::optional<Spec> readSpecJsonStr(const std::string &path, std::string &error) {
  std::string bytes;
  if (!readBytes(path, bytes, error))
    return std::nullopt;
  auto spec = parseSpecJsonStr(bytes, error);
  if (!spec)
    error = path + ": " + error;
  return spec;
}

static std::optional<Spec> readSpecStr(const std::string &path, std::string &error) {
  if (endsWith(path, ".json"))
    return readSpecJsonStr(path, error);
  return readSpecNpzStr(path, error);
}

static bool writeSpecNpzStr(const Spec &s, const std::string &path, std::string &error) {
  std::string shapes = checkShapes(s);
  if (!shapes.empty()) {
    error = path + ": " + shapes;
    return false;
  }
  std::vector<std::pair<std::string, std::string>> members;
  auto add = [&](const std::string &key, const std::vector<int64_t> &v,
                 const std::vector<int64_t> &shape, const Dtype &d) {
    std::string bytes;
    if (!npyInts(key, v, shape, d, bytes, error))
      return false;
    members.emplace_back(key + ".npy", std::move(bytes));
    return true;
  };
  auto [aliasValues, aliasShape] = aliasArray(s);
  bool ok = add("weights_in", s.weightsIn, inShape(s), kInt8) &&
            add("weights_out", s.weightsOut, {s.nOen, s.nOut}, kInt8) &&
            add("weights_rec", s.weightsRec, recShape(s), kInt8) &&
            add("dash_mem", s.dashMem, {s.nHid}, kUint8) &&
            add("dash_mem_out", s.dashMemOut, {s.nOut}, kUint8) &&
            add("dash_syn", s.dashSyn, {s.nHid}, kUint8) &&
            add("dash_syn_2", s.dashSyn2, {s.nHid}, kUint8) &&
            add("dash_syn_out", s.dashSynOut, {s.nOut}, kUint8) &&
            add("threshold", s.threshold, {s.nHid}, kInt16) &&
            add("threshold_out", s.thresholdOut, {s.nOut}, kInt16) &&
            add("bias", s.bias, {s.nHid}, kInt16) &&
            add("bias_out", s.biasOut, {s.nOut}, kInt16) &&
            add("weight_shift_in", {s.weightShiftIn}, {}, kInt64) &&
            add("weight_shift_rec", {s.weightShiftRec}, {}, kInt64) &&
            add("weight_shift_out", {s.weightShiftOut}, {}, kInt64) &&
            add("aliases", aliasValues, aliasShape, kInt64);
  if (!ok) {
    error = path + ": " + error;
    return false;
  }
  members.emplace_back("dt.npy", npyFloat(s.dt));
  return writeFile(path, zipStored(members), error);
}

static bool writeSpecJsonStr(const Spec &s, const std::string &path, std::string &error) {
  std::string shapes = checkShapes(s);
  if (!shapes.empty()) {
    error = path + ": " + shapes;
    return false;
  }
  std::string text;
  llvm::raw_string_ostream os(text);
  {
    llvm::json::OStream j(os, 1);
    auto arr = [&](const char *key, const std::vector<int64_t> &v,
                   const std::vector<int64_t> &shape) {
      int64_t at = 0;
      j.attributeBegin(key);
      jsonNested(j, v, shape, 0, at);
      j.attributeEnd();
    };
    j.objectBegin();
    arr("weights_in", s.weightsIn, inShape(s));
    arr("weights_out", s.weightsOut, {s.nOen, s.nOut});
    arr("weights_rec", s.weightsRec, recShape(s));
    arr("dash_mem", s.dashMem, {s.nHid});
    arr("dash_mem_out", s.dashMemOut, {s.nOut});
    arr("dash_syn", s.dashSyn, {s.nHid});
    arr("dash_syn_2", s.dashSyn2, {s.nHid});
    arr("dash_syn_out", s.dashSynOut, {s.nOut});
    arr("threshold", s.threshold, {s.nHid});
    arr("threshold_out", s.thresholdOut, {s.nOut});
    arr("bias", s.bias, {s.nHid});
    arr("bias_out", s.biasOut, {s.nOut});
    j.attribute("weight_shift_in", s.weightShiftIn);
    j.attribute("weight_shift_rec", s.weightShiftRec);
    j.attribute("weight_shift_out", s.weightShiftOut);
    j.attributeBegin("aliases");
    j.arrayBegin();
    for (const auto &a : s.aliases) {
      j.arrayBegin();
      for (int64_t t : a)
        j.value(t);
      j.arrayEnd();
    }
    j.arrayEnd();
    j.attributeEnd();
    j.attribute("dt", s.dt);
    j.objectEnd();
  }
  os << "\n";
  return writeFile(path, text, error);
}

static bool writeSpecStr(const Spec &spec, const std::string &path, std::string &error) {
  if (endsWith(path, ".json"))
    return writeSpecJsonStr(spec, path, error);
  return writeSpecNpzStr(spec, path, error);
}

// The public forms: the messages above as llvm::Error.

static llvm::Error stringError(const std::string &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

static llvm::Expected<Spec> expected(std::optional<Spec> spec,
                                     const std::string &error) {
  if (!spec)
    return stringError(error);
  return std::move(*spec);
}

llvm::Expected<Spec> readSpec(const std::string &path) {
  std::string error;
  return expected(readSpecStr(path, error), error);
}
llvm::Expected<Spec> readSpecNpz(const std::string &path) {
  std::string error;
  return expected(readSpecNpzStr(path, error), error);
}
llvm::Expected<Spec> readSpecJson(const std::string &path) {
  std::string error;
  return expected(readSpecJsonStr(path, error), error);
}
llvm::Expected<Spec> parseSpecNpz(const std::string &bytes) {
  std::string error;
  return expected(parseSpecNpzStr(bytes, error), error);
}
llvm::Expected<Spec> parseSpecJson(const std::string &text) {
  std::string error;
  return expected(parseSpecJsonStr(text, error), error);
}
llvm::Error writeSpecNpz(const Spec &spec, const std::string &path) {
  std::string error;
  return writeSpecNpzStr(spec, path, error) ? llvm::Error::success()
                                            : stringError(error);
}
llvm::Error writeSpecJson(const Spec &spec, const std::string &path) {
  std::string error;
  return writeSpecJsonStr(spec, path, error) ? llvm::Error::success()
                                             : stringError(error);
}
llvm::Error writeSpec(const Spec &spec, const std::string &path) {
  std::string error;
  return writeSpecStr(spec, path, error) ? llvm::Error::success()
                                         : stringError(error);
}

} // namespace snn::xylo

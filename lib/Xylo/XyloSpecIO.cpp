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

llvm::Error fail(const std::string &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// `e`'s message after `prefix: `.
llvm::Error prefixed(const std::string &prefix, llvm::Error e) {
  return fail(prefix + ": " + llvm::toString(std::move(e)));
}

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
llvm::Error applyZip64(const std::string &b, size_t extra, size_t extraLen,
                       Member &m) {
  bool needSize = m.size == 0xFFFFFFFFu,
       needCompressed = m.compressedSize == 0xFFFFFFFFu,
       needOffset = m.offset == 0xFFFFFFFFu;
  if (!needSize && !needCompressed && !needOffset)
    return llvm::Error::success();
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
        if (p + 8 > end)
          return fail("member '" + m.name + "': short zip64 extra field");
        *field = rd64(b, p);
        p += 8;
      }
      return llvm::Error::success();
    }
    at += 4 + len;
  }
  return fail("member '" + m.name +
              "': sizes need a zip64 field that is absent");
}

/// The central directory's entries, checked to lie inside the file.
llvm::Expected<std::vector<Member>> readDirectory(const std::string &b) {
  if (b.size() < 22)
    return fail("not a zip file (too short)");
  size_t eocd = std::string::npos;
  size_t lowest = b.size() > 22 + 65535 ? b.size() - 22 - 65535 : 0;
  for (size_t at = b.size() - 22 + 1; at-- > lowest;)
    if (rd32(b, at) == 0x06054b50u) {
      eocd = at;
      break;
    }
  if (eocd == std::string::npos)
    return fail("not a zip file (no end of central directory record)");
  uint64_t count = rd16(b, eocd + 10), dirSize = rd32(b, eocd + 12),
           dirOffset = rd32(b, eocd + 16);
  if (count == 0xFFFF || dirSize == 0xFFFFFFFFu || dirOffset == 0xFFFFFFFFu)
    return fail(
        "zip64 archives (over 65535 members or 4 GiB) are not supported");
  if (dirOffset + dirSize > eocd)
    return fail("the zip central directory lies outside the file");
  std::vector<Member> members;
  size_t at = dirOffset, end = dirOffset + dirSize;
  for (uint64_t i = 0; i < count; ++i) {
    if (at + 46 > end || rd32(b, at) != 0x02014b50u)
      return fail("zip central directory entry " + std::to_string(i) +
                  " is truncated or corrupt");
    Member m;
    m.method = rd16(b, at + 10);
    m.crc = rd32(b, at + 16);
    m.compressedSize = rd32(b, at + 20);
    m.size = rd32(b, at + 24);
    size_t nameLen = rd16(b, at + 28), extraLen = rd16(b, at + 30),
           commentLen = rd16(b, at + 32);
    m.offset = rd32(b, at + 42);
    if (at + 46 + nameLen + extraLen + commentLen > end)
      return fail("zip central directory entry " + std::to_string(i) +
                  " is truncated");
    m.name = b.substr(at + 46, nameLen);
    if (llvm::Error e = applyZip64(b, at + 46 + nameLen, extraLen, m))
      return std::move(e);
    members.push_back(std::move(m));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return members;
}

/// A member's uncompressed bytes: stored or deflated, size and CRC checked.
llvm::Expected<std::string> readMember(const std::string &b, const Member &m) {
  std::string where = "member '" + m.name + "'";
  if (m.offset > b.size() || b.size() - m.offset < 30 ||
      rd32(b, m.offset) != 0x04034b50u)
    return fail(where + ": local header outside the file or corrupt");
  uint64_t data =
      m.offset + 30 + rd16(b, m.offset + 26) + rd16(b, m.offset + 28);
  if (data > b.size() || m.compressedSize > b.size() - data)
    return fail(where + ": data runs past the end of the file");
  if (m.size > static_cast<uint64_t>(kMaxArrayBytes))
    return fail(where + ": " + std::to_string(m.size) + " bytes exceed the " +
                std::to_string(kMaxArrayBytes) + "-byte limit");
  std::string out;
  if (m.method == 0) {
    if (m.compressedSize != m.size)
      return fail(where + ": stored member with differing sizes");
    out = b.substr(data, m.size);
  } else if (m.method == 8) {
    out.assign(m.size, '\0');
    z_stream z{};
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK)
      return fail(where + ": zlib cannot start");
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(b.data() + data));
    z.avail_in = static_cast<uInt>(m.compressedSize);
    z.next_out = reinterpret_cast<Bytef *>(out.data());
    z.avail_out = static_cast<uInt>(m.size);
    int rc = inflate(&z, Z_FINISH);
    uint64_t produced = z.total_out;
    inflateEnd(&z);
    if (rc != Z_STREAM_END || produced != m.size)
      return fail(where + ": deflate data corrupt or not of the stated size");
  } else {
    return fail(where + ": compression method " + std::to_string(m.method) +
                " is not supported (stored or deflated only)");
  }
  uint32_t crc = static_cast<uint32_t>(
      crc32(0, reinterpret_cast<const Bytef *>(out.data()),
            static_cast<uInt>(out.size())));
  if (crc != m.crc)
    return fail(where + ": CRC mismatch");
  return out;
}

llvm::Expected<Arrays> arraysFromNpz(const std::string &bytes) {
  llvm::Expected<std::vector<Member>> members = readDirectory(bytes);
  if (!members)
    return members.takeError();
  Arrays arrays;
  for (const Member &m : *members) {
    if (m.name.size() < 5 || m.name.compare(m.name.size() - 4, 4, ".npy"))
      return fail("member '" + m.name + "' is not a .npy array");
    std::string key = m.name.substr(0, m.name.size() - 4);
    if (arrays.count(key))
      return fail("key '" + key + "' appears twice");
    llvm::Expected<std::string> data = readMember(bytes, m);
    if (!data)
      return data.takeError();
    std::string error; // Support/Npy's convention
    auto array = npy::parse(*data, error);
    if (!array)
      return fail("key '" + key + "': " + error);
    arrays.emplace(key, std::move(*array));
  }
  return arrays;
}

//===--- json reading ---===//

/// A nested list of numbers as an array; dtype int64 when every number is
/// an integer.
llvm::Error flattenJson(const llvm::json::Value &v, size_t depth,
                        npy::Array &out, bool &allInts,
                        const std::string &key) {
  auto notRectangular = [&] {
    return fail("key '" + key + "': nested lists are not rectangular");
  };
  if (auto *list = v.getAsArray()) {
    if (depth == out.shape.size())
      out.shape.push_back(static_cast<int64_t>(list->size()));
    else if (depth > out.shape.size() ||
             out.shape[depth] != static_cast<int64_t>(list->size()))
      return notRectangular();
    for (const llvm::json::Value &item : *list)
      if (llvm::Error e = flattenJson(item, depth + 1, out, allInts, key))
        return e;
    return llvm::Error::success();
  }
  if (depth != out.shape.size())
    return notRectangular();
  if (auto i = v.getAsInteger()) {
    out.values.push_back(static_cast<double>(*i));
    return llvm::Error::success();
  }
  if (auto d = v.getAsNumber()) {
    allInts = false;
    out.values.push_back(*d);
    return llvm::Error::success();
  }
  return fail("key '" + key + "': holds something other than numbers");
}

/// True when the values fill the shape: flattenJson checks each list
/// against the first at its depth, but a number met before a list at the
/// same depth (`[1, []]`) is seen only here.
bool fillsShape(const npy::Array &a) {
  uint64_t elements = 1;
  for (int64_t d : a.shape) {
    if (d == 0)
      return a.values.empty();
    if (elements > a.values.size() / uint64_t(d))
      return false;
    elements *= uint64_t(d);
  }
  return elements == a.values.size();
}

llvm::Expected<Arrays>
arraysFromJson(const llvm::json::Value &root,
               std::optional<std::vector<std::vector<int64_t>>> &aliases) {
  const llvm::json::Object *obj = root.getAsObject();
  if (!obj)
    return fail("a specification must be a JSON object of keys");
  Arrays arrays;
  for (const auto &[k, v] : *obj) {
    std::string key = k.str();
    if (key == "aliases") {
      aliases.emplace();
      const llvm::json::Array *lists = v.getAsArray();
      if (!lists)
        return fail("key 'aliases': needs a list of lists of neuron indices");
      for (size_t h = 0; h < lists->size(); ++h) {
        const llvm::json::Array *l = (*lists)[h].getAsArray();
        if (!l)
          return fail("aliases[" + std::to_string(h) + "]: needs a list");
        aliases->emplace_back();
        for (const llvm::json::Value &t : *l) {
          auto i = t.getAsInteger();
          if (!i)
            return fail("aliases[" + std::to_string(h) + "]: needs integers");
          aliases->back().push_back(*i);
        }
      }
      continue;
    }
    npy::Array a;
    bool allInts = true;
    if (llvm::Error e = flattenJson(v, 0, a, allInts, key))
      return std::move(e);
    if (!fillsShape(a))
      return fail("key '" + key + "': nested lists are not rectangular");
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
llvm::Error toInts(const std::string &key, const npy::Array &a,
                   std::vector<int64_t> &out) {
  out.resize(a.values.size());
  for (size_t i = 0; i < a.values.size(); ++i) {
    double v = a.values[i];
    if (!std::isfinite(v) || v != std::floor(v) || std::fabs(v) > 0x1p62)
      return fail("key '" + key + "'" +
                  indexText(a.shape, static_cast<int64_t>(i)) + " = " +
                  std::to_string(v) + " is not an integer (dtype " + a.dtype +
                  ")");
    out[i] = static_cast<int64_t>(v);
  }
  return llvm::Error::success();
}

llvm::Error needShape(const std::string &key, const npy::Array &a,
                      const std::vector<int64_t> &shape,
                      const std::string &meaning) {
  if (a.shape == shape)
    return llvm::Error::success();
  return fail("key '" + key + "' has shape " + shapeText(a.shape) +
              " but needs " + meaning + " = " + shapeText(shape));
}

/// weights_in / weights_rec: rank 2, or rank 3 with 1 or 2 synapses.
llvm::Error weightShape(const std::string &key, const npy::Array &a,
                        int64_t &syn, bool &is3d) {
  if (a.shape.size() == 2 ||
      (a.shape.size() == 3 && (a.shape[2] == 1 || a.shape[2] == 2))) {
    is3d = a.shape.size() == 3;
    syn = is3d ? a.shape[2] : 1;
    for (int64_t d : a.shape)
      if (d > kMaxDim)
        return fail("key '" + key + "' has shape " + shapeText(a.shape) +
                    ": a dimension beyond " + std::to_string(kMaxDim));
    return llvm::Error::success();
  }
  return fail("key '" + key + "' has shape " + shapeText(a.shape) +
              " but needs (N, M) or (N, M, 1 or 2)");
}

llvm::Error readWeights(const Arrays &arrays, Spec &s) {
  const npy::Array &in = arrays.at("weights_in");
  if (llvm::Error e = weightShape("weights_in", in, s.synIn, s.in3d))
    return e;
  if (llvm::Error e = toInts("weights_in", in, s.weightsIn))
    return e;
  s.nIn = in.shape[0];
  s.nIen = in.shape[1];
  auto rec = arrays.find("weights_rec");
  if (rec != arrays.end()) {
    const npy::Array &r = rec->second;
    if (llvm::Error e = weightShape("weights_rec", r, s.synRec, s.rec3d))
      return e;
    if (r.shape[0] != r.shape[1])
      return fail("key 'weights_rec' has shape " + shapeText(r.shape) +
                  " but needs (Nhid, Nhid[, 2])");
    if (llvm::Error e = toInts("weights_rec", r, s.weightsRec))
      return e;
    s.nHid = r.shape[0];
  } else {
    // from_specification: weights_rec defaults to zeros (Nien, Nien).
    s.nHid = s.nIen;
    s.weightsRec.assign(static_cast<size_t>(s.nHid * s.nHid), 0);
  }
  const npy::Array &out = arrays.at("weights_out");
  if (out.shape.size() != 2 || out.shape[0] > kMaxDim ||
      out.shape[1] > kMaxDim)
    return fail("key 'weights_out' has shape " + shapeText(out.shape) +
                " but needs (Noen, Nout)");
  if (llvm::Error e = toInts("weights_out", out, s.weightsOut))
    return e;
  s.nOen = out.shape[0];
  s.nOut = out.shape[1];
  if (s.nIen > s.nHid || s.nOen > s.nHid)
    return fail(checkShapes(s));
  return llvm::Error::success();
}

llvm::Error readVectors(const Arrays &arrays, Spec &s) {
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
    if (llvm::Error e = needShape(v.key, it->second, {v.n}, v.meaning))
      return e;
    if (llvm::Error e = toInts(v.key, it->second, v.v))
      return e;
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
    if (llvm::Error e = needShape(sc.key, it->second, {}, "a scalar"))
      return e;
    if (llvm::Error e = toInts(sc.key, it->second, v))
      return e;
    sc.v = v[0];
  }
  auto dt = arrays.find("dt");
  if (dt != arrays.end()) {
    if (llvm::Error e = needShape("dt", dt->second, {}, "a scalar"))
      return e;
    s.dt = dt->second.values[0];
  }
  return llvm::Error::success();
}

/// npz aliases: (Nhid, k) integers, -1 for no target, or (Nhid,).
llvm::Error aliasesFromArray(const npy::Array &a, Spec &s) {
  if (a.shape.empty() || a.shape.size() > 2 || a.shape[0] != s.nHid)
    return fail("key 'aliases' has shape " + shapeText(a.shape) +
                " but needs (Nhid, k) = (" + std::to_string(s.nHid) +
                ", k), -1 marking no target");
  std::vector<int64_t> v;
  if (llvm::Error e = toInts("aliases", a, v))
    return e;
  int64_t k = a.shape.size() == 2 ? a.shape[1] : 1;
  s.aliases.assign(static_cast<size_t>(s.nHid), {});
  for (int64_t h = 0; h < s.nHid; ++h)
    for (int64_t j = 0; j < k; ++j)
      if (v[h * k + j] != -1)
        s.aliases[h].push_back(v[h * k + j]);
  return llvm::Error::success();
}

llvm::Expected<Spec>
specFromArrays(const Arrays &arrays,
               const std::optional<std::vector<std::vector<int64_t>>> &aliases) {
  std::set<std::string> known(std::begin(kKeys), std::end(kKeys));
  for (const auto &[key, a] : arrays) {
    if (key == "mapped_graph")
      return fail("key 'mapped_graph' is a Rockpool graph object, not "
                  "numbers: pop it from the specification before saving");
    if (!known.count(key))
      return fail("unknown key '" + key +
                  "' (not an argument of XyloSim.from_specification)");
    if (key != "dt" && key != "aliases" && !isIntegerDtype(a.dtype) &&
        a.dtype != "float32" && a.dtype != "float64")
      return fail("key '" + key + "' has dtype " + a.dtype);
  }
  for (const char *key : {"weights_in", "weights_out"})
    if (!arrays.count(key))
      return fail(std::string("missing key '") + key +
                  "' (XyloSim.from_specification requires it)");
  Spec s;
  if (llvm::Error e = readWeights(arrays, s))
    return std::move(e);
  if (llvm::Error e = readVectors(arrays, s))
    return std::move(e);
  s.aliases.assign(static_cast<size_t>(s.nHid), {});
  if (aliases) {
    if (static_cast<int64_t>(aliases->size()) != s.nHid)
      return fail("key 'aliases' has " + std::to_string(aliases->size()) +
                  " lists but needs one per hidden neuron (" +
                  std::to_string(s.nHid) + ")");
    s.aliases = *aliases;
  } else if (auto it = arrays.find("aliases"); it != arrays.end()) {
    if (llvm::Error e = aliasesFromArray(it->second, s))
      return std::move(e);
  }
  return s;
}

llvm::Expected<std::string> readBytes(const std::string &path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0)
    return fail(path + ": cannot be opened");
  if (!S_ISREG(st.st_mode))
    return fail(path + ": not a regular file");
  if (st.st_size > kMaxFileBytes)
    return fail(path + ": " + std::to_string(st.st_size) +
                " bytes exceed the " + std::to_string(kMaxFileBytes) +
                "-byte limit");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return fail(path + ": cannot be opened");
  return std::string(std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>());
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

llvm::Expected<std::string> npyInts(const std::string &key,
                                    const std::vector<int64_t> &v,
                                    const std::vector<int64_t> &shape,
                                    const Dtype &d) {
  std::string out = npyHeader(d.descr, shape);
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] < d.lo || v[i] > d.hi)
      return fail("key '" + key + "'" +
                  indexText(shape, static_cast<int64_t>(i)) + " = " +
                  std::to_string(v[i]) + " does not fit " + d.descr);
    uint64_t u = static_cast<uint64_t>(v[i]);
    for (int b = 0; b < d.size; ++b)
      out += char((u >> (8 * b)) & 0xFF);
  }
  return out;
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

llvm::Error writeFile(const std::string &path, const std::string &bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out || !out.write(bytes.data(), bytes.size()))
    return fail(path + ": cannot be written");
  return llvm::Error::success();
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

llvm::Expected<Spec> parseSpecNpz(const std::string &bytes) {
  llvm::Expected<Arrays> arrays = arraysFromNpz(bytes);
  if (!arrays)
    return arrays.takeError();
  return specFromArrays(*arrays, std::nullopt);
}

llvm::Expected<Spec> parseSpecJson(const std::string &text) {
  // LLVM's JSON parser recurses once per level: refuse deep nesting before
  // it sees the text (a specification needs 4 levels).
  if (jsonNestingDepth(text, kMaxSpecJsonDepth) > kMaxSpecJsonDepth)
    return fail("JSON nested deeper than " + std::to_string(kMaxSpecJsonDepth) +
                " levels (a specification needs 4)");
  llvm::Expected<llvm::json::Value> root = llvm::json::parse(text);
  if (!root)
    return prefixed("not JSON", root.takeError());
  std::optional<std::vector<std::vector<int64_t>>> aliases;
  llvm::Expected<Arrays> arrays = arraysFromJson(*root, aliases);
  if (!arrays)
    return arrays.takeError();
  return specFromArrays(*arrays, aliases);
}

/// Reads `path` and parses it with `parse`; errors after `path: `.
static llvm::Expected<Spec>
readWith(const std::string &path,
         llvm::Expected<Spec> (*parse)(const std::string &)) {
  llvm::Expected<std::string> bytes = readBytes(path);
  if (!bytes)
    return bytes.takeError();
  llvm::Expected<Spec> spec = parse(*bytes);
  if (!spec)
    return prefixed(path, spec.takeError());
  return spec;
}

llvm::Expected<Spec> readSpecNpz(const std::string &path) {
  return readWith(path, parseSpecNpz);
}

llvm::Expected<Spec> readSpecJson(const std::string &path) {
  return readWith(path, parseSpecJson);
}

llvm::Expected<Spec> readSpec(const std::string &path) {
  if (endsWith(path, ".json"))
    return readSpecJson(path);
  return readSpecNpz(path);
}

llvm::Error writeSpecNpz(const Spec &s, const std::string &path) {
  std::string shapes = checkShapes(s);
  if (!shapes.empty())
    return fail(path + ": " + shapes);
  auto [aliasValues, aliasShape] = aliasArray(s);
  std::vector<int64_t> shiftIn{s.weightShiftIn}, shiftRec{s.weightShiftRec},
      shiftOut{s.weightShiftOut};
  struct Key {
    const char *key;
    const std::vector<int64_t> &values;
    std::vector<int64_t> shape;
    const Dtype &dtype;
  } keys[] = {{"weights_in", s.weightsIn, inShape(s), kInt8},
              {"weights_out", s.weightsOut, {s.nOen, s.nOut}, kInt8},
              {"weights_rec", s.weightsRec, recShape(s), kInt8},
              {"dash_mem", s.dashMem, {s.nHid}, kUint8},
              {"dash_mem_out", s.dashMemOut, {s.nOut}, kUint8},
              {"dash_syn", s.dashSyn, {s.nHid}, kUint8},
              {"dash_syn_2", s.dashSyn2, {s.nHid}, kUint8},
              {"dash_syn_out", s.dashSynOut, {s.nOut}, kUint8},
              {"threshold", s.threshold, {s.nHid}, kInt16},
              {"threshold_out", s.thresholdOut, {s.nOut}, kInt16},
              {"bias", s.bias, {s.nHid}, kInt16},
              {"bias_out", s.biasOut, {s.nOut}, kInt16},
              {"weight_shift_in", shiftIn, {}, kInt64},
              {"weight_shift_rec", shiftRec, {}, kInt64},
              {"weight_shift_out", shiftOut, {}, kInt64},
              {"aliases", aliasValues, aliasShape, kInt64}};
  std::vector<std::pair<std::string, std::string>> members;
  for (const Key &k : keys) {
    llvm::Expected<std::string> bytes =
        npyInts(k.key, k.values, k.shape, k.dtype);
    if (!bytes)
      return prefixed(path, bytes.takeError());
    members.emplace_back(std::string(k.key) + ".npy", std::move(*bytes));
  }
  members.emplace_back("dt.npy", npyFloat(s.dt));
  return writeFile(path, zipStored(members));
}

llvm::Error writeSpecJson(const Spec &s, const std::string &path) {
  std::string shapes = checkShapes(s);
  if (!shapes.empty())
    return fail(path + ": " + shapes);
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
  return writeFile(path, text);
}

llvm::Error writeSpec(const Spec &spec, const std::string &path) {
  if (endsWith(path, ".json"))
    return writeSpecJson(spec, path);
  return writeSpecNpz(spec, path);
}

} // namespace snn::xylo

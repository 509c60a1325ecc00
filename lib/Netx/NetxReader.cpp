//===- NetxReader.cpp - read a lava-dl netx HDF5 file ---------------------===//
//
// The field names, their types and which of them netx reads come from
// lava-dl's src/lava/lib/dl/netx/hdf5.py (Network._create, create_input,
// create_dense, create_conv, get_neuron_params) and utils.py (NetDict), and
// from the files slayer writes (slayer/block/base.py export_hdf5).
//
//===----------------------------------------------------------------------===//

#include "Netx/NetxReader.h"
#include "NIR/Hdf5Strings.h"
#include "Support/ChildProcess.h"

#include <hdf5.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>

namespace snn::netx {

const char *layerKindName(LayerKind kind) {
  switch (kind) {
  case LayerKind::Input:
    return "input";
  case LayerKind::Dense:
    return "dense";
  case LayerKind::DenseRec:
    return "dense_rec";
  case LayerKind::Conv:
    return "conv";
  case LayerKind::Flatten:
    return "flatten";
  }
  return "?";
}

int64_t Layer::numNeurons() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::string Layer::name() const {
  return "layer " + std::to_string(index) + " (" + layerKindName(kind) + ")";
}

namespace {

/// Owns one HDF5 identifier of any kind.
class Hid {
public:
  explicit Hid(hid_t id = -1) : id(id) {}
  Hid(Hid &&other) noexcept : id(other.id) { other.id = -1; }
  Hid &operator=(Hid &&other) noexcept {
    std::swap(id, other.id);
    return *this;
  }
  Hid(const Hid &) = delete;
  Hid &operator=(const Hid &) = delete;
  ~Hid() {
    if (id >= 0)
      H5Idec_ref(id);
  }
  hid_t get() const { return id; }
  bool valid() const { return id >= 0; }

private:
  hid_t id;
};

/// Reads one file; every method returns false with `error` set on failure.
class Reader {
public:
  bool read(const std::string &path, Network &net);
  /// Reads the bytes of a netx file held in memory; `name` stands for the
  /// file in messages.
  bool readImage(llvm::StringRef bytes, const std::string &name, Network &net);
  const std::string &message() const { return error; }

private:
  bool fail(const std::string &where, const std::string &what) {
    error = where + ": " + what;
    return false;
  }

  // Objects below a group.
  enum class Kind { Missing, Group, Dataset, Other };
  Kind kindOf(hid_t parent, const std::string &name);
  bool members(hid_t group, std::vector<std::string> &names);

  // Datasets. `where` names the layer and field in messages.
  bool openDataset(hid_t parent, const std::string &name,
                   const std::string &where, Hid &ds, Hid &type);
  bool shapeOf(hid_t ds, const std::string &where, std::vector<int64_t> &shape,
               int64_t &count);
  bool readString(hid_t parent, const std::string &name,
                  const std::string &where, std::string &out);
  bool readInts(hid_t parent, const std::string &name, const std::string &where,
                std::vector<int64_t> &out,
                std::vector<int64_t> *shape = nullptr);
  bool readScalarInt(hid_t parent, const std::string &name,
                     const std::string &where, int64_t &out);
  bool readTensor(hid_t parent, const std::string &name,
                  const std::string &where, Tensor &out);
  bool readBool(hid_t parent, const std::string &name, const std::string &where,
                bool &out);

  // Layers.
  bool readOpen(const Hid &f, Network &net);
  bool readLayer(hid_t group, Layer &layer);
  bool readNeuron(hid_t layerGroup, Layer &layer);
  bool readDense(hid_t group, Layer &layer);
  bool readConv(hid_t group, Layer &layer);
  bool readPair(hid_t group, Layer &layer, const char *field,
                std::array<int64_t, 2> &out, int64_t min);
  bool checkConnections(const Network &net);

  std::string file;
  std::string error;
};

Reader::Kind Reader::kindOf(hid_t parent, const std::string &name) {
  if (H5Lexists(parent, name.c_str(), H5P_DEFAULT) <= 0)
    return Kind::Missing;
  Hid object(H5Oopen(parent, name.c_str(), H5P_DEFAULT));
  if (!object.valid())
    return Kind::Other;
  switch (H5Iget_type(object.get())) {
  case H5I_GROUP:
    return Kind::Group;
  case H5I_DATASET:
    return Kind::Dataset;
  default:
    return Kind::Other;
  }
}

bool Reader::members(hid_t group, std::vector<std::string> &names) {
  H5G_info_t info;
  if (H5Gget_info(group, &info) < 0)
    return fail(file, "cannot list a group");
  if (info.nlinks > 100000)
    return fail(file, "a group has " + std::to_string(info.nlinks) +
                          " members, more than any netx network");
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    ssize_t size = H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i,
                                      nullptr, 0, H5P_DEFAULT);
    if (size < 0 || size > 4096)
      return fail(file, "cannot read a member's name");
    std::string name(static_cast<size_t>(size) + 1, '\0');
    if (H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i,
                           name.data(), name.size(), H5P_DEFAULT) < 0)
      return fail(file, "cannot read a member's name");
    name.resize(static_cast<size_t>(size));
    names.push_back(name);
  }
  return true;
}

bool Reader::shapeOf(hid_t ds, const std::string &where,
                     std::vector<int64_t> &shape, int64_t &count) {
  Hid space(H5Dget_space(ds));
  if (!space.valid())
    return fail(where, "cannot read its shape");
  if (H5Sget_simple_extent_type(space.get()) == H5S_NULL)
    return fail(where, "is empty (null dataspace)");
  int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0 || rank > 8)
    return fail(where, "has " + std::to_string(rank) +
                           " dimensions; netx fields have at most 5");
  hsize_t dims[8];
  if (H5Sget_simple_extent_dims(space.get(), dims, nullptr) < 0)
    return fail(where, "cannot read its shape");
  shape.clear();
  count = 1;
  for (int i = 0; i < rank; ++i) {
    // Multiplied out in 64 bits and bounded before anything is read.
    if (dims[i] > static_cast<hsize_t>(kMaxElements) ||
        count * static_cast<int64_t>(dims[i]) > kMaxElements)
      return fail(where, "has more than " + std::to_string(kMaxElements) +
                             " elements");
    shape.push_back(static_cast<int64_t>(dims[i]));
    count *= static_cast<int64_t>(dims[i]);
  }
  return true;
}

/// "int64", "float32", "string", ...: what a message says was found.
std::string typeName(hid_t type) {
  size_t size = H5Tget_size(type);
  switch (H5Tget_class(type)) {
  case H5T_INTEGER:
    return (H5Tget_sign(type) == H5T_SGN_NONE ? "uint" : "int") +
           std::to_string(8 * size);
  case H5T_FLOAT:
    return "float" + std::to_string(8 * size);
  case H5T_STRING:
    return "string";
  case H5T_ENUM:
    return "enum (bool)";
  case H5T_COMPOUND:
    return "compound";
  default:
    return "an unsupported type";
  }
}

/// Whether a number's stored width is one HDF5 converts without a buffer of
/// that width: a corrupt integer type of 2 GB per element made H5Dread
/// allocate 2 GB for one value (found by the netx fuzzer). netx numbers
/// are 1 to 8 bytes wide.
bool plausibleNumberWidth(hid_t type) {
  size_t size = H5Tget_size(type);
  return size >= 1 && size <= 8;
}

/// `name` under `parent` as a dataset and its type; missing or unopenable
/// datasets are errors naming `where`.
bool Reader::openDataset(hid_t parent, const std::string &name,
                         const std::string &where, Hid &ds, Hid &type) {
  if (kindOf(parent, name) != Kind::Dataset)
    return fail(where, "is missing");
  ds = Hid(H5Dopen2(parent, name.c_str(), H5P_DEFAULT));
  type = Hid(ds.valid() ? H5Dget_type(ds.get()) : -1);
  if (!type.valid())
    return fail(where, "cannot be opened");
  return true;
}

bool Reader::readString(hid_t parent, const std::string &name,
                        const std::string &where, std::string &out) {
  Hid ds, type;
  if (!openDataset(parent, name, where, ds, type))
    return false;
  if (H5Tget_class(type.get()) != H5T_STRING)
    return fail(where, "must be a string, found " + typeName(type.get()));
  std::vector<int64_t> shape;
  int64_t count;
  if (!shapeOf(ds.get(), where, shape, count))
    return false;
  // netx's NetDict takes element 0 of a (1,) array or the scalar.
  if (count != 1)
    return fail(where, "must hold one string, found " + std::to_string(count));
  if (H5Tis_variable_str(type.get()) > 0) {
    // Not HDF5's conversion, which allocates what a corrupt length claims
    // and loops on some corrupt heaps (NIR/Hdf5Strings.h).
    llvm::Expected<std::vector<std::string>> text =
        hdf5::readVariableStrings(ds.get(), 1);
    if (!text)
      return fail(where, llvm::toString(text.takeError()));
    out = text->front();
    return true;
  }
  size_t size = H5Tget_size(type.get());
  if (size == 0 || size > 4096)
    return fail(where, "has a string size of " + std::to_string(size));
  std::string text(size, '\0');
  if (H5Dread(ds.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT,
              text.data()) < 0)
    return fail(where, "cannot be read");
  out = text.substr(0, text.find('\0'));
  return true;
}

bool Reader::readInts(hid_t parent, const std::string &name,
                      const std::string &where, std::vector<int64_t> &out,
                      std::vector<int64_t> *shapeOut) {
  Hid ds, type;
  if (!openDataset(parent, name, where, ds, type))
    return false;
  // netx passes these to Lava unconverted; Lava's shifts refuse floats.
  if (H5Tget_class(type.get()) != H5T_INTEGER)
    return fail(where, "must be integers, found " + typeName(type.get()));
  if (!plausibleNumberWidth(type.get()))
    return fail(where, "has integers of " +
                           std::to_string(H5Tget_size(type.get())) +
                           " bytes; netx stores 1 to 8");
  std::vector<int64_t> shape;
  int64_t count;
  if (!shapeOf(ds.get(), where, shape, count))
    return false;
  if (H5Tget_sign(type.get()) == H5T_SGN_NONE && H5Tget_size(type.get()) >= 8)
    return fail(where, "must be signed integers or fit 63 bits, found " +
                           typeName(type.get()));
  out.assign(static_cast<size_t>(count), 0);
  if (count > 0 && H5Dread(ds.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL,
                           H5P_DEFAULT, out.data()) < 0)
    return fail(where, "cannot be read (truncated file?)");
  if (shapeOut)
    *shapeOut = shape;
  return true;
}

bool Reader::readScalarInt(hid_t parent, const std::string &name,
                           const std::string &where, int64_t &out) {
  std::vector<int64_t> values;
  if (!readInts(parent, name, where, values))
    return false;
  if (values.size() != 1)
    return fail(where, "must hold one integer, found " +
                           std::to_string(values.size()));
  out = values[0];
  return true;
}

bool Reader::readBool(hid_t parent, const std::string &name,
                      const std::string &where, bool &out) {
  Hid ds, type;
  if (!openDataset(parent, name, where, ds, type))
    return false;
  H5T_class_t cls = H5Tget_class(type.get());
  // h5py writes numpy bools as an enum over int8.
  if (cls != H5T_ENUM && cls != H5T_INTEGER)
    return fail(where, "must be a bool, found " + typeName(type.get()));
  std::vector<int64_t> shape;
  int64_t count;
  if (!shapeOf(ds.get(), where, shape, count))
    return false;
  if (count != 1 || H5Tget_size(type.get()) > 8)
    return fail(where, "must hold one bool");
  Hid base(cls == H5T_ENUM ? H5Tget_super(type.get()) : H5Tcopy(type.get()));
  unsigned char raw[8] = {0};
  Hid mem(H5Tget_native_type(cls == H5T_ENUM ? type.get() : base.get(),
                             H5T_DIR_ASCEND));
  if (!mem.valid() || H5Tget_size(mem.get()) > sizeof(raw) ||
      H5Dread(ds.get(), mem.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, raw) < 0)
    return fail(where, "cannot be read");
  out = false;
  for (unsigned char byte : raw)
    out = out || byte != 0;
  return true;
}

bool Reader::readTensor(hid_t parent, const std::string &name,
                        const std::string &where, Tensor &out) {
  Hid ds, type;
  if (!openDataset(parent, name, where, ds, type))
    return false;
  H5T_class_t cls = H5Tget_class(type.get());
  if (cls != H5T_FLOAT && cls != H5T_INTEGER)
    return fail(where, "must be numbers, found " + typeName(type.get()));
  if (!plausibleNumberWidth(type.get()))
    return fail(where, "has numbers of " +
                           std::to_string(H5Tget_size(type.get())) +
                           " bytes; netx stores 1 to 8");
  int64_t count;
  if (!shapeOf(ds.get(), where, out.shape, count))
    return false;
  out.values.assign(static_cast<size_t>(count), 0.0);
  if (count > 0 && H5Dread(ds.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL,
                           H5P_DEFAULT, out.values.data()) < 0)
    return fail(where, "cannot be read (truncated file?)");
  // netx converts with .astype(int); Lava keeps 32-bit integers. Values
  // beyond that are no trained network's and would wrap in Lava.
  for (double v : out.values)
    if (!std::isfinite(v) || std::fabs(v) >= 2147483648.0)
      return fail(where, "holds " + std::to_string(v) +
                             ", not a finite value within 32-bit integers");
  return true;
}

std::string shapeText(const std::vector<int64_t> &shape) {
  std::string text = "(";
  for (size_t i = 0; i < shape.size(); ++i)
    text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + (shape.size() == 1 ? ",)" : ")");
}

bool Reader::readNeuron(hid_t layerGroup, Layer &layer) {
  std::string where = file + ": " + layer.name() + " field neuron";
  Kind kind = kindOf(layerGroup, "neuron");
  if (kind == Kind::Missing)
    return true;
  if (kind != Kind::Group)
    return fail(where, "must be a group");
  Hid group(H5Gopen2(layerGroup, "neuron", H5P_DEFAULT));
  Neuron neuron;
  std::string type;
  if (!readString(group.get(), "type", where + "/type", type))
    return false;
  if (type == "CUBA")
    neuron.kind = NeuronKind::Cuba;
  else if (type == "LOIHI")
    neuron.kind = NeuronKind::Loihi;
  else if (type == "SDNN")
    return fail(where + "/type", "SDNN (sigma-delta) neurons are not "
                                 "supported by SNNC yet");
  else
    return fail(where + "/type", "'" + type +
                                     "' is not a neuron type SNNC supports "
                                     "(CUBA, LOIHI)");
  // Graded spikes: netx sets num_message_bits from `messageBits`; slayer
  // marks them with `gradedSpike`.
  if (kindOf(group.get(), "messageBits") != Kind::Missing) {
    int64_t bits;
    if (!readScalarInt(group.get(), "messageBits", where + "/messageBits",
                       bits))
      return false;
    if (bits != 0)
      return fail(where + "/messageBits",
                  "graded spikes are not supported by SNNC yet");
  }
  if (kindOf(group.get(), "gradedSpike") != Kind::Missing) {
    bool graded = false;
    if (!readBool(group.get(), "gradedSpike", where + "/gradedSpike", graded))
      return false;
    if (graded)
      return fail(where + "/gradedSpike",
                  "graded spikes are not supported by SNNC yet");
  }
  if (!readScalarInt(group.get(), "iDecay", where + "/iDecay", neuron.iDecay) ||
      !readScalarInt(group.get(), "vDecay", where + "/vDecay", neuron.vDecay) ||
      !readScalarInt(group.get(), "vThMant", where + "/vThMant",
                     neuron.vThMant))
    return false;
  if (neuron.iDecay < 0 || neuron.iDecay > 4096)
    return fail(where + "/iDecay", std::to_string(neuron.iDecay) +
                                       " is outside 0..4096 (units of 1/4096)");
  if (neuron.vDecay < 0 || neuron.vDecay > 4096)
    return fail(where + "/vDecay", std::to_string(neuron.vDecay) +
                                       " is outside 0..4096 (units of 1/4096)");
  if (neuron.vThMant < 0 || neuron.vThMant >= (int64_t(1) << 31))
    return fail(where + "/vThMant",
                std::to_string(neuron.vThMant) + " is outside 0..2^31-1");
  if (kindOf(group.get(), "refDelay") != Kind::Missing) {
    int64_t refDelay;
    if (!readScalarInt(group.get(), "refDelay", where + "/refDelay", refDelay))
      return false;
    neuron.refDelay = refDelay;
  }
  layer.neuron = neuron;
  return true;
}

bool Reader::readPair(hid_t group, Layer &layer, const char *field,
                      std::array<int64_t, 2> &out, int64_t min) {
  std::string where = file + ": " + layer.name() + " field " + field;
  if (kindOf(group, field) == Kind::Missing)
    return true; // netx's defaults (stride 1, padding 0, dilation 1)
  std::vector<int64_t> values;
  if (!readInts(group, field, where, values))
    return false;
  if (values.size() == 1)
    values.push_back(values[0]); // netx's expand() of a scalar
  if (values.size() != 2)
    return fail(where, "must hold 1 or 2 integers, found " +
                           std::to_string(values.size()));
  // Lava keeps these in int8.
  for (int64_t v : values)
    if (v < min || v > 127)
      return fail(where, std::to_string(v) + " is outside " +
                             std::to_string(min) + "..127");
  out = {values[0], values[1]};
  return true;
}

bool Reader::readDense(hid_t group, Layer &layer) {
  std::string where = file + ": " + layer.name() + " field ";
  if (!readTensor(group, "weight", where + "weight", layer.weight))
    return false;
  int64_t out = layer.numNeurons();
  const Tensor &w = layer.weight;
  if (w.shape.empty() || w.shape.size() > 2 || w.numElements() == 0 ||
      (w.shape.size() == 2 && w.shape[0] != out) || w.numElements() % out != 0)
    return fail(where + "weight", "has shape " + shapeText(w.shape) + " for " +
                                      std::to_string(out) +
                                      " neurons; expected (" +
                                      std::to_string(out) + ", inputs)");
  if (layer.kind == LayerKind::DenseRec) {
    Tensor rec;
    if (!readTensor(group, "weight_rec", where + "weight_rec", rec))
      return false;
    if (rec.numElements() != out * out ||
        (rec.shape.size() == 2 && rec.shape[0] != out))
      return fail(where + "weight_rec",
                  "has shape " + shapeText(rec.shape) + "; expected (" +
                      std::to_string(out) + ", " + std::to_string(out) + ")");
    layer.weightRec = std::move(rec);
  }
  if (kindOf(group, "delay") != Kind::Missing) {
    Tensor delay;
    if (!readTensor(group, "delay", where + "delay", delay))
      return false;
    int64_t in = w.numElements() / out;
    if (delay.numElements() != 1 && delay.numElements() != out &&
        delay.numElements() != in)
      return fail(where + "delay",
                  "has " + std::to_string(delay.numElements()) +
                      " values; expected 1, " + std::to_string(out) +
                      " (outputs) or " + std::to_string(in) + " (inputs)");
    for (double d : delay.values)
      if (d < 0)
        return fail(where + "delay",
                    "holds the negative delay " + std::to_string(d));
    if (layer.kind == LayerKind::DenseRec)
      return fail(where + "delay",
                  "delays on a dense_rec layer are not supported (netx "
                  "builds its recurrent DelayDense without weight_exp)");
    layer.delay = std::move(delay);
  }
  return true;
}

bool Reader::readConv(hid_t group, Layer &layer) {
  std::string where = file + ": " + layer.name() + " field ";
  if (layer.shape.size() != 3)
    return fail(where + "shape",
                "must be (C, H, W), found " + shapeText(layer.shape));
  if (!readTensor(group, "weight", where + "weight", layer.weight))
    return false;
  std::vector<int64_t> &ws = layer.weight.shape;
  // slayer stores (out, in / groups, kH, kW, 1); netx drops the last axis.
  if (ws.size() == 5 && ws[4] == 1)
    ws.pop_back();
  if (ws.size() != 4 || ws[0] != layer.shape[0])
    return fail(where + "weight", "has shape " + shapeText(layer.weight.shape) +
                                      "; expected (" +
                                      std::to_string(layer.shape[0]) +
                                      ", in / groups, kH, kW[, 1])");
  if (!readPair(group, layer, "stride", layer.stride, 1) ||
      !readPair(group, layer, "padding", layer.padding, 0) ||
      !readPair(group, layer, "dilation", layer.dilation, 1))
    return false;
  if (kindOf(group, "groups") != Kind::Missing &&
      !readScalarInt(group, "groups", where + "groups", layer.groups))
    return false;
  if (layer.groups < 1 || layer.groups > 127 ||
      layer.shape[0] % layer.groups != 0)
    return fail(where + "groups",
                std::to_string(layer.groups) + " does not divide the " +
                    std::to_string(layer.shape[0]) + " output channels");
  if (kindOf(group, "kernelSize") != Kind::Missing) {
    std::array<int64_t, 2> kernel{0, 0};
    if (!readPair(group, layer, "kernelSize", kernel, 1))
      return false;
    if (kernel[0] != ws[2] || kernel[1] != ws[3])
      return fail(where + "kernelSize", shapeText({kernel[0], kernel[1]}) +
                                            " disagrees with the weight's " +
                                            shapeText({ws[2], ws[3]}));
  }
  if (kindOf(group, "delay") != Kind::Missing)
    return fail(where + "delay", "conv delays are not supported (netx "
                                 "ignores them)");
  return true;
}

bool Reader::readLayer(hid_t group, Layer &layer) {
  std::string where = file + ": layer " + std::to_string(layer.index);
  std::string type;
  if (!readString(group, "type", where + " field type", type))
    return false;
  if (type == "input")
    layer.kind = LayerKind::Input;
  else if (type == "dense")
    layer.kind = LayerKind::Dense;
  else if (type == "dense_rec")
    layer.kind = LayerKind::DenseRec;
  else if (type == "conv")
    layer.kind = LayerKind::Conv;
  else if (type == "flatten")
    layer.kind = LayerKind::Flatten;
  else if (type == "dense_comp")
    return fail(where + " field type", "dense_comp (complex-valued dense) "
                                       "layers are not supported by SNNC yet");
  else if (type == "pool" || type == "average" || type == "convT" ||
           type == "unpool" || type == "concat")
    return fail(where + " field type",
                "'" + type +
                    "' layers are not supported (netx itself "
                    "refuses them)");
  else
    return fail(where + " field type",
                "'" + type + "' is not a netx layer type");
  where = file + ": " + layer.name() + " field ";
  if (layer.kind == LayerKind::Flatten)
    return true;
  if (!readInts(group, "shape", where + "shape", layer.shape))
    return false;
  if (layer.shape.empty() || layer.shape.size() > 3)
    return fail(where + "shape", "must hold 1 to 3 sizes, found " +
                                     std::to_string(layer.shape.size()));
  int64_t n = 1;
  for (int64_t d : layer.shape) {
    if (d < 1 || d > kMaxElements || n * d > kMaxElements)
      return fail(where + "shape",
                  shapeText(layer.shape) + " is not a shape of 1 to " +
                      std::to_string(kMaxElements) + " neurons");
    n *= d;
  }
  if (!readNeuron(group, layer))
    return false;
  // netx gives a dense layer without neurons a default one and takes an
  // input layer without neurons as a shape only; a conv needs its own.
  if (layer.kind == LayerKind::Conv && !layer.neuron)
    return fail(where + "neuron", "is missing");
  if (layer.kind == LayerKind::Input) {
    for (const char *field : {"weight", "bias"}) {
      if (kindOf(group, field) == Kind::Missing)
        continue;
      Tensor t;
      if (!readTensor(group, field, where + field, t))
        return false;
      if (t.numElements() != 1)
        return fail(where + field, "must hold one number (netx's input "
                                   "transform)");
      (std::string(field) == "weight" ? layer.inputWeight : layer.inputBias) =
          t.values[0];
    }
    return true;
  }
  if (kindOf(group, "bias") != Kind::Missing) {
    Tensor bias;
    if (!readTensor(group, "bias", where + "bias", bias))
      return false;
    int64_t expected =
        layer.kind == LayerKind::Conv ? layer.shape[0] : layer.numNeurons();
    if (bias.numElements() != expected && bias.numElements() != 1)
      return fail(where + "bias",
                  "has " + std::to_string(bias.numElements()) +
                      " values; expected " + std::to_string(expected) +
                      (layer.kind == LayerKind::Conv ? " (one per channel)"
                                                     : " (one per neuron)"));
    layer.bias = std::move(bias);
  }
  return layer.kind == LayerKind::Conv ? readConv(group, layer)
                                       : readDense(group, layer);
}

/// Conv output size along one axis (lava/proc/conv/utils.py output_shape).
int64_t convOut(int64_t in, int64_t k, int64_t s, int64_t p, int64_t d) {
  int64_t span = in + 2 * p - d * (k - 1) - 1;
  return span < 0 ? 0 : span / s + 1;
}

bool Reader::checkConnections(const Network &net) {
  // The shape of what the next layer receives: (C, H, W), or (N) after a
  // dense layer or a flatten.
  std::vector<int64_t> current;
  bool flatten = false;
  for (const Layer &layer : net.layers) {
    std::string where = file + ": " + layer.name() + " field ";
    switch (layer.kind) {
    case LayerKind::Input:
      if (!current.empty())
        return fail(where + "type", "an input layer must come first");
      current = layer.shape;
      break;
    case LayerKind::Flatten:
      if (current.empty())
        return fail(where + "type", "nothing to flatten before it");
      flatten = true;
      break;
    case LayerKind::Dense:
    case LayerKind::DenseRec: {
      int64_t in = layer.weight.numElements() / layer.numNeurons();
      if (!current.empty()) {
        int64_t n = 1;
        for (int64_t d : current)
          n *= d;
        bool flat = current.size() == 1 ||
                    (current.size() == 3 && current[1] == 1 && current[2] == 1);
        if (!flat && !flatten)
          return fail(where + "type", "a dense layer after " +
                                          shapeText(current) +
                                          " needs a flatten layer before it");
        if (n != in)
          return fail(where + "weight", "has " + std::to_string(in) +
                                            " inputs but the layer "
                                            "before has " +
                                            std::to_string(n) + " neurons");
      }
      current = {layer.numNeurons()};
      flatten = false;
      break;
    }
    case LayerKind::Conv: {
      if (current.size() != 3)
        return fail(where + "weight",
                    current.empty()
                        ? "a conv layer needs an input layer with a (C, H, W) "
                          "shape before it"
                        : "a conv layer cannot follow " + shapeText(current));
      const std::vector<int64_t> &ws = layer.weight.shape;
      if (ws[1] * layer.groups != current[0])
        return fail(where + "weight",
                    "takes " + std::to_string(ws[1] * layer.groups) +
                        " input channels but the layer before has " +
                        std::to_string(current[0]));
      int64_t h = convOut(current[1], ws[2], layer.stride[0], layer.padding[0],
                          layer.dilation[0]);
      int64_t w = convOut(current[2], ws[3], layer.stride[1], layer.padding[1],
                          layer.dilation[1]);
      if (h != layer.shape[1] || w != layer.shape[2])
        return fail(where + "shape", shapeText(layer.shape) +
                                         " disagrees with the " +
                                         shapeText({layer.shape[0], h, w}) +
                                         " its convolution produces");
      current = layer.shape;
      flatten = false;
      break;
    }
    }
  }
  if (flatten)
    return fail(file, "the network ends with a flatten layer");
  return true;
}

bool Reader::read(const std::string &path, Network &net) {
  file = path;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    return fail(path, "no such file");
  if (!std::filesystem::is_regular_file(path, ec))
    return fail(path, "not a regular file");
  // Read from memory, as images are: strings are read from the file's
  // bytes (NIR/Hdf5Strings.h), which HDF5's core driver holds.
  uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec)
    return fail(path, "cannot be read: " + ec.message());
  if (size > kMaxFileBytes)
    return fail(path, std::to_string(size) + " bytes, more than the " +
                          std::to_string(kMaxFileBytes) +
                          " a netx file may have");
  std::ifstream in(path, std::ios::binary);
  std::string bytes(static_cast<size_t>(size), '\0');
  if (!in.read(bytes.data(), static_cast<std::streamsize>(size)))
    return fail(path, "cannot be read");
  return readImage(bytes, path, net);
}

bool Reader::readImage(llvm::StringRef bytes, const std::string &name,
                       Network &net) {
  file = name;
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  // HDF5's signature, at offset 0 (a user block moves it to 512, 1024, ...).
  static const char signature[] = "\x89HDF\r\n\x1a\n";
  bool hdf5 = false;
  for (size_t at = 0; at + 8 <= bytes.size() && !hdf5; at = at ? 2 * at : 512)
    hdf5 = bytes.substr(at, 8) == llvm::StringRef(signature, 8);
  if (!hdf5)
    return fail(name, "not an HDF5 file");
  // The core driver reads a copy of the bytes, without a file on disk.
  Hid access(H5Pcreate(H5P_FILE_ACCESS));
  if (H5Pset_fapl_core(access.get(), 1 << 16, /*backing_store=*/0) < 0 ||
      H5Pset_file_image(access.get(), const_cast<char *>(bytes.data()),
                        bytes.size()) < 0)
    return fail(name, "cannot hand the file to HDF5");
  // The core driver keys open files by name: one name per image.
  static uint64_t images = 0;
  std::string key = "netx-image-" + std::to_string(++images);
  Hid f(H5Fopen(key.c_str(), H5F_ACC_RDONLY, access.get()));
  return readOpen(f, net);
}

bool Reader::readOpen(const Hid &f, Network &net) {
  const std::string &path = file;
  if (!f.valid())
    return fail(path, "cannot be opened as HDF5 (truncated or damaged?)");
  if (kindOf(f.get(), "layer") != Kind::Group)
    return fail(path, "no /layer group: not a netx file");
  Hid layers(H5Gopen2(f.get(), "layer", H5P_DEFAULT));
  std::vector<std::string> names;
  if (!members(layers.get(), names))
    return false;
  if (names.empty())
    return fail(path, "/layer is empty");
  std::set<std::string> present(names.begin(), names.end());
  for (size_t i = 0; i < names.size(); ++i)
    if (!present.count(std::to_string(i)))
      return fail(path, "/layer must hold groups 0.." +
                            std::to_string(names.size() - 1) + "; layer " +
                            std::to_string(i) + " is missing");
  for (size_t i = 0; i < names.size(); ++i) {
    std::string name = std::to_string(i);
    if (kindOf(layers.get(), name) != Kind::Group)
      return fail(path, "layer " + name + " is not a group");
    Hid group(H5Gopen2(layers.get(), name.c_str(), H5P_DEFAULT));
    Layer layer;
    layer.index = static_cast<int64_t>(i);
    if (!readLayer(group.get(), layer))
      return false;
    net.layers.push_back(std::move(layer));
  }
  if (kindOf(f.get(), "simulation") == Kind::Group) {
    Hid sim(H5Gopen2(f.get(), "simulation", H5P_DEFAULT));
    for (const char *field : {"Ts", "tSample"}) {
      if (kindOf(sim.get(), field) == Kind::Missing)
        continue;
      int64_t value;
      if (!readScalarInt(sim.get(), field,
                         path + ": /simulation field " + field, value))
        return false;
      (std::string(field) == "Ts" ? net.ts : net.tSample) = value;
    }
  }
  return checkConnections(net);
}

} // namespace

namespace {

/// Length-prefixed binary encoding of a Network, for the pipe from the child
/// that reads the file to the parent only (same machine, same build).
class Encoder {
public:
  void u64(uint64_t v) { raw(&v, sizeof(v)); }
  void i64(int64_t v) { raw(&v, sizeof(v)); }
  void f64(double v) { raw(&v, sizeof(v)); }
  void str(const std::string &s) {
    u64(s.size());
    raw(s.data(), s.size());
  }
  void ints(const std::vector<int64_t> &v) {
    u64(v.size());
    raw(v.data(), v.size() * sizeof(int64_t));
  }
  void tensor(const Tensor &t) {
    ints(t.shape);
    u64(t.values.size());
    raw(t.values.data(), t.values.size() * sizeof(double));
  }
  template <typename T, typename F>
  void optional(const std::optional<T> &v, F &&write) {
    u64(v ? 1 : 0);
    if (v)
      write(*v);
  }
  void layer(const Layer &l) {
    i64(l.index);
    u64(static_cast<uint64_t>(l.kind));
    ints(l.shape);
    optional(l.neuron, [&](const Neuron &n) {
      u64(static_cast<uint64_t>(n.kind));
      i64(n.iDecay);
      i64(n.vDecay);
      i64(n.vThMant);
      optional(n.refDelay, [&](int64_t v) { i64(v); });
    });
    tensor(l.weight);
    for (const std::optional<Tensor> *t : {&l.weightRec, &l.bias, &l.delay})
      optional(*t, [&](const Tensor &v) { tensor(v); });
    for (const std::array<int64_t, 2> *pair :
         {&l.stride, &l.padding, &l.dilation})
      for (int64_t v : *pair)
        i64(v);
    i64(l.groups);
    optional(l.inputWeight, [&](double v) { f64(v); });
    optional(l.inputBias, [&](double v) { f64(v); });
  }
  std::string bytes;

private:
  void raw(const void *p, size_t n) {
    if (n != 0) // p may be the null data() of an empty vector
      bytes.append(static_cast<const char *>(p), n);
  }
};

/// Reads what Encoder wrote; every count is checked against the bytes left
/// (and the reader's own limits) before anything is allocated.
class Decoder {
public:
  explicit Decoder(llvm::StringRef bytes) : bytes(bytes) {}
  bool u64(uint64_t &v) { return raw(&v, sizeof(v)); }
  bool i64(int64_t &v) { return raw(&v, sizeof(v)); }
  bool f64(double &v) { return raw(&v, sizeof(v)); }
  bool str(std::string &s) {
    uint64_t n;
    if (!u64(n) || n > left())
      return false;
    s.assign(bytes.data() + pos, n);
    pos += n;
    return true;
  }
  bool ints(std::vector<int64_t> &v, uint64_t max) {
    uint64_t n;
    if (!u64(n) || n > max || n > left() / sizeof(int64_t))
      return false;
    v.resize(n);
    return raw(v.data(), n * sizeof(int64_t));
  }
  bool tensor(Tensor &t) {
    uint64_t n;
    if (!ints(t.shape, 8) || !u64(n) ||
        n > static_cast<uint64_t>(kMaxElements) || n > left() / sizeof(double))
      return false;
    t.values.resize(n);
    return raw(t.values.data(), n * sizeof(double));
  }
  template <typename T, typename F>
  bool optional(std::optional<T> &v, F &&read) {
    uint64_t present;
    if (!u64(present) || present > 1)
      return false;
    if (!present)
      return true;
    v.emplace();
    return read(*v);
  }
  bool layer(Layer &l) {
    uint64_t kind;
    if (!i64(l.index) || !u64(kind) ||
        kind > static_cast<uint64_t>(LayerKind::Flatten) || !ints(l.shape, 8))
      return false;
    l.kind = static_cast<LayerKind>(kind);
    bool ok = optional(l.neuron, [&](Neuron &n) {
      uint64_t neuronKind;
      if (!u64(neuronKind) ||
          neuronKind > static_cast<uint64_t>(NeuronKind::Loihi))
        return false;
      n.kind = static_cast<NeuronKind>(neuronKind);
      return i64(n.iDecay) && i64(n.vDecay) && i64(n.vThMant) &&
             optional(n.refDelay, [&](int64_t &v) { return i64(v); });
    });
    if (!ok || !tensor(l.weight))
      return false;
    for (std::optional<Tensor> *t : {&l.weightRec, &l.bias, &l.delay})
      if (!optional(*t, [&](Tensor &v) { return tensor(v); }))
        return false;
    for (std::array<int64_t, 2> *pair : {&l.stride, &l.padding, &l.dilation})
      for (int64_t &v : *pair)
        if (!i64(v))
          return false;
    return i64(l.groups) &&
           optional(l.inputWeight, [&](double &v) { return f64(v); }) &&
           optional(l.inputBias, [&](double &v) { return f64(v); });
  }
  bool atEnd() const { return pos == bytes.size(); }

private:
  size_t left() const { return bytes.size() - pos; }
  bool raw(void *p, size_t n) {
    if (n > left())
      return false;
    if (n != 0) // p may be the null data() of an empty vector
      std::memcpy(p, bytes.data() + pos, n);
    pos += n;
    return true;
  }
  llvm::StringRef bytes;
  size_t pos = 0;
};

/// HDF5 1.10 loops forever on some corrupt global heaps (the vlen strings
/// netx stores; found by the netx fuzzer) and may crash on other corrupt
/// files. So `read` runs in a forked child with a deadline, which sends the
/// network it read (or its message) back over a pipe: the file is parsed
/// once, in the child. A child that hung, died or answered nonsense is an
/// error naming `name`. Without fork, reads in process.
llvm::Expected<Network>
readInChild(const std::function<llvm::Expected<Network>()> &read,
            const std::string &name, unsigned timeoutSeconds,
            uint64_t memoryBytes) {
  support::ChildRun run = support::runInChild(
      [&](int fd) {
        // The answer: 1 and the network, or 0 and the reader's message.
        llvm::Expected<Network> net = read();
        Encoder answer;
        answer.u64(net ? 1 : 0);
        if (net)
          answer.bytes += encodeNetwork(*net);
        else
          answer.str(llvm::toString(net.takeError()));
        return support::writeAll(fd, answer.bytes) ? 0 : 1;
      },
      timeoutSeconds, memoryBytes);
  if (!run.started)
    return read();
  if (std::string failure = support::readerFailure(run); !failure.empty())
    return llvm::createStringError(name + ": " + failure);
  Decoder d(run.output);
  uint64_t ok = 0;
  std::string message;
  if (run.exitCode == 0 && d.u64(ok) && ok == 0 && d.str(message) && d.atEnd())
    return llvm::createStringError(message);
  if (run.exitCode == 0 && ok == 1) {
    llvm::Expected<Network> net =
        decodeNetwork(llvm::StringRef(run.output).drop_front(sizeof(uint64_t)));
    if (net)
      return net;
    llvm::consumeError(net.takeError());
  }
  return llvm::createStringError(name +
                                 ": the file reader stopped without an answer");
}

} // namespace

std::string encodeNetwork(const Network &net) {
  Encoder e;
  e.u64(net.layers.size());
  for (const Layer &layer : net.layers)
    e.layer(layer);
  e.optional(net.ts, [&](int64_t v) { e.i64(v); });
  e.optional(net.tSample, [&](int64_t v) { e.i64(v); });
  return e.bytes;
}

llvm::Expected<Network> decodeNetwork(llvm::StringRef bytes) {
  Decoder d(bytes);
  Network net;
  uint64_t layers;
  // A layer takes more than 64 bytes: a count beyond that is corrupt.
  bool ok = d.u64(layers) && layers <= bytes.size() / 64;
  for (uint64_t i = 0; ok && i < layers; ++i) {
    net.layers.emplace_back();
    ok = d.layer(net.layers.back());
  }
  ok = ok && d.optional(net.ts, [&](int64_t &v) { return d.i64(v); }) &&
       d.optional(net.tSample, [&](int64_t &v) { return d.i64(v); }) &&
       d.atEnd();
  if (!ok)
    return llvm::createStringError("the encoded netx network is corrupt");
  return net;
}

llvm::Expected<Network> readNetxInProcess(const std::string &path) {
  Network net;
  Reader reader;
  if (!reader.read(path, net))
    return llvm::createStringError(reader.message());
  return net;
}

llvm::Expected<Network> readNetxImageInProcess(llvm::StringRef bytes,
                                               const std::string &name) {
  Network net;
  Reader reader;
  if (!reader.readImage(bytes, name, net))
    return llvm::createStringError(reader.message());
  return net;
}

llvm::Expected<Network> readNetx(const std::string &path) {
  std::error_code error; // the reader names it
  uint64_t bytes = std::filesystem::file_size(path, error);
  if (error)
    bytes = 0;
  return readInChild([&] { return readNetxInProcess(path); }, path, 30,
                     support::readerMemoryLimit(bytes));
}

llvm::Expected<Network> readNetxImage(llvm::StringRef bytes,
                                      const std::string &name,
                                      unsigned timeoutSeconds) {
  return readInChild([&] { return readNetxImageInProcess(bytes, name); }, name,
                     timeoutSeconds, support::readerMemoryLimit(bytes.size()));
}

} // namespace snn::netx

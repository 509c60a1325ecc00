//===- NirImport.cpp - NIR graphs to the snn dialect ----------------------===//
//
// After flattening (NirFlatGraph.cpp), each node's signal shape is inferred,
// exporter quirks are repaired where the shapes make the repair unambiguous,
// and the network is built: fan-in becomes snn.sum, each cycle's delayed
// edge an snn.delay {steps = 1}, and every neuron carries the conventions of
// the chosen preset.
//
//===----------------------------------------------------------------------===//

#include "NIR/NirImport.h"
#include "NIR/NirFlatGraph.h"
#include "SNN/IR/SNNOps.h"
#include "SNN/IR/SNNParams.h"
#include "SNN/IR/SNNSparse.h"
#include "Shape/ShapeInference.h"
#include "Support/Identifier.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <map>
#include <tuple>

using namespace mlir;

namespace snn::nir {

namespace {

using shape::Shape;

struct Signal {
  Shape shape;
  bool spikes = false;
  bool known() const { return !shape.empty(); }
};

std::string shapeText(const Shape &s) { return "[" + shape::toString(s) + "]"; }

/// No signal may have more neurons than this (docs/nir.md); shapes are
/// multiplied with overflow checks against it.
constexpr int64_t kMaxNeurons = int64_t(1) << 40;

/// The neurons of a shape, or nullopt when a dimension is not positive or
/// the product exceeds kMaxNeurons (checked before it could overflow).
std::optional<int64_t> checkedNeurons(const Shape &s) {
  int64_t n = 1;
  for (int64_t d : s) {
    if (d <= 0 || d > kMaxNeurons / n)
      return std::nullopt;
    n *= d;
  }
  return n;
}

/// Dimensions a file may give for a signal: positive and not absurd.
bool plausibleShape(const Shape &s) {
  return !s.empty() && checkedNeurons(s).has_value();
}

/// A value of a shape or window field as a whole number of at most `limit`
/// in magnitude; nullopt for NaN, infinities, fractions and larger values.
std::optional<int64_t> wholeNumber(double v, int64_t limit = kMaxNeurons) {
  if (!std::isfinite(v) || v != std::floor(v) ||
      std::abs(v) > static_cast<double>(limit))
    return std::nullopt;
  return static_cast<int64_t>(v);
}

/// Drops leading dimensions of size 1 (exporters add a batch dimension to
/// neuron parameters).
Shape stripLeadingOnes(Shape s) {
  while (s.size() > 1 && s.front() == 1)
    s.erase(s.begin());
  return s;
}

class Importer {
public:
  Importer(const FlatGraph &flat, const Conventions &conv, Reporter &reporter)
      : flat(flat), conv(conv), reporter(reporter),
        signals(flat.nodes.size()), transposed(flat.nodes.size(), false) {}

  bool inferSignals();
  NetworkOp build(ModuleOp module, const std::string &name);

private:
  //===--------------------------------------------------------------------===//
  // Shape inference
  //===--------------------------------------------------------------------===//

  const Array *field(int n, const char *name, bool required = true) {
    const Array *a = flat.nodes[n].node->array(name);
    if (!a && required)
      reportMissing(n, name);
    return a;
  }

  void reportMissing(int n, const char *name) {
    const Node *node = flat.nodes[n].node;
    reporter.error(flat.nodes[n].locPath, name)
        << (node->strings.count(name) ? "is a string, not numbers"
                                      : "is missing");
  }

  /// Rank a node expects its input to have, when its parameters say.
  std::optional<size_t> expectedInputRank(int n) {
    const std::string &type = flat.type(n);
    if (type == "Affine" || type == "Linear")
      return 1;
    if (type == "Conv1d")
      return 2;
    if (type == "Conv2d" || type == "SumPool2d" || type == "AvgPool2d")
      return 3;
    for (const char *p : {"v_threshold", "tau", "tau_mem", "r", "threshold"})
      if (const Array *a = flat.nodes[n].node->array(p); a && a->size() > 1)
        return stripLeadingOnes(a->shape).size();
    return std::nullopt;
  }

  /// Input a node needs when the file does not say (nodes fed by a network
  /// input the importer made up).
  Shape expectedInput(int n) {
    const Node *node = flat.nodes[n].node;
    const std::string &type = node->type;
    if (type == "Affine" || type == "Linear") {
      const Array *w = node->array("weight");
      return w && w->shape.size() == 2 ? Shape{w->shape[1]} : Shape{};
    }
    if (type == "Conv1d" || type == "Conv2d") {
      const Array *w = node->array("weight");
      const Array *in = node->array("input_shape");
      const Array *groups = node->array("groups");
      if (!w || w->shape.size() < 3 || !in)
        return {};
      std::optional<int64_t> g =
          groups && groups->size() == 1 && groups->loaded()
              ? wholeNumber(groups->values[0], 1 << 20)
              : std::optional<int64_t>(1);
      if (!g || *g <= 0)
        return {};
      Shape s{w->shape[1] * *g};
      for (double d : in->values) {
        std::optional<int64_t> dim = wholeNumber(d);
        if (!dim)
          return {};
        s.push_back(*dim);
      }
      return s;
    }
    for (const char *p : {"v_threshold", "tau", "tau_mem", "r", "threshold"})
      if (const Array *a = node->array(p); a && a->size() > 1)
        return stripLeadingOnes(a->shape);
    return {};
  }

  std::optional<Signal> inputSignal(int n) {
    const std::vector<int> &preds = flat.preds[n];
    std::optional<Signal> result;
    for (int p : preds) {
      if (!signals[p].known())
        continue;
      if (!result) {
        result = signals[p];
        continue;
      }
      if (signals[p].shape != result->shape) {
        reportFanInMismatch(n);
        return std::nullopt;
      }
      result->spikes = false; // a sum of edges is a value
    }
    return result;
  }

  void reportFanInMismatch(int n) {
    if (!reported.insert(n).second)
      return;
    std::string list;
    for (int p : flat.preds[n])
      if (signals[p].known())
        list += (list.empty() ? "" : ", ") + shapeText(signals[p].shape) +
                " from '" + flat.nodes[p].path + "'";
    InFlightDiagnostic diag = reporter.error(flat.nodes[n].locPath, "");
    diag << "its inputs do not have one shape (" << list
         << "): the layer sizes do not chain";
    for (int p : flat.preds[n])
      if (signals[p].known())
        diag.attachNote(nodeLoc(p))
            << "'" << flat.nodes[p].path << "' gives "
            << shapeText(signals[p].shape);
  }

  Shape networkInputShape(int n);
  std::optional<Signal> inferNode(int n, const Signal &in);
  std::optional<Signal> inferProjection(int n, const Signal &in);
  std::optional<Signal> inferConv(int n, const Signal &in);
  std::optional<Signal> inferPool(int n, const Signal &in);
  std::optional<Signal> inferFlatten(int n, const Signal &in);
  std::optional<Signal> inferNeuron(int n, const Signal &in);

  //===--------------------------------------------------------------------===//
  // IR construction
  //===--------------------------------------------------------------------===//

  Type signalType(const Signal &s) {
    if (s.spikes)
      return SpikesType::get(ctx, s.shape);
    return ValuesType::get(ctx, s.shape);
  }
  Value inputValue(OpBuilder &b, int n, Location loc);
  /// Where node `n` is in the file: ops built for it carry this location.
  Location nodeLoc(int n) const {
    return reporter.node(flat.nodes[n].locPath);
  }
  Value buildNode(OpBuilder &b, int n, Value input);
  Attribute param(int n, const char *name, double scale = 1.0,
                  ParamRange range = ParamRange::Any, bool required = true,
                  std::optional<double> fallback = std::nullopt);
  DenseFPElementsAttr weights(int n, const char *name, bool transpose = false);
  /// The weight of Linear/Affine node `n` as compressed rows, when it is
  /// large and mostly zero and `input` is its flat vector; nullopt to keep
  /// it dense (the dense path also reports bad values).
  std::optional<FloatCsr> sparseWeight(int n, Value input);
  /// snn.sparse for node `n` with the weights `csr`.
  Value buildSparse(OpBuilder &b, int n, Value input, const FloatCsr &csr);
  /// The bias of Affine node `n` as a vector of `rows` values, or null
  /// (reported).
  DenseFPElementsAttr affineBias(int n, int64_t rows);
  std::optional<SmallVector<int64_t>> window(int n, const char *name,
                                             size_t rank, int64_t fallback);
  struct ConvGeometry {
    SmallVector<int64_t> stride, padding, dilation;
    int64_t groups;
    /// Per spatial dimension: the kernel gets one leading zero tap, so that
    /// symmetric padding computes PyTorch's asymmetric "same" (see
    /// samePadding).
    SmallVector<bool> zeroTap;
    /// The weight's shape after the zero taps.
    Shape weightShape(Shape shape) const {
      for (size_t i = 0; i < zeroTap.size(); ++i)
        shape[2 + i] += zeroTap[i];
      return shape;
    }
  };
  std::optional<ConvGeometry> convGeometry(int n);
  std::optional<SmallVector<int64_t>> stringPadding(int n, ConvGeometry &g);
  DenseFPElementsAttr withZeroTaps(DenseFPElementsAttr weight,
                                   const ConvGeometry &g);
  Value buildConv(OpBuilder &b, int n, Value input);
  Value buildPool(OpBuilder &b, int n, Value input);
  /// The parameters of CubaLI and CubaLIF nodes (w_in defaults to 1).
  struct CubaParams {
    Attribute tauSyn, tauMem, r, vLeak, wIn;
    explicit operator bool() const {
      return tauSyn && tauMem && r && vLeak && wIn;
    }
  };
  CubaParams cubaParams(int n);
  Value buildNeuron(OpBuilder &b, int n, Value input);

  const FlatGraph &flat;
  Conventions conv;
  Reporter &reporter;
  std::vector<Signal> signals;
  std::vector<bool> transposed;
  std::set<int> reported;
  bool strippedBatch = false;

  MLIRContext *ctx = nullptr;
  std::vector<Value> values;
  std::map<std::pair<int, int>, Value> delayValues;
};

//===----------------------------------------------------------------------===//
// Shape inference
//===----------------------------------------------------------------------===//

Shape Importer::networkInputShape(int n) {
  const FlatNode &node = flat.nodes[n];
  if (!node.node) { // made up by the importer: take what the consumer needs
    int consumer = flat.succs[n].front();
    Shape s = expectedInput(consumer);
    if (!plausibleShape(s)) {
      reporter.error(flat.nodes[consumer].locPath, "") << "is fed by no Input node and its parameters do not give a "
                  "valid input shape";
      return {};
    }
    return s;
  }
  const Array *shapeField = node.node->array("shape");
  if (!shapeField) {
    reportMissing(n, "shape");
    return {};
  }
  Shape s;
  for (double d : shapeField->values) {
    if (!(d > 0) || d != std::floor(d) || d > static_cast<double>(kMaxNeurons)) {
      reporter.error(node.locPath, "shape") << "has a dimension " + std::to_string(d) +
                      " that is not a positive whole number";
      return {};
    }
    s.push_back(static_cast<int64_t>(d));
  }
  if (s.empty()) {
    reporter.error(node.locPath, "shape") << "is empty";
    return {};
  }
  if (!checkedNeurons(s)) {
    reporter.error(node.locPath, "shape")
        << shapeText(s) << " has more than " << kMaxNeurons << " neurons";
    return {};
  }
  // A leading batch or time axis: the consumers say how many dims they take.
  std::optional<size_t> rank;
  for (int c : flat.succs[n])
    if (flat.nodes[c].node)
      if ((rank = expectedInputRank(c)))
        break;
  if (rank && s.size() > *rank) {
    Shape kept(s.end() - *rank, s.end());
    Shape dropped(s.begin(), s.end() - *rank);
    bool batch = std::all_of(dropped.begin(), dropped.end(),
                             [](int64_t d) { return d == 1; });
    strippedBatch = strippedBatch || batch;
    reporter.warning(node.locPath, "shape") << shapeText(s) + " has a leading " +
                      (batch ? "batch" : "time or batch") + " axis; using " +
                      shapeText(kept);
    s = kept;
  }
  return s;
}

std::optional<Signal> Importer::inferProjection(int n, const Signal &in) {
  const std::string &path = flat.nodes[n].locPath;
  const Array *w = field(n, "weight");
  if (!w)
    return std::nullopt;
  if (w->shape.size() != 2) {
    reporter.error(path, "weight") << "has shape " + shapeText(w->shape) + " but needs [out, in]";
    return std::nullopt;
  }
  int64_t rows = w->shape[0], cols = w->shape[1], inSize = in.shape.back();
  if (cols != inSize && rows == inSize && rows != cols) {
    transposed[n] = true;
    reporter.warning(path, "weight") << "is stored transposed as [in, out] = " + shapeText(w->shape) +
                      "; read as " + shapeText({cols, rows});
    std::swap(rows, cols);
  }
  shape::Inferred out = shape::affine(in.shape, rows, cols);
  if (!out.ok()) {
    std::string from = flat.preds[n].empty()
                           ? std::string()
                           : " (from '" + flat.nodes[flat.preds[n][0]].path + "')";
    InFlightDiagnostic diag = reporter.error(path, "weight");
    diag << out.error << from
         << ": the layer sizes do not chain; if the weight is stored "
            "[in, out], transpose it in the exporter";
    if (!flat.preds[n].empty())
      diag.attachNote(nodeLoc(flat.preds[n][0]))
          << "'" << flat.nodes[flat.preds[n][0]].path << "' gives "
          << shapeText(in.shape);
    return std::nullopt;
  }
  return Signal{out.shape, false};
}

std::optional<SmallVector<int64_t>> Importer::window(int n, const char *name,
                                                     size_t rank,
                                                     int64_t fallback) {
  const FlatNode &node = flat.nodes[n];
  SmallVector<int64_t> result;
  const Array *a = node.node->array(name);
  if (!a) {
    if (auto it = node.node->strings.find(name); it != node.node->strings.end()) {
      reporter.error(node.locPath, name) << "is the string '" + it->second +
                      "'; only numeric padding is supported";
      return std::nullopt;
    }
    if (fallback < 0) {
      reporter.error(node.locPath, name) << "is missing";
      return std::nullopt;
    }
    result.assign(rank, fallback);
    return result;
  }
  if (a->size() != 1 && a->size() != static_cast<int64_t>(rank)) {
    reporter.error(node.locPath, name) << "has " + std::to_string(a->size()) + " values but the op has " +
                    std::to_string(rank) + " spatial dimensions";
    return std::nullopt;
  }
  for (size_t i = 0; i < rank; ++i) {
    double v = a->values[a->size() == 1 ? 0 : i];
    if (v != std::floor(v) || std::abs(v) > (1 << 30)) {
      reporter.error(node.locPath, name) << "holds " + std::to_string(v) +
                                       ", not a whole number";
      return std::nullopt;
    }
    result.push_back(static_cast<int64_t>(v));
  }
  return result;
}

/// padding = "valid" (none) or "same" (the output as large as the input),
/// as PyTorch computes them: "same" needs stride 1 and pads
/// dilation * (kernel - 1) in all, half of it before and the rest after, so
/// an even kernel gets one more zero after than before. The IR's padding is
/// symmetric: one more before and after, with a leading zero tap in the
/// kernel that moves the window back by one, gives the same sums. With an
/// odd dilation above 1 and an even kernel a zero tap moves the window by
/// the dilation, not one: that case is refused.
std::optional<SmallVector<int64_t>> Importer::stringPadding(int n,
                                                            ConvGeometry &g) {
  const FlatNode &node = flat.nodes[n];
  const std::string &text = node.node->strings.at("padding");
  size_t rank = g.stride.size();
  SmallVector<int64_t> padding(rank, 0);
  g.zeroTap.assign(rank, false);
  if (text == "valid")
    return padding;
  if (text != "same") {
    reporter.error(node.locPath, "padding")
        << "is the string '" << text
        << "'; padding takes numbers, \"same\" or \"valid\"";
    return std::nullopt;
  }
  const Array *w = node.node->array("weight");
  if (!w || w->shape.size() != rank + 2)
    return padding; // inferConv names the weight at fault
  for (size_t i = 0; i < rank; ++i) {
    if (g.stride[i] != 1) {
      reporter.error(node.locPath, "padding")
          << "is \"same\" with stride " << g.stride[i]
          << "; \"same\" needs stride 1 (as in PyTorch)";
      return std::nullopt;
    }
    int64_t total = g.dilation[i] * (w->shape[2 + i] - 1);
    padding[i] = total / 2;
    if (total % 2 == 0)
      continue;
    if (g.dilation[i] != 1) {
      reporter.error(node.locPath, "padding")
          << "is \"same\" with the even kernel size " << w->shape[2 + i]
          << " and dilation " << g.dilation[i]
          << ": PyTorch pads unevenly there, which symmetric padding cannot "
             "express; give numeric padding";
      return std::nullopt;
    }
    padding[i] += 1;
    g.zeroTap[i] = true;
  }
  return padding;
}

std::optional<Importer::ConvGeometry> Importer::convGeometry(int n) {
  size_t rank = flat.type(n) == "Conv1d" ? 1 : 2;
  auto stride = window(n, "stride", rank, 1);
  auto dilation = window(n, "dilation", rank, 1);
  if (!stride || !dilation)
    return std::nullopt;
  ConvGeometry geometry{
      *stride, {}, *dilation, 1, SmallVector<bool>(rank, false)};
  auto padding = flat.nodes[n].node->strings.count("padding")
                     ? stringPadding(n, geometry)
                     : window(n, "padding", rank, 0);
  if (!padding)
    return std::nullopt;
  const Array *groups = flat.nodes[n].node->array("groups");
  int64_t g = 1;
  if (groups && groups->size() == 1) {
    std::optional<int64_t> value = wholeNumber(groups->values[0], 1 << 20);
    if (!value || *value <= 0) {
      reporter.error(flat.nodes[n].locPath, "groups")
          << "holds " << formatNumber(groups->values[0])
          << ", not a positive whole number of at most " << (1 << 20);
      return std::nullopt;
    }
    g = *value;
  }
  geometry.padding = *padding;
  geometry.groups = g;
  return geometry;
}

/// `weight` [C_out, C_in/g, (H,) W] with a zero tap before the kernel in
/// the dimensions `g` marks.
DenseFPElementsAttr Importer::withZeroTaps(DenseFPElementsAttr weight,
                                           const ConvGeometry &g) {
  if (!llvm::is_contained(g.zeroTap, true))
    return weight;
  Shape from(weight.getType().getShape());
  Shape to = g.weightShape(from);
  int64_t height = from.size() == 4 ? from[2] : 1, width = from.back();
  int64_t toHeight = to.size() == 4 ? to[2] : 1, toWidth = to.back();
  int64_t dy = toHeight - height, dx = toWidth - width;
  std::vector<double> values(size_t(shape::numElements(to)), 0.0);
  int64_t k = 0;
  for (APFloat v : weight.getValues<APFloat>()) {
    int64_t x = k % width, y = k / width % height, plane = k / (width * height);
    values[size_t((plane * toHeight + y + dy) * toWidth + x + dx)] =
        v.convertToDouble();
    ++k;
  }
  Type element = weight.getType().getElementType();
  if (element.isF32()) {
    std::vector<float> f(values.begin(), values.end());
    return cast<DenseFPElementsAttr>(DenseElementsAttr::get(
        RankedTensorType::get(to, element), llvm::ArrayRef<float>(f)));
  }
  return cast<DenseFPElementsAttr>(DenseElementsAttr::get(
      RankedTensorType::get(to, element), llvm::ArrayRef<double>(values)));
}

std::optional<Signal> Importer::inferConv(int n, const Signal &in) {
  const std::string &path = flat.nodes[n].locPath;
  const Array *w = field(n, "weight");
  if (!w)
    return std::nullopt;
  size_t rank = flat.type(n) == "Conv1d" ? 1 : 2;
  if (w->shape.size() != rank + 2) {
    reporter.error(path, "weight") << "has shape " + shapeText(w->shape) + " but a " +
                    flat.type(n) + " weight has rank " +
                    std::to_string(rank + 2);
    return std::nullopt;
  }
  std::optional<ConvGeometry> g = convGeometry(n);
  if (!g)
    return std::nullopt;
  shape::Inferred out =
      shape::conv(in.shape, g->weightShape(w->shape),
                  Shape(g->stride.begin(), g->stride.end()),
                  Shape(g->padding.begin(), g->padding.end()),
                  Shape(g->dilation.begin(), g->dilation.end()), g->groups);
  if (!out.ok()) {
    reporter.error(path, "") << out.error;
    return std::nullopt;
  }
  return Signal{out.shape, false};
}

std::optional<Signal> Importer::inferPool(int n, const Signal &in) {
  auto kernel = window(n, "kernel_size", 2, -1);
  auto stride = window(n, "stride", 2, -1);
  auto padding = window(n, "padding", 2, 0);
  if (!kernel || !stride || !padding)
    return std::nullopt;
  shape::Inferred out = shape::pool2d(in.shape, Shape(kernel->begin(), kernel->end()),
                                      Shape(stride->begin(), stride->end()),
                                      Shape(padding->begin(), padding->end()));
  if (!out.ok()) {
    reporter.error(flat.nodes[n].locPath, "") << out.error;
    return std::nullopt;
  }
  return Signal{out.shape, false};
}

std::optional<Signal> Importer::inferFlatten(int n, const Signal &in) {
  const Node *node = flat.nodes[n].node;
  const Array *start = node->array("start_dim");
  const Array *end = node->array("end_dim");
  int64_t s = 1, e = -1;
  for (auto [array, name, value] :
       {std::tuple(start, "start_dim", &s), std::tuple(end, "end_dim", &e)}) {
    if (!array || array->size() != 1)
      continue;
    std::optional<int64_t> dim = wholeNumber(array->values[0], 64);
    if (!dim) {
      reporter.error(flat.nodes[n].locPath, name)
          << "holds " << formatNumber(array->values[0])
          << ", not a dimension index";
      return std::nullopt;
    }
    *value = *dim;
  }
  // Flatten dims count a batch dimension when the file's shapes have one.
  const Array *inputType = node->array("input_type");
  bool fileHasBatch =
      inputType ? inputType->size() == static_cast<int64_t>(in.shape.size()) + 1
                : strippedBatch;
  if (fileHasBatch) {
    if (s > 0)
      --s;
    if (e > 0)
      --e;
  }
  shape::Inferred out = shape::flatten(in.shape, s, e);
  if (!out.ok()) {
    reporter.error(flat.nodes[n].locPath, "start_dim") << out.error;
    return std::nullopt;
  }
  return Signal{out.shape, in.spikes};
}

std::optional<Signal> Importer::inferNeuron(int n, const Signal &in) {
  const std::string &type = flat.type(n);
  bool fires = type == "IF" || type == "LIF" || type == "CubaLIF" ||
               type == "Threshold";
  if (type == "Delay")
    return in;
  return Signal{in.shape, fires};
}

std::optional<Signal> Importer::inferNode(int n, const Signal &in) {
  const std::string &type = flat.type(n);
  if (type == "Affine" || type == "Linear")
    return inferProjection(n, in);
  if (type == "Conv1d" || type == "Conv2d")
    return inferConv(n, in);
  if (type == "SumPool2d" || type == "AvgPool2d")
    return inferPool(n, in);
  if (type == "Flatten")
    return inferFlatten(n, in);
  if (type == "Scale")
    return Signal{in.shape, false};
  return inferNeuron(n, in);
}

bool Importer::inferSignals() {
  unsigned errorsBefore = reporter.errorCount();
  for (size_t n = 0; n < flat.nodes.size(); ++n)
    if (flat.nodes[n].kind == FlatNode::NetworkInput) {
      signals[n].shape = networkInputShape(static_cast<int>(n));
      signals[n].spikes = true;
    }
  // Shapes flow along edges. A cycle that no input reaches is entered at
  // its first node whose parameters give its input shape.
  std::vector<bool> failed(flat.nodes.size(), false);
  auto pending = [&](int n) {
    FlatNode::Kind kind = flat.nodes[n].kind;
    return !signals[n].known() && !failed[n] && kind != FlatNode::Removed &&
           kind != FlatNode::NetworkInput;
  };
  auto infer = [&](int n, const Signal &in) {
    std::optional<Signal> out = flat.nodes[n].kind == FlatNode::NetworkOutput
                                    ? std::optional<Signal>(in)
                                    : inferNode(n, in);
    if (out)
      signals[n] = *out;
    else
      failed[n] = true;
  };
  for (size_t round = 0; round <= flat.nodes.size(); ++round) {
    bool changed = true;
    while (changed) {
      changed = false;
      for (size_t i = 0; i < flat.nodes.size(); ++i) {
        int n = static_cast<int>(i);
        if (!pending(n))
          continue;
        std::optional<Signal> in = inputSignal(n);
        if (!in) {
          failed[n] = reported.count(n) > 0;
          continue;
        }
        infer(n, *in);
        changed = true;
      }
    }
    auto entry = std::find_if(flat.nodes.begin(), flat.nodes.end(),
                              [&](const FlatNode &node) {
                                int n = static_cast<int>(&node - &flat.nodes[0]);
                                return pending(n) && node.node &&
                                       !flat.preds[n].empty() &&
                                       !expectedInput(n).empty();
                              });
    if (entry == flat.nodes.end())
      break;
    int n = static_cast<int>(entry - flat.nodes.begin());
    Shape guess = expectedInput(n);
    if (!plausibleShape(guess)) {
      reporter.error(flat.nodes[n].locPath, "") << "its parameters give an invalid input shape " +
                      shapeText(guess);
      failed[n] = true;
      continue;
    }
    infer(n, Signal{guess, false});
  }
  // Every edge into a node must carry the node's input shape.
  // Outputs take the kind of their full fan-in (a sum of spikes is values).
  for (size_t n = 0; n < flat.nodes.size(); ++n)
    if (signals[n].known() && !failed[n])
      if (std::optional<Signal> in = inputSignal(static_cast<int>(n));
          in && flat.nodes[n].kind == FlatNode::NetworkOutput)
        signals[n] = *in;
  bool earlierErrors = reporter.errorCount() != errorsBefore;
  for (size_t n = 0; n < flat.nodes.size(); ++n) {
    if (!pending(static_cast<int>(n)) || earlierErrors)
      continue;
    reporter.error(flat.nodes[n].locPath, "")
        << (flat.preds[n].empty()
                ? "receives no edge, so its input shape is unknown"
                : "its input shape cannot be inferred");
  }
  // The shape an Output node declares must hold the same neurons.
  for (size_t n = 0; n < flat.nodes.size(); ++n) {
    const FlatNode &node = flat.nodes[n];
    if (node.kind != FlatNode::NetworkOutput || !node.node ||
        !signals[n].known())
      continue;
    if (const Array *s = node.node->array("shape")) {
      Shape declared;
      for (double d : s->values)
        declared.push_back(wholeNumber(d).value_or(-1));
      std::optional<int64_t> count = checkedNeurons(declared);
      if (!count) {
        reporter.error(node.locPath, "shape")
            << "is not a shape of positive whole numbers with at most "
            << kMaxNeurons << " elements";
        continue;
      }
      if (*count != shape::numElements(signals[n].shape))
        reporter.error(node.locPath, "shape") << "is " + shapeText(declared) + " but the output receives " +
                        shapeText(signals[n].shape);
    }
  }
  return reporter.errorCount() == errorsBefore;
}

//===----------------------------------------------------------------------===//
// IR construction
//===----------------------------------------------------------------------===//

Attribute Importer::param(int n, const char *name, double scale,
                          ParamRange range, bool required,
                          std::optional<double> fallback) {
  const std::string &path = flat.nodes[n].locPath;
  const Array *a = flat.nodes[n].node->array(name);
  Builder b(ctx);
  if (!a) {
    if (fallback && !flat.nodes[n].node->strings.count(name))
      return b.getF64FloatAttr(*fallback * scale);
    if (required)
      reportMissing(n, name);
    return {};
  }
  const Shape &neurons = signals[n].shape;
  int64_t count = shape::numElements(neurons);
  if (a->size() != 1 && a->size() != count) {
    reporter.error(path, name) << "has " + std::to_string(a->size()) + " values " +
                    shapeText(a->shape) + " but the node has " +
                    std::to_string(count) + " neurons " + shapeText(neurons);
    return {};
  }
  for (int64_t i = 0; i < a->size(); ++i) {
    double v = a->values[i];
    std::string where =
        a->size() == 1 ? "" : " at neuron " + std::to_string(i);
    if (!std::isfinite(v) || (range == ParamRange::Positive && !(v > 0)) ||
        (range == ParamRange::NonNegative && v < 0)) {
      reporter.error(path, name) << std::string(range == ParamRange::Positive
                                  ? "must be positive"
                                  : range == ParamRange::NonNegative
                                        ? "must be non-negative"
                                        : "must be finite") +
                      ", got " + formatNumber(v) + where;
      return {};
    }
  }
  bool uniform = std::all_of(a->values.begin(), a->values.end(),
                             [&](double v) { return v == a->values[0]; });
  if (uniform)
    return b.getF64FloatAttr(a->values[0] * scale);
  std::vector<double> scaled(a->values);
  for (double &v : scaled)
    v *= scale;
  auto type = RankedTensorType::get(neurons, b.getF64Type());
  return DenseElementsAttr::get(type, llvm::ArrayRef<double>(scaled));
}

DenseFPElementsAttr Importer::weights(int n, const char *name, bool transpose) {
  const Array *a = flat.nodes[n].node->array(name);
  if (!a)
    return {};
  for (double v : a->values)
    if (!std::isfinite(v)) {
      reporter.error(flat.nodes[n].locPath, name) << "holds a value that is not finite";
      return {};
    }
  Builder b(ctx);
  Shape s = a->shape;
  std::vector<double> values = a->values;
  if (transpose && s.size() == 2) {
    for (int64_t r = 0; r < s[0]; ++r)
      for (int64_t c = 0; c < s[1]; ++c)
        values[c * s[0] + r] = a->values[r * s[1] + c];
    std::swap(s[0], s[1]);
  }
  if (s.empty())
    s = {1};
  if (a->dtype == "float32") {
    std::vector<float> f(values.begin(), values.end());
    return cast<DenseFPElementsAttr>(DenseElementsAttr::get(
        RankedTensorType::get(s, b.getF32Type()), llvm::ArrayRef<float>(f)));
  }
  return cast<DenseFPElementsAttr>(DenseElementsAttr::get(
      RankedTensorType::get(s, b.getF64Type()), llvm::ArrayRef<double>(values)));
}

DenseFPElementsAttr Importer::affineBias(int n, int64_t rows) {
  auto bias = weights(n, "bias");
  if (!bias) {
    reportMissing(n, "bias");
    return {};
  }
  if (bias.getNumElements() != rows) {
    reporter.error(flat.nodes[n].locPath, "bias")
        << "has " + std::to_string(bias.getNumElements()) +
               " values but the weight has " + std::to_string(rows) + " rows";
    return {};
  }
  return cast<DenseFPElementsAttr>(bias.reshape(RankedTensorType::get(
      {bias.getNumElements()}, bias.getType().getElementType())));
}

// Below this many entries a weight stays dense whatever its zeros: small
// matrices cost little either way and keep their familiar snn.linear form.
static constexpr int64_t kSparseImportMinEntries = int64_t(1) << 16;

std::optional<FloatCsr> Importer::sparseWeight(int n, Value input) {
  const Array *a = flat.nodes[n].node->array("weight");
  if (!a || !a->loaded() || a->shape.size() != 2)
    return std::nullopt;
  bool transpose = transposed[n];
  // Stored [out, in], or [in, out] when transposed.
  int64_t rows = a->shape[transpose ? 1 : 0], cols = a->shape[transpose ? 0 : 1];
  // The shape comes from the file: compare without multiplying first.
  int64_t stored = int64_t(a->values.size());
  if (rows <= 0 || cols <= 0 || cols > stored / rows ||
      rows * cols != stored || stored < kSparseImportMinEntries ||
      getSignalSize(input) != cols)
    return std::nullopt;
  int64_t nonzero = 0;
  for (double v : a->values) {
    if (!std::isfinite(v))
      return std::nullopt;
    nonzero += v != 0;
  }
  if (!preferSparse(rows, cols, nonzero, a->dtype == "float32" ? 4 : 8))
    return std::nullopt;
  if (!transpose)
    return csrFromDense(a->values, rows, cols);
  FloatCsr m;
  m.rows = rows;
  m.cols = cols;
  m.offsets.reserve(size_t(rows) + 1);
  m.indices.reserve(size_t(nonzero));
  m.values.reserve(size_t(nonzero));
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c)
      if (double w = a->values[size_t(c * rows + r)]; w != 0) {
        m.indices.push_back(c);
        m.values.push_back(w);
      }
    m.offsets.push_back(int64_t(m.indices.size()));
  }
  return m;
}

Value Importer::buildSparse(OpBuilder &b, int n, Value input,
                            const FloatCsr &csr) {
  const Array *a = flat.nodes[n].node->array("weight");
  auto ints = [&](const std::vector<int64_t> &v) {
    std::vector<int32_t> narrow(v.begin(), v.end());
    return DenseIntElementsAttr::get(
        RankedTensorType::get({int64_t(v.size())}, b.getI32Type()),
        llvm::ArrayRef<int32_t>(narrow));
  };
  DenseFPElementsAttr values;
  auto valuesType = [&](Type element) {
    return RankedTensorType::get({csr.nonzeros()}, element);
  };
  if (a->dtype == "float32") {
    std::vector<float> f(csr.values.begin(), csr.values.end());
    values = cast<DenseFPElementsAttr>(DenseElementsAttr::get(
        valuesType(b.getF32Type()), llvm::ArrayRef<float>(f)));
  } else {
    values = cast<DenseFPElementsAttr>(DenseElementsAttr::get(
        valuesType(b.getF64Type()), llvm::ArrayRef<double>(csr.values)));
  }
  DenseFPElementsAttr bias;
  if (flat.type(n) == "Affine" && !(bias = affineBias(n, csr.rows)))
    return {};
  return b.create<SparseOp>(nodeLoc(n), signalType(signals[n]), input,
                            ints(csr.offsets), ints(csr.indices), values, bias,
                            b.getStringAttr(flat.nodes[n].path));
}

Value Importer::buildConv(OpBuilder &b, int n, Value input) {
  Location loc = nodeLoc(n);
  size_t rank = flat.type(n) == "Conv1d" ? 1 : 2;
  auto weight = weights(n, "weight");
  if (!weight)
    return {};
  int64_t outChannels = weight.getType().getDimSize(0);
  DenseFPElementsAttr bias;
  if (flat.nodes[n].node->array("bias")) {
    bias = weights(n, "bias");
    if (!bias)
      return {};
    if (bias.getNumElements() != outChannels) {
      reporter.error(flat.nodes[n].locPath, "bias") << "has " + std::to_string(bias.getNumElements()) +
                      " values but there are " + std::to_string(outChannels) +
                      " output channels";
      return {};
    }
    bias = cast<DenseFPElementsAttr>(bias.reshape(RankedTensorType::get(
        {outChannels}, bias.getType().getElementType())));
  } else {
    bias = cast<DenseFPElementsAttr>(DenseElementsAttr::get(
        RankedTensorType::get({outChannels}, weight.getType().getElementType()),
        b.getZeroAttr(weight.getType().getElementType())));
  }
  ConvGeometry g = *convGeometry(n); // checked by inferConv
  weight = withZeroTaps(weight, g);
  Type type = signalType(signals[n]);
  StringAttr name = b.getStringAttr(flat.nodes[n].path);
  auto stride = b.getDenseI64ArrayAttr(g.stride);
  auto padding = b.getDenseI64ArrayAttr(g.padding);
  auto dilation = b.getDenseI64ArrayAttr(g.dilation);
  auto groups = b.getI64IntegerAttr(g.groups);
  if (rank == 1)
    return b.create<Conv1dOp>(loc, type, input, weight, bias, stride, padding,
                              dilation, groups, name);
  return b.create<Conv2dOp>(loc, type, input, weight, bias, stride, padding,
                            dilation, groups, name);
}

Value Importer::buildPool(OpBuilder &b, int n, Value input) {
  Location loc = nodeLoc(n);
  auto kernel = b.getDenseI64ArrayAttr(*window(n, "kernel_size", 2, -1));
  auto stride = b.getDenseI64ArrayAttr(*window(n, "stride", 2, -1));
  auto padding = b.getDenseI64ArrayAttr(*window(n, "padding", 2, 0));
  Type type = signalType(signals[n]);
  StringAttr name = b.getStringAttr(flat.nodes[n].path);
  if (flat.type(n) == "SumPool2d")
    return b.create<SumPool2dOp>(loc, type, input, kernel, stride, padding,
                                 name);
  return b.create<AvgPool2dOp>(loc, type, input, kernel, stride, padding, name);
}

Importer::CubaParams Importer::cubaParams(int n) {
  CubaParams p;
  p.tauSyn = param(n, "tau_syn", 1.0, ParamRange::Positive);
  p.tauMem = param(n, "tau_mem", 1.0, ParamRange::Positive);
  p.r = param(n, "r");
  p.vLeak = param(n, "v_leak", 1.0, ParamRange::Any, true, 0.0);
  p.wIn = param(n, "w_in", 1.0, ParamRange::Any, true, 1.0);
  return p;
}

Value Importer::buildNeuron(OpBuilder &b, int n, Value input) {
  Location loc = nodeLoc(n);
  const std::string &type = flat.type(n);
  Type resultType = signalType(signals[n]);
  StringAttr name = b.getStringAttr(flat.nodes[n].path);
  const ParamRange positive = ParamRange::Positive;
  // Frameworks that integrate IF/I inputs per step without dt.
  double integratorScale = conv.impulseIntegrators ? 1.0 / conv.dt : 1.0;

  if (type == "Threshold") {
    Attribute theta = param(n, "threshold");
    if (!theta)
      return {};
    return b.create<ThresholdOp>(loc, resultType, input, theta, conv.spike,
                                 name);
  }
  if (type == "Delay") {
    Attribute delay = param(n, "delay", 1.0, ParamRange::NonNegative);
    if (!delay)
      return {};
    return b.create<DelayOp>(loc, resultType, input, delay, IntegerAttr(),
                             name);
  }
  if (type == "I") {
    Attribute r = param(n, "r", integratorScale);
    if (!r)
      return {};
    return b.create<IntegratorOp>(loc, resultType, input, r, name);
  }
  if (type == "LI") {
    Attribute tau = param(n, "tau", 1.0, positive), r = param(n, "r"),
              vLeak = param(n, "v_leak", 1.0, ParamRange::Any, true, 0.0);
    if (!tau || !r || !vLeak)
      return {};
    return b.create<LIOp>(loc, resultType, input, tau, r, vLeak,
                          conv.integration, name);
  }
  if (type == "CubaLI") {
    CubaParams p = cubaParams(n);
    if (!p)
      return {};
    return b.create<CubaLIOp>(loc, resultType, input, p.tauSyn, p.tauMem, p.r,
                              p.vLeak, p.wIn, conv.integration, name);
  }

  // Firing neurons: IF, LIF, CubaLIF.
  const Node *node = flat.nodes[n].node;
  ResetMode reset = conv.reset;
  if (conv.resetFollowsFile)
    reset = node->array("v_reset") ? ResetMode::ToValue : ResetMode::Subtract;
  Attribute vReset;
  if (reset == ResetMode::ToValue)
    vReset = param(n, "v_reset", 1.0, ParamRange::Any, true, 0.0);
  Attribute vThreshold = param(n, "v_threshold");
  if (!vThreshold || (reset == ResetMode::ToValue && !vReset))
    return {};
  if (type == "IF") {
    Attribute r = param(n, "r", integratorScale);
    if (!r)
      return {};
    return b.create<IFOp>(loc, resultType, input, r, vThreshold, vReset, reset,
                          conv.timing, conv.spike, name);
  }
  if (type == "LIF") {
    Attribute tau = param(n, "tau", 1.0, positive), r = param(n, "r"),
              vLeak = param(n, "v_leak", 1.0, ParamRange::Any, true, 0.0);
    if (!tau || !r || !vLeak)
      return {};
    // Frameworks that add the input per step (NirPresets.h, LeakyInput).
    r = leakyRToIR(conv, tau, r);
    return b.create<LIFOp>(loc, resultType, input, tau, r, vLeak, vThreshold,
                           vReset, conv.integration, reset, conv.timing,
                           conv.spike, name);
  }
  CubaParams p = cubaParams(n);
  if (!p)
    return {};
  return b.create<CubaLIFOp>(loc, resultType, input, p.tauSyn, p.tauMem, p.r,
                             p.vLeak, vThreshold, vReset, p.wIn,
                             conv.integration, reset, conv.timing, conv.spike,
                             name);
}

Value Importer::inputValue(OpBuilder &b, int n, Location loc) {
  SmallVector<Value> inputs;
  for (int p : flat.preds[n]) {
    auto delayed = delayValues.find({p, n});
    inputs.push_back(delayed != delayValues.end() ? delayed->second
                                                   : values[p]);
  }
  if (inputs.size() == 1)
    return inputs.front();
  return b.create<SumOp>(loc, ValuesType::get(ctx, signals[n].shape), inputs,
                         StringAttr());
}

Value Importer::buildNode(OpBuilder &b, int n, Value input) {
  Location loc = nodeLoc(n);
  const std::string &type = flat.type(n);
  Type resultType = signalType(signals[n]);
  StringAttr name = b.getStringAttr(flat.nodes[n].path);
  if (type == "Affine" || type == "Linear") {
    if (std::optional<FloatCsr> csr = sparseWeight(n, input))
      return buildSparse(b, n, input, *csr);
    auto weight = weights(n, "weight", transposed[n]);
    if (!weight)
      return {};
    if (type == "Linear")
      return b.create<LinearOp>(loc, resultType, input, weight, name);
    auto bias = affineBias(n, weight.getType().getDimSize(0));
    if (!bias)
      return {};
    return b.create<AffineOp>(loc, resultType, input, weight, bias, name);
  }
  if (type == "Scale") {
    Attribute scale = param(n, "scale");
    if (!scale)
      return {};
    return b.create<ScaleOp>(loc, resultType, input, scale, name);
  }
  if (type == "Conv1d" || type == "Conv2d")
    return buildConv(b, n, input);
  if (type == "SumPool2d" || type == "AvgPool2d")
    return buildPool(b, n, input);
  if (type == "Flatten") {
    ArrayRef<int64_t> in = getSignalShape(input.getType());
    // Express the inferred flatten over the IR's (batch-free) dims.
    auto range = shape::flattenRange(Shape(in.begin(), in.end()),
                                     signals[n].shape);
    if (!range)
      return {};
    return b.create<FlattenOp>(loc, resultType, input,
                               b.getI64IntegerAttr(range->first),
                               b.getI64IntegerAttr(range->second), name);
  }
  return buildNeuron(b, n, input);
}

NetworkOp Importer::build(ModuleOp module, const std::string &name) {
  ctx = module.getContext();
  OpBuilder b(ctx);
  b.setInsertionPointToEnd(module.getBody());
  Location loc = reporter.file();

  std::vector<int> inputs, outputs;
  for (size_t n = 0; n < flat.nodes.size(); ++n) {
    if (flat.nodes[n].kind == FlatNode::NetworkInput)
      inputs.push_back(static_cast<int>(n));
    if (flat.nodes[n].kind == FlatNode::NetworkOutput)
      outputs.push_back(static_cast<int>(n));
  }
  SmallVector<Type> inTypes, outTypes;
  SmallVector<Attribute> inNames, outNames;
  for (int n : inputs) {
    inTypes.push_back(signalType(signals[n]));
    inNames.push_back(b.getStringAttr(flat.nodes[n].path));
  }
  for (int n : outputs) {
    outTypes.push_back(signalType(signals[n]));
    outNames.push_back(b.getStringAttr(flat.nodes[n].path));
  }
  auto network = b.create<NetworkOp>(
      loc, b.getStringAttr(identifierFrom(name, "net_")),
      TypeAttr::get(b.getFunctionType(inTypes, outTypes)),
      b.getArrayAttr(inNames), b.getArrayAttr(outNames),
      b.getF64FloatAttr(conv.dt));
  Block *body = new Block();
  network.getBody().push_back(body);
  for (auto [t, n] : llvm::zip(inTypes, inputs))
    body->addArgument(t, nodeLoc(n));
  b.setInsertionPointToStart(body);

  values.assign(flat.nodes.size(), Value());
  for (auto [i, n] : llvm::enumerate(inputs))
    values[n] = body->getArgument(i);

  // Delayed edges read values built later: a placeholder stands in until
  // the source exists.
  SmallVector<std::pair<Operation *, int>> placeholders;
  for (auto [from, to] : flat.delayed) {
    Type t = signalType(signals[from]);
    // The delay reads the previous step of the edge's source.
    Location edgeLoc = nodeLoc(from);
    auto placeholder = b.create<UnrealizedConversionCastOp>(
        edgeLoc, TypeRange{t}, ValueRange{});
    auto delay = b.create<DelayOp>(edgeLoc, t, placeholder.getResult(0),
                                   Attribute(), b.getI64IntegerAttr(1),
                                   StringAttr());
    delayValues[{from, to}] = delay;
    placeholders.emplace_back(placeholder, from);
  }

  // Build in dependency order: the graph without delayed edges is acyclic.
  std::vector<int> pending(flat.nodes.size(), 0);
  std::vector<int> ready;
  for (size_t n = 0; n < flat.nodes.size(); ++n) {
    if (flat.nodes[n].kind == FlatNode::Removed ||
        flat.nodes[n].kind == FlatNode::NetworkInput)
      continue;
    for (int p : flat.preds[n])
      if (!flat.delayed.count({p, static_cast<int>(n)}))
        ++pending[n];
  }
  auto release = [&](int n) {
    for (int s : flat.succs[n])
      if (!flat.delayed.count({n, s}) && --pending[s] == 0)
        ready.push_back(s);
  };
  for (size_t n = 0; n < flat.nodes.size(); ++n)
    if (flat.nodes[n].kind != FlatNode::Removed &&
        flat.nodes[n].kind != FlatNode::NetworkInput && pending[n] == 0)
      ready.push_back(static_cast<int>(n));
  for (int n : inputs)
    release(n);
  unsigned errorsBefore = reporter.errorCount();
  for (size_t next = 0; next < ready.size(); ++next) {
    int n = ready[next];
    Value input = inputValue(b, n, nodeLoc(n));
    if (flat.nodes[n].kind == FlatNode::NetworkOutput) {
      values[n] = input;
    } else {
      // Lava's Dense and Conv: the weighted input arrives a step later (the
      // delay goes in front, so that a bias, which Lava adds in the neuron,
      // is not delayed and snn-quantize still folds the projection).
      if (conv.projectionLatency &&
          llvm::is_contained({"Affine", "Linear", "Conv1d", "Conv2d"},
                             flat.type(n)))
        input = b.create<DelayOp>(nodeLoc(n), input.getType(), input,
                                  Attribute(), b.getI64IntegerAttr(1),
                                  StringAttr());
      values[n] = buildNode(b, n, input);
      if (!values[n]) {
        if (reporter.errorCount() == errorsBefore)
          reporter.error(flat.nodes[n].locPath, "") << "cannot be converted";
        network.erase();
        return {};
      }
    }
    release(n);
  }
  for (auto [placeholder, from] : placeholders) {
    placeholder->getResult(0).replaceAllUsesWith(values[from]);
    placeholder->erase();
  }
  SmallVector<Value> results;
  for (int n : outputs)
    results.push_back(values[n]);
  b.create<OutputOp>(loc, results);
  return network;
}

} // namespace

namespace {

/// The conventions the options ask for, or an error.
FailureOr<Conventions> conventionsFor(const ImportOptions &options,
                                      Reporter &reporter) {
  std::optional<Conventions> conv = resolveConventions(options);
  if (!conv) {
    std::string known;
    for (const Preset &p : presets())
      known += (known.empty() ? "" : ", ") + p.name;
    reporter.error("", "") << "unknown preset '" << presetName(options)
                           << "' (known: " << known << ")";
    return failure();
  }
  if (!(conv->dt > 0) || !std::isfinite(conv->dt)) {
    reporter.error("", "") << "dt must be a positive number of seconds";
    return failure();
  }
  if (!options.preset)
    reporter.warning("", "")
        << "no --nir-preset given: assuming '" << kDefaultPreset
        << "' (NIR's documented equations); NIR files do not say how their "
           "exporter resets, times resets or integrates, and a wrong guess "
           "changes every spike count without an error: name the exporter "
           "with --nir-preset (snntorch, norse, sinabs, rockpool, lava, spyx)";
  return *conv;
}

/// The verifier repeats the dialect's checks; an error here is an importer
/// gap, reported at the op (and so the node) it concerns.
LogicalResult verifyImported(ModuleOp module, Reporter &reporter) {
  std::string message;
  std::optional<Location> where;
  {
    ScopedDiagnosticHandler handler(module.getContext(), [&](Diagnostic &d) {
      if (d.getSeverity() == DiagnosticSeverity::Error && !where) {
        message = d.str();
        where = d.getLocation();
      }
      return success();
    });
    if (succeeded(verify(module)))
      return success();
  }
  reporter.emit(DiagnosticSeverity::Error,
                where ? Reporter::pathOf(*where) : std::string(),
                "the imported network does not verify: " + message);
  return failure();
}

} // namespace

namespace {

/// importNir's body; `isolated`: HDF5 reads in a child process.
OwningOpRef<ModuleOp> importBytes(llvm::StringRef bytes,
                                  llvm::StringRef fileName,
                                  const ImportOptions &options,
                                  MLIRContext *context, bool isolated) {
  context->loadDialect<SNNDialect>();
  Reporter reporter(context, fileName);
  FailureOr<Conventions> conv = conventionsFor(options, reporter);
  if (failed(conv))
    return {};
  // HDF5 can loop or crash on corrupt files: it reads in a child process,
  // first the structure and small datasets, then, once the shapes chain,
  // the large datasets, so that a header declaring a huge weight is refused
  // before any of it is read.
  FailureOr<Document> doc = isolated ? readDocumentIsolated(bytes, reporter)
                                     : readDocument(bytes, reporter);
  if (failed(doc))
    return {};
  FlatGraph flat;
  if (failed(flattenDocument(*doc, flat, reporter)))
    return {};
  Importer importer(flat, *conv, reporter);
  if (!importer.inferSignals())
    return {};
  if (failed(isolated ? loadDeferredIsolated(bytes, *doc, reporter)
                      : loadDeferred(bytes, *doc, reporter)))
    return {};

  OwningOpRef<ModuleOp> module = ModuleOp::create(reporter.file());
  std::string name = options.networkName;
  if (name.empty())
    name = llvm::sys::path::stem(fileName).str();
  NetworkOp network = importer.build(*module, name);
  if (!network)
    return {};
  Builder b(context);
  network->setAttr("nir_version", b.getStringAttr(doc->version));
  network->setAttr("nir_preset", b.getStringAttr(presetName(options)));
  if (failed(verifyImported(*module, reporter)))
    return {};
  return module;
}

} // namespace

OwningOpRef<ModuleOp> importNir(llvm::StringRef bytes, llvm::StringRef fileName,
                                const ImportOptions &options,
                                MLIRContext *context) {
  return importBytes(bytes, fileName, options, context, /*isolated=*/true);
}

OwningOpRef<ModuleOp> importNirInProcess(llvm::StringRef bytes,
                                         llvm::StringRef fileName,
                                         const ImportOptions &options,
                                         MLIRContext *context) {
  return importBytes(bytes, fileName, options, context, /*isolated=*/false);
}

FailureOr<std::unique_ptr<llvm::MemoryBuffer>>
readNirBytes(llvm::StringRef path, MLIRContext *context) {
  Location loc = FileLineColLoc::get(context, path, 0, 0);
  if (path != "-") {
    llvm::sys::fs::file_status status;
    if (std::error_code ec = llvm::sys::fs::status(path, status)) {
      emitError(loc) << "cannot open the file: " << ec.message();
      return failure();
    }
    if (status.type() != llvm::sys::fs::file_type::regular_file) {
      emitError(loc) << "is not a regular file (a directory, device or "
                        "pipe); a NIR file is an HDF5 file on disk";
      return failure();
    }
    if (status.getSize() > kMaxFileBytes) {
      emitError(loc) << "is " << status.getSize() << " bytes, more than the "
                     << kMaxFileBytes << " a NIR file may have";
      return failure();
    }
  }
  auto buffer = llvm::MemoryBuffer::getFileOrSTDIN(path, /*IsText=*/false);
  if (!buffer) {
    emitError(loc) << "cannot read the file: " << buffer.getError().message();
    return failure();
  }
  if ((*buffer)->getBufferSize() > kMaxFileBytes) {
    emitError(loc) << "is more than the " << kMaxFileBytes
                   << " bytes a NIR file may have";
    return failure();
  }
  return std::move(*buffer);
}

OwningOpRef<ModuleOp> importNirFile(const std::string &path,
                                    const ImportOptions &options,
                                    MLIRContext *context) {
  DiagnosticPrinter printer(context, llvm::errs());
  FailureOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      readNirBytes(path, context);
  if (failed(buffer))
    return {};
  return importNir((*buffer)->getBuffer(), path, options, context);
}

} // namespace snn::nir

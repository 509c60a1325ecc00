//===- QuantizeLoihi2.cpp - a float network in Lava's arithmetic ----------===//
//
// Each layer (a projection of the layer before, optionally plus the layer's
// own spikes through a one-step delay and a projection, into one neuron op)
// becomes a netx dense or dense_rec layer. With the per-step constants of the
// float neuron (SNNDiscrete.h) `v = β v + g x + b`, `i = α i + g_i I`, and a
// threshold θ, Lava's v is the float membrane times k = 64 vth / θ (per
// neuron), so that
//
//   weight   w_q = round(vth · g · w / θ)      integers in [-254, 254]
//   vThMant  vth = the largest with every |w_q| <= 254 (at most 2^17 - 1)
//   iDecay   round(4096 (1 - α)),  vDecay = round(4096 (1 - β))
//   bias     bias_mant = round(vth · b / θ)    int16, added as << 6
//
// Integer weights in that range are reproduced exactly by netx's
// optimize_weight_bits and Lava's weight preparation (the exporter checks
// it). The network is then built from these netx layers by the importer,
// so the integers are those Lava runs.
//
// A conv2d becomes a netx conv layer (a row per output channel); netx has no
// pooling, so a pooling without overlap or padding is folded into the next
// layer's float weights first. Under the lava preset the units are those of
// Lava's own NIR import instead (docs/loihi2.md, "The lava preset").
//
//===----------------------------------------------------------------------===//

#include "Quant/QuantizeLoihi2.h"
#include "Netx/NetxImport.h"
#include "SNN/IR/SNNDiscrete.h"
#include "SNN/IR/SNNParams.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/FormatVariadic.h"

#include <array>
#include <cmath>

using namespace mlir;

namespace snn::quant {

namespace {

constexpr double kWeightMax = 254;          // netx's mixed range, symmetric
constexpr int64_t kVthMax = (1 << 17) - 1;  // vth is unsigned 17-bit
constexpr int64_t kDecayUnity = 4096;
// Lava's NIR import (the NIR paper's `_lava_nir.py`, fixed_pt): weights
// int(w · 256), decays int(d · 4095), vth int(θ · 131071) >> 9.
constexpr double kLavaWeightScale = 256;
constexpr double kLavaDecayScale = 4095;

std::vector<int64_t> vec(ArrayRef<int64_t> a) { return {a.begin(), a.end()}; }

/// A float projection: rows x cols weights and a bias per row (zero when
/// none). A conv's rows are its output channels and its columns one
/// channel's kernel over its group's inputs, (out, in / groups, kH, kW) as
/// netx stores it.
struct FloatProjection {
  Operation *op = nullptr;
  int64_t rows = 0, cols = 0;
  std::vector<double> weight, bias;
  bool conv = false;
  std::vector<int64_t> inShape, outShape; // conv: (C, H, W)
  std::array<int64_t, 2> kernel{1, 1}, stride{1, 1}, padding{0, 0},
      dilation{1, 1};
  int64_t groups = 1;
};

FailureOr<FloatProjection> readConv(Conv2dOp op) {
  FloatProjection p;
  p.op = op;
  p.conv = true;
  ArrayRef<int64_t> ws = op.getWeight().getType().getShape();
  p.inShape = vec(getSignalShape(op.getInput().getType()));
  p.outShape = vec(getSignalShape(op.getOutput().getType()));
  if (ws.size() != 4 || p.inShape.size() != 3 || p.outShape.size() != 3)
    return op.emitOpError() << "cannot be quantized for Loihi 2: netx convs "
                               "map (C, H, W) to (C, H, W)";
  p.rows = ws[0];
  p.cols = ws[1] * ws[2] * ws[3];
  p.kernel = {ws[2], ws[3]};
  for (int d = 0; d < 2; ++d) {
    p.stride[d] = op.getStride()[d];
    p.padding[d] = op.getPadding()[d];
    p.dilation[d] = op.getDilation()[d];
  }
  p.groups = op.getGroups();
  p.weight = floatValues(cast<DenseFPElementsAttr>(op.getWeight()));
  p.bias = floatValues(cast<DenseFPElementsAttr>(op.getBias()));
  return p;
}

FailureOr<FloatProjection> readProjection(Operation *op) {
  FloatProjection p;
  p.op = op;
  if (auto conv = dyn_cast<Conv2dOp>(op))
    return readConv(conv);
  if (!isa<AffineOp, LinearOp>(op))
    return op->emitOpError()
           << "cannot be quantized for Loihi 2: netx layers are fed by dense "
              "projections (snn.affine, snn.linear) or 2-d convolutions "
              "(snn.conv2d); "
           << (isa<Conv1dOp>(op) ? "netx has no 1-d convolution"
                                 : "this op is none");
  Attribute w = op->getAttr("weight");
  ArrayRef<int64_t> shape = cast<ShapedType>(cast<TypedAttr>(w).getType())
                                .getShape();
  p.rows = shape[0];
  p.cols = shape[1];
  if (getSignalSize(op->getOperand(0)) != p.cols)
    return op->emitOpError() << "cannot be quantized for Loihi 2: its input "
                                "is not one flat vector of its columns";
  p.weight = floatValues(cast<DenseFPElementsAttr>(w));
  p.bias.assign(size_t(p.rows), 0.0);
  if (auto a = dyn_cast<AffineOp>(op))
    p.bias = floatValues(cast<DenseFPElementsAttr>(a.getBias()));
  return p;
}

/// A pooling between two layers, which netx does not have: folded into the
/// next layer's weights (every input pixel gets the weight of the pooled
/// pixel whose window holds it, times 1 for a sum and 1/k for a mean).
/// Only non-overlapping windows without padding fold exactly.
struct Pooling {
  Operation *op = nullptr;
  std::array<int64_t, 2> size{1, 1}; // window = stride
  std::vector<int64_t> inShape, outShape;
  double factor = 1;
};

FailureOr<Pooling> readPooling(Operation *op) {
  Pooling p;
  p.op = op;
  ArrayRef<int64_t> k, s, pad;
  if (auto sum = dyn_cast<SumPool2dOp>(op)) {
    k = sum.getKernelSize(), s = sum.getStride(), pad = sum.getPadding();
  } else {
    auto avg = cast<AvgPool2dOp>(op);
    k = avg.getKernelSize(), s = avg.getStride(), pad = avg.getPadding();
  }
  p.inShape = vec(getSignalShape(op->getOperand(0).getType()));
  p.outShape = vec(getSignalShape(op->getResult(0).getType()));
  if (k.size() != 2 || s.size() != 2 || pad.size() != 2 || k[0] != s[0] ||
      k[1] != s[1] || pad[0] != 0 || pad[1] != 0 || p.inShape.size() != 3)
    return op->emitOpError()
           << "cannot be quantized for Loihi 2: netx has no pooling, and only "
              "a pooling whose windows neither overlap nor pad (kernel_size "
              "= stride, padding 0) folds exactly into the next layer's "
              "weights";
  p.size = {k[0], k[1]};
  p.factor = isa<AvgPool2dOp>(op) ? 1.0 / double(k[0] * k[1]) : 1.0;
  return p;
}

/// The dense projection `p` of the pooled pixels as one of the unpooled
/// pixels (both flattened in (C, H, W) order). Pixels no window holds get 0.
void foldIntoDense(const Pooling &pool, FloatProjection &p) {
  int64_t c = pool.inShape[0], h = pool.inShape[1], w = pool.inShape[2];
  int64_t hp = pool.outShape[1], wp = pool.outShape[2];
  int64_t cols = c * h * w;
  std::vector<double> out(size_t(p.rows * cols), 0.0);
  for (int64_t r = 0; r < p.rows; ++r)
    for (int64_t ch = 0; ch < c; ++ch)
      for (int64_t y = 0; y < h; ++y)
        for (int64_t x = 0; x < w; ++x) {
          int64_t py = y / pool.size[0], px = x / pool.size[1];
          if (py >= hp || px >= wp)
            continue;
          out[r * cols + (ch * h + y) * w + x] =
              pool.factor * p.weight[r * p.cols + (ch * hp + py) * wp + px];
        }
  p.weight = std::move(out);
  p.cols = cols;
}

/// The conv `p` of the pooled map as one conv of the unpooled map: kernel
/// (k - 1) dilation s + s, stride and padding times s, dilation 1. Exact
/// when the pooling covers the map (H and W multiples of the window): a
/// padded pooled pixel is then a window of padded input pixels.
LogicalResult foldIntoConv(const Pooling &pool, FloatProjection &p) {
  for (int d = 0; d < 2; ++d)
    if (pool.inShape[1 + d] != pool.outShape[1 + d] * pool.size[d])
      return pool.op->emitOpError()
             << "cannot be quantized for Loihi 2: netx has no pooling, and "
                "folding it into the next conv needs windows that cover the "
                "map (" << pool.inShape[1 + d] << " is not a multiple of "
             << pool.size[d] << ")";
  std::array<int64_t, 2> k;
  for (int d = 0; d < 2; ++d)
    k[d] = (p.kernel[d] - 1) * p.dilation[d] * pool.size[d] + pool.size[d];
  int64_t inPerGroup = p.cols / (p.kernel[0] * p.kernel[1]);
  int64_t cols = inPerGroup * k[0] * k[1];
  std::vector<double> out(size_t(p.rows * cols), 0.0);
  for (int64_t r = 0; r < p.rows; ++r)
    for (int64_t i = 0; i < inPerGroup; ++i)
      for (int64_t ky = 0; ky < p.kernel[0]; ++ky)
        for (int64_t kx = 0; kx < p.kernel[1]; ++kx) {
          double wv = pool.factor *
                      p.weight[((r * inPerGroup + i) * p.kernel[0] + ky) *
                                   p.kernel[1] +
                               kx];
          for (int64_t dy = 0; dy < pool.size[0]; ++dy)
            for (int64_t dx = 0; dx < pool.size[1]; ++dx) {
              int64_t a = ky * p.dilation[0] * pool.size[0] + dy;
              int64_t b = kx * p.dilation[1] * pool.size[1] + dx;
              out[((r * inPerGroup + i) * k[0] + a) * k[1] + b] += wv;
            }
        }
  p.weight = std::move(out);
  p.cols = cols;
  p.inShape = pool.inShape;
  for (int d = 0; d < 2; ++d) {
    p.padding[d] *= pool.size[d];
    p.stride[d] *= pool.size[d];
    p.dilation[d] = 1;
  }
  p.kernel = k;
  return success();
}

/// The one value of `v`, or nullopt when the neurons differ.
std::optional<double> uniform(const std::vector<double> &v) {
  for (double x : v)
    if (x != v[0])
      return std::nullopt;
  return v.empty() ? std::nullopt : std::optional<double>(v[0]);
}

struct Layer {
  Operation *neuron = nullptr;
  FloatProjection forward;
  std::optional<FloatProjection> recurrent;
  /// The shape the layer receives before any pooling or flattening: a dense
  /// layer after a (C, H, W) layer gets netx's flatten layer before it.
  std::vector<int64_t> inShape;
  /// The source network already delays the projection's input by one step
  /// (the lava preset's latency): netx's Dense or Conv is that delay.
  bool sourceLatency = false;
};

class Loihi2Quantizer {
public:
  Loihi2Quantizer(NetworkOp network, QuantReport &report)
      : network(network), report(report) {}
  LogicalResult run();

private:
  NetworkOp network;
  QuantReport &report;
  std::vector<Layer> layers;
  /// The lava preset: Lava's own NIR import's fixed-point units (below).
  bool lavaUnits = false;

  LogicalResult collect();
  LogicalResult convert(const Layer &l, int64_t index, netx::Layer &out,
                        netx::LayerNames &names);
  void say(const Layer &l, const StepConstants &c, int64_t iDecay,
           int64_t vDecay, bool biasIntoCurrent);
};

/// The single user of `v`, or null.
Operation *onlyUser(Value v) {
  return v.hasOneUse() ? *v.getUsers().begin() : nullptr;
}

LogicalResult Loihi2Quantizer::collect() {
  Block &body = network.getBodyBlock();
  if (body.getNumArguments() != 1 ||
      body.getTerminator()->getNumOperands() != 1)
    return network.emitOpError()
           << "cannot be quantized for Loihi 2: netx networks have one input "
              "and one output";
  Value signal = body.getArgument(0);
  if (!isSpikes(signal.getType()))
    return network.emitOpError()
           << "cannot be quantized for Loihi 2: its input must be spikes "
              "(netx's dense layers read spikes; an input layer driven by "
              "real values is not made here yet)";
  Operation *terminator = body.getTerminator();
  double dt = network.getDt().convertToDouble();
  while (true) {
    SmallVector<Operation *> users;
    for (Operation *u : signal.getUsers())
      if (layers.empty() || !layers.back().recurrent ||
          u != layers.back().recurrent->op->getOperand(0).getDefiningOp())
        users.push_back(u);
    if (users.size() == 1 && users[0] == terminator)
      return success();
    if (users.size() != 1) {
      Operation *at = signal.getDefiningOp();
      (at ? at->emitOpError() : network.emitOpError())
          << "cannot be quantized for Loihi 2: "
          << (users.empty() ? std::string("its output goes nowhere")
                            : "its output feeds " +
                                  std::to_string(users.size()) +
                                  " ops; netx layers form one chain (no "
                                  "branches or skip connections)");
      return failure();
    }
    // A pooling and a flatten (in that order) may come between two layers:
    // the pooling is folded into the projection, the flatten becomes
    // netx's.
    Layer layer;
    layer.inShape = vec(getSignalShape(signal.getType()));
    Operation *op = users[0];
    std::optional<Pooling> pool;
    if (isa<SumPool2dOp, AvgPool2dOp>(op)) {
      FailureOr<Pooling> p = readPooling(op);
      if (failed(p))
        return failure();
      pool = *p;
      op = onlyUser(op->getResult(0));
    }
    auto oneStep = [&](DelayOp d) {
      std::optional<std::vector<int64_t>> steps = delayStepsIfWhole(d, dt);
      return steps && llvm::all_of(*steps, [](int64_t s) { return s == 1; });
    };
    if (auto flatten = dyn_cast_or_null<FlattenOp>(op)) {
      if (getSignalShape(flatten.getType()).size() != 1)
        return flatten.emitOpError()
               << "cannot be quantized for Loihi 2: netx's flatten makes one "
                  "flat vector";
      op = onlyUser(flatten.getResult());
    }
    if (auto d = dyn_cast_or_null<DelayOp>(op); d && oneStep(d)) {
      layer.sourceLatency = true;
      op = onlyUser(d->getResult(0));
    }
    if (!op)
      return users[0]->emitOpError()
             << "cannot be quantized for Loihi 2: its output must feed one "
                "projection alone";
    FailureOr<FloatProjection> forward = readProjection(op);
    if (failed(forward))
      return failure();
    if (pool) {
      if (!forward->conv)
        foldIntoDense(*pool, *forward);
      else if (failed(foldIntoConv(*pool, *forward)))
        return failure();
    }
    layer.forward = *forward;
    Operation *next = onlyUser(forward->op->getResult(0));
    Operation *neuron = next;
    if (auto sum = dyn_cast_or_null<SumOp>(next)) {
      neuron = onlyUser(sum.getResult());
      for (Value in : sum.getInputs()) {
        if (in.getDefiningOp() == forward->op)
          continue;
        Operation *p = in.getDefiningOp();
        auto delay = p ? dyn_cast_or_null<DelayOp>(
                             p->getOperand(0).getDefiningOp())
                       : DelayOp();
        std::optional<std::vector<int64_t>> steps;
        if (delay)
          steps = delayStepsIfWhole(delay, dt);
        if (!neuron || !delay || !in.hasOneUse() || layer.recurrent ||
            delay.getInput() != neuron->getResult(0) || !steps ||
            llvm::any_of(*steps, [](int64_t s) { return s != 1; }))
          return sum.emitOpError()
                 << "cannot be quantized for Loihi 2: a layer's input is one "
                    "projection of the layer before plus at most its own "
                    "spikes through a one-step snn.delay and a projection "
                    "(netx's dense_rec); this is fan-in netx cannot express";
        FailureOr<FloatProjection> rec = readProjection(p);
        if (failed(rec))
          return failure();
        layer.recurrent = *rec;
      }
    }
    if (!neuron || !neuron->hasTrait<OpTrait::NeuronOp>() ||
        isa<QNeuronOp>(neuron))
      return forward->op->emitOpError()
             << "cannot be quantized for Loihi 2: it must feed one neuron op "
                "alone (optionally through a sum with the neuron's own "
                "recurrence)";
    layer.neuron = neuron;
    layers.push_back(std::move(layer));
    signal = neuron->getResult(0);
  }
}

void Loihi2Quantizer::say(const Layer &l, const StepConstants &c,
                          int64_t iDecay, int64_t vDecay,
                          bool biasIntoCurrent) {
  Operation *op = l.neuron;
  if (c.reset == ResetMode::Subtract)
    op->emitWarning()
        << "Lava resets v to 0 after a spike; this neuron subtracts its "
           "threshold (what v held above it is lost on Loihi 2)";
  else if (!c.vReset.empty() &&
           llvm::any_of(c.vReset, [](double v) { return v != 0; }))
    op->emitWarning() << "Lava resets v to 0 after a spike; this neuron "
                         "resets to v_reset "
                      << formatNumber(c.vReset[0]);
  if (c.timing == ResetTiming::NextStep)
    op->emitWarning() << "Lava resets v in the step of the spike; this "
                         "neuron resets in the next step (from the membrane "
                         "that spiked)";
  if (c.spike != SpikeCondition::Greater)
    op->emitWarning() << "Lava fires when v > threshold; this neuron fires "
                         "when v >= threshold";
  if (biasIntoCurrent)
    op->emitWarning() << "its projections' bias drives the synaptic current; "
                         "Lava adds a bias to v, so it is added as the "
                         "current's steady state b / (1 - α) (the first "
                         "steps after a reset of u differ)";
  double vFactor = double(kDecayUnity - vDecay) / kDecayUnity;
  InFlightDiagnostic d = op->emitRemark();
  d << "Lava's decays: v keeps " << formatNumber(vFactor) << " (source "
    << formatNumber(c.vDecay[0]) << ")";
  if (c.hasCurrent)
    d << ", the current keeps "
      << formatNumber(double(kDecayUnity - iDecay) / kDecayUnity)
      << " (source " << formatNumber(c.iDecay[0]) << ")";
  d << ", truncated toward zero each step; Lava delivers the layer's input "
       "one step later";
  if (l.sourceLatency)
    d << ", as the source network's one-step delay before the projection "
         "does";
  else
    d << ", so its spikes lag the source network by one more step per layer";
}

LogicalResult Loihi2Quantizer::convert(const Layer &l, int64_t index,
                                       netx::Layer &out,
                                       netx::LayerNames &names) {
  Operation *op = l.neuron;
  double dt = network.getDt().convertToDouble();
  StepConstants c = *stepConstants(op, dt);
  int64_t n = getSignalSize(op->getResult(0));
  auto refuse = [&](const Twine &why) {
    return op->emitOpError() << "cannot be quantized for Loihi 2: " << why;
  };
  if (!c.fires)
    return refuse("netx's neurons always fire; a neuron without a threshold "
                  "has no netx form");
  if ((l.forward.conv ? getSignalSize(l.forward.op->getResult(0))
                      : l.forward.rows) != n ||
      (l.recurrent && (l.recurrent->rows != n ||
                                              l.recurrent->cols != n)))
    return refuse("its projections' rows do not match its neurons");
  std::optional<double> beta = uniform(c.vDecay);
  std::optional<double> alpha =
      c.hasCurrent ? uniform(c.iDecay) : std::optional<double>(0.0);
  if (!beta || !alpha)
    return refuse("netx has one current and one voltage decay per layer; "
                  "this op's decays differ between neurons");
  if (!(*beta >= 0 && *beta <= 1) || !(*alpha >= 0 && *alpha <= 1))
    return refuse("a decay factor outside [0, 1]");
  // Lava's NIR import (the NIR paper's, lava preset) truncates 4095 times
  // the decay; netx's iDecay is du + 1.
  int64_t vDecay = lavaUnits ? int64_t(kLavaDecayScale * (1.0 - *beta))
                             : std::llround(kDecayUnity * (1.0 - *beta));
  int64_t iDecay =
      !c.hasCurrent ? kDecayUnity
      : lavaUnits   ? int64_t(kLavaDecayScale * (1.0 - *alpha)) + 1
                    : std::llround(kDecayUnity * (1.0 - *alpha));
  double alphaQ = double(kDecayUnity - iDecay) / kDecayUnity;

  // Gains from the projections' output to v, and each row's weights
  // relative to the threshold. A dense row feeds one neuron; a conv row (an
  // output channel) feeds a whole plane, whose neurons must then agree.
  const FloatProjection &fw = l.forward;
  int64_t plane = fw.conv ? n / fw.rows : 1;
  auto rowOf = [&](int64_t j) { return j / plane; };
  std::vector<double> gain(static_cast<size_t>(n), 0.0);
  std::vector<double> perRow(static_cast<size_t>(fw.rows), 0.0);
  for (int64_t j = 0; j < n; ++j) {
    gain[j] = c.vGain[j] * (c.hasCurrent ? c.iGain[j] : 1.0);
    if (!(gain[j] > 0) || !(c.threshold[j] > 0) || !std::isfinite(gain[j]))
      return refuse("Lava needs a positive input gain and threshold; neuron " +
                    std::to_string(j) + " has gain " + formatNumber(gain[j]) +
                    " and threshold " + formatNumber(c.threshold[j]));
    if (lavaUnits && c.threshold[j] != c.threshold[0])
      return refuse("Lava's NIR units give one threshold per layer; neuron " +
                    std::to_string(j) + " has " +
                    formatNumber(c.threshold[j]) + ", neuron 0 " +
                    formatNumber(c.threshold[0]));
    double r = lavaUnits ? gain[j] : gain[j] / c.threshold[j];
    if (j % plane == 0)
      perRow[rowOf(j)] = r;
    else if (r != perRow[rowOf(j)])
      return refuse("netx's conv shares its weights over a channel; neuron " +
                    std::to_string(j) + " has another gain / threshold than "
                    "the first of its channel");
  }
  double largest = 0;
  auto rows = [&](const FloatProjection &p) {
    for (int64_t r = 0; r < p.rows; ++r)
      for (int64_t k = 0; k < p.cols; ++k)
        largest =
            std::max(largest, std::abs(perRow[r] * p.weight[r * p.cols + k]));
  };
  rows(fw);
  if (l.recurrent)
    rows(*l.recurrent);
  if (!(largest > 0))
    return refuse("every weight into it is zero; netx cannot scale an "
                  "all-zero matrix");
  // Integers per float unit of weight (times perRow): the largest vth that
  // keeps the weights in range, or Lava's NIR import's 256 with its vth =
  // int(θ · 131071) >> 9.
  int64_t vth = std::clamp<int64_t>(
      lavaUnits ? int64_t(c.threshold[0] * kVthMax) >> 9
                : static_cast<int64_t>(std::floor(kWeightMax / largest)),
      1, kVthMax);
  double factor = lavaUnits ? kLavaWeightScale : double(vth);
  auto toInt = [&](double x) {
    return lavaUnits ? std::trunc(x) : std::nearbyint(x);
  };

  LayerReport forwardReport, recReport, neuronReport;
  auto quantize = [&](const FloatProjection &p, netx::Tensor &t,
                      LayerReport &r) {
    t.shape = {p.rows, p.cols};
    if (p.conv)
      t.shape = {p.rows, p.cols / (p.kernel[0] * p.kernel[1]), p.kernel[0],
                 p.kernel[1]};
    double errorSq = 0, normSq = 0;
    for (int64_t j = 0; j < p.rows; ++j)
      for (int64_t k = 0; k < p.cols; ++k) {
        double exact = factor * perRow[j] * p.weight[j * p.cols + k];
        double q = toInt(exact);
        if (std::abs(q) > kWeightMax) {
          ++r.clipped;
          q = std::clamp(q, -kWeightMax, kWeightMax);
        }
        t.values.push_back(q);
        errorSq += (exact - q) * (exact - q);
        normSq += exact * exact;
      }
    r.node = nodeKey(p.op);
    r.op = p.op->getName().getStringRef().str();
    r.weightBits = 9;
    r.weights = p.rows * p.cols;
    r.weightError = normSq > 0 ? std::sqrt(errorSq / normSq) : 0;
    r.limitedBy = "netx weights within ±254, vThMant " + std::to_string(vth);
    // One output integer in real units: θ / (vth g), the first neuron's.
    r.unitMin = r.unitMax = 1.0 / (factor * perRow[0]);
  };
  out.index = index;
  out.kind = fw.conv        ? netx::LayerKind::Conv
             : l.recurrent ? netx::LayerKind::DenseRec
                           : netx::LayerKind::Dense;
  out.shape = fw.conv ? fw.outShape : std::vector<int64_t>{n};
  if (fw.conv) {
    out.stride = fw.stride;
    out.padding = fw.padding;
    out.dilation = fw.dilation;
    out.groups = fw.groups;
  }
  quantize(fw, out.weight, forwardReport);
  if (l.recurrent) {
    out.weightRec.emplace();
    quantize(*l.recurrent, *out.weightRec, recReport);
  }
  // Biases per step into v, in float membrane units: the neuron's own, and
  // the projections' (into the current: its steady state). A conv's bias is
  // one per channel.
  bool projectionBias = false;
  netx::Tensor bias;
  bias.shape = {fw.conv ? fw.rows : n};
  bool anyBias = false;
  for (int64_t j = 0; j < n; ++j) {
    double b = fw.bias[rowOf(j)] + (l.recurrent ? l.recurrent->bias[j] : 0.0);
    projectionBias |= b != 0;
    double intoV = c.vBias[j];
    if (c.hasCurrent) {
      if (b != 0 && alphaQ >= 1)
        return refuse("a bias into a current that never decays grows "
                      "without bound");
      intoV += c.vGain[j] * c.iGain[j] * b / (1.0 - alphaQ);
    } else {
      intoV += c.vGain[j] * b;
    }
    double mant = toInt(lavaUnits ? kLavaWeightScale * intoV
                                  : double(vth) * intoV / c.threshold[j]);
    if (mant < INT16_MIN || mant > INT16_MAX)
      return refuse("bias " + formatNumber(intoV) + " at neuron " +
                    std::to_string(j) +
                    " is beyond Lava's int16 bias mantissa at vThMant " +
                    std::to_string(vth));
    anyBias |= mant != 0;
    if (j % plane == 0)
      bias.values.push_back(mant);
    else if (mant != bias.values.back())
      return refuse("netx's conv bias is one per channel; neuron " +
                    std::to_string(j) + " needs another than the first of "
                    "its channel");
  }
  if (anyBias)
    out.bias = std::move(bias);
  netx::Neuron nr;
  nr.iDecay = iDecay;
  nr.vDecay = vDecay;
  nr.vThMant = vth;
  out.neuron = nr;

  // Names and units, so that --compare pairs the nodes.
  names.neuron = op->getAttrOfType<StringAttr>("name")
                     ? op->getAttrOfType<StringAttr>("name").str()
                     : "";
  auto nameOf = [](Operation *p) {
    auto a = p->getAttrOfType<StringAttr>("name");
    return a ? a.str() : std::string();
  };
  names.forward = nameOf(l.forward.op);
  if (l.recurrent)
    names.recurrent = nameOf(l.recurrent->op);
  // Lava v per float v.
  double k = 64.0 * (lavaUnits ? kLavaWeightScale
                               : double(vth) / c.threshold[0]);
  names.vScale = 1.0 / k;
  names.iScale = 1.0 / (k * c.vGain[0]);
  names.forwardScale = names.recurrentScale = forwardReport.unitMin;
  names.loc = op->getLoc();

  neuronReport.node = nodeKey(op);
  neuronReport.op = op->getName().getStringRef().str();
  neuronReport.isNeuron = true;
  neuronReport.stateBits = 24;
  neuronReport.currentBits = 24;
  neuronReport.thresholdMin = neuronReport.thresholdMax = vth * 64;
  neuronReport.unitMin = neuronReport.unitMax = names.vScale;
  neuronReport.decayError =
      std::max(std::abs(*beta - double(kDecayUnity - vDecay) / kDecayUnity),
               c.hasCurrent ? std::abs(*alpha - alphaQ) : 0.0);
  report.layers.push_back(forwardReport);
  if (l.recurrent)
    report.layers.push_back(recReport);
  report.layers.push_back(neuronReport);
  say(l, c, iDecay, vDecay, projectionBias && c.hasCurrent);
  return success();
}

LogicalResult Loihi2Quantizer::run() {
  auto preset = network->getAttrOfType<StringAttr>("nir_preset");
  lavaUnits = preset && preset.getValue() == "lava";
  if (failed(collect()))
    return failure();
  netx::Network file;
  std::vector<netx::LayerNames> names;
  // netx layers without neurons: an input before a first conv (it gives
  // the input shape) and a flatten between a (C, H, W) layer and a dense.
  auto plain = [&](netx::LayerKind kind, std::vector<int64_t> shape) {
    netx::Layer in;
    in.index = int64_t(file.layers.size());
    in.kind = kind;
    in.shape = std::move(shape);
    file.layers.push_back(std::move(in));
    names.emplace_back();
  };
  for (const Layer &l : layers) {
    if (l.forward.conv && file.layers.empty())
      plain(netx::LayerKind::Input, l.inShape);
    else if (!l.forward.conv && l.inShape.size() > 1 && !file.layers.empty())
      plain(netx::LayerKind::Flatten, {});
    netx::Layer out;
    netx::LayerNames n;
    if (failed(convert(l, int64_t(file.layers.size()), out, n)))
      return failure();
    file.layers.push_back(std::move(out));
    names.push_back(std::move(n));
  }
  // Build the netx form in a scratch module, then move its body in: the
  // network op (and whoever holds it) stays, and nothing outside it changes.
  OwningOpRef<ModuleOp> scratch = ModuleOp::create(network.getLoc());
  FailureOr<NetworkOp> built =
      netx::buildNetwork(scratch->getBody(), file, network.getSymName(),
                         network.getLoc(), names);
  if (failed(built))
    return failure();
  network.getBody().takeBody(built->getBody());
  network.setFunctionTypeAttr(built->getFunctionTypeAttr());
  return success();
}

} // namespace

bool isLavaTarget(const target::Target &t) { return t.name == "loihi2"; }

LogicalResult quantizeLoihi2(NetworkOp network, QuantReport &report) {
  return Loihi2Quantizer(network, report).run();
}

} // namespace snn::quant

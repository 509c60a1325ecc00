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

#include <cmath>

using namespace mlir;

namespace snn::quant {

namespace {

constexpr double kWeightMax = 254;          // netx's mixed range, symmetric
constexpr int64_t kVthMax = (1 << 17) - 1;  // vth is unsigned 17-bit
constexpr int64_t kDecayUnity = 4096;

/// A float projection: rows x cols weights and a bias per row (zero when
/// none).
struct FloatProjection {
  Operation *op = nullptr;
  int64_t rows = 0, cols = 0;
  std::vector<double> weight, bias;
};

FailureOr<FloatProjection> readProjection(Operation *op) {
  FloatProjection p;
  p.op = op;
  if (!isa<AffineOp, LinearOp>(op))
    return op->emitOpError()
           << "cannot be quantized for Loihi 2: netx layers are fed by dense "
              "projections (snn.affine, snn.linear) here; "
           << (isa<Conv1dOp, Conv2dOp>(op)
                   ? "conv layers are not quantized for Loihi 2 yet"
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
    FailureOr<FloatProjection> forward = readProjection(users[0]);
    if (failed(forward))
      return failure();
    Layer layer;
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
        std::string ignored;
        if (delay)
          steps = delayInSteps(delay, dt, ignored);
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
       "one step later, so its spikes lag the source network by one more "
       "step per layer";
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
  if (l.forward.rows != n || (l.recurrent && (l.recurrent->rows != n ||
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
  int64_t vDecay = std::llround(kDecayUnity * (1.0 - *beta));
  int64_t iDecay =
      c.hasCurrent ? std::llround(kDecayUnity * (1.0 - *alpha)) : kDecayUnity;
  double alphaQ = double(kDecayUnity - iDecay) / kDecayUnity;

  // Gains from the projections' output to v, and each neuron's weights
  // relative to its threshold.
  std::vector<double> gain(static_cast<size_t>(n), 0.0);
  double largest = 0;
  for (int64_t j = 0; j < n; ++j) {
    gain[j] = c.vGain[j] * (c.hasCurrent ? c.iGain[j] : 1.0);
    if (!(gain[j] > 0) || !(c.threshold[j] > 0) || !std::isfinite(gain[j]))
      return refuse("Lava needs a positive input gain and threshold; neuron " +
                    std::to_string(j) + " has gain " + formatNumber(gain[j]) +
                    " and threshold " + formatNumber(c.threshold[j]));
    auto rows = [&](const FloatProjection &p) {
      for (int64_t k = 0; k < p.cols; ++k)
        largest = std::max(largest, std::abs(gain[j] * p.weight[j * p.cols + k] /
                                             c.threshold[j]));
    };
    rows(l.forward);
    if (l.recurrent)
      rows(*l.recurrent);
  }
  if (!(largest > 0))
    return refuse("every weight into it is zero; netx cannot scale an "
                  "all-zero matrix");
  int64_t vth = std::clamp<int64_t>(
      static_cast<int64_t>(std::floor(kWeightMax / largest)), 1, kVthMax);

  LayerReport forwardReport, recReport, neuronReport;
  auto quantize = [&](const FloatProjection &p, netx::Tensor &t,
                      LayerReport &r) {
    t.shape = {p.rows, p.cols};
    double errorSq = 0, normSq = 0;
    for (int64_t j = 0; j < p.rows; ++j)
      for (int64_t k = 0; k < p.cols; ++k) {
        double exact = double(vth) * gain[j] * p.weight[j * p.cols + k] /
                       c.threshold[j];
        double q = std::nearbyint(exact);
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
    r.unitMin = r.unitMax = c.threshold[0] / (double(vth) * gain[0]);
  };
  out.index = index;
  out.kind = l.recurrent ? netx::LayerKind::DenseRec : netx::LayerKind::Dense;
  out.shape = {n};
  quantize(l.forward, out.weight, forwardReport);
  if (l.recurrent) {
    out.weightRec.emplace();
    quantize(*l.recurrent, *out.weightRec, recReport);
  }
  // Biases per step into v, in float membrane units: the neuron's own, and
  // the projections' (into the current: its steady state).
  bool projectionBias = false;
  netx::Tensor bias;
  bias.shape = {n};
  bool anyBias = false;
  for (int64_t j = 0; j < n; ++j) {
    double b = l.forward.bias[j] + (l.recurrent ? l.recurrent->bias[j] : 0.0);
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
    double mant = std::nearbyint(double(vth) * intoV / c.threshold[j]);
    if (mant < INT16_MIN || mant > INT16_MAX)
      return refuse("bias " + formatNumber(intoV) + " at neuron " +
                    std::to_string(j) +
                    " is beyond Lava's int16 bias mantissa at vThMant " +
                    std::to_string(vth));
    anyBias |= mant != 0;
    bias.values.push_back(mant);
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
  double k = 64.0 * double(vth) / c.threshold[0]; // Lava v per float v
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
  if (failed(collect()))
    return failure();
  netx::Network file;
  std::vector<netx::LayerNames> names;
  for (const Layer &l : layers) {
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

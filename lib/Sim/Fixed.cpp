//===- Fixed.cpp - the fixed-point reference ------------------------------===//

#include "Sim/Fixed.h"
#include "SNN/IR/SNNDiscrete.h"
#include "SNN/IR/SNNIntegerUnits.h"
#include "SNN/IR/SNNParams.h"
#include "SNN/IR/SNNSparse.h"
#include "Sim/IntegerArith.h"
#include "Sim/Kernels.h"
#include "Sim/Schedule.h"
#include "Sim/XyloCore.h"

#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;

namespace snn::sim {

namespace {

enum class Kind {
  Quantize,
  Projection,
  SparseProjection,
  Conv,
  SumPool,
  Copy,
  Sum,
  Delay,
  Neuron,
  Xylo
};

using IntVector = Eigen::Matrix<int64_t, Eigen::Dynamic, 1>;

struct Node : NodeInfo {
  Kind kind = Kind::Copy;
  /// Real value of one integer of the output, per element (empty: spikes).
  std::vector<double> unit;

  // Quantize: which network input, and its scale per element.
  int networkInput = -1;
  std::vector<double> scale;
  int64_t bits = 0;
  // Projection and convolution: exact sum plus bias, then to accBits.
  IntMatrix weight;
  IntVector bias;
  // snn.qsparse: the weights by input (event-driven), times 2^weightExp.
  snn::Csr byInput;
  int64_t blocks = 1;
  Window window;
  std::vector<int64_t> kernel;
  int64_t accBits = 32, weightExp = 0;
  Overflow overflow = Overflow::Saturate;
  // A negative weight_exp: the exact sum shifted right (floor), then the
  // bias, which `bias` then leaves out.
  int64_t sumShift = 0;
  IntVector shiftedBias;
  // Delay.
  std::vector<int64_t> delaySteps;
  int64_t maxDelay = 0;
  std::vector<IntMatrix> ring;
  // Neuron.
  int64_t vBits = 16, iBits = 0, decayShift = 0;
  DecayArith arith = DecayArith::Multiply;
  Rounding rounding = Rounding::NearestEven;
  bool hasCurrent = false, vLeaks = false, iLeaks = false, fires = false,
       subtract = true, nextStep = false, fireOnEqual = false;
  std::vector<int64_t> vDecay, iDecay, vBias, theta, vReset;
  std::vector<double> vUnit, iUnit;
  IntMatrix v, current, previousSpikes;
  // Lava's LIF: the current's own overflow, the input's width and shift.
  Overflow iOverflow = Overflow::Saturate;
  int64_t inputShift = 0, inputBits = 0;
  // snn.xylo: the whole core (its state included).
  std::shared_ptr<XyloCore> xylo;
};

/// A negative weight exponent shifts the sum, not the weights: the bias is
/// added after the shift (applySumShift), so the kernel runs without it.
void takeSumShift(Node &node) {
  if (node.weightExp >= 0)
    return;
  node.sumShift = -node.weightExp;
  node.shiftedBias = node.bias;
  node.bias.setZero();
}

/// floor(sum / 2^sumShift) + bias, with `perBias` outputs per bias entry.
void applySumShift(const Node &node, IntMatrix &out, int64_t perBias) {
  int64_t rows = node.shiftedBias.size();
  for (int64_t b = 0; b < out.cols(); ++b)
    for (int64_t r = 0; r < out.rows(); ++r)
      out(r, b) = integer::roundShift(out(r, b), node.sumShift,
                                      Rounding::Floor) +
                  node.shiftedBias[(r / perBias) % rows];
}

std::vector<int64_t> expandInt(Attribute attr, int64_t n, int64_t absent) {
  return attr ? IntParam(attr).expand(n) : std::vector<int64_t>(n, absent);
}

/// Real view of integers: each row times its unit (spikes as they are).
void dequantize(const IntMatrix &raw, const std::vector<double> &unit,
                Matrix &out) {
  out = raw.cast<double>();
  if (unit.empty())
    return;
  if (unit.size() == 1) {
    out *= unit[0];
    return;
  }
  for (int64_t j = 0; j < out.rows(); ++j)
    out.row(j) *= unit[j];
}

} // namespace

struct Fixed::Impl : StepGraph<IntMatrix, Node> {
  NetworkOp network;
  double dt = 1;
  std::vector<Matrix> realInputs;
  std::vector<int> outputNodes;
  std::vector<bool> inputIsSpikes;
  /// Spike inputs read only by snn.xylo ops carry event counts, not 0/1.
  std::vector<bool> inputIsCounts;
  std::vector<int> nodeOfValue;
  // Real-valued views, filled on request.
  mutable std::vector<Matrix> outputView, nodeView, membraneView, currentView;

  LogicalResult build();
  LogicalResult configure(Operation *op, Node &node);
  void configureNeuron(QNeuronOp op, Node &node);
  void configureSparse(QSparseOp op, Node &node);
  void sparseProjectNode(Node &node);
  void run(Node &node);
  void runNeuron(Node &node);
  /// Brings every entry of `m` to `bits` bits, counting what had to move.
  void fit(Node &node, IntMatrix &m, int64_t bits, Overflow overflow);
};

LogicalResult Fixed::Impl::configure(Operation *op, Node &node) {
  int64_t n = node.size;
  if (failed(weightFitsDense(op)))
    return failure();
  bool ok = true;
  llvm::TypeSwitch<Operation *>(op)
      .Case<QuantizeOp>([&](QuantizeOp o) {
        node.kind = Kind::Quantize;
        auto arg = dyn_cast<BlockArgument>(o.getInput());
        if (!arg) {
          op->emitError() << describeOp(op)
                          << ": quantizes a signal computed inside the "
                             "network; only network inputs carry real values "
                             "into an integer network";
          ok = false;
          return;
        }
        node.networkInput = static_cast<int>(arg.getArgNumber());
        node.scale = NeuronParam(o.getScale()).expand(n);
        node.bits = o.getBitsAttr().getInt();
      })
      .Case<QLinearOp>([&](QLinearOp o) {
        node.kind = Kind::Projection;
        ArrayRef<int64_t> w = o.getWeight().getType().getShape();
        std::vector<int64_t> weights = intValues(o.getWeight());
        node.weight =
            Eigen::Map<const Eigen::Matrix<int64_t, Eigen::Dynamic,
                                           Eigen::Dynamic, Eigen::RowMajor>>(
                weights.data(), w[0], w[1]);
        node.bias = IntVector::Zero(w[0]);
        if (o.getBiasAttr()) {
          std::vector<int64_t> b = intValues(o.getBiasAttr());
          node.bias = Eigen::Map<IntVector>(b.data(), w[0]);
        }
        node.blocks = getSignalSize(o.getInput()) / w[1];
        node.accBits = o.getAccBitsAttr().getInt();
        // 2^e · Σ w·x + b, exactly: the exponent goes into the stored weights.
        node.weightExp =
            o.getWeightExpAttr() ? o.getWeightExpAttr().getInt() : 0;
        if (node.weightExp >= 0)
          node.weight *= int64_t(1) << node.weightExp;
        takeSumShift(node);
        node.overflow = o.getOverflow();
      })
      .Case<QSparseOp>([&](QSparseOp o) { configureSparse(o, node); })
      .Case<QConv1dOp, QConv2dOp>([&](auto o) {
        node.kind = Kind::Conv;
        node.window = windowOf(op);
        node.kernel = intValues(o.getWeight());
        int64_t channels = o.getWeight().getType().getDimSize(0);
        node.bias = IntVector::Zero(channels);
        if (o.getBiasAttr()) {
          std::vector<int64_t> b = intValues(o.getBiasAttr());
          node.bias = Eigen::Map<IntVector>(b.data(), channels);
        }
        node.accBits = o.getAccBitsAttr().getInt();
        node.weightExp =
            o.getWeightExpAttr() ? o.getWeightExpAttr().getInt() : 0;
        for (int64_t &k : node.kernel)
          k *= int64_t(1) << std::max<int64_t>(node.weightExp, 0);
        takeSumShift(node);
        node.overflow = o.getOverflow();
      })
      .Case<SumPool2dOp>([&](SumPool2dOp) {
        node.kind = Kind::SumPool;
        node.window = windowOf(op);
      })
      .Case<FlattenOp>([&](FlattenOp) { node.kind = Kind::Copy; })
      .Case<SumOp>([&](SumOp) { node.kind = Kind::Sum; })
      .Case<DelayOp>([&](DelayOp o) {
        // The op carries the diagnostic, which names the delay at fault.
        ok = succeeded(configureDelay(o, dt, node));
      })
      .Case<QNeuronOp>([&](QNeuronOp o) { configureNeuron(o, node); })
      .Case<XyloOp>([&](XyloOp o) {
        node.kind = Kind::Xylo;
        node.xylo = std::make_shared<XyloCore>(o);
      })
      .Default([&](Operation *other) {
        other->emitError() << describeOp(other)
                           << " has no integer semantics; run snn-quantize "
                              "first";
        ok = false;
      });
  return success(ok);
}

void Fixed::Impl::configureSparse(QSparseOp o, Node &node) {
  node.kind = Kind::SparseProjection;
  node.byInput = csrOf(o).transposed();
  node.bias = IntVector::Zero(node.size);
  if (o.getBiasAttr()) {
    std::vector<int64_t> b = intValues(o.getBiasAttr());
    node.bias = Eigen::Map<IntVector>(b.data(), node.size);
  }
  node.accBits = o.getAccBitsAttr().getInt();
  node.weightExp = o.getWeightExpAttr() ? o.getWeightExpAttr().getInt() : 0;
  if (node.weightExp > 0)
    for (int64_t &w : node.byInput.values)
      w *= int64_t(1) << node.weightExp;
  takeSumShift(node);
  node.overflow = o.getOverflow();
}

/// Every non-zero input adds its column of weights: the same exact sums as
/// the dense projection of the matrix the compressed rows describe.
void Fixed::Impl::sparseProjectNode(Node &node) {
  const IntMatrix &in = values[node.inputs[0]];
  IntMatrix &out = values[node.output];
  const snn::Csr &m = node.byInput;
  out.resize(node.size, samples);
  for (int64_t b = 0; b < samples; ++b) {
    out.col(b) = node.bias;
    for (int64_t j = 0; j < m.rows; ++j)
      if (int64_t x = in(j, b)) {
        for (int64_t e = m.offsets[j]; e < m.offsets[j + 1]; ++e)
          out(m.indices[e], b) += x * m.values[e];
        node.stats.synopsEffective += double(m.offsets[j + 1] - m.offsets[j]);
      }
  }
  node.stats.synopsDense += double(m.rows) * double(m.cols) * double(samples);
  node.stats.eventSteps += 1;
}

void Fixed::Impl::configureNeuron(QNeuronOp o, Node &node) {
  int64_t n = node.size;
  node.kind = Kind::Neuron;
  node.vBits = o.getVBitsAttr().getInt();
  node.hasCurrent = static_cast<bool>(o.getIBitsAttr());
  node.iBits = node.hasCurrent ? o.getIBitsAttr().getInt() : 0;
  node.arith = o.getDecay();
  node.decayShift = o.getDecayShiftAttr() ? o.getDecayShiftAttr().getInt() : 0;
  node.rounding = o.getRounding();
  node.overflow = o.getOverflow();
  node.iOverflow = o.getIOverflow().value_or(node.overflow);
  node.inputShift = o.getInputShiftAttr() ? o.getInputShiftAttr().getInt() : 0;
  node.inputBits = o.getInputBitsAttr() ? o.getInputBitsAttr().getInt() : 0;
  node.vLeaks = static_cast<bool>(o.getVDecayAttr());
  node.iLeaks = static_cast<bool>(o.getIDecayAttr());
  node.vDecay = expandInt(o.getVDecayAttr(), n, 0);
  node.iDecay = expandInt(o.getIDecayAttr(), n, 0);
  node.vBias = expandInt(o.getVBiasAttr(), n, 0);
  node.vUnit = NeuronParam(o.getVScale()).expand(n);
  if (o.getIScaleAttr())
    node.iUnit = NeuronParam(o.getIScaleAttr()).expand(n);
  node.fires = static_cast<bool>(o.getVThresholdAttr());
  if (node.fires) {
    node.theta = expandInt(o.getVThresholdAttr(), n, 0);
    node.vReset = expandInt(o.getVResetAttr(), n, 0);
    node.subtract = *o.getReset() == ResetMode::Subtract;
    node.nextStep = *o.getResetTiming() == ResetTiming::NextStep;
    node.fireOnEqual = *o.getSpike() == SpikeCondition::GreaterEqual;
  }
}

LogicalResult Fixed::Impl::build() {
  dt = network.getDt().convertToDouble();
  for (Value arg : network.getBodyBlock().getArguments()) {
    inputIsSpikes.push_back(isSpikes(arg.getType()));
    inputIsCounts.push_back(isSpikes(arg.getType()) && !arg.use_empty() &&
                            llvm::all_of(arg.getUsers(), [](Operation *user) {
                              return isa<XyloOp>(user);
                            }));
    if (isSpikes(arg.getType()))
      continue;
    for (Operation *user : arg.getUsers())
      if (!isa<QuantizeOp>(user)) {
        user->emitError() << describeOp(user) << " reads network input "
                          << cast<BlockArgument>(arg).getArgNumber()
                          << ", which carries real values; an integer "
                             "network takes them through snn.quantize";
        return failure();
      }
  }
  std::vector<int> nodeAt; // node index per signal, in plan order
  FailureOr<Schedule> order =
      plan(network, [&](Operation *op, Node &node) {
        if (failed(configure(op, node)))
          return false;
        if (!node.spikes) {
          std::optional<std::vector<double>> unit =
              integerUnit(op->getResult(0));
          if (!unit) {
            op->emitError() << describeOp(op)
                            << ": the unit of its integers is unknown";
            return false;
          }
          node.unit = *unit;
        }
        nodeAt.push_back(node.output);
        return true;
      });
  if (failed(order))
    return failure();
  nodeOfValue.assign(order->numValues, -1);
  for (size_t k = 0; k < nodeAt.size(); ++k)
    nodeOfValue[nodeAt[k]] = int(k);
  realInputs.resize(inputValues.size());
  for (Value v : network.getOutputOp().getOutputs()) {
    int index = nodeOfValue[order->valueIndex[v]];
    if (index < 0)
      return network.getOutputOp().emitOpError()
             << "passes a network input through as an output; the "
                "fixed-point engine reports node outputs only";
    outputNodes.push_back(index);
  }
  outputView.resize(outputNodes.size());
  nodeView.resize(nodes.size());
  membraneView.resize(nodes.size());
  currentView.resize(nodes.size());
  return success();
}

//===----------------------------------------------------------------------===//
// Kernels
//===----------------------------------------------------------------------===//

void Fixed::Impl::fit(Node &node, IntMatrix &m, int64_t bits,
                      Overflow overflow) {
  int64_t moved = 0;
  for (int64_t k = 0; k < m.size(); ++k) {
    bool changed;
    m.data()[k] = integer::fitWidth(m.data()[k], bits, overflow, changed);
    moved += changed;
  }
  node.stats.saturations += double(moved);
}

void Fixed::Impl::runNeuron(Node &node) {
  const IntMatrix &x = values[node.inputs[0]];
  IntMatrix &out = values[node.output];
  int64_t n = node.size;
  out.resize(n, samples);
  int64_t moved = 0;
  auto fitState = [&](int64_t s, int64_t bits) {
    bool changed;
    s = integer::fitWidth(s, bits, node.overflow, changed);
    moved += changed;
    return s;
  };
  for (int64_t b = 0; b < samples; ++b) {
    const int64_t *in = x.col(b).data();
    int64_t *v = node.v.col(b).data();
    int64_t *i = node.hasCurrent ? node.current.col(b).data() : nullptr;
    int64_t *prev = node.fires ? node.previousSpikes.col(b).data() : nullptr;
    int64_t *y = out.col(b).data();
    for (int64_t j = 0; j < n; ++j) {
      int64_t drive =
          integer::shiftInput(in[j], node.inputShift, node.inputBits);
      if (i) {
        int64_t kept = node.iLeaks
                           ? integer::decay(i[j], node.arith, node.iDecay[j],
                                            node.decayShift, node.rounding)
                           : i[j];
        bool changed;
        i[j] = integer::fitWidth(kept + drive, node.iBits, node.iOverflow,
                                 changed);
        moved += changed;
        drive = i[j];
      }
      int64_t kept = node.vLeaks
                         ? integer::decay(v[j], node.arith, node.vDecay[j],
                                          node.decayShift, node.rounding)
                         : v[j];
      int64_t u = fitState(kept + drive + node.vBias[j], node.vBits);
      if (!node.fires) {
        v[j] = u;
        y[j] = u;
        continue;
      }
      auto fire = [&](int64_t m) {
        return node.fireOnEqual ? m >= node.theta[j] : m > node.theta[j];
      };
      auto reset = [&](int64_t m) {
        return node.subtract ? fitState(m - node.theta[j], node.vBits)
                             : node.vReset[j];
      };
      int64_t spike;
      if (node.nextStep) {
        v[j] = prev[j] != 0 ? reset(u) : u;
        spike = fire(v[j]);
      } else {
        spike = fire(u);
        v[j] = spike ? reset(u) : u;
      }
      prev[j] = spike;
      y[j] = spike;
    }
  }
  node.stats.saturations += double(moved);
}

void Fixed::Impl::run(Node &node) {
  IntMatrix &out = values[node.output];
  switch (node.kind) {
  case Kind::Quantize: {
    const Matrix &x = realInputs[node.networkInput];
    out.resize(node.size, samples);
    for (int64_t b = 0; b < samples; ++b)
      for (int64_t j = 0; j < node.size; ++j)
        out(j, b) = integer::roundToInteger(x(j, b) / node.scale[j]);
    fit(node, out, node.bits, Overflow::Saturate);
    break;
  }
  case Kind::Projection:
    projectNode(node);
    if (node.sumShift)
      applySumShift(node, out, 1);
    fit(node, out, node.accBits, node.overflow);
    break;
  case Kind::SparseProjection:
    sparseProjectNode(node);
    if (node.sumShift)
      applySumShift(node, out, 1);
    fit(node, out, node.accBits, node.overflow);
    break;
  case Kind::Conv:
    convolveNode(node);
    if (node.sumShift)
      applySumShift(node, out,
                    node.window.outHeight * node.window.outWidth);
    fit(node, out, node.accBits, node.overflow);
    break;
  case Kind::SumPool: {
    const IntMatrix &in = values[node.inputs[0]];
    out.resize(node.size, samples);
    for (int64_t b = 0; b < samples; ++b)
      sumPool<int64_t>(node.window, in.col(b).data(), out.col(b).data());
    break;
  }
  case Kind::Copy:
    out = values[node.inputs[0]];
    break;
  case Kind::Sum:
    out = values[node.inputs[0]];
    for (size_t k = 1; k < node.inputs.size(); ++k)
      out += values[node.inputs[k]];
    break;
  case Kind::Neuron:
    runNeuron(node);
    break;
  case Kind::Xylo:
    node.stats.saturations +=
        double(node.xylo->step(values[node.inputs[0]], out));
    break;
  case Kind::Delay:
    break; // emitted at the start of the step
  }
  node.stats.nonzero += double((out.array() != 0).count());
  node.stats.outputs += double(out.size());
}

//===----------------------------------------------------------------------===//
// Public interface
//===----------------------------------------------------------------------===//

Fixed::~Fixed() = default;

llvm::Expected<std::unique_ptr<Fixed>> Fixed::create(NetworkOp network) {
  auto engine = std::unique_ptr<Fixed>(new Fixed());
  engine->impl = std::make_unique<Impl>();
  engine->impl->network = network;
  engine->impl->propagation = &engine->propagation;
  engine->impl->eventDensity = &engine->eventDensity;
  if (llvm::Error e = buildEngine(network, [&] {
        return succeeded(engine->impl->build()) ? llvm::Error::success()
                                                : emittedError();
      }))
    return std::move(e);
  engine->reset(1);
  return std::move(engine);
}

void Fixed::reset(int64_t samples) {
  impl->resetState(samples);
  for (Node &node : impl->nodes)
    if (node.xylo)
      node.xylo->reset(samples);
}

void Fixed::step(const std::vector<Matrix> &inputs) {
  Impl &s = *impl;
  for (size_t k = 0; k < s.inputValues.size(); ++k) {
    s.realInputs[k] = inputs[k];
    if (s.inputIsCounts[k])
      s.values[s.inputValues[k]] = inputs[k].array().round().cast<int64_t>();
    else if (s.inputIsSpikes[k])
      s.values[s.inputValues[k]] = (inputs[k].array() != 0).cast<int64_t>();
  }
  s.advanceStep([&](Node &node) { s.run(node); });
}

size_t Fixed::numInputs() const { return impl->inputValues.size(); }
size_t Fixed::numOutputs() const { return impl->outputNodes.size(); }
int64_t Fixed::inputSize(size_t k) const { return impl->inputSizes[k]; }
int64_t Fixed::outputSize(size_t k) const {
  return impl->nodes[impl->outputNodes[k]].size;
}
bool Fixed::outputIsSpikes(size_t k) const {
  return impl->nodes[impl->outputNodes[k]].spikes;
}
const Matrix &Fixed::output(size_t k) const {
  const Node &node = impl->nodes[impl->outputNodes[k]];
  dequantize(impl->values[node.output], node.unit, impl->outputView[k]);
  return impl->outputView[k];
}

std::optional<size_t> Fixed::findNode(const std::string &name) const {
  return impl->findNode(name);
}

std::vector<std::string> Fixed::nodeNames() const {
  return impl->nodeNames();
}

const Matrix &Fixed::nodeOutput(size_t node) const {
  const Node &n = impl->nodes[node];
  dequantize(impl->values[n.output], n.unit, impl->nodeView[node]);
  return impl->nodeView[node];
}
const Matrix *Fixed::nodeMembrane(size_t node) const {
  const Node &n = impl->nodes[node];
  if (n.xylo) {
    impl->membraneView[node] = n.xylo->vmemOut().cast<double>();
    return &impl->membraneView[node];
  }
  if (n.kind != Kind::Neuron)
    return nullptr;
  dequantize(n.v, n.vUnit, impl->membraneView[node]);
  return &impl->membraneView[node];
}
const Matrix *Fixed::nodeCurrent(size_t node) const {
  const Node &n = impl->nodes[node];
  if (n.xylo) {
    impl->currentView[node] = n.xylo->isynOut().cast<double>();
    return &impl->currentView[node];
  }
  if (!n.hasCurrent)
    return nullptr;
  dequantize(n.current, n.iUnit, impl->currentView[node]);
  return &impl->currentView[node];
}

const IntMatrix &Fixed::rawOutput(size_t k) const {
  return impl->values[impl->nodes[impl->outputNodes[k]].output];
}
const IntMatrix *Fixed::rawMembrane(size_t node) const {
  const Node &n = impl->nodes[node];
  if (n.xylo)
    return &n.xylo->vmemOut();
  return n.kind == Kind::Neuron ? &n.v : nullptr;
}
const IntMatrix *Fixed::rawCurrent(size_t node) const {
  const Node &n = impl->nodes[node];
  if (n.xylo)
    return &n.xylo->isynOut();
  return n.hasCurrent ? &n.current : nullptr;
}
const XyloCore *Fixed::xyloCore(size_t node) const {
  return impl->nodes[node].xylo.get();
}

const std::vector<NodeStats> &Fixed::stats() const { return impl->stats(); }

void Fixed::resetStats() { impl->resetStats(); }

} // namespace snn::sim

//===- Reference.cpp - the float reference simulator ----------------------===//

#include "Sim/Reference.h"
#include "Sim/Kernels.h"
#include "Sim/Schedule.h"
#include "SNN/IR/SNNDiscrete.h"
#include "SNN/IR/SNNParams.h"
#include "SNN/IR/SNNSparse.h"
#include "Shape/ShapeInference.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;

namespace snn::sim {

namespace {

enum class Kind {
  Projection, SparseProjection, Scale, Conv, SumPool, AvgPool, Copy, Sum, Delay, Threshold,
  Neuron
};

struct Node : NodeInfo {
  Kind kind = Kind::Copy;

  // Projection: y = W x (+ b) over the last dimension, `blocks` times.
  Matrix weight;
  Eigen::VectorXd bias;
  int64_t blocks = 1;
  // snn.sparse: the weights by input, walked per non-zero input.
  FloatCsr byInput;
  // Scale.
  Eigen::ArrayXd factors;
  // Convolution and pooling.
  Window window;
  std::vector<double> kernel; // [out, in/groups, kh, kw]
  // Delay: per-neuron steps and a ring of past inputs.
  std::vector<int64_t> delaySteps;
  int64_t maxDelay = 0;
  std::vector<Matrix> ring;
  // Neurons: u = A v + C drive + K; the current i = As i + Cs x.
  bool hasCurrent = false, fires = false, subtract = true, nextStep = false,
       fireOnEqual = false;
  Eigen::ArrayXd A, C, K, As, Cs, theta, vReset;
  Matrix v, current, previousSpikes;
};

Eigen::ArrayXd expand(Attribute attr, int64_t n) {
  std::vector<double> values = NeuronParam(attr).expand(n);
  return Eigen::Map<Eigen::ArrayXd>(values.data(), n);
}

Matrix toMatrix(DenseFPElementsAttr attr, int64_t rows, int64_t cols) {
  Matrix m(rows, cols);
  int64_t k = 0;
  for (const APFloat &v : attr.getValues<APFloat>()) {
    m(k / cols, k % cols) = v.convertToDouble();
    ++k;
  }
  return m;
}

std::vector<double> toVector(DenseFPElementsAttr attr) {
  std::vector<double> out;
  for (const APFloat &v : attr.getValues<APFloat>())
    out.push_back(v.convertToDouble());
  return out;
}

} // namespace

struct Reference::Impl : StepGraph<Matrix, Node> {
  NetworkOp network;
  double dt = 1;
  std::vector<int> outputValues;
  std::vector<bool> outputSpikes;
  bool float32 = false;

  /// Rounds to float in float32 precision.
  template <typename T> void round(T &m) {
    if (float32)
      m = m.template cast<float>().template cast<double>();
  }
  void roundCoefficients(Node &node);

  bool build(std::string &error);
  bool configure(Operation *op, Node &node, std::string &error);
  void configureNeuron(Node &node, const StepConstants &constants);
  void run(Node &node);
  void runPool(Node &node, bool average);
  void sparseProjectNode(Node &node);
  void runNeuron(Node &node);
};

//===----------------------------------------------------------------------===//
// Plan
//===----------------------------------------------------------------------===//

static Eigen::ArrayXd toArray(const std::vector<double> &v) {
  return Eigen::Map<const Eigen::ArrayXd>(v.data(), v.size());
}

void Reference::Impl::configureNeuron(Node &node, const StepConstants &c) {
  node.kind = Kind::Neuron;
  node.A = toArray(c.vDecay);
  node.C = toArray(c.vGain);
  node.K = toArray(c.vBias);
  node.hasCurrent = c.hasCurrent;
  if (c.hasCurrent) {
    node.As = toArray(c.iDecay);
    node.Cs = toArray(c.iGain);
  }
  node.fires = c.fires;
  if (c.fires) {
    node.theta = toArray(c.threshold);
    node.subtract = c.reset == ResetMode::Subtract;
    node.vReset = c.vReset.empty() ? Eigen::ArrayXd::Zero(node.size)
                                   : toArray(c.vReset);
    node.nextStep = c.timing == ResetTiming::NextStep;
    node.fireOnEqual = c.spike == SpikeCondition::GreaterEqual;
  }
}

bool Reference::Impl::configure(Operation *op, Node &node, std::string &error) {
  int64_t n = node.size;
  if (failed(weightFitsDense(op)))
    return false;
  if (std::optional<StepConstants> constants = stepConstants(op, dt)) {
    configureNeuron(node, *constants);
    return true;
  }
  bool ok = true;
  llvm::TypeSwitch<Operation *>(op)
      .Case<AffineOp, LinearOp>([&](auto o) {
        node.kind = Kind::Projection;
        auto w = o.getWeight().getType().getShape();
        node.weight = toMatrix(o.getWeight(), w[0], w[1]);
        node.bias = Eigen::VectorXd::Zero(w[0]);
        if constexpr (std::is_same_v<decltype(o), AffineOp>) {
          std::vector<double> b = toVector(o.getBias());
          node.bias = Eigen::Map<Eigen::VectorXd>(b.data(), w[0]);
        }
        node.blocks = getSignalSize(o.getInput()) / w[1];
      })
      .Case<SparseOp>([&](SparseOp o) {
        node.kind = Kind::SparseProjection;
        node.byInput = csrOf(o).transposed();
        node.bias = Eigen::VectorXd::Zero(node.size);
        if (o.getBiasAttr()) {
          std::vector<double> b = toVector(o.getBiasAttr());
          node.bias = Eigen::Map<Eigen::VectorXd>(b.data(), node.size);
        }
      })
      .Case<ScaleOp>([&](ScaleOp o) {
        node.kind = Kind::Scale;
        node.factors = expand(o.getScale(), n);
      })
      .Case<Conv1dOp, Conv2dOp>([&](auto o) {
        node.kind = Kind::Conv;
        node.window = windowOf(op);
        node.kernel = toVector(o.getWeight());
        std::vector<double> b = toVector(o.getBias());
        node.bias = Eigen::Map<Eigen::VectorXd>(b.data(), b.size());
      })
      .Case<SumPool2dOp, AvgPool2dOp>([&](auto o) {
        node.kind = isa<SumPool2dOp>(op) ? Kind::SumPool : Kind::AvgPool;
        node.window = windowOf(op);
      })
      .Case<FlattenOp>([&](FlattenOp) { node.kind = Kind::Copy; })
      .Case<SumOp>([&](SumOp) { node.kind = Kind::Sum; })
      .Case<DelayOp>([&](DelayOp o) {
        // The op carries the diagnostic; the engine's error names it.
        ok = succeeded(configureDelay(o, dt, node));
        if (!ok)
          error = describeOp(op) + ": its delay is not a whole number of "
                                   "steps the engines keep (see the error "
                                   "on the op)";
      })
      .Case<ThresholdOp>([&](ThresholdOp o) {
        node.kind = Kind::Threshold;
        node.theta = expand(o.getThreshold(), n);
        node.fireOnEqual = o.getSpike() == SpikeCondition::GreaterEqual;
      })
      .Default([&](Operation *other) {
        error = describeOp(other) + " has no float semantics";
        ok = false;
      });
  return ok;
}

bool Reference::Impl::build(std::string &error) {
  dt = network.getDt().convertToDouble();
  FailureOr<Schedule> order =
      plan(network, [&](Operation *op, Node &node) {
        if (!configure(op, node, error))
          return false;
        roundCoefficients(node);
        return true;
      });
  if (failed(order))
    return false;
  for (Value v : network.getOutputOp().getOutputs()) {
    outputValues.push_back(order->valueIndex[v]);
    outputSpikes.push_back(isSpikes(v.getType()));
  }
  return true;
}

void Reference::Impl::roundCoefficients(Node &node) {
  round(node.weight);
  round(node.bias);
  round(node.factors);
  round(node.A);
  round(node.C);
  round(node.K);
  round(node.As);
  round(node.Cs);
  round(node.theta);
  round(node.vReset);
  for (double &w : node.kernel)
    w = float32 ? double(float(w)) : w;
  for (double &w : node.byInput.values)
    w = float32 ? double(float(w)) : w;
}

/// Every non-zero input adds its weights to the outputs it feeds, in input
/// order: each output's sum takes its terms in the order of the dense
/// event-driven projection, which adds the same products and zeros.
void Reference::Impl::sparseProjectNode(Node &node) {
  const Matrix &in = values[node.inputs[0]];
  Matrix &out = values[node.output];
  const FloatCsr &m = node.byInput;
  out.resize(node.size, samples);
  for (int64_t b = 0; b < samples; ++b) {
    double *y = out.col(b).data();
    const double *x = in.col(b).data();
    Eigen::Map<Eigen::VectorXd>(y, node.size) = node.bias;
    for (int64_t j = 0; j < m.rows; ++j) {
      if (x[j] == 0)
        continue;
      for (int64_t e = m.offsets[j]; e < m.offsets[j + 1]; ++e)
        y[m.indices[e]] += x[j] * m.values[e];
      node.stats.synopsEffective += double(m.offsets[j + 1] - m.offsets[j]);
    }
  }
  node.stats.synopsDense += double(m.rows) * double(m.cols) * double(samples);
  node.stats.eventSteps += 1;
}

//===----------------------------------------------------------------------===//
// Kernels
//===----------------------------------------------------------------------===//

void Reference::Impl::runPool(Node &node, bool average) {
  const Window &g = node.window;
  const Matrix &in = values[node.inputs[0]];
  Matrix &out = values[node.output];
  out.resize(g.outChannels * g.outHeight * g.outWidth, samples);
  for (int64_t b = 0; b < samples; ++b)
    sumPool(g, in.col(b).data(), out.col(b).data());
  if (average)
    out /= double(g.kh * g.kw);
}

void Reference::Impl::runNeuron(Node &node) {
  const Matrix &x = values[node.inputs[0]];
  Matrix &out = values[node.output];
  int64_t n = node.size;
  out.resize(n, samples);
  for (int64_t b = 0; b < samples; ++b) {
    const double *in = x.col(b).data();
    double *v = node.v.col(b).data();
    double *i = node.hasCurrent ? node.current.col(b).data() : nullptr;
    double *prev = node.fires ? node.previousSpikes.col(b).data() : nullptr;
    double *y = out.col(b).data();
    // In float32 precision each stored quantity is a float.
    auto store = [&](double x) { return float32 ? double(float(x)) : x; };
    for (int64_t j = 0; j < n; ++j) {
      double drive = in[j];
      if (i) {
        i[j] = store(node.As[j] * i[j] + node.Cs[j] * in[j]);
        drive = i[j];
      }
      double u = store(node.A[j] * v[j] + node.C[j] * drive + node.K[j]);
      if (!node.fires) {
        v[j] = u;
        y[j] = u;
        continue;
      }
      auto fire = [&](double m) {
        return node.fireOnEqual ? m >= node.theta[j] : m > node.theta[j];
      };
      auto reset = [&](double m) {
        return node.subtract ? m - node.theta[j] : node.vReset[j];
      };
      double spike;
      if (node.nextStep) {
        v[j] = prev[j] != 0 ? reset(u) : u;
        spike = fire(v[j]) ? 1.0 : 0.0;
      } else {
        spike = fire(u) ? 1.0 : 0.0;
        v[j] = spike != 0 ? reset(u) : u;
      }
      prev[j] = spike;
      y[j] = spike;
    }
  }
}

void Reference::Impl::run(Node &node) {
  switch (node.kind) {
  case Kind::Projection:
    projectNode(node);
    break;
  case Kind::SparseProjection:
    sparseProjectNode(node);
    break;
  case Kind::Scale:
    values[node.output] =
        (values[node.inputs[0]].array().colwise() * node.factors).matrix();
    break;
  case Kind::Conv:
    convolveNode(node);
    break;
  case Kind::SumPool:
  case Kind::AvgPool:
    runPool(node, node.kind == Kind::AvgPool);
    break;
  case Kind::Copy:
    values[node.output] = values[node.inputs[0]];
    break;
  case Kind::Sum: {
    Matrix &out = values[node.output];
    out = values[node.inputs[0]];
    for (size_t k = 1; k < node.inputs.size(); ++k)
      out += values[node.inputs[k]];
    break;
  }
  case Kind::Threshold: {
    const Matrix &x = values[node.inputs[0]];
    Matrix &out = values[node.output];
    out.resize(node.size, samples);
    for (int64_t b = 0; b < samples; ++b)
      for (int64_t j = 0; j < node.size; ++j) {
        double m = x(j, b);
        out(j, b) = (node.fireOnEqual ? m >= node.theta[j] : m > node.theta[j])
                        ? 1.0
                        : 0.0;
      }
    break;
  }
  case Kind::Neuron:
    runNeuron(node);
    break;
  case Kind::Delay:
    break; // emitted at the start of the step
  }
  round(values[node.output]);
  if (node.kind == Kind::Neuron) {
    round(node.v);
    if (node.hasCurrent)
      round(node.current);
  }
  const Matrix &out = values[node.output];
  node.stats.nonzero += double((out.array() != 0).count());
  node.stats.outputs += double(out.size());
}

//===----------------------------------------------------------------------===//
// Public interface
//===----------------------------------------------------------------------===//

Reference::~Reference() = default;

llvm::Expected<std::unique_ptr<Reference>>
Reference::create(NetworkOp network, Precision precision) {
  auto ref = std::unique_ptr<Reference>(new Reference());
  ref->impl = std::make_unique<Impl>();
  ref->impl->network = network;
  ref->impl->float32 = precision == Precision::Float32;
  ref->impl->propagation = &ref->propagation;
  ref->impl->eventDensity = &ref->eventDensity;
  if (llvm::Error e = buildEngine(
          network, [&](std::string &error) { return ref->impl->build(error); }))
    return std::move(e);
  ref->reset(1);
  return std::move(ref);
}

void Reference::reset(int64_t samples) { impl->resetState(samples); }

void Reference::step(const std::vector<Matrix> &inputs) {
  Impl &s = *impl;
  for (size_t k = 0; k < s.inputValues.size(); ++k)
    s.values[s.inputValues[k]] = inputs[k];
  s.advanceStep([&](Node &node) { s.run(node); });
}

size_t Reference::numInputs() const { return impl->inputValues.size(); }
size_t Reference::numOutputs() const { return impl->outputValues.size(); }
int64_t Reference::inputSize(size_t k) const { return impl->inputSizes[k]; }
int64_t Reference::outputSize(size_t k) const {
  return impl->values[impl->outputValues[k]].rows();
}
bool Reference::outputIsSpikes(size_t k) const {
  return impl->outputSpikes[k];
}
const Matrix &Reference::output(size_t k) const {
  return impl->values[impl->outputValues[k]];
}

std::optional<size_t> Reference::findNode(const std::string &name) const {
  return impl->findNode(name);
}

std::vector<std::string> Reference::nodeNames() const {
  return impl->nodeNames();
}

const Matrix &Reference::nodeOutput(size_t node) const {
  return impl->values[impl->nodes[node].output];
}
const Matrix *Reference::nodeMembrane(size_t node) const {
  const Node &n = impl->nodes[node];
  return n.kind == Kind::Neuron ? &n.v : nullptr;
}
const Matrix *Reference::nodeCurrent(size_t node) const {
  const Node &n = impl->nodes[node];
  return n.hasCurrent ? &n.current : nullptr;
}

const std::vector<NodeStats> &Reference::stats() const {
  return impl->stats();
}

void Reference::resetStats() { impl->resetStats(); }

} // namespace snn::sim

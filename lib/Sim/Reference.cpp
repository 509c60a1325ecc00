//===- Reference.cpp - the float reference simulator ----------------------===//
//
// Speed without changing a result: every op computes exactly what
// docs/semantics.md says, in the order of its terms the dense definition
// gives, but
//  - neurons run as one tight loop per configuration (no per-neuron calls),
//    which the compiler vectorizes;
//  - a sparse projection, and a sum of such projections, remembers which of
//    its outputs differ from their resting value (the bias, or the sum of
//    the inputs' resting values): a step puts only those back and then adds
//    this step's events, and counts its non-zero outputs over them alone;
//  - a delay whose neurons all wait the same number of steps swaps its
//    output with a ring slot instead of copying it, and knows the non-zero
//    count of what it stored.
//
//===----------------------------------------------------------------------===//

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
#include <cstring>
#include <type_traits>
#include <utility>

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#include <immintrin.h>
#endif

using namespace mlir;

namespace snn::sim {

namespace {

enum class Kind {
  Projection, SparseProjection, Scale, Conv, SumPool, AvgPool, Copy, Sum, Delay, Threshold,
  Neuron
};

/// Indices of changed outputs with room for every output and one more (the
/// slot `append` writes before it knows whether to keep it): appended without
/// a capacity check, and without a branch (see `append`).
struct IndexList {
  std::vector<int64_t> at;
  int64_t size = 0;
  const int64_t *begin() const { return at.data(); }
  const int64_t *end() const { return at.data() + size; }
  void clear() { size = 0; }
};

/// Appends `j` to `list` unless `mark[j]` says it is there; marks it.
inline void append(int64_t j, IndexList &list, uint8_t *mark) {
  list.at[size_t(list.size)] = j;
  list.size += mark[j] == 0;
  mark[j] = 1;
}

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
  // One delay for every neuron: the ring slot is swapped with the output,
  // and the non-zero count of each slot is kept with it.
  bool uniformDelay = false;
  std::vector<double> ringNonzero;
  // Neurons: u = A v + C drive + K; the current i = As i + Cs x.
  bool hasCurrent = false, fires = false, subtract = true, nextStep = false,
       fireOnEqual = false;
  Eigen::ArrayXd A, C, K, As, Cs, theta, vReset;
  Matrix v, current, previousSpikes;
  // Every neuron has the same coefficients: the loop keeps them in
  // registers.
  bool uniform = false;

  // Tracked outputs (sparse projections, sums of tracked signals): outside
  // `changed[sample]` every output equals `rest`; `mark` flags the members
  // of `changed` ([samples x size]); `refill` after a reset, when the
  // output holds zeros rather than `rest`.
  bool tracked = false, refill = true;
  Eigen::VectorXd rest;
  int64_t restNonzero = 0;
  std::vector<IndexList> changed;
  std::vector<uint8_t> mark;
  // Non-zero outputs of the last step, over all samples.
  double stepNonzero = 0;
  // Sparse projections: the non-zero inputs of one sample.
  std::vector<int64_t> active;
  // Delays: the one delay reading its input, whose producer writes the
  // whole signal every step: the input is swapped into the ring, not
  // copied.
  bool swapInput = false;
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

/// A stored quantity: rounded to float in float32 precision.
template <bool F32> inline double stored(double x) {
  if constexpr (F32)
    return double(float(x));
  else
    return x;
}

/// The non-zero entries of x[0, n), a loop the compiler vectorizes.
int64_t countNonzero(const double *x, int64_t n) {
  int64_t count = 0;
  for (int64_t j = 0; j < n; ++j)
    count += x[j] != 0;
  return count;
}

// Neuron loops take their arrays as restrict parameters: GCC ignores
// restrict on local pointers and then gives up vectorizing over the alias
// checks.
#define SNN_NEURON_PARAMS                                                      \
  int64_t n, const double *__restrict in, double *__restrict v,               \
      double *__restrict cur, double *__restrict prev, double *__restrict y,  \
      const double *__restrict A, const double *__restrict C,                 \
      const double *__restrict K, const double *__restrict As,                \
      const double *__restrict Cs, const double *__restrict theta,            \
      const double *__restrict vReset
#define SNN_NEURON_ARGS n, in, v, cur, prev, y, A, C, K, As, Cs, theta, vReset

/// Coefficient j, or the one coefficient every neuron shares (a register
/// for the whole loop).
template <bool Uniform> inline double coef(const double *p, int64_t j) {
  return Uniform ? p[0] : p[j];
}

/// Neuron j's membrane after this step's input, before any firing; its
/// current (if it has one) is updated on the way.
template <bool F32, bool Uniform, bool Current>
inline __attribute__((always_inline)) double
integrated(int64_t j, const double *__restrict in, const double *__restrict v,
           double *__restrict cur, const double *__restrict A,
           const double *__restrict C, const double *__restrict K,
           const double *__restrict As, const double *__restrict Cs) {
  double drive = in[j];
  if constexpr (Current) {
    double i = stored<F32>(coef<Uniform>(As, j) * cur[j] +
                           coef<Uniform>(Cs, j) * in[j]);
    cur[j] = i;
    drive = i;
  }
  return stored<F32>(coef<Uniform>(A, j) * v[j] + coef<Uniform>(C, j) * drive +
                     coef<Uniform>(K, j));
}

/// One sample of a neuron that does not fire: the output is the membrane.
/// Returns the non-zero outputs.
template <bool F32, bool Uniform, bool Current>
inline __attribute__((always_inline)) int64_t
integrate(SNN_NEURON_PARAMS) {
  int64_t nonzero = 0;
  for (int64_t j = 0; j < n; ++j) {
    double u = integrated<F32, Uniform, Current>(j, in, v, cur, A, C, K, As, Cs);
    // An integer flag, not a bool: GCC 12 vectorizes the count then.
    int64_t isNonzero = u != 0 ? 1 : 0;
    v[j] = u;
    y[j] = u;
    nonzero += isNonzero;
  }
  return nonzero;
}

/// One sample of a spiking neuron: integrate, fire past the threshold,
/// reset (by subtraction or to a value, in this step or the next).
/// Returns the spikes.
template <bool F32, bool Uniform, bool Current, bool NextStep, bool Subtract,
          bool OnEqual>
inline __attribute__((always_inline)) int64_t
integrateAndFire(SNN_NEURON_PARAMS) {
  int64_t spikes = 0;
  for (int64_t j = 0; j < n; ++j) {
    double u = integrated<F32, Uniform, Current>(j, in, v, cur, A, C, K, As, Cs);
    double th = coef<Uniform>(theta, j);
    double reset;
    if constexpr (Subtract)
      reset = stored<F32>(u - th);
    else
      reset = coef<Uniform>(vReset, j);
    // An integer flag, not a bool: GCC 12 vectorizes the count then.
    double m;
    int64_t fire;
    if constexpr (NextStep) {
      m = prev[j] != 0 ? reset : u;
      fire = (OnEqual ? m >= th : m > th) ? 1 : 0;
    } else {
      fire = (OnEqual ? u >= th : u > th) ? 1 : 0;
      m = fire ? reset : u;
    }
    double spike = fire ? 1.0 : 0.0;
    v[j] = m;
    y[j] = spike;
    if constexpr (NextStep)
      prev[j] = spike;
    spikes += fire;
  }
  return spikes;
}

/// A neuron configuration's loop; `Fire` is 0 for a neuron that does not
/// fire, else 1 + NextStep * 4 + Subtract * 2 + OnEqual.
template <bool F32, bool Uniform, bool Current, int Fire>
inline __attribute__((always_inline)) int64_t neuronLoop(SNN_NEURON_PARAMS) {
  if constexpr (Fire == 0)
    return integrate<F32, Uniform, Current>(SNN_NEURON_ARGS);
  else
    return integrateAndFire<F32, Uniform, Current, ((Fire - 1) & 4) != 0,
                            ((Fire - 1) & 2) != 0, ((Fire - 1) & 1) != 0>(
        SNN_NEURON_ARGS);
}

template <bool F32, bool Uniform, bool Current, int Fire>
int64_t neuronKernel(SNN_NEURON_PARAMS) {
  return neuronLoop<F32, Uniform, Current, Fire>(SNN_NEURON_ARGS);
}

using NeuronKernel = int64_t (*)(int64_t, const double *, double *, double *,
                                 double *, double *, const double *,
                                 const double *, const double *,
                                 const double *, const double *,
                                 const double *, const double *);

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
// The same loops for AVX2 (four doubles per instruction), chosen at run
// time. AVX2 brings no fused multiply-add (that is the "fma" target), so
// every product and sum rounds as in the portable loop: identical results.
#define SNN_NEURON_AVX2 1
template <bool F32, bool Uniform, bool Current, int Fire>
__attribute__((target("avx2"))) int64_t neuronKernelAvx2(SNN_NEURON_PARAMS) {
  return neuronLoop<F32, Uniform, Current, Fire>(SNN_NEURON_ARGS);
}
#endif
#undef SNN_NEURON_PARAMS
#undef SNN_NEURON_ARGS

template <bool F32, bool Uniform, bool Current, int... Fire>
NeuronKernel pickKernel(int fire, bool avx2,
                        std::integer_sequence<int, Fire...>) {
  NeuronKernel portable[] = {&neuronKernel<F32, Uniform, Current, Fire>...};
#ifdef SNN_NEURON_AVX2
  NeuronKernel wide[] = {&neuronKernelAvx2<F32, Uniform, Current, Fire>...};
  if (avx2)
    return wide[fire];
#endif
  return portable[fire];
}

/// The loop for `node`'s configuration. Float32 loops do not vectorize
/// (the float roundings between double operations) and take the
/// per-neuron coefficients.
NeuronKernel neuronKernelFor(const Node &node, bool float32, bool uniform) {
  int fire = node.fires ? 1 + (node.nextStep ? 4 : 0) +
                              (node.subtract ? 2 : 0) +
                              (node.fireOnEqual ? 1 : 0)
                        : 0;
  auto all = std::make_integer_sequence<int, 9>();
#ifdef SNN_NEURON_AVX2
  static const bool avx2 = __builtin_cpu_supports("avx2");
#else
  const bool avx2 = false;
#endif
  if (float32)
    return node.hasCurrent ? pickKernel<true, false, true>(fire, false, all)
                           : pickKernel<true, false, false>(fire, false, all);
  if (uniform)
    return node.hasCurrent ? pickKernel<false, true, true>(fire, avx2, all)
                           : pickKernel<false, true, false>(fire, avx2, all);
  return node.hasCurrent ? pickKernel<false, false, true>(fire, avx2, all)
                         : pickKernel<false, false, false>(fire, avx2, all);
}

/// True when every entry of `a` has the same bits as the first (so -0 and
/// +0 are different coefficients, as they give different zeros).
bool allSame(const Eigen::ArrayXd &a) {
  for (Eigen::Index j = 1; j < a.size(); ++j)
    if (std::memcmp(&a[j], &a[0], sizeof(double)) != 0)
      return false;
  return true;
}

/// Appends the j in [from, to) with x[j] != 0 (NaN included, -0 not) to
/// found[count...]; returns the new count.
inline int64_t appendNonzero(const double *x, int64_t from, int64_t to,
                             int64_t *found, int64_t count) {
  for (int64_t j = from; j < to; ++j)
    if (x[j] != 0)
      found[count++] = j;
  return count;
}

/// Writes the j with x[j] != 0 (NaN included, -0 not) in increasing order
/// to `found`; returns how many. Blocks of 32 entries are tested at once
/// through their bits without the sign: most blocks of a spike vector are
/// all zero.
int64_t findNonzeroPortable(const double *x, int64_t n, int64_t *found) {
  int64_t count = 0, j = 0;
  for (; j + 32 <= n; j += 32) {
    uint64_t lanes[4] = {0, 0, 0, 0};
    for (int k = 0; k < 32; k += 4)
      for (int l = 0; l < 4; ++l) {
        uint64_t bits;
        std::memcpy(&bits, x + j + k + l, sizeof bits);
        lanes[l] |= bits;
      }
    if (((lanes[0] | lanes[1] | lanes[2] | lanes[3]) << 1) != 0)
      count = appendNonzero(x, j, j + 32, found, count);
  }
  return appendNonzero(x, j, n, found, count);
}

#ifdef SNN_NEURON_AVX2
__attribute__((target("avx2"))) int64_t
findNonzeroAvx2(const double *x, int64_t n, int64_t *found) {
  const __m256i noSign = _mm256_set1_epi64x(INT64_MAX);
  int64_t count = 0, j = 0;
  for (; j + 32 <= n; j += 32) {
    __m256i any = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(x + j));
    for (int k = 4; k < 32; k += 4)
      any = _mm256_or_si256(
          any, _mm256_loadu_si256(reinterpret_cast<const __m256i *>(x + j + k)));
    if (!_mm256_testz_si256(any, noSign))
      count = appendNonzero(x, j, j + 32, found, count);
  }
  return appendNonzero(x, j, n, found, count);
}
#endif

int64_t findNonzero(const double *x, int64_t n, int64_t *found) {
#ifdef SNN_NEURON_AVX2
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (avx2)
    return findNonzeroAvx2(x, n, found);
#endif
  return findNonzeroPortable(x, n, found);
}

} // namespace

struct Reference::Impl : StepGraph<Matrix, Node> {
  NetworkOp network;
  double dt = 1;
  std::vector<int> outputValues;
  std::vector<bool> outputSpikes;
  bool float32 = false;
  // The node computing each signal, or -1 for the network's inputs.
  std::vector<int> producer;
  // The delays have yet to store the input of the last step (they do it at
  // the start of the next, when swapping it away no longer hides an output
  // from the caller).
  bool pendingStore = false;

  /// Rounds to float in float32 precision.
  template <typename T> void round(T &m) {
    if (float32)
      m = m.template cast<float>().template cast<double>();
  }
  void roundCoefficients(Node &node);

  llvm::Error build();
  llvm::Error configure(Operation *op, Node &node);
  void configureNeuron(Node &node, const StepConstants &constants);
  void planTracking();
  void planDelays();
  void reset(int64_t count);
  void step(const std::vector<Matrix> &inputs);
  void emitDelay(Node &node);
  void storeDelay(Node &node, int64_t t);
  double lastNonzero(int value) const;
  void run(Node &node);
  void runPool(Node &node, bool average);
  void sparseProjectNode(Node &node);
  void sumNode(Node &node);
  void runNeuron(Node &node);
  void restoreChanged(Node &node, int64_t sample);
  int64_t countChanged(Node &node, int64_t sample);
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

llvm::Error Reference::Impl::configure(Operation *op, Node &node) {
  int64_t n = node.size;
  if (failed(weightFitsDense(op)))
    return emittedError();
  if (std::optional<StepConstants> constants = stepConstants(op, dt)) {
    configureNeuron(node, *constants);
    return llvm::Error::success();
  }
  std::string message;
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
        if (failed(configureDelay(o, dt, node)))
          message = describeOp(op) + ": its delay is not a whole number "
                                     "of steps the engines keep (see the "
                                     "error on the op)";
        node.uniformDelay = llvm::all_equal(node.delaySteps);
      })
      .Case<ThresholdOp>([&](ThresholdOp o) {
        node.kind = Kind::Threshold;
        node.theta = expand(o.getThreshold(), n);
        node.fireOnEqual = o.getSpike() == SpikeCondition::GreaterEqual;
      })
      .Default([&](Operation *other) {
        message = describeOp(other) + " has no float semantics";
      });
  if (!message.empty())
    return llvm::createStringError(message);
  return llvm::Error::success();
}

llvm::Error Reference::Impl::build() {
  dt = network.getDt().convertToDouble();
  std::optional<llvm::Error> error;
  FailureOr<Schedule> order =
      plan(network, [&](Operation *op, Node &node) {
        if (llvm::Error e = configure(op, node)) {
          error.emplace(std::move(e));
          return false;
        }
        roundCoefficients(node);
        node.uniform = node.kind == Kind::Neuron && node.size > 0 &&
                       allSame(node.A) && allSame(node.C) &&
                       allSame(node.K) && allSame(node.As) &&
                       allSame(node.Cs) && allSame(node.theta) &&
                       allSame(node.vReset);
        return true;
      });
  if (error)
    return std::move(*error);
  if (failed(order))
    return emittedError();
  for (Value v : network.getOutputOp().getOutputs()) {
    outputValues.push_back(order->valueIndex[v]);
    outputSpikes.push_back(isSpikes(v.getType()));
  }
  producer.assign(order->numValues, -1);
  for (size_t i = 0; i < nodes.size(); ++i)
    producer[nodes[i].output] = int(i);
  planTracking();
  planDelays();
  return llvm::Error::success();
}

/// Sparse projections rest at their bias; a sum of tracked signals rests at
/// the sum of their resting values, added and rounded as the sum itself
/// adds and rounds.
void Reference::Impl::planTracking() {
  for (Node &node : nodes) {
    if (node.kind == Kind::SparseProjection) {
      node.tracked = true;
      node.rest = node.bias;
    } else if (node.kind == Kind::Sum) {
      node.tracked = llvm::all_of(node.inputs, [&](int value) {
        return producer[value] >= 0 && nodes[producer[value]].tracked;
      });
      if (!node.tracked)
        continue;
      node.rest = nodes[producer[node.inputs[0]]].rest;
      for (size_t k = 1; k < node.inputs.size(); ++k)
        node.rest += nodes[producer[node.inputs[k]]].rest;
      round(node.rest);
    }
    if (node.tracked)
      node.restNonzero = countNonzero(node.rest.data(), node.size);
    if (node.kind == Kind::SparseProjection)
      node.active.resize(size_t(node.byInput.rows));
  }
}

/// A delay may swap its input into the ring when no other delay reads it
/// and what produces it writes every entry each step (tracked nodes put
/// back only what changed; network inputs are copied in whole).
void Reference::Impl::planDelays() {
  std::vector<int> delayReaders(values.size(), 0);
  for (size_t index : delays)
    ++delayReaders[nodes[index].inputs[0]];
  for (size_t index : delays) {
    int in = nodes[index].inputs[0];
    nodes[index].swapInput = delayReaders[in] == 1 &&
                             (producer[in] < 0 || !nodes[producer[in]].tracked);
  }
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

//===----------------------------------------------------------------------===//
// Steps
//===----------------------------------------------------------------------===//

void Reference::Impl::reset(int64_t count) {
  resetState(count);
  pendingStore = false;
  for (Node &node : nodes) {
    if (node.kind == Kind::Delay)
      node.ringNonzero.assign(size_t(node.maxDelay), 0.0);
    if (!node.tracked)
      continue;
    node.refill = true;
    node.changed.assign(size_t(count),
                        IndexList{std::vector<int64_t>(size_t(node.size) + 1), 0});
    node.mark.assign(size_t(count * node.size), 0);
  }
}

/// Non-zero entries of signal `value` in the step just computed.
double Reference::Impl::lastNonzero(int value) const {
  if (producer[value] >= 0)
    return nodes[producer[value]].stepNonzero;
  const Matrix &m = values[value];
  return double(countNonzero(m.data(), m.size()));
}

/// A delay's output for this step: what its input held `steps` ago.
void Reference::Impl::emitDelay(Node &node) {
  Matrix &out = values[node.output];
  if (node.uniformDelay) {
    size_t slot = size_t(time % node.maxDelay);
    out.swap(node.ring[slot]);
    node.stepNonzero = node.ringNonzero[slot];
  } else {
    out.setZero(node.size, samples);
    emitDelayed(node.ring, node.delaySteps, time, out);
    node.stepNonzero = double(countNonzero(out.data(), out.size()));
  }
  node.stats.nonzero += node.stepNonzero;
  node.stats.outputs += double(out.size());
}

/// Keeps the delay's input of step `t` in the ring.
void Reference::Impl::storeDelay(Node &node, int64_t t) {
  size_t slot = size_t(t % node.maxDelay);
  if (node.uniformDelay)
    node.ringNonzero[slot] = lastNonzero(node.inputs[0]);
  if (node.swapInput)
    node.ring[slot].swap(values[node.inputs[0]]);
  else
    node.ring[slot] = values[node.inputs[0]];
}

void Reference::Impl::step(const std::vector<Matrix> &inputs) {
  // Delays keep the last step's input before anything overwrites it.
  if (pendingStore)
    for (size_t index : delays)
      storeDelay(nodes[index], time - 1);
  for (size_t k = 0; k < inputValues.size(); ++k)
    values[inputValues[k]] = inputs[k];
  // Delays read their state before the step runs, so their users may come
  // first.
  for (size_t index : delays)
    emitDelay(nodes[index]);
  for (Node &node : nodes)
    if (node.kind != Kind::Delay)
      run(node);
  pendingStore = true;
  ++time;
}

/// Puts the outputs a tracked node changed in its last step back to rest.
void Reference::Impl::restoreChanged(Node &node, int64_t sample) {
  double *y = values[node.output].col(sample).data();
  uint8_t *mark = node.mark.data() + sample * node.size;
  const double *rest = node.rest.data();
  if (node.refill) {
    std::copy(rest, rest + node.size, y);
  } else {
    for (int64_t j : node.changed[sample]) {
      y[j] = rest[j];
      mark[j] = 0;
    }
  }
  node.changed[sample].clear();
}

/// Rounds the changed outputs (float32) and returns the sample's non-zero
/// outputs: the resting count, corrected where an output changed.
int64_t Reference::Impl::countChanged(Node &node, int64_t sample) {
  double *y = values[node.output].col(sample).data();
  const double *rest = node.rest.data();
  int64_t nonzero = node.restNonzero;
  for (int64_t j : node.changed[sample]) {
    if (float32)
      y[j] = double(float(y[j]));
    nonzero += int64_t(y[j] != 0) - int64_t(rest[j] != 0);
  }
  return nonzero;
}

/// Every non-zero input adds its weights to the outputs it feeds, in input
/// order: each output's sum takes its terms in the order of the dense
/// event-driven projection, which adds the same products and zeros.
void Reference::Impl::sparseProjectNode(Node &node) {
  const Matrix &in = values[node.inputs[0]];
  Matrix &out = values[node.output];
  const FloatCsr &m = node.byInput;
  const int64_t *offsets = m.offsets.data(), *targets = m.indices.data();
  const double *weights = m.values.data();
  double nonzero = 0;
  for (int64_t b = 0; b < samples; ++b) {
    restoreChanged(node, b);
    double *y = out.col(b).data();
    uint8_t *mark = node.mark.data() + b * node.size;
    IndexList &changed = node.changed[b];
    const double *x = in.col(b).data();
    double effective = 0;
    int64_t found = findNonzero(x, m.rows, node.active.data());
    for (int64_t a = 0; a < found; ++a) {
      int64_t j = node.active[a];
      double xj = x[j];
      for (int64_t e = offsets[j]; e < offsets[j + 1]; ++e) {
        int64_t t = targets[e];
        y[t] += xj * weights[e];
        append(t, changed, mark);
      }
      effective += double(offsets[j + 1] - offsets[j]);
    }
    node.stats.synopsEffective += effective;
    nonzero += double(countChanged(node, b));
  }
  node.refill = false;
  node.stepNonzero = nonzero;
  node.stats.synopsDense += double(m.rows) * double(m.cols) * double(samples);
  node.stats.eventSteps += 1;
}

/// A sum. Of tracked signals, only the outputs one of them changed are
/// added; the others rest at the sum of the resting values.
void Reference::Impl::sumNode(Node &node) {
  Matrix &out = values[node.output];
  if (!node.tracked) {
    out = values[node.inputs[0]];
    for (size_t k = 1; k < node.inputs.size(); ++k)
      out += values[node.inputs[k]];
    round(out);
    node.stepNonzero = double(countNonzero(out.data(), out.size()));
    return;
  }
  double nonzero = 0;
  for (int64_t b = 0; b < samples; ++b) {
    restoreChanged(node, b);
    double *y = out.col(b).data();
    uint8_t *mark = node.mark.data() + b * node.size;
    IndexList &changed = node.changed[b];
    for (int value : node.inputs)
      for (int64_t j : nodes[producer[value]].changed[b])
        append(j, changed, mark);
    const double *first = values[node.inputs[0]].col(b).data();
    if (node.inputs.size() == 2) {
      const double *second = values[node.inputs[1]].col(b).data();
      for (int64_t j : changed)
        y[j] = first[j] + second[j];
    } else {
      for (int64_t j : changed) {
        double s = first[j];
        for (size_t k = 1; k < node.inputs.size(); ++k)
          s += values[node.inputs[k]](j, b);
        y[j] = s;
      }
    }
    nonzero += double(countChanged(node, b));
  }
  node.refill = false;
  node.stepNonzero = nonzero;
}

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
  NeuronKernel kernel = neuronKernelFor(node, float32, node.uniform);
  int64_t nonzero = 0;
  for (int64_t b = 0; b < samples; ++b)
    nonzero += kernel(
        n, x.col(b).data(), node.v.col(b).data(),
        node.hasCurrent ? node.current.col(b).data() : nullptr,
        node.fires ? node.previousSpikes.col(b).data() : nullptr,
        out.col(b).data(), node.A.data(), node.C.data(), node.K.data(),
        node.As.data(), node.Cs.data(), node.theta.data(),
        node.vReset.data());
  node.stepNonzero = double(nonzero);
}

void Reference::Impl::run(Node &node) {
  // Nodes that count their own non-zero outputs.
  switch (node.kind) {
  case Kind::SparseProjection:
    sparseProjectNode(node);
    break;
  case Kind::Sum:
    sumNode(node);
    break;
  case Kind::Neuron:
    runNeuron(node);
    break;
  default:
    break;
  }
  switch (node.kind) {
  case Kind::Projection:
    projectNode(node);
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
  default:
    node.stats.nonzero += node.stepNonzero;
    node.stats.outputs += double(values[node.output].size());
    return;
  }
  Matrix &out = values[node.output];
  round(out);
  node.stepNonzero = double(countNonzero(out.data(), out.size()));
  node.stats.nonzero += node.stepNonzero;
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
  if (llvm::Error e = buildEngine(network, [&] { return ref->impl->build(); }))
    return std::move(e);
  ref->reset(1);
  return std::move(ref);
}

void Reference::reset(int64_t samples) { impl->reset(samples); }

void Reference::step(const std::vector<Matrix> &inputs) { impl->step(inputs); }

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

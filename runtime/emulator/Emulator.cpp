//===- Emulator.cpp - a chip image, step by step, with its costs ----------===//
//
// The arithmetic is the C twin of the fixed-point reference's primitives
// (runtime/embedded/snn_arith.h), so the three integer engines share one
// definition of rounding, overflow and decay. Sums are taken modulo 2^64
// (unsigned), which equals the exact sum whenever the result fits, as the
// quantizer guarantees, and is never undefined behaviour when it does not.
//
//===----------------------------------------------------------------------===//

#include "emulator/Emulator.h"
#include "emulator/XyloCore.h"
#include "emulator/ChipSystem.h"
#include "emulator/LoopSupport.h"
#include "emulator/Narrow16.h"
#include "embedded/snn_arith.h"
#include "embedded/snn_quantize.h"
#include "embedded/snn_sparse.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>

namespace snn::emu {

namespace {

using image::StageKind;

struct RouteTarget {
  int hops = 0, chipHops = 0;
  std::vector<int> links; // dimension-order path (ChipSystem::route)
};

/// A table's synapse k, as Impl::deliver reads it: target and weight from
/// their own arrays, or from one packed word (Stage::packed).
template <typename T> struct WideSynapses {
  const int32_t *targets;
  const T *weights;
  int32_t target(int32_t k) const { return targets[k]; }
  T weight(int32_t k) const { return weights[k]; }
};
struct PackedSynapses {
  const uint32_t *packed;
  int32_t target(int32_t k) const { return int32_t(packed[k] & 0xffffu); }
  int32_t weight(int32_t k) const { return int32_t(packed[k]) >> 16; }
};

/// One state's decay in 32 bits without branches, equal to snn_decay32
/// (hence snn_decay) wherever the plan applies (Impl::planNarrow): with
/// x = s * m, r = (x + c0 + ((x >> t) & c1)) >> k rounds x / 2^k as the
/// stage says (nearest even: c0 = 2^(k-1) - 1, t = k, c1 = 1, adding the
/// quotient's parity; half away: c0 = 2^(k-1), t = 31, c1 = -1, taking one
/// off below zero; floor, or k = 0: all 0), and the kept state
/// is r (multiply) or s - r (shift: m = 1, k the constant; sub = -1).
struct Decay32 {
  std::vector<int32_t> m, k, c0, t, c1; // one value, or one per neuron
  int32_t sub = 0;
};

/// A neuron stage's parameters in 32 bits (one value each, or one per
/// neuron when `uniform` is false). A neuron fires when its membrane
/// exceeds `fireAbove` (theta, less one when it fires on equal).
struct NarrowPlan {
  Decay32 v, i;
  std::vector<int32_t> bias, theta, fireAbove, reset;
  int32_t vMin = 0, vMax = 0, iMin = 0, iMax = 0;
  int32_t subtract = 0; // -1: reset by subtracting theta
  bool uniform = true, current = false, fires = false, nextStep = false;
};

template <bool Uniform> using Param32 = Param<Uniform, int32_t>;

template <bool Uniform> struct DecayParams {
  Param32<Uniform> m, k, c0, t, c1;
  int32_t sub;
  explicit DecayParams(const Decay32 &d)
      : m(d.m), k(d.k), c0(d.c0), t(d.t), c1(d.c1), sub(d.sub) {}
  int32_t operator()(int32_t s, int64_t j) const {
    int32_t shift = k[j];
    int32_t x = s * m[j];
    int32_t r =
        (x + c0[j] + ((x >> t[j]) & c1[j])) >> shift;
    return (s & sub) + ((r ^ sub) - sub);
  }
};

inline int32_t clamp32(int32_t x, int32_t lo, int32_t hi) {
  x = x < lo ? lo : x;
  return x > hi ? hi : x;
}

/// The neuron update of a whole stage in 32 bits, as runNeurons computes it
/// in 64 (Fire: 0 does not fire, 1 resets in the same step, 2 in the
/// next): one pass without branches over contiguous arrays, so that the
/// compiler vectorizes it. Spikes go to `fired` (which also holds the last
/// step's, read when Fire is 2); a neuron that does not fire writes its
/// membrane to `y`. The input is x (Input 0: int64_t) or x + x2 (a sum
/// stage fused into the loop, Impl::planFusedSums; Input 1: of int64_t,
/// 2: of int32_t): its low 32 bits are those of the sum modulo 2^64.
/// Returns the results that had to saturate.
template <bool Uniform, bool Current, int Fire, bool Subtract, int Input>
SNN_EMU_ALWAYS_INLINE inline int64_t
narrowNeurons(const NarrowPlan &p, const void *__restrict in,
              const void *__restrict in2, int32_t *__restrict v,
              int32_t *__restrict i, uint8_t *__restrict fired,
              int64_t *__restrict y, int64_t n) {
  int32_t moved = 0;
  const int32_t vMin = p.vMin, vMax = p.vMax, iMin = p.iMin, iMax = p.iMax;
  const DecayParams<Uniform> vDecay(p.v), iDecay(p.i);
  const Param32<Uniform> bias(p.bias), theta(p.theta), above(p.fireAbove),
      reset(p.reset);
  const int64_t *__restrict x = static_cast<const int64_t *>(in),
                            *__restrict x2 = static_cast<const int64_t *>(in2);
  const int32_t *__restrict y1 = static_cast<const int32_t *>(in),
                            *__restrict y2 = static_cast<const int32_t *>(in2);
  for (int64_t j = 0; j < n; ++j) {
    int32_t drive =
        Input == 0 ? int32_t(x[j])
        : Input == 1
            ? int32_t(uint32_t(uint64_t(x[j])) + uint32_t(uint64_t(x2[j])))
            : int32_t(uint32_t(y1[j]) + uint32_t(y2[j]));
    if (Current) {
      int32_t sum = iDecay(i[j], j) + drive;
      int32_t f = clamp32(sum, iMin, iMax);
      moved += f != sum;
      i[j] = f;
      drive = f;
    }
    int32_t sum = vDecay(v[j], j) + drive + bias[j];
    int32_t u = clamp32(sum, vMin, vMax);
    moved += u != sum;
    if (Fire == 0) {
      v[j] = u;
      y[j] = u;
      continue;
    }
    // The reset of a membrane m: m - theta fitted, or the reset value.
    auto resetOf = [&](int32_t m, int32_t &saturated) {
      if (!Subtract) {
        saturated = 0;
        return reset[j];
      }
      int32_t d = m - theta[j];
      int32_t f = clamp32(d, vMin, vMax);
      saturated = f != d;
      return f;
    };
    int32_t saturated;
    int32_t r = resetOf(u, saturated);
    int32_t spike;
    if (Fire == 2) {
      int32_t before = fired[j];
      int32_t m = before ? r : u;
      moved += saturated & before;
      spike = m > above[j];
      v[j] = m;
    } else {
      spike = u > above[j];
      v[j] = spike ? r : u;
      moved += saturated & spike;
    }
    fired[j] = uint8_t(spike);
  }
  return moved;
}

using NarrowKernel = int64_t (*)(const NarrowPlan &, const void *,
                                 const void *, int32_t *, int32_t *,
                                 uint8_t *, int64_t *, int64_t);

/// The loop compiled for the baseline and, on x86-64, for AVX2 (eight
/// 32-bit lanes, vector min, max and multiply), chosen when the image is
/// loaded by what the processor has: the same operations, the same values.
template <bool Uniform, bool Current, int Fire, bool Subtract, int Input>
int64_t narrowBaseline(const NarrowPlan &p, const void *x, const void *x2,
                       int32_t *v, int32_t *i, uint8_t *fired, int64_t *y,
                       int64_t n) {
  return narrowNeurons<Uniform, Current, Fire, Subtract, Input>(p, x, x2, v, i,
                                                                fired, y, n);
}
#if SNN_EMU_AVX2
template <bool Uniform, bool Current, int Fire, bool Subtract, int Input>
__attribute__((target("avx2"))) int64_t
narrowAvx2(const NarrowPlan &p, const void *x, const void *x2, int32_t *v,
           int32_t *i, uint8_t *fired, int64_t *y, int64_t n) {
  return narrowNeurons<Uniform, Current, Fire, Subtract, Input>(p, x, x2, v, i,
                                                                fired, y, n);
}
#endif

template <bool Uniform, bool Current, int Fire, bool Subtract>
NarrowKernel narrowKernel(int input) {
#if SNN_EMU_AVX2
  if (__builtin_cpu_supports("avx2"))
    return input == 0 ? narrowAvx2<Uniform, Current, Fire, Subtract, 0>
           : input == 1 ? narrowAvx2<Uniform, Current, Fire, Subtract, 1>
                        : narrowAvx2<Uniform, Current, Fire, Subtract, 2>;
#endif
  return input == 0 ? narrowBaseline<Uniform, Current, Fire, Subtract, 0>
         : input == 1 ? narrowBaseline<Uniform, Current, Fire, Subtract, 1>
                      : narrowBaseline<Uniform, Current, Fire, Subtract, 2>;
}

template <bool Uniform, bool Current>
NarrowKernel narrowKernelOf(const NarrowPlan &p, int input) {
  if (!p.fires)
    return narrowKernel<Uniform, Current, 0, false>(input);
  bool subtract = p.subtract != 0;
  if (p.nextStep)
    return subtract ? narrowKernel<Uniform, Current, 2, true>(input)
                    : narrowKernel<Uniform, Current, 2, false>(input);
  return subtract ? narrowKernel<Uniform, Current, 1, true>(input)
                  : narrowKernel<Uniform, Current, 1, false>(input);
}

template <bool Uniform>
NarrowKernel narrowKernelOf(const NarrowPlan &p, int input) {
  return p.current ? narrowKernelOf<Uniform, true>(p, input)
                   : narrowKernelOf<Uniform, false>(p, input);
}

NarrowKernel narrowKernelOf(const NarrowPlan &p, int input) {
  return p.uniform ? narrowKernelOf<true>(p, input)
                   : narrowKernelOf<false>(p, input);
}

/// out = a + b element by element (out may be a), baseline or AVX2 as the
/// neuron loop.
SNN_EMU_ALWAYS_INLINE inline void addLoop(uint64_t *out, const uint64_t *a,
                                          const uint64_t *b, size_t n) {
  for (size_t j = 0; j < n; ++j)
    out[j] = a[j] + b[j];
}
void addBaseline(uint64_t *out, const uint64_t *a, const uint64_t *b,
                 size_t n) {
  addLoop(out, a, b, n);
}
#if SNN_EMU_AVX2
__attribute__((target("avx2"))) void
addAvx2(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t n) {
  addLoop(out, a, b, n);
}
#endif
void addArrays(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t n) {
#if SNN_EMU_AVX2
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (avx2)
    return addAvx2(out, a, b, n);
#endif
  addBaseline(out, a, b, n);
}

/// The counts below use the sign bit of x | -x (1 when x is non-zero), which
/// baseline SSE2 vectorizes; 32-bit values are counted in 32-bit lanes, in
/// blocks too short for a lane to overflow.
constexpr size_t kCountBlock = size_t(1) << 30;

/// How many of values[0, n) are non-zero.
int64_t countNonzero(const int64_t *values, size_t n) {
  uint64_t count = 0;
  for (size_t j = 0; j < n; ++j)
    count += (uint64_t(values[j]) | (0 - uint64_t(values[j]))) >> 63;
  return int64_t(count);
}
int64_t countNonzero(const int32_t *values, size_t n) {
  int64_t count = 0;
  for (size_t first = 0; first < n; first += kCountBlock) {
    size_t end = std::min(n, first + kCountBlock);
    uint32_t block = 0;
    for (size_t j = first; j < end; ++j)
      block += (uint32_t(values[j]) | (0 - uint32_t(values[j]))) >> 31;
    count += block;
  }
  return count;
}

/// How many of a[j] + b[j] (32-bit terms, summed in 64 bits) are non-zero:
/// their 32-bit sum is, or a[j] = b[j] = INT32_MIN (a sum of -2^32).
int64_t countNonzero(const int16_t *values, size_t n) {
  uint64_t count = 0;
  for (size_t j = 0; j < n; ++j)
    count += values[j] != 0;
  return int64_t(count);
}
/// How many of a[j] + b[j] (16-bit terms, their sum exact in 32) are
/// non-zero.
int64_t countNonzeroSums(const int16_t *a, const int16_t *b, size_t n) {
  uint64_t count = 0;
  for (size_t j = 0; j < n; ++j)
    count += int32_t(a[j]) + int32_t(b[j]) != 0;
  return int64_t(count);
}
int64_t countNonzeroSums(const int32_t *a, const int32_t *b, size_t n) {
  int64_t count = 0;
  for (size_t first = 0; first < n; first += kCountBlock) {
    size_t end = std::min(n, first + kCountBlock);
    uint32_t block = 0;
    for (size_t j = first; j < end; ++j) {
      uint32_t sum = uint32_t(a[j]) + uint32_t(b[j]);
      uint32_t wrapped = uint32_t(a[j] == INT32_MIN) << 31;
      block += (sum | (0 - sum) | wrapped) >> 31;
    }
    count += block;
  }
  return count;
}

/// The positions of the non-zero bytes of flags[0, n), in order, into
/// `list` (snn_active_i8: a word at a time, most words are zero), through
/// `scratch` of n entries.
void listFlags(const uint8_t *flags, int64_t n, std::vector<int32_t> &scratch,
               std::vector<int32_t> &list) {
  scratch.resize(size_t(n));
  int32_t count = snn_active_i8(reinterpret_cast<const int8_t *>(flags),
                                int32_t(n), scratch.data());
  list.assign(scratch.begin(), scratch.begin() + count);
}

struct Stage {
  StageKind kind = StageKind::Reshape;
  std::string name;
  std::vector<int> inputs;
  int output = -1;
  int64_t size = 0;
  std::vector<int> cores; // core index per slice
  std::vector<int64_t> splits;
  std::vector<double> unit;
  int64_t saturations = 0;
  // Synapses.
  std::vector<int32_t> offsets, targets, weights;
  std::vector<int64_t> bias;
  int weightExp = 0, accBits = 64;
  int overflow = SNN_SATURATE;
  int sourceStage = -2; // neuron stage feeding it; -1: a network input
  bool hiddenToHidden = false;
  std::vector<int64_t> acc;
  // Dense-format tables from spikes whose every row sum fits 32 bits run as
  // a weight matrix (column per source) into 32-bit accumulators: the same
  // sums, vectorizable.
  bool denseSpikes = false;
  std::vector<int32_t> matrix, acc32;
  // Quantize.
  int port = -1, bits = 0;
  std::vector<double> scale;
  // Delay.
  std::vector<int64_t> delaySteps;
  int64_t maxDelay = 1;
  std::vector<std::vector<int64_t>> ring;
  // Neurons.
  int vBits = 16, iBits = 0, arith = SNN_DECAY_MULTIPLY, decayShift = 0,
      rounding = SNN_NEAREST_EVEN;
  // Lava's LIF (image version 2): the current's own overflow, the input's
  // width and shift.
  int iOverflow = SNN_SATURATE, inputShift = 0, inputBits = 0;
  bool hasCurrent = false, vLeaks = false, iLeaks = false, fires = false,
       subtract = true, nextStep = false, fireOnEqual = false;
  bool hidden = false, isOutput = false;
  std::vector<int64_t> vDecay, iDecay, vBias, theta, vReset;
  std::vector<double> vUnit, iUnit;
  std::vector<int64_t> v, i, prev;
  // Where each slice's spikes go.
  std::vector<std::vector<RouteTarget>> routes;
  // A Xylo core (image version 3), and the input port it reads, if any.
  std::shared_ptr<XyloCore> xylo;
  // Event-driven delivery (Impl::planEvents): each output holds `base` (its
  // bias) plus the weights of this step's active sources; the outputs the
  // last step's sources touched are put back to `base` first. Weights are
  // pre-shifted by weight_exp; sliceEvents[j * slices + s] counts source
  // j's targets on slice s.
  bool eventDriven = false, fresh = true;
  double rowBound = 0; // largest |output| of an event-driven table
  std::vector<int64_t> scaledWeights, base;
  std::vector<int32_t> sliceEvents, lastActive;
  // 32-bit neurons (Impl::planNarrow): states as int32, the step's spikes
  // as flags and as a list; v and i above are filled from v32 and i32 when
  // read.
  bool narrow = false;
  NarrowPlan plan;
  NarrowKernel kernel = nullptr;
  std::vector<int32_t> v32, i32, lastSpikes;
  // 16-bit neurons (Impl::planNarrow, Narrow16.h): states as int16, in
  // place of v32 and i32.
  bool narrow16 = false;
  Narrow16Plan plan16;
  Narrow16Kernel kernel16 = nullptr;
  std::vector<int16_t> v16, i16;
  // A sum of two signals read only by one 32-bit neuron stage
  // (Impl::planFusedSums): the neurons add its inputs themselves, `fused`
  // (on the neurons) names them; the sum stage (`deferred`) only marks its
  // output `stale` and computes it when someone reads it.
  std::vector<int> fused;
  bool deferred = false, stale = false;
  // An event-driven table whose every partial sum fits 32 bits (fits32)
  // and which only such a fused sum reads keeps its outputs in out32
  // (narrowOut), widened to the signal when read.
  bool fits32 = false, narrowOut = false;
  std::vector<int32_t> out32, weights32, base32;
  // narrowOut read by a 16-bit neuron stage (Narrow16.h) whose input bound
  // fits 16 bits: the outputs in out16 instead of out32.
  bool out16Only = false;
  std::vector<int16_t> out16, base16;
  // out16Only without bias: the neuron loop zeroes each output as it reads
  // it, so no step puts the last step's targets back; the outputs are
  // rebuilt from lastActive when read (materialize).
  bool consumed = false;
  // narrowOut with at most 2^16 outputs and 16-bit weights: each synapse's
  // target (low half) and weight (high half) in one word, half the bytes
  // the event loop reads.
  std::vector<uint32_t> packed;
  std::vector<uint8_t> fired;
  std::vector<int32_t> firedScratch; // listFlags
  // A delay of a listed spike signal by the same steps everywhere: the
  // sources active in each of the last maxDelay steps.
  bool sparseDelay = false;
  std::vector<std::vector<int32_t>> ringLists;
  // The elements this process computes (all, unless distributed).
  std::vector<std::pair<int64_t, int64_t>> owned;
};

template <typename T, typename V>
std::vector<T> copyOf(const V *values) {
  return values ? std::vector<T>(values->begin(), values->end())
                : std::vector<T>();
}

/// One value per element from an empty (absent), single or full list.
std::vector<int64_t> expand(const flatbuffers::Vector<int64_t> *v, int64_t n,
                            int64_t absent) {
  if (!v || v->size() == 0)
    return std::vector<int64_t>(n, absent);
  if (v->size() == 1)
    return std::vector<int64_t>(n, v->Get(0));
  return std::vector<int64_t>(v->begin(), v->end());
}

std::vector<double> expandReal(const flatbuffers::Vector<double> *v,
                               int64_t n) {
  if (v->size() == 1)
    return std::vector<double>(n, v->Get(0));
  return std::vector<double>(v->begin(), v->end());
}

/// The image's enums as snn_arith.h's constants (the image was checked:
/// every value is one the schema defines).
int overflowOf(image::Overflow o) {
  switch (o) {
  case image::Overflow::Wrap:
    return SNN_WRAP;
  case image::Overflow::WrapOnce:
    return SNN_WRAP_ONCE;
  case image::Overflow::SaturateSymmetric:
    return SNN_SATURATE_SYMMETRIC;
  default:
    return SNN_SATURATE;
  }
}

int roundingOf(image::Rounding r) {
  switch (r) {
  case image::Rounding::Floor:
    return SNN_FLOOR;
  case image::Rounding::HalfAway:
    return SNN_HALF_AWAY;
  case image::Rounding::TowardZero:
    return SNN_TOWARD_ZERO;
  default:
    return SNN_NEAREST_EVEN;
  }
}

double unitAt(const std::vector<double> &unit, int64_t j) {
  if (unit.empty())
    return 1;
  return unit[unit.size() == 1 ? 0 : j];
}

/// An input value as an event count for a Xylo core: whole counts as they
/// are, anything not positive (NaN too) as 0, large values held at 255 (the
/// core clips at 15 anyway).
int64_t eventCount(double x) {
  if (!(x > 0))
    return 0;
  return x >= 255 ? 255 : int64_t(x);
}

/// a + b modulo 2^64: the exact sum whenever it fits, never undefined.
int64_t wrappingSum(int64_t a, int64_t b) {
  return int64_t(uint64_t(a) + uint64_t(b));
}

/// snn_shift_input, except that an input of unlimited width (bits = 0) is
/// shifted modulo 2^64: a crafted image must not make it undefined.
int64_t shiftInput(int64_t x, int shift, int bits) {
  if (bits > 0)
    return snn_shift_input(x, shift, bits);
  return int64_t(uint64_t(x) << shift);
}

} // namespace

struct Emulator::Impl {
  std::shared_ptr<const image::ChipImage> image;
  const image::Chip &chip;
  std::vector<Stage> stages;
  std::vector<size_t> delays;
  std::vector<std::vector<int64_t>> signals;
  std::vector<std::vector<double>> realInputs;
  std::vector<int> inputSignals, outputSignals, outputStages;
  // Inputs read by a Xylo core carry event counts, not 0/1 spikes.
  std::vector<bool> countInputs;
  bool xyloCores = false;
  std::vector<std::vector<RouteTarget>> inputRoutes; // per input port
  std::map<std::string, int> stageByName;
  int64_t time = 0;
  int meshWidth = 1, meshHeight = 1;
  std::vector<int> coreIds, coreNode;
  const image::CostModel &cost; // read and checked when the image loaded
  bool xyloModel = false;
  // Counters.
  Counters step, total;
  std::vector<CoreCounters> stepCores, totalCores;
  std::vector<int64_t> linkLoad, linkTotal;
  // The links some route crosses: the only ones a step can load (all of
  // them when distributed, where other ranks' counts arrive).
  std::vector<int> usedLinks;
  int maxHopsThisStep = 0;
  XyloActivity xylo;
  int64_t inputDestinations = 0; // neurons an input event reaches (Xylo)
  int64_t stepInputEvents = 0, stepHiddenSpikes = 0, stepHiddenEvents = 0;

  explicit Impl(std::shared_ptr<const image::ChipImage> img)
      : image(std::move(img)), chip(image->chip()), cost(image->costModel()) {}

  int coreIndex(int id) const {
    return int(std::find(coreIds.begin(), coreIds.end(), id) - coreIds.begin());
  }
  // On-chip links and the host port's (chip-to-chip links follow them).
  int linkCount() const { return system->meshLinks(); }
  std::unique_ptr<ChipSystem> system;
  std::unique_ptr<Distribution> dist; // one rank of several
  int maxChipHopsThisStep = 0;
  bool host() const { return !dist || dist->rank() == 0; }
  void restrictRows(Stage &st);
  void syncStates(); // membranes and currents from their ranks
  int64_t statesSyncedAt = -1;
  std::vector<int64_t> saturationsSeen; // summed over ranks so far
  std::vector<int64_t> stageNonzeros;   // last step, summed over ranks
  void exchangeEnd();
  RouteTarget path(int fromCore, int toCore, int hops) const;

  // Spike signals whose non-zero elements (all 1) some producer lists each
  // step: input ports, firing neurons, delays of those. Event-driven
  // stages read the list instead of scanning the signal.
  std::vector<std::vector<int32_t>> lists;
  std::vector<bool> listed;
  std::vector<bool> inputSpikes;     // per input port
  std::vector<int64_t> inputEvents;  // per input port: its non-zero values
  std::vector<std::vector<double>> outputUnits; // per output, per element
  std::vector<bool> quantizedInputs; // per input port: a Quantize reads it
  std::vector<int32_t> scratch;      // an input port's size

  void build();
  std::vector<double> signalBounds() const;
  void planEvents(Stage &st);
  void planNarrow(Stage &st, const std::vector<double> &bounds);
  /// signalBounds, tightened by the event-driven tables' row sums.
  std::vector<double> tightBounds() const;
  void planFastPaths();
  void planFusedSums();
  void leaveFastPaths();
  // Per signal: the stage writing it when that stage may leave it stale (a
  // deferred sum, a table kept in 32 bits), else -1.
  std::vector<int> lazyOf;
  void materialize(size_t signal);
  void packSynapses(Stage &table);
  int64_t nonzeroOf(size_t signal);
  void countSlices(Stage &st, const std::vector<int64_t> &y);
  template <typename T, typename Synapses>
  void deliver(Stage &st, T *out, Synapses synapses, const T *base);
  /// deliver into the 16- or 32-bit outputs of a narrowOut table, which
  /// stay stale until read.
  template <typename T> void deliverNarrow(Stage &st, T *out, const T *base);
  void addInputs(Stage &st);
  void runEvents(Stage &st);
  void runNarrow(Stage &st);
  void sendSliceSpikes(Stage &st, const std::vector<int32_t> &spikes);
  void configureStage(const image::Stage &s, Stage &st);
  void classify();
  void sendSpikes(const std::vector<RouteTarget> &targets, int64_t spikes);
  void runSynapses(Stage &st);
  void runNeurons(Stage &st);
  void runXylo(Stage &st);
  void runStage(Stage &st);
  void runSum(Stage &st);
  void finishStep();
};

RouteTarget Emulator::Impl::path(int fromCore, int toCore, int hops) const {
  RouteTarget r;
  r.hops = hops;
  r.links = system->route(fromCore < 0 ? -1 : coreNode[fromCore],
                          coreNode[toCore], r.chipHops);
  return r;
}

void Emulator::Impl::configureStage(const image::Stage &s, Stage &st) {
  st.kind = s.kind();
  st.name = s.name() ? s.name()->str() : "";
  st.inputs = copyOf<int>(s.inputs());
  st.output = s.output();
  st.size = chip.signals()->Get(st.output)->size();
  st.unit = copyOf<double>(chip.signals()->Get(st.output)->unit());
  st.splits = copyOf<int64_t>(s.splits());
  if (s.cores())
    for (int id : *s.cores())
      st.cores.push_back(coreIndex(id));
  switch (st.kind) {
  case StageKind::Quantize: {
    st.scale = expandReal(s.quantize()->scale(), st.size);
    st.bits = s.quantize()->bits();
    for (size_t p = 0; p < inputSignals.size(); ++p)
      if (inputSignals[p] == st.inputs[0])
        st.port = int(p);
    break;
  }
  case StageKind::Synapses: {
    const image::Synapses *t = s.synapses();
    st.offsets = copyOf<int32_t>(t->offsets());
    st.targets = copyOf<int32_t>(t->targets());
    st.weights = copyOf<int32_t>(t->weights());
    st.bias = copyOf<int64_t>(t->bias());
    st.weightExp = t->weight_exp();
    st.accBits = t->acc_bits();
    st.overflow = overflowOf(t->overflow());
    st.acc.assign(st.size, 0);
    bool spikes = chip.signals()->Get(st.inputs[0])->spikes();
    int64_t cols = int64_t(st.offsets.size()) - 1;
    if (t->format() == image::SynapseFormat::Dense && spikes &&
        st.size * cols <= (int64_t(1) << 26)) {
      std::vector<int64_t> rowSum(st.size, 0);
      for (size_t k = 0; k < st.targets.size(); ++k)
        rowSum[st.targets[k]] += std::abs(int64_t(st.weights[k]));
      if (*std::max_element(rowSum.begin(), rowSum.end()) < (int64_t(1) << 31)) {
        st.denseSpikes = true;
        st.matrix.assign(size_t(st.size * cols), 0);
        for (int64_t j = 0; j < cols; ++j)
          for (int32_t k = st.offsets[j]; k < st.offsets[j + 1]; ++k)
            st.matrix[size_t(j * st.size + st.targets[k])] = st.weights[k];
        st.acc32.assign(st.size, 0);
      }
    }
    break;
  }
  case StageKind::Neurons: {
    const image::Neurons *n = s.neurons();
    int64_t size = st.size;
    st.vBits = n->v_bits();
    st.iBits = n->i_bits();
    st.hasCurrent = st.iBits != 0;
    st.arith = n->decay() == image::DecayArith::Shift ? SNN_DECAY_SHIFT
                                                      : SNN_DECAY_MULTIPLY;
    st.decayShift = n->decay_shift();
    st.rounding = roundingOf(n->rounding());
    st.overflow = overflowOf(n->overflow());
    st.iOverflow = n->i_overflow() ? overflowOf(*n->i_overflow()) : st.overflow;
    st.inputShift = n->input_shift();
    st.inputBits = n->input_bits();
    st.vLeaks = n->v_decay() && n->v_decay()->size();
    st.iLeaks = n->i_decay() && n->i_decay()->size();
    st.fires = n->v_threshold() && n->v_threshold()->size();
    st.vDecay = expand(n->v_decay(), size, 0);
    st.iDecay = expand(n->i_decay(), size, 0);
    st.vBias = expand(n->v_bias(), size, 0);
    st.theta = expand(n->v_threshold(), size, 0);
    st.vReset = expand(n->v_reset(), size, 0);
    st.subtract = n->reset_subtract();
    st.nextStep = n->reset_next_step();
    st.fireOnEqual = n->fire_on_equal();
    st.vUnit = copyOf<double>(n->v_unit());
    st.iUnit = copyOf<double>(n->i_unit());
    break;
  }
  case StageKind::Delay:
    st.delaySteps = copyOf<int64_t>(s.delay_steps());
    st.maxDelay = *std::max_element(st.delaySteps.begin(), st.delaySteps.end());
    break;
  case StageKind::Sum:
  case StageKind::Reshape:
    break;
  case StageKind::Xylo:
    st.xylo = std::make_shared<XyloCore>(
        *s.xylo(), chip.signals()->Get(st.inputs[0])->size(), st.size);
    for (size_t p = 0; p < inputSignals.size(); ++p)
      if (inputSignals[p] == st.inputs[0]) {
        st.port = int(p);
        countInputs[p] = true;
      }
    break;
  }
  st.routes.assign(std::max<size_t>(st.cores.size(), 1), {});
}

/// Which populations are hidden and which are read out, and where each
/// table's events come from: Rockpool's cycle model prices them apart.
void Emulator::Impl::classify() {
  std::vector<int> producer(signals.size(), -1);
  for (size_t k = 0; k < stages.size(); ++k)
    producer[stages[k].output] = int(k);
  auto origin = [&](int signal) {
    // Through reshapes and delays to the stage that computes the values (a
    // loop of delays alone computes nothing: bounded by the stage count).
    for (size_t hops = 0; producer[signal] >= 0 && hops <= stages.size();
         ++hops) {
      const Stage &st = stages[producer[signal]];
      if (st.kind != StageKind::Reshape && st.kind != StageKind::Delay &&
          st.kind != StageKind::Quantize)
        return producer[signal];
      signal = st.inputs[0];
    }
    return -1; // a network input
  };
  for (int signal : outputSignals) {
    int k = origin(signal);
    if (k >= 0 && stages[k].kind == StageKind::Neurons)
      stages[k].isOutput = true;
  }
  for (Stage &st : stages)
    if (st.kind == StageKind::Neurons && !st.isOutput)
      st.hidden = true;
  // The population a table feeds: its reader, possibly through a sum.
  std::vector<std::vector<int>> readers(signals.size());
  for (size_t k = 0; k < stages.size(); ++k)
    for (int in : stages[k].inputs)
      readers[in].push_back(int(k));
  for (Stage &st : stages) {
    if (st.kind != StageKind::Synapses)
      continue;
    st.sourceStage = origin(st.inputs[0]);
    bool feedsHidden = false;
    for (int r : readers[st.output]) {
      const Stage *reader = &stages[r];
      if (reader->kind == StageKind::Sum && !readers[reader->output].empty())
        reader = &stages[readers[reader->output][0]];
      feedsHidden |= reader->kind == StageKind::Neurons && reader->hidden;
    }
    bool fromHidden = st.sourceStage >= 0 &&
                      stages[st.sourceStage].kind == StageKind::Neurons &&
                      stages[st.sourceStage].hidden;
    st.hiddenToHidden = fromHidden && feedsHidden;
    if (st.sourceStage == -1)
      inputDestinations += st.size;
    if (st.hiddenToHidden)
      xylo.hiddenSynapses += int64_t(st.targets.size());
  }
  for (int signal : inputSignals)
    xylo.inputs += int64_t(signals[signal].size());
  for (const Stage &st : stages) {
    if (st.hidden)
      xylo.hidden += st.size;
    if (st.isOutput)
      xylo.outputs += st.size;
    if (st.xylo) {
      xyloCores = true;
      xylo.hidden += st.xylo->hidden();
      xylo.outputs += st.xylo->outputs();
      xylo.hiddenSynapses += st.xylo->recurrentSynapses();
    }
  }
}

void Emulator::Impl::build() {
  meshWidth = chip.mesh_width();
  meshHeight = chip.mesh_height();
  system = std::make_unique<ChipSystem>(chip);
  for (size_t k = 0; k < chip.cores()->size(); ++k) {
    coreIds.push_back(chip.cores()->Get(k)->id());
    coreNode.push_back(system->nodeOfCore(k));
  }
  xyloModel = cost.model == image::CycleModel::XyloAnalytic;
  signals.resize(chip.signals()->size());
  for (size_t k = 0; k < signals.size(); ++k)
    signals[k].assign(chip.signals()->Get(k)->size(), 0);
  for (const image::Port *p : *chip.inputs())
    inputSignals.push_back(p->signal());
  for (const image::Port *p : *chip.outputs()) {
    outputSignals.push_back(p->signal());
    const image::Signal *signal = chip.signals()->Get(p->signal());
    std::vector<double> unit(size_t(signal->size()), 1.0);
    if (signal->unit() && signal->unit()->size())
      for (size_t j = 0; j < unit.size(); ++j)
        unit[j] = signal->unit()->Get(signal->unit()->size() == 1 ? 0 : j);
    outputUnits.push_back(std::move(unit));
  }
  realInputs.resize(inputSignals.size());
  countInputs.assign(inputSignals.size(), false);
  inputEvents.assign(inputSignals.size(), 0);
  for (int signal : inputSignals)
    inputSpikes.push_back(chip.signals()->Get(signal)->spikes());
  for (size_t k = 0; k < inputSignals.size(); ++k)
    realInputs[k].assign(signals[inputSignals[k]].size(), 0.0);
  stages.resize(chip.stages()->size());
  for (size_t k = 0; k < stages.size(); ++k) {
    configureStage(*chip.stages()->Get(k), stages[k]);
    stageByName[stages[k].name] = int(k);
    if (stages[k].kind == StageKind::Delay)
      delays.push_back(k);
  }
  for (int signal : outputSignals) {
    int found = -1;
    for (size_t k = 0; k < stages.size(); ++k)
      if (stages[k].output == signal)
        found = int(k);
    outputStages.push_back(found);
  }
  // Routing tables onto stage slices and input ports.
  inputRoutes.resize(inputSignals.size());
  if (chip.routes())
    for (const image::Route *r : *chip.routes()) {
      std::string source = r->source() ? r->source()->str() : "";
      std::vector<RouteTarget> targets;
      for (size_t d = 0; r->to() && d < r->to()->size(); ++d) {
        int to = coreIndex(r->to()->Get(d));
        int from = r->from() < 0 ? -1 : coreIndex(r->from());
        if (to >= int(coreIds.size()) || from >= int(coreIds.size()))
          continue;
        int hops = r->hops() && d < r->hops()->size() ? r->hops()->Get(d) : 0;
        targets.push_back(path(from, to, hops));
      }
      auto it = stageByName.find(source);
      if (it != stageByName.end()) {
        Stage &st = stages[it->second];
        if (r->slice() >= 0 && size_t(r->slice()) < st.routes.size())
          st.routes[r->slice()] = targets;
        continue;
      }
      for (size_t p = 0; p < inputSignals.size(); ++p)
        if (chip.inputs()->Get(p)->name() &&
            chip.inputs()->Get(p)->name()->str() == source)
          inputRoutes[p] = targets;
    }
  classify();
  stepCores.assign(coreIds.size(), {});
  totalCores.assign(coreIds.size(), {});
  linkLoad.assign(system->numLinks(), 0);
  linkTotal.assign(system->numLinks(), 0);
  auto use = [&](const std::vector<RouteTarget> &targets) {
    for (const RouteTarget &t : targets)
      usedLinks.insert(usedLinks.end(), t.links.begin(), t.links.end());
  };
  for (const std::vector<RouteTarget> &targets : inputRoutes)
    use(targets);
  for (const Stage &st : stages)
    for (const std::vector<RouteTarget> &targets : st.routes)
      use(targets);
  std::sort(usedLinks.begin(), usedLinks.end());
  usedLinks.erase(std::unique(usedLinks.begin(), usedLinks.end()),
                  usedLinks.end());
  for (Stage &st : stages)
    st.owned = {{0, st.size}};
  planFastPaths();
}

//===----------------------------------------------------------------------===//
// Fast paths: chosen once from what the image proves, bit for bit the
// general code's results
//===----------------------------------------------------------------------===//

/// An upper bound of |value| per signal from the stages that produce it
/// (infinity where nothing bounds it): synapse sums fit acc_bits, spikes
/// are 0 or 1, membranes fit v_bits. Every bound starts unbounded and
/// tightens pass by pass, so a loop through a delay keeps valid bounds.
std::vector<double> Emulator::Impl::signalBounds() const {
  const double inf = std::numeric_limits<double>::infinity();
  auto power = [&](int bits) {
    return bits > 0 && bits < 63 ? std::ldexp(1.0, bits - 1) : inf;
  };
  std::vector<double> bound(signals.size(), inf);
  for (size_t p = 0; p < inputSignals.size(); ++p)
    if (inputSpikes[p])
      bound[inputSignals[p]] = countInputs[p] ? 255 : 1;
  for (size_t pass = 0; pass <= stages.size(); ++pass) {
    bool changed = false;
    for (const Stage &st : stages) {
      double b = inf;
      switch (st.kind) {
      case StageKind::Quantize:
        b = power(st.bits);
        break;
      case StageKind::Synapses:
        b = power(st.accBits);
        break;
      case StageKind::Neurons:
        b = st.fires ? 1 : power(st.vBits);
        break;
      case StageKind::Sum:
        b = 0;
        for (int in : st.inputs)
          b += bound[in];
        break;
      case StageKind::Delay:
      case StageKind::Reshape:
        b = bound[st.inputs[0]];
        break;
      case StageKind::Xylo:
        break;
      }
      if (b < bound[st.output]) {
        bound[st.output] = b;
        changed = true;
      }
    }
    if (!changed)
      break;
  }
  return bound;
}

std::vector<double> Emulator::Impl::tightBounds() const {
  std::vector<double> bound = signalBounds();
  // Stages run in order, so one pass sees every table before its sums
  // (a sum fed through a delay keeps the looser bound).
  for (const Stage &st : stages) {
    double b = bound[size_t(st.output)];
    if (st.kind == StageKind::Synapses && st.eventDriven)
      b = std::min(b, st.rowBound);
    if (st.kind == StageKind::Sum) {
      double total = 0;
      for (int in : st.inputs)
        total += bound[size_t(in)];
      b = std::min(b, total);
    }
    bound[size_t(st.output)] = b;
  }
  return bound;
}

/// Event-driven delivery for a table whose input is a listed spike signal
/// (every value 0 or 1) and whose every output provably fits acc_bits (the
/// largest sum of |weight|·2^weight_exp into it plus |bias|): fitting is
/// then the identity and nothing saturates, so each output is its bias
/// plus the weights of this step's spikes, kept from step to step.
void Emulator::Impl::planEvents(Stage &st) {
  if (!listed[st.inputs[0]] || st.weightExp < 0 || st.weightExp > 32 ||
      st.accBits < 2 || st.accBits > 62)
    return;
  std::vector<__int128> largest(size_t(st.size), 0);
  for (size_t k = 0; k < st.targets.size(); ++k)
    largest[size_t(st.targets[k])] +=
        __int128(std::abs(int64_t(st.weights[k]))) << st.weightExp;
  __int128 max = (__int128(1) << (st.accBits - 1)) - 1, widest = 0;
  for (int64_t r = 0; r < st.size; ++r) {
    __int128 bias = st.bias.empty() ? 0 : st.bias[size_t(r)];
    __int128 row = largest[size_t(r)] + (bias < 0 ? -bias : bias);
    if (row > max)
      return;
    widest = std::max(widest, row);
  }
  st.eventDriven = true;
  st.fits32 = widest < (__int128(1) << 31);
  st.rowBound = double(widest);
  st.denseSpikes = false; // the matrix would only be read by the general code
  st.matrix = {};
  st.acc32 = {};
  st.scaledWeights.resize(st.weights.size());
  for (size_t k = 0; k < st.weights.size(); ++k)
    st.scaledWeights[k] =
        int64_t(uint64_t(int64_t(st.weights[k])) << st.weightExp);
  st.base = st.bias.empty() ? std::vector<int64_t>(size_t(st.size), 0)
                            : st.bias;
  size_t sources = st.offsets.size() - 1, slices = st.cores.size();
  st.lastActive.reserve(sources);
  if (slices > 1) {
    st.sliceEvents.assign(sources * slices, 0);
    for (size_t j = 0; j < sources; ++j) {
      const int32_t *from = st.targets.data() + st.offsets[j],
                    *end = st.targets.data() + st.offsets[j + 1];
      for (size_t s = 0; s < slices; ++s) {
        const int32_t *to =
            std::lower_bound(from, end, int32_t(st.splits[s + 1]));
        st.sliceEvents[j * slices + s] = int32_t(to - from);
        from = to;
      }
    }
  }
}

namespace {

/// A state's decay as Decay32 from the image's constants (one or one per
/// neuron).
Decay32 decayPlan(bool leaks, int arith, const std::vector<int64_t> &constants,
                  int decayShift, int rounding) {
  Decay32 d;
  d.sub = leaks && arith == SNN_DECAY_SHIFT ? -1 : 0;
  for (int64_t c : constants) {
    int32_t m = 1, k = 0;
    if (leaks && arith == SNN_DECAY_MULTIPLY) {
      m = int32_t(c);
      k = std::max(decayShift, 0);
    } else if (leaks) {
      k = int32_t(std::max<int64_t>(c, 0));
    }
    int32_t half = k > 0 ? int32_t(1) << (k - 1) : 0;
    d.m.push_back(m);
    d.k.push_back(k);
    d.c0.push_back(k == 0                        ? 0
                   : rounding == SNN_NEAREST_EVEN ? half - 1
                   : rounding == SNN_HALF_AWAY    ? half
                                                  : 0);
    d.t.push_back(k == 0                        ? 0
                  : rounding == SNN_NEAREST_EVEN ? k
                  : rounding == SNN_HALF_AWAY    ? 31
                                                 : 0);
    d.c1.push_back(k == 0                        ? 0
                   : rounding == SNN_NEAREST_EVEN ? 1
                   : rounding == SNN_HALF_AWAY    ? -1
                                                  : 0);
  }
  return d;
}

std::vector<int32_t> narrowed(const std::vector<int64_t> &v, bool uniform) {
  if (uniform)
    return {int32_t(v.empty() ? 0 : v[0])};
  return std::vector<int32_t>(v.begin(), v.end());
}

} // namespace

/// 32-bit neurons (narrowNeurons) where every value provably fits, as the
/// generated C's (docs/performance.md): states of at most 16 bits that
/// saturate, decay multipliers below 2^15 (so s·m fits 31 bits) or shift
/// constants up to 30, round-to-nearest-even, half-away or floor, and the
/// input's bound plus the kept state and bias below 2^30.
void Emulator::Impl::planNarrow(Stage &st, const std::vector<double> &bounds) {
  if (st.xylo || st.vBits < 2 || st.vBits > 16 ||
      (st.hasCurrent && (st.iBits < 2 || st.iBits > 16)) ||
      st.overflow != SNN_SATURATE ||
      (st.hasCurrent && st.iOverflow != SNN_SATURATE) || st.inputShift != 0 ||
      st.inputBits != 0 || st.rounding == SNN_TOWARD_ZERO ||
      st.decayShift > 30)
    return;
  const double limit = std::ldexp(1.0, 30), state = std::ldexp(1.0, 15);
  // The largest |kept state| after a decay.
  auto kept = [&](bool leaks, const std::vector<int64_t> &constants,
                  bool &ok) -> double {
    if (!leaks)
      return state;
    if (st.arith == SNN_DECAY_SHIFT) {
      for (int64_t c : constants)
        ok &= c <= 30;
      return 2 * state;
    }
    int64_t m = largestAbs(constants);
    ok &= m < (int64_t(1) << 15);
    return std::ldexp(state * double(m), -std::max(st.decayShift, 0)) + 1;
  };
  bool ok = true;
  double drive = bounds[st.inputs[0]];
  if (st.hasCurrent) {
    double current = kept(st.iLeaks, st.iDecay, ok);
    ok = ok && current + drive <= limit;
    drive = state;
  }
  double membrane = kept(st.vLeaks, st.vDecay, ok);
  ok = ok && membrane + drive + double(largestAbs(st.vBias)) <= limit;
  int64_t vMax = (int64_t(1) << (st.vBits - 1)) - 1, vMin = -vMax - 1;
  if (st.fires) {
    ok &= largestAbs(st.theta) <= (int64_t(1) << 29);
    if (!st.subtract)
      for (int64_t r : st.vReset)
        ok &= r >= vMin && r <= vMax;
  }
  if (!ok)
    return;
  NarrowPlan &p = st.plan;
  p.uniform = allEqual(st.vDecay) && allEqual(st.iDecay) &&
              allEqual(st.vBias) && allEqual(st.theta) && allEqual(st.vReset);
  auto pick = [&](const std::vector<int64_t> &v) {
    return p.uniform ? std::vector<int64_t>(1, v.empty() ? 0 : v[0]) : v;
  };
  p.v = decayPlan(st.vLeaks, st.arith, pick(st.vDecay), st.decayShift,
                  st.rounding);
  p.i = decayPlan(st.iLeaks, st.arith, pick(st.iDecay), st.decayShift,
                  st.rounding);
  p.bias = narrowed(st.vBias, p.uniform);
  p.theta = narrowed(st.theta, p.uniform);
  p.fireAbove = p.theta;
  for (int32_t &t : p.fireAbove)
    t -= st.fireOnEqual ? 1 : 0;
  p.reset = narrowed(st.vReset, p.uniform);
  p.vMin = int32_t(vMin);
  p.vMax = int32_t(vMax);
  if (st.hasCurrent) {
    p.iMax = int32_t((int64_t(1) << (st.iBits - 1)) - 1);
    p.iMin = -p.iMax - 1;
  }
  p.subtract = st.subtract ? -1 : 0;
  p.current = st.hasCurrent;
  p.fires = st.fires;
  p.nextStep = st.nextStep;
  st.kernel = narrowKernelOf(p, 0);
  st.narrow = true;
  NeuronConstants c;
  c.vBits = st.vBits;
  c.iBits = st.iBits;
  c.arith = st.arith;
  c.decayShift = st.decayShift;
  c.rounding = st.rounding;
  c.current = st.hasCurrent;
  c.vLeaks = st.vLeaks;
  c.iLeaks = st.iLeaks;
  c.fires = st.fires;
  c.subtract = st.subtract;
  c.nextStep = st.nextStep;
  c.fireOnEqual = st.fireOnEqual;
  c.vDecay = &st.vDecay;
  c.iDecay = &st.iDecay;
  c.vBias = &st.vBias;
  c.theta = &st.theta;
  c.vReset = &st.vReset;
  c.inputBound = bounds[size_t(st.inputs[0])];
  c.size = st.size;
  if (std::optional<Narrow16Plan> p16 = planNarrow16(c)) {
    st.plan16 = std::move(*p16);
    st.kernel16 = narrow16KernelOf(st.plan16, 0);
    st.narrow16 = true;
  }
}

/// Which stages take a fast path. Lists first (input ports, firing
/// neurons, delays of listed signals), then what reads them.
void Emulator::Impl::planFastPaths() {
  listed.assign(signals.size(), false);
  lists.assign(signals.size(), {});
  for (size_t p = 0; p < inputSignals.size(); ++p)
    if (inputSpikes[p] && !countInputs[p])
      listed[inputSignals[p]] = true;
  for (Stage &st : stages)
    if (st.kind == StageKind::Neurons && st.fires && !st.xylo)
      listed[st.output] = true;
  // Delays of delays: as many passes as there are delays.
  for (size_t pass = 0; pass < delays.size(); ++pass)
    for (size_t k : delays) {
      Stage &st = stages[k];
      if (listed[st.inputs[0]] && allEqual(st.delaySteps) && st.maxDelay >= 1) {
        st.sparseDelay = true;
        listed[st.output] = true;
      }
    }
  for (size_t k = 0; k < signals.size(); ++k)
    if (listed[k])
      lists[k].reserve(signals[k].size());
  quantizedInputs.assign(inputSignals.size(), false);
  for (const Stage &st : stages)
    if (st.kind == StageKind::Quantize && st.port >= 0)
      quantizedInputs[size_t(st.port)] = true;
  for (int signal : inputSignals)
    scratch.resize(std::max(scratch.size(), signals[size_t(signal)].size()));

  for (Stage &st : stages)
    if (st.sparseDelay) {
      st.ringLists.assign(size_t(st.maxDelay), {});
      for (std::vector<int32_t> &l : st.ringLists)
        l.reserve(size_t(st.size));
    }
  for (Stage &st : stages)
    if (st.kind == StageKind::Synapses)
      planEvents(st);
  std::vector<double> bounds = tightBounds();
  for (Stage &st : stages)
    if (st.kind == StageKind::Neurons)
      planNarrow(st, bounds);
  planFusedSums();
}

/// Sums of two signals whose output only a 32-bit neuron stage reads (not
/// another stage, a delay or a port): the neuron loop adds the two inputs
/// as it reads them, which saves the sum's own pass over 64-bit values. The
/// sum's output is then computed only when read (materialize).
void Emulator::Impl::planFusedSums() {
  lazyOf.assign(signals.size(), -1);
  std::vector<int> readers(signals.size(), 0);
  for (const Stage &st : stages)
    for (int in : st.inputs)
      ++readers[size_t(in)];
  for (int out : outputSignals)
    ++readers[size_t(out)];
  std::vector<int> producer(signals.size(), -1);
  for (size_t k = 0; k < stages.size(); ++k)
    producer[size_t(stages[k].output)] = int(k);
  for (Stage &st : stages) {
    if (!st.narrow || st.inputs.size() != 1)
      continue;
    int in = st.inputs[0];
    int k = producer[size_t(in)];
    if (k < 0 || readers[size_t(in)] != 1)
      continue;
    Stage &sum = stages[size_t(k)];
    if (sum.kind != StageKind::Sum || sum.inputs.size() != 2)
      continue;
    sum.deferred = true;
    lazyOf[size_t(in)] = k;
    st.fused = sum.inputs;
    // Both terms from tables that fit 32 bits and nobody else reads: the
    // tables keep 32-bit outputs, the loop reads those.
    bool narrowTerms = true;
    for (int term : sum.inputs) {
      int t = producer[size_t(term)];
      narrowTerms = narrowTerms && t >= 0 && readers[size_t(term)] == 1 &&
                    stages[size_t(t)].eventDriven && stages[size_t(t)].fits32;
    }
    // A 16-bit stage's input bound (the sum of the tables' row bounds)
    // fits 16 bits: so does each table's.
    bool halves = narrowTerms && st.narrow16;
    bool consumed = halves;
    for (int term : sum.inputs)
      for (int64_t b : stages[size_t(producer[size_t(term)])].base)
        consumed = consumed && b == 0;
    if (narrowTerms)
      for (int term : sum.inputs) {
        int t = producer[size_t(term)];
        Stage &table = stages[size_t(t)];
        table.narrowOut = true;
        table.out16Only = halves;
        table.consumed = consumed;
        table.out32.assign(halves ? 0 : size_t(table.size), 0);
        table.out16.assign(halves ? size_t(table.size) : 0, 0);
        table.weights32.assign(table.scaledWeights.begin(),
                               table.scaledWeights.end());
        if (halves)
          table.base16.assign(table.base.begin(), table.base.end());
        else
          table.base32.assign(table.base.begin(), table.base.end());
        packSynapses(table);
        lazyOf[size_t(term)] = t;
      }
    st.kernel = narrowKernelOf(st.plan, narrowTerms ? 2 : 1);
    if (st.narrow16)
      st.kernel16 = narrow16KernelOf(st.plan16, consumed      ? 4
                                                : halves      ? 3
                                                : narrowTerms ? 2
                                                              : 1);
  }
}

/// Stage::packed for a narrowOut table whose targets and weights fit 16
/// bits; its weights32 then go (the event loop reads the packed words).
void Emulator::Impl::packSynapses(Stage &table) {
  auto fits16 = [](int32_t w) { return w >= INT16_MIN && w <= INT16_MAX; };
  bool fits = table.size <= (int64_t(1) << 16) &&
              std::all_of(table.weights32.begin(), table.weights32.end(),
                          fits16);
  table.packed.clear();
  if (!fits)
    return;
  table.packed.resize(table.targets.size());
  for (size_t k = 0; k < table.targets.size(); ++k)
    table.packed[k] = uint32_t(table.targets[k]) |
                      uint32_t(uint16_t(int16_t(table.weights32[k]))) << 16;
  table.weights32 = {};
}

/// A signal that a deferred sum or a 32-bit table left stale in the last
/// step, computed (after its own inputs) when read.
void Emulator::Impl::materialize(size_t signal) {
  if (signal >= lazyOf.size() || lazyOf[signal] < 0)
    return;
  Stage &st = stages[size_t(lazyOf[signal])];
  if (!st.stale)
    return;
  st.stale = false;
  if (st.consumed) {
    std::vector<int64_t> &out = signals[signal];
    std::copy(st.base.begin(), st.base.end(), out.begin());
    for (int32_t j : st.lastActive)
      for (int32_t k = st.offsets[size_t(j)]; k < st.offsets[size_t(j) + 1]; ++k)
        out[size_t(st.targets[size_t(k)])] += st.scaledWeights[size_t(k)];
    return;
  }
  if (st.narrowOut) {
    if (st.out16Only)
      std::copy(st.out16.begin(), st.out16.end(), signals[signal].begin());
    else
      std::copy(st.out32.begin(), st.out32.end(), signals[signal].begin());
    return;
  }
  for (int in : st.inputs)
    materialize(size_t(in));
  addInputs(st);
}

/// Back to the general code (a distributed run keeps its own partial
/// rows and states): the fast paths' state moves to the general one.
void Emulator::Impl::leaveFastPaths() {
  for (Stage &st : stages) {
    if (st.narrow16) {
      st.v.assign(st.v16.begin(), st.v16.end());
      st.i.assign(st.i16.begin(), st.i16.end());
    } else if (st.narrow) {
      st.v.assign(st.v32.begin(), st.v32.end());
      st.i.assign(st.i32.begin(), st.i32.end());
    }
    if (st.narrow) {
      st.prev.assign(st.fired.begin(), st.fired.end());
      if (!st.fires)
        st.prev.clear();
    }
    if (st.sparseDelay) {
      st.ring.assign(size_t(st.maxDelay), std::vector<int64_t>(st.size, 0));
      for (size_t slot = 0; slot < st.ringLists.size(); ++slot)
        for (int32_t j : st.ringLists[slot])
          st.ring[slot][size_t(j)] = 1;
    }
    materialize(size_t(st.output));
    if (st.narrow)
      st.kernel = narrowKernelOf(st.plan, 0);
    st.narrow = st.narrow16 = st.eventDriven = st.sparseDelay = st.deferred =
        st.stale = st.narrowOut = st.out16Only = st.consumed = false;
    st.fused.clear();
    st.packed.clear();
  }
  lazyOf.assign(signals.size(), -1);
  listed.assign(signals.size(), false);
}

/// runSynapses for an event-driven table (planEvents).
void Emulator::Impl::runEvents(Stage &st) {
  if (st.out16Only)
    return deliverNarrow(st, st.out16.data(), st.base16.data());
  if (st.narrowOut)
    return deliverNarrow(st, st.out32.data(), st.base32.data());
  deliver(st, signals[st.output].data(),
          WideSynapses<int64_t>{st.targets.data(), st.scaledWeights.data()},
          st.base.data());
}

template <typename T>
void Emulator::Impl::deliverNarrow(Stage &st, T *out, const T *base) {
  if (!st.packed.empty())
    deliver(st, out, PackedSynapses{st.packed.data()}, base);
  else
    deliver(st, out,
            WideSynapses<int32_t>{st.targets.data(), st.weights32.data()},
            base);
  st.stale = true;
}

template <typename T, typename Synapses>
void Emulator::Impl::deliver(Stage &st, T *out, Synapses synapses,
                             const T *base) {
  const int32_t *offsets = st.offsets.data();
  if (st.fresh) {
    std::copy(base, base + st.size, out);
    st.lastActive.clear();
    st.fresh = false;
  }
  if (!st.consumed)
    for (int32_t j : st.lastActive)
      for (int32_t k = offsets[j], end = offsets[j + 1]; k < end; ++k)
        out[synapses.target(k)] = base[synapses.target(k)];
  const std::vector<int32_t> &active = lists[st.inputs[0]];
  size_t slices = st.cores.size();
  int64_t events = 0;
  for (int32_t j : active) {
    int32_t begin = offsets[j], end = offsets[j + 1];
    for (int32_t k = begin; k < end; ++k)
      out[synapses.target(k)] += synapses.weight(k);
    events += end - begin;
    if (slices > 1) {
      const int32_t *count = st.sliceEvents.data() + size_t(j) * slices;
      for (size_t s = 0; s < slices; ++s)
        stepCores[st.cores[s]].synapticEvents += count[s];
    }
  }
  st.lastActive.assign(active.begin(), active.end());
  if (slices <= 1)
    stepCores[st.cores[0]].synapticEvents += events;
  if (st.hiddenToHidden)
    stepHiddenEvents += events;
}

/// A neuron stage's costs from its sorted spike list: every neuron of a
/// slice updates on its core; spikes leave it.
void Emulator::Impl::sendSliceSpikes(Stage &st,
                                     const std::vector<int32_t> &spikes) {
  int64_t total = 0;
  auto from = spikes.begin();
  for (size_t s = 0; s < st.cores.size(); ++s) {
    auto to = std::lower_bound(from, spikes.end(), int32_t(st.splits[s + 1]));
    int64_t count = to - from;
    CoreCounters &core = stepCores[st.cores[s]];
    core.neuronUpdates += st.splits[s + 1] - st.splits[s];
    core.spikes += count;
    total += count;
    sendSpikes(st.routes[s], count);
    from = to;
  }
  if (st.hidden)
    stepHiddenSpikes += total;
}

/// runNeurons for 32-bit neurons (planNarrow).
void Emulator::Impl::runNarrow(Stage &st) {
  std::vector<int64_t> &y = signals[st.output];
  const void *x = signals[st.inputs[0]].data(), *x2 = nullptr;
  if (!st.fused.empty()) {
    auto term = [&](int signal) -> const void * {
      int k = lazyOf[size_t(signal)];
      if (k >= 0 && stages[size_t(k)].out16Only)
        return stages[size_t(k)].out16.data();
      if (k >= 0 && stages[size_t(k)].narrowOut)
        return stages[size_t(k)].out32.data();
      return signals[size_t(signal)].data();
    };
    x = term(st.fused[0]);
    x2 = term(st.fused[1]);
  }
  if (st.narrow16)
    st.saturations += st.kernel16(st.plan16, x, x2, st.v16.data(),
                                  st.i16.data(), st.fired.data(), y.data(),
                                  st.size);
  else
    st.saturations += st.kernel(st.plan, x, x2, st.v32.data(),
                                st.i32.data(), st.fired.data(), y.data(),
                                st.size);
  if (!st.fires)
    return countSlices(st, y); // membranes out
  std::vector<int32_t> &spikes = lists[st.output];
  for (int32_t j : spikes)
    y[size_t(j)] = 0;
  listFlags(st.fired.data(), st.size, st.firedScratch, spikes);
  for (int32_t j : spikes)
    y[size_t(j)] = 1;
  sendSliceSpikes(st, spikes);
}

void Emulator::Impl::sendSpikes(const std::vector<RouteTarget> &targets,
                                int64_t spikes) {
  if (spikes == 0)
    return;
  for (const RouteTarget &t : targets) {
    step.packets += spikes;
    step.hopTraversals += spikes * t.hops;
    maxHopsThisStep = std::max(maxHopsThisStep, t.hops);
    if (t.chipHops) {
      step.chipPackets += spikes;
      step.chipHopTraversals += spikes * t.chipHops;
      maxChipHopsThisStep = std::max(maxChipHopsThisStep, t.chipHops);
    }
    for (int link : t.links)
      linkLoad[link] += spikes;
  }
}

void Emulator::Impl::runSynapses(Stage &st) {
  if (st.eventDriven)
    return runEvents(st);
  const std::vector<int64_t> &in = signals[st.inputs[0]];
  std::vector<int64_t> &out = signals[st.output];
  uint64_t *acc = reinterpret_cast<uint64_t *>(st.acc.data());
  if (!st.denseSpikes)
    std::fill(st.acc.begin(), st.acc.end(), 0);
  const int32_t *targets = st.targets.data();
  const int32_t *weights = st.weights.data();
  bool sliced = st.cores.size() > 1;
  CoreCounters &only = stepCores[st.cores[0]];
  int64_t events = 0;
  int32_t *acc32 = st.acc32.data();
  if (st.denseSpikes)
    std::fill(st.acc32.begin(), st.acc32.end(), 0);
  for (size_t j = 0; j + 1 < st.offsets.size(); ++j) {
    int64_t x = in[j];
    if (x == 0)
      continue;
    int32_t begin = st.offsets[j], end = st.offsets[j + 1];
    if (st.denseSpikes) {
      const int32_t *column = st.matrix.data() + j * st.size;
      for (int64_t r = 0; r < st.size; ++r)
        acc32[r] += column[r];
    } else if (x == 1) {
      for (int32_t k = begin; k < end; ++k)
        acc[targets[k]] += uint64_t(int64_t(weights[k]));
    } else {
      for (int32_t k = begin; k < end; ++k)
        acc[targets[k]] += uint64_t(x) * uint64_t(int64_t(weights[k]));
    }
    events += end - begin;
    if (sliced) {
      // Targets of one source are sorted: count them per slice.
      const int32_t *from = targets + begin;
      for (size_t s = 0; s < st.cores.size(); ++s) {
        const int32_t *to = std::lower_bound(from, targets + end,
                                             int32_t(st.splits[s + 1]));
        stepCores[st.cores[s]].synapticEvents += to - from;
        from = to;
      }
    }
  }
  if (!sliced)
    only.synapticEvents += events;
  if (st.hiddenToHidden)
    stepHiddenEvents += events;
  for (const auto &[first, end] : st.owned)
  for (int64_t r = first; r < end; ++r) {
    uint64_t sum = st.denseSpikes ? uint64_t(int64_t(acc32[r])) : acc[r];
    // A negative exponent shifts the sum, not the weights (Lava's Dense):
    // floor, then the bias.
    sum = st.weightExp >= 0
              ? sum << st.weightExp
              : uint64_t(snn_floor_shift(int64_t(sum), -st.weightExp));
    if (!st.bias.empty())
      sum += uint64_t(st.bias[r]);
    int64_t value = int64_t(sum);
    int64_t fitted = snn_fit(value, st.accBits, st.overflow);
    st.saturations += fitted != value;
    out[r] = fitted;
  }
}

void Emulator::Impl::runNeurons(Stage &st) {
  if (st.narrow)
    return runNarrow(st);
  const std::vector<int64_t> &x = signals[st.inputs[0]];
  std::vector<int64_t> &y = signals[st.output];
  int64_t moved = 0;
  auto fitState = [&](int64_t s, int bits, int overflow) {
    int64_t f = snn_fit(s, bits, overflow);
    moved += f != s;
    return f;
  };
  bool shiftsInput = st.inputShift != 0 || st.inputBits != 0;
  for (const auto &[first, end] : st.owned)
  for (int64_t j = first; j < end; ++j) {
    // Lava's LIF takes its input wrapped to 32 bits and shifted by 6.
    int64_t drive =
        shiftsInput ? shiftInput(x[j], st.inputShift, st.inputBits) : x[j];
    if (st.hasCurrent) {
      int64_t kept = st.iLeaks ? snn_decay(st.i[j], st.arith, st.iDecay[j],
                                           st.decayShift, st.rounding)
                               : st.i[j];
      st.i[j] = fitState(wrappingSum(kept, drive), st.iBits, st.iOverflow);
      drive = st.i[j];
    }
    int64_t kept = st.vLeaks ? snn_decay(st.v[j], st.arith, st.vDecay[j],
                                         st.decayShift, st.rounding)
                             : st.v[j];
    int64_t u = fitState(wrappingSum(wrappingSum(kept, drive), st.vBias[j]),
                         st.vBits, st.overflow);
    if (!st.fires) {
      st.v[j] = u;
      y[j] = u;
      continue;
    }
    auto fire = [&](int64_t m) {
      return st.fireOnEqual ? m >= st.theta[j] : m > st.theta[j];
    };
    auto reset = [&](int64_t m) {
      return st.subtract ? fitState(m - st.theta[j], st.vBits, st.overflow)
                         : st.vReset[j];
    };
    int64_t spike;
    if (st.nextStep) {
      st.v[j] = st.prev[j] != 0 ? reset(u) : u;
      spike = fire(st.v[j]);
    } else {
      spike = fire(u);
      st.v[j] = spike ? reset(u) : u;
    }
    st.prev[j] = spike;
    y[j] = spike;
  }
  st.saturations += moved;
  if (listed[st.output]) {
    std::vector<int32_t> &spikes = lists[st.output];
    spikes.clear();
    for (int64_t j = 0; j < st.size; ++j)
      if (y[j] != 0)
        spikes.push_back(int32_t(j));
  }
  countSlices(st, y);
}

/// A neuron stage's costs from its output y: every neuron of a slice
/// updates on its core; its non-zero outputs (spikes, or membranes when it
/// does not fire) leave it. Slices of other ranks are theirs to count.
void Emulator::Impl::countSlices(Stage &st, const std::vector<int64_t> &y) {
  int64_t total = 0;
  for (size_t s = 0; s < st.cores.size(); ++s) {
    if (dist && !dist->ownsSlice(size_t(&st - stages.data()), s))
      continue;
    int64_t first = st.splits[s], end = st.splits[s + 1];
    int64_t count = countNonzero(y.data() + first, size_t(end - first));
    CoreCounters &core = stepCores[st.cores[s]];
    core.neuronUpdates += end - first;
    core.spikes += count;
    total += count;
    sendSpikes(st.routes[s], count);
  }
  if (st.hidden)
    stepHiddenSpikes += total;
}

/// A Xylo core's step (emulator/XyloCore.h): xylosim's arithmetic through
/// snn_xylo.h; its costs go to the core it runs on.
void Emulator::Impl::runXylo(Stage &st) {
  XyloCore &x = *st.xylo;
  x.step(signals[st.inputs[0]], signals[st.output]);
  CoreCounters &core = stepCores[st.cores[0]];
  core.synapticEvents += x.synapticEvents();
  core.neuronUpdates += x.neuronUpdates();
  core.spikes += x.hiddenSpikes() + x.outputSpikes();
  stepInputEvents += x.inputEvents();
  stepHiddenSpikes += x.hiddenSpikes();
  if (st.port >= 0)
    sendSpikes(inputRoutes[st.port], x.inputEvents());
  sendSpikes(st.routes[0], x.outputSpikes());
}

/// out = the inputs' sum modulo 2^64, two inputs at a time in one pass
/// (when read, for a sum the neurons fuse).
void Emulator::Impl::runSum(Stage &st) {
  if (st.deferred) {
    st.stale = true;
    return;
  }
  addInputs(st);
}

void Emulator::Impl::addInputs(Stage &st) {
  uint64_t *out = reinterpret_cast<uint64_t *>(signals[st.output].data());
  size_t n = size_t(st.size);
  auto in = [&](size_t k) {
    return reinterpret_cast<const uint64_t *>(signals[st.inputs[k]].data());
  };
  size_t k = 0;
  if (st.inputs.size() >= 2) {
    addArrays(out, in(0), in(1), n);
    k = 2;
  } else {
    std::copy(in(0), in(0) + n, out);
    k = 1;
  }
  for (; k < st.inputs.size(); ++k)
    addArrays(out, out, in(k), n);
}

void Emulator::Impl::runStage(Stage &st) {
  std::vector<int64_t> &out = signals[st.output];
  switch (st.kind) {
  case StageKind::Quantize: {
    const std::vector<double> &x = realInputs[st.port];
    int64_t events = 0;
    for (int64_t j = 0; j < st.size; ++j) {
      int64_t q = snn_round_to_integer(x[j] / st.scale[j]);
      int64_t f = snn_fit(q, st.bits, SNN_SATURATE);
      st.saturations += f != q;
      out[j] = f;
      events += f != 0;
    }
    if (host()) { // every rank quantizes; rank 0 counts what the host sends
      stepInputEvents += events;
      sendSpikes(inputRoutes[st.port], events);
    }
    break;
  }
  case StageKind::Synapses:
    runSynapses(st);
    break;
  case StageKind::Neurons:
    runNeurons(st);
    break;
  case StageKind::Sum:
    runSum(st);
    break;
  case StageKind::Reshape:
    out = signals[st.inputs[0]];
    break;
  case StageKind::Delay:
    break; // emitted at the start of the step
  case StageKind::Xylo:
    runXylo(st);
    break;
  }
}

void Emulator::Impl::finishStep() {
  bool xyloCycles = xyloModel;
  double busiest = 0;
  int meshLinks = linkCount();
  auto link = [&](size_t l) {
    if (int(l) < meshLinks)
      busiest = std::max(busiest, double(linkLoad[l]));
    linkTotal[l] += linkLoad[l];
  };
  if (dist)
    for (size_t l = 0; l < linkLoad.size(); ++l)
      link(l);
  else
    for (int l : usedLinks)
      link(size_t(l));
  for (size_t k = 0; k < stepCores.size(); ++k) {
    CoreCounters &core = stepCores[k];
    if (!xyloCycles)
      core.cycles = double(core.synapticEvents) * cost.cyclesPerSynapticEvent +
                    double(core.neuronUpdates) * cost.cyclesPerNeuronUpdate +
                    double(core.spikes) * cost.cyclesPerSpike;
    step.synapticEvents += core.synapticEvents;
    step.neuronUpdates += core.neuronUpdates;
    step.spikes += core.spikes;
  }
  if (xyloCycles && xyloCores) {
    // A Xylo core: Rockpool's cycles_model at the step's own activity.
    for (const Stage &st : stages)
      if (st.xylo)
        stepCores[st.cores[0]].cycles += st.xylo->stepCycles();
  } else if (xyloCycles) {
    // Rockpool's terms, from this step's events (docs/emulator.md).
    double nOut = double(xylo.outputs);
    stepCores[0].cycles =
        double(xylo.inputs) * cost.cyclesPerInputChannel +
        double(stepInputEvents) * double(inputDestinations) *
            cost.cyclesPerInputEventPerNeuron +
        double(stepHiddenEvents) * cost.cyclesPerSynapticEvent +
        double(xylo.hidden) *
            (cost.cyclesPerNeuronUpdate + cost.cyclesPerHiddenNeuron) +
        double(stepHiddenSpikes) *
            (cost.cyclesPerSpike + cost.cyclesPerReadoutEvent +
             nOut * cost.cyclesPerReadoutEventPerOutput) +
        nOut * cost.cyclesPerOutputNeuron;
  }
  double slowest = 0;
  for (size_t k = 0; k < stepCores.size(); ++k) {
    slowest = std::max(slowest, stepCores[k].cycles);
    totalCores[k].cycles += stepCores[k].cycles;
    totalCores[k].synapticEvents += stepCores[k].synapticEvents;
    totalCores[k].neuronUpdates += stepCores[k].neuronUpdates;
    totalCores[k].spikes += stepCores[k].spikes;
  }
  step.busiestLinkPackets = int64_t(busiest);
  step.nocCycles = busiest * cost.cyclesPerLinkPacket +
                   double(maxHopsThisStep) * cost.cyclesPerHop;
  step.cycles = slowest + step.nocCycles;
  step.energyPJ = double(step.synapticEvents) * cost.energyPJPerSynapticEvent +
                  double(step.neuronUpdates) * cost.energyPJPerNeuronUpdate +
                  double(step.spikes) * cost.energyPJPerSpike +
                  double(step.hopTraversals) * cost.energyPJPerHop;
  if (system->multiChip())
    system->charge(linkLoad, maxChipHopsThisStep, cost, step);
  step.steps = 1;
  total.steps += 1;
  total.cycles += step.cycles;
  total.nocCycles += step.nocCycles;
  total.energyPJ += step.energyPJ;
  total.synapticEvents += step.synapticEvents;
  total.neuronUpdates += step.neuronUpdates;
  total.spikes += step.spikes;
  total.packets += step.packets;
  total.hopTraversals += step.hopTraversals;
  total.busiestLinkPackets =
      std::max(total.busiestLinkPackets, step.busiestLinkPackets);
  total.chipPackets += step.chipPackets;
  total.chipHopTraversals += step.chipHopTraversals;
  total.busiestChipLinkPackets =
      std::max(total.busiestChipLinkPackets, step.busiestChipLinkPackets);
  xylo.inputEvents += stepInputEvents;
  xylo.hiddenSpikes += stepHiddenSpikes;
}

//===----------------------------------------------------------------------===//
// Public interface
//===----------------------------------------------------------------------===//

Emulator::Emulator(std::shared_ptr<const image::ChipImage> image)
    : impl(std::make_unique<Impl>(std::move(image))) {
  impl->build();
  reset();
}

Emulator::~Emulator() = default;

void Emulator::reset() {
  Impl &s = *impl;
  s.time = 0;
  s.statesSyncedAt = -1;
  for (auto &signal : s.signals)
    std::fill(signal.begin(), signal.end(), 0);
  for (std::vector<int32_t> &list : s.lists)
    list.clear();
  std::fill(s.inputEvents.begin(), s.inputEvents.end(), 0);
  for (Stage &st : s.stages) {
    if (st.kind == StageKind::Neurons) {
      st.v.assign(st.size, 0);
      st.i.assign(st.hasCurrent ? st.size : 0, 0);
      st.prev.assign(st.fires && !st.narrow ? st.size : 0, 0);
    }
    if (st.narrow) {
      std::size_t states = st.narrow16 ? 0 : size_t(st.size);
      st.v32.assign(states, 0);
      st.i32.assign(st.hasCurrent ? states : 0, 0);
      st.v16.assign(size_t(st.size) - states, 0);
      st.i16.assign(st.hasCurrent ? size_t(st.size) - states : 0, 0);
      st.fired.assign(size_t(st.size), 0);
    }
    st.stale = false; // zero signals: the sum of zeros
    if (st.eventDriven) {
      st.fresh = true;
      st.lastActive.clear();
    }
    for (std::vector<int32_t> &list : st.ringLists)
      list.clear();
    if (st.kind == StageKind::Delay && !st.sparseDelay)
      st.ring.assign(st.maxDelay, std::vector<int64_t>(st.size, 0));
    if (st.xylo)
      st.xylo->reset();
  }
}

void Emulator::setInput(size_t k, const double *values) {
  Impl &s = *impl;
  std::vector<double> &real = s.realInputs[k];
  if (s.quantizedInputs[k])
    std::copy(values, values + real.size(), real.begin());
  if (!s.inputSpikes[k])
    return;
  std::vector<int64_t> &signal = s.signals[s.inputSignals[k]];
  int64_t events = 0;
  if (s.countInputs[k]) {
    for (size_t j = 0; j < real.size(); ++j) {
      signal[j] = eventCount(values[j]);
      events += signal[j] != 0;
    }
  } else if (s.listed[size_t(s.inputSignals[k])]) {
    // The signal is 0 outside its list (reset and every step keep it so):
    // only the last step's spikes are cleared, and blocks of eight
    // values that are all +-0 (the bits bar the sign) are skipped at once.
    std::vector<int32_t> &list = s.lists[s.inputSignals[k]];
    for (int32_t j : list)
      signal[size_t(j)] = 0;
    list.clear();
    size_t n = real.size(), j = 0;
    for (; j + 8 <= n; j += 8) {
      uint64_t w[8], any = 0;
      std::memcpy(w, values + j, sizeof w);
      for (uint64_t b : w)
        any |= b << 1;
      if (any == 0)
        continue;
      for (size_t b = j; b < j + 8; ++b)
        if (values[b] != 0)
          list.push_back(int32_t(b));
    }
    for (; j < n; ++j)
      if (values[j] != 0)
        list.push_back(int32_t(j));
    for (int32_t e : list)
      signal[size_t(e)] = 1;
    events = int64_t(list.size());
  } else {
    // Without branches: every position is written to the scratch list, the
    // count moves on spikes only.
    int32_t *at = s.scratch.data();
    for (size_t j = 0; j < real.size(); ++j) {
      int64_t spike = values[j] != 0;
      signal[j] = spike;
      at[events] = int32_t(j);
      events += spike;
    }
    s.lists[s.inputSignals[k]].assign(at, at + events);
  }
  s.inputEvents[k] = events;
}

void Emulator::step() {
  Impl &s = *impl;
  s.step = Counters();
  for (CoreCounters &core : s.stepCores)
    core = CoreCounters();
  if (s.dist)
    std::fill(s.linkLoad.begin(), s.linkLoad.end(), 0);
  else
    for (int l : s.usedLinks)
      s.linkLoad[size_t(l)] = 0;
  s.maxHopsThisStep = s.maxChipHopsThisStep = 0;
  s.stepInputEvents = s.stepHiddenSpikes = s.stepHiddenEvents = 0;
  // Spike inputs arrive from the host (real inputs when quantized).
  for (size_t p = 0; p < s.inputSignals.size(); ++p)
    if (s.inputSpikes[p] && !s.countInputs[p] && s.host()) {
      // Counted as setInput wrote them (a distributed run may have
      // completed the signal since: count it).
      int64_t events = s.inputEvents[p];
      if (s.dist) {
        events = 0;
        for (int64_t x : s.signals[s.inputSignals[p]])
          events += x != 0;
      }
      s.stepInputEvents += events;
      s.sendSpikes(s.inputRoutes[p], events);
    }
  for (size_t k : s.delays) {
    Stage &st = s.stages[k];
    std::vector<int64_t> &out = s.signals[st.output];
    if (st.sparseDelay) {
      // out(t) = in(t - d), by the listed elements.
      std::vector<int32_t> &list = s.lists[st.output];
      for (int32_t j : list)
        out[size_t(j)] = 0;
      list.clear();
      if (s.time >= st.maxDelay)
        list = st.ringLists[size_t(s.time % st.maxDelay)];
      for (int32_t j : list)
        out[size_t(j)] = 1;
      continue;
    }
    for (int64_t j = 0; j < st.size; ++j) {
      int64_t d = st.delaySteps[st.delaySteps.size() == 1 ? 0 : j];
      out[j] = s.time >= d ? st.ring[(s.time - d) % st.maxDelay][j] : 0;
    }
  }
  for (size_t k = 0; k < s.stages.size(); ++k)
    if (s.stages[k].kind != StageKind::Delay) {
      if (s.dist)
        s.dist->beforeStage(k, s.signals);
      s.runStage(s.stages[k]);
    }
  if (s.dist)
    s.exchangeEnd();
  for (size_t k : s.delays) {
    Stage &st = s.stages[k];
    if (st.sparseDelay)
      st.ringLists[size_t(s.time % st.maxDelay)] = s.lists[st.inputs[0]];
    else
      st.ring[s.time % st.maxDelay] = s.signals[st.inputs[0]];
  }
  s.finishStep();
  ++s.time;
}

size_t Emulator::numInputs() const { return impl->inputSignals.size(); }
size_t Emulator::numOutputs() const { return impl->outputSignals.size(); }
int64_t Emulator::inputSize(size_t k) const {
  return int64_t(impl->signals[impl->inputSignals[k]].size());
}
int64_t Emulator::outputSize(size_t k) const {
  return int64_t(impl->signals[impl->outputSignals[k]].size());
}
bool Emulator::inputIsSpikes(size_t k) const {
  return chip().signals()->Get(impl->inputSignals[k])->spikes();
}
bool Emulator::outputIsSpikes(size_t k) const {
  return chip().signals()->Get(impl->outputSignals[k])->spikes();
}
std::string Emulator::inputName(size_t k) const {
  const image::Port *p = chip().inputs()->Get(k);
  return p->name() ? p->name()->str() : "";
}
std::string Emulator::outputName(size_t k) const {
  const image::Port *p = chip().outputs()->Get(k);
  return p->name() ? p->name()->str() : "";
}
const std::vector<int64_t> &Emulator::output(size_t k) const {
  impl->materialize(size_t(impl->outputSignals[k]));
  return impl->signals[impl->outputSignals[k]];
}
void Emulator::outputReal(size_t k, double *values) const {
  const Impl &s = *impl;
  const std::vector<double> &unit = s.outputUnits[k];
  int signal = s.outputSignals[k];
  const std::vector<int64_t> &raw = s.signals[size_t(signal)];
  if (s.listed[size_t(signal)]) {
    // Spikes: 1 where listed, 0 elsewhere.
    std::fill(values, values + raw.size(), 0.0);
    for (int32_t j : s.lists[size_t(signal)])
      values[j] = unit[size_t(j)];
    return;
  }
  for (size_t j = 0; j < raw.size(); ++j)
    values[j] = double(raw[j]) * unit[j];
}
double Emulator::outputUnit(size_t k, int64_t element) const {
  const image::Signal *s = chip().signals()->Get(impl->outputSignals[k]);
  if (!s->unit() || s->unit()->size() == 0)
    return 1;
  return s->unit()->Get(s->unit()->size() == 1 ? 0 : element);
}

std::vector<std::string> Emulator::stageNames() const {
  std::vector<std::string> names;
  for (const Stage &st : impl->stages)
    names.push_back(st.name);
  return names;
}
int Emulator::findStage(const std::string &name) const {
  auto it = impl->stageByName.find(name);
  return it == impl->stageByName.end() ? -1 : it->second;
}
const std::vector<int64_t> &Emulator::stageOutput(int stage) const {
  impl->materialize(size_t(impl->stages[stage].output));
  return impl->signals[impl->stages[stage].output];
}
double Emulator::stageUnit(int stage, int64_t element) const {
  return unitAt(impl->stages[stage].unit, element);
}
bool Emulator::stageIsSpikes(int stage) const {
  return chip().signals()->Get(impl->stages[stage].output)->spikes();
}
const std::vector<int64_t> *Emulator::membrane(int stage) const {
  impl->syncStates();
  const Stage &st = impl->stages[stage];
  if (st.xylo)
    return &st.xylo->vmemOut(); // the output neurons'
  if (st.narrow16) // kept in 16 or 32 bits: widened when read
    const_cast<Stage &>(st).v.assign(st.v16.begin(), st.v16.end());
  else if (st.narrow)
    const_cast<Stage &>(st).v.assign(st.v32.begin(), st.v32.end());
  return st.kind == StageKind::Neurons ? &st.v : nullptr;
}
const std::vector<int64_t> *Emulator::current(int stage) const {
  impl->syncStates();
  const Stage &st = impl->stages[stage];
  if (st.xylo)
    return &st.xylo->isynOut();
  if (st.narrow16)
    const_cast<Stage &>(st).i.assign(st.i16.begin(), st.i16.end());
  else if (st.narrow)
    const_cast<Stage &>(st).i.assign(st.i32.begin(), st.i32.end());
  return st.hasCurrent ? &st.i : nullptr;
}
double Emulator::membraneUnit(int stage, int64_t element) const {
  return unitAt(impl->stages[stage].vUnit, element);
}
double Emulator::currentUnit(int stage, int64_t element) const {
  return unitAt(impl->stages[stage].iUnit, element);
}
int64_t Emulator::saturations(int stage) const {
  return impl->stages[stage].saturations;
}
std::string Emulator::stagePath(int stage) const {
  const Stage &st = impl->stages[size_t(stage)];
  if (st.narrow16)
    return "neurons in 16-bit lanes";
  if (st.narrow)
    return "neurons in 32-bit lanes";
  if (st.deferred)
    return "sum added by the neuron loop";
  if (st.consumed)
    return "event-driven, 16-bit outputs zeroed by the neuron loop";
  if (st.out16Only)
    return "event-driven, 16-bit outputs";
  if (st.narrowOut)
    return "event-driven, 32-bit outputs";
  if (st.eventDriven)
    return "event-driven";
  if (st.sparseDelay)
    return "spike lists";
  return "general";
}
size_t Emulator::numCores() const { return impl->coreIds.size(); }
int Emulator::coreId(size_t core) const { return impl->coreIds[core]; }
const image::Chip &Emulator::chip() const { return impl->chip; }
double Emulator::clockMHz() const { return impl->cost.clockMHz; }
const Counters &Emulator::lastStep() const { return impl->step; }
const std::vector<CoreCounters> &Emulator::lastStepCores() const {
  return impl->stepCores;
}
const Counters &Emulator::totals() const { return impl->total; }
const std::vector<CoreCounters> &Emulator::totalCores() const {
  return impl->totalCores;
}
std::vector<std::pair<std::pair<int, int>, int64_t>>
Emulator::linkTraffic() const {
  const Impl &s = *impl;
  std::vector<std::pair<std::pair<int, int>, int64_t>> out;
  for (int l = 0; l < s.linkCount(); ++l) {
    if (s.linkTotal[l] == 0)
      continue;
    if (l == s.system->hostLink()) {
      out.push_back({{-1, 0}, s.linkTotal[l]});
      continue;
    }
    int node = l / 4, dir = l % 4;
    int to = node + (dir == 0 ? 1 : dir == 1 ? -1 : dir == 2 ? s.meshWidth
                                                               : -s.meshWidth);
    out.push_back({{s.system->coreIdOfNode(node), s.system->coreIdOfNode(to)},
                   s.linkTotal[l]});
  }
  return out;
}
const XyloActivity &Emulator::xyloActivity() const { return impl->xylo; }

double Emulator::rockpoolCyclesPerStep() const {
  const Impl &s = *impl;
  if (!s.xyloModel || s.total.steps == 0 || s.xylo.hidden == 0)
    return 0;
  // Rockpool's model with the run's average rates and fan-out (no aliases).
  const XyloActivity &x = s.xylo;
  double steps = double(s.total.steps);
  double pIn = x.inputs ? double(x.inputEvents) / (double(x.inputs) * steps) : 0;
  double pHid = double(x.hiddenSpikes) / (double(x.hidden) * steps);
  if (s.xyloCores) {
    // A Xylo core: cycles_model itself at the run's mean rates.
    double cycles = 0;
    for (const Stage &st : s.stages)
      if (st.xylo)
        cycles += st.xylo->cycles({pIn, pHid, 1.0});
    return cycles;
  }
  double fanout = double(x.hiddenSynapses) / double(x.hidden);
  double nIn = double(x.inputs), nHid = double(x.hidden),
         nOut = double(x.outputs);
  double nInDest = double(s.inputDestinations);
  return nIn * (pIn * nInDest * s.cost.cyclesPerInputEventPerNeuron +
                s.cost.cyclesPerInputChannel) +
         nHid * (fanout * s.cost.cyclesPerSynapticEvent * pHid +
                 s.cost.cyclesPerNeuronUpdate) +
         nHid * pHid *
             (s.cost.cyclesPerReadoutEvent +
              nOut * s.cost.cyclesPerReadoutEventPerOutput) +
         nHid * (s.cost.cyclesPerHiddenNeuron + pHid * s.cost.cyclesPerSpike) +
         nOut * s.cost.cyclesPerOutputNeuron;
}

void Emulator::clearTotals() {
  Impl &s = *impl;
  s.total = Counters();
  for (CoreCounters &core : s.totalCores)
    core = CoreCounters();
  std::fill(s.linkTotal.begin(), s.linkTotal.end(), 0);
  s.xylo.inputEvents = s.xylo.hiddenSpikes = 0;
  for (Stage &st : s.stages)
    st.saturations = 0;
  std::fill(s.saturationsSeen.begin(), s.saturationsSeen.end(), 0);
}

Emulator::RunTotals Emulator::runTotals() const {
  const Impl &s = *impl;
  RunTotals t;
  t.total = s.total;
  t.cores = s.totalCores;
  t.links = s.linkTotal;
  for (const Stage &st : s.stages)
    t.saturations.push_back(st.saturations);
  t.inputEvents = s.xylo.inputEvents;
  t.hiddenSpikes = s.xylo.hiddenSpikes;
  return t;
}

void Emulator::appendStepReals(std::vector<double> &out) const {
  const Impl &s = *impl;
  out.push_back(s.step.cycles);
  out.push_back(s.step.nocCycles);
  out.push_back(s.step.energyPJ);
  for (const CoreCounters &core : s.stepCores)
    out.push_back(core.cycles);
}

void Emulator::appendRun(const RunTotals &other,
                         const std::vector<double> &stepReals) {
  Impl &s = *impl;
  // As finishStep adds each step.
  size_t per = 3 + s.totalCores.size();
  for (size_t at = 0; at + per <= stepReals.size(); at += per) {
    s.total.cycles += stepReals[at];
    s.total.nocCycles += stepReals[at + 1];
    s.total.energyPJ += stepReals[at + 2];
    for (size_t k = 0; k < s.totalCores.size(); ++k)
      s.totalCores[k].cycles += stepReals[at + 3 + k];
  }
  const Counters &o = other.total;
  s.total.steps += o.steps;
  s.total.synapticEvents += o.synapticEvents;
  s.total.neuronUpdates += o.neuronUpdates;
  s.total.spikes += o.spikes;
  s.total.packets += o.packets;
  s.total.hopTraversals += o.hopTraversals;
  s.total.busiestLinkPackets =
      std::max(s.total.busiestLinkPackets, o.busiestLinkPackets);
  s.total.chipPackets += o.chipPackets;
  s.total.chipHopTraversals += o.chipHopTraversals;
  s.total.busiestChipLinkPackets =
      std::max(s.total.busiestChipLinkPackets, o.busiestChipLinkPackets);
  for (size_t k = 0; k < s.totalCores.size() && k < other.cores.size(); ++k) {
    s.totalCores[k].synapticEvents += other.cores[k].synapticEvents;
    s.totalCores[k].neuronUpdates += other.cores[k].neuronUpdates;
    s.totalCores[k].spikes += other.cores[k].spikes;
  }
  for (size_t l = 0; l < s.linkTotal.size() && l < other.links.size(); ++l)
    s.linkTotal[l] += other.links[l];
  for (size_t k = 0; k < s.stages.size() && k < other.saturations.size(); ++k)
    s.stages[k].saturations += other.saturations[k];
  s.xylo.inputEvents += other.inputEvents;
  s.xylo.hiddenSpikes += other.hiddenSpikes;
}

size_t Emulator::numChips() const { return impl->system->numChips(); }
int Emulator::chipOfCore(size_t core) const {
  return impl->system->chipOfCore(core);
}
int Emulator::chipId(size_t chip) const { return impl->system->chipId(chip); }
int Emulator::exchangesPerStep() const {
  return impl->dist ? impl->dist->exchangesPerStep() : 0;
}
const ExchangeStats *Emulator::exchangeStats() const {
  return impl->dist ? &impl->dist->stats() : nullptr;
}
int Emulator::rankOfChip(size_t chip) const {
  return impl->dist ? impl->dist->rankOfChip(chip) : 0;
}

//===----------------------------------------------------------------------===//
// One rank of a distributed system (ChipSystem.h)
//===----------------------------------------------------------------------===//

/// Keeps the synapses of the rows this rank computes: the delivery loops
/// then do this rank's share of the work and count this rank's events.
void Emulator::Impl::restrictRows(Stage &st) {
  std::vector<bool> mine(size_t(st.size), false);
  for (const auto &[first, end] : st.owned)
    std::fill(mine.begin() + first, mine.begin() + end, true);
  std::vector<int32_t> offsets{0}, targets, weights;
  for (size_t j = 0; j + 1 < st.offsets.size(); ++j) {
    for (int32_t k = st.offsets[j]; k < st.offsets[j + 1]; ++k)
      if (mine[size_t(st.targets[k])]) {
        targets.push_back(st.targets[k]);
        weights.push_back(st.weights[k]);
      }
    offsets.push_back(int32_t(targets.size()));
  }
  st.offsets = std::move(offsets);
  st.targets = std::move(targets);
  st.weights = std::move(weights);
  if (!st.denseSpikes)
    return;
  std::fill(st.matrix.begin(), st.matrix.end(), 0);
  for (size_t j = 0; j + 1 < st.offsets.size(); ++j)
    for (int32_t k = st.offsets[j]; k < st.offsets[j + 1]; ++k)
      st.matrix[j * size_t(st.size) + size_t(st.targets[k])] = st.weights[k];
}

/// The step's exchange: outputs and delay inputs completed, and this
/// rank's counts added to the others' (saturations as this step's).
void Emulator::Impl::exchangeEnd() {
  StepCounts counts;
  counts.step = &step;
  counts.cores = &stepCores;
  counts.links = &linkLoad;
  counts.maxHops = &maxHopsThisStep;
  counts.maxChipHops = &maxChipHopsThisStep;
  counts.sums = {&stepInputEvents, &stepHiddenSpikes, &stepHiddenEvents};
  counts.nonzero = &stageNonzeros;
  std::vector<int64_t> saturated(stages.size(), 0);
  // The same stages on every rank: those split over cores.
  auto split = [&](const Stage &st) {
    return (st.kind == StageKind::Synapses || st.kind == StageKind::Neurons) &&
           !st.cores.empty();
  };
  for (size_t k = 0; k < stages.size(); ++k)
    if (split(stages[k])) {
      saturated[k] = stages[k].saturations - saturationsSeen[k];
      counts.sums.push_back(&saturated[k]);
    }
  dist->endOfStep(signals, counts);
  for (size_t k = 0; k < stages.size(); ++k)
    if (split(stages[k])) {
      stages[k].saturations = saturationsSeen[k] + saturated[k];
      saturationsSeen[k] = stages[k].saturations;
    }
}

/// Distributed, a neuron's membrane and current are kept by its rank only;
/// reading any state gathers them all (once per step; every rank reads
/// states at the same points of a run, as it runs the same samples).
void Emulator::Impl::syncStates() {
  if (!dist || statesSyncedAt == time)
    return;
  std::vector<std::pair<size_t, std::vector<int64_t> *>> arrays;
  for (size_t k = 0; k < stages.size(); ++k)
    if (stages[k].kind == StageKind::Neurons && !stages[k].cores.empty()) {
      arrays.push_back({k, &stages[k].v});
      if (stages[k].hasCurrent)
        arrays.push_back({k, &stages[k].i});
    }
  dist->completeArrays(arrays);
  statesSyncedAt = time;
}

int64_t Emulator::stageNonzero(int stage) const {
  const Impl &s = *impl;
  if (s.dist && size_t(stage) < s.stageNonzeros.size())
    return s.stageNonzeros[size_t(stage)];
  return impl->nonzeroOf(size_t(s.stages[size_t(stage)].output));
}

/// A signal's non-zero elements, read where the step left them: a spike
/// list, a table's 16- or 32-bit outputs, the two terms of a deferred sum;
/// a stale signal is materialized only when none of those holds it.
int64_t Emulator::Impl::nonzeroOf(size_t signal) {
  if (listed[signal])
    return int64_t(lists[signal].size());
  int k = signal < lazyOf.size() ? lazyOf[signal] : -1;
  if (k >= 0 && stages[size_t(k)].stale) {
    const Stage &st = stages[size_t(k)];
    // Outputs kept where the step left them (a consumed table's were
    // zeroed by the neuron loop: it is rebuilt below).
    auto kept = [](const Stage &s) { return s.narrowOut && !s.consumed; };
    if (kept(st))
      return st.out16Only ? countNonzero(st.out16.data(), st.out16.size())
                          : countNonzero(st.out32.data(), st.out32.size());
    auto table = [&](int term) -> const Stage * {
      int t = lazyOf[size_t(term)];
      return t >= 0 && kept(stages[size_t(t)]) ? &stages[size_t(t)] : nullptr;
    };
    if (st.inputs.size() == 2 && table(st.inputs[0]) &&
        table(st.inputs[1])) {
      const Stage &a = *table(st.inputs[0]), &b = *table(st.inputs[1]);
      // The two tables of one fused sum share their width.
      return a.out16Only
                 ? countNonzeroSums(a.out16.data(), b.out16.data(),
                                    size_t(st.size))
                 : countNonzeroSums(a.out32.data(), b.out32.data(),
                                    size_t(st.size));
    }
  }
  materialize(signal);
  return countNonzero(signals[signal].data(), signals[signal].size());
}

void Emulator::distribute(std::shared_ptr<SpikeExchange> exchange,
                          bool hostReadsAll) {
  Impl &s = *impl;
  std::vector<StageShape> shapes;
  for (const Stage &st : s.stages) {
    StageShape shape;
    shape.sliced = (st.kind == StageKind::Synapses ||
                    st.kind == StageKind::Neurons) &&
                   !st.cores.empty();
    shape.elementwise =
        st.kind == StageKind::Sum || st.kind == StageKind::Reshape;
    shape.needsAll = st.kind == StageKind::Synapses;
    shape.delay = st.kind == StageKind::Delay;
    shape.quantize = st.kind == StageKind::Quantize;
    shape.inputs = st.inputs;
    shape.output = st.output;
    shape.cores = st.cores;
    shape.splits = st.splits;
    shape.offsets = &st.offsets;
    shape.targets = &st.targets;
    shapes.push_back(std::move(shape));
  }
  std::vector<int64_t> sizes;
  std::vector<bool> spikes;
  for (const image::Signal *signal : *chip().signals()) {
    sizes.push_back(signal->size());
    spikes.push_back(signal->spikes());
  }
  s.dist = std::make_unique<Distribution>(std::move(exchange), *s.system,
                                          std::move(shapes), std::move(sizes),
                                          std::move(spikes), s.inputSignals,
                                          s.outputSignals, hostReadsAll);
  s.stageNonzeros.assign(s.stages.size(), 0);
  s.leaveFastPaths();
  s.saturationsSeen.assign(s.stages.size(), 0);
  for (size_t k = 0; k < s.stages.size(); ++k) {
    Stage &st = s.stages[k];
    st.owned = s.dist->owned(k);
    st.saturations = 0;
    if (st.kind == StageKind::Synapses && !st.cores.empty())
      s.restrictRows(st);
  }
}

} // namespace snn::emu

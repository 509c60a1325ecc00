//===- Narrow16.cpp - neuron stages updated in 16-bit lanes ---------------===//
//
// One branch-free loop per configuration, compiled for the baseline and,
// on x86-64, for AVX2; the same operations, the same values.
//
//===----------------------------------------------------------------------===//
#include "emulator/Narrow16.h"
#include "emulator/LoopSupport.h"
#include "embedded/snn_arith.h"
#include "embedded/snn_sparse.h"

namespace snn::emu {
namespace {

constexpr int16_t kMax16 = 32767;

template <bool Uniform> using Param16 = Param<Uniform, int16_t>;

template <bool Uniform> struct DecayOf16 {
  Param16<Uniform> m;
  uint16_t scale; // 2^(16-k)
  int16_t sub, half, mask, tieQuotient, tieSign;
  explicit DecayOf16(const Decay16 &d)
      : m(d.m), scale(d.scale), sub(d.sub), half(d.half), mask(d.mask),
        tieQuotient(d.tieQuotient), tieSign(d.tieSign) {}
  int16_t operator()(int16_t s, int64_t j) const {
    int16_t factor = m[j];
    int16_t high = int16_t((int32_t(s) * factor) >> 16);
    uint16_t low = uint16_t(uint32_t(uint16_t(s)) * uint16_t(factor));
    // q = high · 2^(16-k) + low / 2^k, as 16-bit multiplies: the shift is
    // a run-time value, which compilers would widen to 32-bit lanes.
    int16_t q = int16_t(uint16_t(uint16_t(high) * scale) |
                        uint16_t((uint32_t(low) * uint32_t(scale)) >> 16));
    int16_t r = int16_t(low & uint16_t(mask));
    int16_t tie = int16_t((q & tieQuotient) | (int16_t(s >= 0) & tieSign));
    int16_t x = int16_t(q + (int16_t(r + tie) > half));
    return int16_t((s & sub) + int16_t((x ^ sub) - sub));
  }
};

template <bool Uniform, bool Current, int Fire, bool Subtract, int Input>
SNN_EMU_ALWAYS_INLINE inline int64_t narrow16Neurons(const Narrow16Plan &p,
                                       const void *__restrict in,
                                       const void *__restrict in2,
                                       int16_t *__restrict v,
                                       int16_t *__restrict i,
                                       uint8_t *__restrict fired,
                                       int64_t *__restrict y, int64_t n) {
  const DecayOf16<Uniform> vDecay(p.v), iDecay(p.i);
  const Param16<Uniform> bias(p.bias), negTheta(p.negTheta),
      above(p.fireAbove), reset(p.reset);
  const int16_t vMin = p.vMin, vMax = p.vMax, iMin = p.iMin, iMax = p.iMax;
  const int64_t *__restrict x = static_cast<const int64_t *>(in),
                            *__restrict x2 = static_cast<const int64_t *>(in2);
  const int32_t *__restrict y1 = static_cast<const int32_t *>(in),
                            *__restrict y2 = static_cast<const int32_t *>(in2);
  const int16_t *__restrict z1 = static_cast<const int16_t *>(in),
                            *__restrict z2 = static_cast<const int16_t *>(in2);
  // Input 4: outputs of tables the loop consumes (Stage::consumed), written
  // memory the caller owns. Each instantiation reads `in` through one of
  // these pointers only, as restrict requires.
  int16_t *__restrict w1 = static_cast<int16_t *>(const_cast<void *>(in)),
                      *__restrict w2 = static_cast<int16_t *>(const_cast<void *>(in2));
  int64_t moved = 0;
  // Saturations are counted in 16-bit lanes, a block at a time.
  for (int64_t start = 0; start < n; start += kMax16) {
    int64_t end = std::min(n, start + kMax16);
    uint16_t count = 0;
    for (int64_t j = start; j < end; ++j) {
      int16_t clamped;
      int16_t drive =
          Input == 0   ? int16_t(x[j])
          : Input == 1 ? int16_t(uint16_t(x[j]) + uint16_t(x2[j]))
          : Input == 2 ? int16_t(uint16_t(y1[j]) + uint16_t(y2[j]))
          : Input == 3 ? int16_t(uint16_t(z1[j]) + uint16_t(z2[j]))
                       : int16_t(uint16_t(w1[j]) + uint16_t(w2[j]));
      if (Input == 4)
        w1[j] = w2[j] = 0;
      if (Current) {
        drive = snn_add_clamp16(iDecay(i[j], j), drive, iMin, iMax, &clamped);
        count = uint16_t(count + clamped);
        i[j] = drive;
      }
      int16_t u = snn_add_clamp16(vDecay(v[j], j), int16_t(drive + bias[j]),
                                  vMin, vMax, &clamped);
      count = uint16_t(count + clamped);
      if (Fire == 0) {
        v[j] = u;
        y[j] = u;
        continue;
      }
      // The reset of a membrane m: m - theta saturated, or the value.
      auto resetOf = [&](int16_t m, int16_t &saturated) -> int16_t {
        saturated = 0;
        if (!Subtract)
          return reset[j];
        return snn_add_clamp16(m, negTheta[j], vMin, vMax, &saturated);
      };
      int16_t saturated;
      int16_t r = resetOf(u, saturated);
      int16_t spike;
      if (Fire == 2) {
        int16_t before = fired[j];
        int16_t m = before ? r : u;
        count = uint16_t(count + (saturated & before));
        spike = int16_t(m > above[j]);
        v[j] = m;
      } else {
        spike = int16_t(u > above[j]);
        v[j] = spike ? r : u;
        count = uint16_t(count + (saturated & spike));
      }
      fired[j] = uint8_t(spike);
    }
    moved += count;
  }
  return moved;
}

template <bool Uniform, bool Current, int Fire, bool Subtract, int Input>
int64_t baseline16(const Narrow16Plan &p, const void *x, const void *x2,
                   int16_t *v, int16_t *i, uint8_t *fired, int64_t *y,
                   int64_t n) {
  return narrow16Neurons<Uniform, Current, Fire, Subtract, Input>(
      p, x, x2, v, i, fired, y, n);
}
#if SNN_EMU_AVX2
template <bool Uniform, bool Current, int Fire, bool Subtract, int Input>
__attribute__((target("avx2"))) int64_t
avx2x16(const Narrow16Plan &p, const void *x, const void *x2, int16_t *v,
        int16_t *i, uint8_t *fired, int64_t *y, int64_t n) {
  return narrow16Neurons<Uniform, Current, Fire, Subtract, Input>(
      p, x, x2, v, i, fired, y, n);
}
#endif

template <bool Uniform, bool Current, int Fire, bool Subtract>
Narrow16Kernel kernelFor(int input) {
#if SNN_EMU_AVX2
  if (__builtin_cpu_supports("avx2"))
    return input == 0   ? avx2x16<Uniform, Current, Fire, Subtract, 0>
           : input == 1 ? avx2x16<Uniform, Current, Fire, Subtract, 1>
           : input == 2 ? avx2x16<Uniform, Current, Fire, Subtract, 2>
           : input == 3 ? avx2x16<Uniform, Current, Fire, Subtract, 3>
                        : avx2x16<Uniform, Current, Fire, Subtract, 4>;
#endif
  return input == 0   ? baseline16<Uniform, Current, Fire, Subtract, 0>
         : input == 1 ? baseline16<Uniform, Current, Fire, Subtract, 1>
         : input == 2 ? baseline16<Uniform, Current, Fire, Subtract, 2>
         : input == 3 ? baseline16<Uniform, Current, Fire, Subtract, 3>
                      : baseline16<Uniform, Current, Fire, Subtract, 4>;
}

template <bool Uniform, bool Current>
Narrow16Kernel kernelFor(const Narrow16Plan &p, int input) {
  if (!p.fires)
    return kernelFor<Uniform, Current, 0, false>(input);
  if (p.nextStep)
    return p.subtract ? kernelFor<Uniform, Current, 2, true>(input)
                      : kernelFor<Uniform, Current, 2, false>(input);
  return p.subtract ? kernelFor<Uniform, Current, 1, true>(input)
                    : kernelFor<Uniform, Current, 1, false>(input);
}

template <bool Uniform>
Narrow16Kernel kernelFor(const Narrow16Plan &p, int input) {
  return p.current ? kernelFor<Uniform, true>(p, input)
                   : kernelFor<Uniform, false>(p, input);
}

bool within(const std::vector<int64_t> &values, int64_t low, int64_t high) {
  return std::all_of(values.begin(), values.end(),
                     [&](int64_t v) { return v >= low && v <= high; });
}

/// A parameter of 0, 1 or n values as the loop reads it: one value when
/// uniform, else n.
std::vector<int16_t> narrowed16(const std::vector<int64_t> &v, bool uniform,
                                int64_t n) {
  int16_t first = int16_t(v.empty() ? 0 : v[0]);
  if (uniform || int64_t(v.size()) != n)
    return std::vector<int16_t>(uniform ? 1 : size_t(n), first);
  return std::vector<int16_t>(v.begin(), v.end());
}

/// The decay of one state, or none when it may grow the state or its shift
/// is not one value in 1..14.
std::optional<Decay16> decayOf16(bool leaks, const NeuronConstants &c,
                                 const std::vector<int64_t> &constants,
                                 bool uniform) {
  Decay16 d;
  auto one = [&](int16_t m) {
    return std::vector<int16_t>(uniform ? 1 : size_t(c.size), m);
  };
  if (!leaks) {
    d.m = one(int16_t(1 << 14));
    d.k = 14;
  } else if (c.arith == SNN_DECAY_MULTIPLY) {
    if (c.decayShift < 1 || c.decayShift > 14 ||
        !within(constants, 0, int64_t(1) << c.decayShift))
      return std::nullopt;
    d.m = narrowed16(constants, uniform, c.size);
    d.k = c.decayShift;
  } else {
    if (constants.empty() || !allEqual(constants) || constants[0] < 1 ||
        constants[0] > 14)
      return std::nullopt;
    d.m = one(1);
    d.k = int(constants[0]);
    d.sub = -1;
  }
  d.mask = int16_t((1 << d.k) - 1);
  d.scale = uint16_t(1u << (16 - d.k));
  bool floor = !leaks || c.rounding == SNN_FLOOR;
  d.half = int16_t(floor ? 1 << d.k : 1 << (d.k - 1));
  d.tieQuotient = int16_t(!floor && c.rounding == SNN_NEAREST_EVEN);
  d.tieSign = int16_t(!floor && c.rounding == SNN_HALF_AWAY);
  if (!floor && c.rounding != SNN_NEAREST_EVEN && c.rounding != SNN_HALF_AWAY)
    return std::nullopt;
  return d;
}

} // namespace

std::optional<Narrow16Plan> planNarrow16(const NeuronConstants &c) {
  auto bitsOk = [](int bits) { return bits >= 2 && bits <= 16; };
  auto sized = [&](const std::vector<int64_t> *v) {
    return v->size() <= 1 || int64_t(v->size()) == c.size;
  };
  if (!bitsOk(c.vBits) || (c.current && !bitsOk(c.iBits)) || c.size < 1 ||
      !sized(c.vDecay) || !sized(c.iDecay) || !sized(c.vBias) ||
      !sized(c.theta) || !sized(c.vReset))
    return std::nullopt;
  // The saturating sum's term: 16-bit and within 2^bits - 1.
  auto addable = [](double bound, int bits) {
    return bound <= 32767.0 && bound <= double((int64_t(1) << bits) - 1);
  };
  int64_t vMax = (int64_t(1) << (c.vBits - 1)) - 1;
  double drive = c.inputBound;
  if (c.current) {
    if (!addable(drive, c.iBits))
      return std::nullopt;
    drive = double(int64_t(1) << (c.iBits - 1));
  }
  if (!addable(drive + double(largestAbs(*c.vBias)), c.vBits))
    return std::nullopt;
  if (c.fires &&
      (!within(*c.theta, -32767, 32767) ||
       (c.subtract && !addable(double(largestAbs(*c.theta)), c.vBits)) ||
       (!c.subtract && !within(*c.vReset, -vMax - 1, vMax))))
    return std::nullopt;
  Narrow16Plan p;
  p.uniform = allEqual(*c.vDecay) && allEqual(*c.iDecay) &&
              allEqual(*c.vBias) && allEqual(*c.theta) && allEqual(*c.vReset);
  std::optional<Decay16> v = decayOf16(c.vLeaks, c, *c.vDecay, p.uniform);
  std::optional<Decay16> i = decayOf16(c.iLeaks, c, *c.iDecay, p.uniform);
  if (!v || !i)
    return std::nullopt;
  p.v = *v;
  p.i = *i;
  p.bias = narrowed16(*c.vBias, p.uniform, c.size);
  p.negTheta = narrowed16(*c.theta, p.uniform, c.size);
  for (int16_t &t : p.negTheta)
    t = int16_t(-t);
  p.fireAbove = narrowed16(*c.theta, p.uniform, c.size);
  for (int16_t &t : p.fireAbove)
    t = int16_t(t - (c.fireOnEqual ? 1 : 0));
  p.reset = narrowed16(*c.vReset, p.uniform, c.size);
  p.vMax = int16_t(vMax);
  p.vMin = int16_t(-vMax - 1);
  if (c.current) {
    p.iMax = int16_t((int64_t(1) << (c.iBits - 1)) - 1);
    p.iMin = int16_t(-p.iMax - 1);
  }
  p.current = c.current;
  p.fires = c.fires;
  p.nextStep = c.nextStep;
  p.subtract = c.subtract;
  return p;
}

Narrow16Kernel narrow16KernelOf(const Narrow16Plan &p, int input) {
  return p.uniform ? kernelFor<true>(p, input) : kernelFor<false>(p, input);
}

} // namespace snn::emu

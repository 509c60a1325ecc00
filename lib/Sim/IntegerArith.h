//===- IntegerArith.h - the integer primitives of quantized ops -*- C++ -*-===//
//
// Rounded right shifts, overflow to a width and the two decay styles, exactly
// as docs/quantization.md defines them. Every integer engine computes with
// these and nothing else; the generated C and the emulator mirror them.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_SIM_INTEGERARITH_H
#define SNN_SIM_INTEGERARITH_H

#include "SNN/IR/SNNOps.h"
#include "embedded/snn_lava.h"
#include "embedded/snn_quantize.h"

#include <cstdint>

namespace snn::integer {

/// x / 2^k rounded by `rounding`; k = 0 returns x.
inline int64_t roundShift(int64_t x, int64_t k, Rounding rounding) {
  if (k <= 0)
    return x;
  if (rounding == Rounding::TowardZero) // Lava: sign(x) * (|x| >> k)
    return x < 0 ? -((-x) >> k) : x >> k;
  int64_t q = x >> k; // arithmetic: floor(x / 2^k)
  if (rounding == Rounding::Floor)
    return q;
  int64_t remainder = x - q * (int64_t(1) << k); // in [0, 2^k)
  int64_t half = int64_t(1) << (k - 1);
  if (remainder != half)
    return remainder > half ? q + 1 : q;
  if (rounding == Rounding::NearestEven)
    return q + (q & 1);
  return x >= 0 ? q + 1 : q; // half away from zero
}

/// Lava's LIF states live in int32: the exact result first wraps to 32 bits,
/// then wrap_once corrects it once by 2^bits (x > 2^(bits-1) loses 2^bits,
/// x <= -2^(bits-1) gains it, so +2^(bits-1) is kept; for 24 bits this is
/// snn_lava_wrap_current) and saturate_symmetric clamps it to
/// +-(2^(bits-1) - 1) (snn_lava_clip_voltage).
inline int64_t fitInt32State(int64_t x, int64_t bits, Overflow overflow,
                             bool &changed) {
  int64_t r = snn_lava_wrap32(x), half = int64_t(1) << (bits - 1);
  if (overflow == Overflow::WrapOnce) {
    if (r > half)
      r -= 2 * half;
    else if (r <= -half)
      r += 2 * half;
  } else {
    r = r < -half + 1 ? -half + 1 : r > half - 1 ? half - 1 : r;
  }
  changed = r != x;
  return r;
}

/// x brought into a signed `bits`-bit integer; `changed` says it had to be.
inline int64_t fitWidth(int64_t x, int64_t bits, Overflow overflow,
                        bool &changed) {
  if (overflow == Overflow::WrapOnce ||
      overflow == Overflow::SaturateSymmetric)
    return fitInt32State(x, bits, overflow, changed);
  int64_t max = (int64_t(1) << (bits - 1)) - 1, min = -max - 1;
  changed = x < min || x > max;
  if (!changed)
    return x;
  if (overflow == Overflow::Saturate)
    return x < min ? min : max;
  uint64_t mask = (uint64_t(1) << bits) - 1;
  uint64_t low = uint64_t(x) & mask;
  if (low & (uint64_t(1) << (bits - 1)))
    low |= ~mask;
  return int64_t(low);
}

/// One step of decay of state s: multiply by m / 2^shift, or s - s / 2^k.
inline int64_t decay(int64_t s, DecayArith arith, int64_t constant,
                     int64_t shift, Rounding rounding) {
  if (arith == DecayArith::Multiply)
    return roundShift(s * constant, shift, rounding);
  return s - roundShift(s, constant, rounding);
}

/// A neuron's input as Lava's LIF takes it: wrapped to `bits` (0: exact),
/// shifted left by `shift`, wrapped again (`np.left_shift` in int32).
inline int64_t shiftInput(int64_t x, int64_t shift, int64_t bits) {
  bool changed;
  if (bits > 0)
    x = fitWidth(x, bits, Overflow::Wrap, changed);
  x *= int64_t(1) << shift;
  return bits > 0 ? fitWidth(x, bits, Overflow::Wrap, changed) : x;
}

/// x rounded to the nearest integer, ties to even (snn.quantize), within
/// +-2^62 so that the result always fits; NaN is 0.
inline int64_t roundToInteger(double x) { return snn_round_to_integer(x); }

} // namespace snn::integer

#endif // SNN_SIM_INTEGERARITH_H

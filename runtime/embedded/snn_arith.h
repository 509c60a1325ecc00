/*===- snn_arith.h - integer primitives of quantized snn ops -----*- C -*-===*
 *
 * The C twin of lib/Sim/IntegerArith.h: rounded right shifts, overflow to a
 * width and the two decay styles, exactly as docs/quantization.md defines
 * them. Generated code calls these; C99, no libc, no floating point.
 *
 *===----------------------------------------------------------------------===*/

#ifndef SNN_ARITH_H
#define SNN_ARITH_H

#include <stdint.h>

enum {
  SNN_NEAREST_EVEN = 0,
  SNN_HALF_AWAY = 1,
  SNN_FLOOR = 2,
  SNN_TOWARD_ZERO = 3 /* Lava's decays */
};
/* wrap_once and saturate_symmetric: Lava's LIF states in an int32 register
 * (docs/quantization.md). */
enum {
  SNN_SATURATE = 0,
  SNN_WRAP = 1,
  SNN_WRAP_ONCE = 2,
  SNN_SATURATE_SYMMETRIC = 3
};
enum { SNN_DECAY_MULTIPLY = 0, SNN_DECAY_SHIFT = 1 };

/* floor(x / 2^k): an arithmetic shift, written so that it does not rely on
 * the implementation-defined right shift of negative numbers. */
static inline int64_t snn_floor_shift(int64_t x, int32_t k) {
  if (x >= 0)
    return x >> k;
  return -(int64_t)(((uint64_t)(-(x + 1)) >> k)) - 1;
}

/* x / 2^k rounded by `rounding`; k = 0 returns x. */
static inline int64_t snn_round_shift(int64_t x, int32_t k, int32_t rounding) {
  int64_t q, remainder, half;
  if (k <= 0)
    return x;
  if (rounding == SNN_TOWARD_ZERO)
    return x < 0 ? -snn_floor_shift(-x, k) : snn_floor_shift(x, k);
  q = snn_floor_shift(x, k);
  if (rounding == SNN_FLOOR)
    return q;
  remainder = x - q * ((int64_t)1 << k);
  half = (int64_t)1 << (k - 1);
  if (remainder != half)
    return remainder > half ? q + 1 : q;
  if (rounding == SNN_NEAREST_EVEN)
    return q + (q & 1);
  return x >= 0 ? q + 1 : q;
}

/* wrap_once and saturate_symmetric: x wrapped to 32 bits, then corrected
 * once by 2^bits (+2^(bits-1) kept) or clamped to +-(2^(bits-1) - 1). */
static inline int64_t snn_fit_int32_state(int64_t x, int32_t bits,
                                          int32_t overflow) {
  uint64_t low = (uint64_t)x & 0xFFFFFFFFu;
  int64_t r = (low & 0x80000000u) ? -(int64_t)((~low) & 0xFFFFFFFFu) - 1
                                  : (int64_t)low;
  int64_t half = (int64_t)1 << (bits - 1);
  if (overflow == SNN_WRAP_ONCE) {
    if (r > half)
      return r - 2 * half;
    return r <= -half ? r + 2 * half : r;
  }
  return r < -half + 1 ? -half + 1 : r > half - 1 ? half - 1 : r;
}

/* x brought into a signed `bits`-bit integer. */
static inline int64_t snn_fit(int64_t x, int32_t bits, int32_t overflow) {
  int64_t max = ((int64_t)1 << (bits - 1)) - 1, min = -max - 1;
  uint64_t mask, low;
  if (overflow == SNN_WRAP_ONCE || overflow == SNN_SATURATE_SYMMETRIC)
    return snn_fit_int32_state(x, bits, overflow);
  if (x >= min && x <= max)
    return x;
  if (overflow == SNN_SATURATE)
    return x < min ? min : max;
  mask = ((uint64_t)1 << bits) - 1;
  low = (uint64_t)x & mask;
  if (low & ((uint64_t)1 << (bits - 1)))
    return -(int64_t)(((~low) & mask) + 1);
  return (int64_t)low;
}

/* One step of decay: rshift(s * m, shift), or s - rshift(s, k). */
static inline int64_t snn_decay(int64_t s, int32_t arith, int64_t constant,
                                int32_t shift, int32_t rounding) {
  if (arith == SNN_DECAY_MULTIPLY)
    return snn_round_shift(s * constant, shift, rounding);
  return s - snn_round_shift(s, (int32_t)constant, rounding);
}

/* A neuron's input as Lava's LIF takes it: wrapped to `bits` (0: exact),
 * shifted left by `shift`, wrapped again. */
static inline int64_t snn_shift_input(int64_t x, int32_t shift, int32_t bits) {
  if (bits > 0)
    x = snn_fit(x, bits, SNN_WRAP);
  x *= (int64_t)1 << shift;
  return bits > 0 ? snn_fit(x, bits, SNN_WRAP) : x;
}

#endif /* SNN_ARITH_H */

/*===- snn_sparse.h - event-driven kernels and 32-bit neuron arithmetic --*- C -*-===*
 *
 * What generated C calls for sparse projections (snn.qsparse) and for
 * neurons whose state fits 16 bits: finding the non-zero inputs of a step,
 * adding their compressed weight lists into the outputs, restoring only the
 * outputs the previous step touched, and the rounded shift, decay and fit of
 * snn_arith.h in 32 bits, written without branches so that a compiler can
 * vectorize the neuron loop. Every function computes exactly what its 64-bit
 * twin (or the fixed-point reference) computes for the arguments the
 * generator passes (docs/embedded.md, "Sparse projections"). C99, no libc.
 *
 *===----------------------------------------------------------------------===*/

#ifndef SNN_SPARSE_H
#define SNN_SPARSE_H

#include <stdint.h>

#include "snn_arith.h"

/* The indices of the non-zero entries of in[0..n) into active[], in
 * increasing order; returns their count. Blocks of 32 inputs are tested
 * with one OR first: in a spiking network nearly all blocks are zero. */
#define SNN_ACTIVE(NAME, T)                                                    \
  static inline int32_t NAME(const T *in, int32_t n, int32_t *active) {        \
    int32_t count = 0, j = 0, k;                                               \
    for (; j + 32 <= n; j += 32) {                                             \
      T any = 0;                                                               \
      for (k = 0; k < 32; ++k)                                                 \
        any |= in[j + k];                                                      \
      if (any)                                                                 \
        for (k = 0; k < 32; ++k)                                               \
          if (in[j + k])                                                       \
            active[count++] = j + k;                                           \
    }                                                                          \
    for (; j < n; ++j)                                                         \
      if (in[j])                                                               \
        active[count++] = j;                                                   \
    return count;                                                              \
  }
SNN_ACTIVE(snn_active_i8, int8_t)
SNN_ACTIVE(snn_active_i16, int16_t)
SNN_ACTIVE(snn_active_i32, int32_t)
SNN_ACTIVE(snn_active_i64, int64_t)
#undef SNN_ACTIVE

/* Kernels over weights stored by input: input j's entries are
 * [offsets[j], offsets[j+1]) of targets[] (output index) and weights[].
 * Names: snn_sparse_<what>_<weight>_<target index>_<output>. */
#define SNN_SPARSE_KERNELS(SUFFIX, WT, TT, OT)                                 \
  /* Every listed input adds its weights, times itself, to its targets. */    \
  static inline void snn_sparse_add_##SUFFIX(                                  \
      const int32_t *active, int32_t count, const int32_t *offsets,            \
      const TT *targets, const WT *weights, const OT *x, OT *out) {            \
    int32_t k, e;                                                              \
    for (k = 0; k < count; ++k) {                                              \
      int32_t j = active[k];                                                   \
      OT v = x[j];                                                             \
      for (e = offsets[j]; e < offsets[j + 1]; ++e)                            \
        out[targets[e]] = (OT)(out[targets[e]] + weights[e] * v);              \
    }                                                                          \
  }                                                                            \
  /* The same for spikes (every non-zero input is 1). */                       \
  static inline void snn_sparse_add_spikes_##SUFFIX(                           \
      const int32_t *active, int32_t count, const int32_t *offsets,            \
      const TT *targets, const WT *weights, OT *out) {                         \
    int32_t k, e;                                                              \
    for (k = 0; k < count; ++k) {                                              \
      int32_t j = active[k];                                                   \
      for (e = offsets[j]; e < offsets[j + 1]; ++e)                            \
        out[targets[e]] = (OT)(out[targets[e]] + weights[e]);                  \
    }                                                                          \
  }                                                                            \
  /* The targets of the listed inputs back to their bias: every other      \
   * output still holds its bias. */                                           \
  static inline void snn_sparse_restore_##SUFFIX(                              \
      const int32_t *active, int32_t count, const int32_t *offsets,            \
      const TT *targets, const OT *bias, OT *out) {                            \
    int32_t k, e;                                                              \
    for (k = 0; k < count; ++k) {                                              \
      int32_t j = active[k];                                                   \
      for (e = offsets[j]; e < offsets[j + 1]; ++e)                            \
        out[targets[e]] = bias[targets[e]];                                    \
    }                                                                          \
  }                                                                            \
  /* The same without a bias: back to zero. */                                 \
  static inline void snn_sparse_clear_##SUFFIX(                                \
      const int32_t *active, int32_t count, const int32_t *offsets,            \
      const TT *targets, OT *out) {                                            \
    int32_t k, e;                                                              \
    for (k = 0; k < count; ++k) {                                              \
      int32_t j = active[k];                                                   \
      for (e = offsets[j]; e < offsets[j + 1]; ++e)                            \
        out[targets[e]] = 0;                                                   \
    }                                                                          \
  }
SNN_SPARSE_KERNELS(i8_i16_i16, int8_t, int16_t, int16_t)
SNN_SPARSE_KERNELS(i8_i16_i32, int8_t, int16_t, int32_t)
SNN_SPARSE_KERNELS(i8_i32_i16, int8_t, int32_t, int16_t)
SNN_SPARSE_KERNELS(i8_i32_i32, int8_t, int32_t, int32_t)
SNN_SPARSE_KERNELS(i16_i16_i16, int16_t, int16_t, int16_t)
SNN_SPARSE_KERNELS(i16_i16_i32, int16_t, int16_t, int32_t)
SNN_SPARSE_KERNELS(i16_i32_i16, int16_t, int32_t, int16_t)
SNN_SPARSE_KERNELS(i16_i32_i32, int16_t, int32_t, int32_t)
#undef SNN_SPARSE_KERNELS

/* 32-bit neuron arithmetic. The generator uses these only when every value
 * provably fits: states of at most 16 bits, decay multipliers and shifts of
 * at most 15 bits (so s * m fits 31 bits), inputs whose bound plus the
 * state's stays below 2^30. */

/* floor(x / 2^k): the arithmetic shift where `>>` is one (every compiler
 * SNNC targets; the test is a constant), else written without it. */
static inline int32_t snn_floor_shift32(int32_t x, int32_t k) {
  if ((-1 >> 1) == -1)
    return x >> k;
  return x >= 0 ? x >> k : ~((~x) >> k);
}

/* x / 2^k rounded by `rounding` (SNN_NEAREST_EVEN, SNN_HALF_AWAY,
 * SNN_FLOOR; not SNN_TOWARD_ZERO); k = 0 returns x; |x| < 2^30. With
 * x = q·2^k + r: nearest-even adds one when r > 2^(k-1), or r = 2^(k-1) and
 * q is odd, which is floor((x + 2^(k-1) - 1 + (q & 1)) / 2^k); half-away
 * rounds ties up for x >= 0 and down below. No branch: loops vectorize. */
static inline int32_t snn_round_shift32(int32_t x, int32_t k,
                                        int32_t rounding) {
  int32_t half;
  if (k <= 0)
    return x;
  if (rounding == SNN_FLOOR)
    return snn_floor_shift32(x, k);
  half = (int32_t)1 << (k - 1);
  if (rounding == SNN_NEAREST_EVEN)
    return snn_floor_shift32(x + half - 1 + (snn_floor_shift32(x, k) & 1), k);
  return snn_floor_shift32(x + half - (x < 0), k);
}

/* snn_fit for SNN_SATURATE and SNN_WRAP to `bits` <= 31. */
static inline int32_t snn_fit32(int32_t x, int32_t bits, int32_t overflow) {
  int32_t max = (int32_t)(((uint32_t)1 << (bits - 1)) - 1), min = -max - 1;
  uint32_t mask = ((uint32_t)1 << bits) - 1, half = (uint32_t)1 << (bits - 1);
  if (overflow == SNN_WRAP)
    return (int32_t)(((uint32_t)x + half) & mask) - (int32_t)half;
  /* Two one-sided clamps: compilers make them vector min and max. */
  x = x < min ? min : x;
  return x > max ? max : x;
}

/* snn_decay in 32 bits. */
static inline int32_t snn_decay32(int32_t s, int32_t arith, int32_t constant,
                                  int32_t shift, int32_t rounding) {
  if (arith == SNN_DECAY_MULTIPLY)
    return snn_round_shift32(s * constant, shift, rounding);
  return s - snn_round_shift32(s, constant, rounding);
}

#endif /* SNN_SPARSE_H */

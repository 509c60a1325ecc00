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
SNN_ACTIVE(snn_active_i16, int16_t)
SNN_ACTIVE(snn_active_i32, int32_t)
SNN_ACTIVE(snn_active_i64, int64_t)
#undef SNN_ACTIVE

/* Bytes (spikes, 8-bit values) are scanned a machine word at a time. The
 * word is assembled from its bytes by position, so byte k is bits 8k..8k+7
 * on any byte order (compilers turn the assembly into one load where the
 * order matches); the lowest set bit then names the first non-zero byte. */
#if UINTPTR_MAX > 0xffffffffu
typedef uint64_t snn_word_t;
#define SNN_WORD_BYTES 8
#define SNN_WORD_ONES 0x7f7f7f7f7f7f7f7full
#define SNN_WORD_HIGH 0x8080808080808080ull
static inline snn_word_t snn_load_word(const int8_t *p) {
  const uint8_t *b = (const uint8_t *)p;
  return (uint64_t)b[0] | (uint64_t)b[1] << 8 | (uint64_t)b[2] << 16 |
         (uint64_t)b[3] << 24 | (uint64_t)b[4] << 32 | (uint64_t)b[5] << 40 |
         (uint64_t)b[6] << 48 | (uint64_t)b[7] << 56;
}
#else
typedef uint32_t snn_word_t;
#define SNN_WORD_BYTES 4
#define SNN_WORD_ONES 0x7f7f7f7fu
#define SNN_WORD_HIGH 0x80808080u
static inline snn_word_t snn_load_word(const int8_t *p) {
  const uint8_t *b = (const uint8_t *)p;
  return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
         (uint32_t)b[3] << 24;
}
#endif

/* The index of the lowest set bit of m != 0. */
static inline int32_t snn_lowest_bit(snn_word_t m) {
#if defined(__GNUC__) && SNN_WORD_BYTES == 8
  return (int32_t)__builtin_ctzll(m);
#elif defined(__GNUC__)
  return (int32_t)__builtin_ctz(m);
#else
  int32_t k = 0;
  while (!(m & 1)) {
    m >>= 1;
    ++k;
  }
  return k;
#endif
}

/* Appends base + the positions of the non-zero bytes of w to active[]. */
static inline int32_t snn_active_word(snn_word_t w, int32_t base,
                                      int32_t *active, int32_t count) {
  /* The high bit of each byte that is not zero, without carries between
   * bytes: (b & 0x7f) + 0x7f sets it for any low bits, | b for bit 7. */
  snn_word_t m = (((w & SNN_WORD_ONES) + SNN_WORD_ONES) | w) & SNN_WORD_HIGH;
  while (m) {
    active[count++] = base + (snn_lowest_bit(m) >> 3);
    m &= m - 1;
  }
  return count;
}

static inline int32_t snn_active_i8(const int8_t *in, int32_t n,
                                    int32_t *active) {
  int32_t count = 0, j = 0, k;
  for (; j + 4 * SNN_WORD_BYTES <= n; j += 4 * SNN_WORD_BYTES) {
    snn_word_t w0 = snn_load_word(in + j),
               w1 = snn_load_word(in + j + SNN_WORD_BYTES),
               w2 = snn_load_word(in + j + 2 * SNN_WORD_BYTES),
               w3 = snn_load_word(in + j + 3 * SNN_WORD_BYTES);
    if (!(w0 | w1 | w2 | w3))
      continue;
    count = snn_active_word(w0, j, active, count);
    count = snn_active_word(w1, j + SNN_WORD_BYTES, active, count);
    count = snn_active_word(w2, j + 2 * SNN_WORD_BYTES, active, count);
    count = snn_active_word(w3, j + 3 * SNN_WORD_BYTES, active, count);
  }
  for (k = j; k < n; ++k)
    if (in[k])
      active[count++] = k;
  return count;
}

/* Asks for the lists of the listed input k, targets and weights, a cache
 * line (64 bytes, the common size) at a time: the lists of the inputs
 * active in a step lie far apart in memory, and asking for a few of them
 * ahead overlaps their misses instead of waiting on each in turn. Only on
 * processors with caches that prefetch (x86, AArch64, with GCC or Clang);
 * a microcontroller would spend the loop for nothing. -DSNN_USE_PREFETCH=0
 * or 1 decides otherwise. */
#ifndef SNN_USE_PREFETCH
#if defined(__GNUC__) &&                                                       \
    (defined(__x86_64__) || defined(__i386__) || defined(__aarch64__))
#define SNN_USE_PREFETCH 1
#else
#define SNN_USE_PREFETCH 0
#endif
#endif
#if SNN_USE_PREFETCH
#define SNN_PREFETCH_LISTS(active, k, count, offsets, targets, weights)       \
  do {                                                                         \
    if ((k) < (count)) {                                                       \
      int32_t snn_j = (active)[k], snn_e;                                      \
      for (snn_e = (offsets)[snn_j]; snn_e < (offsets)[snn_j + 1];             \
           snn_e += (int32_t)(64 / sizeof *(targets)))                         \
        __builtin_prefetch((targets) + snn_e);                                 \
      for (snn_e = (offsets)[snn_j]; snn_e < (offsets)[snn_j + 1];             \
           snn_e += (int32_t)(64 / sizeof *(weights)))                         \
        __builtin_prefetch((weights) + snn_e);                                 \
    }                                                                          \
  } while (0)
#else
#define SNN_PREFETCH_LISTS(active, k, count, offsets, targets, weights)       \
  do {                                                                         \
  } while (0)
#endif
#define SNN_PREFETCH_AHEAD 4 /* inputs' lists asked for ahead */

/* Kernels over weights stored by input: input j's entries are
 * [offsets[j], offsets[j+1]) of targets[] (output index) and weights[].
 * Names: snn_sparse_<what>_<weight>_<target index>_<output>. */
#define SNN_SPARSE_KERNELS(SUFFIX, WT, TT, OT)                                 \
  /* Every listed input adds its weights, times itself, to its targets. */    \
  static inline void snn_sparse_add_##SUFFIX(                                  \
      const int32_t *active, int32_t count, const int32_t *offsets,            \
      const TT *targets, const WT *weights, const OT *x, OT *out) {            \
    int32_t k, e;                                                              \
    for (k = 0; k < SNN_PREFETCH_AHEAD; ++k)                                   \
      SNN_PREFETCH_LISTS(active, k, count, offsets, targets, weights);         \
    for (k = 0; k < count; ++k) {                                              \
      int32_t j = active[k];                                                   \
      OT v = x[j];                                                             \
      SNN_PREFETCH_LISTS(active, k + SNN_PREFETCH_AHEAD, count, offsets,       \
                         targets, weights);                                    \
      for (e = offsets[j]; e < offsets[j + 1]; ++e)                            \
        out[targets[e]] = (OT)(out[targets[e]] + weights[e] * v);              \
    }                                                                          \
  }                                                                            \
  /* The same for spikes (every non-zero input is 1). */                       \
  static inline void snn_sparse_add_spikes_##SUFFIX(                           \
      const int32_t *active, int32_t count, const int32_t *offsets,            \
      const TT *targets, const WT *weights, OT *out) {                         \
    int32_t k, e;                                                              \
    for (k = 0; k < SNN_PREFETCH_AHEAD; ++k)                                   \
      SNN_PREFETCH_LISTS(active, k, count, offsets, targets, weights);         \
    for (k = 0; k < count; ++k) {                                              \
      int32_t j = active[k], end = offsets[j + 1];                             \
      SNN_PREFETCH_LISTS(active, k + SNN_PREFETCH_AHEAD, count, offsets,       \
                         targets, weights);                                    \
      /* Four at a time: an input's targets are distinct. */                  \
      for (e = offsets[j]; e + 4 <= end; e += 4) {                             \
        TT t0 = targets[e], t1 = targets[e + 1], t2 = targets[e + 2],          \
           t3 = targets[e + 3];                                                \
        OT o0 = out[t0], o1 = out[t1], o2 = out[t2], o3 = out[t3];             \
        out[t0] = (OT)(o0 + weights[e]);                                       \
        out[t1] = (OT)(o1 + weights[e + 1]);                                   \
        out[t2] = (OT)(o2 + weights[e + 2]);                                   \
        out[t3] = (OT)(o3 + weights[e + 3]);                                   \
      }                                                                        \
      for (; e < end; ++e)                                                     \
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
      int32_t j = active[k], end = offsets[j + 1];                             \
      for (e = offsets[j]; e + 4 <= end; e += 4) {                             \
        TT t0 = targets[e], t1 = targets[e + 1], t2 = targets[e + 2],          \
           t3 = targets[e + 3];                                                \
        out[t0] = 0;                                                           \
        out[t1] = 0;                                                           \
        out[t2] = 0;                                                           \
        out[t3] = 0;                                                           \
      }                                                                        \
      for (; e < end; ++e)                                                     \
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

/* 16-bit neuron arithmetic, for states of at most 16 bits whose inputs
 * provably fit 16 bits: every intermediate value fits int16_t, so compilers
 * keep 16-bit vector lanes (twice the 32-bit ones). The generator's
 * preconditions are stated on each; docs/performance.md ("16-bit neuron
 * loops") gives the argument. */

/* Whether snn_decay16 and snn_add_fit16 compute in 16-bit lanes (the forms
 * below, which compilers vectorize where the processor has 16-bit vector
 * multiplies: x86-64, NEON) or through the 32-bit primitives, which take
 * fewer instructions one neuron at a time (a Cortex-M). Both give the same
 * values; the states stay int16_t either way. -DSNN_LANES16=0 or 1 decides
 * otherwise (0 suits an x86 build at GCC's -O2, which does not vectorize). */
#ifndef SNN_LANES16
#if defined(__SSE2__) || defined(__ARM_NEON) || defined(__aarch64__)
#define SNN_LANES16 1
#else
#define SNN_LANES16 0
#endif
#endif

/* The low 16 bits of the product's rounding: q + 1 when the remainder r of
 * x / 2^k (0 <= r < 2^k, k >= 1) rounds up. `tie` is 1 when a tie rounds
 * up: q's low bit for nearest-even, x >= 0 for half-away. */
static inline int16_t snn_round_up16(int16_t q, uint16_t r, int32_t k,
                                     int32_t tie) {
  uint16_t half = (uint16_t)(1u << (k - 1));
  /* r + tie <= 2^k: below k = 15 a signed compare (one vector instruction,
   * where x86 has no unsigned one). */
  if (k <= 14)
    return (int16_t)(q + ((int16_t)(r + tie) > (int16_t)half));
  return (int16_t)(q + ((uint16_t)(r + tie) > half));
}

/* x / 2^k rounded (SNN_NEAREST_EVEN, SNN_HALF_AWAY, SNN_FLOOR), 0 <= k <= 15. */
static inline int16_t snn_round_shift16(int16_t x, int32_t k,
                                        int32_t rounding) {
  int16_t q;
  uint16_t r;
  if (k <= 0)
    return x;
  q = (int16_t)snn_floor_shift32(x, k);
  r = (uint16_t)((uint16_t)x & (uint16_t)((1u << k) - 1u));
  if (rounding == SNN_FLOOR)
    return q;
  return snn_round_up16(q, r, k,
                        rounding == SNN_NEAREST_EVEN ? (q & 1) : (x >= 0));
}

/* (s * m) / 2^k rounded, for 0 <= m <= 2^k, m <= 32767 and 0 <= k <= 15 (so
 * the result fits 16 bits). The 32-bit product is taken as its high and low
 * halves, each a 16-bit multiply (vector pmulhw / pmullw), and never
 * assembled: q = high · 2^(16-k) + low / 2^k, the remainder is low's k bits. */
static inline int16_t snn_decay_multiply16(int16_t s, int16_t m, int32_t k,
                                           int32_t rounding) {
  int16_t high = (int16_t)(((int32_t)s * m) >> 16);
  uint16_t low = (uint16_t)((uint32_t)(uint16_t)s * (uint16_t)m);
  int16_t q;
  if (k <= 0)
    return (int16_t)low;
  q = (int16_t)(uint16_t)(((uint32_t)(uint16_t)high << (16 - k)) |
                          (uint32_t)(low >> k));
  if (rounding == SNN_FLOOR)
    return q;
  return snn_round_up16(q,
                        (uint16_t)(low & (uint16_t)((1u << k) - 1u)), k,
                        rounding == SNN_NEAREST_EVEN ? (q & 1) : (s >= 0));
}

/* snn_decay in 16 bits, under snn_decay_multiply16's conditions (multiply)
 * or 0 <= constant <= 15 (shift). */
static inline int16_t snn_decay16(int16_t s, int32_t arith, int16_t constant,
                                  int32_t shift, int32_t rounding) {
  if (!SNN_LANES16)
    return (int16_t)snn_decay32(s, arith, constant, shift, rounding);
  if (arith == SNN_DECAY_MULTIPLY)
    return snn_decay_multiply16(s, constant, shift, rounding);
  return (int16_t)(s - snn_round_shift16(s, constant, rounding));
}

/* a + x saturated to [min, max], for a inside it and |x| <= max - min: a
 * is first clamped to [min - min(x, 0), max - max(x, 0)], a non-empty range
 * of 16-bit values, and a + x lands in [min, max] exactly where the
 * saturated sum does. *clamped is 1 when it saturated (the clamp moved a). */
static inline int16_t snn_add_clamp16(int16_t a, int16_t x, int16_t min,
                                      int16_t max, int16_t *clamped) {
  int16_t up = (int16_t)(x > 0 ? x : 0), down = (int16_t)(x < 0 ? x : 0);
  int16_t high = (int16_t)(max - up), low = (int16_t)(min - down);
  int16_t c = a > high ? high : a;
  c = c < low ? low : c;
  *clamped = (int16_t)(c != a);
  return (int16_t)(c + x);
}

/* snn_fit(a + x, bits, overflow) for SNN_SATURATE and SNN_WRAP, bits <= 16,
 * with a inside the `bits` range; saturating needs |x| <= 2^bits - 1. */
static inline int16_t snn_add_fit16(int16_t a, int16_t x, int32_t bits,
                                    int32_t overflow) {
  int16_t max = (int16_t)((1 << (bits - 1)) - 1), min = (int16_t)(-max - 1);
  int16_t clamped;
  if (!SNN_LANES16)
    return (int16_t)snn_fit32((int32_t)a + x, bits, overflow);
  if (overflow == SNN_WRAP) {
    uint16_t half = (uint16_t)(1u << (bits - 1)),
             mask = (uint16_t)((1u << bits) - 1u);
    uint16_t sum = (uint16_t)((uint16_t)a + (uint16_t)x);
    return (int16_t)((uint16_t)((uint16_t)(sum + half) & mask) - half);
  }
  return snn_add_clamp16(a, x, min, max, &clamped);
}

#endif /* SNN_SPARSE_H */

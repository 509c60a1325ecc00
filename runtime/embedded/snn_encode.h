/*===- snn_encode.h - spike encoders and bit-packed spikes ------------*- C -*-===*
 *
 * What firmware puts in front of a generated network: sensor values turned
 * into spikes, and spikes packed 32 to a word for buffers and links. C99,
 * integers only, no libc, every function deterministic given its state.
 *
 *===----------------------------------------------------------------------===*/

#ifndef SNN_ENCODE_H
#define SNN_ENCODE_H

#include <stddef.h>
#include <stdint.h>

/* Packs n spikes (0 or non-zero) into ceil(n / 32) words, spike j in bit
 * j % 32 of word j / 32. */
static inline void snn_pack_spikes(const int8_t *spikes, size_t n,
                                   uint32_t *words) {
  size_t j;
  for (j = 0; j < (n + 31) / 32; ++j)
    words[j] = 0;
  for (j = 0; j < n; ++j)
    if (spikes[j])
      words[j / 32] |= (uint32_t)1 << (j % 32);
}

static inline void snn_unpack_spikes(const uint32_t *words, size_t n,
                                     int8_t *spikes) {
  size_t j;
  for (j = 0; j < n; ++j)
    spikes[j] = (int8_t)((words[j / 32] >> (j % 32)) & 1u);
}

/* Number of spikes in n packed spikes. */
static inline uint32_t snn_count_spikes(const uint32_t *words, size_t n) {
  uint32_t count = 0;
  size_t j;
  for (j = 0; j < n; ++j)
    count += (words[j / 32] >> (j % 32)) & 1u;
  return count;
}

/* xorshift32: the encoders' random numbers (state must not be 0). */
static inline uint32_t snn_random(uint32_t *state) {
  uint32_t x = *state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *state = x;
  return x;
}

/* Rate (Bernoulli) coding: input j spikes with probability intensity[j] / 256
 * (0 never, 255 almost always), like a camera pixel's brightness. */
static inline void snn_rate_encode(const uint8_t *intensity, size_t n,
                                   uint32_t *state, int8_t *spikes) {
  size_t j;
  for (j = 0; j < n; ++j)
    spikes[j] = (int8_t)((snn_random(state) >> 24) < intensity[j]);
}

/* Delta (send-on-change) coding of a sampled signal: channel j emits an "up"
 * spike when x has risen by threshold since its last spike, a "down" spike
 * when it has fallen by as much; reference[j] (start it at the first sample)
 * moves by one threshold per spike. */
static inline void snn_delta_encode(const int32_t *x, size_t n,
                                    int32_t threshold, int32_t *reference,
                                    int8_t *up, int8_t *down) {
  size_t j;
  for (j = 0; j < n; ++j) {
    int64_t change = (int64_t)x[j] - reference[j];
    up[j] = (int8_t)(change >= threshold);
    down[j] = (int8_t)(change <= -(int64_t)threshold);
    if (up[j])
      reference[j] += threshold;
    if (down[j])
      reference[j] -= threshold;
  }
}

#endif /* SNN_ENCODE_H */

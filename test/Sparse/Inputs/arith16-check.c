/* The 16-bit neuron primitives of snn_sparse.h against snn_arith.h's 64-bit
 * ones over the domain the generator uses them on: every 16-bit state, every
 * shift 0..15 with multipliers from 0 to 2^k (edges and a spread between),
 * every shift decay 0..15, every rounding the fast path takes, and the
 * fitted sum for every width 2..16 over a states x inputs grid that holds
 * the range edges. Prints the count checked, or the first disagreement
 * (exit 1). */
#include <stdio.h>

#include "snn_sparse.h"

static const int32_t roundings[3] = {SNN_NEAREST_EVEN, SNN_HALF_AWAY,
                                     SNN_FLOOR};
static long checked = 0;

static int checkMultiply(int32_t s, int32_t m, int32_t k) {
  int32_t r;
  for (r = 0; r < 3; ++r) {
    int64_t want = snn_decay(s, SNN_DECAY_MULTIPLY, m, k, roundings[r]);
    int16_t got = snn_decay16((int16_t)s, SNN_DECAY_MULTIPLY, (int16_t)m, k,
                              roundings[r]);
    ++checked;
    if (want != got) {
      printf("decay_multiply(%d, %d, %d, %d): %lld, 16-bit %d\n", s, m, k,
             roundings[r], (long long)want, got);
      return 1;
    }
  }
  return 0;
}

static int checkDecays(int32_t s) {
  int32_t k, r, c, i;
  for (k = 0; k <= 15; ++k) {
    int32_t top = k == 15 ? 32767 : 1 << k;
    int32_t ms[8];
    ms[0] = 0, ms[1] = 1, ms[2] = top, ms[3] = top - 1, ms[4] = top / 2,
    ms[5] = top / 2 + 1, ms[6] = top * 3 / 4 + 1, ms[7] = top * 995 / 1000;
    for (i = 0; i < 8; ++i)
      if (ms[i] >= 0 && ms[i] <= top && checkMultiply(s, ms[i], k))
        return 1;
  }
  for (c = 0; c <= 15; ++c)
    for (r = 0; r < 3; ++r) {
      int64_t want = snn_decay(s, SNN_DECAY_SHIFT, c, 0, roundings[r]);
      int16_t got = snn_decay16((int16_t)s, SNN_DECAY_SHIFT, (int16_t)c, 0,
                                roundings[r]);
      ++checked;
      if (want != got) {
        printf("decay_shift(%d, %d, %d): %lld, 16-bit %d\n", s, c,
               roundings[r], (long long)want, got);
        return 1;
      }
    }
  return 0;
}

/* Every a of the range when it is small, else a stride that keeps the
 * edges; x likewise over |x| <= 2^bits - 1 within int16 (saturating) or
 * all of int16 (wrapping). */
static int checkAddFit(int32_t bits, int32_t overflow) {
  int32_t max = (1 << (bits - 1)) - 1, min = -max - 1;
  int32_t reach = overflow == SNN_WRAP || bits == 16 ? 32767 : (1 << bits) - 1;
  int32_t least = reach == 32767 ? -32768 : -reach;
  int32_t stepA = bits <= 9 ? 1 : 37, stepX = bits <= 9 ? 1 : 41;
  int32_t a, x;
  for (a = min; a <= max; a = a + stepA > max && a != max ? max : a + stepA)
    for (x = least; x <= reach;
         x = x + stepX > reach && x != reach ? reach : x + stepX) {
      int64_t want = snn_fit((int64_t)a + x, bits, overflow);
      int16_t got = snn_add_fit16((int16_t)a, (int16_t)x, bits, overflow);
      ++checked;
      if (want != got) {
        printf("add_fit(%d, %d, %d, %d): %lld, 16-bit %d\n", a, x, bits,
               overflow, (long long)want, got);
        return 1;
      }
    }
  return 0;
}

int main(void) {
  int32_t s, bits;
  for (s = -32768; s <= 32767; ++s)
    if (checkDecays(s))
      return 1;
  for (bits = 2; bits <= 16; ++bits)
    if (checkAddFit(bits, SNN_SATURATE) || checkAddFit(bits, SNN_WRAP))
      return 1;
  printf("16-bit primitives equal snn_arith.h on %ld values\n", checked);
  return 0;
}

/* The 32-bit primitives of snn_sparse.h against their 64-bit twins in
 * snn_arith.h over the domain the generator uses them on: every x in a
 * band around zero and a sweep up to 2^30, every shift 0..15, every
 * rounding and overflow the fast path takes. Prints the count of values
 * checked, or the first disagreement (exit 1). */
#include <stdio.h>

#include "snn_sparse.h"

static long checked = 0;

static int check(int32_t x) {
  int32_t k, r, bits, o;
  const int32_t roundings[3] = {SNN_NEAREST_EVEN, SNN_HALF_AWAY, SNN_FLOOR};
  for (k = 0; k <= 15; ++k)
    for (r = 0; r < 3; ++r) {
      int64_t want = snn_round_shift(x, k, roundings[r]);
      int32_t got = snn_round_shift32(x, k, roundings[r]);
      ++checked;
      if (want != got) {
        printf("round_shift(%d, %d, %d): %lld, 32-bit %d\n", x, k,
               roundings[r], (long long)want, got);
        return 1;
      }
    }
  for (bits = 2; bits <= 16; ++bits)
    for (o = 0; o < 2; ++o) {
      int32_t overflow = o ? SNN_WRAP : SNN_SATURATE;
      ++checked;
      if (snn_fit(x, bits, overflow) != snn_fit32(x, bits, overflow)) {
        printf("fit(%d, %d, %d) differs\n", x, bits, overflow);
        return 1;
      }
    }
  return 0;
}

int main(void) {
  int32_t x;
  long step;
  for (x = -70000; x <= 70000; ++x)
    if (check(x))
      return 1;
  for (step = -(1L << 30) + 1; step < (1L << 30); step += 9973)
    if (check((int32_t)step))
      return 1;
  printf("32-bit primitives equal snn_arith.h on %ld values\n", checked);
  return 0;
}

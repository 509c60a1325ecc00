/*===- snn_quantize.h - the host's side of snn.quantize ----------*- C -*-===*
 *
 * A host that feeds real values to an integer network rounds x / scale to
 * the nearest integer, ties to even (the default floating-point rounding
 * mode), then saturates it to the input's width with snn_fit. One definition
 * for the fixed-point reference, the C engine and the emulator. C99; the
 * host has floating point, the network does not need it.
 *
 *===----------------------------------------------------------------------===*/

#ifndef SNN_QUANTIZE_H
#define SNN_QUANTIZE_H

#include <math.h>
#include <stdint.h>

/* x rounded to the nearest integer, ties to even, within +-2^62 so that the
 * conversion is always defined; NaN becomes 0. */
static inline int64_t snn_round_to_integer(double x) {
  const double limit = 4.611686018427387904e18;
  if (x != x)
    return 0;
  if (x > limit)
    x = limit;
  if (x < -limit)
    x = -limit;
  return (int64_t)nearbyint(x);
}

#endif /* SNN_QUANTIZE_H */

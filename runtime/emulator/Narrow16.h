//===- Narrow16.h - neuron stages updated in 16-bit lanes -------*- C++ -*-===//
//
// The emulator's neuron loop for stages whose every value provably fits 16
// bits (Emulator::Impl::planNarrow16): int16_t states, the decay from the
// product's high and low halves and the saturating sum of snn_sparse.h, so
// that the compiler keeps 16-bit vector lanes, twice the 32-bit loop's.
// Equal to runNeurons' 64-bit arithmetic wherever the plan applies
// (docs/performance.md, the emulator).
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_EMULATOR_NARROW16_H
#define SNNC_EMULATOR_NARROW16_H

#include <cstdint>
#include <optional>
#include <vector>

namespace snn::emu {

/// One state's decay, branch-free: x = (s·m) / 2^k rounded (a tie rounds
/// up when (q & tieQuotient) | (s >= 0 & tieSign) is 1; floor: never, with
/// half = 2^k), and the kept state is x (multiply) or s - x (shift: m = 1,
/// k the constant; sub = -1). No leak is m = 2^14, k = 14.
struct Decay16 {
  std::vector<int16_t> m; // one value, or one per neuron
  int k = 14;
  // 2^(16-k): q = high · scale + low · scale / 2^16, 16-bit multiplies.
  // Read from here, not computed in the loop's setup: a compiler that sees
  // it is a power of two turns the multiplies back into shifts by a
  // run-time count, which it widens to 32-bit lanes.
  uint16_t scale = 4;
  int16_t sub = 0, half = 0, mask = 0, tieQuotient = 0, tieSign = 0;
};

/// A neuron stage's parameters in 16 bits (one value each, or one per
/// neuron when `uniform` is false). A neuron fires when its membrane
/// exceeds fireAbove; a subtracting reset adds negTheta.
struct Narrow16Plan {
  Decay16 v, i;
  std::vector<int16_t> bias, negTheta, fireAbove, reset;
  int16_t vMin = 0, vMax = 0, iMin = 0, iMax = 0;
  bool uniform = true, current = false, fires = false, nextStep = false,
       subtract = false;
};

/// What planNarrow16 reads of a neuron stage (the image's values).
struct NeuronConstants {
  int vBits = 16, iBits = 0, arith = 0, decayShift = 0, rounding = 0;
  bool current = false, vLeaks = false, iLeaks = false, fires = false,
       subtract = true, nextStep = false, fireOnEqual = false;
  const std::vector<int64_t> *vDecay, *iDecay, *vBias, *theta, *vReset;
  double inputBound = 0; // largest |input|
  int64_t size = 0;       // neurons; each vector holds 0, 1 or size values
};

/// The 16-bit plan, or none when some value may not fit: saturating states
/// of at most 16 bits, decays that never grow the state with a shift of 1
/// to 14 the same for every neuron, thresholds and resets of 16 bits, and
/// an input bound (plus bias) within both 32767 and 2^bits - 1.
std::optional<Narrow16Plan> planNarrow16(const NeuronConstants &c);

/// The loop over n neurons: the input is x (input 0: int64_t), x + x2
/// (1: of int64_t, 2: of int32_t, 3: of int16_t; 4: of int16_t, each
/// zeroed once read). Spikes go to
/// `fired` (holding the last step's, read when the reset comes next step);
/// a stage that does not fire writes its membranes to y. Returns the
/// results that had to saturate.
using Narrow16Kernel = int64_t (*)(const Narrow16Plan &, const void *x,
                                   const void *x2, int16_t *v, int16_t *i,
                                   uint8_t *fired, int64_t *y, int64_t n);
Narrow16Kernel narrow16KernelOf(const Narrow16Plan &p, int input);

} // namespace snn::emu

#endif // SNNC_EMULATOR_NARROW16_H

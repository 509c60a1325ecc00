//===- XyloCycles.h - Rockpool's cycle model of Xylo's core -----*- C++ -*-===//
//
// The master clock cycles one time step takes, as Rockpool estimates them
// (cycles_model() in rockpool/devices/xylo/syns61201/power_cycles_model.py
// for Xylo Audio 2, syns63300/power_cycles_model.py for Xylo IMU and Xylo
// Audio 3; rockpool @ 42cee1c). One definition for the compiler (lib/Xylo's
// est_clock_freq, snn-run's summary) and the emulator, which charges each
// step of a Xylo core with it: header-only, no MLIR, no LLVM. docs/xylo.md
// gives the formulas term by term.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_RUNTIME_EMULATOR_XYLOCYCLES_H
#define SNN_RUNTIME_EMULATOR_XYLOCYCLES_H

#include <algorithm>
#include <cstdint>

namespace snn::xylo {

/// Spiking probabilities per step (Rockpool's input_sp, hidden_sp,
/// output_sp given as floats); 1.0 is Rockpool's worst case.
struct Activity {
  double input = 1.0, hidden = 1.0, output = 1.0;
};

struct Cycles {
  double input = 0, hiddenIsyn = 0, outputIsyn = 0, hiddenSpikes = 0,
         outputSpikes = 0;
  /// Audio 2 only: operations on the second synapse, in parallel (no cycles).
  double additionalIsyn2Ops = 0;
  double total() const {
    return input + hiddenIsyn + outputIsyn + hiddenSpikes + outputSpikes;
  }
};

/// What cycles_model reads off a configuration: the sizes with the device's
/// Nien/Noen already applied (Audio 2: Nhid; IMU/Audio 3: the used columns
/// of the first 128 / rows of the last 128), the mean number of non-zero
/// synapse-0 recurrent weights per hidden neuron, the fraction of hidden
/// neurons with an alias target, and whether synapse 2 is enabled.
struct CycleShape {
  double nIn = 0, nIen = 0, nHid = 0, nOen = 0, nOut = 0;
  double meanFanOut = 0, aliased = 0;
  bool isyn2 = false;
};

/// The devices whose cycle model counts every hidden neuron as input and
/// output expansion (syns61201's power_cycles_model.py; the v1 core,
/// syns61300, has the same layout).
inline bool countsWholeCore(const char *device) {
  auto is = [&](const char *name) {
    const char *a = device, *b = name;
    while (*a && *a == *b)
      ++a, ++b;
    return *a == *b;
  };
  return device && (is("syns61201") || is("syns61300"));
}

/// The shape cycles_model sees. `win(i, h)`, `wrec(p, h)` and `wout(p, o)`
/// return synapse-0 weights (input channel i to hidden h, hidden p to hidden
/// h, readout row p to output o); `window` is the number of input-expansion
/// and readout neurons IMU and Audio 3 configure (128); `aliased` counts the
/// hidden neurons with an alias target.
template <typename In, typename Rec, typename Out>
CycleShape cycleShape(bool wholeCore, int64_t window, int64_t nIn,
                      int64_t nIen, int64_t nHid, int64_t nOen, int64_t nOut,
                      In win, Rec wrec, Out wout, int64_t aliased,
                      bool isyn2) {
  CycleShape c;
  c.nIn = double(nIn);
  c.nHid = double(nHid);
  c.nOut = double(nOut);
  if (wholeCore) {
    c.nIen = c.nOen = c.nHid;
  } else {
    // sum(sign(sum(abs(sign(config.input.weights)), axis=0))) of
    // weights_in[:, :128, 0], and the same of weights_out[-128:].
    int64_t used = 0;
    for (int64_t h = 0; h < std::min(nIen, window); ++h) {
      bool any = false;
      for (int64_t i = 0; i < nIn && !any; ++i)
        any = win(i, h) != 0;
      used += any;
    }
    c.nIen = double(used);
    used = 0;
    for (int64_t p = std::max<int64_t>(0, nOen - window); p < nOen; ++p) {
      bool any = false;
      for (int64_t o = 0; o < nOut && !any; ++o)
        any = wout(p, o) != 0;
      used += any;
    }
    c.nOen = double(used);
  }
  int64_t recurrent = 0;
  for (int64_t p = 0; p < nHid; ++p)
    for (int64_t h = 0; h < nHid; ++h)
      recurrent += wrec(p, h) != 0;
  c.meanFanOut = nHid > 0 ? double(recurrent) / double(nHid) : 0;
  // alias_target_count and alias_source_count both sum to the number of
  // neurons with an alias target; their means are that over Nhid.
  c.aliased = nHid > 0 ? double(aliased) / double(nHid) : 0;
  c.isyn2 = isyn2;
  return c;
}

/// cycles_model(config, input_sp, hidden_sp, output_sp), term by term.
inline Cycles cyclesModel(const CycleShape &s, const Activity &a = {}) {
  // power_cycles_model.py: "Cycle count magic numbers".
  constexpr double kInputLoop = 3.5, kHiddenUpdate = 7, kOutputIsynUpdate = 8,
                   kFixedHiddenNeuron = 19, kFixedOutputNeuronSpk = 12;
  double target = s.aliased, source = s.aliased;
  double in = a.input, hid = a.hidden;
  Cycles c;
  c.input = s.nIn * (in * s.nIen * kInputLoop + 1);
  c.hiddenIsyn = (s.meanFanOut * kHiddenUpdate * hid + 3) * s.nHid;
  c.outputIsyn = hid * (1 + s.nOut * kOutputIsynUpdate) * s.nOen;
  double var = std::max(hid, target * source) * 2 +
               std::max(hid * target, target * source) * 3 + hid * 1 +
               std::max(hid, target) * source * 1;
  c.hiddenSpikes = (kFixedHiddenNeuron + var) * s.nHid;
  c.outputSpikes = (kFixedOutputNeuronSpk + 0 * a.output) * s.nOut;
  if (s.isyn2)
    c.additionalIsyn2Ops = (0.5 + 1) * in * s.nIn * s.nIen +
                           (4 + 1) * s.meanFanOut * hid * s.nHid + 1 * s.nHid;
  return c;
}

} // namespace snn::xylo

#endif // SNN_RUNTIME_EMULATOR_XYLOCYCLES_H

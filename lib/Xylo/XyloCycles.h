//===- XyloCycles.h - Rockpool's cycle model of Xylo's core -----*- C++ -*-===//
//
// The master clock cycles one time step takes, as Rockpool estimates them
// (rockpool/devices/xylo/syns61201/power_cycles_model.py for Xylo Audio 2,
// syns63300/power_cycles_model.py for Xylo IMU and Xylo Audio 3), computed
// from a specification the way those functions compute it from the
// configuration config_from_specification makes of it; and est_clock_freq,
// the clock a network needs to run in real time. docs/xylo.md gives the
// formulas term by term.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_XYLO_XYLOCYCLES_H
#define SNN_XYLO_XYLOCYCLES_H

#include "Xylo/XyloSpec.h"

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

/// The shape cycles_model sees for a specification on `device`.
CycleShape cycleShape(const Spec &spec, Device device);

Cycles cyclesModel(const CycleShape &shape, const Activity &activity = {});
Cycles cyclesModel(const Spec &spec, Device device,
                   const Activity &activity = {});

/// est_clock_freq for a shape: worst-case cycles x (1 + margin) / dt, in Hz.
double estClockFreq(const CycleShape &shape, double dt, double margin = 0.2);

/// est_clock_freq: worst-case cycles x (1 + margin) / dt, in Hz.
double estClockFreq(const Spec &spec, Device device, double margin = 0.2);

} // namespace snn::xylo

#endif // SNN_XYLO_XYLOCYCLES_H

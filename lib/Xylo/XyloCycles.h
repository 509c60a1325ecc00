//===- XyloCycles.h - Rockpool's cycle model of Xylo's core -----*- C++ -*-===//
//
// The master clock cycles one time step takes, as Rockpool estimates them
// (rockpool/devices/xylo/syns61201/power_cycles_model.py for Xylo Audio 2,
// syns63300/power_cycles_model.py for Xylo IMU and Xylo Audio 3), computed
// from a specification the way those functions compute it from the
// configuration config_from_specification makes of it (the formula itself is
// runtime/emulator/XyloCycles.h's, which the emulator shares); and est_clock_freq,
// the clock a network needs to run in real time. docs/xylo.md gives the
// formulas term by term.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_XYLO_XYLOCYCLES_H
#define SNN_XYLO_XYLOCYCLES_H

#include "Xylo/XyloSpec.h"
#include "emulator/XyloCycles.h"

namespace snn::xylo {

// Activity, Cycles, CycleShape and cyclesModel(shape, activity) are in
// runtime/emulator/XyloCycles.h, shared with the emulator.

/// The shape cycles_model sees for a specification on `device`.
CycleShape cycleShape(const Spec &spec, Device device);

Cycles cyclesModel(const Spec &spec, Device device,
                   const Activity &activity = {});

/// est_clock_freq for a shape: worst-case cycles x (1 + margin) / dt, in Hz.
double estClockFreq(const CycleShape &shape, double dt, double margin = 0.2);

/// est_clock_freq: worst-case cycles x (1 + margin) / dt, in Hz.
double estClockFreq(const Spec &spec, Device device, double margin = 0.2);

} // namespace snn::xylo

#endif // SNN_XYLO_XYLOCYCLES_H

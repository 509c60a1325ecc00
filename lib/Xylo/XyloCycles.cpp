//===- XyloCycles.cpp - Rockpool's cycle model of Xylo's core -------------===//
//
// The shape of a specification as cycles_model() in
// syns61201/power_cycles_model.py and syns63300/power_cycles_model.py
// (rockpool @ 42cee1c) reads it off a configuration: the two differ in
// Nien/Noen (Audio 2: Nhid; IMU/Audio 3: the input columns / readout rows
// with a non-zero weight, after the first/last 128) and in Audio 2's count
// of synapse-2 operations. The formula is runtime/emulator/XyloCycles.h.
//
//===----------------------------------------------------------------------===//

#include "Xylo/XyloCycles.h"

#include <algorithm>

namespace snn::xylo {

CycleShape cycleShape(const Spec &s, Device device) {
  bool audio2 = device == Device::Audio2 || device == Device::CoreV1;
  int64_t aliased = 0;
  for (const auto &targets : s.aliases)
    aliased += !targets.empty();
  // config_from_specification: synapse2_enable when weights_in and
  // weights_rec both have a second synapse dimension.
  bool isyn2 = audio2 && s.in3d && s.synIn == 2 && s.rec3d && s.synRec == 2;
  int64_t window = std::min(limits(device).maxIen, limits(device).maxOen);
  return xylo::cycleShape(
      audio2, window, s.nIn, s.nIen, s.nHid, s.nOen, s.nOut,
      [&](int64_t i, int64_t h) { return s.win(i, h, 0); },
      [&](int64_t p, int64_t h) { return s.wrec(p, h, 0); },
      [&](int64_t p, int64_t o) { return s.wout(p, o); }, aliased, isyn2);
}

Cycles cyclesModel(const Spec &s, Device device, const Activity &a) {
  return cyclesModel(cycleShape(s, device), a);
}

double estClockFreq(const CycleShape &shape, double dt, double margin) {
  return cyclesModel(shape).total() * (1 + margin) / dt;
}

double estClockFreq(const Spec &s, Device device, double margin) {
  return estClockFreq(cycleShape(s, device), s.dt, margin);
}

} // namespace snn::xylo

//===- XyloCycles.cpp - Rockpool's cycle model of Xylo's core -------------===//
//
// Term by term from cycles_model() in syns61201/power_cycles_model.py and
// syns63300/power_cycles_model.py (rockpool @ 42cee1c); the two differ in
// Nien/Noen (Audio 2: Nhid; IMU/Audio 3: the input columns / readout rows
// with a non-zero weight, after the first/last 128) and in Audio 2's count
// of synapse-2 operations.
//
//===----------------------------------------------------------------------===//

#include "Xylo/XyloCycles.h"

#include <algorithm>

namespace snn::xylo {

namespace {

// power_cycles_model.py: "Cycle count magic numbers".
constexpr double kInputLoop = 3.5, kHiddenUpdate = 7, kOutputIsynUpdate = 8,
                 kFixedHiddenNeuron = 19, kFixedOutputNeuronSpk = 12;

/// Input-expansion neurons with a non-zero synapse-0 weight (IMU/Audio 3:
/// config.input.weights = weights_in[:, :128, 0]).
double usedInputColumns(const Spec &s, int64_t limit) {
  int64_t used = 0;
  for (int64_t h = 0; h < std::min(s.nIen, limit); ++h) {
    bool any = false;
    for (int64_t i = 0; i < s.nIn && !any; ++i)
      any = s.win(i, h, 0) != 0;
    used += any;
  }
  return double(used);
}

/// Readout rows with a non-zero weight (config.readout.weights =
/// weights_out[-128:]).
double usedReadoutRows(const Spec &s, int64_t limit) {
  int64_t used = 0;
  for (int64_t p = std::max<int64_t>(0, s.nOen - limit); p < s.nOen; ++p) {
    bool any = false;
    for (int64_t o = 0; o < s.nOut && !any; ++o)
      any = s.wout(p, o) != 0;
    used += any;
  }
  return double(used);
}

/// Mean over hidden neurons of their non-zero synapse-0 recurrent weights
/// (config.reservoir/hidden.weights = weights_rec[:, :, 0]).
double meanFanOut(const Spec &s) {
  if (s.nHid == 0)
    return 0;
  int64_t total = 0;
  for (int64_t p = 0; p < s.nHid; ++p)
    for (int64_t h = 0; h < s.nHid; ++h)
      total += s.wrec(p, h, 0) != 0;
  return double(total) / double(s.nHid);
}

} // namespace

CycleShape cycleShape(const Spec &s, Device device) {
  bool audio2 = device == Device::Audio2 || device == Device::CoreV1;
  CycleShape c;
  c.nIn = double(s.nIn);
  c.nHid = double(s.nHid);
  c.nOut = double(s.nOut);
  c.nIen = audio2 ? c.nHid : usedInputColumns(s, limits(device).maxIen);
  c.nOen = audio2 ? c.nHid : usedReadoutRows(s, limits(device).maxOen);
  c.meanFanOut = meanFanOut(s);
  // alias_target_count and alias_source_count both sum to the number of
  // neurons with an alias target; their means are that over Nhid.
  double aliased = 0;
  for (const auto &targets : s.aliases)
    aliased += !targets.empty();
  c.aliased = c.nHid > 0 ? aliased / c.nHid : 0;
  // config_from_specification: synapse2_enable when weights_in and
  // weights_rec both have a second synapse dimension.
  c.isyn2 = audio2 && s.in3d && s.synIn == 2 && s.rec3d && s.synRec == 2;
  return c;
}

Cycles cyclesModel(const CycleShape &s, const Activity &a) {
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

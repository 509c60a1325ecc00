//===- XyloRules.h - what a Xylo device asks of a network's graph -*- C++ -*-===//
//
// Rockpool's mapper design rules and the windows of a Xylo core, checked on
// an snn.network for a target with a `xylo` section (docs/targets.md).
//
//===----------------------------------------------------------------------===//

#ifndef SNN_TARGET_XYLORULES_H
#define SNN_TARGET_XYLORULES_H

#include "Target/DesignRules.h"
#include "Xylo/XyloCycles.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace snn::target {

/// Appends every Xylo rule `network` breaks on `target` (which has `xylo`).
void checkXyloRules(NetworkOp network, const Target &target,
                    std::vector<Violation> &out);

/// What Rockpool's cycles_model would read off the configuration of
/// `network` mapped onto `target`'s Xylo device (power_cycles_model.py of
/// syns61201 for Audio 2, of syns63300 for IMU and Audio 3).
xylo::CycleShape xyloCycleShape(NetworkOp network, const Target &target);

/// The emulator summary's lines for a Xylo device: Rockpool's cycles per
/// step at worst and at the run's spike rates, and est_clock_freq, the
/// clock a network needs to run in real time at `dt`.
void printXyloCycles(llvm::raw_ostream &os, const Target &target,
                     const xylo::CycleShape &shape, double dt, double pIn,
                     double pHid);
llvm::json::Object xyloCyclesJson(const Target &target,
                                   const xylo::CycleShape &shape, double dt,
                                   double pIn, double pHid);

} // namespace snn::target

#endif // SNN_TARGET_XYLORULES_H

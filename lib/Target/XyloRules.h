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

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <vector>

namespace snn::target {

/// Xylo's synapses in a network's graph. A hidden Xylo neuron has up to two
/// synaptic states (dash_syn, dash_syn_2) summed into its membrane; a
/// network says so with an snn.lif whose input is snn.li ops (NIR LI nodes,
/// tau di/dt = -i + r I), alone or summed. Such an snn.li is a synapse of
/// the neuron, not a neuron. The quantizer (lib/Quant/QuantizeXylo.cpp) and
/// the design rules below both read the form through these functions, so
/// that what one accepts the other does.

/// The snn.lif that `op` serves as a synapse of: `op` is an snn.li whose
/// only use is that snn.lif, directly or through one snn.sum. Null otherwise.
mlir::Operation *xyloSynapseTarget(mlir::Operation *op);

/// The snn.lif an snn.li would serve as a synapse of but reaches through an
/// snn.delay (where a NIR import closes a cycle through the synapse): Xylo
/// sums its synaptic states into the membrane in the same step, so this
/// form has no Xylo equivalent. Null otherwise.
mlir::Operation *delayedXyloSynapseTarget(mlir::Operation *op);

/// One synaptic state: the synapse snn.li ops with one time constant
/// (equal per-neuron decays at the network's dt).
struct XyloSynapticState {
  llvm::SmallVector<mlir::Operation *, 2> ops;
  std::vector<double> decay;
};

/// An snn.lif's input read as Xylo synapses.
struct XyloSynapticInput {
  /// What the snn.lif's input sums, in operand order (one op when its input
  /// is not an snn.sum; null for a network input).
  llvm::SmallVector<mlir::Operation *, 2> feeding;
  /// How many of them are synapse snn.li ops (xyloSynapseTarget).
  int64_t synapses = 0;
  /// One state per distinct time constant among those snn.li ops, the
  /// fastest (smallest mean decay) first, ties in operand order: state k is
  /// synapse k of the neuron (dash_syn for 0, dash_syn_2 for 1).
  llvm::SmallVector<XyloSynapticState, 2> states;
  /// The first synapse snn.li whose v_leak is not 0 (a Xylo synaptic state
  /// decays toward 0), or null.
  mlir::Operation *leaking = nullptr;
  /// Every input is a synapse snn.li: the form the quantizer maps.
  bool allSynapses() const {
    return synapses > 0 && synapses == int64_t(feeding.size());
  }
};
XyloSynapticInput xyloSynapticInput(mlir::Operation *lif, double dt);

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

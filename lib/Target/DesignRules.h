//===- DesignRules.h - does a network fit a target, and if not why -*- C++ -*-===//
//
// Checks a network (float or quantized) against a target description and
// returns every violation at once: the op, the resource, what is needed,
// what the target has, and a concrete change that would make it fit.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_TARGET_DESIGNRULES_H
#define SNN_TARGET_DESIGNRULES_H

#include "SNN/IR/SNNOps.h"
#include "Target/Target.h"

namespace snn::target {

struct Violation {
  mlir::Operation *op = nullptr; // the op at fault (the network for totals)
  std::string where;             // `snn.lif "lif1"`, `network input 'x'`
  std::string resource;          // "fan-out", "neuron model", ...
  std::string needed, available;
  std::string suggestion;
  /// `<where>: <resource>: needs <needed>, <target> has <available>; <fix>`
  std::string message(const Target &target) const;
};

/// What the network uses of the target, for the summary when it fits.
struct Usage {
  int64_t neurons = 0, inputs = 0, outputs = 0, synapseBytes = 0;
  int64_t maxFanIn = 0, maxFanOut = 0;
  /// On a many-core target, each neuron layer on cores of its own: how many
  /// its neurons and incoming synapses take (an estimate until placement).
  struct Layer {
    mlir::Operation *op = nullptr;
    int64_t neurons = 0, synapseBytes = 0, cores = 0;
  };
  std::vector<Layer> layers;
  int64_t cores = 0;
};

/// Whether `op` holds synapses as a matrix: dense (snn.affine, snn.linear,
/// snn.qlinear) or compressed rows (snn.sparse, snn.qsparse).
bool isProjection(mlir::Operation *op);

/// The synapses of a projection (isProjection): per output element (row), per
/// input element (column) and in all. A dense matrix counts its non-zero
/// weights; compressed rows count their stored entries, each of which takes
/// synapse memory whatever its value.
struct SynapseCounts {
  std::vector<int64_t> perRow, perColumn;
  int64_t total = 0;
};
SynapseCounts synapseCountsOf(mlir::Operation *projection);

std::vector<Violation> checkDesignRules(NetworkOp network, const Target &target,
                                        Usage &usage);

} // namespace snn::target

#endif // SNN_TARGET_DESIGNRULES_H

//===- Schedule.h - the order in which an engine runs a network -*- C++ -*-===//

#ifndef SNN_SIM_SCHEDULE_H
#define SNN_SIM_SCHEDULE_H

#include "SNN/IR/SNNOps.h"

#include "llvm/ADT/DenseMap.h"

#include <optional>
#include <string>
#include <vector>

namespace snn::sim {

/// A network's signals numbered for an engine: inputs first, then each op's
/// result, and the ops in evaluation order.
struct Schedule {
  llvm::DenseMap<mlir::Value, int> valueIndex;
  std::vector<mlir::Value> inputs;      // network arguments
  std::vector<mlir::Operation *> order; // ops in evaluation order
  int numValues = 0;
};

/// Evaluation order: a topological order of the graph without the edges
/// that leave delays (the verifier guarantees it is acyclic). Delays read
/// their state before the step runs, so their users may come first.
std::optional<Schedule> schedule(NetworkOp network, std::string &error);

/// Number of neurons (elements) of a signal.
int64_t numNeurons(mlir::Value v);

} // namespace snn::sim

#endif // SNN_SIM_SCHEDULE_H

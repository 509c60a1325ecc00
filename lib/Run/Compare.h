//===- Compare.h - two engines on the same input, step by step --*- C++ -*-===//
//
// Runs two engines in lockstep (the float model and its integer form, or two
// integer engines) and reports, per node present in both, how often their
// outputs agree, the accuracy of each, and the first sample, step, node and
// neuron where they part.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_RUN_COMPARE_H
#define SNN_RUN_COMPARE_H

#include "Run/Run.h"
#include "Sim/Divergence.h"

namespace snn::run {

struct NodeAgreement {
  std::string name;
  bool spikes = false;
  double equal = 0, total = 0; // outputs (neurons x steps x samples)
  double spikesA = 0, spikesB = 0;
  double maxDifference = 0, maxMagnitude = 0; // real-valued nodes
  double saturationsB = 0;
  // Membranes and currents after each sample's last step, where both
  // engines show them.
  double finalStateEqual = 0, finalStateTotal = 0;
};

using sim::Divergence;

struct Comparison {
  std::string nameA, nameB;
  RunResult a, b;
  std::vector<NodeAgreement> nodes;
  Divergence first;
  int64_t samplesAgreeing = 0; // same prediction
};

/// `observer`, when given, is called after both engines took each step.
llvm::Expected<Comparison>
compareEngines(sim::Engine &a, NetworkOp networkA, const std::string &nameA,
               sim::Engine &b, NetworkOp networkB, const std::string &nameB,
               const Inputs &inputs, const std::optional<npy::Array> &labels,
               const RunOptions &options, const StepObserver &observer = {});

void printComparison(const Comparison &c, llvm::raw_ostream &os);
llvm::json::Object comparisonJson(const Comparison &c);

} // namespace snn::run

#endif // SNN_RUN_COMPARE_H

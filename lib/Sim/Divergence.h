//===- Divergence.h - where two engines' spikes first differ ----*- C++ -*-===//
//
// Two engines stepped in lockstep on the same input (run::compareEngines, a
// report's Recorder) pair the nodes both have and look for the first spike
// on which they disagree. Both use these, so a comparison table and its
// report name the same place.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_SIM_DIVERGENCE_H
#define SNN_SIM_DIVERGENCE_H

#include "Sim/Engine.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace snn::sim {

/// The first place two engines' spikes differ: the earliest step, then the
/// lowest sample; within them the first node in evaluation order and the
/// lowest neuron.
struct Divergence {
  bool found = false;
  int64_t sample = 0, step = 0, neuron = 0;
  std::string node;
  double a = 0, b = 0; // the two engines' outputs there

  /// True when `d` was found and comes before this one (or this is none).
  bool isAfter(const Divergence &d) const;
  /// Looks at the spikes `x` (engine A) and `z` (engine B) of `node` after
  /// step `t` of samples [first, first + count), one column per sample,
  /// and keeps the earliest difference.
  void search(const Matrix &x, const Matrix &z, int64_t first, int64_t count,
              int64_t t, const std::string &node);
};

/// A node both engines have: its name and its index in each.
struct NodePair {
  std::string name;
  size_t a = 0, b = 0;
};

/// The nodes both engines have (same name, spiking or not, and size), in
/// A's evaluation order.
std::vector<NodePair> commonNodes(const Engine &a, const Engine &b);

} // namespace snn::sim

#endif // SNN_SIM_DIVERGENCE_H

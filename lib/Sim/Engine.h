//===- Engine.h - what snn-run drives: one network, step by step -*- C++
//-*-===//
//
// The float reference and the fixed-point reference behind one interface.
// Signals are [neurons x samples] matrices of real values: spikes are 0/1,
// an integer engine reports its integers times their units.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_SIM_ENGINE_H
#define SNN_SIM_ENGINE_H

#include <Eigen/Dense>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace snn::sim {

using Matrix = Eigen::MatrixXd;

enum class Propagation { Auto, Dense, EventDriven };

/// What one node did over a run, summed over samples and steps.
struct NodeStats {
  std::string name;
  std::string key; // nodeKey of the op
  std::string op;
  bool spikes = false;
  int64_t neurons = 0;
  double nonzero = 0; // non-zero outputs (spikes, for spiking nodes)
  double outputs = 0; // outputs produced (neurons x steps x samples)
  double synopsEffective = 0, synopsDense = 0; // projections only
  double eventSteps = 0, denseSteps = 0;       // how projections ran
  double saturations = 0; // integer results that left their width
};

class Engine {
public:
  virtual ~Engine() = default;

  /// Zeroes all state for a batch of `samples` independent runs.
  virtual void reset(int64_t samples) = 0;
  /// Advances one step; `inputs[k]` is [neurons of input k x samples].
  virtual void step(const std::vector<Matrix> &inputs) = 0;
  /// The most samples one reset may run together.
  virtual int64_t maxBatch() const { return INT64_MAX; }
  /// True for engines whose every value is exact (integers): two such
  /// engines must agree on state too, not only on spikes.
  virtual bool exact() const { return false; }

  virtual size_t numInputs() const = 0;
  virtual size_t numOutputs() const = 0;
  virtual int64_t inputSize(size_t k) const = 0;
  virtual int64_t outputSize(size_t k) const = 0;
  virtual bool outputIsSpikes(size_t k) const = 0;
  /// Output k of the last step.
  virtual const Matrix &output(size_t k) const = 0;

  /// Nodes by name, for recording traces and comparing engines.
  virtual std::optional<size_t> findNode(const std::string &name) const = 0;
  virtual std::vector<std::string> nodeNames() const = 0;
  virtual const Matrix &nodeOutput(size_t node) const = 0;
  /// Membrane and synaptic current of neuron nodes (null for other nodes).
  virtual const Matrix *nodeMembrane(size_t node) const = 0;
  virtual const Matrix *nodeCurrent(size_t node) const = 0;

  virtual const std::vector<NodeStats> &stats() const = 0;
  virtual void resetStats() = 0;

  Propagation propagation = Propagation::Auto;
  /// Below this fraction of non-zero inputs a projection runs event-driven;
  /// snn-bench-reference puts the crossover near 0.5 on the MLP (docs/
  /// validation.md).
  double eventDensity = 0.4;
};

} // namespace snn::sim

#endif // SNN_SIM_ENGINE_H

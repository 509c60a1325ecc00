//===- Reference.h - the float reference simulator -------------*- C++ -*-===//
//
// Runs an snn.network step by step in float64 exactly as docs/semantics.md
// defines each op. A batch of independent samples is one matrix per signal,
// [neurons x samples]. Projections whose input is sparse accumulate only the
// weight columns of the inputs that are non-zero (event-driven); dense
// inputs use a matrix product.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_SIM_REFERENCE_H
#define SNN_SIM_REFERENCE_H

#include "SNN/IR/SNNOps.h"

#include <Eigen/Dense>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace snn::sim {

using Matrix = Eigen::MatrixXd;

enum class Propagation { Auto, Dense, EventDriven };

/// Float64 computes and stores in double. Float32 stores every signal,
/// state variable and coefficient as a float: each op computes in double and
/// rounds its results to float (what a float32 framework stores between ops;
/// sums inside one op are not rounded term by term).
enum class Precision { Float64, Float32 };

/// What one node did over a run, summed over samples and steps.
struct NodeStats {
  std::string name;
  std::string op;
  bool spikes = false;
  int64_t neurons = 0;
  double nonzero = 0;  // non-zero outputs (spikes, for spiking nodes)
  double outputs = 0;  // outputs produced (neurons x steps x samples)
  double synopsEffective = 0, synopsDense = 0; // projections only
  double eventSteps = 0, denseSteps = 0;       // how projections ran
};

class Reference {
public:
  ~Reference();
  /// Prepares `network`; null with `error` naming the op it cannot run.
  static std::unique_ptr<Reference>
  create(NetworkOp network, std::string &error,
         Precision precision = Precision::Float64);

  /// Zeroes all state for a batch of `samples` independent runs.
  void reset(int64_t samples);
  /// Advances one step; `inputs[k]` is [neurons of input k x samples].
  void step(const std::vector<Matrix> &inputs);

  size_t numInputs() const;
  size_t numOutputs() const;
  int64_t inputSize(size_t k) const;
  int64_t outputSize(size_t k) const;
  bool outputIsSpikes(size_t k) const;
  /// Output k of the last step.
  const Matrix &output(size_t k) const;

  /// Nodes by name, for recording traces.
  std::optional<size_t> findNode(const std::string &name) const;
  std::vector<std::string> nodeNames() const;
  const Matrix &nodeOutput(size_t node) const;
  /// Membrane and synaptic current of neuron nodes (null for other nodes).
  const Matrix *nodeMembrane(size_t node) const;
  const Matrix *nodeCurrent(size_t node) const;

  const std::vector<NodeStats> &stats() const;
  void resetStats();

  Propagation propagation = Propagation::Auto;
  /// Below this fraction of non-zero inputs a projection runs event-driven;
  /// snn-bench-reference puts the crossover near 0.5 on the MLP (docs/
  /// validation.md).
  double eventDensity = 0.4;

  struct Impl;

private:
  std::unique_ptr<Impl> impl;
};

} // namespace snn::sim

#endif // SNN_SIM_REFERENCE_H

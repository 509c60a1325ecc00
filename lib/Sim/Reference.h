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

#include "Sim/Engine.h"

#include "llvm/Support/Error.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace snn::sim {

/// Float64 computes and stores in double. Float32 stores every signal,
/// state variable and coefficient as a float: each op computes in double and
/// rounds its results to float (what a float32 framework stores between ops;
/// sums inside one op are not rounded term by term).
enum class Precision { Float64, Float32 };

class Reference : public Engine {
public:
  ~Reference();
  /// Prepares `network`; the error names the op it cannot run.
  static llvm::Expected<std::unique_ptr<Reference>>
  create(NetworkOp network, Precision precision = Precision::Float64);

  // Engine
  void reset(int64_t samples) override;
  void step(const std::vector<Matrix> &inputs) override;
  size_t numInputs() const override;
  size_t numOutputs() const override;
  int64_t inputSize(size_t k) const override;
  int64_t outputSize(size_t k) const override;
  bool outputIsSpikes(size_t k) const override;
  const Matrix &output(size_t k) const override;
  std::optional<size_t> findNode(const std::string &name) const override;
  std::vector<std::string> nodeNames() const override;
  const Matrix &nodeOutput(size_t node) const override;
  const Matrix *nodeMembrane(size_t node) const override;
  const Matrix *nodeCurrent(size_t node) const override;
  const std::vector<NodeStats> &stats() const override;
  void resetStats() override;

  struct Impl;

private:
  std::unique_ptr<Impl> impl;
};

} // namespace snn::sim

#endif // SNN_SIM_REFERENCE_H

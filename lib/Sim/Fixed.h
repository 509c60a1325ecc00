//===- Fixed.h - the fixed-point reference (the golden model) ---*- C++ -*-===//
//
// Runs a quantized snn.network (snn.quantize, snn.qlinear, snn.qconv*,
// snn.qneuron, snn.xylo, and the structural ops on integers) with exact integer
// arithmetic, as docs/quantization.md defines each op. The generated C and
// the emulator must reproduce its integers bit for bit.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_SIM_FIXED_H
#define SNN_SIM_FIXED_H

#include "SNN/IR/SNNOps.h"
#include "Sim/Engine.h"

#include "llvm/Support/Error.h"

#include <memory>

namespace snn::sim {

using IntMatrix = Eigen::Matrix<int64_t, Eigen::Dynamic, Eigen::Dynamic>;
class XyloCore;

class Fixed : public Engine {
public:
  ~Fixed();
  /// Prepares `network`; the error names the op it cannot run (a float op:
  /// run snn-quantize first).
  static llvm::Expected<std::unique_ptr<Fixed>> create(NetworkOp network);

  // Engine: values are the integers times their units.
  void reset(int64_t samples) override;
  void step(const std::vector<Matrix> &inputs) override;
  bool exact() const override { return true; }
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

  /// The integers themselves.
  const IntMatrix &rawOutput(size_t k) const;
  const IntMatrix *rawMembrane(size_t node) const;
  const IntMatrix *rawCurrent(size_t node) const;
  /// The core of an snn.xylo node, with its hidden state (null otherwise).
  const XyloCore *xyloCore(size_t node) const;

  struct Impl;

private:
  std::unique_ptr<Impl> impl;
};

} // namespace snn::sim

#endif // SNN_SIM_FIXED_H

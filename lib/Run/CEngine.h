//===- CEngine.h - the generated C as an engine -----------------*- C++ -*-===//
//
// Generates C for a quantized network (snn-translate --emit-c, with probe
// functions that copy out every named node's output and state), compiles it
// with the host compiler into a shared library and runs it in process, so
// that snn-run can compare it node by node with the fixed-point reference.
// The generated code keeps one network's state in static memory, so this
// engine runs one sample at a time.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_RUN_CENGINE_H
#define SNN_RUN_CENGINE_H

#include "Codegen/LowerToLoops.h"
#include "SNN/IR/SNNOps.h"
#include "Sim/Engine.h"

#include "llvm/Support/Error.h"

#include <memory>

namespace snn::run {

class CEngine : public sim::Engine {
public:
  ~CEngine() override;
  /// An error when the network has no C form or the compiler fails.
  static llvm::Expected<std::unique_ptr<CEngine>>
  create(NetworkOp network, const codegen::CodegenOptions &options = {});

  void reset(int64_t samples) override;
  void step(const std::vector<sim::Matrix> &inputs) override;
  int64_t maxBatch() const override { return 1; }
  bool exact() const override { return true; }
  size_t numInputs() const override { return 1; }
  size_t numOutputs() const override { return 1; }
  int64_t inputSize(size_t k) const override;
  int64_t outputSize(size_t k) const override;
  bool outputIsSpikes(size_t k) const override;
  const sim::Matrix &output(size_t k) const override;
  /// Named nodes, read through the generated probe functions.
  std::optional<size_t> findNode(const std::string &name) const override;
  std::vector<std::string> nodeNames() const override;
  const sim::Matrix &nodeOutput(size_t node) const override;
  const sim::Matrix *nodeMembrane(size_t node) const override;
  const sim::Matrix *nodeCurrent(size_t node) const override;
  const std::vector<sim::NodeStats> &stats() const override;
  void resetStats() override;

  /// Where the generated source and library are (kept until destruction).
  const std::string &sourcePath() const;

  struct Impl;

private:
  std::unique_ptr<Impl> impl;
};

} // namespace snn::run

#endif // SNN_RUN_CENGINE_H

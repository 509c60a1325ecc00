//===- LavaEngine.h - Lava itself as an engine ------------------*- C++ -*-===//
//
// snn-run --engine lava: the integer network is exported as a netx file
// (--emit-netx), Lava loads it with netx.hdf5.Network and runs every sample,
// and the output spikes are read back. Lava is Python and is found at run
// time: SNNC_LAVA_RUNNER names a runner script, or SNNC_LAVA_PATH a directory
// holding run_netx.py (the interface of ../shared/oracles/lava/run_netx.py:
// `RUNNER NET.net IN.npy OUT.npy [--steps T]`); SNNC_LAVA_PYTHON the Python
// (default: python3 on PATH). The runner chooses Lava's run configuration:
// Loihi2SimCfg on a CPU, Loihi2HwCfg on a host with Loihi 2 (docs/loihi2.md).
//
// Lava runs a whole sample at once, so the engine runs every sample of the
// input when it is created and then replays the output step by step, in the
// order snn-run feeds the samples. It sees only the network's output.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_RUN_LAVAENGINE_H
#define SNN_RUN_LAVAENGINE_H

#include "Run/Run.h"
#include "SNN/IR/SNNOps.h"
#include "Sim/Engine.h"

#include "llvm/Support/Error.h"

#include <memory>

namespace snn::run {

class LavaEngine : public sim::Engine {
public:
  /// Exports `network`, runs Lava on every sample of `inputs`; an error
  /// names what failed (export, the runner, its output).
  static llvm::Expected<std::unique_ptr<LavaEngine>>
  create(NetworkOp network, const Inputs &inputs);

  void reset(int64_t samples) override;
  void step(const std::vector<sim::Matrix> &inputs) override;
  size_t numInputs() const override { return 1; }
  size_t numOutputs() const override { return 1; }
  int64_t inputSize(size_t) const override { return inSize; }
  int64_t outputSize(size_t) const override { return outSize; }
  bool outputIsSpikes(size_t) const override { return true; }
  const sim::Matrix &output(size_t) const override { return out; }
  std::optional<size_t> findNode(const std::string &name) const override;
  std::vector<std::string> nodeNames() const override { return {outName}; }
  const sim::Matrix &nodeOutput(size_t) const override { return out; }
  const sim::Matrix *nodeMembrane(size_t) const override { return nullptr; }
  const sim::Matrix *nodeCurrent(size_t) const override { return nullptr; }
  const std::vector<sim::NodeStats> &stats() const override { return nodeStats; }
  void resetStats() override;

private:
  LavaEngine() = default;
  int64_t inSize = 0, outSize = 0, steps = 0;
  std::string outName;
  /// Lava's output, [samples][steps][outSize] in (C, H, W) order.
  std::vector<uint8_t> spikes;
  int64_t first = 0, count = 0, next = 0, t = 0;
  sim::Matrix out;
  std::vector<sim::NodeStats> nodeStats;
};

} // namespace snn::run

#endif // SNN_RUN_LAVAENGINE_H

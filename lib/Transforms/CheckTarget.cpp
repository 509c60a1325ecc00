//===- CheckTarget.cpp - snn-check-target over lib/Target -----------------===//

#include "Target/DesignRules.h"
#include "Transforms/Passes.h"
#include "Transforms/TargetOption.h"

#include "llvm/Support/FormatVariadic.h"

namespace snn {
#define GEN_PASS_DEF_CHECKTARGET
#include "Transforms/Passes.h.inc"
} // namespace snn

using namespace mlir;

namespace snn {
namespace {

struct CheckTargetPass : impl::CheckTargetBase<CheckTargetPass> {
  using CheckTargetBase::CheckTargetBase;

  void runOnOperation() override {
    NetworkOp network = getOperation();
    std::optional<target::Target> t =
        targetOption(network, "snn-check-target", targetPath);
    if (!t)
      return signalPassFailure();
    target::Usage usage;
    std::vector<target::Violation> violations =
        target::checkDesignRules(network, *t, usage);
    for (const target::Violation &v : violations)
      v.op->emitError() << v.message(*t);
    if (!violations.empty()) {
      network.emitError() << "@" << network.getSymName() << " does not fit "
                          << t->name << ": " << violations.size()
                          << " design-rule violation"
                          << (violations.size() == 1 ? "" : "s");
      return signalPassFailure();
    }
    network.emitRemark() << "@" << network.getSymName() << " fits " << t->name
                         << ": " << usage.neurons << " neurons, "
                         << usage.inputs << " inputs, " << usage.outputs
                         << " outputs, " << usage.synapseBytes
                         << " bytes of synapses, fan-in up to "
                         << usage.maxFanIn << ", fan-out up to "
                         << usage.maxFanOut << ", " << usage.cores << " of "
                         << t->systemCores() << " core"
                         << (t->systemCores() == 1 ? "" : "s");
    if (t->cores <= 1)
      return;
    for (const target::Usage::Layer &layer : usage.layers) {
      double neurons = 100.0 * double(layer.neurons) /
                       double(layer.cores * t->neuronsPerCore);
      double memory = t->synapseBytesPerCore > 0
                          ? 100.0 * double(layer.synapseBytes) /
                                double(layer.cores * t->synapseBytesPerCore)
                          : 0.0;
      layer.op->emitRemark()
          << describeOp(layer.op) << ": " << layer.cores << " core" << (layer.cores == 1 ? "" : "s") << ": "
          << layer.neurons << " neurons ("
          << llvm::formatv("{0:F1}", neurons).str() << " % of their neurons), "
          << layer.synapseBytes << " synapse bytes ("
          << llvm::formatv("{0:F1}", memory).str()
          << " % of their synapse memory)";
    }
  }
};

} // namespace
} // namespace snn

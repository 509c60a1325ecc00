//===- CodegenPasses.cpp - snn-lower-to-loops, snn-convert-to-emitc -------===//

#include "Codegen/LowerToLoops.h"
#include "Transforms/Passes.h"

namespace snn {
#define GEN_PASS_DEF_LOWERTOLOOPS
#define GEN_PASS_DEF_CONVERTTOEMITC
#include "Transforms/Passes.h.inc"
} // namespace snn

using namespace mlir;

namespace snn {
namespace {

struct LowerToLoopsPass : impl::LowerToLoopsBase<LowerToLoopsPass> {
  using LowerToLoopsBase::LowerToLoopsBase;
  void runOnOperation() override {
    ModuleOp module = getOperation();
    for (NetworkOp network : llvm::to_vector(module.getOps<NetworkOp>())) {
      codegen::Interface interface;
      codegen::CodegenOptions options;
      options.spikeActivity = spikeActivity;
      // Errors land on the op at fault (the network's own are prefixed with
      // the pass name).
      if (failed(codegen::lowerToLoops(network, module, options, interface,
                                       "snn-lower-to-loops")))
        return signalPassFailure();
      network.erase();
    }
  }
};

struct ConvertToEmitCPass : impl::ConvertToEmitCBase<ConvertToEmitCPass> {
  void runOnOperation() override {
    if (failed(codegen::convertToEmitC(getOperation())))
      signalPassFailure();
  }
};

} // namespace
} // namespace snn

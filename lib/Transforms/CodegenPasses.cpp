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
      std::string error;
      codegen::CodegenOptions options;
      options.spikeActivity = spikeActivity;
      if (failed(codegen::lowerToLoops(network, module, options, interface,
                                       error))) {
        network.emitError() << "snn-lower-to-loops: " << error;
        return signalPassFailure();
      }
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

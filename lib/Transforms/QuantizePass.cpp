//===- QuantizePass.cpp - snn-quantize over lib/Quant ---------------------===//

#include "Quant/Quantize.h"
#include "Transforms/Passes.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

namespace snn {
#define GEN_PASS_DEF_QUANTIZE
#include "Transforms/Passes.h.inc"
} // namespace snn

using namespace mlir;

namespace snn {

namespace {

struct QuantizePass : impl::QuantizeBase<QuantizePass> {
  using QuantizeBase::QuantizeBase;

  /// The pass options as the quantizer takes them.
  quant::QuantizeOptions quantizeOptions() {
    quant::QuantizeOptions o;
    o.weightBits = weightBits;
    o.maxWeightExp = maxWeightExp;
    o.stateBits = stateBits;
    o.currentBits = currentBits;
    o.accBits = accBits;
    o.inputBits = inputBits;
    o.perChannel = perChannel;
    o.powerOfTwo = powerOfTwo;
    o.decay = decay;
    o.decayShift = decayShift;
    o.rounding = rounding;
    o.overflow = overflow;
    o.scaleMethod = scaleMethod;
    return o;
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    // One report per network, written once for the module: the pass runs on
    // the module so that networks do not race for the file.
    llvm::json::Array reports;
    SmallVector<NetworkOp> networks(module.getOps<NetworkOp>());
    for (NetworkOp network : networks) {
      quant::QuantReport report;
      if (failed(quant::quantizeFromOptions(network, quantizeOptions(),
                                            targetPath, calibration, report)))
        return signalPassFailure();
      llvm::json::Object json = report.toJson();
      json["network"] = network.getSymName().str();
      reports.push_back(std::move(json));
    }
    if (reportPath.empty())
      return;
    std::error_code ec;
    llvm::raw_fd_ostream out(reportPath, ec);
    if (ec) {
      module.emitError() << "snn-quantize: " << reportPath << ": "
                         << ec.message();
      return signalPassFailure();
    }
    out << llvm::formatv("{0:2}", llvm::json::Value(std::move(reports)))
        << "\n";
  }
};

} // namespace
} // namespace snn

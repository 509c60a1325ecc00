//===- QuantizePass.cpp - snn-quantize over lib/Quant ---------------------===//

#include "Quant/Quantize.h"
#include "Target/Target.h"
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

  void runOnOperation() override {
    NetworkOp network = getOperation();
    std::string error;
    std::optional<quant::QuantizeOptions> options = quant::parseQuantizeOptions(
        weightBits, maxWeightExp, stateBits, currentBits, accBits, inputBits,
        perChannel, powerOfTwo, decay, decayBits, rounding, overflow,
        scaleMethod, error);
    if (!options) {
      network.emitError() << "snn-quantize: " << error;
      return signalPassFailure();
    }
    if (!targetPath.empty()) {
      std::optional<target::Target> t = target::readTarget(targetPath, error);
      if (!t) {
        network.emitError() << "snn-quantize: " << error;
        return signalPassFailure();
      }
      target::applyTarget(*t, *options);
    }
    std::optional<quant::Calibration> calibrationData;
    if (!calibration.empty()) {
      calibrationData = quant::readCalibration(calibration, error);
      if (!calibrationData) {
        network.emitError() << "snn-quantize: " << error;
        return signalPassFailure();
      }
    }
    quant::QuantReport report;
    if (failed(quant::quantizeNetwork(
            network, *options, calibrationData ? &*calibrationData : nullptr,
            report)))
      return signalPassFailure();
    if (reportPath.empty())
      return;
    std::error_code ec;
    llvm::raw_fd_ostream out(reportPath, ec);
    if (ec) {
      network.emitError() << "snn-quantize: " << reportPath << ": "
                          << ec.message();
      return signalPassFailure();
    }
    out << llvm::formatv("{0:2}", llvm::json::Value(report.toJson())) << "\n";
  }
};

} // namespace
} // namespace snn

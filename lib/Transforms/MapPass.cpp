//===- MapPass.cpp - snn-map over lib/Map ---------------------------------===//

#include "Map/MapNetwork.h"
#include "Quant/Calibration.h"
#include "Transforms/Passes.h"
#include "Transforms/TargetOption.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

namespace snn {
#define GEN_PASS_DEF_MAP
#include "Transforms/Passes.h.inc"
} // namespace snn

using namespace mlir;

namespace snn {
namespace {

struct MapPass : impl::MapBase<MapPass> {
  using MapBase::MapBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    std::optional<target::Target> t = targetOption(module, "snn-map", targetPath);
    if (!t)
      return signalPassFailure();
    map::MapOptions options;
    options.activity = spikeActivity;
    options.cycleBudget = cycleBudget;
    if (!(spikeActivity >= 0 && spikeActivity <= 1)) {
      module.emitError() << "snn-map: spike-activity must be in [0, 1]";
      return signalPassFailure();
    }
    if (!calibrationPath.empty()) {
      llvm::Expected<quant::Calibration> c =
          quant::readCalibration(calibrationPath);
      if (!c) {
        module.emitError() << "snn-map: " << llvm::toString(c.takeError());
        return signalPassFailure();
      }
      options.useRates(*c);
    }
    std::vector<NetworkOp> networks(module.getOps<NetworkOp>().begin(),
                                    module.getOps<NetworkOp>().end());
    std::string text;
    llvm::json::Array reports;
    for (NetworkOp network : networks) {
      map::MapReport report;
      std::string name = network.getSymName().str();
      FailureOr<hw::ChipOp> chip = map::mapNetwork(network, *t, options, report);
      if (failed(chip))
        return signalPassFailure();
      int64_t neurons = 0, bytes = 0;
      for (const map::CoreUse &c : report.cores) {
        neurons += c.neurons;
        bytes += c.synapseBytes;
      }
      chip->emitRemark() << "@" << name << " mapped onto " << t->name << ": "
                         << report.cores.size() << " of " << t->cores
                         << " core" << (t->cores == 1 ? "" : "s") << ", "
                         << neurons << " neurons, " << bytes
                         << " synapse bytes, estimated NoC traffic "
                         << llvm::formatv("{0:F1}", report.traffic).str()
                         << " spike-hops/step";
      if (reportPath.empty())
        continue;
      llvm::raw_string_ostream os(text);
      report.print(os);
      reports.push_back(report.toJson());
    }
    if (reportPath.empty())
      return;
    std::error_code ec;
    llvm::raw_fd_ostream out(reportPath, ec);
    if (ec) {
      module.emitError() << "snn-map: " << reportPath << ": " << ec.message();
      return signalPassFailure();
    }
    if (llvm::StringRef(reportPath).ends_with(".json"))
      out << llvm::formatv("{0:2}", llvm::json::Value(std::move(reports)))
          << "\n";
    else
      out << text;
  }
};

} // namespace
} // namespace snn

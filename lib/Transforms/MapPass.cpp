//===- MapPass.cpp - snn-map over lib/Map ---------------------------------===//

#include "Map/MapNetwork.h"
#include "Quant/Calibration.h"
#include "Report/Report.h"
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

/// A core's fullest resource: neurons, synapse memory, or the cycles a step
/// may take.
double fullestUse(const map::CoreUse &c, const map::MapReport &report) {
  auto share = [](double used, double limit) {
    return limit > 0 ? used / limit : 0.0;
  };
  return std::max({share(double(c.neurons), double(report.neuronsPerCore)),
                   share(double(c.synapseBytes),
                         double(report.synapseBytesPerCore)),
                   share(c.cycles, report.cycleBudget)});
}

/// The mapping report as the HTML page draws it.
report::Placement placementOf(const map::MapReport &r,
                              const target::Target &t) {
  report::Placement p;
  p.network = r.network;
  p.target = t.name;
  p.meshWidth = int(t.meshWidth);
  p.meshHeight = int(t.meshHeight);
  p.chips = int(t.chips);
  p.chipMeshWidth = int(t.chipMeshWidth);
  p.chipMeshHeight = int(t.chipMeshHeight);
  p.targetCores = r.targetCores;
  p.traffic = r.traffic;
  for (const map::CoreUse &c : r.cores) {
    report::PlacedCore core;
    core.id = int(c.id);
    core.x = int(c.x);
    core.y = int(c.y);
    core.chip = int(c.chip);
    core.neurons = c.neurons;
    core.synapseBytes = c.synapseBytes;
    core.cycles = c.cycles;
    core.use = fullestUse(c, r);
    for (size_t g : c.groups)
      core.contents += (core.contents.empty() ? "" : ", ") + r.groups[g].op +
                       "[" + std::to_string(r.groups[g].begin) + ", " +
                       std::to_string(r.groups[g].end) + ")";
    p.cores.push_back(core);
  }
  for (const map::RouteUse &route : r.routes)
    for (int64_t to : route.to)
      p.routes.push_back({int(route.from), int(to), route.rate, route.source});
  for (const map::Group &g : r.groups)
    p.groups.push_back(
        {g.op, g.reason, g.slice, g.begin, g.end, g.core, g.cycles});
  return p;
}

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
    std::vector<report::Placement> placements;
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
                         << report.cores.size() << " of " << t->systemCores()
                         << " core" << (t->systemCores() == 1 ? "" : "s")
                         << (t->chips > 1
                                 ? " on " + std::to_string(report.chipsUsed) +
                                       " of " + std::to_string(t->chips) +
                                       " chips"
                                 : std::string())
                         << ", "
                         << neurons << " neurons, " << bytes
                         << " synapse bytes, estimated NoC traffic "
                         << llvm::formatv("{0:F1}", report.traffic).str()
                         << " spike-hops/step";
      if (reportPath.empty())
        continue;
      llvm::raw_string_ostream os(text);
      report.print(os);
      reports.push_back(report.toJson());
      placements.push_back(placementOf(report, *t));
    }
    if (reportPath.empty())
      return;
    if (llvm::StringRef(reportPath).ends_with(".html")) {
      if (llvm::Error e = report::writePlacementHtml(placements, reportPath)) {
        module.emitError() << "snn-map: " << llvm::toString(std::move(e));
        return signalPassFailure();
      }
      return;
    }
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

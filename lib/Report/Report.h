//===- Report.h - a run drawn as one self-contained HTML page ---*- C++ -*-===//
//
// snn-run --report and snnc's Result.report: a Recorder watches a run step by
// step (the StepObserver of run::runEngine and run::compareEngines) and keeps
// what the page draws -- spike rasters of chosen samples, per-neuron spike
// counts, membrane traces with their thresholds, per-step agreement of two
// engines, and the emulator's per-core, per-link and per-step counters --
// and writeHtml draws it as inline SVG, with no script and no network
// access (docs/tutorial.md shows one).
//
//===----------------------------------------------------------------------===//

#ifndef SNN_REPORT_REPORT_H
#define SNN_REPORT_REPORT_H

#include "SNN/IR/SNNOps.h"
#include "Sim/Divergence.h"
#include "Sim/Engine.h"

#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace snn::emu {
class Emulator;
} // namespace snn::emu

namespace snn::report {

/// What to draw; snn-run fills it from --report, --report-samples and
/// --record.
struct ReportOptions {
  std::string path;                // the page; empty: no report
  std::vector<int64_t> samples;    // drawn as rasters and traces; empty: 0
  std::vector<std::string> traced; // nodes whose membranes are drawn
  int64_t tracedNeurons = 4;       // neurons drawn per traced node
};

/// The most samples one report draws (each adds a raster per layer).
constexpr int64_t kMaxReportSamples = 16;

struct Raster {
  std::string name;
  int64_t neurons = 0;
  std::vector<uint8_t> spikes; // [shown sample][step][neuron]
  std::vector<double> counts;  // per neuron, over every sample and step
};

struct Trace {
  std::string name;
  int64_t neurons = 0;
  std::vector<double> v;         // [shown sample][step][neuron]
  std::vector<uint8_t> spikes;   // same layout, when the node spikes
  std::vector<double> threshold; // per neuron (real units); empty: unknown
};

struct Agreement {
  std::string name;
  bool spikes = false;
  std::vector<double> equal, total; // per step, over samples and neurons
};

using sim::Divergence;

struct CoreLoad {
  int id = 0, x = 0, y = 0; // x, y within its chip
  int chip = 0;             // the chip's index on the mesh of chips
  double busy = 0, cyclesPerStep = 0;
  int64_t spikes = 0, synapticEvents = 0;
};

struct LinkLoad {
  int from = 0, to = 0; // core ids; -1 is the host port
  int64_t packets = 0;
};

struct EmuData {
  bool present = false;
  std::string target;
  int meshWidth = 1, meshHeight = 1;           // of one chip
  int chipsWide = 1, chipsHigh = 1;            // the chips in use span these
  std::vector<CoreLoad> cores;
  std::vector<LinkLoad> links;
  std::vector<double> cyclesMean, cyclesMax; // per step, over samples
};

struct ReportData {
  std::string title, engineA, engineB; // engineB: empty without a comparison
  int64_t samples = 0, steps = 0;
  std::vector<int64_t> shown; // the samples drawn
  std::optional<double> accuracyA, accuracyB;
  std::vector<Raster> rasters;
  std::vector<Trace> traces;
  std::vector<Agreement> agreement;
  Divergence first;
  EmuData emu;
};

/// Watches a run of `a` (and, in a comparison, `b`, stepped before each
/// call) over `samples` x `steps`. `network` (may be null) gives thresholds;
/// `emulator` (may be null) the chip's counters.
class Recorder {
public:
  Recorder(const ReportOptions &options, sim::Engine &a, std::string nameA,
           sim::Engine *b, std::string nameB, NetworkOp network,
           const emu::Emulator *emulator, int64_t samples, int64_t steps);

  /// Checks the options against the engines (samples, traced nodes).
  llvm::Error check() const;
  /// After step `t` of samples [first, first + count) of both engines.
  void observe(int64_t first, int64_t count, int64_t t);
  /// Reads the emulator's totals and the accuracies; call after the run.
  void finish(std::optional<double> accuracyA,
              std::optional<double> accuracyB = std::nullopt);

  const ReportData &data() const { return report; }
  ReportData &data() { return report; }

private:
  void recordLayers(int64_t first, int64_t count, int64_t t);
  void recordTraces(int64_t first, int64_t count, int64_t t);
  void recordAgreement(int64_t first, int64_t count, int64_t t);
  void recordEmulator(int64_t t);
  /// Position of `sample` among the shown samples, or -1.
  int64_t shownIndex(int64_t sample) const;

  ReportOptions options;
  sim::Engine &a;
  sim::Engine *b;
  const emu::Emulator *emulator;
  ReportData report;
  std::vector<size_t> rasterNodes, traceNodes;
  std::vector<std::pair<size_t, size_t>> pairs; // a's node, b's node
  std::vector<double> cyclesCount;
};

/// A mapping as snn-opt --snn-map=report=FILE.html draws it: the cores
/// used on the chip's mesh, the expected spikes between them, and which
/// slice of which op each core holds and why.
struct PlacedCore {
  int id = 0, x = 0, y = 0; // x, y within its chip
  int chip = 0;
  int64_t neurons = 0, synapseBytes = 0;
  double cycles = 0; // expected per step
  double use = 0;    // the fullest resource's share, 0..1
  std::string contents; // the slices it holds
};
struct PlacedRoute {
  int from = -1, to = -1; // core ids; -1 is the host port
  double rate = 0;        // expected spikes per step
  std::string source;
};
struct PlacedGroup {
  std::string op, reason;
  int64_t slice = 0, begin = 0, end = 0, core = -1;
  double cycles = 0;
};
struct Placement {
  std::string network, target;
  int meshWidth = 1, meshHeight = 1; // of one chip
  // A system of chips: chip c sits at (c % chipMeshWidth, c / chipMeshWidth).
  int chips = 1, chipMeshWidth = 1, chipMeshHeight = 1;
  int64_t targetCores = 0;
  double traffic = 0; // spike-hops per step
  std::vector<PlacedCore> cores;
  std::vector<PlacedRoute> routes;
  std::vector<PlacedGroup> groups;
};

std::string renderPlacementHtml(const std::vector<Placement> &placements);
llvm::Error writePlacementHtml(const std::vector<Placement> &placements,
                               llvm::StringRef path);

/// The page, as text.
std::string renderHtml(const ReportData &data);
/// Writes the page to `path`.
llvm::Error writeHtml(const ReportData &data, llvm::StringRef path);

} // namespace snn::report

#endif // SNN_REPORT_REPORT_H

//===- Recorder.cpp - what a report keeps of a run, step by step ----------===//

#include "Report/Report.h"
#include "emulator/Emulator.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/STLExtras.h"

#include <algorithm>

using namespace mlir;

namespace snn::report {

namespace {

/// `attr` (a scalar or a tensor) as one value per neuron; empty when absent
/// or of another size.
std::vector<double> perNeuron(Attribute attr, int64_t neurons) {
  std::vector<double> out;
  if (auto f = dyn_cast_or_null<FloatAttr>(attr))
    out.assign(size_t(neurons), f.getValueAsDouble());
  else if (auto i = dyn_cast_or_null<IntegerAttr>(attr))
    out.assign(size_t(neurons), double(i.getInt()));
  else if (auto d = dyn_cast_or_null<DenseFPElementsAttr>(attr))
    for (APFloat v : d.getValues<APFloat>())
      out.push_back(v.convertToDouble());
  else if (auto d = dyn_cast_or_null<DenseIntElementsAttr>(attr))
    for (APInt v : d.getValues<APInt>())
      out.push_back(double(v.getSExtValue()));
  if (out.size() == 1)
    out.assign(size_t(neurons), out.front());
  if (int64_t(out.size()) != neurons)
    out.clear();
  return out;
}

/// The threshold of node `name` in real units: v_threshold, times v_scale
/// for an integer neuron (whose membrane the engines report in real units).
std::vector<double> thresholdOf(NetworkOp network, const std::string &name,
                                int64_t neurons) {
  std::vector<double> out;
  if (!network)
    return out;
  network.walk([&](Operation *op) {
    auto attr = op->getAttrOfType<StringAttr>("name");
    if (!attr || attr.getValue() != name || !out.empty())
      return;
    out = perNeuron(op->getAttr("v_threshold"), neurons);
    if (isa<QNeuronOp>(op) && !out.empty()) {
      std::vector<double> scale = perNeuron(op->getAttr("v_scale"), neurons);
      if (scale.empty())
        out.clear();
      for (size_t k = 0; k < scale.size(); ++k)
        out[k] *= scale[k];
    }
  });
  return out;
}

} // namespace

Recorder::Recorder(const ReportOptions &options, sim::Engine &a,
                   std::string nameA, sim::Engine *b, std::string nameB,
                   NetworkOp network, const emu::Emulator *emulator,
                   int64_t samples, int64_t steps)
    : options(options), a(a), b(b), emulator(emulator) {
  report.engineA = std::move(nameA);
  report.engineB = b ? std::move(nameB) : "";
  report.title = network ? network.getSymName().str() : "chip image";
  report.samples = samples;
  report.steps = steps;
  if (this->options.samples.empty())
    this->options.samples.push_back(0);
  for (int64_t s : this->options.samples)
    if (s >= 0 && s < samples && !llvm::is_contained(report.shown, s))
      report.shown.push_back(s);
  size_t shown = report.shown.size();
  const std::vector<sim::NodeStats> &stats = a.stats();
  for (size_t k = 0; k < stats.size(); ++k) {
    if (!stats[k].spikes)
      continue;
    Raster r;
    r.name = stats[k].name;
    r.neurons = stats[k].neurons;
    r.spikes.assign(shown * size_t(steps * r.neurons), 0);
    r.counts.assign(size_t(r.neurons), 0.0);
    rasterNodes.push_back(k);
    report.rasters.push_back(std::move(r));
  }
  for (const std::string &name : this->options.traced) {
    std::optional<size_t> node = a.findNode(name);
    if (!node || !a.nodeMembrane(*node))
      continue;
    Trace tr;
    tr.name = name;
    tr.neurons = stats[*node].neurons;
    tr.v.assign(shown * size_t(steps * tr.neurons), 0.0);
    if (stats[*node].spikes)
      tr.spikes.assign(tr.v.size(), 0);
    tr.threshold = thresholdOf(network, name, tr.neurons);
    traceNodes.push_back(*node);
    report.traces.push_back(std::move(tr));
  }
  if (b) {
    // The nodes both engines have, as run::compareEngines pairs them.
    for (const sim::NodePair &p : sim::commonNodes(a, *b)) {
      pairs.push_back({p.a, p.b});
      Agreement g;
      g.name = p.name;
      g.spikes = a.stats()[p.a].spikes;
      g.equal.assign(size_t(steps), 0.0);
      g.total.assign(size_t(steps), 0.0);
      report.agreement.push_back(std::move(g));
    }
  }
  if (emulator) {
    report.emu.present = true;
    report.emu.cyclesMean.assign(size_t(steps), 0.0);
    report.emu.cyclesMax.assign(size_t(steps), 0.0);
    cyclesCount.assign(size_t(steps), 0.0);
  }
}

llvm::Error Recorder::check() const {
  if (int64_t(options.samples.size()) > kMaxReportSamples)
    return llvm::createStringError(
        "--report-samples: " + std::to_string(options.samples.size()) +
        " samples; a report draws at most " +
        std::to_string(kMaxReportSamples));
  for (int64_t s : options.samples)
    if (s < 0 || s >= report.samples)
      return llvm::createStringError(
          "--report-samples: sample " + std::to_string(s) +
          " is not in the input (" + std::to_string(report.samples) +
          " samples)");
  return llvm::Error::success();
}

int64_t Recorder::shownIndex(int64_t sample) const {
  auto it = llvm::find(report.shown, sample);
  return it == report.shown.end() ? -1 : int64_t(it - report.shown.begin());
}

void Recorder::recordLayers(int64_t first, int64_t count, int64_t t) {
  for (size_t k = 0; k < rasterNodes.size(); ++k) {
    Raster &r = report.rasters[k];
    const sim::Matrix &out = a.nodeOutput(rasterNodes[k]);
    for (int64_t s = 0; s < count; ++s) {
      int64_t shown = shownIndex(first + s);
      for (int64_t j = 0; j < r.neurons; ++j) {
        double v = out(j, s);
        r.counts[size_t(j)] += v;
        if (shown >= 0 && v != 0)
          r.spikes[size_t((shown * report.steps + t) * r.neurons + j)] = 1;
      }
    }
  }
}

void Recorder::recordTraces(int64_t first, int64_t count, int64_t t) {
  for (size_t k = 0; k < traceNodes.size(); ++k) {
    Trace &tr = report.traces[k];
    const sim::Matrix *v = a.nodeMembrane(traceNodes[k]);
    const sim::Matrix &out = a.nodeOutput(traceNodes[k]);
    for (int64_t s = 0; s < count; ++s) {
      int64_t shown = shownIndex(first + s);
      if (shown < 0 || !v)
        continue;
      for (int64_t j = 0; j < tr.neurons; ++j) {
        size_t at = size_t((shown * report.steps + t) * tr.neurons + j);
        tr.v[at] = (*v)(j, s);
        if (!tr.spikes.empty())
          tr.spikes[at] = out(j, s) != 0;
      }
    }
  }
}

void Recorder::recordAgreement(int64_t first, int64_t count, int64_t t) {
  for (size_t k = 0; k < pairs.size(); ++k) {
    const sim::Matrix &x = a.nodeOutput(pairs[k].first);
    const sim::Matrix &z = b->nodeOutput(pairs[k].second);
    Agreement &g = report.agreement[k];
    g.equal[size_t(t)] += double((x.array() == z.array()).count());
    g.total[size_t(t)] += double(x.size());
    if (!g.spikes)
      continue;
    // The same search as run::compareEngines: both name one place.
    report.first.search(x, z, first, count, t, g.name);
  }
}

void Recorder::recordEmulator(int64_t t) {
  double cycles = emulator->lastStep().cycles;
  EmuData &e = report.emu;
  cyclesCount[size_t(t)] += 1;
  e.cyclesMean[size_t(t)] +=
      (cycles - e.cyclesMean[size_t(t)]) / cyclesCount[size_t(t)];
  e.cyclesMax[size_t(t)] = std::max(e.cyclesMax[size_t(t)], cycles);
}

void Recorder::observe(int64_t first, int64_t count, int64_t t) {
  recordLayers(first, count, t);
  recordTraces(first, count, t);
  if (b)
    recordAgreement(first, count, t);
  if (emulator)
    recordEmulator(t);
}

/// The part of the mesh of chips the image's cores are on. The image keeps
/// each core's chip id and the chip's place (chip = chip_y * chips wide +
/// chip_x), not the system's size: a chip on a later row gives the width;
/// with one row, the chips in use span it.
static void spanOfChips(const flatbuffers::Vector<flatbuffers::Offset<image::Core>> &cores,
                        EmuData &e) {
  int wide = 1, high = 1;
  for (const image::Core *core : cores) {
    wide = std::max(wide, core->chip_x() + 1);
    high = std::max(high, core->chip_y() + 1);
  }
  for (const image::Core *core : cores)
    if (core->chip_y() > 0)
      wide = std::max(wide, (core->chip() - core->chip_x()) / core->chip_y());
  e.chipsWide = wide;
  e.chipsHigh = high;
}

void Recorder::finish(std::optional<double> accuracyA,
                      std::optional<double> accuracyB) {
  report.accuracyA = accuracyA;
  report.accuracyB = accuracyB;
  if (!emulator)
    return;
  EmuData &e = report.emu;
  const image::Chip &chip = emulator->chip();
  if (chip.target())
    e.target = chip.target()->str();
  e.meshWidth = std::max(1, chip.mesh_width());
  e.meshHeight = std::max(1, chip.mesh_height());
  const emu::Counters &total = emulator->totals();
  const std::vector<emu::CoreCounters> &cores = emulator->totalCores();
  double steps = std::max<double>(1, double(total.steps));
  for (size_t c = 0; c < cores.size() && c < chip.cores()->size(); ++c) {
    const image::Core *core = chip.cores()->Get(c);
    e.cores.push_back({core->id(), core->x(), core->y(), core->chip(),
                       total.cycles > 0 ? cores[c].cycles / total.cycles : 0.0,
                       cores[c].cycles / steps, cores[c].spikes,
                       cores[c].synapticEvents});
  }
  spanOfChips(*chip.cores(), e);
  for (const auto &[link, packets] : emulator->linkTraffic())
    e.links.push_back({link.first, link.second, packets});
}

} // namespace snn::report

//===- EmuEngine.cpp - a chip image on the emulator as an engine ----------===//

#include "Run/EmuEngine.h"
#include "Image/ImageTranslate.h"
#include "Map/MapNetwork.h"
#include "Target/XyloRules.h"
#include "api/snn_runtime.hpp"
#include "emulator/EmulatorBackend.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/FormatVariadic.h"

#include <fstream>

using namespace mlir;

namespace snn::run {

namespace {
std::string fixed(double x, int digits = 1) {
  std::string style = "{0:F" + std::to_string(digits) + "}";
  return llvm::formatv(style.c_str(), x).str();
}
} // namespace

struct EmuEngine::Impl {
  EmuOptions options;
  target::Target target;
  map::MapReport report;
  std::unique_ptr<Device> device;
  const emu::Emulator *emu = nullptr;
  std::vector<std::string> names;
  sim::Matrix output;
  std::vector<double> row, outRow; // one step in, one step out
  // Node views, read once per step on demand.
  struct View {
    sim::Matrix out, v, i;
    bool outCurrent = false, vCurrent = false, iCurrent = false;
  };
  mutable std::vector<View> views;
  std::vector<sim::NodeStats> stats;
  int64_t samplesRun = 0;
  // Traces of the first samples.
  struct SpikeFrame {
    int64_t time;
    std::vector<std::vector<int64_t>> populations;
  };
  std::vector<int> tracedStages;
  std::vector<SpikeFrame> frames;
  struct CoreSlice {
    double start, cycles;
    int core;
    int64_t events, updates, spikes;
  };
  std::vector<CoreSlice> slices;
  double clockTime = 0; // cycles since the first traced step
  int64_t tracedSteps = 0;
  /// On a Xylo device: what Rockpool's cycle model sees, and the step.
  std::optional<xylo::CycleShape> xyloShape;
  double dt = 0;
  /// The run's input and hidden spike probabilities per neuron and step.
  std::pair<double, double> xyloRates() const {
    const emu::XyloActivity &x = emu->xyloActivity();
    double steps = std::max<double>(1, double(emu->totals().steps));
    return {x.inputs ? double(x.inputEvents) / (double(x.inputs) * steps) : 0,
            x.hidden ? double(x.hiddenSpikes) / (double(x.hidden) * steps)
                     : 0};
  }
  std::vector<double> stepReals; // with options.logSteps

  const sim::Matrix &read(size_t node, const char *what, sim::Matrix &m,
                          bool &current) const;
};

EmuEngine::~EmuEngine() = default;

llvm::Expected<std::unique_ptr<EmuEngine>>
EmuEngine::create(NetworkOp network, const target::Target &target,
                  const EmuOptions &options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->target = target;
  if (auto dt = network->getAttrOfType<FloatAttr>("dt"); dt && target.xylo) {
    impl->xyloShape = target::xyloCycleShape(network, target);
    impl->dt = dt.getValueAsDouble();
  }
  OwningOpRef<ModuleOp> module = ModuleOp::create(network.getLoc());
  module->push_back(network.clone());
  NetworkOp copy = *module->getOps<NetworkOp>().begin();
  FailureOr<hw::ChipOp> chip =
      map::mapNetwork(copy, target, options.map, impl->report);
  if (failed(chip))
    return llvm::createStringError("the network does not map onto " +
                                   target.name + " (see above)");
  return fromImage(image::writeImage(*chip), std::move(impl));
}

llvm::Expected<std::unique_ptr<EmuEngine>>
EmuEngine::fromImage(std::vector<uint8_t> bytes, const EmuOptions &options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  return fromImage(std::move(bytes), std::move(impl));
}

llvm::Expected<std::unique_ptr<EmuEngine>>
EmuEngine::fromImage(std::vector<uint8_t> bytes, std::unique_ptr<Impl> impl) {
  auto engine = std::unique_ptr<EmuEngine>(new EmuEngine());
  const EmuOptions &options = impl->options;
  if (!options.imagePath.empty()) {
    std::ofstream out(options.imagePath, std::ios::binary);
    out.write(reinterpret_cast<const char *>(bytes.data()),
              std::streamsize(bytes.size()));
    if (!out)
      return llvm::createStringError(options.imagePath +
                                     ": cannot write the image");
  }
  // The runtime keeps its own convention (a message string, no LLVM).
  std::string error;
  impl->device = Device::open(bytes, "emu", error);
  if (!impl->device)
    return llvm::createStringError(error);
  impl->emu = runtime::emulatorOf(impl->device->handle());
  if (impl->target.name.empty() && impl->emu->chip().target())
    impl->target.name = impl->emu->chip().target()->str();
  impl->names = impl->emu->stageNames();
  impl->views.resize(impl->names.size());
  for (size_t k = 0; k < impl->names.size(); ++k) {
    sim::NodeStats s;
    s.name = s.key = impl->names[k];
    s.op = std::string("snnhw.") +
           image::EnumNameStageKind(
               impl->emu->chip().stages()->Get(k)->kind());
    s.spikes = impl->emu->stageIsSpikes(int(k));
    s.neurons = int64_t(impl->emu->stageOutput(int(k)).size());
    impl->stats.push_back(s);
    if (s.spikes && impl->emu->chip().stages()->Get(k)->kind() ==
                        image::StageKind::Neurons)
      impl->tracedStages.push_back(int(k));
  }
  impl->row.assign(size_t(impl->emu->inputSize(0)), 0.0);
  engine->impl = std::move(impl);
  return engine;
}

void EmuEngine::reset(int64_t) {
  Impl &s = *impl;
  s.device->reset();
  ++s.samplesRun;
  if (s.options.progress && (s.samplesRun % 10 == 0 || s.samplesRun == 1)) {
    llvm::errs() << "\remulating sample " << s.samplesRun;
    if (s.options.expectedSamples)
      llvm::errs() << " of " << s.options.expectedSamples;
    llvm::errs().flush();
  }
}

void EmuEngine::step(const std::vector<sim::Matrix> &inputs) {
  Impl &s = *impl;
  const sim::Matrix &x = inputs[0];
  for (size_t j = 0; j < s.row.size(); ++j)
    s.row[j] = x(int64_t(j), 0);
  if (!s.device->run(s.row, 1, s.outRow)) {
    llvm::errs() << "emulator: " << s.device->error() << "\n";
    return;
  }
  s.output = Eigen::Map<sim::Matrix>(s.outRow.data(), int64_t(s.outRow.size()), 1);
  if (s.options.logSteps)
    s.emu->appendStepReals(s.stepReals);
  for (Impl::View &v : s.views)
    v.outCurrent = v.vCurrent = v.iCurrent = false;
  for (size_t k = 0; k < s.names.size(); ++k) {
    // Distributed, rank 0 learns the counts of every rank's elements.
    s.stats[k].nonzero += double(s.emu->stageNonzero(int(k)));
    s.stats[k].outputs += double(s.stats[k].neurons);
  }
  // Traces.
  bool tracing = (!s.options.vcdPath.empty() || !s.options.tracePath.empty()) &&
                 s.samplesRun <= s.options.traceSamples;
  if (!tracing)
    return;
  if (!s.options.vcdPath.empty()) {
    Impl::SpikeFrame frame;
    frame.time = s.tracedSteps;
    for (int stage : s.tracedStages)
      frame.populations.push_back(s.emu->stageOutput(stage));
    s.frames.push_back(std::move(frame));
  }
  const std::vector<emu::CoreCounters> &cores = s.emu->lastStepCores();
  for (size_t c = 0; c < cores.size(); ++c)
    s.slices.push_back({s.clockTime, cores[c].cycles, s.emu->coreId(c),
                        cores[c].synapticEvents, cores[c].neuronUpdates,
                        cores[c].spikes});
  s.clockTime += s.emu->lastStep().cycles;
  ++s.tracedSteps;
}

const sim::Matrix &EmuEngine::Impl::read(size_t node, const char *what,
                                         sim::Matrix &m, bool &current) const {
  if (current)
    return m;
  int64_t size = int64_t(emu->stageOutput(int(node)).size());
  std::vector<double> values = device->read(names[node], what, size);
  m = Eigen::Map<sim::Matrix>(values.data(), int64_t(values.size()), 1);
  current = true;
  return m;
}

size_t EmuEngine::numInputs() const { return impl->emu->numInputs(); }
size_t EmuEngine::numOutputs() const { return impl->emu->numOutputs(); }
int64_t EmuEngine::inputSize(size_t k) const { return impl->emu->inputSize(k); }
int64_t EmuEngine::outputSize(size_t k) const {
  return impl->emu->outputSize(k);
}
bool EmuEngine::outputIsSpikes(size_t k) const {
  return impl->emu->outputIsSpikes(k);
}
const sim::Matrix &EmuEngine::output(size_t) const { return impl->output; }

std::optional<size_t> EmuEngine::findNode(const std::string &name) const {
  int k = impl->emu->findStage(name);
  return k < 0 ? std::nullopt : std::optional<size_t>(size_t(k));
}
std::vector<std::string> EmuEngine::nodeNames() const { return impl->names; }
const sim::Matrix &EmuEngine::nodeOutput(size_t node) const {
  Impl::View &v = impl->views[node];
  return impl->read(node, "out", v.out, v.outCurrent);
}
const sim::Matrix *EmuEngine::nodeMembrane(size_t node) const {
  if (!impl->emu->membrane(int(node)))
    return nullptr;
  Impl::View &v = impl->views[node];
  return &impl->read(node, "v", v.v, v.vCurrent);
}
const sim::Matrix *EmuEngine::nodeCurrent(size_t node) const {
  if (!impl->emu->current(int(node)))
    return nullptr;
  Impl::View &v = impl->views[node];
  return &impl->read(node, "i", v.i, v.iCurrent);
}
const std::vector<sim::NodeStats> &EmuEngine::stats() const {
  for (size_t k = 0; k < impl->stats.size(); ++k)
    impl->stats[k].saturations = double(impl->emu->saturations(int(k)));
  return impl->stats;
}
void EmuEngine::resetStats() {
  for (sim::NodeStats &s : impl->stats)
    s.nonzero = s.outputs = 0;
}
const map::MapReport &EmuEngine::mapReport() const { return impl->report; }
const emu::Emulator &EmuEngine::emulator() const { return *impl->emu; }

EmuEngine::Partial EmuEngine::partial() const {
  return {impl->samplesRun, impl->emu->runTotals(), impl->stepReals};
}

void EmuEngine::absorb(const Partial &later) {
  impl->samplesRun += later.samples;
  // The device owns its emulator and shows it read-only; adding another
  // run's totals is the one write, and the emulator itself is not const.
  const_cast<emu::Emulator *>(impl->emu)
      ->appendRun(later.totals, later.stepReals);
}

/// A system of chips: per chip, its cores' events and cycles (the slowest
/// core's, per step), and the traffic between chips.
static llvm::json::Object chipsJson(const emu::Emulator &e) {
  const emu::Counters &t = e.totals();
  double steps = std::max<double>(1, double(t.steps));
  const std::vector<emu::CoreCounters> &per = e.totalCores();
  llvm::json::Array list;
  for (size_t chip = 0; chip < e.numChips(); ++chip) {
    emu::CoreCounters sum;
    double busiest = 0;
    llvm::json::Array cores;
    for (size_t c = 0; c < per.size(); ++c) {
      if (e.chipOfCore(c) != int(chip))
        continue;
      cores.push_back(e.coreId(c));
      sum.synapticEvents += per[c].synapticEvents;
      sum.neuronUpdates += per[c].neuronUpdates;
      sum.spikes += per[c].spikes;
      busiest = std::max(busiest, per[c].cycles);
    }
    list.push_back(llvm::json::Object{
        {"chip", e.chipId(chip)},
        {"cores", std::move(cores)},
        {"busiest_core_cycles_per_step", busiest / steps},
        {"synaptic_events", sum.synapticEvents},
        {"neuron_updates", sum.neuronUpdates},
        {"spikes", sum.spikes}});
  }
  return llvm::json::Object{
      {"used", int64_t(e.numChips())},
      {"packets_between_chips", t.chipPackets},
      {"chip_hop_traversals", t.chipHopTraversals},
      {"busiest_chip_link_packets_in_a_step", t.busiestChipLinkPackets},
      {"per_chip", std::move(list)}};
}

void EmuEngine::distribute(std::shared_ptr<emu::SpikeExchange> exchange,
                           bool hostReadsAll) {
  // As absorb: the device shows its emulator read-only.
  const_cast<emu::Emulator *>(impl->emu)->distribute(std::move(exchange),
                                                     hostReadsAll);
}

llvm::json::Object EmuEngine::summaryJson() const {
  const Impl &s = *impl;
  const emu::Counters &t = s.emu->totals();
  double steps = std::max<double>(1, double(t.steps));
  double samples = std::max<double>(1, double(s.samplesRun));
  double clock = s.emu->clockMHz();
  llvm::json::Array cores;
  const std::vector<emu::CoreCounters> &per = s.emu->totalCores();
  for (size_t c = 0; c < per.size(); ++c)
    cores.push_back(llvm::json::Object{
        {"id", s.emu->coreId(c)},
        {"cycles_per_step", per[c].cycles / steps},
        {"busy", t.cycles > 0 ? per[c].cycles / t.cycles : 0.0},
        {"synaptic_events", per[c].synapticEvents},
        {"neuron_updates", per[c].neuronUpdates},
        {"spikes", per[c].spikes}});
  llvm::json::Array links;
  for (const auto &[link, packets] : s.emu->linkTraffic())
    links.push_back(llvm::json::Object{{"from", link.first},
                                       {"to", link.second},
                                       {"packets", packets}});
  llvm::json::Object out{
      {"target", s.target.name},
      {"samples", s.samplesRun},
      {"steps", t.steps},
      {"cycles_per_step", t.cycles / steps},
      {"noc_cycles_per_step", t.nocCycles / steps},
      {"us_per_step", clock > 0 ? t.cycles / steps / clock : 0.0},
      {"energy_uj_per_inference", t.energyPJ / samples * 1e-6},
      {"synaptic_events", t.synapticEvents},
      {"neuron_updates", t.neuronUpdates},
      {"spikes", t.spikes},
      {"packets", t.packets},
      {"hop_traversals", t.hopTraversals},
      {"busiest_link_packets_in_a_step", t.busiestLinkPackets},
      {"cores", std::move(cores)},
      {"links", std::move(links)}};
  if (s.emu->numChips() > 1)
    out["chips"] = chipsJson(*s.emu);
  if (double rockpool = s.emu->rockpoolCyclesPerStep())
    out["rockpool_cycles_per_step"] = rockpool;
  if (s.xyloShape) {
    auto [pIn, pHid] = s.xyloRates();
    out["xylo_cycles_model"] =
        target::xyloCyclesJson(s.target, *s.xyloShape, s.dt, pIn, pHid);
  }
  return out;
}

void EmuEngine::printLoops(llvm::raw_ostream &os) const {
  std::vector<std::string> names = impl->emu->stageNames();
  os << "emulator loops:\n";
  for (size_t k = 0; k < names.size(); ++k)
    os << llvm::formatv("  {0,-24} {1}\n", names[k],
                        impl->emu->stagePath(int(k)));
}

void EmuEngine::printSummary(llvm::raw_ostream &os) const {
  const Impl &s = *impl;
  const emu::Counters &t = s.emu->totals();
  if (t.steps == 0)
    return;
  double steps = double(t.steps);
  double samples = std::max<double>(1, double(s.samplesRun));
  double clock = s.emu->clockMHz();
  double cycles = t.cycles / steps;
  os << "\nemulated on " << s.target.name << " (" << s.emu->numCores()
     << " core" << (s.emu->numCores() == 1 ? "" : "s") << ", "
     << int64_t(steps) << " steps):\n";
  os << "  cycles per step      " << fixed(cycles) << " (network "
     << fixed(t.nocCycles / steps) << ")";
  if (clock > 0)
    os << " = " << fixed(cycles / clock, 3) << " us at " << fixed(clock, 0)
       << " MHz";
  os << "\n";
  if (t.energyPJ > 0)
    os << "  energy               " << fixed(t.energyPJ / samples * 1e-6, 3)
       << " uJ per inference (" << fixed(t.energyPJ / steps * 1e-3, 2)
       << " nJ per step)\n";
  else
    os << "  energy               not modelled for " << s.target.name << "\n";
  os << "  per inference        " << fixed(double(t.synapticEvents) / samples, 0)
     << " synaptic events, " << fixed(double(t.spikes) / samples, 0)
     << " spikes, " << fixed(double(t.packets) / samples, 0) << " packets, "
     << fixed(double(t.hopTraversals) / samples, 0) << " hops\n";
  if (s.emu->numChips() > 1)
    os << "  between chips        " << s.emu->numChips() << " chips, "
       << fixed(double(t.chipPackets) / samples, 0) << " packets and "
       << fixed(double(t.chipHopTraversals) / samples, 0)
       << " chip hops per inference, busiest chip link "
       << t.busiestChipLinkPackets << " packets in a step\n";
  os << "  core  busy   cycles/step  events/step  updates/step  spikes/step\n";
  const std::vector<emu::CoreCounters> &per = s.emu->totalCores();
  for (size_t c = 0; c < per.size(); ++c)
    os << llvm::formatv("  {0,4} {1,5}% {2,12} {3,12} {4,13} {5,12}\n",
                        s.emu->coreId(c),
                        fixed(t.cycles > 0 ? 100 * per[c].cycles / t.cycles : 0),
                        fixed(per[c].cycles / steps),
                        fixed(double(per[c].synapticEvents) / steps),
                        fixed(double(per[c].neuronUpdates) / steps),
                        fixed(double(per[c].spikes) / steps, 2));
  if (double rockpool = s.emu->rockpoolCyclesPerStep())
    os << "  Rockpool's analytic Xylo model, same activity: " << fixed(rockpool)
       << " cycles per step (emulated " << fixed(cycles) << ", "
       << fixed(100 * (cycles - rockpool) / rockpool, 2) << " %)\n";
  if (s.xyloShape) {
    auto [pIn, pHid] = s.xyloRates();
    target::printXyloCycles(os, s.target, *s.xyloShape, s.dt, pIn, pHid);
  }
}

llvm::Error EmuEngine::finish() {
  Impl &s = *impl;
  if (s.options.progress)
    llvm::errs() << "\n";
  double clock = s.emu->clockMHz() > 0 ? s.emu->clockMHz() : 1.0;
  if (!s.options.vcdPath.empty()) {
    std::error_code ec;
    llvm::raw_fd_ostream vcd(s.options.vcdPath, ec);
    if (ec)
      return llvm::createStringError(s.options.vcdPath + ": " + ec.message());
    // One wire per neuron, one scope per population; time in steps.
    vcd << "$date emulator run $end\n$version snn-run --engine emu $end\n"
        << "$timescale 1 us $end\n$scope module chip $end\n";
    std::vector<std::vector<std::string>> ids;
    int64_t next = 0;
    auto idOf = [](int64_t n) {
      std::string id;
      do {
        id.push_back(char(33 + n % 94));
        n /= 94;
      } while (n);
      return id;
    };
    for (int stage : s.tracedStages) {
      vcd << "$scope module " << s.names[stage] << " $end\n";
      ids.emplace_back();
      for (size_t j = 0; j < s.emu->stageOutput(stage).size(); ++j) {
        ids.back().push_back(idOf(next++));
        vcd << "$var wire 1 " << ids.back().back() << " n" << j << " $end\n";
      }
      vcd << "$upscope $end\n";
    }
    vcd << "$upscope $end\n$enddefinitions $end\n";
    double dtUs = s.emu->chip().dt() * 1e6;
    std::vector<std::vector<int64_t>> last;
    for (const Impl::SpikeFrame &frame : s.frames) {
      vcd << "#" << int64_t(double(frame.time) * dtUs) << "\n";
      for (size_t p = 0; p < frame.populations.size(); ++p)
        for (size_t j = 0; j < frame.populations[p].size(); ++j) {
          int64_t bit = frame.populations[p][j] != 0;
          if (last.empty() || last[p][j] != bit || frame.time == 0)
            vcd << bit << ids[p][j] << "\n";
        }
      last = frame.populations;
      for (auto &population : last)
        for (int64_t &bit : population)
          bit = bit != 0;
    }
  }
  if (!s.options.tracePath.empty()) {
    llvm::json::Array events;
    for (size_t c = 0; c < s.emu->numCores(); ++c)
      events.push_back(llvm::json::Object{
          {"name", "thread_name"}, {"ph", "M"}, {"pid", 0},
          {"tid", s.emu->coreId(c)},
          {"args", llvm::json::Object{
                       {"name", "core " + std::to_string(s.emu->coreId(c))}}}});
    for (const Impl::CoreSlice &slice : s.slices)
      if (slice.cycles > 0)
        events.push_back(llvm::json::Object{
            {"name", "step"}, {"ph", "X"}, {"pid", 0}, {"tid", slice.core},
            {"ts", slice.start / clock}, {"dur", slice.cycles / clock},
            {"args", llvm::json::Object{{"cycles", slice.cycles},
                                        {"synaptic_events", slice.events},
                                        {"neuron_updates", slice.updates},
                                        {"spikes", slice.spikes}}}});
    std::error_code ec;
    llvm::raw_fd_ostream out(s.options.tracePath, ec);
    if (ec)
      return llvm::createStringError(s.options.tracePath + ": " +
                                     ec.message());
    out << llvm::formatv("{0}", llvm::json::Value(llvm::json::Object{
                                    {"traceEvents", std::move(events)},
                                    {"displayTimeUnit", "ns"}}))
        << "\n";
  }
  return llvm::Error::success();
}

} // namespace snn::run

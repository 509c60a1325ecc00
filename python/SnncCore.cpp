//===- SnncCore.cpp - what the snnc Python module calls -------------------===//

#include "SnncCore.h"

#include "Codegen/CTranslate.h"
#include "Image/ImageTranslate.h"
#include "Init/InitAll.h"
#include "Map/MapNetwork.h"
#include "Quant/Quantize.h"
#include "Report/Report.h"
#include "Run/CEngine.h"
#include "Run/Compare.h"
#include "Run/EmuEngine.h"
#include "Run/Run.h"
#include "Sim/Fixed.h"
#include "Sim/Reference.h"
#include "Target/Target.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>
#include <unistd.h>

using namespace mlir;
using namespace snn;

namespace snnc {

struct ReportHandle::Data {
  report::ReportData report;
};
ReportHandle::ReportHandle() : data(std::make_unique<Data>()) {}
ReportHandle::~ReportHandle() = default;

bool writeReport(const ReportHandle &r, const std::string &path,
                 std::string &error) {
  if (llvm::Error e = report::writeHtml(r.data->report, path)) {
    error = llvm::toString(std::move(e));
    return false;
  }
  return true;
}

namespace {

/// Collects what the libraries write to stderr during one call (MLIR
/// diagnostics, "error:" and "warning:" lines): the message of a failure.
/// On success the text goes on to stderr, so warnings are still seen.
class StderrCapture {
public:
  StderrCapture() {
    llvm::errs().flush();
    std::fflush(stderr);
    file = std::tmpfile();
    saved = file ? dup(2) : -1;
    if (saved >= 0)
      dup2(fileno(file), 2);
  }
  ~StderrCapture() { release(true); }
  /// Stops capturing; the text, and (when `forward`) echoes it to stderr.
  std::string release(bool forward) {
    std::string text;
    if (saved < 0)
      return text;
    llvm::errs().flush();
    std::fflush(stderr);
    dup2(saved, 2);
    close(saved);
    saved = -1;
    std::rewind(file);
    char buffer[4096];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0)
      text.append(buffer, n);
    std::fclose(file);
    if (forward && !text.empty())
      llvm::errs() << text;
    return text;
  }
  /// The failure's message: what was written, then `error`.
  std::string fail(const std::string &error) {
    std::string text = release(false);
    while (!text.empty() && text.back() == '\n')
      text.pop_back();
    if (!error.empty())
      text += (text.empty() ? "" : "\n") + error;
    return text.empty() ? "failed (no message)" : text;
  }

private:
  std::FILE *file = nullptr;
  int saved = -1;
};

DialectRegistry registry() {
  DialectRegistry r;
  registerAllDialects(r);
  return r;
}

} // namespace

struct Network::Impl {
  std::shared_ptr<MLIRContext> context;
  // Mutable: MLIR's handles do not mark what only reads as const.
  mutable OwningOpRef<ModuleOp> module;
  mutable NetworkOp network;
  std::string quantReport;
};

Network::Network() : impl(std::make_unique<Impl>()) {}
Network::~Network() = default;

namespace {

template <typename E>
bool parseEnum(const std::string &text, std::optional<E> &out,
               std::optional<E> (*symbolize)(llvm::StringRef), const char *flag,
               std::string &error) {
  if (text.empty())
    return true;
  out = symbolize(text);
  if (!out)
    error = std::string(flag) + "=" + text + " is not one of its values";
  return bool(out);
}

std::optional<nir::ImportOptions> importOptions(const LoadOptions &o,
                                                std::string &error) {
  nir::ImportOptions options;
  if (!o.preset.empty()) {
    if (!nir::findPreset(o.preset)) {
      std::string known;
      for (const nir::Preset &p : nir::presets())
        known += (known.empty() ? "" : ", ") + p.name;
      error = "preset='" + o.preset + "' is not a preset (" + known + ")";
      return std::nullopt;
    }
    options.preset = o.preset;
  }
  options.dt = o.dt;
  if (!parseEnum(o.reset, options.reset, &symbolizeResetMode, "reset", error) ||
      !parseEnum(o.resetTiming, options.timing, &symbolizeResetTiming,
                 "reset_timing", error) ||
      !parseEnum(o.integration, options.integration, &symbolizeIntegration,
                 "integration", error) ||
      !parseEnum(o.spike, options.spike, &symbolizeSpikeCondition, "spike",
                 error))
    return std::nullopt;
  return options;
}

} // namespace

std::unique_ptr<Network> Network::load(const std::string &path,
                                       const LoadOptions &options,
                                       std::string &error) {
  StderrCapture capture;
  std::optional<nir::ImportOptions> import = importOptions(options, error);
  if (!import) {
    error = capture.fail(error);
    return nullptr;
  }
  if (!npy::isRegularFile(path, error)) {
    error = capture.fail(error);
    return nullptr;
  }
  std::unique_ptr<Network> n(new Network());
  n->impl->context = std::make_shared<MLIRContext>(registry());
  n->impl->module = run::loadModel(path, *import, options.network,
                                   n->impl->context.get(), n->impl->network);
  if (!n->impl->module) {
    error = capture.fail("");
    return nullptr;
  }
  return n;
}

std::string Network::text() const {
  std::string s;
  llvm::raw_string_ostream os(s);
  impl->module->print(os);
  return s;
}
std::string Network::name() const { return impl->network.getSymName().str(); }
bool Network::quantized() const { return quant::isQuantized(impl->network); }
std::vector<int64_t> Network::inputShape() const {
  auto s = getSignalShape(impl->network.getFunctionType().getInput(0));
  return {s.begin(), s.end()};
}
std::vector<int64_t> Network::outputShape() const {
  auto s = getSignalShape(impl->network.getFunctionType().getResult(0));
  return {s.begin(), s.end()};
}
bool Network::inputIsSpikes() const {
  return isSpikes(impl->network.getFunctionType().getInput(0));
}
std::vector<std::string> Network::nodeNames() const {
  std::vector<std::string> names;
  impl->network.walk([&](Operation *op) {
    if (auto a = op->getAttrOfType<StringAttr>("name"))
      names.push_back(a.getValue().str());
  });
  return names;
}
const std::string &Network::quantReportJson() const {
  return impl->quantReport;
}

namespace {

quant::QuantizeOptions quantizeOptions(const QuantizeRequest &r) {
  quant::QuantizeOptions o;
  o.weightBits = r.weightBits.value_or(o.weightBits);
  o.stateBits = r.stateBits.value_or(o.stateBits);
  o.currentBits = r.currentBits.value_or(o.currentBits);
  o.accBits = r.accBits.value_or(o.accBits);
  o.inputBits = r.inputBits.value_or(o.inputBits);
  o.maxWeightExp = r.maxWeightExp.value_or(o.maxWeightExp);
  o.perChannel = r.perChannel.value_or(o.perChannel);
  o.powerOfTwo = r.powerOfTwo.value_or(o.powerOfTwo);
  return o;
}

/// The quantized copy of `source` in the same context (what snn-run builds
/// for its integer engines); the report as JSON.
std::unique_ptr<Network> quantizeCopy(const Network::Impl &source,
                                      const QuantizeRequest &request,
                                      std::string &error) {
  for (const std::string &path : {request.target, request.calibration})
    if (!path.empty() && !npy::isRegularFile(path, error))
      return nullptr;
  if (quant::isQuantized(source.network)) {
    error = "the network is already integer (quantized)";
    return nullptr;
  }
  auto n = std::make_unique<Network>();
  n->impl->context = source.context;
  n->impl->module = source.module->clone();
  n->impl->module->walk([&](NetworkOp op) {
    if (op.getSymName() == source.network.getSymName())
      n->impl->network = op;
  });
  quant::QuantReport report;
  if (failed(quant::quantizeFromOptions(
          n->impl->network, quantizeOptions(request), request.target,
          request.calibration, report)) ||
      failed(verify(n->impl->network))) {
    error = "the model could not be quantized";
    return nullptr;
  }
  n->impl->quantReport =
      llvm::formatv("{0}", llvm::json::Value(report.toJson())).str();
  return n;
}

std::optional<run::Readout> readoutOf(const std::string &s) {
  if (s == "count")
    return run::Readout::Count;
  if (s == "max")
    return run::Readout::Max;
  if (s == "final")
    return run::Readout::Final;
  return std::nullopt;
}

/// The input as snn-run holds it, checked by the same function.
std::optional<run::Inputs>
inputsOf(const InputView &view, const Network::Impl &n, std::string &error) {
  npy::Array array;
  array.shape = view.shape;
  int64_t size = 1;
  for (int64_t d : view.shape)
    size *= d;
  if (size > run::kMaxInputEntries) {
    error = "the input has more than " + std::to_string(run::kMaxInputEntries) +
            " entries (samples x steps x neurons), snn-run's limit";
    return std::nullopt;
  }
  array.values.resize(size_t(size));
  for (int64_t k = 0; k < size; ++k)
    array.values[size_t(k)] = view.f64 ? view.f64[k] : double(view.u8[k]);
  array.dtype = view.f64 ? "float64" : "uint8";
  auto shape = getSignalShape(n.network.getFunctionType().getInput(0));
  llvm::Expected<run::Inputs> in = run::inputsFromArray(
      array, shape, isSpikes(n.network.getFunctionType().getInput(0)));
  if (!in) {
    error = "input: " + llvm::toString(in.takeError());
    return std::nullopt;
  }
  return std::move(*in);
}

std::optional<npy::Array> labelsOf(const RunRequest &r, const Network::Impl &n,
                                   std::string &error) {
  if (!r.labels)
    return std::nullopt;
  npy::Array a;
  a.shape = {int64_t(r.labels->size())};
  a.values.assign(r.labels->begin(), r.labels->end());
  a.dtype = "int64";
  int64_t classes = 1;
  for (int64_t d : getSignalShape(n.network.getFunctionType().getResult(0)))
    classes *= d;
  if (llvm::Error e = run::checkLabels(a, classes))
    error = "labels: " + llvm::toString(std::move(e));
  return a;
}

/// One engine of a run, with the integer network it needs and the
/// emulator it may be.
struct EngineRun {
  std::string kind;
  std::unique_ptr<Network> quantized; // made on the way
  NetworkOp network;
  std::unique_ptr<sim::Engine> engine;
  run::EmuEngine *emu = nullptr;
  std::string quantReport;
};

bool makeEngine(const Network::Impl &source, const std::string &kind,
                const RunRequest &r, const run::Inputs &inputs, EngineRun &e,
                std::string &error) {
  e.kind = kind;
  e.network = source.network;
  bool integer = kind == "fixed" || kind == "c" || kind == "emu";
  if (!integer && kind != "float") {
    error = "engine='" + kind + "' is not one of float, fixed, c, emu";
    return false;
  }
  bool isInteger = quant::isQuantized(source.network);
  if (kind == "float" && isInteger) {
    error = "the model is already integer (quantized); the float engine runs "
            "the float model (use engine='fixed', 'c' or 'emu')";
    return false;
  }
  if (integer && !isInteger) {
    QuantizeRequest q = r.quantize;
    e.quantized = quantizeCopy(source, q, error);
    if (!e.quantized)
      return false;
    e.network = e.quantized->impl->network;
    e.quantReport = e.quantized->impl->quantReport;
  }
  // Keeps the engine made, or the reason it was not.
  auto keep = [&](auto made) {
    if (!made) {
      error = llvm::toString(made.takeError());
      return false;
    }
    e.engine = std::move(*made);
    return true;
  };
  if (kind == "float") {
    std::optional<sim::Precision> precision =
        r.precision == "float64"   ? std::optional(sim::Precision::Float64)
        : r.precision == "float32" ? std::optional(sim::Precision::Float32)
                                   : std::nullopt;
    if (!precision) {
      error = "precision='" + r.precision + "' is not float64 or float32";
      return false;
    }
    if (!keep(sim::Reference::create(e.network, *precision)))
      return false;
  } else if (kind == "fixed") {
    if (!keep(sim::Fixed::create(e.network)))
      return false;
  } else if (kind == "c") {
    if (!keep(run::CEngine::create(e.network)))
      return false;
  } else {
    if (r.quantize.target.empty()) {
      error = "engine='emu' needs target= (a targets/*.json file)";
      return false;
    }
    if (!npy::isRegularFile(r.quantize.target, error))
      return false;
    llvm::Expected<target::Target> t = target::readTarget(r.quantize.target);
    if (!t) {
      error = llvm::toString(t.takeError());
      return false;
    }
    run::EmuOptions options;
    options.map.activity = r.mapSpikeActivity;
    options.expectedSamples = inputs.samples;
    llvm::Expected<std::unique_ptr<run::EmuEngine>> made =
        run::EmuEngine::create(e.network, *t, options);
    if (made)
      e.emu = made->get();
    if (!keep(std::move(made)))
      return false;
  }
  if (!e.engine)
    return false;
  std::optional<sim::Propagation> propagation =
      r.propagation == "auto"    ? std::optional(sim::Propagation::Auto)
      : r.propagation == "dense" ? std::optional(sim::Propagation::Dense)
      : r.propagation == "event" ? std::optional(sim::Propagation::EventDriven)
                                 : std::nullopt;
  if (!propagation) {
    error = "propagation='" + r.propagation + "' is not auto, dense or event";
    return false;
  }
  e.engine->propagation = *propagation;
  return true;
}

/// Records nodes in memory, as snn-run's --record writes them to files.
class Recording {
public:
  bool start(sim::Engine &engine, const std::vector<std::string> &names,
             const run::Inputs &inputs, std::string &error) {
    this->engine = &engine;
    steps = inputs.steps;
    int64_t total = engine.outputSize(0);
    for (const std::string &name : names) {
      std::optional<size_t> node = engine.findNode(name);
      if (!node) {
        std::string known;
        for (const std::string &n : engine.nodeNames())
          known += (known.empty() ? "" : ", ") + n;
        error = "record: no node named '" + name + "' (nodes: " + known + ")";
        return false;
      }
      const sim::NodeStats &s = engine.stats()[*node];
      nodes.push_back(*node);
      out.push_back({name, "out", s.neurons, s.spikes, {}});
      if (engine.nodeMembrane(*node)) {
        nodes.push_back(*node);
        out.push_back({name, "v", s.neurons, false, {}});
      }
      if (engine.nodeCurrent(*node)) {
        nodes.push_back(*node);
        out.push_back({name, "i", s.neurons, false, {}});
      }
    }
    for (const Recorded &r : out)
      total += r.neurons;
    if (!run::checkedEntries(inputs.samples, inputs.steps, total,
                             run::kMaxOutputEntries)) {
      error = "the output and recorded traces are more than the " +
              std::to_string(run::kMaxOutputEntries) + " values snn-run holds";
      return false;
    }
    for (Recorded &r : out)
      r.data.assign(size_t(inputs.samples * inputs.steps * r.neurons), 0.0);
    return true;
  }
  void observe(int64_t first, int64_t count, int64_t t) {
    for (size_t k = 0; k < out.size(); ++k) {
      Recorded &r = out[k];
      const sim::Matrix *m = r.kind == "v"   ? engine->nodeMembrane(nodes[k])
                             : r.kind == "i" ? engine->nodeCurrent(nodes[k])
                                             : &engine->nodeOutput(nodes[k]);
      for (int64_t b = 0; b < count; ++b)
        for (int64_t j = 0; j < r.neurons; ++j)
          r.data[size_t(((first + b) * steps + t) * r.neurons + j)] =
              (*m)(j, b);
    }
  }
  std::vector<Recorded> out;

private:
  sim::Engine *engine = nullptr;
  std::vector<size_t> nodes;
  int64_t steps = 0;
};

/// The run's summary as snn-run --json writes it, with the quantization
/// and emulator reports.
std::string summaryOf(const run::RunResult &result, const EngineRun &e) {
  llvm::json::Object summary = run::summaryJson(result);
  summary["engine"] = e.kind;
  if (!e.quantReport.empty())
    if (llvm::Expected<llvm::json::Value> v = llvm::json::parse(e.quantReport))
      summary["quantization"] = std::move(*v);
  if (e.emu)
    summary["emulator"] = e.emu->summaryJson();
  return llvm::formatv("{0}", llvm::json::Value(std::move(summary))).str();
}

void fillOutput(RunOutput &out, run::RunResult &result, bool spikes) {
  out.samples = result.samples;
  out.steps = result.steps;
  out.outputShape = result.outputShape;
  out.outputSpikes = spikes;
  int64_t neurons = 1;
  for (int64_t d : result.outputShape)
    neurons *= d;
  out.counts.assign(size_t(result.samples * neurons), 0.0);
  for (int64_t n = 0; n < result.samples; ++n)
    for (int64_t t = 0; t < result.steps; ++t)
      for (int64_t j = 0; j < neurons; ++j)
        out.counts[size_t(n * neurons + j)] +=
            result.outputs[size_t((n * result.steps + t) * neurons + j)];
  out.predictions = result.predictions;
  out.outputs = std::move(result.outputs);
}

run::RunOptions runOptions(const RunRequest &r, std::string &error) {
  run::RunOptions o;
  o.batch = r.batch;
  if (r.batch <= 0)
    error = "batch must be positive";
  std::optional<run::Readout> readout = readoutOf(r.readout);
  if (!readout)
    error = "readout='" + r.readout + "' is not count, max or final";
  o.readout = readout.value_or(run::Readout::Count);
  return o;
}

report::ReportOptions reportOptions(const RunRequest &r) {
  report::ReportOptions o;
  o.samples = r.reportSamples;
  o.traced = r.record;
  return o;
}

} // namespace

std::unique_ptr<RunOutput> Network::run(const InputView &view,
                                        const RunRequest &request,
                                        std::string &error) const {
  StderrCapture capture;
  auto failWith = [&](const std::string &message) {
    error = capture.fail(message);
    return nullptr;
  };
  run::RunOptions options = runOptions(request, error);
  if (!error.empty())
    return failWith(error);
  std::optional<run::Inputs> inputs = inputsOf(view, *impl, error);
  if (!inputs)
    return failWith(error);
  std::optional<npy::Array> labels = labelsOf(request, *impl, error);
  if (!error.empty())
    return failWith(error);
  EngineRun e;
  if (!makeEngine(*impl, request.engine, request, *inputs, e, error))
    return failWith(error);
  Recording recording;
  if (!recording.start(*e.engine, request.record, *inputs, error))
    return failWith(error);
  report::Recorder recorder(reportOptions(request), *e.engine, e.kind, nullptr,
                            "", e.network, e.emu ? &e.emu->emulator() : nullptr,
                            inputs->samples, inputs->steps);
  if (llvm::Error err = recorder.check())
    return failWith(llvm::toString(std::move(err)));
  llvm::Expected<run::RunResult> result =
      run::runEngine(*e.engine, e.network, *inputs, labels, options,
                     [&](int64_t first, int64_t count, int64_t t,
                         const std::vector<sim::Matrix> &) {
                       recording.observe(first, count, t);
                       recorder.observe(first, count, t);
                     });
  if (!result)
    return failWith(llvm::toString(result.takeError()));
  recorder.finish(result->accuracy);
  auto out = std::make_unique<RunOutput>();
  out->summaryJson = summaryOf(*result, e);
  fillOutput(*out, *result, e.engine->outputIsSpikes(0));
  out->records = std::move(recording.out);
  out->report = std::make_shared<ReportHandle>();
  out->report->data->report = std::move(recorder.data());
  return out;
}

std::unique_ptr<Network> Network::quantize(const QuantizeRequest &request,
                                           std::string &error) const {
  StderrCapture capture;
  std::unique_ptr<Network> n = quantizeCopy(*impl, request, error);
  if (!n)
    error = capture.fail(error);
  return n;
}

bool Network::emitC(const std::string &dir, std::vector<std::string> &written,
                    std::string &error) const {
  StderrCapture capture;
  if (!quant::isQuantized(impl->network)) {
    error = capture.fail("emit_c needs an integer network: quantize() it "
                         "first");
    return false;
  }
  if (std::error_code ec = llvm::sys::fs::create_directories(dir)) {
    error = capture.fail(dir + ": " + ec.message());
    return false;
  }
  std::string base = name();
  codegen::Interface interface;
  interface.fileName = base;
  std::string source;
  llvm::raw_string_ostream os(source);
  if (failed(codegen::emitC(impl->network, os, codegen::CodegenOptions(),
                            interface))) {
    error = capture.fail("");
    return false;
  }
  for (auto [ext, text] : {std::pair{".c", source},
                           std::pair{".h", codegen::headerFor(interface)}}) {
    llvm::SmallString<256> path(dir);
    llvm::sys::path::append(path, base + ext);
    std::error_code ec;
    llvm::raw_fd_ostream out(path, ec);
    if (ec) {
      error = capture.fail(path.str().str() + ": " + ec.message());
      return false;
    }
    out << text;
    written.push_back(path.str().str());
  }
  return true;
}

bool Network::save(const std::string &path, std::string &error) const {
  std::error_code ec;
  llvm::raw_fd_ostream out(path, ec);
  if (ec) {
    error = path + ": " + ec.message();
    return false;
  }
  impl->module->print(out);
  return true;
}

struct Chip::Impl {
  std::shared_ptr<MLIRContext> context;
  mutable OwningOpRef<ModuleOp> module;
  mutable hw::ChipOp chip;
  map::MapReport report;
};

Chip::Chip() : impl(std::make_unique<Impl>()) {}
Chip::~Chip() = default;

std::unique_ptr<Chip> Network::map(const std::string &targetPath,
                                   double activity, std::string &error) const {
  StderrCapture capture;
  if (!quant::isQuantized(impl->network)) {
    error = capture.fail("map needs an integer network: quantize() it first");
    return nullptr;
  }
  if (!npy::isRegularFile(targetPath, error)) {
    error = capture.fail(error);
    return nullptr;
  }
  llvm::Expected<target::Target> t = target::readTarget(targetPath);
  if (!t) {
    error = capture.fail(llvm::toString(t.takeError()));
    return nullptr;
  }
  auto chip = std::make_unique<Chip>();
  chip->impl->context = impl->context;
  chip->impl->module = ModuleOp::create(impl->network.getLoc());
  chip->impl->module->push_back(impl->network.clone());
  NetworkOp copy = *chip->impl->module->getOps<NetworkOp>().begin();
  map::MapOptions options;
  options.activity = activity;
  FailureOr<hw::ChipOp> mapped =
      map::mapNetwork(copy, *t, options, chip->impl->report);
  if (failed(mapped)) {
    error = capture.fail("the network does not map onto " + t->name);
    return nullptr;
  }
  chip->impl->chip = *mapped;
  return chip;
}

std::string Chip::text() const {
  std::string s;
  llvm::raw_string_ostream os(s);
  impl->module->print(os);
  return s;
}

std::string Chip::mapReport() const {
  std::string s;
  llvm::raw_string_ostream os(s);
  impl->report.print(os);
  return s;
}

bool Chip::emitImage(const std::string &path, std::string &error) const {
  std::vector<uint8_t> bytes = image::writeImage(impl->chip);
  std::error_code ec;
  llvm::raw_fd_ostream out(path, ec);
  if (ec) {
    error = path + ": " + ec.message();
    return false;
  }
  out.write(reinterpret_cast<const char *>(bytes.data()), bytes.size());
  return true;
}

std::unique_ptr<CompareOutput>
compare(const Network &a, const std::string &engineA, const Network &b,
        const std::string &engineB, const InputView &view,
        const RunRequest &request, std::string &error) {
  StderrCapture capture;
  auto failWith = [&](const std::string &message) {
    error = capture.fail(message);
    return nullptr;
  };
  run::RunOptions options = runOptions(request, error);
  if (!error.empty())
    return failWith(error);
  std::optional<run::Inputs> inputs = inputsOf(view, *a.impl, error);
  if (!inputs)
    return failWith(error);
  std::optional<npy::Array> labels = labelsOf(request, *a.impl, error);
  if (!error.empty())
    return failWith(error);
  EngineRun ea, eb;
  if (!makeEngine(*a.impl, engineA, request, *inputs, ea, error) ||
      !makeEngine(*b.impl, engineB, request, *inputs, eb, error))
    return failWith(error);
  const emu::Emulator *emulator = ea.emu   ? &ea.emu->emulator()
                                  : eb.emu ? &eb.emu->emulator()
                                           : nullptr;
  report::Recorder recorder(reportOptions(request), *ea.engine, engineA,
                            eb.engine.get(), engineB, ea.network, emulator,
                            inputs->samples, inputs->steps);
  if (llvm::Error err = recorder.check())
    return failWith(llvm::toString(std::move(err)));
  llvm::Expected<run::Comparison> c =
      run::compareEngines(*ea.engine, ea.network, engineA, *eb.engine,
                          eb.network, engineB, *inputs, labels, options,
                          [&](int64_t first, int64_t count, int64_t t,
                              const std::vector<sim::Matrix> &) {
                            recorder.observe(first, count, t);
                          });
  if (!c)
    return failWith(llvm::toString(c.takeError()));
  recorder.finish(c->a.accuracy, c->b.accuracy);
  auto out = std::make_unique<CompareOutput>();
  out->json =
      llvm::formatv("{0}", llvm::json::Value(run::comparisonJson(*c))).str();
  out->report = std::make_shared<ReportHandle>();
  out->report->data->report = std::move(recorder.data());
  return out;
}

} // namespace snnc

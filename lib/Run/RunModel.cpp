//===- RunModel.cpp - everything snn-run does, as one entry point ---------===//

#include "Run/RunModel.h"
#include "NIR/InputKind.h"
#include "Image/ImageTranslate.h"
#include "Init/InitAll.h"
#include "Run/CEngine.h"
#include "Run/Calibrate.h"
#include "Run/Compare.h"
#include "Run/EmuEngine.h"
#include "Run/LavaEngine.h"
#include "Sim/Fixed.h"
#include "Target/Target.h"

#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

using namespace mlir;
using llvm::StringRef;

namespace snn::run {

StringRef engineName(EngineKind kind) {
  switch (kind) {
  case EngineKind::Float:
    return "float";
  case EngineKind::Fixed:
    return "fixed";
  case EngineKind::C:
    return "c";
  case EngineKind::Emu:
    return "emu";
  case EngineKind::Lava:
    return "lava";
  }
  llvm_unreachable("unknown engine");
}

llvm::cl::ValuesClass engineValues() {
  return llvm::cl::values(
      clEnumValN(EngineKind::Float, "float",
                 "the reference in real numbers (default)"),
      clEnumValN(EngineKind::Fixed, "fixed",
                 "the fixed-point reference; a float model is quantized on "
                 "the way"),
      clEnumValN(EngineKind::C, "c",
                 "the generated C, compiled with the host compiler"),
      clEnumValN(EngineKind::Emu, "emu",
                 "the chip image on the cycle-approximate emulator (needs "
                 "--target)"),
      clEnumValN(EngineKind::Lava, "lava",
                 "Lava itself, on the network exported as netx (needs "
                 "SNNC_LAVA_PATH; docs/loihi2.md)"));
}

llvm::cl::ValuesClass readoutValues() {
  return llvm::cl::values(
      clEnumValN(Readout::Count, "count", "most spikes (default)"),
      clEnumValN(Readout::Max, "max", "largest value over the steps"),
      clEnumValN(Readout::Final, "final", "largest value at the last step"));
}

llvm::cl::ValuesClass propagationValues() {
  return llvm::cl::values(
      clEnumValN(sim::Propagation::Auto, "auto",
                 "event-driven where inputs are sparse (default)"),
      clEnumValN(sim::Propagation::Dense, "dense", "always dense"),
      clEnumValN(sim::Propagation::EventDriven, "event",
                 "always event-driven"));
}

llvm::cl::ValuesClass precisionValues() {
  return llvm::cl::values(
      clEnumValN(sim::Precision::Float64, "float64", "doubles (default)"),
      clEnumValN(sim::Precision::Float32, "float32", "floats"));
}

namespace {

LogicalResult fail(const llvm::Twine &message) {
  llvm::errs() << "snn-run: error: " << message << "\n";
  return failure();
}

void warn(const llvm::Twine &message) {
  llvm::errs() << "snn-run: warning: " << message << "\n";
}

/// One run of snn-run: the options, and what the steps produce.
class ModelRun {
public:
  ModelRun(const RunModelOptions &options, llvm::raw_ostream &os)
      : opts(options), engine(options.engine), os(os),
        context(makeRegistry()) {}

  LogicalResult run();

private:
  static DialectRegistry makeRegistry();
  LogicalResult checkEngines();
  LogicalResult loadNetwork();
  LogicalResult loadInputs();
  LogicalResult loadLabels();
  LogicalResult writeCalibration();
  LogicalResult buildIntegerModel();
  llvm::Expected<std::unique_ptr<sim::Engine>> makeEngine(EngineKind kind);
  llvm::Expected<std::unique_ptr<sim::Engine>> makeEmuEngine();
  LogicalResult runEngines();
  LogicalResult writeOutputs();
  LogicalResult finishEmulator();
  LogicalResult writeJson(const std::string &path, llvm::json::Value value);

  LogicalResult startReport(EngineKind kindA, sim::Engine *b,
                            EngineKind kindB);
  StepObserver reportObserver();
  LogicalResult writeReport();
  LogicalResult chooseEngine();
  LogicalResult loadChip(ModuleOp chipModule);
  LogicalResult runChip();
  void warnUnused();

  bool wanted(EngineKind kind) const {
    return opts.compare.empty() ? engine == kind
                                : llvm::is_contained(opts.compare, kind);
  }
  NetworkOp networkOf(EngineKind kind) const {
    return kind == EngineKind::Float ? network : fixedNetwork;
  }

  const RunModelOptions &opts;
  EngineKind engine;
  llvm::raw_ostream &os;
  MLIRContext context;
  OwningOpRef<ModuleOp> module, quantizedModule;
  NetworkOp network, fixedNetwork;
  // What the model file is, from its bytes.
  InputKind modelKind = InputKind::MlirText;
  // A chip image to run as it is (an image file, or an snnhw.chip in MLIR).
  std::optional<std::vector<uint8_t>> chipImage;
  SmallVector<int64_t> inShape, outShape;
  std::optional<Inputs> inputs;
  std::optional<npy::Array> labels;
  RunOptions runOptions;
  std::optional<quant::QuantReport> report;
  // Kept to the end: the emulator reports after the run.
  std::unique_ptr<sim::Engine> engineA, engineB;
  EmuEngine *emuEngine = nullptr;
  std::optional<RunResult> result;
  std::optional<Comparison> comparison;
  std::unique_ptr<report::Recorder> recorder;
};

DialectRegistry ModelRun::makeRegistry() {
  DialectRegistry registry;
  registerAllDialects(registry);
  return registry;
}

LogicalResult ModelRun::checkEngines() {
  if (!opts.compare.empty() &&
      (opts.compare.size() != 2 || opts.compare[0] == opts.compare[1]))
    return fail("--compare takes two different engines of float, fixed, c, "
                "emu, lava");
  if (opts.batch <= 0)
    return fail("--batch must be positive");
  if (opts.maxSamples < 0)
    return fail("--samples must not be negative");
  return success();
}

LogicalResult ModelRun::loadNetwork() {
  std::string error;
  if (!npy::isRegularFile(opts.modelPath, error))
    return fail(error);
  modelKind = detectInputKind(opts.modelPath);
  // The bytes decide; a name that promises an image they do not hold is
  // more likely a mistake than a model to run.
  if (StringRef(opts.modelPath).ends_with(".img") &&
      modelKind != InputKind::ChipImage)
    return fail(opts.modelPath + ": not a chip image (no SNNCHIP header): " +
                describeInputKind(modelKind));
  if (modelKind == InputKind::ChipImage) {
    auto buffer = llvm::MemoryBuffer::getFile(opts.modelPath);
    if (!buffer)
      return fail(opts.modelPath + ": " + buffer.getError().message());
    chipImage.emplace((*buffer)->getBufferStart(), (*buffer)->getBufferEnd());
    return success();
  }
  if (modelKind == InputKind::MlirText) {
    llvm::SourceMgr sourceMgr;
    SourceMgrDiagnosticHandler handler(sourceMgr, &context);
    OwningOpRef<ModuleOp> parsed =
        parseSourceFile<ModuleOp>(opts.modelPath, sourceMgr, &context);
    if (!parsed)
      return failure();
    if (parsed->getOps<NetworkOp>().empty() &&
        !parsed->getOps<hw::ChipOp>().empty())
      return loadChip(*parsed);
  }
  module = loadModel(opts.modelPath, opts.import, opts.networkName, &context,
                     network);
  if (!module)
    return failure();
  FunctionType type = network.getFunctionType();
  if (type.getNumResults() == 0)
    return fail("the network has no outputs");
  if (type.getNumInputs() != 1)
    return fail(llvm::Twine("the network has ") +
                llvm::Twine(type.getNumInputs()) +
                " inputs; snn-run feeds networks with one input");
  ArrayRef<int64_t> in = getSignalShape(type.getInput(0));
  ArrayRef<int64_t> out = getSignalShape(type.getResult(0));
  inShape.assign(in.begin(), in.end());
  outShape.assign(out.begin(), out.end());
  fixedNetwork = network;
  return success();
}

/// A module of mapped chips: the one to run becomes an image.
LogicalResult ModelRun::loadChip(ModuleOp chipModule) {
  SmallVector<hw::ChipOp> chips;
  for (hw::ChipOp chip : chipModule.getOps<hw::ChipOp>())
    if (opts.networkName.empty() || chip.getSymName() == opts.networkName)
      chips.push_back(chip);
  if (chips.size() != 1)
    return fail(opts.modelPath + ": " +
                (chips.empty() ? "no chip" : "several chips") +
                (opts.networkName.empty() ? "" : " named '" + opts.networkName +
                                                     "'") +
                (chips.empty() ? "" : "; choose one with --network"));
  chipImage = image::writeImage(chips.front());
  return success();
}

/// An existing chip image on the emulator: nothing is quantized or mapped.
LogicalResult ModelRun::runChip() {
  if (!opts.compare.empty() || (opts.engineGiven && engine != EngineKind::Emu))
    return fail(opts.modelPath + " holds a mapped chip; only --engine emu "
                                 "runs it");
  for (const std::string &flag : opts.quantizeFlagsGiven)
    warn("--" + flag + " does nothing: the chip is already quantized and "
                       "mapped");
  EmuOptions emu;
  emu.imagePath = opts.imageOut;
  emu.vcdPath = opts.vcdOut;
  emu.tracePath = opts.traceOut;
  emu.traceSamples = opts.traceSamples;
  llvm::Expected<std::unique_ptr<EmuEngine>> made =
      EmuEngine::fromImage(std::move(*chipImage), emu);
  if (!made)
    return fail(opts.modelPath + ": " + llvm::toString(made.takeError()));
  emuEngine = made->get();
  engineA = std::move(*made);
  engine = EngineKind::Emu;
  inShape.assign(1, engineA->inputSize(0));
  outShape.assign(1, engineA->outputSize(0));
  if (engineA->numInputs() != 1)
    return fail(opts.modelPath + ": the chip has " +
                llvm::Twine(engineA->numInputs()) +
                " inputs; snn-run feeds chips with one input");
  if (failed(loadInputs()) || failed(loadLabels()) ||
      failed(startReport(engine, nullptr, engine)))
    return failure();
  std::string error;
  result = runEngine(*engineA, NetworkOp(), *inputs, labels, runOptions, error,
                     reportObserver());
  if (!result)
    return fail(error);
  printSummary(*result, os);
  if (failed(finishEmulator()) || failed(writeReport()))
    return failure();
  return writeOutputs();
}

/// The emulator's own summary, on the terminal and with --emu-json.
LogicalResult ModelRun::finishEmulator() {
  if (llvm::Error error = emuEngine->finish())
    return fail(llvm::toString(std::move(error)));
  emuEngine->printSummary(os);
  if (!opts.emuJson.empty() &&
      failed(writeJson(opts.emuJson, emuEngine->summaryJson())))
    return failure();
  return success();
}

LogicalResult ModelRun::loadInputs() {
  int64_t neurons = 1;
  for (int64_t d : inShape)
    neurons *= d;
  // Spike inputs must be 0 or 1, or event counts when only snn.xylo reads
  // them; real values go through snn.quantize.
  bool spikeInput = network && isSpikes(network.getFunctionType().getInput(0));
  bool countInput = spikeInput && readsCounts(network);
  std::string error;
  if (opts.holdSteps != 0 && (opts.inputPath.empty() || !opts.poisson.empty() ||
                              StringRef(opts.inputPath).ends_with(".csv")))
    return fail("--steps holds an .npy input of one array per sample over "
                "the steps; give it with --input FILE.npy");
  if (!opts.poisson.empty()) {
    inputs = parsePoisson(opts.poisson, neurons, error);
  } else if (StringRef(opts.inputPath).ends_with(".csv")) {
    inputs = inputsFromCsv(opts.inputPath, opts.inputColumns, neurons, error,
                           spikeInput, countInput);
  } else if (!opts.inputPath.empty()) {
    std::optional<npy::Array> array = npy::load(opts.inputPath, error);
    if (array && opts.holdSteps != 0) {
      llvm::Expected<Inputs> held =
          heldInputs(*array, inShape, opts.holdSteps, spikeInput);
      if (!held)
        return fail(opts.inputPath + ": " + llvm::toString(held.takeError()));
      inputs = std::move(*held);
    } else if (array) {
      inputs = inputsFromArray(*array, inShape, error, spikeInput,
                               countInput);
      if (!inputs)
        error = opts.inputPath + ": " + error;
    }
  } else {
    return fail("give --input FILE or --poisson RATE,STEPS,SAMPLES");
  }
  if (!inputs)
    return fail(error);
  if (opts.maxSamples > 0)
    inputs->keepSamples(opts.maxSamples);
  if (opts.writeInput.empty())
    return success();
  std::vector<int64_t> shape{inputs->samples, inputs->steps};
  shape.insert(shape.end(), inShape.begin(), inShape.end());
  if (!npy::save(opts.writeInput, shape, inputs->asDoubles(),
                 spikeInput ? "uint8" : "float64", error))
    return fail(error);
  return success();
}

LogicalResult ModelRun::loadLabels() {
  if (opts.labelsPath.empty())
    return success();
  std::string error;
  labels = npy::load(opts.labelsPath, error);
  if (!labels)
    return fail(error);
  if (labels->shape.size() != 1)
    return fail(opts.labelsPath +
                ": labels must be one per sample, a 1-d array");
  if (opts.maxSamples > 0 && labels->shape[0] > inputs->samples &&
      inputs->samples == opts.maxSamples) {
    labels->shape[0] = inputs->samples;
    labels->values.resize(size_t(inputs->samples));
  }
  int64_t classes = 1;
  for (int64_t d : outShape)
    classes *= d;
  if (!checkLabels(*labels, classes, error))
    return fail(opts.labelsPath + ": " + error);
  return success();
}

LogicalResult ModelRun::writeCalibration() {
  if (opts.calibrateOut.empty())
    return success();
  if (quant::isQuantized(network))
    return fail("--calibrate needs the float model, not an integer one");
  std::string error;
  std::optional<quant::Calibration> ranges =
      calibrate(network, *inputs, runOptions, error);
  if (!ranges)
    return fail(error);
  if (llvm::Error e = quant::writeCalibration(*ranges, opts.calibrateOut))
    return fail(llvm::toString(std::move(e)));
  return success();
}

/// The integer network the fixed, C and emulator engines run: the model
/// itself when it is one, else the model quantized on the way.
LogicalResult ModelRun::buildIntegerModel() {
  bool wantFixed = wanted(EngineKind::Fixed) || wanted(EngineKind::C) ||
                   wanted(EngineKind::Emu) || wanted(EngineKind::Lava);
  if (!wantFixed || quant::isQuantized(network))
    return success();
  quantizedModule = module->clone();
  quantizedModule->walk([&](NetworkOp n) {
    if (n.getSymName() == network.getSymName())
      fixedNetwork = n;
  });
  report.emplace();
  // The emulator maps generic integer neurons, not a Xylo core.
  quant::QuantizeOptions options = opts.quantize;
  options.deviceCore = !wanted(EngineKind::Emu);
  if (failed(quant::quantizeFromOptions(fixedNetwork, options,
                                        opts.targetPath, opts.calibrationPath,
                                        *report)) ||
      failed(verify(fixedNetwork)))
    return fail("the model could not be quantized (see above)");
  quant::printQuantReport(*report, os);
  return success();
}

llvm::Expected<std::unique_ptr<sim::Engine>> ModelRun::makeEmuEngine() {
  std::string error;
  for (const std::string &path : {opts.targetPath, opts.calibrationPath})
    if (!path.empty() && !npy::isRegularFile(path, error))
      return llvm::createStringError(error);
  llvm::Expected<target::Target> t = target::readTarget(opts.targetPath);
  if (!t)
    return t.takeError();
  EmuOptions emu;
  emu.map.activity = opts.mapSpikeActivity;
  if (!opts.calibrationPath.empty()) {
    llvm::Expected<quant::Calibration> c =
        quant::readCalibration(opts.calibrationPath);
    if (!c)
      return c.takeError();
    if (failed(quant::checkCalibration(network, *c, opts.calibrationPath)))
      return llvm::createStringError("the calibration does not belong to the "
                                     "network (see above)");
    emu.map.useRates(*c);
  }
  emu.imagePath = opts.imageOut;
  emu.vcdPath = opts.vcdOut;
  emu.tracePath = opts.traceOut;
  emu.traceSamples = opts.traceSamples;
  // The run shows progress for every engine (RunOptions::progress).
  emu.progress = false;
  emu.expectedSamples = inputs->samples;
  llvm::Expected<std::unique_ptr<EmuEngine>> made =
      EmuEngine::create(fixedNetwork, *t, emu);
  if (!made)
    return made.takeError();
  emuEngine = made->get();
  return std::unique_ptr<sim::Engine>(std::move(*made));
}

llvm::Expected<std::unique_ptr<sim::Engine>>
ModelRun::makeEngine(EngineKind kind) {
  std::string error;
  std::unique_ptr<sim::Engine> e;
  switch (kind) {
  case EngineKind::Emu: {
    auto made = makeEmuEngine();
    if (!made)
      return made.takeError();
    e = std::move(*made);
    break;
  }
  case EngineKind::Fixed:
    e = sim::Fixed::create(fixedNetwork, error);
    break;
  case EngineKind::C: {
    // Generating and compiling the C is timed apart from the step loop
    // (the summary's "steps in ... s").
    auto start = std::chrono::steady_clock::now();
    llvm::Expected<std::unique_ptr<CEngine>> made =
        CEngine::create(fixedNetwork, opts.codegen);
    if (!made)
      return made.takeError();
    llvm::outs() << llvm::formatv(
        "C engine: generated and compiled in {0:F3} s\n",
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count());
    e = std::move(*made);
    break;
  }
  case EngineKind::Float:
    e = sim::Reference::create(network, error, opts.precision);
    break;
  case EngineKind::Lava: {
    auto made = LavaEngine::create(fixedNetwork, *inputs);
    if (!made)
      return made.takeError();
    e = std::move(*made);
    break;
  }
  }
  if (!e)
    return llvm::createStringError(error);
  e->propagation = opts.propagation;
  return std::move(e);
}

LogicalResult ModelRun::runEngines() {
  std::string error;
  if (!opts.compare.empty()) {
    EngineKind kindA = opts.compare[0], kindB = opts.compare[1];
    auto a = makeEngine(kindA);
    if (!a)
      return fail(llvm::toString(a.takeError()));
    engineA = std::move(*a);
    auto b = makeEngine(kindB);
    if (!b)
      return fail(llvm::toString(b.takeError()));
    engineB = std::move(*b);
    if (failed(startReport(kindA, engineB.get(), kindB)))
      return failure();
    comparison = compareEngines(*engineA, networkOf(kindA),
                                engineName(kindA).str(), *engineB,
                                networkOf(kindB), engineName(kindB).str(),
                                *inputs, labels, runOptions, error,
                                reportObserver());
    if (!comparison)
      return fail(error);
    result = engine == kindB ? comparison->b : comparison->a;
    return success();
  }
  auto a = makeEngine(engine);
  if (!a)
    return fail(llvm::toString(a.takeError()));
  engineA = std::move(*a);
  if (failed(startReport(engine, nullptr, engine)))
    return failure();
  result = runEngine(*engineA, networkOf(engine), *inputs, labels,
                     runOptions, error, reportObserver());
  if (!result)
    return fail(error);
  return success();
}

/// --report: a recorder watching engine A (and B in a comparison).
LogicalResult ModelRun::startReport(EngineKind kindA, sim::Engine *b,
                                    EngineKind kindB) {
  if (opts.report.path.empty())
    return success();
  report::ReportOptions options = opts.report;
  options.traced = opts.record;
  recorder = std::make_unique<report::Recorder>(
      options, *engineA, engineName(kindA).str(), b, engineName(kindB).str(),
      chipImage ? NetworkOp() : networkOf(kindA),
      emuEngine ? &emuEngine->emulator() : nullptr, inputs->samples,
      inputs->steps);
  if (llvm::Error e = recorder->check())
    return fail(llvm::toString(std::move(e)));
  return success();
}

StepObserver ModelRun::reportObserver() {
  if (!recorder)
    return {};
  return [this](int64_t first, int64_t count, int64_t t,
                const std::vector<sim::Matrix> &) {
    recorder->observe(first, count, t);
  };
}

LogicalResult ModelRun::writeReport() {
  if (!recorder)
    return success();
  if (comparison)
    recorder->finish(comparison->a.accuracy, comparison->b.accuracy);
  else
    recorder->finish(result->accuracy);
  if (llvm::Error e = report::writeHtml(recorder->data(), opts.report.path))
    return fail(llvm::toString(std::move(e)));
  return success();
}

/// An integer model on the float engine: the fixed engine runs it when no
/// engine was named; otherwise the user is told which engines run it.
LogicalResult ModelRun::chooseEngine() {
  if (!wanted(EngineKind::Float) || !quant::isQuantized(network))
    return success();
  if (opts.engineGiven || !opts.compare.empty())
    return fail("the model is already integer (quantized); the float engine "
                "runs the float model (use --engine fixed, c or emu)");
  llvm::errs() << "snn-run: note: the model is integer (quantized); running "
                  "it on the fixed engine (--engine fixed)\n";
  engine = EngineKind::Fixed;
  return success();
}

/// Flags that do nothing in this combination.
void ModelRun::warnUnused() {
  if (opts.nirFlagsGiven && modelKind != InputKind::Nir)
    warn("the --nir-* flags apply to .nir files; " + opts.modelPath +
         " is not one, so they do nothing");
  if (!opts.poisson.empty() && !opts.inputPath.empty())
    warn("--input " + opts.inputPath +
         " is not read: --poisson makes the input");
  if (opts.samplesGiven && opts.maxSamples == 0)
    warn("--samples 0 does nothing: every sample of the input runs");
  bool integerEngine = wanted(EngineKind::Fixed) || wanted(EngineKind::C) ||
                       wanted(EngineKind::Emu) || wanted(EngineKind::Lava);
  bool integerModel = quant::isQuantized(network);
  for (const std::string &flag : opts.quantizeFlagsGiven) {
    // The emulator maps with the target and the calibrated rates.
    if (wanted(EngineKind::Emu) && (flag == "target" || flag == "calibration"))
      continue;
    if (!integerEngine)
      warn("--" + flag + " does nothing: the " + engineName(engine) +
           " engine runs the float model unquantized");
    else if (integerModel)
      warn("--" + flag +
           " does nothing: the model is already integer (quantized)");
    else if (!opts.targetPath.empty() &&
             llvm::is_contained({"weight-bits", "weight-exp-max",
                                 "state-bits", "current-bits", "decay"},
                                flag))
      warn("--" + flag + " does nothing: --target " + opts.targetPath +
           " sets it");
  }
}

LogicalResult ModelRun::writeJson(const std::string &path,
                                  llvm::json::Value value) {
  std::error_code ec;
  llvm::raw_fd_ostream out(path, ec);
  if (ec)
    return fail(path + ": " + ec.message());
  out << llvm::formatv("{0:2}", value) << "\n";
  return success();
}

LogicalResult ModelRun::writeOutputs() {
  std::string error;
  int64_t outNeurons = 1;
  for (int64_t d : result->outputShape)
    outNeurons *= d;
  bool spikes = engineA->outputIsSpikes(0);
  if (!opts.outputPath.empty()) {
    std::vector<int64_t> shape{result->samples, result->steps};
    shape.insert(shape.end(), result->outputShape.begin(),
                 result->outputShape.end());
    if (!npy::save(opts.outputPath, shape, result->outputs,
                   spikes ? "uint8" : "float64", error))
      return fail(error);
  }
  if (!opts.countsPath.empty()) {
    std::vector<double> counts(result->samples * outNeurons, 0.0);
    for (int64_t n = 0; n < result->samples; ++n)
      for (int64_t t = 0; t < result->steps; ++t)
        for (int64_t j = 0; j < outNeurons; ++j)
          counts[n * outNeurons + j] +=
              result->outputs[(n * result->steps + t) * outNeurons + j];
    if (!npy::save(opts.countsPath, {result->samples, outNeurons}, counts,
                   "int32", error))
      return fail(error);
  }
  if (!opts.jsonPath.empty())
    return writeJson(opts.jsonPath, summaryJson(*result));
  return success();
}

LogicalResult ModelRun::run() {
  runOptions.batch = opts.batch;
  runOptions.readout = opts.readout;
  runOptions.record = opts.record;
  runOptions.recordDir = opts.recordDir;
  runOptions.progress =
      opts.progress || llvm::sys::Process::StandardErrIsDisplayed();
  if (!runOptions.record.empty())
    llvm::sys::fs::create_directories(opts.recordDir);
  if (failed(checkEngines()) || failed(loadNetwork()))
    return failure();
  if (chipImage)
    return runChip();
  if (failed(loadInputs()) || failed(loadLabels()))
    return failure();
  if (failed(writeCalibration()))
    return failure();
  if (failed(chooseEngine()))
    return failure();
  if (wanted(EngineKind::Emu) && opts.targetPath.empty())
    return fail("--engine emu needs --target FILE (targets/*.json), or a "
                "mapped chip (.img, or MLIR holding an snnhw.chip)");
  warnUnused();
  if (failed(buildIntegerModel()) || failed(runEngines()))
    return failure();
  if (!opts.quantizeReport.empty()) {
    llvm::json::Object out;
    if (report)
      out["quantization"] = report->toJson();
    if (comparison)
      out["comparison"] = comparisonJson(*comparison);
    if (failed(writeJson(opts.quantizeReport, std::move(out))))
      return failure();
  }
  printSummary(*result, os);
  if (comparison)
    printComparison(*comparison, os);
  if ((emuEngine && failed(finishEmulator())) || failed(writeReport()))
    return failure();
  return writeOutputs();
}

} // namespace

LogicalResult runModel(const RunModelOptions &options, llvm::raw_ostream &os) {
  ModelRun run(options, os);
  return run.run();
}

} // namespace snn::run

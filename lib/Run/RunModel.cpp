//===- RunModel.cpp - everything snn-run does, as one entry point ---------===//

#include "Run/RunModel.h"
#include "NIR/InputKind.h"
#include "Image/ImageTranslate.h"
#include "Init/InitAll.h"
#include "Run/CEngine.h"
#include "Run/Calibrate.h"
#include "Run/Compare.h"
#include "Run/Distributed.h"
#include "Run/EmuEngine.h"
#include "Run/LavaEngine.h"
#include "Sim/Fixed.h"
#include "Support/NpyFile.h"
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
  // One write per line: under mpirun the ranks' lines must not interleave.
  llvm::errs() << ("snn-run: error: " + message + "\n").str();
  return failure();
}

LogicalResult fail(llvm::Error error) {
  return fail(llvm::toString(std::move(error)));
}

// Ranks other than 0 of a data-parallel run keep their warnings and notes to
// themselves: rank 0 says the same once. Errors come from every rank.
bool quiet = false;

void warn(const llvm::Twine &message) {
  if (!quiet)
    llvm::errs() << "snn-run: warning: " << message << "\n";
}

/// One run of snn-run: the options, and what the steps produce.
class ModelRun {
public:
  ModelRun(const RunModelOptions &options, llvm::raw_ostream &out)
      : opts(options), engine(options.engine),
        ranks(options.ranks ? *options.ranks : oneRank),
        os(ranks.rank() == 0 ? out : llvm::nulls()), context(makeRegistry()) {
    // Only rank 0 writes files and shows progress.
    quiet = ranks.rank() != 0;
    if (quiet) {
      opts.writeInput.clear();
      opts.imageOut.clear();
      opts.vcdOut.clear();
      opts.traceOut.clear();
    }
  }

  LogicalResult run();

private:
  // Data-parallel runs (Run/Distributed.h).
  bool agreed(LogicalResult mine);
  Block blockFor(int64_t batch, int rank) const;
  LogicalResult load();
  LogicalResult loadChipEngine();
  LogicalResult calibrateBlock();
  bool calibrateAll();
  LogicalResult makeEngines();
  LogicalResult runBlock();
  void gatherResults();
  LogicalResult finishRun();

  static DialectRegistry makeRegistry();
  LogicalResult checkEngines();
  LogicalResult checkRanks();
  LogicalResult loadNetwork();
  LogicalResult loadInputs();
  LogicalResult loadLabels();
  LogicalResult writeCalibration(const quant::Calibration &ranges);
  LogicalResult buildIntegerModel();
  llvm::Expected<std::unique_ptr<sim::Engine>> makeEngine(EngineKind kind);
  llvm::Expected<std::unique_ptr<sim::Engine>> makeEmuEngine();
  LogicalResult writeOutputs();
  LogicalResult finishEmulator();
  LogicalResult writeJson(const std::string &path, llvm::json::Value value);

  LogicalResult startReport(EngineKind kindA, sim::Engine *b,
                            EngineKind kindB);
  StepObserver reportObserver();
  LogicalResult writeReport();
  LogicalResult chooseEngine();
  LogicalResult loadChip(ModuleOp chipModule);
  void warnUnused();

  bool wanted(EngineKind kind) const {
    return opts.compare.empty() ? engine == kind
                                : llvm::is_contained(opts.compare, kind);
  }
  NetworkOp networkOf(EngineKind kind) const {
    return kind == EngineKind::Float ? network : fixedNetwork;
  }

  RunModelOptions opts;
  EngineKind engine;
  Communicator oneRank;
  Communicator &ranks;
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
  std::optional<CalibrationPart> calibration;
  int64_t granularity = 1; // the one-rank run's batch
  // The emulator runs a system of chips spread over the ranks: each rank
  // runs all the samples, and rank 0 holds the whole run's results.
  bool systemEmulation = false;
  LogicalResult distributeChips();
  LogicalResult writeExchange();
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
  return checkRanks();
}

/// What does not split over MPI ranks. Every rank finds the same, so rank 0
/// alone says it.
LogicalResult ModelRun::checkRanks() {
  if (ranks.size() == 1)
    return success();
  std::string over = " over " + std::to_string(ranks.size()) + " MPI ranks; ";
  if (!opts.report.path.empty())
    return quiet ? failure()
                 : fail("--report records the run step by step in one "
                        "process and is not made" + over +
                        "run snn-run with --report as one rank (without "
                        "mpirun)");
  if (wanted(EngineKind::Lava))
    return quiet ? failure()
                 : fail("--engine lava runs Lava once on all the samples and "
                        "does not split" + over +
                        "run it as one rank (without mpirun)");
  return success();
}

LogicalResult ModelRun::loadNetwork() {
  if (llvm::Error error = npy::checkRegularFile(opts.modelPath))
    return fail(std::move(error));
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
    OwningOpRef<ModuleOp> parsed = parseIrFile(opts.modelPath, &context);
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
LogicalResult ModelRun::loadChipEngine() {
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
  emu.logSteps = ranks.rank() != 0; // rank 0 absorbs the others' runs
  llvm::Expected<std::unique_ptr<EmuEngine>> made =
      EmuEngine::fromImage(std::move(*chipImage), emu);
  if (!made)
    return fail(opts.modelPath + ": " + llvm::toString(made.takeError()));
  emuEngine = made->get();
  if (failed(distributeChips()))
    return failure();
  engineA = std::move(*made);
  engine = EngineKind::Emu;
  inShape.assign(1, engineA->inputSize(0));
  outShape.assign(1, engineA->outputSize(0));
  if (engineA->numInputs() != 1)
    return fail(opts.modelPath + ": the chip has " +
                llvm::Twine(engineA->numInputs()) +
                " inputs; snn-run feeds chips with one input");
  return success(succeeded(loadInputs()) && succeeded(loadLabels()));
}

/// The emulator's own summary, on the terminal and with --emu-json.
LogicalResult ModelRun::finishEmulator() {
  if (llvm::Error error = emuEngine->finish())
    return fail(llvm::toString(std::move(error)));
  emuEngine->printSummary(os);
  if (opts.emuLoops)
    emuEngine->printLoops(os);
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
  if (opts.holdSteps != 0 && (opts.inputPath.empty() || !opts.poisson.empty() ||
                              StringRef(opts.inputPath).ends_with(".csv")))
    return fail("--steps holds an .npy input of one array per sample over "
                "the steps; give it with --input FILE.npy");
  auto take = [&](llvm::Expected<Inputs> in,
                  const std::string &prefix) -> LogicalResult {
    if (!in)
      return fail(prefix + llvm::toString(in.takeError()));
    inputs = std::move(*in);
    return success();
  };
  LogicalResult loaded = failure();
  if (!opts.poisson.empty()) {
    loaded = take(parsePoisson(opts.poisson, neurons), "");
  } else if (StringRef(opts.inputPath).ends_with(".csv")) {
    loaded = take(inputsFromCsv(opts.inputPath, opts.inputColumns, neurons,
                                spikeInput, countInput),
                  "");
  } else if (!opts.inputPath.empty()) {
    llvm::Expected<npy::Array> array = npy::read(opts.inputPath);
    if (!array)
      return fail(array.takeError());
    loaded = take(opts.holdSteps != 0
                      ? heldInputs(*array, inShape, opts.holdSteps,
                                   spikeInput, countInput)
                      : inputsFromArray(*array, inShape, spikeInput,
                                        countInput),
                  opts.inputPath + ": ");
  } else {
    return fail("give --input FILE or --poisson RATE,STEPS,SAMPLES");
  }
  if (failed(loaded))
    return failure();
  if (opts.maxSamples > 0)
    inputs->keepSamples(opts.maxSamples);
  if (opts.writeInput.empty())
    return success();
  std::vector<int64_t> shape{inputs->samples, inputs->steps};
  shape.insert(shape.end(), inShape.begin(), inShape.end());
  if (llvm::Error error = npy::write(opts.writeInput, shape, inputs->asDoubles(),
                                    spikeInput ? "uint8" : "float64"))
    return fail(std::move(error));
  return success();
}

LogicalResult ModelRun::loadLabels() {
  if (opts.labelsPath.empty())
    return success();
  llvm::Expected<npy::Array> read = npy::read(opts.labelsPath);
  if (!read)
    return fail(read.takeError());
  labels = std::move(*read);
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
  if (llvm::Error e = checkLabels(*labels, classes))
    return fail(opts.labelsPath + ": " + llvm::toString(std::move(e)));
  return success();
}

/// The ranges of this rank's block (the float reference runs batches of
/// --batch).
LogicalResult ModelRun::calibrateBlock() {
  if (quant::isQuantized(network))
    return fail("--calibrate needs the float model, not an integer one");
  Block block = blockFor(runOptions.batch, ranks.rank());
  CalibrationPart part;
  llvm::Expected<quant::Calibration> ranges = calibrate(
      network, sliceInputs(*inputs, block), runOptions, &part.counts);
  if (!ranges)
    return fail(llvm::toString(ranges.takeError()));
  part.ranges = std::move(*ranges);
  calibration = std::move(part);
  return success();
}

LogicalResult ModelRun::writeCalibration(const quant::Calibration &ranges) {
  if (llvm::Error e = quant::writeCalibration(ranges, opts.calibrateOut))
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
  quant::QuantizeOptions options = opts.quantize;
  if (failed(quant::quantizeFromOptions(fixedNetwork, options,
                                        opts.targetPath, opts.calibrationPath,
                                        *report)) ||
      failed(verify(fixedNetwork)))
    return fail("the model could not be quantized (see above)");
  quant::printQuantReport(*report, os);
  return success();
}

llvm::Expected<std::unique_ptr<sim::Engine>> ModelRun::makeEmuEngine() {
  for (const std::string &path : {opts.targetPath, opts.calibrationPath})
    if (!path.empty())
      if (llvm::Error error = npy::checkRegularFile(path))
        return std::move(error);
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
  emu.logSteps = ranks.rank() != 0; // rank 0 absorbs the others' runs
  llvm::Expected<std::unique_ptr<EmuEngine>> made =
      EmuEngine::create(fixedNetwork, *t, emu);
  if (!made)
    return made.takeError();
  emuEngine = made->get();
  if (failed(distributeChips()))
    return llvm::createStringError("see above");
  return std::unique_ptr<sim::Engine>(std::move(*made));
}

/// --emu-exchange: the chips of each rank and every rank's time in the
/// exchanges, gathered on rank 0.
LogicalResult ModelRun::writeExchange() {
  if (opts.emuExchange.empty() || !emuEngine)
    return success();
  const emu::Emulator &e = emuEngine->emulator();
  const emu::ExchangeStats *stats = e.exchangeStats();
  Packer p;
  p.real(stats ? stats->seconds : 0.0);
  p.int64(stats ? stats->bytesSent : 0);
  p.int64(stats ? stats->exchanges : 0);
  p.int64(stats ? stats->payloadBytes : 0);
  p.int64(stats ? stats->lateMessages : 0);
  std::vector<std::string> parts = ranks.gather(p.take());
  if (ranks.rank() != 0)
    return success();
  llvm::json::Array chips, perRank;
  for (size_t c = 0; c < e.numChips(); ++c)
    chips.push_back(llvm::json::Object{{"chip", e.chipId(c)},
                                       {"rank", e.rankOfChip(c)}});
  for (size_t r = 0; r < parts.size(); ++r) {
    Unpacker u(parts[r]);
    double seconds = u.real();
    int64_t bytes = u.int64(), exchanges = u.int64();
    int64_t payload = u.int64(), late = u.int64();
    perRank.push_back(llvm::json::Object{{"rank", int64_t(r)},
                                         {"exchange_seconds", seconds},
                                         {"bytes_sent", bytes},
                                         {"payload_bytes", payload},
                                         {"late_messages", late},
                                         {"exchanges", exchanges}});
  }
  return writeJson(opts.emuExchange,
                   llvm::json::Object{{"ranks", int64_t(ranks.size())},
                                      {"distributed", systemEmulation},
                                      {"exchanges_per_step",
                                       int64_t(e.exchangesPerStep())},
                                      {"chips", std::move(chips)},
                                      {"per_rank", std::move(perRank)}});
}

/// A system of chips under mpirun: every rank runs every sample on its own
/// chips (docs/scale-out.md) instead of a block of the samples on all.
LogicalResult ModelRun::distributeChips() {
  if (ranks.size() == 1 || emuEngine->emulator().numChips() < 2)
    return success();
  if (!opts.record.empty() || !opts.vcdOut.empty() || !opts.traceOut.empty())
    return fail("--record, --vcd and --trace watch every population, but " +
                llvm::Twine(ranks.size()) +
                " MPI ranks share the " +
                llvm::Twine(emuEngine->emulator().numChips()) +
                " chips of the system and each runs its own; run them as "
                "one rank");
  // A comparison reads every stage's output on rank 0.
  emuEngine->distribute(spikeExchange(ranks), !opts.compare.empty());
  systemEmulation = true;
  return success();
}

llvm::Expected<std::unique_ptr<sim::Engine>>
ModelRun::makeEngine(EngineKind kind) {
  std::unique_ptr<sim::Engine> e;
  switch (kind) {
  case EngineKind::Emu: {
    auto made = makeEmuEngine();
    if (!made)
      return made.takeError();
    e = std::move(*made);
    break;
  }
  case EngineKind::Fixed: {
    auto made = sim::Fixed::create(fixedNetwork);
    if (!made)
      return made.takeError();
    e = std::move(*made);
    break;
  }
  case EngineKind::C: {
    // Generating and compiling the C is timed apart from the step loop
    // (the summary's "steps in ... s").
    auto start = std::chrono::steady_clock::now();
    llvm::Expected<std::unique_ptr<CEngine>> made =
        CEngine::create(fixedNetwork, opts.codegen);
    if (!made)
      return made.takeError();
    // On rank 0 only, as the other tables (os).
    os << llvm::formatv(
        "C engine: generated and compiled in {0:F3} s\n",
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count());
    e = std::move(*made);
    break;
  }
  case EngineKind::Float: {
    auto made = sim::Reference::create(network, opts.precision);
    if (!made)
      return made.takeError();
    e = std::move(*made);
    break;
  }
  case EngineKind::Lava: {
    auto made = LavaEngine::create(fixedNetwork, *inputs);
    if (!made)
      return made.takeError();
    e = std::move(*made);
    break;
  }
  }
  e->propagation = opts.propagation;
  return std::move(e);
}

LogicalResult ModelRun::makeEngines() {
  EngineKind kindA = opts.compare.empty() ? engine : opts.compare[0];
  auto a = makeEngine(kindA);
  if (!a)
    return fail(llvm::toString(a.takeError()));
  engineA = std::move(*a);
  if (opts.compare.empty())
    return success();
  auto b = makeEngine(opts.compare[1]);
  if (!b)
    return fail(llvm::toString(b.takeError()));
  engineB = std::move(*b);
  return success();
}

/// Runs this rank's block of the samples (all of them on one rank).
LogicalResult ModelRun::runBlock() {
  // The batches the one-rank run would make (runEngine, compareEngines).
  granularity = std::min(runOptions.batch, engineA->maxBatch());
  if (engineB)
    granularity = std::min(granularity, engineB->maxBatch());
  Block block = blockFor(granularity, ranks.rank());
  if (ranks.size() > 1 && emuEngine &&
      (!opts.vcdOut.empty() || !opts.traceOut.empty()) &&
      blockFor(granularity, 0).size() < opts.traceSamples)
    return fail("--vcd and --trace cover the first " +
                llvm::Twine(opts.traceSamples) +
                " samples (--trace-samples), more than the " +
                llvm::Twine(blockFor(granularity, 0).size()) +
                " that rank 0 of " + llvm::Twine(ranks.size()) +
                " runs; use fewer ranks or fewer --trace-samples");
  // A block of every sample runs the inputs as they are (a slice copies).
  std::optional<Inputs> slice;
  if (block.first != 0 || block.end != inputs->samples)
    slice = sliceInputs(*inputs, block);
  const Inputs &mine = slice ? *slice : *inputs;
  std::optional<npy::Array> myLabels = sliceLabels(labels, block);
  RunOptions local = runOptions;
  local.writeTraces = false; // rank 0 writes them for all samples
  if (!opts.compare.empty()) {
    EngineKind kindA = opts.compare[0], kindB = opts.compare[1];
    if (failed(startReport(kindA, engineB.get(), kindB)))
      return failure();
    llvm::Expected<Comparison> c = compareEngines(
        *engineA, networkOf(kindA), engineName(kindA).str(), *engineB,
        networkOf(kindB), engineName(kindB).str(), mine, myLabels, local,
        reportObserver());
    if (!c)
      return fail(llvm::toString(c.takeError()));
    comparison = std::move(*c);
    return success();
  }
  if (failed(startReport(engine, nullptr, engine)))
    return failure();
  llvm::Expected<RunResult> r =
      runEngine(*engineA, chipImage ? NetworkOp() : networkOf(engine), mine,
                myLabels, local, reportObserver());
  if (!r)
    return fail(llvm::toString(r.takeError()));
  result = std::move(*r);
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
  if (!quiet)
    llvm::errs() << "snn-run: note: the model is integer (quantized); "
                    "running it on the fixed engine (--engine fixed)\n";
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
  if (!wanted(EngineKind::Emu))
    for (const std::string &flag : opts.emuFlagsGiven)
      warn("--" + flag + " does nothing: the emulator does not run (--engine "
                         "emu, or --compare with emu, runs it)");
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
  int64_t outNeurons = 1;
  for (int64_t d : result->outputShape)
    outNeurons *= d;
  bool spikes = engineA->outputIsSpikes(0);
  if (!opts.outputPath.empty()) {
    std::vector<int64_t> shape{result->samples, result->steps};
    shape.insert(shape.end(), result->outputShape.begin(),
                 result->outputShape.end());
    if (llvm::Error error = npy::write(opts.outputPath, shape, result->outputs,
                                      spikes ? "uint8" : "float64"))
      return fail(std::move(error));
  }
  if (!opts.countsPath.empty()) {
    std::vector<double> counts(result->samples * outNeurons, 0.0);
    for (int64_t n = 0; n < result->samples; ++n)
      for (int64_t t = 0; t < result->steps; ++t)
        for (int64_t j = 0; j < outNeurons; ++j)
          counts[n * outNeurons + j] +=
              result->outputs[(n * result->steps + t) * outNeurons + j];
    if (llvm::Error error = npy::write(
            opts.countsPath, {result->samples, outNeurons}, counts, "int32"))
      return fail(std::move(error));
  }
  if (!opts.jsonPath.empty())
    return writeJson(opts.jsonPath, summaryJson(*result));
  return success();
}

/// Every rank reports how its phase went; all stop when one failed (that
/// rank has printed its error).
bool ModelRun::agreed(LogicalResult mine) {
  int failedRank = ranks.firstFailure(succeeded(mine));
  if (failedRank < 0)
    return true;
  if (ranks.rank() == 0 && ranks.size() > 1)
    llvm::errs() << "snn-run: error: rank " << failedRank << " of "
                 << ranks.size() << " failed (its error is above); every "
                 << "rank stops\n";
  return false;
}

Block ModelRun::blockFor(int64_t batch, int rank) const {
  if (systemEmulation)
    return {0, inputs->samples};
  return blockOf(inputs->samples, batch, rank, ranks.size());
}

/// The model, its inputs and labels; for a chip, its engine too.
LogicalResult ModelRun::load() {
  if (failed(checkEngines()) || failed(loadNetwork()))
    return failure();
  if (chipImage)
    return loadChipEngine();
  return success(succeeded(loadInputs()) && succeeded(loadLabels()));
}

/// --calibrate: every rank calibrates its block, rank 0 writes the ranges
/// of all. False when a rank failed.
bool ModelRun::calibrateAll() {
  if (!agreed(calibrateBlock()))
    return false;
  Packer p;
  packCalibration(*calibration, p);
  std::vector<std::string> parts = ranks.gather(p.take());
  LogicalResult written = success();
  if (ranks.rank() == 0) {
    std::vector<CalibrationPart> all;
    all.push_back(std::move(*calibration));
    for (size_t r = 1; r < parts.size(); ++r) {
      Unpacker u(parts[r]);
      all.push_back(unpackCalibration(u));
    }
    written = writeCalibration(mergeCalibrations(all));
  }
  return agreed(written);
}

/// Rank 0 puts the ranks' results together in sample order.
void ModelRun::gatherResults() {
  if (systemEmulation) {
    // Every rank ran every sample, and the chips exchanged their counts.
    if (comparison)
      result = engine == opts.compare[1] ? comparison->b : comparison->a;
    return;
  }
  // One rank's result is the whole run (its outputs are not always kept,
  // so there is nothing to merge them from).
  if (ranks.size() == 1 && !comparison)
    return;
  Packer p;
  if (comparison)
    packComparison(*comparison, p);
  else
    packResult(*result, p);
  if (emuEngine)
    packEmulator(emuEngine->partial(), p);
  std::vector<std::string> parts = ranks.gather(p.take());
  if (ranks.rank() != 0)
    return;
  // The emulator's totals continue with each rank's, in sample order.
  auto absorbEmulator = [&](Unpacker &u) {
    if (emuEngine)
      emuEngine->absorb(unpackEmulator(u));
  };
  std::vector<int64_t> firsts;
  for (int r = 0; r < ranks.size(); ++r)
    firsts.push_back(blockFor(granularity, r).first);
  if (comparison) {
    std::vector<Comparison> all;
    all.push_back(std::move(*comparison));
    for (size_t r = 1; r < parts.size(); ++r) {
      Unpacker u(parts[r]);
      all.push_back(unpackComparison(u));
      absorbEmulator(u);
    }
    comparison = mergeComparisons(std::move(all), firsts, labels,
                                  runOptions.readout);
    result = engine == opts.compare[1] ? comparison->b : comparison->a;
    return;
  }
  std::vector<RunResult> all;
  all.push_back(std::move(*result));
  for (size_t r = 1; r < parts.size(); ++r) {
    Unpacker u(parts[r]);
    all.push_back(unpackResult(u));
    absorbEmulator(u);
  }
  result = mergeResults(std::move(all), labels, runOptions.readout);
}

/// What rank 0 prints and writes once the run is put together.
LogicalResult ModelRun::finishRun() {
  if (llvm::Error e = saveTraces(comparison ? comparison->a : *result))
    return fail(llvm::toString(std::move(e)));
  if (!chipImage && !opts.quantizeReport.empty()) {
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

LogicalResult ModelRun::run() {
  runOptions.batch = opts.batch;
  runOptions.readout = opts.readout;
  runOptions.record = opts.record;
  runOptions.recordDir = opts.recordDir;
  // The outputs of every step are held only for what writes them
  // (--output, --counts), compares them, or gathers them over ranks.
  runOptions.keepOutputs = !opts.outputPath.empty() ||
                           !opts.countsPath.empty() ||
                           !opts.compare.empty() || ranks.size() > 1;
  runOptions.progress =
      ranks.rank() == 0 &&
      (opts.progress || llvm::sys::Process::StandardErrIsDisplayed());
  if (!runOptions.record.empty() && ranks.rank() == 0)
    llvm::sys::fs::create_directories(opts.recordDir);
  if (!agreed(load()))
    return failure();
  if (!chipImage) {
    if (!opts.calibrateOut.empty() && !calibrateAll())
      return failure();
    auto prepare = [&]() -> LogicalResult {
      if (failed(chooseEngine()))
        return failure();
      if (wanted(EngineKind::Emu) && opts.targetPath.empty())
        return fail("--engine emu needs --target FILE (targets/*.json), or a "
                    "mapped chip (.img, or MLIR holding an snnhw.chip)");
      warnUnused();
      if (failed(buildIntegerModel()))
        return failure();
      return makeEngines();
    };
    if (!agreed(prepare()))
      return failure();
  }
  if (!agreed(runBlock()))
    return failure();
  if (failed(writeExchange()))
    return failure();
  gatherResults();
  if (ranks.rank() != 0)
    return success();
  return finishRun();
}

} // namespace

LogicalResult runModel(const RunModelOptions &options, llvm::raw_ostream &os) {
  ModelRun run(options, os);
  return run.run();
}

} // namespace snn::run

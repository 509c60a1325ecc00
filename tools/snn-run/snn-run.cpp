//===- snn-run.cpp - run a network on recorded or generated input ---------===//

#include "Init/InitAll.h"
#include "NIR/NirTranslate.h"
#include "Quant/Quantize.h"
#include "Codegen/CTranslate.h"
#include "Run/CEngine.h"
#include "Run/EmuEngine.h"
#include "Run/Calibrate.h"
#include "Run/Compare.h"
#include "Run/Run.h"
#include "Sim/Fixed.h"
#include "Target/Target.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace snn;

namespace {
cl::opt<std::string> modelPath(cl::Positional, cl::Required,
                               cl::desc("<model.mlir|model.nir>"));
cl::opt<std::string> inputPath("input",
                               cl::desc("Input spikes or values: .npy of "
                                        "[steps, ...] or [samples, steps, ...], "
                                        "or .csv with one row per step"));
cl::list<int64_t> inputColumns("input-columns", cl::CommaSeparated,
                               cl::desc("CSV columns to use as input neurons"));
cl::opt<std::string> poisson(
    "poisson", cl::desc("Synthetic Poisson input instead of --input: "
                        "RATE,STEPS,SAMPLES[,SEED]"));
cl::opt<std::string> labelsPath("labels",
                                cl::desc("Class labels .npy, one per sample"));
cl::opt<std::string> engine(
    "engine",
    cl::desc("Engine: float (the reference in real numbers) | fixed (the "
             "fixed-point reference; a float model is quantized on the way) | "
             "c (the generated C, compiled with the host compiler) | emu (the "
             "chip image on the cycle-approximate emulator; needs --target)"),
    cl::init("float"));
cl::opt<std::string> compare(
    "compare", cl::desc("Run two engines in lockstep and report where they "
                        "differ: float,fixed | fixed,c | fixed,emu | c,emu | "
                        "float,emu ..."));
cl::opt<std::string> calibrateOut(
    "calibrate", cl::desc("Write the value ranges of a float run on the input "
                          "(for --calibration and snn-quantize)"));

cl::OptionCategory quantCategory("Quantization on the way (as snn-quantize)");
cl::opt<int64_t> weightBits("weight-bits", cl::init(8), cl::cat(quantCategory),
                            cl::desc("Bits of a weight"));
cl::opt<int64_t> maxWeightExp("weight-exp-max", cl::init(7),
                              cl::cat(quantCategory),
                              cl::desc("Largest weight exponent (0: none)"));
cl::opt<int64_t> stateBits("state-bits", cl::init(16), cl::cat(quantCategory),
                           cl::desc("Bits of the membrane"));
cl::opt<int64_t> currentBits("current-bits", cl::init(0),
                             cl::cat(quantCategory),
                             cl::desc("Bits of the current (0: as the membrane)"));
cl::opt<int64_t> accBits("acc-bits", cl::init(32), cl::cat(quantCategory),
                         cl::desc("Bits of a projection's output"));
cl::opt<int64_t> inputBits("input-bits", cl::init(8), cl::cat(quantCategory),
                           cl::desc("Bits of real-valued inputs"));
cl::opt<bool> perChannel("per-channel", cl::cat(quantCategory),
                         cl::desc("One unit per output row or channel"));
cl::opt<bool> powerOfTwo("power-of-two", cl::cat(quantCategory),
                         cl::desc("Units rounded up to powers of two"));
cl::opt<std::string> decay("decay", cl::init("multiply"), cl::cat(quantCategory),
                           cl::desc("Decay arithmetic: multiply | shift"));
cl::opt<int64_t> decayBits("decay-bits", cl::init(12), cl::cat(quantCategory),
                           cl::desc("Shift of decay(multiply)"));
cl::opt<std::string> rounding("rounding", cl::init("nearest_even"),
                              cl::cat(quantCategory),
                              cl::desc("nearest_even | half_away | floor"));
cl::opt<std::string> overflow("overflow", cl::init("saturate"),
                              cl::cat(quantCategory),
                              cl::desc("saturate | wrap"));
cl::opt<std::string> scaleMethod("scale-method", cl::init("min-error"),
                                 cl::cat(quantCategory),
                                 cl::desc("min-error | max-abs"));
cl::opt<std::string> targetPath(
    "target", cl::cat(quantCategory),
    cl::desc("Quantize as this target requires (targets/*.json)"));
cl::opt<std::string> calibrationIn("calibration", cl::cat(quantCategory),
                                   cl::desc("Ranges from --calibrate"));
cl::opt<std::string> quantReport(
    "quant-report", cl::cat(quantCategory),
    cl::desc("Write the quantization report (and the comparison) as JSON"));
cl::OptionCategory emuCategory("The emulator (--engine emu)");
cl::opt<std::string> imageOut("image", cl::cat(emuCategory),
                              cl::desc("Also write the chip image to FILE"));
cl::opt<std::string> vcdOut("vcd", cl::cat(emuCategory),
                            cl::desc("Spikes of every population as a VCD "
                                     "(GTKWave)"));
cl::opt<std::string> traceOut("trace", cl::cat(emuCategory),
                              cl::desc("Per-core activity per step as Chrome "
                                       "trace-event JSON (Perfetto)"));
cl::opt<int64_t> traceSamples("trace-samples", cl::init(1),
                              cl::cat(emuCategory),
                              cl::desc("Samples the VCD and trace cover"));
cl::opt<bool> progress("progress", cl::cat(emuCategory),
                       cl::desc("Show progress on stderr (on by default when "
                                "stderr is a terminal)"));
cl::opt<double> mapActivity("map-activity", cl::init(0.1),
                            cl::cat(emuCategory),
                            cl::desc("Spike rate placement assumes where "
                                     "--calibration gives none"));
cl::opt<std::string> emuJson("emu-json", cl::cat(emuCategory),
                             cl::desc("Write the emulator's summary as JSON"));
cl::opt<std::string> networkName("network",
                                 cl::desc("Network to run when there are several"));
cl::list<std::string> record("record", cl::CommaSeparated,
                             cl::desc("Nodes whose traces to write"));
cl::opt<std::string> recordDir("record-dir", cl::init("."),
                               cl::desc("Folder for --record traces"));
cl::opt<std::string> outputPath(
    "output", cl::desc("Write output 0 as [samples, steps, ...] (with "
                       "--compare: of the first engine, or of --engine)"));
cl::opt<int64_t> maxSamples("samples", cl::init(0),
                            cl::desc("Run only the first N samples of the input"));
cl::opt<std::string> writeInput(
    "write-input",
    cl::desc("Write the input as run, [samples, steps, ...] (uint8 for "
             "spikes): e.g. the --poisson draw, for snn_harness"));
cl::opt<std::string> countsPath(
    "counts", cl::desc("Write output spike counts per sample, [samples, neurons]"));
cl::opt<std::string> jsonPath("json", cl::desc("Write the summary as JSON"));
cl::opt<std::string> readout("readout", cl::init("count"),
                             cl::desc("Class readout: count | max | final"));
cl::opt<int64_t> batch("batch", cl::init(256),
                       cl::desc("Samples simulated together"));
cl::opt<std::string> propagation("propagation", cl::init("auto"),
                                 cl::desc("Projections: auto | dense | event"));
cl::opt<std::string> precision(
    "precision", cl::init("float64"),
    cl::desc("Float engine: float64 | float32 (values stored as floats)"));

int fail(const std::string &message) {
  errs() << "snn-run: error: " << message << "\n";
  return 1;
}
} // namespace

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  registerNirOptions();
  cl::ParseCommandLineOptions(argc, argv,
                              "snn-run: execute a spiking network and "
                              "summarize what it did\n");
  std::optional<nir::ImportOptions> importOptions = nirOptionsFromCommandLine();
  if (!importOptions)
    return 1;
  auto knownEngine = [](const std::string &e) {
    return e == "float" || e == "fixed" || e == "c" || e == "emu";
  };
  if (!knownEngine(engine))
    return fail("--engine=" + engine + " is not one of float, fixed, c, emu");
  std::vector<std::string> compared;
  if (!compare.empty()) {
    SmallVector<StringRef> parts;
    StringRef(compare).split(parts, ',');
    for (StringRef p : parts)
      compared.push_back(p.str());
    if (compared.size() != 2 || compared[0] == compared[1] ||
        !llvm::all_of(compared, knownEngine))
      return fail("--compare=" + compare +
                  " is not two different engines of float, fixed, c, emu");
  }
  run::Readout readoutMode;
  if (readout == "count")
    readoutMode = run::Readout::Count;
  else if (readout == "max")
    readoutMode = run::Readout::Max;
  else if (readout == "final")
    readoutMode = run::Readout::Final;
  else
    return fail("--readout=" + readout + " is not one of count, max, final");
  sim::Propagation mode = propagation == "dense" ? sim::Propagation::Dense
                          : propagation == "event"
                              ? sim::Propagation::EventDriven
                              : sim::Propagation::Auto;
  if (propagation != "auto" && propagation != "dense" && propagation != "event")
    return fail("--propagation=" + propagation +
                " is not one of auto, dense, event");
  if (batch <= 0)
    return fail("--batch must be positive");
  if (precision != "float64" && precision != "float32")
    return fail("--precision=" + precision + " is not one of float64, float32");
  sim::Precision floatPrecision = precision == "float32"
                                      ? sim::Precision::Float32
                                      : sim::Precision::Float64;

  mlir::DialectRegistry registry;
  registerAllDialects(registry);
  mlir::MLIRContext context(registry);
  NetworkOp network;
  auto module = run::loadModel(modelPath, *importOptions, networkName,
                               &context, network);
  if (!module)
    return 1;
  if (network.getFunctionType().getNumResults() == 0)
    return fail("the network has no outputs");
  if (network.getFunctionType().getNumInputs() != 1)
    return fail("the network has " +
                std::to_string(network.getFunctionType().getNumInputs()) +
                " inputs; snn-run feeds networks with one input");
  ArrayRef<int64_t> inShape =
      getSignalShape(network.getFunctionType().getInput(0));
  int64_t neurons = 1;
  for (int64_t d : inShape)
    neurons *= d;

  std::string error;
  std::optional<run::Inputs> inputs;
  if (!poisson.empty()) {
    SmallVector<StringRef> parts;
    StringRef(poisson).split(parts, ',');
    double rate;
    int64_t steps, samples;
    uint64_t seed = 1;
    if (parts.size() < 3 || parts.size() > 4 || parts[0].getAsDouble(rate) ||
        parts[1].getAsInteger(10, steps) ||
        parts[2].getAsInteger(10, samples) ||
        (parts.size() == 4 && parts[3].getAsInteger(10, seed)) || rate < 0 ||
        rate > 1 || steps <= 0 || samples <= 0)
      return fail("--poisson=" + poisson +
                  " is not RATE,STEPS,SAMPLES[,SEED] with 0 <= RATE <= 1");
    inputs = run::poissonInputs(rate, steps, samples, neurons, seed);
  } else if (StringRef(inputPath).ends_with(".csv")) {
    inputs = run::inputsFromCsv(inputPath,
                                std::vector<int64_t>(inputColumns.begin(),
                                                     inputColumns.end()),
                                neurons, error);
  } else if (!inputPath.empty()) {
    std::optional<npy::Array> array = npy::load(inputPath, error);
    if (array) {
      inputs = run::inputsFromArray(*array, inShape, error);
      if (!inputs)
        error = inputPath + ": " + error;
    }
  } else {
    return fail("give --input FILE or --poisson RATE,STEPS,SAMPLES");
  }
  if (!inputs)
    return fail(error);

  if (maxSamples < 0)
    return fail("--samples must not be negative");
  if (maxSamples > 0 && maxSamples < inputs->samples) {
    inputs->samples = maxSamples;
    inputs->values.resize(size_t(maxSamples * inputs->steps * inputs->neurons));
  }
  if (!writeInput.empty()) {
    std::vector<int64_t> shape{inputs->samples, inputs->steps};
    shape.insert(shape.end(), inShape.begin(), inShape.end());
    bool spikeInput = isSpikes(network.getFunctionType().getInput(0));
    if (!npy::save(writeInput, shape, inputs->values,
                   spikeInput ? "uint8" : "float64", error))
      return fail(error);
  }

  std::optional<npy::Array> labels;
  if (!labelsPath.empty()) {
    labels = npy::load(labelsPath, error);
    if (!labels)
      return fail(error);
    if (labels->shape.size() != 1)
      return fail(labelsPath + ": labels must be one per sample, a 1-d array");
    if (maxSamples > 0 && labels->shape[0] > inputs->samples &&
        inputs->samples == maxSamples) {
      labels->shape[0] = inputs->samples;
      labels->values.resize(size_t(inputs->samples));
    }
  }

  run::RunOptions options;
  options.batch = batch;
  options.readout = readoutMode;
  options.record.assign(record.begin(), record.end());
  options.recordDir = recordDir;
  if (!options.record.empty())
    sys::fs::create_directories(recordDir);
  if (!calibrateOut.empty()) {
    if (quant::isQuantized(network))
      return fail("--calibrate needs the float model, not an integer one");
    std::optional<quant::Calibration> ranges =
        run::calibrate(network, *inputs, options, error);
    if (!ranges || !quant::writeCalibration(*ranges, calibrateOut, error))
      return fail(error);
  }

  // The integer network: the model itself when it is one, else the model
  // quantized on the way.
  auto wanted = [&](const std::string &e) {
    return compared.empty() ? engine == e : llvm::is_contained(compared, e);
  };
  bool wantEmu = wanted("emu");
  if (wantEmu && targetPath.empty())
    return fail("--engine emu needs --target FILE (targets/*.json)");
  // All three integer engines run the same integer form.
  bool wantFixed = wanted("fixed") || wanted("c") || wantEmu;
  bool wantFloat = wanted("float");
  bool modelIsInteger = quant::isQuantized(network);
  if (wantFloat && modelIsInteger)
    return fail("the model is already integer (quantized); the float engine "
                "runs the float model");
  mlir::OwningOpRef<mlir::ModuleOp> quantizedModule;
  NetworkOp fixedNetwork = network;
  std::optional<quant::QuantReport> report;
  if (wantFixed && !modelIsInteger) {
    std::optional<quant::QuantizeOptions> qopts = quant::parseQuantizeOptions(
        weightBits, maxWeightExp, stateBits, currentBits, accBits, inputBits,
        perChannel, powerOfTwo, decay, decayBits, rounding, overflow,
        scaleMethod, error);
    if (!qopts)
      return fail(error);
    if (!targetPath.empty()) {
      std::optional<target::Target> t = target::readTarget(targetPath, error);
      if (!t)
        return fail(error);
      target::applyTarget(*t, *qopts);
    }
    std::optional<quant::Calibration> ranges;
    if (!calibrationIn.empty()) {
      ranges = quant::readCalibration(calibrationIn, error);
      if (!ranges)
        return fail(error);
    }
    quantizedModule = module->clone();
    quantizedModule->walk([&](NetworkOp n) {
      if (n.getSymName() == network.getSymName())
        fixedNetwork = n;
    });
    report.emplace();
    if (failed(quant::quantizeNetwork(fixedNetwork, *qopts,
                                      ranges ? &*ranges : nullptr, *report)) ||
        failed(mlir::verify(fixedNetwork)))
      return fail("the model could not be quantized (see above)");
    quant::printQuantReport(*report, outs());
  }
  run::EmuEngine *emuEngine = nullptr;
  auto makeEngine = [&](const std::string &kind) -> std::unique_ptr<sim::Engine> {
    std::unique_ptr<sim::Engine> e;
    if (kind == "emu") {
      std::optional<target::Target> t = target::readTarget(targetPath, error);
      if (!t)
        return nullptr;
      run::EmuOptions emu;
      emu.map.activity = mapActivity;
      if (!calibrationIn.empty()) {
        std::optional<quant::Calibration> c =
            quant::readCalibration(calibrationIn, error);
        if (!c)
          return nullptr;
        emu.map.useRates(*c);
      }
      emu.imagePath = imageOut;
      emu.vcdPath = vcdOut;
      emu.tracePath = traceOut;
      emu.traceSamples = traceSamples;
      emu.progress = progress || sys::Process::StandardErrIsDisplayed();
      emu.expectedSamples = inputs->samples;
      std::unique_ptr<run::EmuEngine> made =
          run::EmuEngine::create(fixedNetwork, *t, emu, error);
      emuEngine = made.get();
      e = std::move(made);
    } else if (kind == "fixed") {
      e = sim::Fixed::create(fixedNetwork, error);
    } else if (kind == "c") {
      std::optional<codegen::CodegenOptions> options =
          codegen::codegenOptionsFromCommandLine(error);
      if (options)
        e = run::CEngine::create(fixedNetwork, error, *options);
    } else {
      e = sim::Reference::create(network, error, floatPrecision);
    }
    if (e)
      e->propagation = mode;
    return e;
  };
  auto networkOf = [&](const std::string &kind) {
    return kind == "float" ? network : fixedNetwork;
  };

  std::optional<run::RunResult> result;
  std::optional<run::Comparison> comparison;
  // Kept to the end: the emulator reports after the run.
  std::unique_ptr<sim::Engine> a, b;
  if (!compared.empty()) {
    a = makeEngine(compared[0]);
    b = a ? makeEngine(compared[1]) : nullptr;
    if (!a || !b)
      return fail(error);
    comparison = run::compareEngines(*a, networkOf(compared[0]), compared[0],
                                     *b, networkOf(compared[1]), compared[1],
                                     *inputs, labels, options, error);
    if (!comparison)
      return fail(error);
    result = engine == compared[1] ? comparison->b : comparison->a;
  } else {
    a = makeEngine(engine);
    if (!a)
      return fail(error);
    result = run::runEngine(*a, networkOf(engine), *inputs, labels, options,
                            error);
    if (!result)
      return fail(error);
  }
  if (!quantReport.empty()) {
    json::Object out;
    if (report)
      out["quantization"] = report->toJson();
    if (comparison)
      out["comparison"] = run::comparisonJson(*comparison);
    std::error_code ec;
    raw_fd_ostream file(quantReport, ec);
    if (ec)
      return fail(quantReport + ": " + ec.message());
    file << formatv("{0:2}", json::Value(std::move(out))) << "\n";
  }

  run::printSummary(*result, outs());
  if (comparison)
    run::printComparison(*comparison, outs());
  if (emuEngine) {
    if (!emuEngine->finish(error))
      return fail(error);
    emuEngine->printSummary(outs());
    if (!emuJson.empty()) {
      std::error_code ec;
      raw_fd_ostream out(emuJson, ec);
      if (ec)
        return fail(emuJson + ": " + ec.message());
      out << formatv("{0:2}", json::Value(emuEngine->summaryJson())) << "\n";
    }
  }
  int64_t outNeurons = 1;
  for (int64_t d : result->outputShape)
    outNeurons *= d;
  bool spikes = isSpikes(network.getFunctionType().getResult(0));
  if (!outputPath.empty()) {
    std::vector<int64_t> shape{result->samples, result->steps};
    shape.insert(shape.end(), result->outputShape.begin(),
                 result->outputShape.end());
    if (!npy::save(outputPath, shape, result->outputs,
                   spikes ? "uint8" : "float64", error))
      return fail(error);
  }
  if (!countsPath.empty()) {
    std::vector<double> counts(result->samples * outNeurons, 0.0);
    for (int64_t n = 0; n < result->samples; ++n)
      for (int64_t t = 0; t < result->steps; ++t)
        for (int64_t j = 0; j < outNeurons; ++j)
          counts[n * outNeurons + j] +=
              result->outputs[(n * result->steps + t) * outNeurons + j];
    if (!npy::save(countsPath, {result->samples, outNeurons}, counts, "int32",
                   error))
      return fail(error);
  }
  if (!jsonPath.empty()) {
    std::error_code ec;
    raw_fd_ostream out(jsonPath, ec);
    if (ec)
      return fail(jsonPath + ": " + ec.message());
    out << formatv("{0:2}", json::Value(run::summaryJson(*result))) << "\n";
  }
  return 0;
}

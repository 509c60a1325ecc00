//===- snn-run.cpp - run a network on recorded or generated input ---------===//

#include "Init/InitAll.h"
#include "NIR/NirTranslate.h"
#include "Run/Run.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
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
cl::opt<std::string> engine("engine", cl::desc("Engine: float"),
                            cl::init("float"));
cl::opt<std::string> networkName("network",
                                 cl::desc("Network to run when there are several"));
cl::list<std::string> record("record", cl::CommaSeparated,
                             cl::desc("Nodes whose traces to write"));
cl::opt<std::string> recordDir("record-dir", cl::init("."),
                               cl::desc("Folder for --record traces"));
cl::opt<std::string> outputPath("output",
                                cl::desc("Write output 0 as [samples, steps, ...]"));
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
  if (engine != "float")
    return fail("--engine=" + engine + " is not available; engines: float");
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

  std::optional<npy::Array> labels;
  if (!labelsPath.empty()) {
    labels = npy::load(labelsPath, error);
    if (!labels)
      return fail(error);
    if (labels->shape.size() != 1)
      return fail(labelsPath + ": labels must be one per sample, a 1-d array");
  }

  run::RunOptions options;
  options.batch = batch;
  options.readout = readoutMode;
  options.record.assign(record.begin(), record.end());
  options.recordDir = recordDir;
  if (!options.record.empty())
    sys::fs::create_directories(recordDir);
  std::optional<run::RunResult> result =
      run::runReference(network, *inputs, labels, options, mode, error,
                        floatPrecision);
  if (!result)
    return fail(error);

  run::printSummary(*result, outs());
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

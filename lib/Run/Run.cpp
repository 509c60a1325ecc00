//===- Run.cpp - what snn-run does, as a library --------------------------===//

#include "Run/Run.h"
#include "NIR/InputKind.h"
#include "NIR/NirImport.h"
#include "Netx/NetxImport.h"
#include "Shape/ShapeInference.h"
#include "Support/IrNesting.h"
#include "Xylo/XyloImport.h"

#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>

using namespace mlir;

namespace snn::run {

OwningOpRef<ModuleOp> parseIrFile(const std::string &path,
                                  MLIRContext *context) {
  auto buffer = llvm::MemoryBuffer::getFileOrSTDIN(path, /*IsText=*/true);
  if (!buffer) {
    llvm::errs() << path << ": error: " << buffer.getError().message() << "\n";
    return {};
  }
  if (llvm::Error deep = checkIrNesting((*buffer)->getBuffer(), path)) {
    llvm::errs() << "error: " << llvm::toString(std::move(deep)) << "\n";
    return {};
  }
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(*buffer), llvm::SMLoc());
  SourceMgrDiagnosticHandler handler(sourceMgr, context);
  return parseSourceFile<ModuleOp>(sourceMgr, context);
}

OwningOpRef<ModuleOp> loadModel(const std::string &path,
                                const nir::ImportOptions &options,
                                const std::string &name, MLIRContext *context,
                                NetworkOp &network) {
  context->loadDialect<SNNDialect>();
  OwningOpRef<ModuleOp> module;
  // The kind comes from the file's bytes, not its name (lib/NIR/InputKind).
  InputKind kind = detectInputKind(path);
  switch (kind) {
  case InputKind::Nir:
    module = nir::importNirFile(path, options, context);
    break;
  case InputKind::Netx: {
    llvm::SourceMgr sourceMgr;
    SourceMgrDiagnosticHandler handler(sourceMgr, context);
    module = netx::importNetx(path, context);
    break;
  }
  case InputKind::RockpoolSpec:
    module = xylo::importXyloSpec(path, context);
    break;
  case InputKind::MlirText:
  case InputKind::Stdin:
    module = parseIrFile(path, context);
    break;
  default:
    llvm::errs() << path << ": error: " << describeInputKind(kind)
                 << " is not a network; " << adviceFor(kind) << "\n";
    return {};
  }
  if (!module)
    return {};
  SmallVector<NetworkOp> found;
  module->walk([&](NetworkOp n) {
    if (name.empty() || n.getSymName() == name)
      found.push_back(n);
  });
  if (found.size() != 1) {
    llvm::errs() << path << ": error: "
                 << (found.empty() ? "no network" : "several networks")
                 << (name.empty() ? "" : " named '" + name + "'")
                 << (found.empty() ? "" : "; choose one with --network")
                 << "\n";
    return {};
  }
  network = found.front();
  return module;
}

bool readsCounts(NetworkOp network) {
  Value input = network.getBodyBlock().getArgument(0);
  return !input.use_empty() && llvm::all_of(input.getUsers(), [](Operation *u) {
    return isa<XyloOp>(u);
  });
}

std::optional<int64_t> checkedEntries(int64_t samples, int64_t steps,
                                      int64_t neurons, int64_t limit) {
  int64_t a, b;
  if (samples < 0 || steps < 0 || neurons < 0 ||
      llvm::MulOverflow(samples, steps, a) || llvm::MulOverflow(a, neurons, b) ||
      b > limit)
    return std::nullopt;
  return b;
}

void Inputs::keepSamples(int64_t n) {
  if (n >= samples)
    return;
  samples = n;
  size_t size = size_t(n * steps * neurons);
  if (values.empty())
    spikes.resize(size);
  else
    values.resize(size);
}

std::vector<double> Inputs::asDoubles() const {
  if (!values.empty())
    return values;
  return std::vector<double>(spikes.begin(), spikes.end());
}

namespace {

/// A number as people write it: 3, 0.5, -1e+20.
std::string shortNumber(double v) {
  return llvm::formatv("{0}", llvm::format("%g", v)).str();
}

/// Sample, step and neuron of flat entry k.
std::string entryName(const Inputs &in, size_t k) {
  int64_t perSample = in.steps * in.neurons;
  return "sample " + std::to_string(int64_t(k) / perSample) + ", step " +
         std::to_string(int64_t(k) % perSample / in.neurons) + ", neuron " +
         std::to_string(int64_t(k) % in.neurons);
}

/// Moves `raw` into `in`: as bytes for spike inputs, which must be 0 or 1.
llvm::Error store(Inputs &in, std::vector<double> raw, bool spikes,
                  bool counts) {
  for (size_t k = 0; k < raw.size(); ++k)
    if (!std::isfinite(raw[k]))
      return llvm::createStringError("value " + std::to_string(raw[k]) +
                                     " at " + entryName(in, k) +
                                     " is not a finite number");
  if (!spikes) {
    in.values = std::move(raw);
    return llvm::Error::success();
  }
  in.spikes.resize(raw.size());
  for (size_t k = 0; k < raw.size(); ++k) {
    if (counts && raw[k] >= 0 && raw[k] <= 255 && raw[k] == std::floor(raw[k])) {
      in.spikes[k] = uint8_t(raw[k]);
      continue;
    }
    if (counts)
      return llvm::createStringError(
          "value " + shortNumber(raw[k]) + " at " + entryName(in, k) +
          " is not an event count: snn.xylo takes integers 0 to 255 "
          "(counts above 15 act as 15)");
    if (raw[k] != 0 && raw[k] != 1)
      return llvm::createStringError(
          "value " + shortNumber(raw[k]) + " at " + entryName(in, k) +
          " is not a spike: the network input takes spikes, 0 or 1");
    in.spikes[k] = uint8_t(raw[k]);
  }
  return llvm::Error::success();
}

} // namespace

llvm::Expected<Inputs> inputsFromArray(const npy::Array &array,
                                       llvm::ArrayRef<int64_t> inputShape,
                                       bool spikes, bool counts) {
  const std::vector<int64_t> &s = array.shape;
  int64_t neurons = shape::numElements(
      shape::Shape(inputShape.begin(), inputShape.end()));
  // The leading dims are [T] or [N, T]; the rest is the input's shape, or
  // its neurons flattened into one dimension.
  auto leading = [&]() -> std::optional<size_t> {
    size_t rank = inputShape.size();
    if (s.size() > rank && llvm::ArrayRef<int64_t>(s).take_back(rank) == inputShape)
      return s.size() - rank;
    if (!s.empty() && s.back() == neurons)
      return s.size() - 1;
    return std::nullopt;
  }();
  if (!leading || (*leading != 1 && *leading != 2)) {
    std::string text, want;
    for (int64_t d : s)
      text += (text.empty() ? "" : ", ") + std::to_string(d);
    for (int64_t d : inputShape)
      want += ", " + std::to_string(d);
    return llvm::createStringError(
        "input of shape (" + text + ") is neither [steps" + want +
        "] nor [samples, steps" + want + "] for a network input of " +
        std::to_string(neurons) + " neurons");
  }
  Inputs in;
  in.neurons = neurons;
  in.samples = *leading == 2 ? s[0] : 1;
  in.steps = s[*leading - 1];
  if (!checkedEntries(in.samples, in.steps, in.neurons, kMaxInputEntries))
    return llvm::createStringError(
        "the input has more than " + std::to_string(kMaxInputEntries) +
        " entries (samples x steps x neurons), snn-run's limit");
  if (llvm::Error e = store(in, array.values, spikes, counts))
    return std::move(e);
  return in;
}

llvm::Expected<Inputs> heldInputs(const npy::Array &array,
                                  llvm::ArrayRef<int64_t> inputShape,
                                  int64_t steps, bool spikes,
                                  bool counts) {
  const std::vector<int64_t> &s = array.shape;
  llvm::ArrayRef<int64_t> dims(s);
  int64_t neurons = shape::numElements(
      shape::Shape(inputShape.begin(), inputShape.end()));
  // [samples, ...] or one sample [...], where "..." is the input's shape or
  // its neurons in one dimension.
  std::optional<int64_t> samples;
  for (llvm::ArrayRef<int64_t> sample :
       {inputShape, llvm::ArrayRef<int64_t>(neurons)}) {
    if (dims == sample)
      samples = 1;
    else if (dims.size() == sample.size() + 1 && dims.drop_front() == sample)
      samples = dims.front();
    if (samples)
      break;
  }
  if (!samples) {
    std::string text, want;
    for (int64_t d : s)
      text += (text.empty() ? "" : ", ") + std::to_string(d);
    for (int64_t d : inputShape)
      want += ", " + std::to_string(d);
    return llvm::createStringError(
        "input of shape (" + text + ") is not [samples" + want +
        "] (one value per input neuron and sample, held over --steps " +
        std::to_string(steps) + ")");
  }
  if (steps <= 0)
    return llvm::createStringError("--steps must be positive");
  Inputs in;
  in.neurons = neurons;
  in.samples = *samples;
  in.steps = steps;
  if (!checkedEntries(in.samples, in.steps, in.neurons, kMaxInputEntries))
    return llvm::createStringError(
        "the held input has more than " + std::to_string(kMaxInputEntries) +
        " entries (samples x steps x neurons), snn-run's limit");
  std::vector<double> raw;
  raw.reserve(size_t(in.samples * steps * neurons));
  for (int64_t n = 0; n < in.samples; ++n)
    for (int64_t t = 0; t < steps; ++t)
      raw.insert(raw.end(), array.values.begin() + n * neurons,
                 array.values.begin() + (n + 1) * neurons);
  if (llvm::Error e = store(in, std::move(raw), spikes, counts))
    return std::move(e);
  return in;
}

llvm::Expected<Inputs> inputsFromCsv(const std::string &path,
                                     const std::vector<int64_t> &columns,
                                     int64_t neurons, bool spikes,
                                     bool counts) {
  std::string error;
  if (!npy::isRegularFile(path, error))
    return llvm::createStringError(error);
  std::ifstream file(path);
  if (!file)
    return llvm::createStringError(path + ": cannot be opened");
  // "PATH:LINE: what" for the line being read.
  int64_t lineNo = 0;
  auto lineError = [&](const std::string &what) {
    return llvm::createStringError(path + ":" + std::to_string(lineNo) +
                                   ": " + what);
  };
  Inputs in;
  in.samples = 1;
  in.neurons = neurons;
  std::vector<double> values;
  std::string line;
  while (std::getline(file, line)) {
    ++lineNo;
    if (line.empty())
      continue;
    std::vector<double> row;
    std::stringstream cells(line);
    std::string cell;
    while (std::getline(cells, cell, ',')) {
      char *end = nullptr;
      double v = std::strtod(cell.c_str(), &end);
      if (end != cell.c_str() && !std::isfinite(v))
        return lineError("'" + cell + "' is not a finite number");
      if (end == cell.c_str()) {
        if (lineNo == 1)
          break; // a header line
        return lineError("'" + cell + "' is not a number");
      }
      row.push_back(v);
    }
    if (row.empty() && lineNo == 1)
      continue;
    std::vector<double> picked;
    if (columns.empty())
      picked = row;
    for (int64_t c : columns) {
      if (c < 0 || c >= static_cast<int64_t>(row.size()))
        return lineError("has " + std::to_string(row.size()) +
                         " columns, no column " + std::to_string(c));
      picked.push_back(row[c]);
    }
    if (static_cast<int64_t>(picked.size()) != neurons)
      return lineError(std::to_string(picked.size()) +
                       " values for an input of " + std::to_string(neurons) +
                       " neurons (pick columns with --input-columns)");
    if (int64_t(values.size() + picked.size()) > kMaxInputEntries)
      return lineError("more than " + std::to_string(kMaxInputEntries) +
                       " input entries, snn-run's limit");
    values.insert(values.end(), picked.begin(), picked.end());
    ++in.steps;
  }
  if (in.steps == 0)
    return llvm::createStringError(path + ": no rows");
  if (llvm::Error e = store(in, std::move(values), spikes, counts))
    return llvm::createStringError(path + ": " + llvm::toString(std::move(e)));
  return in;
}

Inputs poissonInputs(double rate, int64_t steps, int64_t samples,
                     int64_t neurons, uint64_t seed) {
  Inputs in;
  in.samples = samples;
  in.steps = steps;
  in.neurons = neurons;
  in.spikes.resize(static_cast<size_t>(samples * steps * neurons));
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  for (uint8_t &v : in.spikes)
    v = uniform(rng) < rate ? 1 : 0;
  return in;
}

llvm::Expected<Inputs> parsePoisson(llvm::StringRef spec, int64_t neurons) {
  llvm::SmallVector<llvm::StringRef> parts;
  spec.split(parts, ',');
  double rate = 0;
  int64_t steps = 0, samples = 0;
  uint64_t seed = 1;
  bool parsed = parts.size() >= 3 && parts.size() <= 4 &&
                !parts[0].getAsDouble(rate) &&
                !parts[1].getAsInteger(10, steps) &&
                !parts[2].getAsInteger(10, samples) &&
                !(parts.size() == 4 && parts[3].getAsInteger(10, seed));
  std::string form = "--poisson=" + spec.str() +
                     " is not RATE,STEPS,SAMPLES[,SEED] with 0 <= RATE <= 1";
  if (!parsed)
    return llvm::createStringError(form);
  if (!(rate >= 0 && rate <= 1))
    return llvm::createStringError(form + " (the rate is " + parts[0].str() +
                                   ")");
  if (steps <= 0 || samples <= 0)
    return llvm::createStringError(form + " and positive STEPS and SAMPLES");
  if (!checkedEntries(samples, steps, neurons, kMaxInputEntries))
    return llvm::createStringError(
        "--poisson=" + spec.str() + ": " + std::to_string(samples) +
        " samples x " + std::to_string(steps) + " steps x " +
        std::to_string(neurons) + " neurons is more than the " +
        std::to_string(kMaxInputEntries) + " input entries snn-run holds");
  return poissonInputs(rate, steps, samples, neurons, seed);
}

llvm::Error checkLabels(const npy::Array &labels, int64_t classes) {
  for (size_t k = 0; k < labels.values.size(); ++k) {
    double v = labels.values[k];
    if (!(v >= 0 && v < double(classes) && v == std::floor(v)))
      return llvm::createStringError(
          "label " + shortNumber(v) + " at index " + std::to_string(k) +
          " is not a class of the output (0 to " +
          std::to_string(classes - 1) + ")");
  }
  return llvm::Error::success();
}

namespace {

/// Writes one recorded trace as [samples, steps, neurons].
llvm::Error saveTrace(const std::string &path, int64_t samples, int64_t steps,
                      const std::vector<double> &trace, int64_t neurons,
                      bool spikes) {
  std::string error;
  if (!npy::save(path, {samples, steps, neurons}, trace,
                 spikes ? "uint8" : "float64", error))
    return llvm::createStringError(error);
  return llvm::Error::success();
}

struct Recording {
  std::string name, kind;
  size_t node;
  int64_t neurons;
  bool spikes;
  std::vector<double> data; // [samples][steps][neurons]
};

} // namespace

namespace {

/// The readout of each sample's output neurons, fed step by step: the class
/// of a sample is the output neuron with the most spikes (ties to the
/// lowest index), or the largest maximum or final membrane for non-spiking
/// outputs.
class Readouts {
public:
  Readouts(int64_t samples, int64_t outSize, Readout readout)
      : outSize(outSize), readout(readout),
        score(size_t(samples * outSize), 0.0),
        best(readout == Readout::Max ? score.size() : 0,
             -std::numeric_limits<double>::infinity()) {}

  /// Output neuron j of sample n in the next step.
  void add(int64_t n, int64_t j, double v) {
    size_t k = size_t(n * outSize + j);
    switch (readout) {
    case Readout::Count:
      score[k] += v;
      break;
    case Readout::Max:
      best[k] = std::max(best[k], v);
      score[k] = best[k];
      break;
    case Readout::Final:
      score[k] = v;
      break;
    }
  }

  /// Predictions, and the accuracy against `labels`.
  void finish(RunResult &result, const std::optional<npy::Array> &labels) {
    result.predictions.clear();
    for (int64_t n = 0; n < result.samples; ++n) {
      auto first = score.begin() + n * outSize;
      result.predictions.push_back(
          std::max_element(first, first + outSize) - first);
    }
    if (labels) {
      int64_t correct = 0;
      for (int64_t n = 0; n < result.samples; ++n)
        correct +=
            result.predictions[n] == static_cast<int64_t>(labels->values[n]);
      result.accuracy = double(correct) / double(result.samples);
    }
  }

private:
  int64_t outSize;
  Readout readout;
  std::vector<double> score, best;
};

int64_t outputNeurons(const RunResult &result) {
  int64_t outSize = 1;
  for (int64_t d : result.outputShape)
    outSize *= d;
  return outSize;
}

} // namespace

void classify(RunResult &result, const std::optional<npy::Array> &labels,
              Readout readout) {
  int64_t outSize = outputNeurons(result);
  Readouts readouts(result.samples, outSize, readout);
  for (int64_t n = 0; n < result.samples; ++n)
    for (int64_t j = 0; j < outSize; ++j)
      for (int64_t t = 0; t < result.steps; ++t)
        readouts.add(n, j,
                     result.outputs[(n * result.steps + t) * outSize + j]);
  readouts.finish(result, labels);
}

llvm::Expected<RunResult>
runReference(NetworkOp network, const Inputs &inputs,
             const std::optional<npy::Array> &labels, const RunOptions &options,
             sim::Propagation propagation, sim::Precision precision) {
  llvm::Expected<std::unique_ptr<sim::Reference>> ref =
      sim::Reference::create(network, precision);
  if (!ref)
    return ref.takeError();
  (*ref)->propagation = propagation;
  return runEngine(**ref, network, inputs, labels, options);
}

void fillStep(const Inputs &inputs, int64_t first, int64_t count, int64_t t,
              sim::Matrix &x) {
  x.resize(inputs.neurons, count);
  for (int64_t b = 0; b < count; ++b) {
    size_t k = size_t(((first + b) * inputs.steps + t) * inputs.neurons);
    double *column = x.col(b).data();
    if (inputs.isSpikes())
      std::copy_n(inputs.spikes.data() + k, inputs.neurons, column);
    else
      std::copy_n(inputs.values.data() + k, inputs.neurons, column);
  }
}

llvm::Expected<RunResult> runEngine(sim::Engine &engine, NetworkOp network,
                                    const Inputs &inputs,
                                    const std::optional<npy::Array> &labels,
                                    const RunOptions &options,
                                    const StepObserver &observer) {
  sim::Engine *ref = &engine;
  if (ref->numOutputs() == 0)
    return llvm::createStringError("the network has no outputs");
  if (ref->numInputs() != 1)
    return llvm::createStringError(
        "the network has " + std::to_string(ref->numInputs()) +
        " inputs; snn-run feeds networks with one input");
  if (inputs.neurons != ref->inputSize(0))
    return llvm::createStringError("the input has " +
                                   std::to_string(inputs.neurons) +
                                   " neurons but the network input has " +
                                   std::to_string(ref->inputSize(0)));
  if (labels && labels->size() != inputs.samples)
    return llvm::createStringError(
        "there are " + std::to_string(labels->size()) + " labels for " +
        std::to_string(inputs.samples) + " samples");
  std::vector<Recording> recordings;
  for (const std::string &name : options.record) {
    std::optional<size_t> node = ref->findNode(name);
    if (!node) {
      std::string known;
      for (const std::string &n : ref->nodeNames())
        known += (known.empty() ? "" : ", ") + n;
      return llvm::createStringError("--record: no node named '" + name +
                                     "' (nodes: " + known + ")");
    }
    const sim::Matrix &out = ref->nodeOutput(*node);
    bool spikes = ref->stats()[*node].spikes;
    recordings.push_back({name, spikes ? "spikes" : "values", *node,
                          out.rows(), spikes, {}});
    if (ref->nodeMembrane(*node) && spikes)
      recordings.push_back({name, "v", *node, out.rows(), false, {}});
    if (ref->nodeCurrent(*node))
      recordings.push_back({name, "i", *node, out.rows(), false, {}});
  }

  int64_t outSize = ref->outputSize(0);
  int64_t recorded = options.keepOutputs ? outSize : 0;
  for (const Recording &r : recordings)
    recorded += r.neurons;
  if (!checkedEntries(inputs.samples, inputs.steps, recorded,
                      kMaxOutputEntries))
    return llvm::createStringError(
        std::to_string(inputs.samples) + " samples x " +
        std::to_string(inputs.steps) + " steps of " +
        std::to_string(recorded) +
        " output and recorded neurons are more than the " +
        std::to_string(kMaxOutputEntries) + " values snn-run holds");
  RunResult result;
  result.samples = inputs.samples;
  result.steps = inputs.steps;
  // Without a network (a chip image), the output is its neurons in a row.
  if (network) {
    ArrayRef<int64_t> outShape =
        getSignalShape(network.getFunctionType().getResult(0));
    result.outputShape.assign(outShape.begin(), outShape.end());
  } else {
    result.outputShape.assign(1, outSize);
  }
  if (options.keepOutputs)
    result.outputs.assign(
        static_cast<size_t>(inputs.samples * inputs.steps * outSize), 0.0);
  // Without the outputs, predictions are made as the steps go, and only
  // when labels score them.
  std::optional<Readouts> readouts;
  if (!options.keepOutputs && labels)
    readouts.emplace(inputs.samples, outSize, options.readout);
  for (Recording &r : recordings)
    r.data.assign(static_cast<size_t>(inputs.samples * inputs.steps * r.neurons),
                  0.0);

  auto start = std::chrono::steady_clock::now();
  auto shown = start;
  std::vector<sim::Matrix> stepInput(1);
  int64_t batch = std::min(options.batch, ref->maxBatch());
  for (int64_t first = 0; first < inputs.samples; first += batch) {
    int64_t count = std::min(batch, inputs.samples - first);
    // A line on stderr at most five times a second.
    auto now = std::chrono::steady_clock::now();
    if (options.progress &&
        (first == 0 || now - shown > std::chrono::milliseconds(200))) {
      llvm::errs() << "\rsamples " << first + count << " of "
                   << inputs.samples;
      llvm::errs().flush();
      shown = now;
    }
    ref->reset(count);
    for (int64_t t = 0; t < inputs.steps; ++t) {
      fillStep(inputs, first, count, t, stepInput[0]);
      ref->step(stepInput);
      if (observer)
        observer(first, count, t, stepInput);
      const sim::Matrix &y = ref->output(0);
      for (int64_t b = 0; b < count; ++b) {
        const double *column = y.col(b).data();
        if (options.keepOutputs)
          std::copy_n(column, outSize,
                      result.outputs.data() +
                          ((first + b) * inputs.steps + t) * outSize);
        if (readouts)
          for (int64_t j = 0; j < outSize; ++j)
            readouts->add(first + b, j, column[j]);
      }
      for (Recording &r : recordings) {
        const sim::Matrix *m = r.kind == "v"   ? ref->nodeMembrane(r.node)
                               : r.kind == "i" ? ref->nodeCurrent(r.node)
                                               : &ref->nodeOutput(r.node);
        for (int64_t b = 0; b < count; ++b)
          for (int64_t j = 0; j < r.neurons; ++j)
            r.data[((first + b) * inputs.steps + t) * r.neurons + j] =
                (*m)(j, b);
      }
    }
  }
  result.seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - start)
                       .count();
  if (options.progress)
    llvm::errs() << "\rsamples " << inputs.samples << " of " << inputs.samples
                 << "\n";
  result.stats = ref->stats();

  if (options.keepOutputs)
    classify(result, labels, options.readout);
  else if (readouts)
    readouts->finish(result, labels);
  for (Recording &r : recordings)
    result.traces.push_back(
        {options.recordDir + "/" + r.name + "." + r.kind + ".npy", r.neurons,
         r.spikes, std::move(r.data)});
  if (options.writeTraces) {
    if (llvm::Error e = saveTraces(result))
      return std::move(e);
    result.traces.clear(); // written: not held twice
  }
  return result;
}

llvm::Error saveTraces(const RunResult &result) {
  for (const Trace &t : result.traces)
    if (llvm::Error e = saveTrace(t.path, result.samples, result.steps, t.data,
                                  t.neurons, t.spikes))
      return e;
  return llvm::Error::success();
}

llvm::json::Object summaryJson(const RunResult &result) {
  llvm::json::Array layers;
  double effective = 0, dense = 0;
  for (const sim::NodeStats &s : result.stats) {
    llvm::json::Object layer{{"name", s.name},
                             {"op", s.op},
                             {"neurons", s.neurons},
                             {"spikes", s.spikes},
                             {"activation_sparsity",
                              s.outputs ? 1.0 - s.nonzero / s.outputs : 0.0}};
    if (s.spikes) {
      layer["spike_count"] = s.nonzero;
      layer["firing_rate"] = s.outputs ? s.nonzero / s.outputs : 0.0;
    }
    if (s.synopsDense > 0) {
      layer["synops_effective"] = s.synopsEffective;
      layer["synops_dense"] = s.synopsDense;
      effective += s.synopsEffective;
      dense += s.synopsDense;
    }
    layers.push_back(std::move(layer));
  }
  llvm::json::Object summary{
      {"samples", result.samples},
      {"steps", result.steps},
      {"layers", std::move(layers)},
      {"synops_effective_per_sample",
       result.samples ? effective / result.samples : 0.0},
      {"synops_dense_per_sample", result.samples ? dense / result.samples : 0.0},
      {"seconds", result.seconds}};
  if (result.accuracy)
    summary["accuracy"] = *result.accuracy;
  return summary;
}

void printSummary(const RunResult &result, llvm::raw_ostream &os) {
  os << "node                     op                neurons       spikes       "
        "rate  sparsity     synops eff   synops dense\n";
  for (const sim::NodeStats &s : result.stats) {
    double rate = s.outputs ? s.nonzero / s.outputs : 0.0;
    double sparsity = s.outputs ? 1.0 - s.nonzero / s.outputs : 0.0;
    os << llvm::format("%-24s %-16s %8lld ", s.name.c_str(), s.op.c_str(),
                       static_cast<long long>(s.neurons));
    if (s.spikes)
      os << llvm::format("%12.0f %10.4f ", s.nonzero, rate);
    else
      os << "           -          - ";
    os << llvm::format("%9.4f ", sparsity);
    if (s.synopsDense > 0)
      os << llvm::format("%14.4g %14.4g", s.synopsEffective, s.synopsDense);
    os << "\n";
  }
  os << llvm::format("%lld samples x %lld steps in %.3f s",
                     static_cast<long long>(result.samples),
                     static_cast<long long>(result.steps), result.seconds);
  if (result.accuracy)
    os << llvm::format("; accuracy %.4f", *result.accuracy);
  os << "\n";
}

} // namespace snn::run

//===- Run.h - what snn-run does, as a library -----------------*- C++ -*-===//
//
// Loading a model (.mlir or .nir), reading inputs (.npy, .csv, or Poisson
// spikes made on the spot), running an engine over batches of samples,
// recording traces, and summarizing a run (spike counts, rates, sparsity,
// synaptic operations, accuracy).
//
//===----------------------------------------------------------------------===//

#ifndef SNN_RUN_RUN_H
#define SNN_RUN_RUN_H

#include "NIR/NirPresets.h"
#include "SNN/IR/SNNOps.h"
#include "Sim/Reference.h"
#include "Support/Npy.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <functional>

namespace snn::run {

/// Loads `path` (.nir through the importer, anything else as MLIR) and
/// returns the module; `network` is set to the one named `name` (or the only
/// one). Errors are printed with the file name.
mlir::OwningOpRef<mlir::ModuleOp> loadModel(const std::string &path,
                                            const nir::ImportOptions &options,
                                            const std::string &name,
                                            mlir::MLIRContext *context,
                                            NetworkOp &network);

/// Parses the IR text of `path` ("-": stdin) after bounding its nesting
/// (Support/IrNesting.h), which MLIR's recursive parser needs; errors are
/// printed with the file name.
mlir::OwningOpRef<mlir::ModuleOp> parseIrFile(const std::string &path,
                                              mlir::MLIRContext *context);

/// The most input entries (samples x steps x neurons) snn-run holds: 2^28,
/// 256 MiB of spikes. Larger inputs are refused before anything is
/// allocated; so are outputs and traces of more than 2^27 doubles (1 GiB).
constexpr int64_t kMaxInputEntries = int64_t(1) << 28;
constexpr int64_t kMaxOutputEntries = int64_t(1) << 27;

/// samples x steps x neurons, or nullopt when the product overflows or is
/// beyond `limit`.
std::optional<int64_t> checkedEntries(int64_t samples, int64_t steps,
                                      int64_t neurons, int64_t limit);

/// Input for every sample and step: [samples][steps][neurons], flattened.
/// Spikes are held as one byte each, real values as doubles.
struct Inputs {
  int64_t samples = 0, steps = 0, neurons = 0;
  std::vector<uint8_t> spikes; // 0 or 1; used when `values` is empty
  std::vector<double> values;  // real-valued inputs
  bool isSpikes() const { return values.empty(); }
  double at(int64_t n, int64_t t, int64_t j) const {
    size_t k = size_t((n * steps + t) * neurons + j);
    return values.empty() ? double(spikes[k]) : values[k];
  }
  /// Keeps the first `n` samples.
  void keepSamples(int64_t n);
  /// Every entry as a double, for writing.
  std::vector<double> asDoubles() const;
};

/// True when the network's first input is read only by snn.xylo ops, which
/// take event counts (docs/semantics.md, "Xylo cores").
bool readsCounts(NetworkOp network);

/// Interprets an array as [T, ...] or [N, T, ...] for an input of shape
/// `inputShape`, where "..." is that shape or its neurons flattened. With
/// `spikes`, every entry must be 0 or 1 (the error names sample, step and
/// neuron) and is held as a byte; with `counts` as well, every entry must be
/// an integer 0 to 255 (an event count).
llvm::Expected<Inputs> inputsFromArray(const npy::Array &array,
                                       llvm::ArrayRef<int64_t> inputShape,
                                       bool spikes = false,
                                       bool counts = false);

/// One input per sample, [samples, ...] (or [...] for one sample), held
/// over `steps` steps: how netx's input layer is driven through its bias
/// (lava-dl's run_netx.py --steps). Spikes and counts as in inputsFromArray.
llvm::Expected<Inputs> heldInputs(const npy::Array &array,
                                  llvm::ArrayRef<int64_t> inputShape,
                                  int64_t steps, bool spikes = false,
                                  bool counts = false);

/// A CSV with one row per step; `columns` picks columns (all when empty).
/// With `spikes`, as in inputsFromArray.
/// Errors name the file and line.
llvm::Expected<Inputs> inputsFromCsv(const std::string &path,
                                     const std::vector<int64_t> &columns,
                                     int64_t neurons, bool spikes = false,
                                     bool counts = false);

/// Bernoulli spikes with probability `rate` per neuron and step. The sizes
/// must be within kMaxInputEntries (see parsePoisson).
Inputs poissonInputs(double rate, int64_t steps, int64_t samples,
                     int64_t neurons, uint64_t seed);

/// --poisson RATE,STEPS,SAMPLES[,SEED] for an input of `neurons` neurons:
/// the rate in [0, 1], steps and samples positive, and the input within
/// kMaxInputEntries, checked before anything is allocated.
llvm::Expected<Inputs> parsePoisson(llvm::StringRef spec, int64_t neurons);

/// Labels for an output of `classes` neurons: whole numbers in
/// [0, classes); the error names the index of the first that is not.
llvm::Error checkLabels(const npy::Array &labels, int64_t classes);

enum class Readout { Count, Max, Final };

/// One recorded trace, [samples][steps][neurons], and the file it goes to.
struct Trace {
  std::string path;
  int64_t neurons = 0;
  bool spikes = false;
  std::vector<double> data;
};

/// Everything snn-run reports about a run.
struct RunResult {
  int64_t samples = 0, steps = 0;
  std::vector<int64_t> outputShape;  // neurons of output 0
  std::vector<double> outputs;       // [samples][steps][neurons] of output 0
  std::vector<int64_t> predictions;  // class per sample
  std::vector<sim::NodeStats> stats; // per node, summed over the run
  std::optional<double> accuracy;
  double seconds = 0;
  std::vector<Trace> traces; // kept when RunOptions::writeTraces is false
};

struct RunOptions {
  int64_t batch = 256;
  Readout readout = Readout::Count;
  std::vector<std::string> record; // node names
  std::string recordDir = ".";
  bool progress = false; // a progress line on stderr
  /// False: --record traces are kept in the result, not written (a rank of
  /// a data-parallel run hands them to rank 0; see saveTraces).
  bool writeTraces = true;
  /// False: RunResult::outputs stays empty (nothing writes or merges them),
  /// and predictions are made step by step, only when there are labels to
  /// score; a long run then holds no output per step.
  bool keepOutputs = true;
};

/// Writes the result's traces as [samples, steps, neurons].
llvm::Error saveTraces(const RunResult &result);

/// Called after every step of a batch with the batch's first sample, its
/// size, the step and the input the engine was given.
using StepObserver = std::function<void(int64_t first, int64_t count, int64_t t,
                                        const std::vector<sim::Matrix> &input)>;

/// Runs `engine` (built from `network`, or null for a chip image) over all
/// samples in batches.
llvm::Expected<RunResult> runEngine(sim::Engine &engine, NetworkOp network,
                                    const Inputs &inputs,
                                    const std::optional<npy::Array> &labels,
                                    const RunOptions &options,
                                    const StepObserver &observer = {});

/// Input of step t for samples [first, first + count) as [neurons x count].
void fillStep(const Inputs &inputs, int64_t first, int64_t count, int64_t t,
              sim::Matrix &x);

/// Fills predictions (and accuracy, given labels) from the outputs.
void classify(RunResult &result, const std::optional<npy::Array> &labels,
              Readout readout);

/// Runs the float reference over all samples in batches.
llvm::Expected<RunResult>
runReference(NetworkOp network, const Inputs &inputs,
             const std::optional<npy::Array> &labels, const RunOptions &options,
             sim::Propagation propagation,
             sim::Precision precision = sim::Precision::Float64);

/// The summary as JSON (accuracy under the key "accuracy").
llvm::json::Object summaryJson(const RunResult &result);
/// The summary as a table.
void printSummary(const RunResult &result, llvm::raw_ostream &os);

} // namespace snn::run

#endif // SNN_RUN_RUN_H

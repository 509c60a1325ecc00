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

/// Input for every sample and step: [samples][steps][neurons], flattened.
struct Inputs {
  int64_t samples = 0, steps = 0, neurons = 0;
  std::vector<double> values;
  double at(int64_t n, int64_t t, int64_t j) const {
    return values[(n * steps + t) * neurons + j];
  }
};

/// Interprets an array as [T, ...] or [N, T, ...] for an input of shape
/// `inputShape`, where "..." is that shape or its neurons flattened.
std::optional<Inputs> inputsFromArray(const npy::Array &array,
                                      llvm::ArrayRef<int64_t> inputShape,
                                      std::string &error);

/// A CSV with one row per step; `columns` picks columns (all when empty).
std::optional<Inputs> inputsFromCsv(const std::string &path,
                                    const std::vector<int64_t> &columns,
                                    int64_t neurons, std::string &error);

/// Bernoulli spikes with probability `rate` per neuron and step.
Inputs poissonInputs(double rate, int64_t steps, int64_t samples,
                     int64_t neurons, uint64_t seed);

enum class Readout { Count, Max, Final };

/// Everything snn-run reports about a run.
struct RunResult {
  int64_t samples = 0, steps = 0;
  std::vector<int64_t> outputShape;  // neurons of output 0
  std::vector<double> outputs;       // [samples][steps][neurons] of output 0
  std::vector<int64_t> predictions;  // class per sample
  std::vector<sim::NodeStats> stats; // per node, summed over the run
  std::optional<double> accuracy;
  double seconds = 0;
};

struct RunOptions {
  int64_t batch = 256;
  Readout readout = Readout::Count;
  std::vector<std::string> record; // node names
  std::string recordDir = ".";
  bool progress = false; // a progress line on stderr
};

/// Called after every step of a batch with the batch's first sample, its
/// size, the step and the input the engine was given.
using StepObserver = std::function<void(int64_t first, int64_t count, int64_t t,
                                        const std::vector<sim::Matrix> &input)>;

/// Runs `engine` (built from `network`) over all samples in batches.
std::optional<RunResult> runEngine(sim::Engine &engine, NetworkOp network,
                                   const Inputs &inputs,
                                   const std::optional<npy::Array> &labels,
                                   const RunOptions &options,
                                   std::string &error,
                                   const StepObserver &observer = {});

/// Input of step t for samples [first, first + count) as [neurons x count].
void fillStep(const Inputs &inputs, int64_t first, int64_t count, int64_t t,
              sim::Matrix &x);

/// Fills predictions (and accuracy, given labels) from the outputs.
void classify(RunResult &result, const std::optional<npy::Array> &labels,
              Readout readout);

/// Runs the float reference over all samples in batches.
std::optional<RunResult> runReference(NetworkOp network, const Inputs &inputs,
                                      const std::optional<npy::Array> &labels,
                                      const RunOptions &options,
                                      sim::Propagation propagation,
                                      std::string &error,
                                      sim::Precision precision =
                                          sim::Precision::Float64);

/// The summary as JSON (accuracy under the key "accuracy").
llvm::json::Object summaryJson(const RunResult &result);
/// The summary as a table.
void printSummary(const RunResult &result, llvm::raw_ostream &os);

} // namespace snn::run

#endif // SNN_RUN_RUN_H

//===- RunModel.h - everything snn-run does, as one entry point -*- C++ -*-===//
//
// snn-run's main parses flags into RunModelOptions and calls runModel, which
// loads the model and its inputs, builds the integer model when an integer
// engine needs one, makes the engines, runs them and writes what was asked.
// The defaults of every setting are the member initializers below (and those
// of quant::QuantizeOptions).
//
//===----------------------------------------------------------------------===//

#ifndef SNN_RUN_RUNMODEL_H
#define SNN_RUN_RUNMODEL_H

#include "Codegen/CTranslate.h"
#include "NIR/NirPresets.h"
#include "Quant/Quantize.h"
#include "Report/Report.h"
#include "Run/Run.h"
#include "Sim/Engine.h"

#include "llvm/Support/CommandLine.h"

#include <string>
#include <vector>

namespace snn::run {

class Communicator;

/// The engines snn-run can run a model on.
enum class EngineKind { Float, Fixed, C, Emu, Lava };

/// The engine's name as --engine and the tables spell it.
llvm::StringRef engineName(EngineKind kind);

/// The values of --engine and --compare, and of the other enum flags.
llvm::cl::ValuesClass engineValues();
llvm::cl::ValuesClass readoutValues();
llvm::cl::ValuesClass propagationValues();
llvm::cl::ValuesClass precisionValues();

struct RunModelOptions {
  std::string modelPath;
  // Input.
  std::string inputPath;
  std::vector<int64_t> inputColumns;
  std::string poisson; // RATE,STEPS,SAMPLES[,SEED]
  std::string labelsPath;
  int64_t maxSamples = 0; // 0: all
  // > 0: the input holds one array per sample, held over this many steps
  // (netx input layers, as run_netx.py --steps).
  int64_t holdSteps = 0;
  bool samplesGiven = false;
  // Engines.
  EngineKind engine = EngineKind::Float;
  bool engineGiven = false;
  std::vector<EngineKind> compare; // two engines, or none
  Readout readout = Readout::Count;
  int64_t batch = 256;
  sim::Propagation propagation = sim::Propagation::Auto;
  sim::Precision precision = sim::Precision::Float64;
  std::string networkName;
  // Quantization on the way.
  quant::QuantizeOptions quantize;
  std::vector<std::string> quantizeFlagsGiven; // to warn where unused
  std::vector<std::string> emuFlagsGiven;      // likewise
  std::string targetPath, calibrationPath, quantizeReport;
  std::string calibrateOut;
  // The emulator.
  std::string imageOut, vcdOut, traceOut, emuJson;
  // A system of chips over MPI ranks: where each chip ran, and the time
  // each rank spent in the exchanges (not byte-identical: it is timing).
  std::string emuExchange;
  int64_t traceSamples = 1;
  bool progress = false;
  bool emuLoops = false;
  double mapSpikeActivity = 0.1;
  // NIR import and C generation (their flags live with their libraries).
  nir::ImportOptions import;
  bool nirFlagsGiven = false;
  codegen::CodegenOptions codegen;
  // Outputs.
  std::vector<std::string> record;
  std::string recordDir = ".";
  std::string outputPath, writeInput, countsPath, jsonPath;
  // The HTML report (--report); its traces are those of --record.
  report::ReportOptions report;
  // The ranks the samples are split over (Run/Distributed.h); null: one.
  Communicator *ranks = nullptr;
};

/// Runs the model as `options` say, printing the summaries on `os`. Errors
/// and warnings go to stderr prefixed with "snn-run:"; failure after an
/// error.
mlir::LogicalResult runModel(const RunModelOptions &options,
                             llvm::raw_ostream &os);

} // namespace snn::run

#endif // SNN_RUN_RUNMODEL_H

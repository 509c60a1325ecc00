//===- LowerToLoops.h - a quantized network as loops over buffers -*- C++ -*-===//
//
// The first step of the C backend: a quantized snn.network becomes a module of
// func, scf, arith and memref ops — weights and per-neuron constants as
// constant globals, state and signals as mutable globals, and two functions,
// `<prefix>_reset()` and `<prefix>_step(input, output)` — that computes
// exactly what the fixed-point reference computes (docs/quantization.md).
// The integer primitives (rounded shift, fit to a width, decay) are calls to
// runtime/embedded/snn_arith.h, written as emitc.call_opaque.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_CODEGEN_LOWERTOLOOPS_H
#define SNN_CODEGEN_LOWERTOLOOPS_H

#include "Codegen/CostModel.h"
#include "SNN/IR/SNNOps.h"

#include "mlir/IR/BuiltinOps.h"

#include <map>
#include <string>
#include <vector>

namespace snn::codegen {

/// The C interface of a generated network.
struct Interface {
  /// C identifier prefix of every symbol: CodegenOptions::prefix, or the
  /// network's name.
  std::string prefix;
  /// Base name of the generated files (`<fileName>.c`, `<fileName>.h`):
  /// named in their comments, header guard and include; empty: `prefix`.
  std::string fileName;
  int64_t inputSize = 0, outputSize = 0;
  bool inputSpikes = true, outputSpikes = true;
  /// The spike input carries event counts (it feeds snn.xylo), not 0/1.
  bool inputCounts = false;
  int inputBits = 8, outputBits = 8; // C element width of the buffers
  std::vector<double> inputScale;    // real value of one input integer
  std::vector<double> outputScale;   // real value of one output integer
  int64_t weightBytes = 0, stateBytes = 0;
  /// The kernel chosen for each projection, by node.
  std::vector<std::pair<std::string, KernelChoice>> kernels;
  /// With CodegenOptions::probes: `void <symbol>(T out[size])` copies a
  /// node's output ("out"), membrane ("v") or current ("i").
  struct Probe {
    std::string node, kind, symbol;
    int64_t size = 0;
    int bits = 8;
    bool spikes = false;
    std::vector<double> unit; // real value of one integer (empty: spikes)
  };
  std::vector<Probe> probes;
};

/// What the cost model assumes about activity.
struct CodegenOptions {
  double spikeActivity = 0.1; // spikes per neuron and step
  double valueActivity = 1.0; // non-zero integer inputs (dense by default)
  /// Measured activity by node (nodeKey; "input" for the network input).
  std::map<std::string, double> activity;
  /// Also emit functions that copy out every named node's output and state,
  /// so that a host can compare the C with the reference node by node.
  bool probes = false;
  /// Prefix of the C symbols (`<prefix>_step`, `<prefix>_reset`, ...);
  /// empty: the network's name.
  std::string prefix;
};

/// Adds the loop form of `network` to `module` (its globals are named
/// `<prefix>_...`, so several networks can share one module). Fails on what
/// the C backend cannot express, with an error on the op at fault (arrays
/// of no elements or beyond limits::kMaxDenseElements, delays outside
/// [1, limits::kMaxDelaySteps]) or on the network, prefixed with `caller`.
mlir::LogicalResult lowerToLoops(NetworkOp network, mlir::ModuleOp module,
                                 const CodegenOptions &options,
                                 Interface &interface,
                                 llvm::StringRef caller = "");

/// Rewrites func, scf, arith and memref ops in `module` into EmitC: upstream
/// patterns, plus function signatures and `index` through one type converter
/// (memref -> C array, index -> size_t).
mlir::LogicalResult convertToEmitC(mlir::ModuleOp module);

/// The header declaring a generated network's interface.
std::string headerFor(const Interface &interface);

} // namespace snn::codegen

#endif // SNN_CODEGEN_LOWERTOLOOPS_H

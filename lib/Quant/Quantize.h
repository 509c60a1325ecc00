//===- Quantize.h - a float network to its integer form ---------*- C++ -*-===//
//
// Rewrites neurons and the projections that feed them into snn.qneuron and
// snn.qlinear / snn.qconv*, choosing one unit per neuron population (or per
// output channel) that keeps weights within their bits with the least error
// and the membrane and current within their widths (docs/quantization.md).
//
//===----------------------------------------------------------------------===//

#ifndef SNN_QUANT_QUANTIZE_H
#define SNN_QUANT_QUANTIZE_H

#include "Quant/Calibration.h"
#include "SNN/IR/SNNOps.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/JSON.h"

namespace snn::quant {

enum class ScaleMethod { MaxAbs, MinError };

/// The quantizer's options. These member initializers are the defaults of
/// snn-quantize (Passes.td refers to them) and of snn-run (whose flags are
/// stored in an instance of this struct).
struct QuantizeOptions {
  int64_t weightBits = 8;
  int64_t maxWeightExp = 7; // largest weight exponent (0: none)
  int64_t stateBits = 16;   // membrane
  int64_t currentBits = 0;  // synaptic current; 0: same as stateBits
  int64_t accBits = 32;     // projection outputs
  int64_t inputBits = 8;    // real-valued network inputs
  bool perChannel = false;  // one unit per output row/channel
  bool powerOfTwo = false;  // units rounded up to powers of two
  DecayArith decay = DecayArith::Multiply;
  int64_t decayShift = 12; // shift of decay(multiply), the IR's decay_shift
  Rounding rounding = Rounding::NearestEven;
  Overflow overflow = Overflow::Saturate;
  ScaleMethod scaleMethod = ScaleMethod::MinError;
};

/// What quantization did to one node.
struct LayerReport {
  std::string node, op; // op: what was quantized
  // Projections.
  int64_t weightBits = 0, weightExp = 0, weights = 0, clipped = 0;
  double unitMin = 0, unitMax = 0;
  double weightError = 0; // RMS error of the weights / RMS of the weights
  std::string limitedBy;  // what set the unit
  // Neurons.
  bool isNeuron = false;
  int64_t stateBits = 0, currentBits = 0;
  int64_t thresholdMin = 0, thresholdMax = 0;
  double decayError = 0; // largest |decay - quantized decay|
};

struct QuantReport {
  QuantizeOptions options;
  bool calibrated = false;
  std::vector<LayerReport> layers;
  llvm::json::Object toJson() const;
};

/// The report as a table.
void printQuantReport(const QuantReport &report, llvm::raw_ostream &os);

/// Quantizes `network` in place. Errors are emitted on the op that cannot be
/// quantized, naming what it needs.
mlir::LogicalResult quantizeNetwork(NetworkOp network,
                                    const QuantizeOptions &options,
                                    const Calibration *calibration,
                                    QuantReport &report);

/// Checks that every option is within what the quantizer supports; the error
/// (on `network`) names the option as snn-quantize and snn-run spell it.
mlir::LogicalResult checkOptions(NetworkOp network,
                                 const QuantizeOptions &options);

/// What snn-quantize and snn-run do: `options`, overridden by the target
/// file's formats when `targetPath` is given, with the ranges of the
/// calibration file when `calibrationPath` is given, quantize `network` in
/// place. Errors are reported through MLIR diagnostics on `network` (or the
/// op that cannot be quantized) and name the option or file at fault.
mlir::LogicalResult quantizeFromOptions(NetworkOp network,
                                        QuantizeOptions options,
                                        llvm::StringRef targetPath,
                                        llvm::StringRef calibrationPath,
                                        QuantReport &report);

/// True when every op of `network` has an integer meaning.
bool isQuantized(NetworkOp network);

/// The values of the enum options, as snn-quantize (Passes.td) and snn-run
/// spell them; the default is marked.
/// A float tensor's entries, in order.
std::vector<double> floatValues(mlir::DenseFPElementsAttr attr);

llvm::cl::ValuesClass decayValues();
llvm::cl::ValuesClass roundingValues();
llvm::cl::ValuesClass overflowValues();
llvm::cl::ValuesClass scaleMethodValues();

} // namespace snn::quant

#endif // SNN_QUANT_QUANTIZE_H

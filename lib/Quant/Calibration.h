//===- Calibration.h - value ranges seen on sample input --------*- C++ -*-===//
//
// What a float run on calibration data saw, per node: the largest |membrane|,
// |current| and |input|. snn-run --calibrate writes it; snn-quantize reads it
// to choose units under which the integer state rarely saturates.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_QUANT_CALIBRATION_H
#define SNN_QUANT_CALIBRATION_H

#include "SNN/IR/SNNOps.h"

#include "llvm/Support/Error.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace snn::quant {

struct NodeRange {
  double outputMax = 0;   // largest |output| (values nodes)
  double membraneMax = 0; // neurons
  double currentMax = 0;  // current-based neurons
  double rate = -1;       // non-zero outputs per neuron and step (-1: unknown)
  int64_t neurons = 0;    // of the node's output (0: not recorded)
};

struct Calibration {
  std::string network;
  int64_t samples = 0, steps = 0;
  std::map<std::string, NodeRange> nodes; // by nodeKey
  std::vector<double> inputMax;           // per network input
  double inputRate = -1;                  // non-zero inputs per step
};

llvm::Error writeCalibration(const Calibration &calibration,
                             const std::string &path);
llvm::Expected<Calibration> readCalibration(const std::string &path);

/// Refuses a calibration written for another network: a node it names that
/// `network` lacks, a node whose neuron count differs, or more input ranges
/// than the network has inputs. The error, on `network`, names `path`.
mlir::LogicalResult checkCalibration(NetworkOp network,
                                     const Calibration &calibration,
                                     llvm::StringRef path);

} // namespace snn::quant

#endif // SNN_QUANT_CALIBRATION_H

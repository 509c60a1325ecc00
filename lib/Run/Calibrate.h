//===- Calibrate.h - ranges of a float run for snn-quantize -----*- C++ -*-===//

#ifndef SNN_RUN_CALIBRATE_H
#define SNN_RUN_CALIBRATE_H

#include "Quant/Calibration.h"
#include "Run/Run.h"

#include <map>

namespace snn::run {

/// The counts a calibration's rates are ratios of, for adding up runs over
/// parts of the samples (Run/Distributed.h).
struct CalibrationCounts {
  std::map<std::string, std::pair<double, double>> nodes; // key: nonzero, all
  double inputNonzero = 0, inputTotal = 0;
};

/// Runs the float reference over `inputs` and records, per node, the
/// largest |output| (real-valued nodes), |membrane| and |current|, and the
/// largest |input|.
llvm::Expected<quant::Calibration>
calibrate(NetworkOp network, const Inputs &inputs, const RunOptions &options,
          CalibrationCounts *counts = nullptr);

} // namespace snn::run

#endif // SNN_RUN_CALIBRATE_H

//===- Calibrate.h - ranges of a float run for snn-quantize -----*- C++ -*-===//

#ifndef SNN_RUN_CALIBRATE_H
#define SNN_RUN_CALIBRATE_H

#include "Quant/Calibration.h"
#include "Run/Run.h"

namespace snn::run {

/// Runs the float reference over `inputs` and records, per node, the
/// largest |output| (real-valued nodes), |membrane| and |current|, and the
/// largest |input|.
std::optional<quant::Calibration> calibrate(NetworkOp network,
                                            const Inputs &inputs,
                                            const RunOptions &options,
                                            std::string &error);

} // namespace snn::run

#endif // SNN_RUN_CALIBRATE_H

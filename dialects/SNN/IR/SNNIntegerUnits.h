//===- SNNIntegerUnits.h - what one integer means ---------------*- C++ -*-===//
//
// In a quantized network every integer signal has a unit: the real value of
// one integer step. Spikes have unit 1; projections, input quantization and
// neurons declare theirs; flatten, delay, sum and sum pooling carry it.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_IR_SNNINTEGERUNITS_H
#define SNN_IR_SNNINTEGERUNITS_H

#include "mlir/IR/Value.h"

#include <optional>
#include <vector>

namespace snn {

class SumOp;

/// The unit of an integer signal: one value for every element, or one per
/// element in the signal's flat order. None for float signals.
std::optional<std::vector<double>> integerUnit(mlir::Value value);

/// The largest |integer| a signal of a quantized network can carry, from the
/// widths of the ops that produce it (2^31 - 1 when unknown).
double integerBound(mlir::Value value);

/// A sum of integers in different units is an error.
mlir::LogicalResult verifyIntegerSum(SumOp op);

} // namespace snn

#endif // SNN_IR_SNNINTEGERUNITS_H

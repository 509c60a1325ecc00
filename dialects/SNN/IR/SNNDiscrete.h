//===- SNNDiscrete.h - neurons and delays as per-step constants -*- C++ -*-===//
//
// What docs/semantics.md's equations become for a fixed step dt: every
// neuron op is `i[t] = i_decay·i + i_gain·I`, `u = v_decay·v + v_gain·x +
// v_bias` plus its firing rule, and every delay a whole number of steps. The
// float reference, snn-discretize and snn-quantize all read neurons through
// this one function.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_IR_SNNDISCRETE_H
#define SNN_IR_SNNDISCRETE_H

#include "SNN/IR/SNNOps.h"

#include "mlir/Support/LogicalResult.h"

#include <optional>
#include <vector>

namespace snn {

/// One neuron population's per-step constants, one entry per neuron.
struct StepConstants {
  std::vector<double> vDecay, vGain, vBias;
  bool hasCurrent = false;
  std::vector<double> iDecay, iGain;
  bool fires = false;
  std::vector<double> threshold, vReset; // vReset only for reset(to_value)
  ResetMode reset = ResetMode::Subtract;
  ResetTiming timing = ResetTiming::SameStep;
  SpikeCondition spike = SpikeCondition::Greater;
};

/// The per-step constants of a float neuron op (`snn.lif`, ..., or
/// `snn.neuron`); none for other ops.
std::optional<StepConstants> stepConstants(mlir::Operation *op, double dt);

/// Every neuron's delay in whole steps. Fails, with an error on the op, for
/// delays that are not whole steps, are 0 steps, or exceed
/// limits::kMaxDelaySteps.
mlir::FailureOr<std::vector<int64_t>> delayInSteps(DelayOp op, double dt);
/// The same as a question: none, and no diagnostic, where delayInSteps
/// fails (for callers that only ask whether a delay has a given form).
std::optional<std::vector<int64_t>> delayStepsIfWhole(DelayOp op, double dt);

} // namespace snn

#endif // SNN_IR_SNNDISCRETE_H

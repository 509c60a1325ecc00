//===- Discretize.cpp - time constants to per-step constants --------------===//

#include "SNN/IR/SNNDiscrete.h"
#include "Transforms/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

namespace snn {
#define GEN_PASS_DEF_DISCRETIZE
#include "Transforms/Passes.h.inc"
} // namespace snn

using namespace mlir;

namespace snn {
namespace {

/// One f64 when every neuron agrees, else one per neuron.
Attribute param(Builder &b, const std::vector<double> &v,
                ArrayRef<int64_t> shape) {
  if (std::all_of(v.begin(), v.end(), [&](double x) { return x == v[0]; }))
    return b.getF64FloatAttr(v[0]);
  return DenseFPElementsAttr::get(RankedTensorType::get(shape, b.getF64Type()),
                                  ArrayRef<double>(v));
}

struct DiscretizePass : impl::DiscretizeBase<DiscretizePass> {
  void runOnOperation() override {
    NetworkOp network = getOperation();
    double dt = network.getDt().convertToDouble();
    OpBuilder b(network.getContext());
    SmallVector<Operation *> neurons;
    SmallVector<DelayOp> delays;
    for (Operation &op : network.getBodyBlock().without_terminator()) {
      if (isa<NeuronStepOp>(op))
        continue;
      if (auto delay = dyn_cast<DelayOp>(op))
        delays.push_back(delay);
      else if (stepConstants(&op, dt))
        neurons.push_back(&op);
    }
    for (DelayOp delay : delays) {
      if (delay.getStepsAttr())
        continue;
      std::string error;
      std::optional<std::vector<int64_t>> steps =
          delayInSteps(delay, dt, error);
      if (!steps) {
        delay.emitOpError() << error;
        return signalPassFailure();
      }
      ArrayRef<int64_t> shape = getSignalShape(delay.getType());
      std::vector<int64_t> &s = *steps;
      Attribute attr =
          std::all_of(s.begin(), s.end(), [&](int64_t x) { return x == s[0]; })
              ? Attribute(b.getI64IntegerAttr(s[0]))
              : DenseIntElementsAttr::get(
                    RankedTensorType::get(shape, b.getI64Type()),
                    ArrayRef<int64_t>(s));
      delay.removeDelayAttr();
      delay.setStepsAttr(attr);
    }
    for (Operation *op : neurons) {
      StepConstants c = *stepConstants(op, dt);
      ArrayRef<int64_t> shape = getSignalShape(op->getResult(0).getType());
      MLIRContext *ctx = op->getContext();
      b.setInsertionPoint(op);
      auto step = b.create<NeuronStepOp>(
          op->getLoc(), op->getResult(0).getType(), op->getOperand(0),
          param(b, c.vDecay, shape), param(b, c.vGain, shape),
          param(b, c.vBias, shape),
          c.hasCurrent ? param(b, c.iDecay, shape) : Attribute(),
          c.hasCurrent ? param(b, c.iGain, shape) : Attribute(),
          c.fires ? param(b, c.threshold, shape) : Attribute(),
          c.vReset.empty() ? Attribute() : param(b, c.vReset, shape),
          c.fires ? ResetModeAttr::get(ctx, c.reset) : ResetModeAttr(),
          c.fires ? ResetTimingAttr::get(ctx, c.timing) : ResetTimingAttr(),
          c.fires ? SpikeConditionAttr::get(ctx, c.spike)
                  : SpikeConditionAttr(),
          op->getAttrOfType<StringAttr>("name"));
      op->getResult(0).replaceAllUsesWith(step.getResult());
      op->erase();
    }
  }
};

} // namespace
} // namespace snn

//===- Discretize.cpp - time constants to per-step constants --------------===//

#include "SNN/IR/SNNDiscrete.h"
#include "SNN/IR/SNNParams.h"
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
      FailureOr<std::vector<int64_t>> steps = delayInSteps(delay, dt);
      if (failed(steps))
        return signalPassFailure();
      delay.removeDelayAttr();
      delay.setStepsAttr(
          intParamAttr(b, *steps, getSignalShape(delay.getType())));
    }
    for (Operation *op : neurons) {
      StepConstants c = *stepConstants(op, dt);
      ArrayRef<int64_t> shape = getSignalShape(op->getResult(0).getType());
      MLIRContext *ctx = op->getContext();
      b.setInsertionPoint(op);
      auto step = b.create<NeuronStepOp>(
          op->getLoc(), op->getResult(0).getType(), op->getOperand(0),
          paramAttr(b, c.vDecay, shape), paramAttr(b, c.vGain, shape),
          paramAttr(b, c.vBias, shape),
          c.hasCurrent ? paramAttr(b, c.iDecay, shape) : Attribute(),
          c.hasCurrent ? paramAttr(b, c.iGain, shape) : Attribute(),
          c.fires ? paramAttr(b, c.threshold, shape) : Attribute(),
          c.vReset.empty() ? Attribute() : paramAttr(b, c.vReset, shape),
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

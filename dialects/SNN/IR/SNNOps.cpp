//===- SNNOps.cpp - snn op verifiers and folders --------------------------===//
//
// Verifiers keep apart from the canonicalization patterns
// (SNNCanonicalize.cpp) and from the network-level checks (SNNNetwork.cpp).
//
//===----------------------------------------------------------------------===//

#include "SNN/IR/SNNOps.h"
#include "SNN/IR/SNNIntegerUnits.h"
#include "SNN/IR/SNNLimits.h"
#include "SNN/IR/SNNParams.h"
#include "SNN/IR/SNNVerifyHelpers.h"
#include "Shape/ShapeInference.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace snn;
using namespace snn::verify;

bool snn::holdsState(Operation *op) {
  return op->hasTrait<OpTrait::NeuronOp>() || isa<DelayOp>(op);
}

void snn::nameResultAfterNode(Operation *op, OpAsmSetValueNameFn setNameFn) {
  if (auto name = op->getAttrOfType<StringAttr>("name"))
    setNameFn(op->getResult(0), name.getValue());
}

std::string snn::describeOp(Operation *op) {
  std::string s = op->getName().getStringRef().str();
  if (auto name = op->getAttrOfType<StringAttr>("name"))
    s += " \"" + name.getValue().str() + "\"";
  return s;
}

std::string snn::nodeKey(Operation *op) {
  if (auto name = op->getAttrOfType<StringAttr>("name"))
    return name.getValue().str();
  int64_t index = 0;
  for (Operation &other : *op->getBlock()) {
    if (&other == op)
      break;
    ++index;
  }
  return "#" + std::to_string(index);
}

namespace {

template <typename PoolOp>
LogicalResult verifyPool(PoolOp op) {
  return checkInferred(op.getOperation(),
                       shape::pool2d(signalShape(op.getInput()),
                                     toShape(op.getKernelSize()),
                                     toShape(op.getStride()),
                                     toShape(op.getPadding())));
}

bool isAllZeroDelay(Attribute attr) {
  if (!attr)
    return false;
  if (auto i = dyn_cast<IntegerAttr>(attr))
    return i.getInt() == 0;
  if (auto t = dyn_cast<DenseIntElementsAttr>(attr))
    return llvm::all_of(t.getValues<APInt>(),
                        [](const APInt &v) { return v.isZero(); });
  if (auto f = dyn_cast<FloatAttr>(attr))
    return f.getValueAsDouble() == 0.0;
  if (auto t = dyn_cast<DenseFPElementsAttr>(attr))
    return llvm::all_of(t.getValues<APFloat>(),
                        [](const APFloat &v) { return v.isZero(); });
  return false;
}

} // namespace

//===----------------------------------------------------------------------===//
// Projections and structural ops
//===----------------------------------------------------------------------===//

LogicalResult AffineOp::verify() {
  if (failed(verifyProjection(*this, getInput(), getWeight().getType())) ||
      failed(checkBias(*this, getBias().getType(),
                       getWeight().getType().getDimSize(0), "rows")))
    return failure();
  return success(succeeded(checkFinite(*this, "weight", getWeight())) &&
                 succeeded(checkFinite(*this, "bias", getBias())));
}

LogicalResult LinearOp::verify() {
  if (failed(verifyProjection(*this, getInput(), getWeight().getType())))
    return failure();
  return checkFinite(*this, "weight", getWeight());
}

OpFoldResult LinearOp::fold(FoldAdaptor) {
  if (getInput().getType() != getType())
    return {};
  auto weight = getWeight();
  int64_t n = weight.getType().getDimSize(0);
  if (n != weight.getType().getDimSize(1))
    return {};
  // A splat is the identity only for one neuron; do not walk a huge one.
  if (weight.isSplat())
    return n == 1 && weight.getSplatValue<APFloat>().isExactlyValue(1.0)
               ? OpFoldResult(getInput())
               : OpFoldResult();
  int64_t idx = 0;
  for (const APFloat &v : weight.getValues<APFloat>()) {
    bool diagonal = idx / n == idx % n;
    if ((diagonal && !v.isExactlyValue(1.0)) || (!diagonal && !v.isZero()))
      return {};
    ++idx;
  }
  return getInput();
}

LogicalResult ScaleOp::verify() {
  if (failed(checkInferred(*this, {signalShape(getInput()), {}})))
    return failure();
  return verifyParams(*this, {{"scale", getScale(), ParamRange::Any}});
}

template <typename ConvOp>
static LogicalResult verifyConv(ConvOp op, int64_t spatialRank) {
  if (failed(verifyConvGeometry(op, op.getInput(), op.getWeight().getType(),
                                op.getBias().getType(), op.getStride(),
                                op.getPadding(), op.getDilation(),
                                op.getGroupsAttr().getInt(), spatialRank)))
    return failure();
  return success(
      succeeded(checkFinite(op.getOperation(), "weight", op.getWeight())) &&
      succeeded(checkFinite(op.getOperation(), "bias", op.getBias())));
}

LogicalResult Conv1dOp::verify() { return verifyConv(*this, 1); }
LogicalResult Conv2dOp::verify() { return verifyConv(*this, 2); }
LogicalResult SumPool2dOp::verify() { return verifyPool(*this); }
LogicalResult AvgPool2dOp::verify() { return verifyPool(*this); }

LogicalResult FlattenOp::verify() {
  if (failed(checkKindPreserved(*this)))
    return failure();
  return checkInferred(*this, shape::flatten(signalShape(getInput()),
                                             getStartDimAttr().getInt(), getEndDimAttr().getInt()));
}

OpFoldResult FlattenOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return {};
}

LogicalResult SumOp::verify() {
  if (getInputs().empty())
    return emitOpError() << "needs at least one input";
  shape::Shape out = signalShape(getOutput());
  for (auto [i, in] : llvm::enumerate(getInputs())) {
    shape::Shape s = signalShape(in);
    if (s != out)
      return emitOpError() << "input " << i << " has shape "
                           << shape::toString(s) << " but the sum has shape "
                           << shape::toString(out);
  }
  return verifyIntegerSum(*this);
}

OpFoldResult SumOp::fold(FoldAdaptor) {
  if (getInputs().size() == 1 && getInputs()[0].getType() == getType())
    return getInputs()[0];
  return {};
}

/// Steps of a delay in the integer form: at least 1 (a delay of 0 steps
/// passes its input on in the same step, which the rings of the engines and
/// of generated C cannot do) and at most the ring limit.
static LogicalResult checkDelaySteps(DelayOp op, Attribute steps) {
  int64_t count = getSignalSize(op.getType());
  if (auto t = dyn_cast<DenseIntElementsAttr>(steps)) {
    int64_t n = t.getNumElements();
    if (n != 1 && n != count)
      return op.emitOpError() << "steps has " << n << " values but there are "
                              << count << " neurons";
  }
  IntParam param(steps);
  for (auto [i, d] : llvm::enumerate(param.stored())) {
    std::string where =
        param.isBroadcast() ? "" : " at neuron " + std::to_string(i);
    if (d < 0)
      return op.emitOpError() << "steps must be non-negative but is " << d
                              << where;
    if (d == 0)
      return op.emitOpError()
             << "a delay of 0 steps" << where
             << " passes its input on in the same step; remove the op "
                "(-canonicalize does when every neuron has 0 steps) or give "
                "at least 1 step";
    if (d > limits::kMaxDelaySteps)
      return op.emitOpError() << "a delay of " << d << " steps" << where
                              << " exceeds the limit of "
                              << limits::kMaxDelaySteps << " steps";
  }
  return success();
}

/// A delay in seconds is at most the ring limit in steps of the network's dt.
static LogicalResult checkDelaySeconds(DelayOp op) {
  auto network = op->getParentOfType<NetworkOp>();
  if (!network)
    return success();
  double dt = network.getDt().convertToDouble();
  if (!(dt > 0))
    return success(); // the network's verifier reports it
  NeuronParam param(op.getDelayAttr());
  for (auto [i, seconds] : llvm::enumerate(param.stored()))
    if (seconds / dt > double(limits::kMaxDelaySteps))
      return op.emitOpError()
             << "a delay of " << formatNumber(seconds) << " s"
             << (param.isBroadcast() ? std::string()
                                     : " at neuron " + std::to_string(i))
             << " is more than the limit of " << limits::kMaxDelaySteps
             << " steps of " << formatNumber(dt) << " s";
  return success();
}

LogicalResult DelayOp::verify() {
  if (getInput().getType() != getType())
    return emitOpError() << "result type " << getType()
                         << " differs from the input type "
                         << getInput().getType();
  if (static_cast<bool>(getDelayAttr()) == static_cast<bool>(getStepsAttr()))
    return emitOpError()
           << "needs exactly one of delay (seconds) and steps";
  if (Attribute steps = getStepsAttr())
    return checkDelaySteps(*this, steps);
  if (failed(verifyParams(
          *this, {{"delay", getDelayAttr(), ParamRange::NonNegative}})))
    return failure();
  return checkDelaySeconds(*this);
}

OpFoldResult DelayOp::fold(FoldAdaptor) {
  if (isAllZeroDelay(getStepsAttr()) || isAllZeroDelay(getDelayAttr()))
    return getInput();
  return {};
}

LogicalResult ThresholdOp::verify() {
  if (failed(verifyNeuronShape(*this)))
    return failure();
  return verifyParams(*this, {{"threshold", getThreshold(), ParamRange::Any}});
}

//===----------------------------------------------------------------------===//
// Neurons
//===----------------------------------------------------------------------===//

LogicalResult IntegratorOp::verify() {
  if (failed(verifyNeuronShape(*this)))
    return failure();
  return verifyParams(*this, {{"r", getR(), ParamRange::Any}});
}

LogicalResult LIOp::verify() {
  if (failed(verifyNeuronShape(*this)))
    return failure();
  return verifyParams(*this, {{"tau", getTau(), ParamRange::Positive},
                              {"r", getR(), ParamRange::Any},
                              {"v_leak", getVLeak(), ParamRange::Any}});
}

LogicalResult IFOp::verify() {
  if (failed(verifyNeuronShape(*this)) ||
      failed(verifyReset(*this, getReset(), getVResetAttr())))
    return failure();
  return verifyParams(*this,
                      {{"r", getR(), ParamRange::Any},
                       {"v_threshold", getVThreshold(), ParamRange::Any},
                       {"v_reset", getVResetAttr(), ParamRange::Any}});
}

LogicalResult LIFOp::verify() {
  if (failed(verifyNeuronShape(*this)) ||
      failed(verifyReset(*this, getReset(), getVResetAttr())))
    return failure();
  return verifyParams(*this,
                      {{"tau", getTau(), ParamRange::Positive},
                       {"r", getR(), ParamRange::Any},
                       {"v_leak", getVLeak(), ParamRange::Any},
                       {"v_threshold", getVThreshold(), ParamRange::Any},
                       {"v_reset", getVResetAttr(), ParamRange::Any}});
}

LogicalResult CubaLIOp::verify() {
  if (failed(verifyNeuronShape(*this)))
    return failure();
  return verifyParams(*this, {{"tau_syn", getTauSyn(), ParamRange::Positive},
                              {"tau_mem", getTauMem(), ParamRange::Positive},
                              {"r", getR(), ParamRange::Any},
                              {"v_leak", getVLeak(), ParamRange::Any},
                              {"w_in", getWIn(), ParamRange::Any}});
}

LogicalResult CubaLIFOp::verify() {
  if (failed(verifyNeuronShape(*this)) ||
      failed(verifyReset(*this, getReset(), getVResetAttr())))
    return failure();
  return verifyParams(*this,
                      {{"tau_syn", getTauSyn(), ParamRange::Positive},
                       {"tau_mem", getTauMem(), ParamRange::Positive},
                       {"r", getR(), ParamRange::Any},
                       {"v_leak", getVLeak(), ParamRange::Any},
                       {"v_threshold", getVThreshold(), ParamRange::Any},
                       {"v_reset", getVResetAttr(), ParamRange::Any},
                       {"w_in", getWIn(), ParamRange::Any}});
}

#define GET_OP_CLASSES
#include "SNN/IR/SNNOps.cpp.inc"

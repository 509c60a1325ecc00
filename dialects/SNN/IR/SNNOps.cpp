//===- SNNOps.cpp - snn op verifiers and folders --------------------------===//
//
// Verifiers keep apart from the canonicalization patterns
// (SNNCanonicalize.cpp) and from the network-level checks (SNNNetwork.cpp).
//
//===----------------------------------------------------------------------===//

#include "SNN/IR/SNNOps.h"
#include "SNN/IR/SNNParams.h"
#include "Shape/ShapeInference.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace snn;

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

namespace {

shape::Shape toShape(ArrayRef<int64_t> dims) {
  return shape::Shape(dims.begin(), dims.end());
}

shape::Shape signalShape(Value v) { return toShape(getSignalShape(v.getType())); }

/// Compares the declared result shape with the inferred one.
LogicalResult checkInferred(Operation *op, const shape::Inferred &inferred) {
  if (!inferred.ok())
    return op->emitOpError() << inferred.error;
  shape::Shape declared = signalShape(op->getResult(0));
  if (declared != inferred.shape)
    return op->emitOpError()
           << "result has shape " << shape::toString(declared)
           << " but the op produces shape " << shape::toString(inferred.shape);
  return success();
}

/// Ops that only move or reshape a signal keep spikes as spikes.
LogicalResult checkKindPreserved(Operation *op) {
  Type in = op->getOperand(0).getType(), out = op->getResult(0).getType();
  if (isSpikes(in) != isSpikes(out))
    return op->emitOpError() << "result must be "
                             << (isSpikes(in) ? "!snn.spikes" : "!snn.values")
                             << " like its input";
  return success();
}

LogicalResult checkWeightRank(Operation *op, DenseFPElementsAttr weight,
                              int64_t rank, StringRef layout) {
  if (weight.getType().getRank() != rank)
    return op->emitOpError() << "weight must have rank " << rank << " ("
                             << layout << ") but has rank "
                             << weight.getType().getRank();
  return success();
}

LogicalResult checkBias(Operation *op, DenseFPElementsAttr bias, int64_t rows,
                        StringRef rowsName) {
  auto type = bias.getType();
  if (type.getRank() != 1 || type.getDimSize(0) != rows)
    return op->emitOpError()
           << "bias has shape " << shape::toString(toShape(type.getShape()))
           << " but the weight has " << rows << " " << rowsName;
  return success();
}

LogicalResult verifyProjection(Operation *op, Value input,
                               DenseFPElementsAttr weight) {
  if (failed(checkWeightRank(op, weight, 2, "[out, in]")))
    return failure();
  ArrayRef<int64_t> w = weight.getType().getShape();
  return checkInferred(op, shape::affine(signalShape(input), w[0], w[1]));
}

template <typename ConvOp>
LogicalResult verifyConv(ConvOp op, int64_t spatialRank) {
  Operation *o = op.getOperation();
  if (failed(checkWeightRank(o, op.getWeight(), spatialRank + 2,
                             spatialRank == 1
                                 ? "[out_channels, in_channels / groups, k]"
                                 : "[out_channels, in_channels / groups, kh, kw]")))
    return failure();
  shape::Shape weight = toShape(op.getWeight().getType().getShape());
  if (failed(checkBias(o, op.getBias(), weight[0], "output channels")))
    return failure();
  return checkInferred(
      o, shape::conv(signalShape(op.getInput()), weight, toShape(op.getStride()),
                     toShape(op.getPadding()), toShape(op.getDilation()),
                     op.getGroupsAttr().getInt()));
}

template <typename PoolOp>
LogicalResult verifyPool(PoolOp op) {
  return checkInferred(op.getOperation(),
                       shape::pool2d(signalShape(op.getInput()),
                                     toShape(op.getKernelSize()),
                                     toShape(op.getStride()),
                                     toShape(op.getPadding())));
}

/// Neurons act elementwise: input, output and parameters share one shape.
LogicalResult verifyNeuronShape(Operation *op) {
  shape::Shape in = signalShape(op->getOperand(0));
  shape::Shape out = signalShape(op->getResult(0));
  if (in != out)
    return op->emitOpError() << "input has shape " << shape::toString(in)
                             << " but the neurons have shape "
                             << shape::toString(out);
  return success();
}

/// Checks each named parameter against the neuron shape.
LogicalResult
verifyParams(Operation *op,
             std::initializer_list<std::tuple<StringRef, Attribute, ParamRange>>
                 params) {
  ArrayRef<int64_t> neurons = getSignalShape(op->getResult(0).getType());
  for (auto [name, attr, range] : params)
    if (attr && failed(verifyNeuronParam(op, name, attr, neurons, range)))
      return failure();
  return success();
}

/// A reset to a value needs the value; a subtractive reset must not carry
/// one, so that no parameter in the IR is silently ignored.
LogicalResult verifyReset(Operation *op, ResetMode mode, Attribute vReset) {
  if (mode == ResetMode::ToValue && !vReset)
    return op->emitOpError() << "reset(to_value) needs a v_reset parameter";
  if (mode == ResetMode::Subtract && vReset)
    return op->emitOpError()
           << "v_reset is given but reset(subtract) does not use it";
  return success();
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
  if (failed(verifyProjection(*this, getInput(), getWeight())))
    return failure();
  return checkBias(*this, getBias(), getWeight().getType().getDimSize(0),
                   "rows");
}

LogicalResult LinearOp::verify() {
  return verifyProjection(*this, getInput(), getWeight());
}

OpFoldResult LinearOp::fold(FoldAdaptor) {
  if (getInput().getType() != getType())
    return {};
  auto weight = getWeight();
  int64_t n = weight.getType().getDimSize(0);
  if (n != weight.getType().getDimSize(1))
    return {};
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
  return success();
}

OpFoldResult SumOp::fold(FoldAdaptor) {
  if (getInputs().size() == 1 && getInputs()[0].getType() == getType())
    return getInputs()[0];
  return {};
}

LogicalResult DelayOp::verify() {
  if (getInput().getType() != getType())
    return emitOpError() << "result type " << getType()
                         << " differs from the input type "
                         << getInput().getType();
  if (static_cast<bool>(getDelayAttr()) == static_cast<bool>(getStepsAttr()))
    return emitOpError()
           << "needs exactly one of delay (seconds) and steps";
  if (Attribute steps = getStepsAttr()) {
    ArrayRef<int64_t> neurons = getSignalShape(getType());
    if (auto t = dyn_cast<DenseIntElementsAttr>(steps)) {
      int64_t n = t.getNumElements();
      int64_t count = shape::numElements(toShape(neurons));
      if (n != 1 && n != count)
        return emitOpError() << "steps has " << n
                             << " values but there are " << count
                             << " neurons";
      for (const APInt &v : t.getValues<APInt>())
        if (v.isNegative())
          return emitOpError() << "steps must be non-negative";
    } else if (cast<IntegerAttr>(steps).getInt() < 0) {
      return emitOpError() << "steps must be non-negative but is "
                           << cast<IntegerAttr>(steps).getInt();
    }
    return success();
  }
  return verifyParams(*this,
                      {{"delay", getDelayAttr(), ParamRange::NonNegative}});
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

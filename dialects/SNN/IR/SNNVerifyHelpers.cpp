//===- SNNVerifyHelpers.cpp - checks shared by op verifiers ---------------===//

#include "SNN/IR/SNNVerifyHelpers.h"
#include "SNN/IR/SNNLimits.h"

using namespace mlir;

namespace snn::verify {

shape::Shape toShape(ArrayRef<int64_t> dims) {
  return shape::Shape(dims.begin(), dims.end());
}

shape::Shape signalShape(Value v) {
  return toShape(getSignalShape(v.getType()));
}

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

LogicalResult checkKindPreserved(Operation *op) {
  Type in = op->getOperand(0).getType(), out = op->getResult(0).getType();
  if (isSpikes(in) != isSpikes(out))
    return op->emitOpError() << "result must be "
                             << (isSpikes(in) ? "!snn.spikes" : "!snn.values")
                             << " like its input";
  return success();
}

/// `[i, j, ...]` of the element at row-major position `flat` in `shape`.
static std::string indexText(ArrayRef<int64_t> shape, int64_t flat) {
  SmallVector<int64_t> index(shape.size(), 0);
  for (size_t d = shape.size(); d-- > 0;) {
    if (shape[d] > 0) {
      index[d] = flat % shape[d];
      flat /= shape[d];
    }
  }
  std::string s = "[";
  for (auto [i, v] : llvm::enumerate(index))
    s += (i ? ", " : "") + std::to_string(v);
  return s + "]";
}

static StringRef nonFiniteText(const APFloat &v) {
  return v.isNaN() ? "NaN" : "infinite";
}

LogicalResult checkFinite(Operation *op, StringRef name,
                          DenseFPElementsAttr values) {
  if (!values)
    return success();
  if (values.isSplat()) {
    APFloat v = values.getSplatValue<APFloat>();
    if (!v.isFinite())
      return op->emitOpError() << name << " is " << nonFiniteText(v)
                               << " in every element";
    return success();
  }
  int64_t flat = 0;
  for (const APFloat &v : values.getValues<APFloat>()) {
    if (!v.isFinite())
      return op->emitOpError()
             << name << " is " << nonFiniteText(v) << " at "
             << indexText(values.getType().getShape(), flat);
    ++flat;
  }
  return success();
}

LogicalResult checkTensorSize(Operation *op, StringRef name, ShapedType type) {
  if (!limits::checkedProduct(type.getShape()))
    return op->emitOpError() << name << " of shape "
                             << shape::toString(toShape(type.getShape()))
                             << " has more elements than 64-bit arithmetic "
                                "can count";
  return success();
}

LogicalResult checkWeightRank(Operation *op, ShapedType weight, int64_t rank,
                              StringRef layout) {
  if (weight.getRank() != rank)
    return op->emitOpError() << "weight must have rank " << rank << " ("
                             << layout << ") but has rank " << weight.getRank();
  return success();
}

LogicalResult checkBias(Operation *op, ShapedType bias, int64_t rows,
                        StringRef rowsName) {
  ShapedType type = bias;
  if (type.getRank() != 1 || type.getDimSize(0) != rows)
    return op->emitOpError()
           << "bias has shape " << shape::toString(toShape(type.getShape()))
           << " but the weight has " << rows << " " << rowsName;
  return success();
}

LogicalResult verifyProjection(Operation *op, Value input, ShapedType weight) {
  if (failed(checkWeightRank(op, weight, 2, "[out, in]")) ||
      failed(checkTensorSize(op, "weight", weight)))
    return failure();
  ArrayRef<int64_t> w = weight.getShape();
  return checkInferred(op, shape::affine(signalShape(input), w[0], w[1]));
}

LogicalResult verifyConvGeometry(Operation *op, Value input, ShapedType weight,
                                 ShapedType bias, ArrayRef<int64_t> stride,
                                 ArrayRef<int64_t> padding,
                                 ArrayRef<int64_t> dilation, int64_t groups,
                                 int64_t spatialRank) {
  if (failed(checkWeightRank(
          op, weight, spatialRank + 2,
          spatialRank == 1 ? "[out_channels, in_channels / groups, k]"
                           : "[out_channels, in_channels / groups, kh, kw]")))
    return failure();
  if (failed(checkTensorSize(op, "weight", weight)))
    return failure();
  shape::Shape w = toShape(weight.getShape());
  if (bias && failed(checkBias(op, bias, w[0], "output channels")))
    return failure();
  return checkInferred(op, shape::conv(signalShape(input), w, toShape(stride),
                                       toShape(padding), toShape(dilation),
                                       groups));
}

LogicalResult verifyNeuronShape(Operation *op) {
  shape::Shape in = signalShape(op->getOperand(0));
  shape::Shape out = signalShape(op->getResult(0));
  if (in != out)
    return op->emitOpError()
           << "input has shape " << shape::toString(in)
           << " but the neurons have shape " << shape::toString(out);
  return success();
}

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

LogicalResult verifyReset(Operation *op, ResetMode mode, Attribute vReset) {
  if (mode == ResetMode::ToValue && !vReset)
    return op->emitOpError() << "reset(to_value) needs a v_reset parameter";
  if (mode == ResetMode::Subtract && vReset)
    return op->emitOpError()
           << "v_reset is given but reset(subtract) does not use it";
  return success();
}

} // namespace snn::verify

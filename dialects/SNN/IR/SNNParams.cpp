//===- SNNParams.cpp - per-neuron parameters ------------------------------===//

#include "SNN/IR/SNNParams.h"
#include "Shape/ShapeInference.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"

#include <charconv>
#include <cmath>

using namespace mlir;

namespace snn {

NeuronParam::NeuronParam(Attribute attr) {
  if (auto f = llvm::dyn_cast_or_null<FloatAttr>(attr)) {
    values.push_back(f.getValueAsDouble());
    return;
  }
  if (auto t = llvm::dyn_cast_or_null<DenseFPElementsAttr>(attr)) {
    values.reserve(t.getNumElements());
    for (const APFloat &v : t.getValues<APFloat>())
      values.push_back(v.convertToDouble());
  }
}

IntParam::IntParam(Attribute attr) {
  if (auto i = llvm::dyn_cast_or_null<IntegerAttr>(attr)) {
    values.push_back(i.getInt());
    return;
  }
  if (auto t = llvm::dyn_cast_or_null<DenseIntElementsAttr>(attr)) {
    values.reserve(t.getNumElements());
    for (const APInt &v : t.getValues<APInt>())
      values.push_back(v.getSExtValue());
  }
}

std::vector<int64_t> intValues(DenseIntElementsAttr attr) {
  std::vector<int64_t> out;
  out.reserve(attr.getNumElements());
  for (const APInt &v : attr.getValues<APInt>())
    out.push_back(v.getSExtValue());
  return out;
}

DenseIntElementsAttr intTensorAttr(Builder &b,
                                   const std::vector<int64_t> &values,
                                   unsigned bits) {
  auto type = RankedTensorType::get({int64_t(values.size())},
                                    b.getIntegerType(bits));
  if (bits == 32) {
    std::vector<int32_t> narrow(values.begin(), values.end());
    return DenseIntElementsAttr::get(type, ArrayRef<int32_t>(narrow));
  }
  return DenseIntElementsAttr::get(type, ArrayRef<int64_t>(values));
}

Attribute paramAttr(Builder &b, const std::vector<double> &values,
                    ArrayRef<int64_t> shape) {
  if (std::all_of(values.begin(), values.end(),
                  [&](double x) { return x == values[0]; }))
    return b.getF64FloatAttr(values[0]);
  return DenseFPElementsAttr::get(RankedTensorType::get(shape, b.getF64Type()),
                                  ArrayRef<double>(values));
}

Attribute intParamAttr(Builder &b, const std::vector<int64_t> &values,
                       ArrayRef<int64_t> shape) {
  if (std::all_of(values.begin(), values.end(),
                  [&](int64_t x) { return x == values[0]; }))
    return b.getI64IntegerAttr(values[0]);
  return DenseIntElementsAttr::get(
      RankedTensorType::get(shape, b.getI64Type()), ArrayRef<int64_t>(values));
}

std::string formatNumber(double value) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return ec == std::errc() ? std::string(buffer, end) : std::to_string(value);
}

/// Checks that a per-neuron tensor has one value or one per neuron.
static LogicalResult checkParamShape(Operation *op, StringRef name,
                                     ShapedType type,
                                     ArrayRef<int64_t> neuronShape) {
  shape::Shape neurons(neuronShape.begin(), neuronShape.end());
  int64_t count = shape::numElements(neurons);
  ArrayRef<int64_t> s = type.getShape();
  int64_t n = type.getNumElements();
  bool sameShape = s == neuronShape;
  bool flat = s.size() == 1 && n == count;
  if (n != 1 && !sameShape && !flat)
    return op->emitOpError()
           << name << " has shape "
           << shape::toString(shape::Shape(s.begin(), s.end()))
           << " but the neurons have shape " << shape::toString(neurons)
           << " (give one value, or one per neuron)";
  return success();
}

LogicalResult verifyIntParam(Operation *op, StringRef name, Attribute attr,
                             ArrayRef<int64_t> neuronShape, int64_t min,
                             int64_t max, StringRef what) {
  if (auto t = llvm::dyn_cast<DenseIntElementsAttr>(attr))
    if (failed(checkParamShape(op, name, t.getType(), neuronShape)))
      return failure();
  IntParam param(attr);
  int64_t count = shape::numElements(
      shape::Shape(neuronShape.begin(), neuronShape.end()));
  int64_t n = param.isBroadcast() ? 1 : count;
  for (int64_t i = 0; i < n; ++i)
    if (param[i] < min || param[i] > max)
      return op->emitOpError()
             << name << " " << param[i] << " does not fit " << what << " ["
             << min << ", " << max << "]"
             << (param.isBroadcast() ? std::string()
                                     : " at neuron " + std::to_string(i));
  return success();
}

LogicalResult verifyNeuronParam(Operation *op, StringRef name, Attribute attr,
                                ArrayRef<int64_t> neuronShape, ParamRange range) {
  int64_t count = shape::numElements(
      shape::Shape(neuronShape.begin(), neuronShape.end()));
  if (auto t = llvm::dyn_cast<DenseFPElementsAttr>(attr))
    if (failed(checkParamShape(op, name, t.getType(), neuronShape)))
      return failure();
  NeuronParam param(attr);
  int64_t n = param.isBroadcast() ? 1 : count;
  for (int64_t i = 0; i < n; ++i) {
    double v = param[i];
    auto where = [&]() -> std::string {
      return param.isBroadcast() ? std::string()
                                 : " at neuron " + std::to_string(i);
    };
    if (!std::isfinite(v))
      return op->emitOpError() << name << " is not finite" << where();
    if (range == ParamRange::Positive && !(v > 0))
      return op->emitOpError()
             << name << " must be positive but is " << formatNumber(v)
             << where();
    if (range == ParamRange::NonNegative && v < 0)
      return op->emitOpError()
             << name << " must be non-negative but is " << formatNumber(v)
             << where();
  }
  return success();
}

} // namespace snn

//===- SNNIntegerUnits.cpp - what one integer means -----------------------===//

#include "SNN/IR/SNNIntegerUnits.h"
#include "SNN/IR/SNNOps.h"
#include "SNN/IR/SNNParams.h"
#include "Shape/ShapeInference.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;

namespace snn {

namespace {

using Unit = std::optional<std::vector<double>>;


/// A per-row (per-channel) unit spread over a signal laid out as
/// [blocks, rows, inner].
std::vector<double> spreadRows(Attribute scale, int64_t rows, int64_t total,
                               int64_t inner) {
  NeuronParam p(scale);
  if (p.isBroadcast())
    return {p[0]};
  std::vector<double> out(total);
  for (int64_t k = 0; k < total; ++k)
    out[k] = p[(k / inner) % rows];
  return out;
}

Unit unitOf(Value value, int depth) {
  if (isSpikes(value.getType()))
    return std::vector<double>{1.0};
  Operation *def = value.getDefiningOp();
  if (!def || depth > 64) // float network inputs; or a loop of carriers
    return std::nullopt;
  return llvm::TypeSwitch<Operation *, Unit>(def)
      .Case<QuantizeOp>([&](QuantizeOp op) {
        return NeuronParam(op.getScale())
            .expand(NeuronParam(op.getScale()).isBroadcast()
                        ? 1
                        : getSignalSize(value));
      })
      .Case<QLinearOp>([&](QLinearOp op) -> Unit {
        int64_t rows = op.getWeight().getType().getDimSize(0);
        return spreadRows(op.getScale(), rows, getSignalSize(value), 1);
      })
      .Case<QSparseOp>([&](QSparseOp op) -> Unit {
        int64_t rows = getSignalSize(value);
        return spreadRows(op.getScale(), rows, rows, 1);
      })
      .Case<QConv1dOp, QConv2dOp>([&](auto op) -> Unit {
        int64_t channels = op.getWeight().getType().getDimSize(0);
        int64_t total = getSignalSize(value);
        return spreadRows(op.getScale(), channels, total, total / channels);
      })
      .Case<QNeuronOp>([&](QNeuronOp op) -> Unit {
        NeuronParam p(op.getVScale());
        return p.expand(p.isBroadcast() ? 1 : getSignalSize(value));
      })
      .Case<FlattenOp, DelayOp>(
          [&](Operation *op) { return unitOf(op->getOperand(0), depth + 1); })
      .Case<SumOp>(
          [&](SumOp op) { return unitOf(op.getInputs()[0], depth + 1); })
      .Case<SumPool2dOp>([&](SumPool2dOp op) -> Unit {
        Unit in = unitOf(op.getInput(), depth + 1);
        if (!in || in->size() == 1)
          return in;
        // Per-element units pool by channel: the first element of each.
        ArrayRef<int64_t> inShape = getSignalShape(op.getInput().getType());
        int64_t inPixels = inShape[1] * inShape[2];
        int64_t total = getSignalSize(value);
        int64_t outPixels = total / inShape[0];
        std::vector<double> out(total);
        for (int64_t k = 0; k < total; ++k)
          out[k] = (*in)[(k / outPixels) * inPixels];
        return out;
      })
      .Default([](Operation *) { return std::nullopt; });
}

/// The largest |integer| a signal of a quantized network can carry.
double boundOf(Value v, int depth) {
  if (isSpikes(v.getType()))
    return 1;
  Operation *def = v.getDefiningOp();
  if (!def || depth > 64)
    return double(signedMax(32));
  return llvm::TypeSwitch<Operation *, double>(def)
      .Case<QuantizeOp>([](QuantizeOp q) {
        return double(signedMax(q.getBitsAttr().getInt()));
      })
      .Case<QLinearOp, QSparseOp, QConv1dOp, QConv2dOp>(
          [](auto q) { return double(signedMax(q.getAccBitsAttr().getInt())); })
      .Case<QNeuronOp>([](QNeuronOp q) {
        return double(signedMax(q.getVBitsAttr().getInt()));
      })
      .Case<SumPool2dOp>([&](SumPool2dOp p) {
        return double(p.getKernelSize()[0] * p.getKernelSize()[1]) *
               boundOf(p.getInput(), depth + 1);
      })
      .Case<FlattenOp, DelayOp>(
          [&](Operation *op) { return boundOf(op->getOperand(0), depth + 1); })
      .Case<SumOp>([&](SumOp sum) {
        double total = 0;
        for (Value in : sum.getInputs())
          total += boundOf(in, depth + 1);
        return total;
      })
      .Default([](Operation *) { return double(signedMax(32)); });
}

} // namespace

double integerBound(Value value) { return boundOf(value, 0); }

std::optional<std::vector<double>> integerUnit(Value value) {
  return unitOf(value, 0);
}

} // namespace snn

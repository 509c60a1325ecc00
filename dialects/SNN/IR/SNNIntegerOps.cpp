//===- SNNIntegerOps.cpp - verifiers of per-step and integer ops ----------===//
//
// The checks that make a quantized network's numbers mean what
// docs/quantization.md says: every integer fits the width it is declared
// with, and every value entering one sum is in the same unit.
//
//===----------------------------------------------------------------------===//

#include "SNN/IR/SNNIntegerUnits.h"
#include "SNN/IR/SNNOps.h"
#include "SNN/IR/SNNVerifyHelpers.h"

#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;
using namespace snn;
using namespace snn::verify;

namespace {

std::string bitsText(int64_t bits, StringRef what) {
  return std::to_string(bits) + "-bit " + what.str();
}

LogicalResult checkBitsRange(Operation *op, StringRef name, int64_t bits,
                             int64_t min, int64_t max) {
  if (bits < min || bits > max)
    return op->emitOpError() << name << " must be in [" << min << ", " << max
                             << "] but is " << bits;
  return success();
}

/// Weights are symmetric signed integers: [-(2^(b-1) - 1), 2^(b-1) - 1].
LogicalResult checkIntWeights(Operation *op, DenseIntElementsAttr weight,
                              int64_t bits) {
  if (failed(checkBitsRange(op, "weight_bits", bits, 2, 16)))
    return failure();
  int64_t max = signedMax(bits);
  // A splat (valid at any size) is checked once, not element by element.
  if (weight.isSplat()) {
    int64_t w = weight.getSplatValue<APInt>().getSExtValue();
    if (w < -max || w > max)
      return op->emitOpError()
             << "weight " << w << " (every element) does not fit "
             << bitsText(bits, "weights") << " [" << -max << ", " << max << "]";
    return success();
  }
  int64_t index = 0;
  for (const APInt &v : weight.getValues<APInt>()) {
    int64_t w = v.getSExtValue();
    if (w < -max || w > max)
      return op->emitOpError()
             << "weight " << w << " at flat index " << index << " does not fit "
             << bitsText(bits, "weights") << " [" << -max << ", " << max << "]";
    ++index;
  }
  return success();
}

/// A bias in accumulator units, one per row or output channel.
LogicalResult checkIntBias(Operation *op, DenseIntElementsAttr bias,
                           int64_t rows, int64_t accBits) {
  if (!bias)
    return success();
  if (failed(checkBias(op, bias.getType(), rows, "rows")))
    return failure();
  int64_t index = 0;
  for (const APInt &v : bias.getValues<APInt>()) {
    int64_t b = v.getSExtValue();
    if (b < signedMin(accBits) || b > signedMax(accBits))
      return op->emitOpError()
             << "bias " << b << " at row " << index << " does not fit the "
             << bitsText(accBits, "accumulator");
    ++index;
  }
  return success();
}

/// A unit is one positive number, or one per row (output channel).
LogicalResult checkScale(Operation *op, StringRef name, Attribute scale,
                         int64_t rows) {
  std::vector<double> values = NeuronParam(scale).expand(1);
  if (auto t = dyn_cast<DenseFPElementsAttr>(scale)) {
    if (t.getNumElements() != 1 && t.getNumElements() != rows)
      return op->emitOpError() << name << " has " << t.getNumElements()
                               << " values but there are " << rows
                               << " rows (give one, or one per row)";
    values = NeuronParam(scale).expand(t.getNumElements());
  }
  for (double s : values)
    if (!std::isfinite(s) || !(s > 0))
      return op->emitOpError() << name << " must be positive and finite but is "
                               << formatNumber(s);
  return success();
}

/// wrap_once and saturate_symmetric describe a neuron state in Lava's int32
/// register; a projection's sum fits its width by saturate or wrap.
LogicalResult checkProjectionOverflow(Operation *op, Overflow overflow) {
  if (overflow == Overflow::Saturate || overflow == Overflow::Wrap)
    return success();
  return op->emitOpError() << "overflow(" << stringifyOverflow(overflow)
                           << ") is for neuron states; a projection takes "
                              "saturate or wrap";
}

/// Lava's LIF attributes: the current's overflow needs a current, and the
/// input's width and shift must leave room in 64 bits.
LogicalResult verifyLavaNeuronAttrs(QNeuronOp op) {
  if (op.getIOverflowAttr() && !op.getIBitsAttr())
    return op.emitOpError() << "i_overflow needs i_bits (a current)";
  if (auto shift = op.getInputShiftAttr())
    if (failed(checkBitsRange(op, "input_shift", shift.getInt(), 0, 30)))
      return failure();
  if (auto bits = op.getInputBitsAttr())
    if (failed(checkBitsRange(op, "input_bits", bits.getInt(), 2, 32)))
      return failure();
  return success();
}

template <typename QProjection>
LogicalResult verifyIntegerProjection(QProjection op, int64_t rows) {
  Operation *o = op.getOperation();
  int64_t accBits = op.getAccBitsAttr().getInt();
  if (auto exp = op.getWeightExpAttr())
    if (failed(checkBitsRange(o, "weight_exp", exp.getInt(), -24, 24)))
      return failure();
  if (failed(checkProjectionOverflow(o, op.getOverflow())))
    return failure();
  if (failed(checkIntWeights(o, op.getWeight(),
                             op.getWeightBitsAttr().getInt())) ||
      failed(checkBitsRange(o, "acc_bits", accBits, 2, 32)) ||
      failed(checkIntBias(o, op.getBiasAttr(), rows, accBits)))
    return failure();
  return checkScale(o, "scale", op.getScale(), rows);
}

/// Firing needs a threshold, a reset with its timing and a spike condition,
/// all or none, and makes the result spikes.
LogicalResult verifyFiring(Operation *op, Attribute threshold,
                           std::optional<ResetMode> reset,
                           std::optional<ResetTiming> timing,
                           std::optional<SpikeCondition> spike,
                           Attribute vReset) {
  bool fires = static_cast<bool>(threshold);
  if (fires != reset.has_value() || fires != timing.has_value() ||
      fires != spike.has_value())
    return op->emitOpError()
           << "v_threshold, reset(...) and fire(...) come together: a firing "
              "neuron needs all three, a non-firing one none";
  if (fires != isSpikes(op->getResult(0).getType()))
    return op->emitOpError() << "result must be "
                             << (fires ? "!snn.spikes (the neuron fires)"
                                       : "!snn.values (the neuron has no "
                                         "v_threshold)");
  if (fires)
    return verifyReset(op, *reset, vReset);
  if (vReset)
    return op->emitOpError() << "v_reset is given but the neuron never fires";
  return success();
}

LogicalResult checkUnitsAgree(Operation *op, ValueRange inputs) {
  std::optional<std::vector<double>> first;
  for (auto [k, in] : llvm::enumerate(inputs)) {
    std::optional<std::vector<double>> unit = integerUnit(in);
    if (!unit)
      return success(); // float operands: nothing to compare
    if (!first) {
      first = unit;
      continue;
    }
    int64_t n = std::max(first->size(), unit->size());
    for (int64_t j = 0; j < n; ++j) {
      double a = (*first)[first->size() == 1 ? 0 : j];
      double b = (*unit)[unit->size() == 1 ? 0 : j];
      if (std::abs(a - b) > 1e-9 * std::max(std::abs(a), std::abs(b)))
        return op->emitOpError()
               << "input " << k << " is in units of " << formatNumber(b)
               << " but input 0 in units of " << formatNumber(a)
               << " at element " << j
               << "; integers in different units cannot be added";
    }
  }
  return success();
}

} // namespace

LogicalResult snn::verifyIntegerSum(SumOp op) {
  return checkUnitsAgree(op, op.getInputs());
}

LogicalResult NeuronStepOp::verify() {
  if (failed(verifyNeuronShape(*this)))
    return failure();
  if (static_cast<bool>(getIDecayAttr()) != static_cast<bool>(getIGainAttr()))
    return emitOpError() << "i_decay and i_gain come together (a current)";
  if (failed(verifyFiring(*this, getVThresholdAttr(), getReset(),
                          getResetTiming(), getSpike(), getVResetAttr())))
    return failure();
  return verifyParams(*this,
                      {{"v_decay", getVDecay(), ParamRange::Any},
                       {"v_gain", getVGain(), ParamRange::Any},
                       {"v_bias", getVBias(), ParamRange::Any},
                       {"i_decay", getIDecayAttr(), ParamRange::Any},
                       {"i_gain", getIGainAttr(), ParamRange::Any},
                       {"v_threshold", getVThresholdAttr(), ParamRange::Any},
                       {"v_reset", getVResetAttr(), ParamRange::Any}});
}

LogicalResult QuantizeOp::verify() {
  if (failed(verifyNeuronShape(*this)) ||
      failed(checkBitsRange(*this, "bits", getBitsAttr().getInt(), 2, 32)))
    return failure();
  return verifyParams(*this, {{"scale", getScale(), ParamRange::Positive}});
}

LogicalResult QLinearOp::verify() {
  if (failed(verifyProjection(*this, getInput(), getWeight().getType())))
    return failure();
  return verifyIntegerProjection(*this, getWeight().getType().getDimSize(0));
}

template <typename QConvOp>
static LogicalResult verifyQConv(QConvOp op, int64_t spatialRank) {
  ShapedType bias =
      op.getBiasAttr() ? op.getBiasAttr().getType() : ShapedType();
  if (failed(verifyConvGeometry(op, op.getInput(), op.getWeight().getType(),
                                bias, op.getStride(), op.getPadding(),
                                op.getDilation(), op.getGroupsAttr().getInt(),
                                spatialRank)))
    return failure();
  return verifyIntegerProjection(op, op.getWeight().getType().getDimSize(0));
}

LogicalResult QConv1dOp::verify() { return verifyQConv(*this, 1); }
LogicalResult QConv2dOp::verify() { return verifyQConv(*this, 2); }

LogicalResult QNeuronOp::verify() {
  if (failed(verifyNeuronShape(*this)))
    return failure();
  int64_t vBits = getVBitsAttr().getInt();
  if (failed(checkBitsRange(*this, "v_bits", vBits, 2, 32)))
    return failure();
  bool current = static_cast<bool>(getIBitsAttr());
  if (current &&
      failed(checkBitsRange(*this, "i_bits", getIBitsAttr().getInt(), 2, 32)))
    return failure();
  if (!current && (getIDecayAttr() || getIScaleAttr()))
    return emitOpError() << "i_decay and i_scale need i_bits (a current)";
  if (current && !getIScaleAttr())
    return emitOpError() << "a current (i_bits) needs its unit i_scale";
  if (failed(verifyFiring(*this, getVThresholdAttr(), getReset(),
                          getResetTiming(), getSpike(), getVResetAttr())))
    return failure();

  if (failed(verifyLavaNeuronAttrs(*this)))
    return failure();

  ArrayRef<int64_t> neurons = getSignalShape(getType());
  int64_t decayMax;
  std::string decayWhat;
  if (getDecay() == DecayArith::Multiply) {
    if (!getDecayShiftAttr())
      return emitOpError() << "decay(multiply) needs decay_shift";
    int64_t shift = getDecayShiftAttr().getInt();
    if (failed(checkBitsRange(*this, "decay_shift", shift, 0, 30)))
      return failure();
    decayMax = int64_t(1) << shift;
    decayWhat = "multipliers of shift " + std::to_string(shift);
  } else {
    if (getDecayShiftAttr())
      return emitOpError()
             << "decay_shift is given but decay(shift) does not use it";
    decayMax = 62;
    decayWhat = "shift counts";
  }
  for (auto [name, attr] :
       {std::pair<StringRef, Attribute>{"v_decay", getVDecayAttr()},
        {"i_decay", getIDecayAttr()}})
    if (attr && failed(verifyIntParam(*this, name, attr, neurons, 0, decayMax,
                                      decayWhat)))
      return failure();
  std::string state = bitsText(vBits, "state");
  for (auto [name, attr] :
       {std::pair<StringRef, Attribute>{"v_bias", getVBiasAttr()},
        {"v_threshold", getVThresholdAttr()},
        {"v_reset", getVResetAttr()}})
    if (attr &&
        failed(verifyIntParam(*this, name, attr, neurons, signedMin(vBits),
                              signedMax(vBits), state)))
      return failure();
  return verifyParams(*this,
                      {{"v_scale", getVScale(), ParamRange::Positive},
                       {"i_scale", getIScaleAttr(), ParamRange::Positive}});
}

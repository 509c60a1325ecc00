//===- SNNXyloOps.cpp - the verifier of snn.xylo --------------------------===//
//
// What makes an snn.xylo op mean xylosim's step: shapes that agree with each
// other and with the signals, and every number in the width the chip stores
// it in (int8 weights, 4-bit dashes, int16 thresholds and biases). Device
// limits (16 inputs, 1000 hidden neurons, ...) are the target checks', not
// the dialect's: the op describes any core xylosim can simulate.
//
//===----------------------------------------------------------------------===//

#include "SNN/IR/SNNOps.h"
#include "SNN/IR/SNNParams.h"

using namespace mlir;
using namespace snn;

namespace {

/// The largest dimension of any Xylo array, as the specification reader
/// bounds it (lib/Xylo/XyloSpecIO.cpp).
constexpr int64_t kMaxXyloDim = int64_t(1) << 14;

/// A weight tensor of rank 2, or 3 with 1 or 2 synapses when `synapses`.
LogicalResult checkWeightShape(Operation *op, StringRef name,
                               DenseIntElementsAttr w, bool synapses) {
  ShapedType t = w.getType();
  if (t.getRank() != 2 && !(synapses && t.getRank() == 3))
    return op->emitOpError()
           << name << " must have rank 2" << (synapses ? " or 3" : "")
           << " but has rank " << t.getRank();
  for (int64_t k = 0; k < t.getRank(); ++k)
    if (t.getDimSize(k) < 1 || t.getDimSize(k) > kMaxXyloDim)
      return op->emitOpError() << name << " dimension " << k << " is "
                               << t.getDimSize(k) << "; it must be in [1, "
                               << kMaxXyloDim << "]";
  if (t.getRank() == 3 && t.getDimSize(2) > 2)
    return op->emitOpError() << name << " has " << t.getDimSize(2)
                             << " synapses per neuron; Xylo has 1 or 2";
  return success();
}

/// Every weight in int8, named by its index.
LogicalResult checkInt8(Operation *op, StringRef name,
                        DenseIntElementsAttr w) {
  auto bad = [](int64_t v) { return v < -128 || v > 127; };
  if (w.isSplat()) {
    int64_t v = w.getSplatValue<APInt>().getSExtValue();
    if (bad(v))
      return op->emitOpError() << name << " " << v
                               << " (every element) is outside int8 [-128, 127]";
    return success();
  }
  ArrayRef<int64_t> shape = w.getType().getShape();
  int64_t flat = 0;
  for (const APInt &a : w.getValues<APInt>()) {
    int64_t v = a.getSExtValue();
    if (bad(v)) {
      std::string index;
      int64_t rest = flat;
      for (int64_t k = shape.size() - 1; k >= 0; --k) {
        index = std::to_string(rest % shape[k]) + (index.empty() ? "" : ", ") +
                index;
        rest /= shape[k];
      }
      return op->emitOpError() << name << "[" << index << "] = " << v
                               << " is outside int8 [-128, 127]";
    }
    ++flat;
  }
  return success();
}

LogicalResult checkShift(Operation *op, StringRef name, int64_t shift) {
  // The chip takes 0..7 (a target check); up to 15 the i16 narrowing of
  // `w << shift` is still what xylosim computes.
  if (shift < 0 || shift > 15)
    return op->emitOpError() << name << " must be in [0, 15] but is " << shift;
  return success();
}

/// A bias that is present must be usable: v1 cores have none.
LogicalResult checkNoBias(XyloOp op, StringRef name, Attribute bias,
                          int64_t n) {
  if (!bias)
    return success();
  std::vector<int64_t> v = IntParam(bias).expand(n);
  for (int64_t i = 0; i < n; ++i)
    if (v[i] != 0)
      return op.emitOpError() << name << " " << v[i] << " at neuron " << i
                              << " is given but version 1 cores have no bias";
  return success();
}

LogicalResult checkAliases(XyloOp op, int64_t nHid) {
  auto aliases = op.getAliasesAttr();
  if (!aliases)
    return success();
  if (static_cast<int64_t>(aliases.size()) != nHid)
    return op.emitOpError() << "aliases has " << aliases.size()
                            << " entries but there are " << nHid
                            << " hidden neurons (one each, -1 for none)";
  for (auto [h, a] : llvm::enumerate(aliases.asArrayRef()))
    if (a < -1 || a >= nHid)
      return op.emitOpError() << "aliases[" << h << "] = " << a
                              << " is not a hidden neuron (or -1 for none)";
  return success();
}

LogicalResult checkShapes(XyloOp op) {
  Operation *o = op.getOperation();
  if (failed(checkWeightShape(o, "weights_in", op.getWeightsIn(), true)) ||
      failed(checkWeightShape(o, "weights_rec", op.getWeightsRec(), true)) ||
      failed(checkWeightShape(o, "weights_out", op.getWeightsOut(), false)))
    return failure();
  ArrayRef<int64_t> in = op.getWeightsIn().getType().getShape();
  ArrayRef<int64_t> rec = op.getWeightsRec().getType().getShape();
  ArrayRef<int64_t> out = op.getWeightsOut().getType().getShape();
  if (rec[0] != rec[1])
    return op.emitOpError() << "weights_rec must be [Nhid, Nhid] but is ["
                            << rec[0] << ", " << rec[1] << "]";
  int64_t nHid = rec[0];
  if (in[1] > nHid)
    return op.emitOpError() << "weights_in reaches " << in[1]
                            << " hidden neurons but there are " << nHid;
  if (out[0] > nHid)
    return op.emitOpError() << "weights_out reads " << out[0]
                            << " hidden neurons but there are " << nHid;
  if (getSignalShape(op.getInput().getType()).size() != 1 ||
      getSignalShape(op.getType()).size() != 1)
    return op.emitOpError() << "input and result must be 1-d (channels)";
  if (getSignalSize(op.getInput()) != in[0])
    return op.emitOpError() << "weights_in has " << in[0]
                            << " input channels but the input has "
                            << getSignalSize(op.getInput());
  if (getSignalSize(op.getType()) != out[1])
    return op.emitOpError() << "weights_out has " << out[1]
                            << " output neurons but the result has "
                            << getSignalSize(op.getType());
  return success();
}

} // namespace

LogicalResult XyloOp::verify() {
  int64_t version = getVersionAttr().getInt();
  if (version != 1 && version != 2)
    return emitOpError() << "version must be 1 or 2 (xylosim's cores) but is "
                         << version;
  if (failed(checkShapes(*this)))
    return failure();
  Operation *o = getOperation();
  if (failed(checkInt8(o, "weights_in", getWeightsIn())) ||
      failed(checkInt8(o, "weights_rec", getWeightsRec())) ||
      failed(checkInt8(o, "weights_out", getWeightsOut())) ||
      failed(checkShift(o, "weight_shift_in", getWeightShiftIn())) ||
      failed(checkShift(o, "weight_shift_rec", getWeightShiftRec())) ||
      failed(checkShift(o, "weight_shift_out", getWeightShiftOut())))
    return failure();
  int64_t nHid = getNumHidden(), nOut = getSignalSize(getType());
  SmallVector<int64_t, 1> hidden{nHid}, outputs{nOut};
  const char *dash = "4-bit dashes";
  const char *i16 = "int16";
  struct Check {
    StringRef name;
    Attribute attr;
    ArrayRef<int64_t> shape;
    int64_t min, max;
    const char *what;
  } checks[] = {
      {"dash_mem", getDashMemAttr(), hidden, 0, 15, dash},
      {"dash_syn", getDashSynAttr(), hidden, 0, 15, dash},
      {"dash_syn_2", getDashSyn_2Attr(), hidden, 0, 15, dash},
      {"threshold", getThresholdAttr(), hidden, -32768, 32767, i16},
      {"bias", getBiasAttr(), hidden, -32768, 32767, i16},
      {"dash_mem_out", getDashMemOutAttr(), outputs, 0, 15, dash},
      {"dash_syn_out", getDashSynOutAttr(), outputs, 0, 15, dash},
      {"threshold_out", getThresholdOutAttr(), outputs, -32768, 32767, i16},
      {"bias_out", getBiasOutAttr(), outputs, -32768, 32767, i16}};
  for (const Check &c : checks)
    if (c.attr && failed(verifyIntParam(o, c.name, c.attr, c.shape, c.min,
                                        c.max, c.what)))
      return failure();
  if (version == 1 &&
      (failed(checkNoBias(*this, "bias", getBiasAttr(), nHid)) ||
       failed(checkNoBias(*this, "bias_out", getBiasOutAttr(), nOut))))
    return failure();
  return checkAliases(*this, nHid);
}

//===- SNNHWOps.cpp - snnhw ops and their verifiers -----------------------===//
//
// The verifiers make every table self-consistent, so that the image writer
// and the emulator can index them without checks of their own: slices cover
// the output in order on declared cores, synapse tables are sorted by source
// with targets in range and weights within their width.
//
//===----------------------------------------------------------------------===//

#include "SNNHW/IR/SNNHWOps.h"
#include "SNN/IR/SNNParams.h"
#include "Target/Target.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using snn::getSignalSize;
using snn::isSpikes;
using namespace snn::hw;

#include "SNNHW/IR/SNNHWDialect.cpp.inc"
#include "SNNHW/IR/SNNHWEnums.cpp.inc"

void SNNHWDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "SNNHW/IR/SNNHWOps.cpp.inc"
      >();
}

#define GET_OP_CLASSES
#include "SNNHW/IR/SNNHWOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Chip
//===----------------------------------------------------------------------===//

ParseResult ChipOp::parse(OpAsmParser &parser, OperationState &result) {
  return snn::parseGraphOp(parser, result);
}

void ChipOp::print(OpAsmPrinter &p) { snn::printGraphOp(p, *this); }

void ChipOp::getAsmBlockArgumentNames(Region &region,
                                      OpAsmSetValueNameFn setNameFn) {
  for (auto [arg, name] : llvm::zip(region.getArguments(),
                                    getInputNames().getAsRange<StringAttr>()))
    setNameFn(arg, name.getValue());
}

RegionKind ChipOp::getRegionKind(unsigned) { return RegionKind::Graph; }

OutputOp ChipOp::getOutputOp() {
  return dyn_cast<OutputOp>(getBodyBlock().getTerminator());
}

namespace {
/// The cores and splits of a sliced op, checked against its output size.
LogicalResult verifySlices(Operation *op, ArrayRef<int64_t> cores,
                           ArrayRef<int64_t> splits, int64_t size) {
  if (cores.empty())
    return op->emitOpError() << "runs on no core";
  if (splits.size() != cores.size() + 1)
    return op->emitOpError() << "has " << cores.size() << " cores but "
                             << splits.size()
                             << " splits; splits must have one more entry";
  if (splits.front() != 0 || splits.back() != size)
    return op->emitOpError() << "splits must run from 0 to the output size "
                             << size;
  for (size_t k = 1; k < splits.size(); ++k)
    if (splits[k] <= splits[k - 1])
      return op->emitOpError() << "splits must increase; slice " << k - 1
                               << " is empty";
  return success();
}
} // namespace

LogicalResult ChipOp::verify() {
  ArrayRef<int64_t> mesh = getMesh();
  if (mesh.size() != 2 || mesh[0] < 1 || mesh[1] < 1)
    return emitOpError() << "mesh must be [width, height], both positive";
  FunctionType type = getFunctionType();
  if (type.getNumInputs() != getInputNames().size() ||
      type.getNumResults() != getOutputNames().size())
    return emitOpError() << "needs one name per input and output";
  if (!snn::target::isCycleModel(getCycleModel()))
    return emitOpError() << "cycle_model must be \"per-event\" or "
                            "\"xylo-analytic\", got \""
                         << getCycleModel() << "\"";
  for (NamedAttribute entry : getCost())
    if (!isa<FloatAttr>(entry.getValue()))
      return emitOpError() << "cost '" << entry.getName().str()
                           << "' must be a number";
  llvm::DenseSet<int64_t> cores, positions;
  for (CoreOp core : getBodyBlock().getOps<CoreOp>()) {
    int64_t x = core.getX(), y = core.getY();
    if (x < 0 || y < 0 || x >= mesh[0] || y >= mesh[1])
      return core.emitOpError() << "at (" << x << ", " << y
                                << ") is outside the " << mesh[0] << "x"
                                << mesh[1] << " mesh";
    if (!cores.insert(core.getId()).second)
      return core.emitOpError() << "core " << core.getId() << " is declared twice";
    // A system of chips (docs/scale-out.md): positions are per chip.
    int64_t chip = 0;
    if (auto attr = core->getAttrOfType<IntegerAttr>("chip"))
      chip = attr.getInt();
    if (chip < 0 || chip >= (int64_t(1) << 12))
      return core.emitOpError() << "chip " << chip << " is outside [0, 4096)";
    if (!positions.insert((chip * mesh[1] + y) * mesh[0] + x).second)
      return core.emitOpError() << "two cores at (" << x << ", " << y << ")"
                                << (chip ? " on chip " + std::to_string(chip)
                                         : std::string());
  }
  WalkResult walk = getBodyBlock().walk([&](Operation *op) {
    auto check = [&](ArrayRef<int64_t> used) {
      for (int64_t c : used)
        if (c >= 0 && !cores.contains(c)) {
          op->emitOpError() << "uses core " << c << ", which is not declared";
          return WalkResult::interrupt();
        }
      return WalkResult::advance();
    };
    return llvm::TypeSwitch<Operation *, WalkResult>(op)
        .Case<SynapsesOp, NeuronsOp, XyloOp>(
            [&](auto o) { return check(o.getCores()); })
        .Case<RouteOp>([&](RouteOp o) {
          SmallVector<int64_t> all(o.getTo());
          all.push_back(o.getFrom());
          return check(all);
        })
        .Default([](Operation *) { return WalkResult::advance(); });
  });
  return failure(walk.wasInterrupted());
}

//===----------------------------------------------------------------------===//
// Tables
//===----------------------------------------------------------------------===//

LogicalResult SynapsesOp::verify() {
  int64_t rows = getSignalSize(getOutput()), cols = getSignalSize(getInput());
  if (failed(verifySlices(*this, getCores(), getSplits(), rows)))
    return failure();
  if (getWeightBits() < 2 || getWeightBits() > 16)
    return emitOpError() << "weight_bits must be in [2, 16]";
  if (getAccBits() < 2 || getAccBits() > 64)
    return emitOpError() << "acc_bits must be in [2, 64]";
  // A negative exponent shifts the sum right (floor), as snn.qlinear's.
  // (I64Attr's getter is unsigned.)
  int64_t weightExp = int64_t(getWeightExp());
  if (weightExp < -24 || weightExp > 30)
    return emitOpError() << "weight_exp must be in [-24, 30]";
  if (getOffsets().getNumElements() != cols + 1)
    return emitOpError() << "needs " << cols + 1
                         << " offsets (one per input element and the end), has "
                         << getOffsets().getNumElements();
  std::vector<int64_t> offsets = snn::intValues(getOffsets());
  int64_t count = getTargets().getNumElements();
  if (getWeights().getNumElements() != count)
    return emitOpError() << "has " << count << " targets but "
                         << getWeights().getNumElements() << " weights";
  if (offsets.front() != 0 || offsets.back() != count)
    return emitOpError() << "offsets must run from 0 to the number of synapses "
                         << count;
  for (int64_t j = 0; j < cols; ++j)
    if (offsets[j + 1] < offsets[j])
      return emitOpError() << "offsets decrease at input element " << j;
  std::vector<int64_t> targets = snn::intValues(getTargets());
  for (int64_t k = 0; k < count; ++k)
    if (targets[k] < 0 || targets[k] >= rows)
      return emitOpError() << "synapse " << k << " targets output element "
                           << targets[k] << " of " << rows;
  int64_t limit = snn::signedMax(getWeightBits());
  std::vector<int64_t> weights = snn::intValues(getWeights());
  for (int64_t k = 0; k < count; ++k)
    if (weights[k] < -limit || weights[k] > limit)
      return emitOpError() << "weight " << weights[k] << " of synapse " << k
                           << " needs more than " << getWeightBits() << " bits";
  if (getBias() && getBias()->getNumElements() != rows)
    return emitOpError() << "needs one bias per output element (" << rows
                         << "), has " << getBias()->getNumElements();
  return success();
}

LogicalResult NeuronsOp::verify() {
  int64_t n = getSignalSize(getOutput());
  if (getSignalSize(getInput()) != n)
    return emitOpError() << "input has " << getSignalSize(getInput())
                         << " elements, output " << n;
  return verifySlices(*this, getCores(), getSplits(), n);
}

LogicalResult XyloOp::verify() {
  if (failed(verifySlices(*this, getCores(), getSplits(),
                          getSignalSize(getOutput()))))
    return failure();
  if (getCores().size() != 1)
    return emitOpError() << "a Xylo core runs on one core, not "
                         << getCores().size();
  // The shapes the image and the emulator index by; values are checked
  // when the image is written (as snn.xylo's verifier checks them).
  DictionaryAttr core = getCore();
  auto weights = [&](StringRef key) {
    return core.getAs<DenseIntElementsAttr>(key);
  };
  auto in = weights("weights_in"), rec = weights("weights_rec"),
       out = weights("weights_out");
  if (!core.getAs<IntegerAttr>("version") || !in || !rec || !out)
    return emitOpError() << "core needs snn.xylo's version, weights_in, "
                            "weights_rec and weights_out";
  auto inType = in.getType(), recType = rec.getType(), outType = out.getType();
  if (inType.getRank() < 2 || recType.getRank() < 2 || outType.getRank() != 2 ||
      inType.getDimSize(0) != getSignalSize(getInput()) ||
      outType.getDimSize(1) != getSignalSize(getOutput()) ||
      recType.getDimSize(0) != recType.getDimSize(1) ||
      inType.getDimSize(1) > recType.getDimSize(0) ||
      outType.getDimSize(0) > recType.getDimSize(0))
    return emitOpError() << "core's weights do not match its input ("
                         << getSignalSize(getInput()) << ") and output ("
                         << getSignalSize(getOutput()) << ") sizes";
  return success();
}

LogicalResult DelayOp::verify() {
  int64_t n = getSignalSize(getOutput());
  if (getSignalSize(getInput()) != n || getInput().getType() != getType())
    return emitOpError() << "must keep its input's type";
  if (getSteps().size() != 1 && int64_t(getSteps().size()) != n)
    return emitOpError() << "needs one delay or one per element";
  for (int64_t d : getSteps())
    if (d < 1)
      return emitOpError() << "delays must be at least one step, got " << d;
  return success();
}

LogicalResult ReshapeOp::verify() {
  if (getSignalSize(getInput()) != getSignalSize(getOutput()) ||
      isSpikes(getInput().getType()) != isSpikes(getOutput().getType()))
    return emitOpError() << "must keep the number and kind of elements";
  return success();
}

LogicalResult RouteOp::verify() {
  if (getTo().size() != getHops().size())
    return emitOpError() << "needs one hop count per destination";
  if (getTo().empty())
    return emitOpError() << "has no destination";
  return success();
}

//===- Lower.cpp - a quantized network as chip tables ---------------------===//

#include "Map/Lower.h"
#include "Map/SynapseTable.h"
#include "SNN/IR/SNNDiscrete.h"
#include "SNN/IR/SNNIntegerUnits.h"
#include "SNN/IR/SNNParams.h"
#include "Sim/Schedule.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;

namespace snn::map {

namespace {

/// Bits a signed weight of magnitude up to `max` needs (symmetric range).
int64_t bitsFor(int64_t max) {
  int64_t bits = 2;
  while (signedMax(bits) < max)
    ++bits;
  return bits;
}

struct Lowering {
  NetworkOp network;
  const target::Target &target;
  OpBuilder b;
  IRMapping mapped;
  /// Placeholders for values used before they are defined (recurrence).
  llvm::DenseMap<Value, Value> pending;
  /// The table of each pooling op lowered so far, for folding.
  llvm::DenseMap<Operation *, SynapseTable> poolTables;

  Lowering(NetworkOp network, const target::Target &target)
      : network(network), target(target), b(network) {}

  Value lookup(Value v) {
    if (Value m = mapped.lookupOrNull(v))
      return m;
    Value &slot = pending[v];
    if (!slot)
      slot = b.create<UnrealizedConversionCastOp>(network.getLoc(),
                                                  v.getType(), ValueRange{})
                 .getResult(0);
    return slot;
  }

  Attribute unitOf(Value v) {
    std::vector<double> unit = *integerUnit(v);
    if (unit.size() == 1)
      return b.getF64FloatAttr(unit[0]);
    return paramAttr(b, unit, getSignalShape(v.getType()));
  }

  Value synapses(Operation *op, Value input, const SynapseTable &t,
                 int64_t weightBits, int64_t weightExp, int64_t accBits,
                 Overflow overflow, std::optional<std::vector<int64_t>> bias) {
    int64_t maxWeight = 0;
    for (int64_t w : t.weights)
      maxWeight = std::max(maxWeight, std::abs(w));
    weightBits = std::max(weightBits, bitsFor(maxWeight));
    int64_t rows = t.rows;
    auto result = b.create<hw::SynapsesOp>(
        op->getLoc(), op->getResult(0).getType(), lookup(input),
        hw::SynapseFormat::dense, weightBits, weightExp, accBits, overflow,
        intTensorAttr(b, t.offsets, 32), intTensorAttr(b, t.targets, 32),
        intTensorAttr(b, t.weights, 32),
        bias ? intTensorAttr(b, *bias, 64) : DenseIntElementsAttr(),
        unitOf(op->getResult(0)), b.getDenseI64ArrayAttr({0}),
        b.getDenseI64ArrayAttr({0, rows}), nodeKey(op));
    return result;
  }

  /// The source a projection's table starts from once the pooling and
  /// reshapes in front of it (used by it alone) are folded in.
  Value foldInput(Value input, SynapseTable &table) {
    while (Operation *def = input.getDefiningOp()) {
      if (!input.hasOneUse())
        break;
      if (isa<FlattenOp>(def)) {
        input = def->getOperand(0);
        continue;
      }
      auto pool = dyn_cast<SumPool2dOp>(def);
      if (!pool)
        break;
      table = compose(poolTables.at(pool), table);
      input = pool.getInput();
    }
    return input;
  }

  LogicalResult lowerOp(Operation *op);
  FailureOr<hw::ChipOp> run();
};

LogicalResult Lowering::lowerOp(Operation *op) {
  Location loc = op->getLoc();
  Type type = op->getNumResults() ? op->getResult(0).getType() : Type();
  Value result;
  bool ok = true;
  llvm::TypeSwitch<Operation *>(op)
      .Case<QuantizeOp>([&](QuantizeOp o) {
        result = b.create<hw::QuantizeOp>(loc, type, lookup(o.getInput()),
                                          o.getScale(), o.getBitsAttr(),
                                          b.getStringAttr(nodeKey(op)));
      })
      .Case<QLinearOp>([&](QLinearOp o) {
        SynapseTable t = tableOfLinear(o);
        int64_t rows = o.getWeight().getType().getDimSize(0);
        std::optional<std::vector<int64_t>> bias;
        if (o.getBiasAttr()) {
          std::vector<int64_t> perRow = intValues(o.getBiasAttr());
          bias.emplace();
          for (int64_t k = 0; k < t.rows; ++k)
            bias->push_back(perRow[k % rows]);
        }
        Value input = foldInput(o.getInput(), t);
        result = synapses(op, input, t, o.getWeightBits(),
                          o.getWeightExp().value_or(0), o.getAccBits(),
                          o.getOverflow(), bias);
      })
      .Case<QSparseOp>([&](QSparseOp o) {
        SynapseTable t = tableOfSparse(o);
        std::optional<std::vector<int64_t>> bias;
        if (o.getBiasAttr())
          bias = intValues(o.getBiasAttr());
        Value input = foldInput(o.getInput(), t);
        result = synapses(op, input, t, o.getWeightBits(),
                          o.getWeightExp().value_or(0), o.getAccBits(),
                          o.getOverflow(), bias);
      })
      .Case<QConv1dOp, QConv2dOp>([&](auto o) {
        SynapseTable t = tableOfConv(op);
        std::optional<std::vector<int64_t>> bias;
        if (o.getBiasAttr()) {
          std::vector<int64_t> perChannel = intValues(o.getBiasAttr());
          int64_t pixels = t.rows / int64_t(perChannel.size());
          bias.emplace();
          for (int64_t k = 0; k < t.rows; ++k)
            bias->push_back(perChannel[k / pixels]);
        }
        Value input = foldInput(o.getInput(), t);
        result = synapses(op, input, t, o.getWeightBits(),
                          o.getWeightExp().value_or(0), o.getAccBits(),
                          o.getOverflow(), bias);
      })
      .Case<SumPool2dOp>([&](SumPool2dOp o) {
        SynapseTable t = tableOfSumPool(o);
        poolTables[op] = t;
        // Sums of integers are exact: a 64-bit accumulator never narrows.
        result = synapses(op, o.getInput(), t, 2, 0, 64, Overflow::Saturate,
                          std::nullopt);
      })
      .Case<FlattenOp>([&](FlattenOp o) {
        result = b.create<hw::ReshapeOp>(loc, type, lookup(o.getInput()),
                                         nodeKey(op));
      })
      .Case<SumOp>([&](SumOp o) {
        SmallVector<Value> inputs;
        for (Value v : o.getInputs())
          inputs.push_back(lookup(v));
        result = b.create<hw::SumOp>(loc, type, inputs, nodeKey(op));
      })
      .Case<DelayOp>([&](DelayOp o) {
        FailureOr<std::vector<int64_t>> steps =
            delayInSteps(o, network.getDt().convertToDouble());
        if (failed(steps)) {
          ok = false;
          return;
        }
        if (llvm::all_equal(*steps))
          steps->resize(1);
        result = b.create<hw::DelayOp>(loc, type, lookup(o.getInput()),
                                       b.getDenseI64ArrayAttr(*steps),
                                       nodeKey(op));
      })
      .Case<QNeuronOp>([&](QNeuronOp o) {
        OperationState state(loc, hw::NeuronsOp::getOperationName());
        state.addOperands(lookup(o.getInput()));
        state.addTypes(type);
        state.addAttributes(op->getAttrDictionary().getValue());
        state.attributes.set("name", b.getStringAttr(nodeKey(op)));
        state.attributes.set("cores", b.getDenseI64ArrayAttr({0}));
        state.attributes.set(
            "splits", b.getDenseI64ArrayAttr({0, getSignalSize(type)}));
        result = b.create(state)->getResult(0);
      })
      .Default([&](Operation *other) {
        other->emitError() << describeOp(other)
                           << " has no chip form; run snn-quantize first, or "
                              "move it to the host";
        ok = false;
      });
  if (!ok)
    return failure();
  mapped.map(op->getResult(0), result);
  return success();
}

FailureOr<hw::ChipOp> Lowering::run() {
  network.getContext()->loadDialect<hw::SNNHWDialect>();
  FailureOr<sim::Schedule> plan = sim::schedule(network);
  if (failed(plan))
    return failure();
  hw::ChipOp chip = createEmptyChip(b, network, target);
  Block *body = &chip.getBody().front();
  for (BlockArgument arg : network.getBodyBlock().getArguments())
    mapped.map(arg, body->addArgument(arg.getType(), arg.getLoc()));
  b.setInsertionPointToStart(body);
  for (Operation *op : plan->order)
    if (failed(lowerOp(op))) {
      chip.erase();
      return failure();
    }
  SmallVector<Value> outputs;
  for (Value v : network.getOutputOp().getOutputs())
    outputs.push_back(lookup(v));
  b.create<hw::OutputOp>(network.getLoc(), outputs);
  for (auto &[original, placeholder] : pending) {
    placeholder.replaceAllUsesWith(mapped.lookup(original));
    placeholder.getDefiningOp()->erase();
  }
  // Pooling and reshapes folded into every reader are gone from the chip.
  bool erased = true;
  while (erased) {
    erased = false;
    for (Operation &op : llvm::make_early_inc_range(*body))
      if (isa<hw::SynapsesOp, hw::ReshapeOp>(op) && op.use_empty()) {
        op.erase();
        erased = true;
      }
  }
  return chip;
}

} // namespace

FailureOr<hw::ChipOp> lowerToChip(NetworkOp network,
                                  const target::Target &target) {
  return Lowering(network, target).run();
}

hw::ChipOp createEmptyChip(OpBuilder &b, NetworkOp network,
                           const target::Target &target) {
  llvm::SmallVector<NamedAttribute> costs;
  for (const auto &[key, value] : target.cost)
    costs.push_back(b.getNamedAttr(key, b.getF64FloatAttr(value)));
  if (target.clockMHz > 0)
    costs.push_back(
        b.getNamedAttr("clock_mhz", b.getF64FloatAttr(target.clockMHz)));
  auto chip = b.create<hw::ChipOp>(
      network.getLoc(), network.getSymName(), network.getFunctionType(),
      network.getInputNames(), network.getOutputNames(), target.name,
      b.getDenseI64ArrayAttr({target.meshWidth, target.meshHeight}),
      b.getDictionaryAttr(costs), target.cycleModel, network.getDt());
  chip.getBody().push_back(new Block());
  return chip;
}

} // namespace snn::map

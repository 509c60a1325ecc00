//===- Schedule.cpp - the order in which an engine runs a network ---------===//

#include "Sim/Schedule.h"
#include "Shape/ShapeInference.h"

using namespace mlir;

namespace snn::sim {


void NodeInfo::describe(Operation *op, const Schedule &schedule) {
  opName = op->getName().getStringRef().str();
  if (auto attr = op->getAttrOfType<StringAttr>("name"))
    name = attr.getValue().str();
  for (Value operand : op->getOperands())
    inputs.push_back(schedule.valueIndex.lookup(operand));
  output = schedule.valueIndex.lookup(op->getResult(0));
  size = getSignalSize(op->getResult(0));
  spikes = isSpikes(op->getResult(0).getType());
  stats.name = name.empty() ? opName : name;
  stats.op = opName;
  stats.key = nodeKey(op);
  stats.spikes = spikes;
  stats.neurons = size;
}

bool weightFitsDense(Operation *op, std::string &error) {
  auto weight = op->getAttrOfType<ElementsAttr>("weight");
  if (!weight)
    return true;
  ArrayRef<int64_t> shape = cast<ShapedType>(weight.getType()).getShape();
  std::optional<int64_t> n = limits::checkedProduct(shape);
  if (n && *n <= limits::kMaxDenseElements)
    return true;
  error = describeOp(op) + ": a weight of shape " +
          shape::toString(shape::Shape(shape.begin(), shape.end())) +
          " is more than the " + std::to_string(limits::kMaxDenseElements) +
          " elements an engine holds dense";
  return false;
}

std::optional<Schedule> schedule(NetworkOp network, std::string &error) {
  Schedule result;
  Block &body = network.getBodyBlock();
  for (BlockArgument arg : body.getArguments()) {
    result.valueIndex[arg] = result.numValues++;
    result.inputs.push_back(arg);
  }
  SmallVector<Operation *> ops;
  for (Operation &op : body.without_terminator()) {
    result.valueIndex[op.getResult(0)] = result.numValues++;
    ops.push_back(&op);
  }
  llvm::DenseMap<Operation *, int> pending;
  llvm::DenseMap<Operation *, SmallVector<Operation *>> users;
  for (Operation *op : ops) {
    pending[op] = 0;
    for (Value operand : op->getOperands()) {
      Operation *def = operand.getDefiningOp();
      if (!def || isa<DelayOp>(def))
        continue;
      ++pending[op];
      users[def].push_back(op);
    }
  }
  std::vector<Operation *> &order = result.order;
  for (Operation *op : ops)
    if (pending[op] == 0)
      order.push_back(op);
  for (size_t next = 0; next < order.size(); ++next)
    for (Operation *user : users[order[next]])
      if (--pending[user] == 0)
        order.push_back(user);
  if (order.size() != ops.size()) {
    error = "the network has a cycle without a delay (run the verifier)";
    return std::nullopt;
  }
  return result;
}

} // namespace snn::sim

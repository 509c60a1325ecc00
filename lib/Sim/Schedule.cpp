//===- Schedule.cpp - the order in which an engine runs a network ---------===//

#include "Sim/Schedule.h"
#include "Shape/ShapeInference.h"

#include "mlir/IR/Diagnostics.h"

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

LogicalResult weightFitsDense(Operation *op) {
  auto weight = op->getAttrOfType<ElementsAttr>("weight");
  if (!weight)
    return success();
  ArrayRef<int64_t> shape = cast<ShapedType>(weight.getType()).getShape();
  std::optional<int64_t> n = limits::checkedProduct(shape);
  if (n && *n <= limits::kMaxDenseElements)
    return success();
  // The op's name leads, as in the engines' other errors.
  return op->emitError()
         << describeOp(op) << ": a weight of shape "
         << shape::toString(shape::Shape(shape.begin(), shape.end()))
         << " is more than the " << limits::kMaxDenseElements
         << " elements an engine holds dense";
}

/// "file:line:col: " of the first file location inside `loc`, or nothing:
/// collected errors keep the place a printed diagnostic would have shown.
static std::string filePrefix(Location loc) {
  std::string prefix;
  loc->walk([&](Location inner) {
    auto file = dyn_cast<FileLineColLoc>(inner);
    if (!file)
      return WalkResult::advance();
    prefix = (file.getFilename().str() + ":" + Twine(file.getLine()) + ":" +
              Twine(file.getColumn()) + ": ")
                 .str();
    return WalkResult::interrupt();
  });
  return prefix;
}

llvm::Error emittedError() {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), "");
}

llvm::Error buildEngine(NetworkOp network,
                        llvm::function_ref<llvm::Error()> build) {
  std::string emitted;
  llvm::Error built = [&] {
    ScopedDiagnosticHandler collect(
        network->getContext(), [&](Diagnostic &diag) {
          if (diag.getSeverity() != DiagnosticSeverity::Error)
            return failure(); // notes and warnings go on as usual
          emitted += (emitted.empty() ? "" : "; ") +
                     filePrefix(diag.getLocation()) + diag.str();
          return success();
        });
    return build();
  }();
  if (!built)
    return llvm::Error::success();
  std::string message = llvm::toString(std::move(built));
  if (message.empty() && emitted.empty())
    message = "the engine cannot run the network";
  return llvm::createStringError(
      message + (message.empty() || emitted.empty() ? "" : ": ") + emitted);
}

FailureOr<Schedule> schedule(NetworkOp network) {
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
    Operation *left = *llvm::find_if(
        ops, [&](Operation *op) { return pending[op] != 0; });
    left->emitOpError(
        "is on or after a cycle without a delay (run the verifier)");
    return failure();
  }
  return result;
}

} // namespace snn::sim

//===- SNNNetwork.cpp - the network op and its graph checks ---------------===//
//
// The network body is a graph region. Besides the usual structural checks,
// the verifier proves that every cycle is broken by an snn.delay, because only
// then does each step have one well-defined evaluation order
// (docs/semantics.md, "Cycles").
//
//===----------------------------------------------------------------------===//

#include "SNN/IR/SNNOps.h"
#include "SNN/IR/SNNParams.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringSet.h"

#include <cmath>
#include <deque>

using namespace mlir;
using namespace snn;

//===----------------------------------------------------------------------===//
// Assembly format
//===----------------------------------------------------------------------===//

ParseResult snn::parseGraphOp(OpAsmParser &parser, OperationState &result) {
  Builder &b = parser.getBuilder();
  StringAttr symName;
  if (parser.parseSymbolName(symName, SymbolTable::getSymbolAttrName(),
                             result.attributes))
    return failure();

  SmallVector<OpAsmParser::Argument> inputs;
  if (parser.parseArgumentList(inputs, OpAsmParser::Delimiter::Paren,
                               /*allowType=*/true))
    return failure();
  SmallVector<Attribute> inputNames;
  SmallVector<Type> inputTypes;
  for (OpAsmParser::Argument &arg : inputs) {
    inputNames.push_back(b.getStringAttr(arg.ssaName.name.drop_front()));
    inputTypes.push_back(arg.type);
  }

  SmallVector<Attribute> outputNames;
  SmallVector<Type> outputTypes;
  if (parser.parseArrow() ||
      parser.parseCommaSeparatedList(
          OpAsmParser::Delimiter::Paren, [&]() -> ParseResult {
            std::string name;
            Type type;
            if (parser.parseKeywordOrString(&name) ||
                parser.parseColonType(type))
              return failure();
            outputNames.push_back(b.getStringAttr(name));
            outputTypes.push_back(type);
            return success();
          }))
    return failure();

  result.addAttribute("function_type",
                      TypeAttr::get(b.getFunctionType(inputTypes, outputTypes)));
  result.addAttribute("input_names",
                      b.getArrayAttr(inputNames));
  result.addAttribute("output_names",
                      b.getArrayAttr(outputNames));
  if (parser.parseOptionalAttrDictWithKeyword(result.attributes))
    return failure();

  Region *body = result.addRegion();
  return parser.parseRegion(*body, inputs);
}

void snn::printGraphOp(OpAsmPrinter &p, Operation *op) {
  auto symName = op->getAttrOfType<StringAttr>(SymbolTable::getSymbolAttrName());
  auto type = cast<FunctionType>(
      op->getAttrOfType<TypeAttr>("function_type").getValue());
  auto outputNames = op->getAttrOfType<ArrayAttr>("output_names");
  Region &body = op->getRegion(0);
  p << ' ';
  p.printSymbolName(symName.getValue());
  p << '(';
  llvm::interleaveComma(body.getArguments(), p,
                        [&](BlockArgument arg) { p.printRegionArgument(arg); });
  p << ") -> (";
  llvm::interleaveComma(
      llvm::zip(outputNames, type.getResults()), p,
      [&](auto pair) {
        p.printKeywordOrString(cast<StringAttr>(std::get<0>(pair)).getValue());
        p << ": " << std::get<1>(pair);
      });
  p << ')';
  p.printOptionalAttrDictWithKeyword(
      op->getAttrs(), {SymbolTable::getSymbolAttrName(), "function_type",
                      "input_names", "output_names"});
  p << ' ';
  p.printRegion(body, /*printEntryBlockArgs=*/false,
                /*printBlockTerminators=*/true);
}

ParseResult NetworkOp::parse(OpAsmParser &parser, OperationState &result) {
  return parseGraphOp(parser, result);
}

void NetworkOp::print(OpAsmPrinter &p) { printGraphOp(p, *this); }

void NetworkOp::getAsmBlockArgumentNames(Region &region,
                                         OpAsmSetValueNameFn setNameFn) {
  for (auto [arg, name] :
       llvm::zip(region.getArguments(), getInputNames().getAsRange<StringAttr>()))
    setNameFn(arg, name.getValue());
}

RegionKind NetworkOp::getRegionKind(unsigned) { return RegionKind::Graph; }

OutputOp NetworkOp::getOutputOp() {
  return dyn_cast<OutputOp>(getBodyBlock().getTerminator());
}

//===----------------------------------------------------------------------===//
// Structural verification
//===----------------------------------------------------------------------===//

namespace {
LogicalResult checkUniqueNames(Operation *op, ArrayAttr names, StringRef what) {
  llvm::StringSet<> seen;
  for (auto name : names.getAsRange<StringAttr>())
    if (!seen.insert(name.getValue()).second)
      return op->emitOpError()
             << what << " name '" << name.getValue() << "' appears twice";
  return success();
}
} // namespace

LogicalResult NetworkOp::verify() {
  FunctionType type = getFunctionType();
  if (type.getNumInputs() != getInputNames().size())
    return emitOpError() << "has " << type.getNumInputs() << " inputs but "
                         << getInputNames().size() << " input names";
  if (type.getNumResults() != getOutputNames().size())
    return emitOpError() << "has " << type.getNumResults() << " outputs but "
                         << getOutputNames().size() << " output names";
  for (Type t : llvm::concat<const Type>(type.getInputs(), type.getResults()))
    if (!isa<SpikesType, ValuesType>(t))
      return emitOpError() << "inputs and outputs must be !snn.spikes or "
                              "!snn.values, got "
                           << t;
  double dt = getDt().convertToDouble();
  if (!(dt > 0) || !std::isfinite(dt))
    return emitOpError() << "dt must be a positive number of seconds, got "
                         << dt;
  if (failed(checkUniqueNames(*this, getInputNames(), "input")) ||
      failed(checkUniqueNames(*this, getOutputNames(), "output")))
    return failure();
  return success();
}

LogicalResult OutputOp::verify() {
  auto network = cast<NetworkOp>((*this)->getParentOp());
  ArrayRef<Type> expected = network.getFunctionType().getResults();
  if (getOutputs().size() != expected.size())
    return emitOpError() << "returns " << getOutputs().size()
                         << " values but the network declares "
                         << expected.size() << " outputs";
  for (auto [i, pair] : llvm::enumerate(llvm::zip(getOutputs(), expected))) {
    Type actual = std::get<0>(pair).getType();
    if (actual != std::get<1>(pair))
      return emitOpError() << "output " << i << " ('"
                           << cast<StringAttr>(network.getOutputNames()[i])
                                  .getValue()
                           << "') is " << actual << " but the network declares "
                           << std::get<1>(pair);
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Cycle checks
//===----------------------------------------------------------------------===//

namespace {

/// Whether `op` is a delay of at least one step for every neuron: only then
/// does its output in step t not depend on its input in t. (A delay in
/// seconds shorter than half a step is 0 steps.)
bool breaksCycles(Operation *op, double dt) {
  auto delay = dyn_cast<DelayOp>(op);
  if (!delay)
    return false;
  if (Attribute steps = delay.getStepsAttr())
    return llvm::all_of(IntParam(steps).stored(),
                        [](int64_t d) { return d >= 1; });
  return llvm::all_of(NeuronParam(delay.getDelayAttr()).stored(),
                      [&](double seconds) { return seconds / dt >= 0.5; });
}

/// The dataflow graph of a network body with the edges that leave a delay
/// removed: a delay's output in step t does not depend on its input in t.
/// A delay of 0 steps is kept as the stateless op it is.
struct StepGraph {
  SmallVector<Operation *> nodes;
  SmallVector<SmallVector<unsigned>> succs;

  StepGraph(Block &body, bool keepNeurons, double dt) {
    llvm::DenseMap<Operation *, unsigned> index;
    llvm::DenseSet<Operation *> breaking;
    for (Operation &op : body.without_terminator())
      if (breaksCycles(&op, dt))
        breaking.insert(&op);
    for (Operation &op : body.without_terminator()) {
      bool stateful = op.hasTrait<snn::OpTrait::NeuronOp>() || breaking.count(&op);
      if (!keepNeurons && stateful)
        continue;
      index[&op] = nodes.size();
      nodes.push_back(&op);
    }
    succs.resize(nodes.size());
    for (auto [to, op] : llvm::enumerate(nodes))
      for (Value operand : op->getOperands()) {
        Operation *def = operand.getDefiningOp();
        if (!def || breaking.count(def))
          continue;
        auto it = index.find(def);
        if (it != index.end())
          succs[it->second].push_back(to);
      }
  }

  /// Strongly connected components that contain a cycle (Tarjan's algorithm,
  /// iterative so that deep chains cannot overflow the stack).
  SmallVector<SmallVector<unsigned>> cyclicComponents() const {
    unsigned n = nodes.size(), counter = 0;
    SmallVector<int> order(n, -1), low(n, 0);
    SmallVector<bool> onStack(n, false);
    SmallVector<unsigned> stack;
    SmallVector<SmallVector<unsigned>> result;
    struct Frame {
      unsigned node, next;
    };
    for (unsigned root = 0; root < n; ++root) {
      if (order[root] >= 0)
        continue;
      SmallVector<Frame> dfs{{root, 0}};
      order[root] = low[root] = counter++;
      stack.push_back(root);
      onStack[root] = true;
      while (!dfs.empty()) {
        Frame &f = dfs.back();
        if (f.next < succs[f.node].size()) {
          unsigned w = succs[f.node][f.next++];
          if (order[w] < 0) {
            order[w] = low[w] = counter++;
            stack.push_back(w);
            onStack[w] = true;
            dfs.push_back({w, 0});
          } else if (onStack[w]) {
            low[f.node] = std::min(low[f.node], order[w]);
          }
          continue;
        }
        unsigned v = f.node;
        dfs.pop_back();
        if (!dfs.empty())
          low[dfs.back().node] = std::min(low[dfs.back().node], low[v]);
        if (low[v] != order[v])
          continue;
        SmallVector<unsigned> component;
        unsigned w;
        do {
          w = stack.pop_back_val();
          onStack[w] = false;
          component.push_back(w);
        } while (w != v);
        bool selfLoop = llvm::is_contained(succs[v], v);
        if (component.size() > 1 || selfLoop) {
          llvm::sort(component);
          result.push_back(std::move(component));
        }
      }
    }
    return result;
  }

  /// One concrete cycle through `start` within `component`, as a path that
  /// starts and ends there (shortest, by breadth-first search).
  SmallVector<Operation *> cycleThrough(ArrayRef<unsigned> component,
                                        unsigned start) const {
    llvm::DenseMap<unsigned, unsigned> parent;
    std::deque<unsigned> queue{start};
    parent[start] = start;
    while (!queue.empty()) {
      unsigned v = queue.front();
      queue.pop_front();
      for (unsigned w : succs[v]) {
        if (!llvm::is_contained(component, w))
          continue;
        if (w == start) {
          SmallVector<Operation *> path{nodes[start]};
          for (unsigned u = v; u != start; u = parent[u])
            path.push_back(nodes[u]);
          path.push_back(nodes[start]);
          std::reverse(path.begin(), path.end());
          return path;
        }
        if (parent.try_emplace(w, v).second)
          queue.push_back(w);
      }
    }
    return {nodes[start]};
  }
};

/// What the cycle check adds when a delay on the cycle has 0 steps.
std::string zeroDelayNote(ArrayRef<Operation *> path) {
  for (Operation *op : path)
    if (isa<DelayOp>(op))
      return "; " + describeOp(op) +
             " on it is 0 steps for some neurons and does not break it";
  return "";
}

std::string describePath(ArrayRef<Operation *> path) {
  std::string s;
  for (auto [i, op] : llvm::enumerate(path)) {
    if (i)
      s += " -> ";
    s += describeOp(op);
  }
  return s;
}

} // namespace

LogicalResult NetworkOp::verifyRegions() {
  Block &body = getBodyBlock();
  if (body.getArgumentTypes() != getFunctionType().getInputs())
    return emitOpError() << "body arguments do not match the declared inputs";

  llvm::StringMap<Operation *> names;
  for (Operation &op : body)
    if (auto name = op.getAttrOfType<StringAttr>("name")) {
      auto [it, inserted] = names.try_emplace(name.getValue(), &op);
      if (!inserted)
        return op.emitOpError() << "reuses the name '" << name.getValue()
                                << "' of another op in the network";
    }

  // A cycle of stateless ops has no value at all.
  double dt = getDt().convertToDouble();
  StepGraph stateless(body, /*keepNeurons=*/false, dt);
  for (auto &component : stateless.cyclicComponents()) {
    SmallVector<Operation *> path =
        stateless.cycleThrough(component, component.front());
    return path.front()->emitOpError()
           << "is on a combinational loop: " << describePath(path)
           << " (no neuron or delay on the cycle holds state)"
           << zeroDelayNote(path);
  }
  // A cycle through neurons but no delay has no defined order.
  StepGraph withNeurons(body, /*keepNeurons=*/true, dt);
  for (auto &component : withNeurons.cyclicComponents()) {
    // Start at the first neuron: it is what the message is about.
    unsigned start = *llvm::find_if(component, [&](unsigned node) {
      return withNeurons.nodes[node]->hasTrait<snn::OpTrait::NeuronOp>();
    });
    SmallVector<Operation *> path = withNeurons.cycleThrough(component, start);
    return path.front()->emitOpError()
           << "is on a cycle without a delay: " << describePath(path)
           << "; put an snn.delay {steps = 1} on the edge that reads the "
              "previous step"
           << zeroDelayNote(path);
  }
  return success();
}

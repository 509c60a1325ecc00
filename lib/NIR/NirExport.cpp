//===- NirExport.cpp - snn networks to NIR --------------------------------===//

#include "NIR/NirExport.h"
#include "NIR/NirPresets.h"
#include "SNN/IR/SNNLimits.h"
#include "SNN/IR/SNNParams.h"
#include "SNN/IR/SNNSparse.h"
#include "Shape/ShapeInference.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/TypeSwitch.h"

#include <set>

using namespace mlir;

namespace snn::nir {

namespace {

class Exporter {
public:
  explicit Exporter(NetworkOp network) : network(network) {
    if (auto preset = network->getAttrOfType<StringAttr>("nir_preset"))
      if (const Preset *p = findPreset(preset.getValue().str()))
        conventions = p->conventions;
    impulseIntegrators = conventions.impulseIntegrators;
    dt = network.getDt().convertToDouble();
    conventions.dt = dt;
  }

  FailureOr<Document> run();

private:
  /// A delay that only closes a cycle: NIR reads a cycle's edge from the
  /// previous step by itself.
  bool isCycleDelay(Operation *op) {
    auto delay = dyn_cast<DelayOp>(op);
    if (!delay || delay.getNameAttr() || !delay.getStepsAttr())
      return false;
    auto steps = dyn_cast<IntegerAttr>(delay.getStepsAttr());
    if (!steps || steps.getInt() != 1)
      return false;
    // On a cycle: the delay's result flows back into its own operand.
    SmallVector<Operation *> work{op};
    llvm::DenseSet<Operation *> seen;
    while (!work.empty()) {
      Operation *current = work.pop_back_val();
      for (Operation *user : current->getUsers()) {
        if (user == op)
          return true;
        if (seen.insert(user).second)
          work.push_back(user);
      }
    }
    return false;
  }

  /// Asked for every op and again for every operand: decided once per op.
  bool dissolves(Operation *op) {
    auto [it, inserted] = dissolved.try_emplace(op, false);
    if (inserted)
      it->second = isa<SumOp>(op) || isCycleDelay(op);
    return it->second;
  }

  std::string nodeName(Operation *op) {
    auto it = names.find(op);
    if (it != names.end())
      return it->second;
    std::string name;
    auto attr = op->getAttrOfType<StringAttr>("name");
    if (attr && !ports.count(attr.getValue().str())) {
      name = attr.getValue().str();
    } else {
      std::string base =
          attr ? attr.getValue().str() : op->getName().stripDialect().str();
      do
        name = base + "_" + std::to_string(counter++);
      while (used.count(name));
      used.insert(name);
    }
    return names[op] = name;
  }

  void sourcesOf(Value v, std::vector<std::string> &out,
                 llvm::DenseSet<Operation *> &visiting) {
    if (auto arg = dyn_cast<BlockArgument>(v)) {
      out.push_back(cast<StringAttr>(network.getInputNames()[arg.getArgNumber()])
                        .getValue()
                        .str());
      return;
    }
    Operation *def = v.getDefiningOp();
    if (!dissolves(def)) {
      out.push_back(nodeName(def));
      return;
    }
    if (!visiting.insert(def).second)
      return;
    for (Value operand : def->getOperands())
      sourcesOf(operand, out, visiting);
  }

  Array numbers(ArrayRef<int64_t> shape, std::vector<double> values,
                std::string dtype = "float64") {
    Array a;
    a.shape.assign(shape.begin(), shape.end());
    a.values = std::move(values);
    a.dtype = std::move(dtype);
    return a;
  }

  Array ints(std::vector<int64_t> values, bool scalar = false) {
    Array a;
    if (!scalar)
      a.shape = {static_cast<int64_t>(values.size())};
    a.values.assign(values.begin(), values.end());
    a.dtype = "int64";
    return a;
  }

  Array tensor(DenseFPElementsAttr attr) {
    std::vector<double> values;
    for (const APFloat &v : attr.getValues<APFloat>())
      values.push_back(v.convertToDouble());
    return numbers(attr.getType().getShape(), std::move(values),
                   attr.getType().getElementType().isF32() ? "float32"
                                                           : "float64");
  }

  /// A neuron parameter expanded to one value per neuron.
  Array perNeuron(Attribute attr, ArrayRef<int64_t> neurons,
                  double scale = 1.0) {
    int64_t n = shape::numElements(shape::Shape(neurons.begin(), neurons.end()));
    std::vector<double> values = NeuronParam(attr).expand(n);
    for (double &v : values)
      v *= scale;
    return numbers(neurons, std::move(values));
  }

  LogicalResult exportOp(Operation *op, Node &node);

  NetworkOp network;
  bool impulseIntegrators = false;
  Conventions conventions; // the preset's, with the network's dt
  double dt = 1.0;
  llvm::DenseMap<Operation *, std::string> names;
  llvm::DenseMap<Operation *, bool> dissolved;
  std::set<std::string> used, ports;
  unsigned counter = 0;
};

LogicalResult Exporter::exportOp(Operation *op, Node &node) {
  ArrayRef<int64_t> neurons = getSignalShape(op->getResult(0).getType());
  double integratorScale = impulseIntegrators ? dt : 1.0;
  auto spatialShape = [&](Value input) {
    ArrayRef<int64_t> s = getSignalShape(input.getType());
    return std::vector<int64_t>(s.begin() + 1, s.end());
  };
  auto addReset = [&](ResetMode mode, Attribute vReset) {
    if (mode == ResetMode::ToValue)
      node.arrays["v_reset"] = perNeuron(vReset, neurons);
  };
  // NIR stores weights dense: a huge splat would expand to gigabytes.
  if (auto weight = op->getAttrOfType<ElementsAttr>("weight");
      weight && weight.getNumElements() > limits::kMaxDenseElements)
    return op->emitOpError()
           << "has a weight of " << weight.getNumElements()
           << " elements; NIR stores weights dense and the exporter writes at "
              "most "
           << limits::kMaxDenseElements << " elements per weight";
  if (auto sparse = dyn_cast<SparseOp>(op);
      sparse && double(getSignalSize(sparse.getOutput())) *
                        double(getSignalSize(sparse.getInput())) >
                    double(limits::kMaxDenseElements))
    return op->emitOpError()
           << "holds a " << getSignalSize(sparse.getOutput()) << " x "
           << getSignalSize(sparse.getInput())
           << " sparse weight; NIR stores weights dense and the exporter "
              "writes at most "
           << limits::kMaxDenseElements << " elements per weight";
  bool ok = true;
  llvm::TypeSwitch<Operation *>(op)
      .Case<SparseOp>([&](SparseOp o) {
        // NIR has no sparse weight: the dense matrix of the same meaning.
        FloatCsr m = csrOf(o);
        std::string dtype =
            o.getValues().getType().getElementType().isF32() ? "float32"
                                                             : "float64";
        node.type = o.getBiasAttr() ? "Affine" : "Linear";
        node.arrays["weight"] = numbers({m.rows, m.cols}, m.dense(), dtype);
        if (o.getBiasAttr())
          node.arrays["bias"] = tensor(o.getBiasAttr());
      })
      .Case<AffineOp>([&](AffineOp o) {
        node.type = "Affine";
        node.arrays["weight"] = tensor(o.getWeight());
        node.arrays["bias"] = tensor(o.getBias());
      })
      .Case<LinearOp>([&](LinearOp o) {
        node.type = "Linear";
        node.arrays["weight"] = tensor(o.getWeight());
      })
      .Case<ScaleOp>([&](ScaleOp o) {
        node.type = "Scale";
        node.arrays["scale"] = perNeuron(o.getScale(), neurons);
      })
      .Case<Conv1dOp, Conv2dOp>([&](auto o) {
        node.type = isa<Conv1dOp>(op) ? "Conv1d" : "Conv2d";
        node.arrays["weight"] = tensor(o.getWeight());
        node.arrays["bias"] = tensor(o.getBias());
        node.arrays["stride"] = ints(o.getStride().vec());
        node.arrays["padding"] = ints(o.getPadding().vec());
        node.arrays["dilation"] = ints(o.getDilation().vec());
        node.arrays["groups"] = ints({o.getGroupsAttr().getInt()}, /*scalar=*/true);
        node.arrays["input_shape"] = ints(spatialShape(o.getInput()));
      })
      .Case<SumPool2dOp, AvgPool2dOp>([&](auto o) {
        node.type = isa<SumPool2dOp>(op) ? "SumPool2d" : "AvgPool2d";
        node.arrays["kernel_size"] = ints(o.getKernelSize().vec());
        node.arrays["stride"] = ints(o.getStride().vec());
        node.arrays["padding"] = ints(o.getPadding().vec());
      })
      .Case<FlattenOp>([&](FlattenOp o) {
        node.type = "Flatten";
        node.arrays["start_dim"] = ints({o.getStartDimAttr().getInt()}, true);
        node.arrays["end_dim"] = ints({o.getEndDimAttr().getInt()}, true);
        ArrayRef<int64_t> in = getSignalShape(o.getInput().getType());
        node.arrays["input_type"] = ints(std::vector<int64_t>(in.begin(), in.end()));
      })
      .Case<DelayOp>([&](DelayOp o) {
        node.type = "Delay";
        if (Attribute seconds = o.getDelayAttr()) {
          node.arrays["delay"] = perNeuron(seconds, neurons);
        } else if (auto steps = dyn_cast<IntegerAttr>(o.getStepsAttr())) {
          node.arrays["delay"] =
              perNeuron(FloatAttr::get(Float64Type::get(op->getContext()),
                                       steps.getInt() * dt),
                        neurons);
        } else {
          std::vector<double> seconds;
          for (const APInt &v :
               cast<DenseIntElementsAttr>(o.getStepsAttr()).getValues<APInt>())
            seconds.push_back(v.getSExtValue() * dt);
          node.arrays["delay"] = numbers(neurons, seconds);
        }
      })
      .Case<ThresholdOp>([&](ThresholdOp o) {
        node.type = "Threshold";
        node.arrays["threshold"] = perNeuron(o.getThreshold(), neurons);
      })
      .Case<IntegratorOp>([&](IntegratorOp o) {
        node.type = "I";
        node.arrays["r"] = perNeuron(o.getR(), neurons, integratorScale);
      })
      .Case<LIOp>([&](LIOp o) {
        node.type = "LI";
        node.arrays["tau"] = perNeuron(o.getTau(), neurons);
        node.arrays["r"] = perNeuron(o.getR(), neurons);
        node.arrays["v_leak"] = perNeuron(o.getVLeak(), neurons);
      })
      .Case<IFOp>([&](IFOp o) {
        node.type = "IF";
        node.arrays["r"] = perNeuron(o.getR(), neurons, integratorScale);
        node.arrays["v_threshold"] = perNeuron(o.getVThreshold(), neurons);
        addReset(o.getReset(), o.getVResetAttr());
      })
      .Case<LIFOp>([&](LIFOp o) {
        node.type = "LIF";
        node.arrays["tau"] = perNeuron(o.getTau(), neurons);
        node.arrays["r"] = perNeuron(
            leakyRToFile(conventions, o.getTauAttr(), o.getRAttr()), neurons);
        node.arrays["v_leak"] = perNeuron(o.getVLeak(), neurons);
        node.arrays["v_threshold"] = perNeuron(o.getVThreshold(), neurons);
        addReset(o.getReset(), o.getVResetAttr());
      })
      .Case<CubaLIOp>([&](CubaLIOp o) {
        node.type = "CubaLI";
        node.arrays["tau_syn"] = perNeuron(o.getTauSyn(), neurons);
        node.arrays["tau_mem"] = perNeuron(o.getTauMem(), neurons);
        node.arrays["r"] = perNeuron(o.getR(), neurons);
        node.arrays["v_leak"] = perNeuron(o.getVLeak(), neurons);
        node.arrays["w_in"] = perNeuron(o.getWIn(), neurons);
      })
      .Case<CubaLIFOp>([&](CubaLIFOp o) {
        node.type = "CubaLIF";
        node.arrays["tau_syn"] = perNeuron(o.getTauSyn(), neurons);
        node.arrays["tau_mem"] = perNeuron(o.getTauMem(), neurons);
        node.arrays["r"] = perNeuron(o.getR(), neurons);
        node.arrays["v_leak"] = perNeuron(o.getVLeak(), neurons);
        node.arrays["v_threshold"] = perNeuron(o.getVThreshold(), neurons);
        node.arrays["w_in"] = perNeuron(o.getWIn(), neurons);
        addReset(o.getReset(), o.getVResetAttr());
      })
      .Default([&](Operation *other) {
        other->emitOpError("has no NIR equivalent; export the network "
                           "before quantization or lowering");
        ok = false;
      });
  return success(ok);
}

FailureOr<Document> Exporter::run() {
  Document doc;
  auto version = network->getAttrOfType<StringAttr>("nir_version");
  doc.version = version ? version.getValue().str() : "1.0.0";
  Graph &graph = doc.graph;
  FunctionType type = network.getFunctionType();

  for (auto [name, t] : llvm::zip(network.getInputNames(), type.getInputs())) {
    Node node;
    node.name = cast<StringAttr>(name).getValue().str();
    node.type = "Input";
    ArrayRef<int64_t> s = getSignalShape(t);
    node.arrays["shape"] = ints(std::vector<int64_t>(s.begin(), s.end()));
    used.insert(node.name);
    graph.nodes.push_back(std::move(node));
  }
  for (auto [name, t] : llvm::zip(network.getOutputNames(), type.getResults())) {
    Node node;
    node.name = cast<StringAttr>(name).getValue().str();
    node.type = "Output";
    ArrayRef<int64_t> s = getSignalShape(t);
    node.arrays["shape"] = ints(std::vector<int64_t>(s.begin(), s.end()));
    used.insert(node.name);
    graph.nodes.push_back(std::move(node));
  }
  // Network ports keep their names; an op named like one is renamed.
  // Generated names must not take an explicit one either.
  ports = used;
  for (Operation &op : network.getBodyBlock().without_terminator())
    if (auto attr = op.getAttrOfType<StringAttr>("name"))
      used.insert(attr.getValue().str());

  auto addEdges = [&](Value operand, const std::string &to) {
    std::vector<std::string> sources;
    llvm::DenseSet<Operation *> visiting;
    sourcesOf(operand, sources, visiting);
    for (const std::string &from : sources)
      graph.edges.emplace_back(from, to);
  };
  for (Operation &op : network.getBodyBlock().without_terminator()) {
    if (dissolves(&op))
      continue;
    Node node;
    node.name = nodeName(&op);
    if (failed(exportOp(&op, node)))
      return failure();
    for (Value operand : op.getOperands())
      addEdges(operand, node.name);
    graph.nodes.push_back(std::move(node));
  }
  for (auto [value, name] :
       llvm::zip(network.getOutputOp().getOutputs(), network.getOutputNames()))
    addEdges(value, cast<StringAttr>(name).getValue().str());
  std::sort(graph.nodes.begin(), graph.nodes.end(),
            [](const Node &a, const Node &b) { return a.name < b.name; });
  return doc;
}

} // namespace

FailureOr<Document> exportNetwork(NetworkOp network) {
  return Exporter(network).run();
}

} // namespace snn::nir

//===- DesignRules.cpp - does a network fit a target, and if not why ------===//

#include "Target/DesignRules.h"
#include "Target/XyloRules.h"
#include "SNN/IR/SNNDiscrete.h"
#include "SNN/IR/SNNParams.h"
#include "Sim/Schedule.h"

#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;

namespace snn::target {

std::string Violation::message(const Target &target) const {
  return where + ": " + resource + ": needs " + needed + ", " + target.name +
         " has " + available + "; " + suggestion;
}

namespace {

/// The neuron model an op implements, in the targets' vocabulary.
std::string modelOf(Operation *op) {
  if (auto q = dyn_cast<QNeuronOp>(op)) {
    bool current = static_cast<bool>(q.getIBitsAttr());
    bool fires = static_cast<bool>(q.getVThresholdAttr());
    bool leaks = static_cast<bool>(q.getVDecayAttr());
    if (current)
      return fires ? "cuba_lif" : "cuba_li";
    return fires ? (leaks ? "lif" : "if") : (leaks ? "li" : "integrator");
  }
  if (isa<NeuronStepOp>(op)) {
    StepConstants c = *stepConstants(op, 1.0);
    bool leaks = llvm::any_of(c.vDecay, [](double a) { return a != 1.0; });
    if (c.hasCurrent)
      return c.fires ? "cuba_lif" : "cuba_li";
    return c.fires ? (leaks ? "lif" : "if") : (leaks ? "li" : "integrator");
  }
  return op->getName().stripDialect().str();
}

bool isDense(Operation *op) { return isa<AffineOp, LinearOp, QLinearOp>(op); }
bool isSparse(Operation *op) { return isa<SparseOp, QSparseOp>(op); }

/// The weight width an integer projection needs on `t`: its weight_bits
/// (symmetric), or on a two's complement target the smallest b with every
/// stored weight (`weight` of a dense matrix, `values` of compressed rows)
/// in [-2^(b-1), 2^(b-1) - 1] (Lava's -256 fits 9 bits).
int64_t weightBitsOn(Operation *op, IntegerAttr bits, const Target &t) {
  auto weight = op->getAttrOfType<DenseIntElementsAttr>(
      isSparse(op) ? "values" : "weight");
  if (!t.weightTwosComplement || !weight)
    return bits.getInt();
  int64_t lo = 0, hi = 0;
  for (const APInt &v : weight.getValues<APInt>()) {
    lo = std::min(lo, v.getSExtValue());
    hi = std::max(hi, v.getSExtValue());
  }
  int64_t b = 2;
  while (lo < -(int64_t(1) << (b - 1)) || hi > (int64_t(1) << (b - 1)) - 1)
    ++b;
  return b;
}
bool isConvLike(Operation *op) {
  return isa<Conv1dOp, Conv2dOp, QConv1dOp, QConv2dOp, SumPool2dOp,
             AvgPool2dOp>(op);
}

/// Whether a splat weight's one value is zero (none for other weights).
std::optional<bool> splatIsZero(ElementsAttr weight) {
  if (auto f = dyn_cast<DenseFPElementsAttr>(weight); f && f.isSplat())
    return f.getSplatValue<APFloat>().isZero();
  if (auto i = dyn_cast<DenseIntElementsAttr>(weight); i && i.isSplat())
    return i.getSplatValue<APInt>().isZero();
  return std::nullopt;
}

/// Non-zero elements of a weight; a splat is counted without a walk.
int64_t countNonzero(ElementsAttr weight) {
  if (std::optional<bool> zero = splatIsZero(weight))
    return *zero ? 0 : weight.getNumElements();
  if (auto f = dyn_cast<DenseFPElementsAttr>(weight))
    return llvm::count_if(f.getValues<APFloat>(),
                          [](const APFloat &v) { return !v.isZero(); });
  return llvm::count_if(cast<DenseIntElementsAttr>(weight).getValues<APInt>(),
                        [](const APInt &v) { return !v.isZero(); });
}

/// Non-zero weights of a dense projection, per row and per column.
void countDense(Operation *op, std::vector<int64_t> &perRow,
                std::vector<int64_t> &perColumn) {
  perRow.clear();
  perColumn.clear();
  auto weight = cast<ElementsAttr>(op->getAttr("weight"));
  ArrayRef<int64_t> shape = cast<ShapedType>(weight.getType()).getShape();
  // A splat fills every row and column alike (rows and columns are signal
  // sizes, bounded by the type verifier; the elements are not walked).
  if (std::optional<bool> zero = splatIsZero(weight)) {
    perRow.assign(shape[0], *zero ? 0 : shape[1]);
    perColumn.assign(shape[1], *zero ? 0 : shape[0]);
    return;
  }
  perRow.assign(shape[0], 0);
  perColumn.assign(shape[1], 0);
  int64_t k = 0;
  auto count = [&](bool nonzero) {
    if (nonzero) {
      ++perRow[k / shape[1]];
      ++perColumn[k % shape[1]];
    }
    ++k;
  };
  if (auto f = dyn_cast<DenseFPElementsAttr>(weight))
    for (const APFloat &v : f.getValues<APFloat>())
      count(!v.isZero());
  else
    for (const APInt &v : cast<DenseIntElementsAttr>(weight).getValues<APInt>())
      count(!v.isZero());
}

/// Stored entries of compressed rows, per row (from the offsets) and per
/// column (from the indices); the verifier has checked both against the
/// signal sizes.
void countSparse(Operation *op, std::vector<int64_t> &perRow,
                 std::vector<int64_t> &perColumn) {
  perRow.assign(getSignalSize(op->getResult(0)), 0);
  perColumn.assign(getSignalSize(op->getOperand(0)), 0);
  auto offsets = op->getAttrOfType<DenseIntElementsAttr>("offsets");
  auto indices = op->getAttrOfType<DenseIntElementsAttr>("indices");
  int64_t r = -1, previous = 0;
  for (const APInt &o : offsets.getValues<APInt>()) {
    if (r >= 0 && r < int64_t(perRow.size()))
      perRow[r] = o.getSExtValue() - previous;
    previous = o.getSExtValue();
    ++r;
  }
  for (const APInt &c : indices.getValues<APInt>())
    if (int64_t k = c.getSExtValue(); k >= 0 && k < int64_t(perColumn.size()))
      ++perColumn[k];
}

/// Ops that read `v`, looking through flatten and delay (which move spikes
/// without synapses).
void readersOf(Value v, SmallVectorImpl<Operation *> &out, int depth = 0) {
  for (Operation *user : v.getUsers()) {
    if (isa<FlattenOp, DelayOp>(user) && depth < 16)
      readersOf(user->getResult(0), out, depth + 1);
    else
      out.push_back(user);
  }
}

std::string list(const std::vector<std::string> &items) {
  return items.empty() ? "none" : llvm::join(items, ", ");
}

/// Ops with floating-point arithmetic: none of them runs as it is on a
/// target's integer datapath.
bool isFloatOp(Operation *op) {
  return isa<AffineOp, LinearOp, SparseOp, Conv1dOp, Conv2dOp, AvgPool2dOp>(
             op) ||
         (op->hasTrait<OpTrait::NeuronOp>() && !isa<QNeuronOp>(op));
}
/// Ops that only exist after quantization: a network holding one is meant
/// to run as integers throughout.
bool isIntegerOp(Operation *op) {
  return isa<QLinearOp, QSparseOp, QConv1dOp, QConv2dOp, QNeuronOp,
             QuantizeOp>(op);
}

/// The op kinds the rules below account for. Anything else is refused by
/// name: a rule that skipped it would report a fit it has not checked.
bool isUnderstood(Operation *op) {
  return op->hasTrait<OpTrait::NeuronOp>() || isProjection(op) ||
         isConvLike(op) ||
         isa<FlattenOp, SumOp, DelayOp, QuantizeOp, ThresholdOp, ScaleOp>(op);
}
/// A neuron op that takes neurons of the target: on Xylo an snn.li serving
/// as a synaptic state of an snn.lif is part of that neuron
/// (xyloSynapseTarget), not a neuron of its own.
bool isCoreNeuron(Operation *op, const Target &t) {
  return op->hasTrait<OpTrait::NeuronOp>() &&
         !(t.xylo && xyloSynapseTarget(op));
}

constexpr const char *kUnderstood =
    "neurons, dense and sparse projections, convolutions, pooling, sum, "
    "delay, flatten and quantize";

} // namespace

bool isProjection(Operation *op) { return isDense(op) || isSparse(op); }

SynapseCounts synapseCountsOf(Operation *op) {
  SynapseCounts c;
  if (isSparse(op))
    countSparse(op, c.perRow, c.perColumn);
  else
    countDense(op, c.perRow, c.perColumn);
  for (int64_t n : c.perRow)
    c.total += n;
  return c;
}

std::vector<Violation> checkDesignRules(NetworkOp network, const Target &t,
                                        Usage &usage) {
  std::vector<Violation> out;
  Block &body = network.getBodyBlock();

  // Network inputs and outputs: channels the chip's interface must carry.
  for (auto [k, arg] : llvm::enumerate(body.getArguments())) {
    int64_t n = getSignalSize(arg);
    usage.inputs += n;
    std::string name =
        cast<StringAttr>(network.getInputNames()[k]).getValue().str();
    if (t.maxInputs > 0 && n > t.maxInputs)
      out.push_back({network, "network input '" + name + "'", "input channels",
                     std::to_string(n), std::to_string(t.maxInputs),
                     "reduce the input to " + std::to_string(t.maxInputs) +
                         " channels (pooling, a smaller sensor front end) or "
                         "run the first layer on the host"});
  }
  DenseSet<Operation *> outputNeurons;
  for (auto [k, v] : llvm::enumerate(network.getOutputOp().getOutputs())) {
    int64_t n = getSignalSize(v);
    usage.outputs += n;
    if (Operation *def = v.getDefiningOp())
      outputNeurons.insert(def);
    std::string name =
        cast<StringAttr>(network.getOutputNames()[k]).getValue().str();
    if (t.maxOutputs > 0 && n > t.maxOutputs)
      out.push_back({network, "network output '" + name + "'",
                     "output channels", std::to_string(n),
                     std::to_string(t.maxOutputs),
                     "train with at most " + std::to_string(t.maxOutputs) +
                         " output neurons or read the result on the host"});
  }

  // A quantized network runs on the target's integer arithmetic: a float op
  // left in it (snn.linear, snn.sparse, a float neuron) has no integer
  // weights or state to check or to place.
  Operation *firstInteger = nullptr;
  for (Operation &op : body.without_terminator())
    if (isIntegerOp(&op)) {
      firstInteger = &op;
      break;
    }

  // Op by op: kinds the target supports, models, fan-in and fan-out.
  int64_t hidden = 0;
  llvm::MapVector<Operation *, std::vector<int64_t>> fanIn; // program order
  llvm::DenseMap<Operation *, int64_t> incomingBytes;
  for (Operation &op : body.without_terminator()) {
    std::string where = describeOp(&op);
    if (!isUnderstood(&op)) {
      out.push_back({&op, where, "op", op.getName().getStringRef().str(),
                     kUnderstood,
                     isa<XyloOp>(&op)
                         ? std::string("map the Xylo core with snn-map, "
                                       "which checks it against the device")
                         : std::string("express it with those ops or run it "
                                       "on the host")});
      continue;
    }
    if (firstInteger && isFloatOp(&op))
      out.push_back({&op, where, "arithmetic",
                     "float (" + op.getName().getStringRef().str() + ")",
                     "integer (the rest of the network is quantized, e.g. " +
                         describeOp(firstInteger) + ")",
                     "quantize the whole network: "
                     "snn-quantize=target=<target file>"});
    if (auto w = op.getAttrOfType<ElementsAttr>("weight"); w && isConvLike(&op)) {
      // Shared kernels are stored once: a lower bound for chips that expand
      // convolutions into synapses.
      int64_t nonzero = countNonzero(w);
      usage.synapseBytes += (nonzero * t.weightBits + 7) / 8;
      // Expanded per output neuron: every output holds its window's synapses.
      ArrayRef<int64_t> kernel = cast<ShapedType>(w.getType()).getShape();
      int64_t patch = 1;
      for (int64_t d : kernel.drop_front())
        patch *= d;
      SmallVector<Operation *> readers;
      readersOf(op.getResult(0), readers);
      for (Operation *r : readers)
        if (r->hasTrait<OpTrait::NeuronOp>())
          incomingBytes[r] += (getSignalSize(op.getResult(0)) * patch *
                                   t.weightBits + 7) / 8;
    }
    if (isConvLike(&op) &&
        !llvm::is_contained(t.projections, std::string("conv")))
      out.push_back({&op, where, "projection kind", "conv",
                     list(t.projections),
                     "run the layer on the host or replace it by a dense "
                     "layer"});
    if (isa<ThresholdOp, ScaleOp>(&op))
      out.push_back({&op, where, "op", op.getName().getStringRef().str(),
                     "neurons and projections",
                     "fold it into the projections (-canonicalize) or run it "
                     "on the host"});
    if (auto delay = dyn_cast<DelayOp>(&op)) {
      int64_t limit = std::max<int64_t>(1, t.delaySlots);
      if (Attribute s = delay.getStepsAttr()) {
        std::vector<int64_t> steps =
            IntParam(s).expand(getSignalSize(delay.getResult()));
        int64_t longest = *std::max_element(steps.begin(), steps.end());
        if (longest > limit)
          out.push_back({&op, where, "delay", std::to_string(longest) + " steps",
                         std::to_string(limit) + " step" +
                             (limit == 1 ? "" : "s"),
                         "shorten the delay or chain it through relay "
                         "neurons"});
      }
    }
    if (isProjection(&op)) {
      SynapseCounts counts = synapseCountsOf(&op);
      const std::vector<int64_t> &perRow = counts.perRow;
      int64_t nonzero = counts.total;
      usage.synapseBytes += (nonzero * t.weightBits + 7) / 8;
      if (auto bits = op.getAttrOfType<IntegerAttr>("weight_bits"))
        if (weightBitsOn(&op, bits, t) > t.weightBits)
          out.push_back({&op, where, "weight bits",
                         std::to_string(weightBitsOn(&op, bits, t)),
                         std::to_string(t.weightBits),
                         "quantize with --weight-bits " +
                             std::to_string(t.weightBits)});
      // Fan-in of the neurons this projection feeds (through a sum).
      SmallVector<Operation *> readers;
      readersOf(op.getResult(0), readers);
      for (Operation *r : readers) {
        SmallVector<Operation *> neurons;
        if (isa<SumOp>(r))
          readersOf(r->getResult(0), neurons);
        else
          neurons.push_back(r);
        for (Operation *n : neurons) {
          if (!n->hasTrait<OpTrait::NeuronOp>())
            continue;
          // On Xylo an snn.li synapse's weights go into its snn.lif.
          if (Operation *lif = t.xylo ? xyloSynapseTarget(n) : nullptr)
            n = lif;
          incomingBytes[n] += (nonzero * t.weightBits + 7) / 8 *
                              (getSignalSize(op.getResult(0)) / perRow.size());
          std::vector<int64_t> &f = fanIn[n];
          f.resize(std::max<size_t>(f.size(), perRow.size()), 0);
          for (size_t k = 0; k < perRow.size(); ++k)
            f[k] += perRow[k];
        }
      }
    }
    if (!isCoreNeuron(&op, t))
      continue;
    int64_t n = getSignalSize(op.getResult(0));
    usage.neurons += n;
    if (!(t.maxOutputs > 0 && outputNeurons.count(&op)))
      hidden += n;
    std::string model = modelOf(&op);
    if (!llvm::is_contained(t.neuronModels, model))
      out.push_back({&op, where, "neuron model", model, list(t.neuronModels),
                     model == "if" || model == "integrator"
                         ? "retrain with a leak (lif), or run the layer on "
                           "the host"
                         : "retrain with a supported model, or run the layer "
                           "on the host"});
    // Fan-out: synapses each of these neurons drives in projections.
    SmallVector<Operation *> readers;
    readersOf(op.getResult(0), readers);
    std::vector<int64_t> perNeuron;
    for (Operation *r : readers) {
      if (!isProjection(r))
        continue;
      std::vector<int64_t> perColumn = synapseCountsOf(r).perColumn;
      perNeuron.resize(std::max(perNeuron.size(), perColumn.size()), 0);
      for (size_t k = 0; k < perColumn.size(); ++k)
        perNeuron[k] += perColumn[k];
    }
    if (!perNeuron.empty()) {
      auto most = std::max_element(perNeuron.begin(), perNeuron.end());
      usage.maxFanOut = std::max(usage.maxFanOut, *most);
      // On Xylo the limit is on recurrent synapses (checkXyloRules): the
      // readout is stored apart.
      if (t.maxFanOut > 0 && *most > t.maxFanOut && !t.xylo)
        out.push_back({&op, where, "fan-out",
                       std::to_string(*most) + " synapses from neuron " +
                           std::to_string(most - perNeuron.begin()),
                       std::to_string(t.maxFanOut),
                       "prune each neuron's outgoing synapses to " +
                           std::to_string(t.maxFanOut) +
                           " or split the layers that read it"});
    }
  }
  for (auto &[op, f] : fanIn) {
    auto most = std::max_element(f.begin(), f.end());
    if (most == f.end())
      continue;
    usage.maxFanIn = std::max(usage.maxFanIn, *most);
    if (t.maxFanIn > 0 && *most > t.maxFanIn)
      out.push_back({op, describeOp(op), "fan-in",
                     std::to_string(*most) + " synapses into neuron " +
                         std::to_string(most - f.begin()),
                     std::to_string(t.maxFanIn),
                     "prune each neuron's incoming synapses to " +
                         std::to_string(t.maxFanIn) + " or split its inputs"});
  }

  if (t.xylo)
    checkXyloRules(network, t, out);

  // Cores: on a many-core target each neuron layer takes cores of its own,
  // enough for its neurons and for the synapses that feed it.
  auto ceilDiv = [](int64_t a, int64_t b) { return b > 0 ? (a + b - 1) / b : 0; };
  for (Operation &op : body.without_terminator()) {
    if (!isCoreNeuron(&op, t))
      continue;
    Usage::Layer layer;
    layer.op = &op;
    layer.neurons = getSignalSize(op.getResult(0));
    layer.synapseBytes = incomingBytes.lookup(&op);
    layer.cores = t.cores > 1 ? std::max<int64_t>(
                                    {1, ceilDiv(layer.neurons, t.neuronsPerCore),
                                     ceilDiv(layer.synapseBytes,
                                             t.synapseBytesPerCore)})
                              : 1;
    usage.layers.push_back(layer);
    usage.cores = t.cores > 1 ? usage.cores + layer.cores : 1;
  }
  // A system of chips offers all its chips' cores.
  if (usage.cores > t.systemCores())
    out.push_back({network, "the network", "cores",
                   std::to_string(usage.cores) + " (a layer per set of cores)",
                   std::to_string(t.systemCores()),
                   "shrink or prune the largest layers, or run some of them "
                   "on the host"});

  // Totals.
  int64_t capacity = t.systemCores() * t.neuronsPerCore;
  if (hidden > capacity)
    out.push_back({network, "the network", "neurons", std::to_string(hidden),
                   std::to_string(capacity),
                   "shrink the hidden layers by " +
                       std::to_string(hidden - capacity) +
                       " neurons or run some of them on the host"});
  int64_t memory = t.systemCores() * t.synapseBytesPerCore;
  if (memory > 0 && usage.synapseBytes > memory)
    out.push_back({network, "the network", "synapse memory",
                   std::to_string(usage.synapseBytes) + " bytes",
                   std::to_string(memory) + " bytes",
                   "prune to " +
                       std::to_string(memory * 8 / t.weightBits) +
                       " synapses or use 4-bit weights"});
  return out;
}

} // namespace snn::target

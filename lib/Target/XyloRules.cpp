//===- XyloRules.cpp - what a Xylo device asks of a network's graph -------===//
//
// A Xylo core is one fixed graph: input channels -> weights_in -> hidden
// neurons (weights_rec among them) -> weights_out -> output neurons. A
// network maps onto it when Rockpool's mapper design rules hold (xylo_drc in
// rockpool/devices/xylo/syns61201/xylo_mapper.py) and when its populations
// fit the device's windows: on Xylo IMU and Audio 3 the input reaches only
// the first 128 hidden neurons and the readout reads only the last 128
// (syns63300/xylo_samna.py config_from_specification). The figures come
// from the target file (targets/xylo-*.json, each cited there).
//
//===----------------------------------------------------------------------===//

#include "Target/XyloRules.h"
#include "Xylo/XyloExport.h"
#include "SNN/IR/SNNDialect.h"
#include "SNN/IR/SNNDiscrete.h"

#include "llvm/ADT/SetVector.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>

using namespace mlir;

namespace snn::target {

namespace {

/// The single user of `v`, or null.
Operation *soleUser(Value v) {
  return v.hasOneUse() ? *v.getUsers().begin() : nullptr;
}

/// The snn.lif `op`'s value reaches as its only use, directly or through
/// one snn.sum; null otherwise.
Operation *lifThroughSum(Operation *op) {
  Operation *user = op ? soleUser(op->getResult(0)) : nullptr;
  if (user && isa<SumOp>(user))
    user = soleUser(user->getResult(0));
  return user && isa<LIFOp>(user) ? user : nullptr;
}

} // namespace

Operation *xyloSynapseTarget(Operation *op) {
  return op && isa<LIOp>(op) ? lifThroughSum(op) : nullptr;
}

Operation *delayedXyloSynapseTarget(Operation *op) {
  if (!op || !isa<LIOp>(op))
    return nullptr;
  Operation *user = soleUser(op->getResult(0));
  return user && isa<DelayOp>(user) ? lifThroughSum(user) : nullptr;
}

XyloSynapticInput xyloSynapticInput(Operation *lif, double dt) {
  XyloSynapticInput in;
  Operation *def = lif->getOperand(0).getDefiningOp();
  if (def && isa<SumOp>(def))
    for (Value v : def->getOperands())
      in.feeding.push_back(v.getDefiningOp());
  else
    in.feeding.push_back(def);
  for (Operation *op : in.feeding) {
    if (xyloSynapseTarget(op) != lif)
      continue;
    ++in.synapses;
    std::optional<StepConstants> c = stepConstants(op, dt);
    std::vector<double> decay = c ? c->vDecay : std::vector<double>{};
    if (c && !in.leaking &&
        llvm::any_of(c->vBias, [](double b) { return b != 0; }))
      in.leaking = op;
    // snn.li ops with equal decays share one synaptic state.
    auto same = llvm::find_if(in.states, [&](const XyloSynapticState &s) {
      return s.decay == decay;
    });
    if (same == in.states.end())
      same = in.states.insert(in.states.end(),
                              XyloSynapticState{{}, std::move(decay)});
    same->ops.push_back(op);
  }
  // The faster state first (dash_syn), as Rockpool's WaveSense builds its
  // two-synapse neurons (tau_syn ascending, nn/networks/wavesense.py): the
  // order of a NIR graph's edges, which fixes the sum's operands, does not
  // choose it. The states are alike in Xylo's arithmetic, so the spikes do
  // not depend on it; ties (per-neuron time constants with equal means)
  // keep operand order.
  auto meanDecay = [](const XyloSynapticState &s) {
    double sum = 0;
    for (double d : s.decay)
      sum += d;
    return s.decay.empty() ? 0.0 : sum / double(s.decay.size());
  };
  std::stable_sort(in.states.begin(), in.states.end(),
                   [&](const XyloSynapticState &a, const XyloSynapticState &b) {
                     return meanDecay(a) < meanDecay(b);
                   });
  return in;
}

namespace {

/// Dense and sparse projections alike are a Xylo weight matrix.
bool isDense(Operation *op) { return isProjection(op); }
/// Convolutions and pooling are weights too, but the projection-kind rule
/// already names them on a dense-only target: the rules here leave them be.
bool isConvLike(Operation *op) {
  return isa<Conv1dOp, Conv2dOp, QConv1dOp, QConv2dOp, SumPool2dOp,
             AvgPool2dOp>(op);
}
bool isWeights(Operation *op) { return op && (isDense(op) || isConvLike(op)); }
/// A neuron of the core: a neuron op that is not a synapse of another.
bool isNeuron(Operation *op) {
  return op && op->hasTrait<OpTrait::NeuronOp>() && !xyloSynapseTarget(op);
}

/// What a value comes from, looking through ops that move spikes without
/// synapses (delay, flatten): an op, or null for a network input.
Operation *sourceOf(Value v) {
  for (int depth = 0; depth < 16; ++depth) {
    Operation *def = v.getDefiningOp();
    if (!def || !isa<DelayOp, FlattenOp>(def))
      return def;
    v = def->getOperand(0);
  }
  return v.getDefiningOp();
}

/// Ops that read `v`, through delay and flatten.
void readersOf(Value v, SmallVectorImpl<Operation *> &out, int depth = 0) {
  for (Operation *user : v.getUsers()) {
    if (isa<FlattenOp, DelayOp>(user) && depth < 16)
      readersOf(user->getResult(0), out, depth + 1);
    else
      out.push_back(user);
  }
}

/// The neuron ops a projection drives (directly or through a sum), a
/// synapse snn.li standing for the snn.lif it serves.
SmallVector<Operation *> neuronsFedBy(Operation *projection) {
  SmallVector<Operation *> readers, out;
  readersOf(projection->getResult(0), readers);
  auto add = [&](Operation *r) {
    if (Operation *lif = xyloSynapseTarget(r))
      out.push_back(lif);
    else if (isNeuron(r))
      out.push_back(r);
  };
  for (Operation *r : readers) {
    if (isa<SumOp>(r)) {
      SmallVector<Operation *> summed;
      readersOf(r->getResult(0), summed);
      for (Operation *s : summed)
        add(s);
    } else {
      add(r);
    }
  }
  return out;
}

/// Synapses of a projection per output element (row) and per input element
/// (column): non-zero weights of a dense matrix, stored entries of
/// compressed rows.
void nonzeroCounts(Operation *op, std::vector<int64_t> &perRow,
                   std::vector<int64_t> &perColumn) {
  SynapseCounts c = synapseCountsOf(op);
  perRow = std::move(c.perRow);
  perColumn = std::move(c.perColumn);
}

std::vector<int64_t> nonzeroPerInput(Operation *op) {
  return synapseCountsOf(op).perColumn;
}

/// The neuron ops the network's outputs come from.
llvm::SetVector<Operation *> outputNeuronsOf(NetworkOp network) {
  llvm::SetVector<Operation *> out;
  for (Value v : network.getOutputOp().getOutputs())
    if (Operation *def = sourceOf(v); isNeuron(def))
      out.insert(def);
  return out;
}

std::string kindOf(Operation *op) {
  return op ? op->getName().getStringRef().str() : "the network input";
}

/// What an op's input sums (through delay and flatten): its operands' sources
/// when it is an snn.sum, else the one source.
SmallVector<Operation *> weightInputsOf(Operation *op) {
  SmallVector<Operation *> feeding;
  Operation *def = sourceOf(op->getOperand(0));
  if (def && isa<SumOp>(def))
    for (Value v : def->getOperands())
      feeding.push_back(sourceOf(v));
  else
    feeding.push_back(def);
  return feeding;
}

std::string namesOf(const XyloSynapticInput &in) {
  std::string names;
  for (size_t k = 0; k < in.states.size(); ++k)
    names += (k == 0 ? "" : k + 1 == in.states.size() ? " and " : ", ") +
             describeOp(in.states[k].ops.front());
  return names;
}

/// An snn.lif fed by snn.li synapses: every input a synapse, its v_leak 0,
/// at most as many time constants as the neuron has synaptic states (two on
/// a hidden neuron of a device with dash_syn_2, one otherwise). The same
/// reading as the quantizer's (xyloSynapticInput).
void checkSynapticStates(Operation *lif, bool isOutput, const Target &t,
                         double dt, std::vector<Violation> &out) {
  XyloSynapticInput in = xyloSynapticInput(lif, dt);
  if (in.synapses == 0)
    return;
  std::string where = describeOp(lif);
  if (!in.allSynapses())
    for (Operation *f : in.feeding)
      if (xyloSynapseTarget(f) != lif && isWeights(f))
        out.push_back({lif, where, "neuron input",
                       describeOp(f) + " beside snn.li synapses",
                       "a synaptic state for every input (a neuron fed by "
                       "snn.li synapses gets its synaptic time constants "
                       "from them only)",
                       "feed " + describeOp(f) +
                           " through an snn.li synapse too"});
  if (in.leaking)
    out.push_back({in.leaking, describeOp(in.leaking), "synaptic leak",
                   "a v_leak other than 0",
                   "synaptic states that decay toward 0",
                   "set its v_leak to 0 (a constant input is a bias of the "
                   "weights)"});
  int64_t have = isOutput ? 1 : t.xylo->synapsesPerNeuron;
  int64_t need = int64_t(in.states.size());
  if (need <= have)
    return;
  std::string needed = std::to_string(need) + " synaptic time constants (" +
                       namesOf(in) + ")";
  if (need > 2)
    out.push_back({lif, where, "synaptic states", needed,
                   "at most 2 per hidden neuron (dash_syn and dash_syn_2)",
                   "give its snn.li synapses at most 2 distinct time "
                   "constants"});
  else if (isOutput)
    out.push_back({lif, where, "synaptic states", needed,
                   "1 per output neuron (dash_syn_out)",
                   "give its snn.li synapses one time constant, or read "
                   "the output from a hidden layer with two"});
  else
    out.push_back({lif, where, "synaptic states", needed,
                   std::to_string(have) + " per hidden neuron (Rockpool "
                   "configures synapse 0 only for " + t.xylo->device + ")",
                   "give its snn.li synapses one time constant, or use a "
                   "device with two (xylo-audio2)"});
}

} // namespace

void checkXyloRules(NetworkOp network, const Target &t,
                    std::vector<Violation> &out) {
  const XyloRules &x = *t.xylo;
  Block &body = network.getBodyBlock();
  std::string n = std::to_string(t.neuronsPerCore);
  double dt = network.getDt().convertToDouble();

  // The output neurons: those the network's outputs come from.
  llvm::SetVector<Operation *> outputNeurons = outputNeuronsOf(network);
  for (auto [k, v] : llvm::enumerate(network.getOutputOp().getOutputs())) {
    Operation *def = sourceOf(v);
    std::string name =
        cast<StringAttr>(network.getOutputNames()[k]).getValue().str();
    if (isNeuron(def))
      continue;
    // output_nodes_have_neurons_as_source.
    out.push_back({def ? def : network.getOperation(),
                   "network output '" + name + "'", "output source",
                   kindOf(def), "outputs straight from output neurons",
                   "end the network with a neuron layer (Rockpool's design "
                   "rule output_nodes_have_neurons_as_source)"});
  }
  auto isHidden = [&](Operation *op) {
    return isNeuron(op) && !outputNeurons.contains(op);
  };

  // first_module_is_a_weight: a network input goes first through weights.
  for (auto [k, arg] : llvm::enumerate(body.getArguments())) {
    std::string name =
        cast<StringAttr>(network.getInputNames()[k]).getValue().str();
    SmallVector<Operation *> readers;
    readersOf(arg, readers);
    for (Operation *r : readers)
      if (!isWeights(r) && !isa<QuantizeOp>(r))
        out.push_back({r, "network input '" + name + "'", "first op after "
                       "the input", kindOf(r), "a weight layer (weights_in)",
                       "put a dense layer between the input and " +
                           describeOp(r) +
                           " (Rockpool's design rule first_module_is_a_weight)"});
  }

  int64_t neuronLayers = 0;
  llvm::SetVector<Operation *> inputFed, readOut;
  int64_t recurrentWeights = 0;
  Operation *largestRecurrent = nullptr;
  int64_t largestRecurrentCount = 0;
  llvm::DenseMap<Operation *, std::vector<int64_t>> fanOut; // hidden only
  for (Operation &op : body.without_terminator()) {
    if (xyloSynapseTarget(&op)) {
      // A synapse of an snn.lif: its input is weights, or a sum of weights.
      for (Operation *f : weightInputsOf(&op))
        if (!isWeights(f))
          out.push_back({&op, describeOp(&op), "synapse input", kindOf(f),
                         "weights only (weights_in, weights_rec)",
                         "put a dense layer in front of it (Rockpool's design "
                         "rule input_to_neurons_is_a_weight)"});
      continue;
    }
    if (Operation *lif = delayedXyloSynapseTarget(&op)) {
      out.push_back({&op, describeOp(&op), "synaptic current",
                     "an snn.delay between it and " + describeOp(lif),
                     "synaptic states summed into the membrane in the same "
                     "step (a recurrence is delayed on the spikes)",
                     "order the NIR graph's edges so that the cycle closes at "
                     "the recurrent weights"});
      continue;
    }
    if (isNeuron(&op)) {
      ++neuronLayers;
      // input_to_neurons_is_a_weight: a neuron's input is weights, a sum of
      // weights, or snn.li synapses (checked above) alone or summed.
      for (Operation *f : weightInputsOf(&op)) {
        if (xyloSynapseTarget(f) == &op || delayedXyloSynapseTarget(f) == &op)
          continue;
        if (!isWeights(f))
          out.push_back({&op, describeOp(&op), "neuron input", kindOf(f),
                         "weights only (weights_in, weights_rec, weights_out)",
                         "put a dense layer in front of it (Rockpool's design "
                         "rule input_to_neurons_is_a_weight)"});
      }
      if (isa<LIFOp>(op))
        checkSynapticStates(&op, outputNeurons.contains(&op), t, dt, out);
      // output_neurons_cannot_be_recurrent: output neurons drive nothing.
      if (outputNeurons.contains(&op)) {
        SmallVector<Operation *> readers;
        readersOf(op.getResult(0), readers);
        for (Operation *r : readers)
          if (!isa<OutputOp>(r))
            out.push_back({&op, describeOp(&op), "output neurons' synapses",
                           describeOp(r) + " reading them",
                           "none (output neurons are not recurrent and drive "
                           "no other neuron)",
                           "read the hidden layer instead, or add a hidden "
                           "copy of these neurons (Rockpool's design rule "
                           "output_neurons_cannot_be_recurrent)"});
      }
      continue;
    }
    if (!isDense(&op))
      continue;
    Operation *from = sourceOf(op.getOperand(0));
    // no_consecutive_weights.
    if (from && (isDense(from) || isa<SumOp>(from)))
      out.push_back({&op, describeOp(&op), "input of a weight layer",
                     describeOp(from), "spikes of neurons or of the input",
                     "merge the two weight layers into one (their product) "
                     "or put neurons between them (Rockpool's design rule "
                     "no_consecutive_weights)"});
    SmallVector<Operation *> to = neuronsFedBy(&op);
    bool toOutput = llvm::any_of(
        to, [&](Operation *d) { return outputNeurons.contains(d); });
    bool toHidden = llvm::any_of(to, isHidden);
    if (!from) {
      for (Operation *d : to)
        if (isHidden(d))
          inputFed.insert(d);
      if (toOutput)
        out.push_back({&op, describeOp(&op), "input to output neurons",
                       "weights from the network input",
                       "readout weights from hidden neurons only "
                       "(weights_out)",
                       "put a hidden layer between the input and the output "
                       "neurons"});
      continue;
    }
    if (!isHidden(from))
      continue;
    if (toOutput)
      readOut.insert(from);
    if (!toHidden)
      continue;
    // Hidden to hidden: weights_rec.
    std::vector<int64_t> perInput = nonzeroPerInput(&op);
    int64_t total = 0;
    for (int64_t c : perInput)
      total += c;
    recurrentWeights += total;
    if (total > largestRecurrentCount) {
      largestRecurrentCount = total;
      largestRecurrent = &op;
    }
    std::vector<int64_t> &f = fanOut[from];
    f.resize(std::max(f.size(), perInput.size()), 0);
    for (size_t k = 0; k < perInput.size(); ++k)
      f[k] += perInput[k];
  }

  // at_least_two_neuron_layers_needed.
  if (neuronLayers < 2)
    out.push_back({network, "the network", "neuron layers",
                   std::to_string(neuronLayers),
                   "at least 2 (a hidden and an output layer)",
                   "add a hidden layer in front of the output neurons "
                   "(Rockpool's design rule "
                   "at_least_two_neuron_layers_needed)"});

  // Fan-out: the recurrent weights of one hidden neuron (weights_rec's row;
  // the readout is stored apart).
  for (Operation &op : body.without_terminator()) {
    auto it = fanOut.find(&op);
    if (it == fanOut.end() || t.maxFanOut <= 0)
      continue;
    const std::vector<int64_t> &f = it->second;
    auto most = std::max_element(f.begin(), f.end());
    if (most != f.end() && *most > t.maxFanOut)
      out.push_back({&op, describeOp(&op), "recurrent fan-out",
                     std::to_string(*most) +
                         " synapses to hidden neurons from neuron " +
                         std::to_string(most - f.begin()),
                     std::to_string(t.maxFanOut) + " per hidden neuron",
                     "prune each neuron's synapses to other hidden neurons to " +
                         std::to_string(t.maxFanOut)});
  }
  if (x.maxRecurrentWeights > 0 && recurrentWeights > x.maxRecurrentWeights)
    out.push_back({largestRecurrent ? largestRecurrent : network.getOperation(),
                   "the network", "recurrent weights",
                   std::to_string(recurrentWeights) +
                       " non-zero hidden-to-hidden weights",
                   std::to_string(x.maxRecurrentWeights),
                   "prune the hidden-to-hidden weights by " +
                       std::to_string(recurrentWeights -
                                      x.maxRecurrentWeights)});

  // The input and readout windows (first / last N hidden neurons).
  auto population = [](const llvm::SetVector<Operation *> &ops) {
    int64_t total = 0;
    for (Operation *op : ops)
      total += getSignalSize(op->getResult(0));
    return total;
  };
  int64_t hidden = 0;
  for (Operation &op : body.without_terminator())
    if (isHidden(&op))
      hidden += getSignalSize(op.getResult(0));
  int64_t fed = population(inputFed), read = population(readOut);
  if (fed > x.inputExpansionNeurons)
    out.push_back({inputFed.front(), describeOp(inputFed.front()),
                   "hidden neurons the input reaches",
                   std::to_string(fed),
                   std::to_string(x.inputExpansionNeurons) + " (the first " +
                       std::to_string(x.inputExpansionNeurons) + " of " + n +
                       " hidden neurons)",
                   "let the input layer feed at most " +
                       std::to_string(x.inputExpansionNeurons) +
                       " neurons and reach the others through them"});
  if (read > x.outputExpansionNeurons)
    out.push_back({readOut.front(), describeOp(readOut.front()),
                   "hidden neurons the readout reads", std::to_string(read),
                   std::to_string(x.outputExpansionNeurons) + " (the last " +
                       std::to_string(x.outputExpansionNeurons) + " of " + n +
                       " hidden neurons)",
                   "read the output from a layer of at most " +
                       std::to_string(x.outputExpansionNeurons) + " neurons"});
  // Neurons in both windows must lie where the windows overlap.
  int64_t both = 0;
  Operation *bothOp = nullptr;
  for (Operation *op : inputFed)
    if (readOut.contains(op)) {
      both += getSignalSize(op->getResult(0));
      bothOp = op;
    }
  int64_t overlap = std::max<int64_t>(
      0, x.inputExpansionNeurons + x.outputExpansionNeurons - hidden);
  if (bothOp && fed <= x.inputExpansionNeurons &&
      read <= x.outputExpansionNeurons && both > overlap)
    out.push_back({bothOp, describeOp(bothOp),
                   "hidden neurons both fed by the input and read out",
                   std::to_string(both),
                   std::to_string(overlap) + " (where the first " +
                       std::to_string(x.inputExpansionNeurons) +
                       " and the last " +
                       std::to_string(x.outputExpansionNeurons) + " of " +
                       std::to_string(hidden) + " hidden neurons overlap)",
                   "shrink the other hidden layers by " +
                       std::to_string(hidden - (x.inputExpansionNeurons +
                                                x.outputExpansionNeurons -
                                                both)) +
                       " neurons, or put a hidden layer between the "
                       "input and the readout"});
}

xylo::CycleShape xyloCycleShape(NetworkOp network, const Target &t) {
  const XyloRules &x = *t.xylo;
  // An snn.xylo core: what its specification configures.
  XyloOp core;
  network.walk([&](XyloOp op) { core = op; });
  if (std::optional<xylo::Device> device = xylo::parseDevice(x.device);
      core && device)
    return xylo::cycleShape(
        xylo::specOf(core, network.getDt().convertToDouble()), *device);
  // Audio 2 (and core v1) count every hidden neuron as input- and
  // output-expansion; IMU and Audio 3 the used ones of their windows
  // (lib/Xylo/XyloCycles.cpp).
  bool wholeCore = x.device == "syns61201" || x.device == "syns61300";
  llvm::SetVector<Operation *> outputNeurons = outputNeuronsOf(network);
  auto isHidden = [&](Operation *op) {
    return isNeuron(op) && !outputNeurons.contains(op);
  };
  xylo::CycleShape c;
  Block &body = network.getBodyBlock();
  for (BlockArgument arg : body.getArguments())
    c.nIn += double(getSignalSize(arg));
  for (Operation *op : outputNeurons)
    c.nOut += double(getSignalSize(op->getResult(0)));
  double recurrent = 0, fedUsed = 0, readUsed = 0;
  for (Operation &op : body.without_terminator()) {
    if (isHidden(&op))
      c.nHid += double(getSignalSize(op.getResult(0)));
    if (!isDense(&op))
      continue;
    Operation *from = sourceOf(op.getOperand(0));
    SmallVector<Operation *> to = neuronsFedBy(&op);
    std::vector<int64_t> perRow, perColumn;
    nonzeroCounts(&op, perRow, perColumn);
    auto used = [](const std::vector<int64_t> &v) {
      return double(llvm::count_if(v, [](int64_t n) { return n > 0; }));
    };
    bool toHidden = llvm::any_of(to, isHidden);
    bool toOutput = llvm::any_of(
        to, [&](Operation *d) { return outputNeurons.contains(d); });
    if (!from && toHidden)
      fedUsed += used(perRow); // hidden neurons with an input weight
    if (from && isHidden(from) && toOutput)
      readUsed += used(perColumn); // hidden neurons with a readout weight
    if (from && isHidden(from) && toHidden)
      for (int64_t n : perRow)
        recurrent += double(n);
  }
  c.nIen = wholeCore ? c.nHid
                     : std::min(fedUsed, double(x.inputExpansionNeurons));
  c.nOen = wholeCore ? c.nHid
                     : std::min(readUsed, double(x.outputExpansionNeurons));
  c.meanFanOut = c.nHid > 0 ? recurrent / c.nHid : 0;
  return c;
}

void printXyloCycles(llvm::raw_ostream &os, const Target &t,
                     const xylo::CycleShape &shape, double dt, double pIn,
                     double pHid) {
  xylo::Cycles worst = xylo::cyclesModel(shape);
  xylo::Cycles run = xylo::cyclesModel(shape, {pIn, pHid, 1.0});
  double margin = t.xylo->clockMargin;
  auto mhz = [&](const xylo::Cycles &c) {
    return llvm::formatv("{0:F3}", c.total() * (1 + margin) / dt * 1e-6).str();
  };
  os << "  Rockpool's cycles_model (" << t.xylo->device << "): "
     << llvm::formatv("{0:F1}", worst.total()).str()
     << " cycles per step at worst (every input and hidden neuron firing), "
     << llvm::formatv("{0:F1}", run.total()).str()
     << " at this run's rates (input " << llvm::formatv("{0:F4}", pIn).str()
     << ", hidden " << llvm::formatv("{0:F4}", pHid).str() << ")\n";
  os << "  clock for real time  est_clock_freq " << mhz(worst)
     << " MHz at dt = " << llvm::formatv("{0:F3}", dt * 1e3).str() << " ms (margin "
     << llvm::formatv("{0:F0}", 100 * margin).str() << " %); "
     << mhz(run) << " MHz at this run's rates\n";
}

llvm::json::Object xyloCyclesJson(const Target &t,
                                   const xylo::CycleShape &shape, double dt,
                                   double pIn, double pHid) {
  xylo::Cycles worst = xylo::cyclesModel(shape);
  xylo::Cycles run = xylo::cyclesModel(shape, {pIn, pHid, 1.0});
  double margin = t.xylo->clockMargin;
  return llvm::json::Object{
      {"device", t.xylo->device},
      {"cycles_worst_case", worst.total()},
      {"cycles_at_run_rates", run.total()},
      {"est_clock_freq_hz", worst.total() * (1 + margin) / dt},
      {"clock_hz_at_run_rates", run.total() * (1 + margin) / dt},
      {"input_rate", pIn},
      {"hidden_rate", pHid},
      {"n_in", shape.nIn},
      {"n_ien", shape.nIen},
      {"n_hid", shape.nHid},
      {"n_oen", shape.nOen},
      {"n_out", shape.nOut},
      {"mean_fan_out", shape.meanFanOut}};
}

} // namespace snn::target

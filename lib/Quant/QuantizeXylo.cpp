//===- QuantizeXylo.cpp - a float network as one Xylo core ----------------===//
//
// The network is read as populations (one neuron op each) fed by dense
// projections from the input, from hidden populations directly, or from
// hidden populations through a one-step delay. Hidden populations are laid
// out in op order; the output population is the network's output. Each
// population gets one membrane scale S (float units -> int16): the largest S
// that keeps the threshold at most 2^12 (headroom for the several spikes per
// step and the saturating sums) and every weight into it representable as an
// int8 at shift 7. Each projection kind then gets the smallest shift that
// brings its largest weight into int8, so that weight uses the range.
//
// Xylo's synaptic state leaks after the step's input is added, so a weight is
// divided by that leak's factor (1 - 2^-dash_syn): a spike's first-step
// current equals the float network's.
//
// A hidden Xylo neuron has two synaptic states summed into its membrane
// (dash_syn and dash_syn_2). A network says so with an snn.lif whose input
// is one or more snn.li ops (NIR LI nodes: tau di/dt = -i + r I) summed:
// each distinct synaptic time constant among them takes one synaptic state,
// the faster first (target::xyloSynapticInput, which snn-check-target reads
// too). This is the form of Rockpool's own two-synapse neuron (LIFTorch with
// tau_syn of shape (N, 2), whose input weights the mapper reshapes to
// (Nin, N, 2)), which Rockpool's NIR export cannot write.
//
//===----------------------------------------------------------------------===//

#include "Quant/QuantizeXylo.h"
#include "SNN/IR/SNNDiscrete.h"
#include "SNN/IR/SNNParams.h"
#include "Target/XyloRules.h"
#include "Xylo/XyloImport.h"
#include "Xylo/XyloSpec.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>

using namespace mlir;

namespace snn::quant {

namespace {

constexpr double kThresholdMax = 4096; // 2^12: 8x headroom in int16
constexpr int64_t kWeightMax = 127;
// With a calibration: the measured peak membrane and synaptic state take at
// most half of int16, for samples beyond the calibration's.
constexpr double kCalibratedMax = 16384;

/// Where a projection's spikes come from.
enum class Source { Input, Hidden, HiddenDelayed };

struct Projection {
  Operation *op = nullptr;
  int64_t rows = 0, cols = 0;
  std::vector<double> weight, bias; // [rows][cols], [rows]
  Source source = Source::Input;
  int from = -1; // population index for Hidden / HiddenDelayed
  int to = -1;
  int slot = 0;             // the target's synaptic state (0 or 1)
  std::vector<double> gain; // i_gain per target neuron of its synapse
};

/// One synaptic state of a population's neurons: i = decay·i + gain·I.
/// A snn.cuba_lif holds its own; an snn.lif's come from the snn.li ops
/// feeding it (those with equal decays share one state).
struct Synapse {
  std::vector<Operation *> ops; // the snn.cuba_lif, or the snn.li ops
  std::vector<double> decay;
  std::vector<int64_t> dash;
  std::vector<double> factor; // Xylo's 1 - 2^-dash per neuron
};

struct Population {
  Operation *neuron = nullptr;
  StepConstants c;
  int64_t size = 0, offset = 0;
  bool isOutput = false;
  std::vector<Synapse> syn; // 1 or 2: dash_syn, dash_syn_2
  std::vector<int64_t> dashMem;
  double scale = 1;
};

/// An snn.li that serves as a synapse: the population it feeds, its slot
/// there, and its per-neuron gain.
struct Filter {
  int pop = -1, slot = 0;
  std::vector<double> gain;
};

class XyloQuantizer {
public:
  XyloQuantizer(NetworkOp network, const target::Target &t,
                const Calibration *ranges)
      : network(network), t(t), ranges(ranges),
        dt(network.getDt().convertToDouble()) {}
  LogicalResult run();

private:
  NetworkOp network;
  const target::Target &t;
  const Calibration *ranges;
  double dt;
  std::vector<Population> pops;
  std::vector<Projection> projs;
  llvm::DenseMap<Operation *, Filter> filters; // snn.li ops serving as synapses
  std::vector<std::pair<bool, std::string>> notes; // (warning?, text)

  InFlightDiagnostic refuse(Operation *op) {
    return op->emitOpError() << "cannot be quantized for " << t.name << ": ";
  }
  LogicalResult collectPopulations();
  LogicalResult collectSynapses(Population &p, int index);
  LogicalResult collectProjections();
  LogicalResult checkSizes(int64_t nIen, int64_t nOen);
  void chooseDashes(Population &p);
  void chooseScale(Population &p, int index);
  const NodeRange *measured(const Population &p) const;
  double synapsePeak(const Population &p, const Synapse &s) const;
  void note(bool warning, std::string text) {
    notes.emplace_back(warning, std::move(text));
  }
  void describeDifferences();
};

std::string nameOf(Operation *op) {
  if (auto n = op->getAttrOfType<StringAttr>("name"))
    return "'" + n.str() + "'";
  return op->getName().getStringRef().str();
}

/// The single user of `v`, or null.
Operation *soleUser(Value v) {
  return v.hasOneUse() ? *v.getUsers().begin() : nullptr;
}

/// An snn.li that serves as a synapse of an snn.lif rather than a
/// population of its own (the reading snn-check-target shares).
bool isSynapseLi(Operation *op) {
  return target::xyloSynapseTarget(op) != nullptr;
}

LogicalResult XyloQuantizer::collectPopulations() {
  Block &body = network.getBodyBlock();
  if (body.getNumArguments() != 1 || !isSpikes(body.getArgument(0).getType()))
    return network.emitOpError()
           << "cannot be quantized for " << t.name
           << ": Xylo takes one input of spike (event) counts";
  auto out = cast<OutputOp>(body.getTerminator());
  Operation *outNeuron = out.getNumOperands() == 1
                             ? out.getOperand(0).getDefiningOp()
                             : nullptr;
  if (!outNeuron || !outNeuron->hasTrait<OpTrait::NeuronOp>())
    return network.emitOpError()
           << "cannot be quantized for " << t.name
           << ": Xylo's output is the spikes of one layer of output neurons";
  for (Operation &op : body.without_terminator()) {
    if (!op.hasTrait<OpTrait::NeuronOp>() || isSynapseLi(&op))
      continue;
    std::optional<StepConstants> c = stepConstants(&op, dt);
    if (target::delayedXyloSynapseTarget(&op))
      return refuse(&op)
             << "its current reaches an snn.lif through an snn.delay (where a "
                "NIR import closes a cycle); Xylo sums its synaptic states "
                "into the membrane in the same step, so a recurrence must be "
                "delayed on the spikes: order the NIR graph's edges so that "
                "the cycle closes at the recurrent weights";
    if (!c || !isa<LIFOp, CubaLIFOp>(op))
      return refuse(&op) << "Xylo's neurons are current-based LIF neurons "
                            "(snn.cuba_lif, or snn.lif fed by snn.li "
                            "synapses)";
    for (double th : c->threshold)
      if (!(th > 0))
        return refuse(&op) << "threshold " << th
                           << " is not positive (Xylo fires while v >= "
                              "threshold, 31 times at threshold 0)";
    Population p;
    p.neuron = &op;
    p.c = *c;
    p.size = getSignalSize(op.getResult(0));
    p.isOutput = &op == outNeuron;
    if (p.isOutput)
      for (Operation *user : op.getResult(0).getUsers())
        if (!isa<OutputOp>(user))
          return refuse(user)
                 << "it reads Xylo's output neurons, which drive no other "
                    "neuron (Rockpool's design rule "
                    "output_neurons_cannot_be_recurrent)";
    pops.push_back(std::move(p));
  }
  // The output population goes last; hidden ones keep op order.
  std::stable_partition(pops.begin(), pops.end(),
                        [](const Population &p) { return !p.isOutput; });
  int64_t offset = 0;
  for (Population &p : pops)
    if (!p.isOutput) {
      p.offset = offset;
      offset += p.size;
    }
  if (pops.size() < 2)
    return refuse(outNeuron) << "Xylo needs a hidden and an output layer "
                                "(Rockpool's design rule "
                                "at_least_two_neuron_layers_needed)";
  for (size_t i = 0; i < pops.size(); ++i)
    if (failed(collectSynapses(pops[i], int(i))))
      return failure();
  return success();
}

/// A population's synaptic states: a snn.cuba_lif's own, or one per
/// distinct time constant among the snn.li ops feeding an snn.lif.
LogicalResult XyloQuantizer::collectSynapses(Population &p, int index) {
  if (p.c.hasCurrent) {
    p.syn.push_back(Synapse{{p.neuron}, p.c.iDecay, {}, {}});
    return success();
  }
  // An snn.lif: its input must be snn.li synapses, alone or summed; those
  // with equal decays share one synaptic state.
  target::XyloSynapticInput in = target::xyloSynapticInput(p.neuron, dt);
  if (!in.allSynapses())
    return refuse(p.neuron)
           << "Xylo's synaptic state leaks after the step's input is "
              "added, so each neuron needs a synaptic time constant; use "
              "snn.cuba_lif (a Synaptic neuron), or feed snn.lif through "
              "snn.li synapses (NIR LI nodes) alone or summed";
  if (in.leaking)
    return refuse(in.leaking) << "its v_leak is not 0: a Xylo synaptic state "
                                 "decays toward 0";
  for (const target::XyloSynapticState &state : in.states) {
    int slot = int(p.syn.size());
    p.syn.push_back(Synapse{{}, state.decay, {}, {}});
    for (Operation *li : state.ops) {
      Operation *src = li->getOperand(0).getDefiningOp();
      if (!src || !isa<AffineOp, LinearOp, SumOp>(src))
        return refuse(li) << "a Xylo synapse is fed by dense weights only";
      p.syn.back().ops.push_back(li);
      filters[li] = Filter{index, slot, stepConstants(li, dt)->vGain};
    }
  }
  auto names = [&] {
    std::string n;
    for (size_t s = 0; s < p.syn.size(); ++s)
      n += (s == 0 ? "" : s + 1 == p.syn.size() ? " and " : ", ") +
           nameOf(p.syn[s].ops.front());
    return n;
  };
  if (p.syn.size() > 2)
    return refuse(p.neuron)
           << "it needs " << p.syn.size() << " synaptic time constants ("
           << names() << "); a Xylo neuron has at most 2";
  if (p.syn.size() == 2 && p.isOutput)
    return refuse(p.neuron)
           << "it needs 2 synaptic time constants (" << names()
           << "); Xylo's output neurons have one synaptic state";
  if (p.syn.size() == 2 && t.xylo->synapsesPerNeuron < 2)
    return refuse(p.neuron)
           << "it needs 2 synaptic time constants (" << names() << "), "
           << t.name << " has " << t.xylo->synapsesPerNeuron
           << " synaptic state per hidden neuron (Rockpool configures "
              "synapse 0 only for "
           << t.xylo->device
           << "); give its snn.li synapses one time constant, or use a "
              "device with two (xylo-audio2)";
  return success();
}

int populationOf(const std::vector<Population> &pops, Operation *op) {
  for (size_t i = 0; i < pops.size(); ++i)
    if (pops[i].neuron == op)
      return int(i);
  return -1;
}

LogicalResult XyloQuantizer::collectProjections() {
  Block &body = network.getBodyBlock();
  for (Operation &op : body.without_terminator()) {
    if (op.hasTrait<OpTrait::NeuronOp>())
      continue;
    if (auto d = dyn_cast<DelayOp>(op)) {
      FailureOr<std::vector<int64_t>> steps = delayInSteps(d, dt);
      if (failed(steps))
        return failure();
      Operation *src = d.getInput().getDefiningOp();
      bool one = llvm::all_of(*steps, [](int64_t s) { return s == 1; });
      if (!one || !src || populationOf(pops, src) < 0)
        return refuse(&op) << "Xylo delays only a hidden neuron's spikes, "
                              "by exactly one step";
      continue;
    }
    if (isa<SumOp>(op)) {
      // Dense weights summed, or snn.li synapses summed into an snn.lif
      // (collectSynapses checked those).
      for (Value v : op.getOperands())
        if (!v.getDefiningOp() ||
            !(isa<AffineOp, LinearOp>(v.getDefiningOp()) ||
              filters.count(v.getDefiningOp())))
          return refuse(&op) << "Xylo sums the currents of dense weights only";
      continue;
    }
    if (!isa<AffineOp, LinearOp>(op))
      return refuse(&op)
             << (isa<Conv1dOp, Conv2dOp>(op)
                     ? "Xylo has dense weights only (no convolution)"
                     : "Xylo has no such op: it runs dense weights into LIF "
                       "neurons");
    Projection p;
    p.op = &op;
    Attribute w = op.getAttr("weight");
    ArrayRef<int64_t> shape =
        cast<ShapedType>(cast<TypedAttr>(w).getType()).getShape();
    p.rows = shape[0];
    p.cols = shape[1];
    p.weight = floatValues(cast<DenseFPElementsAttr>(w));
    p.bias.assign(size_t(p.rows), 0.0);
    if (auto a = dyn_cast<AffineOp>(op))
      p.bias = floatValues(cast<DenseFPElementsAttr>(a.getBias()));
    Value in = op.getOperand(0);
    Operation *def = in.getDefiningOp();
    if (!def) {
      p.source = Source::Input;
    } else if (int i = populationOf(pops, def); i >= 0) {
      p.source = Source::Hidden;
      p.from = i;
    } else if (auto d = dyn_cast<DelayOp>(def)) {
      p.source = Source::HiddenDelayed;
      p.from = populationOf(pops, d.getInput().getDefiningOp());
    } else {
      return refuse(&op) << "Xylo's weights read the input or neurons' "
                            "spikes, not the result of "
                         << def->getName();
    }
    if (getSignalSize(in) != p.cols)
      return refuse(&op) << "its input is not one flat vector of its columns";
    // Its destination: a neuron, directly or through one sum, or an snn.li
    // synapse of one (then that synapse's state).
    Operation *user = soleUser(op.getResult(0));
    if (user && isa<SumOp>(user))
      user = soleUser(user->getResult(0));
    const Filter *filter = nullptr;
    if (user && filters.count(user)) {
      filter = &filters[user];
      user = pops[size_t(filter->pop)].neuron;
    }
    p.to = user ? populationOf(pops, user) : -1;
    if (p.to < 0)
      return refuse(&op) << "Xylo's weights feed neurons only (Rockpool's "
                            "design rule no_consecutive_weights)";
    p.slot = filter ? filter->slot : 0;
    p.gain = filter ? filter->gain : pops[p.to].c.iGain;
    if (p.source == Source::Input && pops[p.to].isOutput)
      return refuse(&op) << "Xylo's output neurons read hidden neurons only; "
                            "put a hidden layer between the input and them";
    if (p.source != Source::Input && pops[p.from].isOutput)
      return refuse(&op) << "Xylo's output neurons drive no other neuron";
    projs.push_back(std::move(p));
  }
  return success();
}

LogicalResult XyloQuantizer::checkSizes(int64_t nIen, int64_t nOen) {
  const target::XyloRules &x = *t.xylo;
  int64_t nIn = getSignalSize(network.getBodyBlock().getArgument(0));
  const Population &out = pops.back();
  int64_t nHid = 0;
  for (const Population &p : pops)
    nHid += p.isOutput ? 0 : p.size;
  auto fail = [&](Operation *op, std::string what, int64_t need,
                  int64_t have) {
    return refuse(op) << what << ": needs " << need << ", " << t.name
                      << " has " << have;
  };
  if (t.maxInputs && nIn > t.maxInputs)
    return fail(network, "input channels", nIn, t.maxInputs);
  if (t.maxOutputs && out.size > t.maxOutputs)
    return fail(out.neuron, "output neurons", out.size, t.maxOutputs);
  if (t.neuronsPerCore && nHid > t.neuronsPerCore)
    return fail(pops.front().neuron, "hidden neurons", nHid,
                t.neuronsPerCore);
  if (x.inputExpansionNeurons && nIen > x.inputExpansionNeurons)
    return fail(pops.front().neuron, "hidden neurons the input reaches", nIen,
                x.inputExpansionNeurons);
  if (x.outputExpansionNeurons && nOen > x.outputExpansionNeurons)
    return fail(out.neuron, "hidden neurons the readout reads", nOen,
                x.outputExpansionNeurons);
  return success();
}

/// dash = round(log2(1 / (1 - decay))): log2(tau/dt) under euler.
int64_t dashOf(double decay, int64_t maxDash) {
  if (!(decay > 0))
    return 0;
  if (decay >= 1)
    return maxDash;
  double d = std::round(-std::log2(1 - decay));
  return std::clamp<int64_t>(int64_t(d), 0, maxDash);
}

void XyloQuantizer::chooseDashes(Population &p) {
  int64_t maxDash = (int64_t(1) << t.xylo->dashBits) - 1;
  std::vector<double> synErr(p.syn.size(), 0.0);
  double memErr = 0;
  for (int64_t h = 0; h < p.size; ++h) {
    for (size_t k = 0; k < p.syn.size(); ++k) {
      Synapse &s = p.syn[k];
      int64_t ds = dashOf(s.decay[h], maxDash);
      double xs = 1 - std::ldexp(1.0, -int(ds));
      s.dash.push_back(ds);
      s.factor.push_back(xs);
      synErr[k] = std::max(synErr[k], std::abs(xs - s.decay[h]));
    }
    int64_t dm = dashOf(p.c.vDecay[h], maxDash);
    p.dashMem.push_back(dm);
    memErr = std::max(memErr, std::abs(1 - std::ldexp(1.0, -int(dm)) -
                                       p.c.vDecay[h]));
  }
  auto decayOf = [](int64_t dash) { return 1 - std::ldexp(1.0, -int(dash)); };
  const char *kind = p.isOutput ? "output" : "hidden";
  if (p.syn.size() == 1) {
    note(false, llvm::formatv("{0} {1}: dash_syn {2}, dash_mem {3} (decays "
                              "{4:f4} and {5:f4}); the largest decay error "
                              "is {6:f4} (synapse) and {7:f4} (membrane)",
                              kind, nameOf(p.neuron), p.syn[0].dash.front(),
                              p.dashMem.front(),
                              decayOf(p.syn[0].dash.front()),
                              decayOf(p.dashMem.front()), synErr[0], memErr));
    return;
  }
  const Synapse &s0 = p.syn[0], &s1 = p.syn[1];
  note(false,
       llvm::formatv("{0} {1}: two synapses, dash_syn {2} ({3}), dash_syn_2 "
                     "{4} ({5}), dash_mem {6} (decays {7:f4}, {8:f4} and "
                     "{9:f4}); the largest decay error is {10:f4} and {11:f4} "
                     "(synapses) and {12:f4} (membrane)",
                     kind, nameOf(p.neuron), s0.dash.front(),
                     nameOf(s0.ops.front()), s1.dash.front(),
                     nameOf(s1.ops.front()), p.dashMem.front(),
                     decayOf(s0.dash.front()), decayOf(s1.dash.front()),
                     decayOf(p.dashMem.front()), synErr[0], synErr[1],
                     memErr));
}

const NodeRange *XyloQuantizer::measured(const Population &p) const {
  if (!ranges)
    return nullptr;
  auto it = ranges->nodes.find(nodeKey(p.neuron));
  if (it == ranges->nodes.end() || !(it->second.membraneMax > 0))
    return nullptr;
  return &it->second;
}

/// The calibration's peak of one synaptic state: a snn.cuba_lif's current,
/// or the largest |v| of the snn.li ops sharing it (a synapse's v is its
/// current).
double XyloQuantizer::synapsePeak(const Population &p,
                                  const Synapse &s) const {
  double peak = 0;
  for (Operation *op : s.ops) {
    auto it = ranges->nodes.find(nodeKey(op));
    if (it == ranges->nodes.end())
      continue;
    peak = std::max(peak, op == p.neuron ? it->second.currentMax
                                         : std::max(it->second.membraneMax,
                                                    it->second.outputMax));
  }
  return peak;
}

void XyloQuantizer::chooseScale(Population &p, int index) {
  double thMax = *std::max_element(p.c.threshold.begin(), p.c.threshold.end());
  double scale = kThresholdMax / thMax;
  double wMax = 0;
  for (const Projection &q : projs)
    if (q.to == index)
      for (int64_t r = 0; r < q.rows; ++r)
        for (int64_t c = 0; c < q.cols; ++c)
          wMax = std::max(wMax, std::abs(q.weight[r * q.cols + c] *
                                         p.c.vGain[r] * q.gain[r] /
                                         p.syn[q.slot].factor[r]));
  if (const NodeRange *r = measured(p)) {
    // The calibration's peaks: |v| (at least the threshold, which must
    // fit) and the synaptic state, in membrane units v_gain * i.
    double vMax = std::max(r->membraneMax, thMax), iMax = 0;
    for (const Synapse &s : p.syn) {
      double peak = synapsePeak(p, s);
      for (int64_t h = 0; h < p.size; ++h)
        iMax = std::max(iMax, peak * p.c.vGain[h] / s.factor[h]);
    }
    double peak = std::max(vMax, iMax);
    double calibrated = kCalibratedMax / peak;
    note(false, llvm::formatv("{0} {1}: membrane unit from the calibration "
                              "(peak |v| {2:g4}, synaptic state {3:g4}): "
                              "threshold {4} instead of {5}",
                              p.isOutput ? "output" : "hidden",
                              nameOf(p.neuron), r->membraneMax, iMax,
                              std::lround(std::min(calibrated,
                                                   wMax > 0 ? double(kWeightMax) * 128 / wMax
                                                            : calibrated) *
                                          thMax),
                              std::lround(std::min(scale,
                                                   wMax > 0 ? double(kWeightMax) * 128 / wMax
                                                            : scale) *
                                          thMax)));
    scale = calibrated;
  }
  if (wMax > 0)
    scale = std::min(scale, double(kWeightMax) * 128 / wMax);
  p.scale = scale;
}

/// The smallest shift (at most `maxShift`) that brings `wMax` into int8.
int64_t shiftFor(double wMax, int64_t maxShift) {
  int64_t s = 0;
  while (s < maxShift && std::round(wMax / std::ldexp(1.0, int(s))) > kWeightMax)
    ++s;
  return s;
}

void XyloQuantizer::describeDifferences() {
  bool toValue = false, nextStep = false, greater = false;
  for (const Population &p : pops) {
    toValue |= p.c.reset != ResetMode::Subtract;
    nextStep |= p.c.timing == ResetTiming::NextStep;
    greater |= p.c.spike == SpikeCondition::Greater;
  }
  if (toValue)
    note(true, "the network resets the membrane to a value; Xylo subtracts "
               "the threshold, so a membrane far above it fires again");
  if (nextStep)
    note(false, "the network resets in the step after a spike; Xylo resets "
                "in the spike's step");
  if (greater)
    note(false, "the network fires when v > threshold; Xylo fires when v >= "
                "threshold");
  note(true, "a hidden Xylo neuron fires up to 31 times per step (the "
             "membrane minus the threshold each time), where the network "
             "fires at most once");
  note(false, "Xylo's leak is a shift and a decrement of at least 1 "
              "(x >> dash, or the sign of x), rounding toward minus infinity");
  for (const Projection &q : projs)
    if (q.source == Source::Hidden) {
      note(true, "Xylo delivers hidden spikes in the next step: " +
                     nameOf(q.op) +
                     " reads its neurons in the same step in the network, "
                     "so its target answers one step later");
      break;
    }
  for (const Projection &q : projs)
    for (double b : q.bias)
      if (b != 0) {
        note(true, "the biases of the weight layers (first " + nameOf(q.op) +
                       ") become the neurons' membrane bias at their steady "
                       "state; Rockpool does not transfer weight biases");
        return;
      }
}

LogicalResult XyloQuantizer::run() {
  if (failed(collectPopulations()) || failed(collectProjections()))
    return failure();
  const target::XyloRules &x = *t.xylo;
  int64_t nIn = getSignalSize(network.getBodyBlock().getArgument(0));
  Population &out = pops.back();
  int64_t nHid = 0;
  for (const Population &p : pops)
    nHid += p.isOutput ? 0 : p.size;
  int64_t nIen = 0, oenFrom = nHid;
  for (const Projection &q : projs) {
    if (q.source == Source::Input)
      nIen = std::max(nIen, pops[q.to].offset + pops[q.to].size);
    if (q.to == int(pops.size()) - 1)
      oenFrom = std::min(oenFrom, pops[q.from].offset);
  }
  if (nIen == 0)
    return refuse(pops.front().neuron) << "no weights read the network input";
  int64_t nOen = nHid - oenFrom;
  if (failed(checkSizes(nIen, nOen)))
    return failure();
  // Audio 2 configures one readout row per hidden neuron (syns61201/
  // xylo_samna.py: Nhidden is weights_out.shape[0]): rows of zeros first.
  if (x.outputExpansionNeurons >= t.neuronsPerCore) {
    oenFrom = 0;
    nOen = nHid;
  }

  for (size_t i = 0; i < pops.size(); ++i) {
    chooseDashes(pops[i]);
    chooseScale(pops[i], int(i));
  }
  // Weights scaled into each target population's units, on the target's
  // synaptic state (rank-3 weights when any neuron uses its second).
  int64_t nSyn = 1;
  for (const Population &p : pops)
    nSyn = std::max<int64_t>(nSyn, int64_t(p.syn.size()));
  xylo::Spec s = xylo::makeSpec(nIn, nHid, out.size, nSyn);
  s.nIen = nIen;
  s.nOen = nOen;
  s.weightsIn.assign(size_t(nIn * nIen * nSyn), 0);
  s.weightsOut.assign(size_t(nOen * out.size), 0);
  s.dt = dt;
  std::vector<double> win(s.weightsIn.size(), 0), wrec(s.weightsRec.size(), 0),
      wout(s.weightsOut.size(), 0);
  std::vector<double> biasHid(size_t(nHid), 0), biasOut(size_t(out.size), 0);
  for (const Projection &q : projs) {
    const Population &to = pops[q.to];
    for (int64_t r = 0; r < q.rows; ++r) {
      const Synapse &syn = to.syn[size_t(q.slot)];
      double k = to.scale * to.c.vGain[r] * q.gain[r];
      // A constant current settles at k * b / (1 - decay) in the membrane.
      double b = k * q.bias[r] / (1 - syn.decay[r]);
      (to.isOutput ? biasOut[r] : biasHid[to.offset + r]) += b;
      for (int64_t c = 0; c < q.cols; ++c) {
        double w = q.weight[r * q.cols + c] * k / syn.factor[r];
        if (q.source == Source::Input)
          win[(c * nIen + to.offset + r) * nSyn + q.slot] += w;
        else if (to.isOutput)
          wout[(pops[q.from].offset + c - oenFrom) * out.size + r] += w;
        else
          wrec[((pops[q.from].offset + c) * nHid + to.offset + r) * nSyn +
               q.slot] += w;
      }
    }
  }
  int64_t maxShift = (int64_t(1) << x.weightShiftBits) - 1;
  auto narrow = [&](const std::vector<double> &w, std::vector<int64_t> &into,
                    int64_t &shift) {
    double m = 0;
    for (double v : w)
      m = std::max(m, std::abs(v));
    shift = shiftFor(m, maxShift);
    into.resize(w.size());
    for (size_t i = 0; i < w.size(); ++i)
      into[i] = std::clamp<int64_t>(
          int64_t(std::round(w[i] / std::ldexp(1.0, int(shift)))),
          -kWeightMax - 1, kWeightMax);
  };
  narrow(win, s.weightsIn, s.weightShiftIn);
  narrow(wrec, s.weightsRec, s.weightShiftRec);
  narrow(wout, s.weightsOut, s.weightShiftOut);

  // Neuron parameters: dashes, int16 thresholds and biases.
  auto i16 = [](double v) {
    return std::clamp<int64_t>(int64_t(std::round(v)), -32768, 32767);
  };
  bool biasClipped = false;
  for (const Population &p : pops)
    for (int64_t h = 0; h < p.size; ++h) {
      double vb = p.scale * p.c.vBias[h] +
                  (p.isOutput ? biasOut[h] : biasHid[p.offset + h]);
      biasClipped |= std::abs(vb) > 32767;
      int64_t th = std::max<int64_t>(1, i16(p.scale * p.c.threshold[h]));
      if (p.isOutput) {
        s.dashSynOut[h] = p.syn[0].dash[h];
        s.dashMemOut[h] = p.dashMem[h];
        s.thresholdOut[h] = th;
        s.biasOut[h] = i16(vb);
      } else {
        size_t i = size_t(p.offset + h);
        // A neuron with one synaptic time constant repeats it on the
        // second state (which then receives no weight).
        s.dashSyn[i] = p.syn[0].dash[h];
        s.dashSyn2[i] = p.syn.back().dash[h];
        s.dashMem[i] = p.dashMem[h];
        s.threshold[i] = th;
        s.bias[i] = i16(vb);
      }
    }
  if (biasClipped)
    note(true, "a bias beyond int16 was clipped");
  if (s.hasBias() && (!x.bias || x.version == 1))
    return refuse(pops.front().neuron)
           << "the network has a bias (a weight layer's bias or v_leak) and "
           << t.name << "'s neurons have none";
  // Fan-out and recurrent weights in all, after narrowing.
  int64_t recTotal = 0;
  for (int64_t p = 0; p < nHid; ++p) {
    int64_t row = 0;
    for (int64_t h = 0; h < nHid; ++h)
      for (int64_t k = 0; k < nSyn; ++k)
        row += s.wrec(p, h, k) != 0;
    recTotal += row;
    if (t.maxFanOut && row > t.maxFanOut)
      return refuse(pops.front().neuron)
             << "recurrent fan-out: needs " << row
             << " synapses to hidden neurons from hidden neuron " << p << ", "
             << t.name << " has " << t.maxFanOut;
  }
  if (x.maxRecurrentWeights && recTotal > x.maxRecurrentWeights)
    return refuse(pops.front().neuron)
           << "recurrent weights: needs " << recTotal << ", " << t.name
           << " has " << x.maxRecurrentWeights;
  note(false, llvm::formatv("weight shifts: in {0}, rec {1}, out {2}; "
                            "membrane units per float unit: hidden {3:g4}, "
                            "output {4:g4}; {5}",
                            s.weightShiftIn, s.weightShiftRec,
                            s.weightShiftOut, pops.front().scale, out.scale,
                            nSyn == 1 ? "one synapse per neuron (each neuron "
                                        "has one synaptic time constant)"
                                      : "two synapses per hidden neuron "
                                        "(weights [.., .., 2], dash_syn_2)"));
  describeDifferences();

  // Build the core in a scratch module, then move its body in.
  OwningOpRef<ModuleOp> scratch = ModuleOp::create(network.getLoc());
  OpBuilder b(network.getContext());
  b.setInsertionPointToStart(scratch->getBody());
  NetworkOp built = xylo::buildXyloNetwork(b, network.getLoc(), s, x.version,
                                           network.getSymName());
  network.getBody().takeBody(built.getBody());
  network.setFunctionTypeAttr(built.getFunctionTypeAttr());
  Operation *core = &network.getBodyBlock().front();
  for (auto &[warning, text] : notes)
    if (warning)
      core->emitWarning() << "snn-quantize: " << text;
    else
      core->emitRemark() << "snn-quantize: " << text;
  return success();
}

} // namespace

bool isXyloTarget(const target::Target &t) {
  return t.xylo.has_value() && t.aliasOf.empty();
}

LogicalResult quantizeXylo(NetworkOp network, const target::Target &t,
                           QuantReport &report, const Calibration *ranges) {
  return XyloQuantizer(network, t, ranges).run();
}

} // namespace snn::quant

//===- Compare.cpp - two engines on the same input, step by step ----------===//

#include "Run/Compare.h"

#include "llvm/Support/Format.h"

#include <chrono>
#include <cstdint>

namespace snn::run {

llvm::Expected<Comparison>
compareEngines(sim::Engine &a, NetworkOp networkA, const std::string &nameA,
               sim::Engine &b, NetworkOp networkB, const std::string &nameB,
               const Inputs &inputs, const std::optional<npy::Array> &labels,
               const RunOptions &options, const StepObserver &observer) {
  if (b.numInputs() != a.numInputs() || b.numOutputs() < 1 ||
      b.outputSize(0) != a.outputSize(0))
    return llvm::createStringError(nameA + " and " + nameB +
                                   " run networks of different interfaces");
  Comparison c;
  c.nameA = nameA;
  c.nameB = nameB;
  // Nodes both engines have, in A's evaluation order; or, when one engine
  // shows no nodes (generated code), the network's output.
  constexpr size_t kOutput = SIZE_MAX;
  std::vector<std::pair<size_t, size_t>> pairs;
  for (const sim::NodePair &p : sim::commonNodes(a, b)) {
    pairs.push_back({p.a, p.b});
    NodeAgreement n;
    n.name = p.name;
    n.spikes = a.stats()[p.a].spikes;
    c.nodes.push_back(n);
  }
  if (pairs.empty()) {
    pairs.push_back({kOutput, kOutput});
    NodeAgreement n;
    n.name = "(output)";
    n.spikes = a.outputIsSpikes(0);
    c.nodes.push_back(n);
  }
  auto nodeOf = [&](sim::Engine &e, size_t k) -> const sim::Matrix & {
    return k == kOutput ? e.output(0) : e.nodeOutput(k);
  };
  int64_t outSize = a.outputSize(0);
  RunResult &rb = c.b;
  rb.samples = inputs.samples;
  rb.steps = inputs.steps;
  llvm::ArrayRef<int64_t> outShape =
      getSignalShape(networkB.getFunctionType().getResult(0));
  rb.outputShape.assign(outShape.begin(), outShape.end());
  rb.outputs.assign(size_t(inputs.samples * inputs.steps * outSize), 0.0);
  double secondsB = 0;
  auto observe = [&](int64_t first, int64_t count, int64_t t,
                     const std::vector<sim::Matrix> &input) {
    auto start = std::chrono::steady_clock::now();
    if (t == 0)
      b.reset(count);
    b.step(input);
    secondsB +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    const sim::Matrix &y = b.output(0);
    for (int64_t s = 0; s < count; ++s)
      for (int64_t j = 0; j < outSize; ++j)
        rb.outputs[((first + s) * inputs.steps + t) * outSize + j] = y(j, s);
    for (size_t k = 0; k < pairs.size(); ++k) {
      const sim::Matrix &x = nodeOf(a, pairs[k].first);
      const sim::Matrix &z = nodeOf(b, pairs[k].second);
      NodeAgreement &n = c.nodes[k];
      if (a.exact() && b.exact() && t == inputs.steps - 1 &&
          pairs[k].first != kOutput) {
        for (auto state : {&sim::Engine::nodeMembrane, &sim::Engine::nodeCurrent}) {
          const sim::Matrix *sa = (a.*state)(pairs[k].first);
          const sim::Matrix *sb = (b.*state)(pairs[k].second);
          if (!sa || !sb)
            continue;
          n.finalStateEqual += double((sa->array() == sb->array()).count());
          n.finalStateTotal += double(sa->size());
        }
      }
      n.total += double(x.size());
      if (n.spikes) {
        n.equal += double((x.array() == z.array()).count());
        n.spikesA += x.sum();
        n.spikesB += z.sum();
      } else {
        n.equal += double((x.array() == z.array()).count());
        n.maxDifference =
            std::max(n.maxDifference, (x - z).cwiseAbs().maxCoeff());
        n.maxMagnitude = std::max(n.maxMagnitude, x.cwiseAbs().maxCoeff());
        continue; // real values part at once; divergence tracks spikes
      }
      c.first.search(x, z, first, count, t, n.name);
    }
    if (observer)
      observer(first, count, t, input);
  };
  RunOptions lockstep = options;
  lockstep.batch = std::min({options.batch, a.maxBatch(), b.maxBatch()});
  llvm::Expected<RunResult> ra =
      runEngine(a, networkA, inputs, labels, lockstep, observe);
  if (!ra)
    return ra.takeError();
  c.a = std::move(*ra);
  c.a.seconds -= secondsB;
  rb.seconds = secondsB;
  rb.stats = b.stats();
  classify(rb, labels, options.readout);
  for (size_t k = 0; k < pairs.size(); ++k)
    if (pairs[k].second != kOutput)
      c.nodes[k].saturationsB = rb.stats[pairs[k].second].saturations;
  for (int64_t n = 0; n < inputs.samples; ++n)
    c.samplesAgreeing += c.a.predictions[n] == rb.predictions[n];
  return c;
}

void printComparison(const Comparison &c, llvm::raw_ostream &os) {
  os << "compare " << c.nameA << " vs " << c.nameB << "\n";
  os << "node                     kind      agreement     spikes "
     << llvm::format("%-8s", c.nameA.c_str()) << "   spikes "
     << llvm::format("%-8s", c.nameB.c_str()) << "  max |diff|  saturated in "
     << c.nameB << "\n";
  for (const NodeAgreement &n : c.nodes) {
    os << llvm::format(
        "%-24s %-8s ", n.name.c_str(),
        static_cast<const char *>(n.spikes ? "spikes" : "values"));
    // Real values of two engines agree only in exact arithmetic.
    if (n.spikes || n.equal == n.total)
      os << llvm::format("%10.6f ", n.total ? n.equal / n.total : 1.0);
    else
      os << llvm::format("%10c ", '-');
    if (n.spikes)
      os << llvm::format("%16.0f %16.0f %11c", n.spikesA, n.spikesB, '-');
    else
      os << llvm::format("%16c %16c %11.4g", '-', '-', n.maxDifference);
    os << llvm::format(" %10.0f\n", n.saturationsB);
  }
  os << llvm::format("predictions agree on %lld of %lld samples\n",
                     static_cast<long long>(c.samplesAgreeing),
                     static_cast<long long>(c.a.samples));
  if (c.a.accuracy)
    os << llvm::format("accuracy %s %.4f, %s %.4f (%+.4f)\n", c.nameA.c_str(),
                       *c.a.accuracy, c.nameB.c_str(), *c.b.accuracy,
                       *c.b.accuracy - *c.a.accuracy);
  double stateEqual = 0, stateTotal = 0;
  for (const NodeAgreement &n : c.nodes) {
    stateEqual += n.finalStateEqual;
    stateTotal += n.finalStateTotal;
  }
  if (stateTotal > 0)
    os << llvm::format("final membranes and currents equal: %.0f of %.0f\n",
                       stateEqual, stateTotal);
  double saturations = 0;
  for (const NodeAgreement &n : c.nodes)
    saturations += n.saturationsB;
  // The column counts the second engine's saturation events only.
  if (c.nameB == "c")
    os << "saturated: the c engine counts no saturation events\n";
  else if (!c.first.found && saturations > 0)
    os << llvm::format("saturated: %.0f events in %s, none of which changed a "
                       "spike\n",
                       saturations, c.nameB.c_str());
  if (!c.first.found)
    os << "no spike differs\n";
  else
    os << llvm::format("first difference: sample %lld, step %lld, node %s, "
                       "neuron %lld (%s %g, %s %g)\n",
                       static_cast<long long>(c.first.sample),
                       static_cast<long long>(c.first.step),
                       c.first.node.c_str(),
                       static_cast<long long>(c.first.neuron), c.nameA.c_str(),
                       c.first.a, c.nameB.c_str(), c.first.b);
}

llvm::json::Object comparisonJson(const Comparison &c) {
  llvm::json::Array nodes;
  for (const NodeAgreement &n : c.nodes) {
    llvm::json::Object o{{"name", n.name},
                         {"spikes", n.spikes},
                         {"agreement", n.total ? n.equal / n.total : 1.0},
                         {"saturations", n.saturationsB}};
    if (n.finalStateTotal > 0)
      o["final_state_agreement"] = n.finalStateEqual / n.finalStateTotal;
    if (n.spikes) {
      o["spike_count_" + c.nameA] = n.spikesA;
      o["spike_count_" + c.nameB] = n.spikesB;
    } else {
      o["max_abs_difference"] = n.maxDifference;
      o["max_abs_" + c.nameA] = n.maxMagnitude;
    }
    nodes.push_back(std::move(o));
  }
  llvm::json::Object out{{"engines", llvm::json::Array{c.nameA, c.nameB}},
                         {"samples", c.a.samples},
                         {"steps", c.a.steps},
                         {"nodes", std::move(nodes)},
                         {"predictions_agree", c.samplesAgreeing}};
  if (c.a.accuracy) {
    out["accuracy_" + c.nameA] = *c.a.accuracy;
    out["accuracy_" + c.nameB] = *c.b.accuracy;
  }
  if (c.first.found)
    out["first_difference"] = llvm::json::Object{{"sample", c.first.sample},
                                                 {"step", c.first.step},
                                                 {"node", c.first.node},
                                                 {"neuron", c.first.neuron}};
  return out;
}

} // namespace snn::run

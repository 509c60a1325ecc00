//===- Schedule.h - the order in which an engine runs a network -*- C++ -*-===//

#ifndef SNN_SIM_SCHEDULE_H
#define SNN_SIM_SCHEDULE_H

#include "SNN/IR/SNNOps.h"
#include "Sim/Engine.h"
#include "SNN/IR/SNNDiscrete.h"
#include "SNN/IR/SNNLimits.h"
#include "Sim/Kernels.h"

#include "mlir/Support/LogicalResult.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace snn::sim {

/// A network's signals numbered for an engine: inputs first, then each op's
/// result, and the ops in evaluation order.
struct Schedule {
  llvm::DenseMap<mlir::Value, int> valueIndex;
  std::vector<mlir::Value> inputs;      // network arguments
  std::vector<mlir::Operation *> order; // ops in evaluation order
  int numValues = 0;
};

/// Evaluation order: a topological order of the graph without the edges
/// that leave delays (the verifier guarantees it is acyclic). Delays read
/// their state before the step runs, so their users may come first. Fails,
/// with an error on the first op left unordered, on a cycle without a delay.
mlir::FailureOr<Schedule> schedule(NetworkOp network);

/// What every engine keeps about a node besides its own arithmetic: where it
/// reads and writes, and its counters.
struct NodeInfo {
  std::string name, opName;
  std::vector<int> inputs; // value indices
  int output = -1;
  int64_t size = 0;
  bool spikes = false;
  NodeStats stats;

  /// Fills the fields from `op` and the schedule's value numbering.
  void describe(mlir::Operation *op, const Schedule &schedule);
};

/// Fails, with an error on `op` naming it and the limit, when `op` carries a
/// weight an engine would have to hold dense beyond
/// limits::kMaxDenseElements (a huge splat is valid IR but is not expanded).
mlir::LogicalResult weightFitsDense(mlir::Operation *op);

/// An engine's preparation of `network` as its runtime callers see it:
/// errors that `build` emits on the ops at fault are collected, not
/// printed, and joined after the message of the error `build` returns (an
/// emittedError() has none) into the returned error.
llvm::Error buildEngine(NetworkOp network,
                        llvm::function_ref<llvm::Error()> build);
/// A failure whose reason was emitted on the op at fault.
llvm::Error emittedError();

/// Engine queries over a vector of nodes derived from NodeInfo.
template <typename Node>
std::optional<size_t> findNodeNamed(const std::vector<Node> &nodes,
                                    const std::string &name) {
  for (size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].name == name)
      return i;
  return std::nullopt;
}

template <typename Node>
std::vector<std::string> namedNodes(const std::vector<Node> &nodes) {
  std::vector<std::string> names;
  for (const Node &n : nodes)
    if (!n.name.empty())
      names.push_back(n.name);
  return names;
}

template <typename Node>
const std::vector<NodeStats> &collectStats(const std::vector<Node> &nodes,
                                           std::vector<NodeStats> &cache) {
  cache.clear();
  for (const Node &n : nodes)
    cache.push_back(n.stats);
  return cache;
}

/// Zeroes the counters, keeping what describes the node.
template <typename Node> void clearStats(std::vector<Node> &nodes) {
  for (Node &n : nodes) {
    NodeStats fresh;
    fresh.name = n.stats.name;
    fresh.key = n.stats.key;
    fresh.op = n.stats.op;
    fresh.spikes = n.stats.spikes;
    fresh.neurons = n.stats.neurons;
    n.stats = fresh;
  }
}

/// A delay's output in step `time`: per neuron, what `ring` stored
/// `steps[j]` steps earlier (one entry per neuron, or one for all), zero
/// before that. `ring` holds one [neurons x samples] matrix per step.
template <typename MatrixT>
void emitDelayed(const std::vector<MatrixT> &ring,
                 const std::vector<int64_t> &steps, int64_t time,
                 MatrixT &out) {
  int64_t depth = static_cast<int64_t>(ring.size());
  for (int64_t j = 0; j < out.rows(); ++j) {
    int64_t d = steps[steps.size() == 1 ? 0 : j];
    if (time >= d)
      out.row(j) = ring[(time - d) % depth].row(j);
  }
}

/// Zeroes what a node keeps across steps for a batch of `samples`: the
/// neuron's state (membrane, current, last spikes) or the delay's ring.
template <typename MatrixT, typename Node>
void zeroState(Node &node, int64_t samples, bool neuron, bool delay) {
  if (neuron) {
    node.v = MatrixT::Zero(node.size, samples);
    if (node.hasCurrent)
      node.current = MatrixT::Zero(node.size, samples);
    if (node.fires)
      node.previousSpikes = MatrixT::Zero(node.size, samples);
  }
  if (delay)
    node.ring.assign(node.maxDelay, MatrixT::Zero(node.size, samples));
}

/// One step of a network: delays emit what they stored, every other node
/// runs in evaluation order (`run`), then delays store their input.
template <typename MatrixT, typename Node, typename Run>
void advance(std::vector<Node> &nodes, const std::vector<size_t> &delays,
             std::vector<MatrixT> &values, int64_t samples, int64_t time,
             Run run) {
  for (size_t index : delays) {
    Node &node = nodes[index];
    MatrixT &out = values[node.output];
    out.setZero(node.size, samples);
    emitDelayed(node.ring, node.delaySteps, time, out);
    node.stats.nonzero += double((out.array() != 0).count());
    node.stats.outputs += double(out.size());
  }
  std::vector<bool> isDelay(nodes.size(), false);
  for (size_t index : delays)
    isDelay[index] = true;
  for (size_t i = 0; i < nodes.size(); ++i)
    if (!isDelay[i])
      run(nodes[i]);
  for (size_t index : delays) {
    Node &node = nodes[index];
    node.ring[time % node.maxDelay] = values[node.inputs[0]];
  }
}

/// Steps of a delay node, per neuron or one for all, and the longest. The
/// verifier and delayInSteps bound them to [1, limits::kMaxDelaySteps]: the
/// ring holds one [neurons x samples] matrix per step. Fails with an error
/// on the op.
template <typename Node>
mlir::LogicalResult configureDelay(DelayOp op, double dt, Node &node) {
  node.kind = decltype(node.kind)::Delay;
  mlir::FailureOr<std::vector<int64_t>> steps = delayInSteps(op, dt);
  if (mlir::failed(steps))
    return mlir::failure();
  node.delaySteps = std::move(*steps);
  for (int64_t d : node.delaySteps)
    node.maxDelay = std::max(node.maxDelay, d);
  return mlir::success();
}

/// What the float and the fixed-point engines keep and do alike: the nodes
/// in evaluation order, one matrix per signal, the inputs, the time, and the
/// node queries of the Engine interface. `Node` derives from NodeInfo and
/// has a `kind` whose enum names `Neuron` and `Delay`.
template <typename MatrixT, typename Node> struct StepGraph {
  std::vector<Node> nodes;     // in evaluation order
  std::vector<size_t> delays;  // indices of delay nodes
  std::vector<MatrixT> values; // one per signal
  std::vector<int> inputValues;
  std::vector<int64_t> inputSizes;
  int64_t samples = 0, time = 0;
  mutable std::vector<NodeStats> statsCache;
  /// The engine's settings (Engine::propagation and eventDensity).
  const Propagation *propagation = nullptr;
  const double *eventDensity = nullptr;

  /// Whether a projection reading `in` runs event-driven; counts its
  /// non-zero inputs into `nonzero`.
  bool eventDriven(const MatrixT &in, int64_t &nonzero) const {
    nonzero = (in.array() != 0).count();
    double density = in.size() ? double(nonzero) / double(in.size()) : 0;
    return *propagation == Propagation::EventDriven ||
           (*propagation == Propagation::Auto && density < *eventDensity);
  }

  /// Numbers the signals and makes one node per op in evaluation order;
  /// `configure(op, node)` fills an engine's part of each (false: stop,
  /// having reported why). Returns the numbering.
  template <typename Configure>
  mlir::FailureOr<Schedule> plan(NetworkOp network, Configure configure) {
    mlir::FailureOr<Schedule> order = schedule(network);
    if (failed(order))
      return mlir::failure();
    for (mlir::Value arg : order->inputs) {
      inputValues.push_back(order->valueIndex[arg]);
      inputSizes.push_back(getSignalSize(arg));
    }
    values.resize(order->numValues);
    for (mlir::Operation *op : order->order) {
      Node node;
      node.describe(op, *order);
      if (!configure(op, node))
        return mlir::failure();
      if (node.kind == decltype(node.kind)::Delay)
        delays.push_back(nodes.size());
      nodes.push_back(std::move(node));
    }
    return order;
  }

  /// Zeroes state and signals for a batch of `count` samples.
  void resetState(int64_t count) {
    samples = count;
    time = 0;
    for (Node &node : nodes) {
      zeroState<MatrixT>(node, count, node.kind == decltype(node.kind)::Neuron,
                         node.kind == decltype(node.kind)::Delay);
      values[node.output] = MatrixT::Zero(node.size, count);
    }
  }

  /// One step, `run` computing each node that is not a delay.
  template <typename Run> void advanceStep(Run run) {
    advance(nodes, delays, values, samples, time, run);
    ++time;
  }

  /// A projection node (`weight`, `bias`, `blocks`) over every sample,
  /// event-driven or dense by the engine's settings, with its counters.
  void projectNode(Node &node) {
    const MatrixT &in = values[node.inputs[0]];
    int64_t nonzero;
    bool event = eventDriven(in, nonzero);
    project(node.weight, node.bias, node.blocks, in, values[node.output],
            event);
    node.stats.synopsEffective += double(nonzero) * double(node.weight.rows());
    node.stats.synopsDense +=
        double(node.weight.size() * node.blocks) * double(samples);
    (event ? node.stats.eventSteps : node.stats.denseSteps) += 1;
  }

  /// A convolution node (`window`, `kernel`, `bias`) over every sample.
  void convolveNode(Node &node) {
    const Window &g = node.window;
    const MatrixT &in = values[node.inputs[0]];
    MatrixT &out = values[node.output];
    out.resize(g.outChannels * g.outHeight * g.outWidth, samples);
    int64_t nonzero;
    bool event = eventDriven(in, nonzero);
    for (int64_t b = 0; b < samples; ++b)
      node.stats.synopsEffective +=
          convolve(g, in.col(b).data(), out.col(b).data(), node.kernel.data(),
                   node.bias.data(), event);
    node.stats.synopsDense += double(out.rows()) *
                              double(g.channels / g.groups * g.kh * g.kw) *
                              double(samples);
    (event ? node.stats.eventSteps : node.stats.denseSteps) += 1;
  }

  std::optional<size_t> findNode(const std::string &name) const {
    return findNodeNamed(nodes, name);
  }
  std::vector<std::string> nodeNames() const { return namedNodes(nodes); }
  const std::vector<NodeStats> &stats() const {
    return collectStats(nodes, statsCache);
  }
  void resetStats() { clearStats(nodes); }
};

} // namespace snn::sim

#endif // SNN_SIM_SCHEDULE_H

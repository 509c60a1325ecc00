//===- Emulator.h - a chip image, step by step, with its costs --*- C++ -*-===//
//
// Runs a verified chip image exactly as the fixed-point reference computes
// the network it came from (docs/quantization.md), and counts what the chip
// would spend doing it: per core and step the synaptic events, neuron
// updates and spikes, turned into cycles by the target's cost model; spike
// packets over the mesh with per-hop latency and per-link contention; a
// barrier per step; energy. docs/emulator.md gives the model.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_RUNTIME_EMULATOR_H
#define SNN_RUNTIME_EMULATOR_H

#include "image/ChipImage.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace snn::emu {

/// What one core did, in one step or summed over a run.
struct CoreCounters {
  double cycles = 0;
  int64_t synapticEvents = 0, neuronUpdates = 0, spikes = 0;
};

/// What the chip did in one step or, summed, over a run.
struct Counters {
  int64_t steps = 0;
  double cycles = 0;      // step latency: slowest core, then the NoC
  double nocCycles = 0;
  double energyPJ = 0;
  int64_t synapticEvents = 0, neuronUpdates = 0, spikes = 0;
  int64_t packets = 0, hopTraversals = 0;
  int64_t busiestLinkPackets = 0; // on the busiest link in one step
  // A system of chips: packets that change chips, their chip-to-chip hops,
  // the busiest chip link's packets in one step, and the cycles the links
  // add (within nocCycles).
  int64_t chipPackets = 0, chipHopTraversals = 0, busiestChipLinkPackets = 0;
  double chipCycles = 0;
};

class SpikeExchange;
struct ExchangeStats;

/// The terms of Rockpool's analytic Xylo cycle model, measured over a run
/// (for comparing the emulated count with the model's estimate).
struct XyloActivity {
  int64_t inputs = 0, hidden = 0, outputs = 0; // Nin, Nhid, Nout
  int64_t inputEvents = 0, hiddenSpikes = 0;   // summed over steps
  int64_t hiddenSynapses = 0;                  // hidden-to-hidden synapses
};

class Emulator {
public:
  /// The image must have been verified (ChipImage does so on load).
  explicit Emulator(std::shared_ptr<const image::ChipImage> image);
  ~Emulator();

  size_t numInputs() const;
  size_t numOutputs() const;
  int64_t inputSize(size_t k) const;
  int64_t outputSize(size_t k) const;
  bool inputIsSpikes(size_t k) const;
  bool outputIsSpikes(size_t k) const;
  std::string inputName(size_t k) const;
  std::string outputName(size_t k) const;

  /// Zeroes state and time (not the run totals; see clearTotals).
  void reset();
  /// Input k for the next step: real values (spikes: non-zero is a spike).
  void setInput(size_t k, const double *values);
  /// One step: delays emit, stages run in order, delays store.
  void step();

  /// Output k of the last step: integers, and the real value of one.
  const std::vector<int64_t> &output(size_t k) const;
  double outputUnit(size_t k, int64_t element) const;
  /// Output k of the last step as real values into `values` (outputSize(k)
  /// of them): output(k) times its units, without per-element lookups.
  void outputReal(size_t k, double *values) const;

  /// Stages by name (the op names of the network), for probes and traces.
  std::vector<std::string> stageNames() const;
  int findStage(const std::string &name) const;
  const std::vector<int64_t> &stageOutput(int stage) const;
  double stageUnit(int stage, int64_t element) const;
  bool stageIsSpikes(int stage) const;
  /// Membrane and current of a neuron stage (null otherwise), with units.
  const std::vector<int64_t> *membrane(int stage) const;
  const std::vector<int64_t> *current(int stage) const;
  double membraneUnit(int stage, int64_t element) const;
  double currentUnit(int stage, int64_t element) const;
  /// Per stage: results that had to saturate or wrap to their width.
  int64_t saturations(int stage) const;
  /// Per stage: which of the loops chosen at load time runs it (the fast
  /// paths of docs/performance.md, or "general").
  std::string stagePath(int stage) const;

  /// Cores of the image, in declaration order, and their ids.
  size_t numCores() const;
  int coreId(size_t core) const;
  const image::Chip &chip() const;
  double clockMHz() const; // 0: the image does not say

  const Counters &lastStep() const;
  const std::vector<CoreCounters> &lastStepCores() const;
  const Counters &totals() const;
  const std::vector<CoreCounters> &totalCores() const;
  /// Packets per link over the run: (from core, to core) -> count; the
  /// host port is core -1.
  std::vector<std::pair<std::pair<int, int>, int64_t>> linkTraffic() const;
  const XyloActivity &xyloActivity() const;
  /// Rockpool's analytic cycles per step for the measured activity, when
  /// the target uses that model (else 0).
  double rockpoolCyclesPerStep() const;
  void clearTotals();

  /// A run's totals, for putting together runs over parts of the samples
  /// (snn-run on several MPI ranks).
  struct RunTotals {
    Counters total;
    std::vector<CoreCounters> cores;
    std::vector<int64_t> links, saturations; // per link, per stage
    int64_t inputEvents = 0, hiddenSpikes = 0; // XyloActivity's sums
  };
  RunTotals runTotals() const;
  /// The real-valued step figures the totals sum, in this order: cycles,
  /// NoC cycles, energy, then each core's cycles (3 + numCores() values).
  void appendStepReals(std::vector<double> &out) const;
  /// Adds `other`, a run of the same image whose steps followed this run's:
  /// counts add up, and the real-valued totals are summed again step by step
  /// from `stepReals` (appendStepReals after each of its steps), so that
  /// they round exactly as one run's do.
  void appendRun(const RunTotals &other, const std::vector<double> &stepReals);

  /// A system of chips (docs/scale-out.md): the chips in use, the chip of
  /// core k (an index into them) and a chip's id.
  size_t numChips() const;
  int chipOfCore(size_t core) const;
  int chipId(size_t chip) const;
  /// Runs this emulator as one rank of a system spread over `exchange`'s
  /// ranks (ChipSystem.h): it computes the stages on its chips and
  /// exchanges the rest. Every rank must step together; the outputs and
  /// every counter are then those of a one-rank run, on rank 0. Only what
  /// a rank's chips need crosses ranks (and the outputs, to rank 0);
  /// membranes, currents and stage outputs of other ranks' chips are not
  /// kept, unless `hostReadsAll`: then rank 0 holds every stage's output.
  void distribute(std::shared_ptr<SpikeExchange> exchange,
                  bool hostReadsAll = false);
  /// The non-zero elements of stage k's output in the last step (when
  /// distributed: of every rank, on rank 0).
  int64_t stageNonzero(int stage) const;
  /// Exchanges per step and what they cost so far; null when not
  /// distributed.
  int exchangesPerStep() const;
  const ExchangeStats *exchangeStats() const;
  /// The rank running chip k (0 when not distributed).
  int rankOfChip(size_t chip) const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl;
};

} // namespace snn::emu

#endif // SNN_RUNTIME_EMULATOR_H

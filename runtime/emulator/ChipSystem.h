//===- ChipSystem.h - an image spread over chips, and over ranks -*- C++ -*-===//
//
// A chip image mapped onto a system of chips (docs/scale-out.md) says which
// chip each core is on and where that chip sits on the mesh of chips. Two
// pieces serve the emulator:
//
//  - ChipSystem numbers the mesh nodes of every chip in use and routes a
//    spike packet over them: on its chip to the port next to core (0, 0),
//    over chip-to-chip links in dimension order, and on from the port of the
//    other chip. It charges the links: latency per chip hop of the longest
//    route, occupancy per packet on the busiest link, energy per packet and
//    chip hop. On a one-chip image it is the plain mesh it always was.
//
//  - Distribution runs one system on several processes (ranks): each rank
//    runs the slices of the stages on its chips and skips the others, and
//    the ranks exchange what crosses them through a SpikeExchange, which
//    the runtime only declares (snn-run implements it over MPI), so that the
//    runtime builds without MPI. Each step ends with one exchange: what the
//    rank's chips computed (spikes as packed indices, values as pairs of
//    index and non-zero value), so that every rank holds every signal for
//    outputs, delays and per-stage figures, and the rank's counters, summed
//    so that every rank computes the very figures a one-rank run does. A stage that reads, in the same step, a signal
//    computed on other ranks needs one exchange more before it; the plan
//    says how many a step takes.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_RUNTIME_CHIPSYSTEM_H
#define SNN_RUNTIME_CHIPSYSTEM_H

#include "emulator/Emulator.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace snn::emu {

/// The collective a distributed emulation needs, as the runtime sees it.
class SpikeExchange {
public:
  virtual ~SpikeExchange() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  /// Collective: parts[r] goes to rank r; returns what each rank sent to
  /// this one, in rank order (this rank's own part included).
  virtual std::vector<std::string> exchange(std::vector<std::string> parts) = 0;
};

/// The chips of an image and the links between them.
class ChipSystem {
public:
  explicit ChipSystem(const image::Chip &chip);

  /// More than one chip in use.
  bool multiChip() const { return chipIds.size() > 1; }
  size_t numChips() const { return chipIds.size(); }
  size_t numCores() const { return coreChip.size(); }
  int chipId(size_t index) const { return chipIds[index]; }
  /// The index (among the chips in use) of the chip of core k (declaration
  /// order).
  int chipOfCore(size_t core) const { return coreChip[core]; }
  /// Core k's mesh node: chip index x nodes per chip + y x width + x.
  int nodeOfCore(size_t core) const { return coreNode[core]; }
  /// A node's global core id (chip id x nodes per chip + position).
  int coreIdOfNode(int node) const;
  int nodesPerChip() const { return width * height; }
  /// On-chip links (4 per node) and the host port's: the links indexed
  /// [0, meshLinks()); chip-to-chip links follow.
  int meshLinks() const { return int(chipIds.size()) * width * height * 4 + 1; }
  int hostLink() const { return meshLinks() - 1; }
  int numLinks() const { return meshLinks() + int(chipLinks.size()); }

  /// The links a packet from node `from` (-1: the host port, next to node
  /// 0) to node `to` crosses, and its chip hops.
  std::vector<int> route(int from, int to, int &chipHops);

  /// Adds what the step's chip-to-chip traffic costs to `step` (cycles,
  /// NoC cycles, energy; the busiest chip link's packets).
  void charge(const std::vector<int64_t> &linkLoad, int maxChipHops,
              const image::CostModel &cost, Counters &step) const;

private:
  int width = 1, height = 1;
  std::vector<int> chipIds;                  // in use, ascending
  std::vector<std::pair<int, int>> chipPlace; // per chip index: x, y
  std::vector<int> coreChip, coreNode;
  std::map<std::pair<int, int>, int> placeIndex; // chip place -> index
  /// Chip-to-chip links used so far: (chip index, direction) -> link.
  std::map<std::pair<int, int>, int> chipLinks;
};

/// A stage as the distribution plans it.
struct StageShape {
  bool sliced = false;       // synapses or neurons split over cores
  bool elementwise = false;  // sum, reshape: element j of the output
                             // comes from element j of the inputs
  bool needsAll = false;     // synapses: any input element reaches any row
  bool delay = false, quantize = false;
  std::vector<int> inputs;
  int output = -1;
  std::vector<int> cores;    // core index per slice
  std::vector<int64_t> splits;
};

/// What the exchanges of a run cost.
struct ExchangeStats {
  int64_t exchanges = 0, bytesSent = 0;
  double seconds = 0;
};

using Ranges = std::vector<std::pair<int64_t, int64_t>>;

/// The counters of one step that a rank adds to the others'.
struct StepCounts {
  Counters *step = nullptr;
  std::vector<CoreCounters> *cores = nullptr;
  std::vector<int64_t> *links = nullptr;
  int *maxHops = nullptr, *maxChipHops = nullptr;
  std::vector<int64_t *> sums; // further whole numbers to add up
};

class Distribution {
public:
  /// Chips go to ranks in contiguous runs of the chips in use, in chip
  /// order, as even as they can be.
  Distribution(std::shared_ptr<SpikeExchange> exchange,
               const ChipSystem &system, std::vector<StageShape> stages,
               std::vector<int64_t> signalSizes, std::vector<bool> spikes,
               const std::vector<int> &inputSignals,
               const std::vector<int> &outputSignals);

  int rank() const { return me; }
  int ranks() const { return numRanks; }
  int rankOfChip(size_t chipIndex) const { return chipRank[chipIndex]; }
  /// The elements of stage k this rank computes, and whether it runs each
  /// slice.
  const Ranges &owned(size_t stage) const { return ownedBy[stage][me]; }
  bool ownsSlice(size_t stage, size_t slice) const;
  /// Exchanges in one step.
  int exchangesPerStep() const;

  /// Completes the signals stage k reads from other ranks (when planned).
  void beforeStage(size_t stage, std::vector<std::vector<int64_t>> &signals);
  /// The step's last exchange: outputs and delay inputs completed, and the
  /// counters added up over the ranks.
  void endOfStep(std::vector<std::vector<int64_t>> &signals,
                 const StepCounts &counts);
  const ExchangeStats &stats() const { return exchangeStats; }
  /// Completes per-element arrays of stages (membranes, currents) from the
  /// ranks computing them: for reading a neuron's state, which only its
  /// rank keeps up to date. Collective.
  void completeArrays(
      const std::vector<std::pair<size_t, std::vector<int64_t> *>> &arrays);

private:
  struct Transfer {
    int signal = -1;
    std::vector<Ranges> held; // per rank: the elements it holds
  };
  void exchangeSignals(const std::vector<Transfer> &transfers,
                       std::vector<std::vector<int64_t>> &signals,
                       const StepCounts *counts);

  std::shared_ptr<SpikeExchange> exchanger;
  int me = 0, numRanks = 1;
  std::vector<int> chipRank, coreRank;
  std::vector<std::vector<Ranges>> ownedBy; // per stage, per rank
  std::vector<std::vector<bool>> slicesOwned; // per stage: this rank's
  std::vector<bool> spikes;
  std::map<size_t, std::vector<Transfer>> before; // stage -> transfers
  std::vector<Transfer> atEnd;
  ExchangeStats exchangeStats;
};

} // namespace snn::emu

#endif // SNN_RUNTIME_CHIPSYSTEM_H

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
//    runtime builds without MPI. A plan made once says which elements of
//    which signal each rank needs (a table's sources with synapses onto the
//    rank's rows, a population's own inputs, the delays' next steps; the
//    network's outputs on rank 0, the host) and sends only those: spikes as
//    packed indices, values as (index, value) pairs of the non-zero ones.
//    Each step ends with one exchange, which also carries every rank's
//    counters to rank 0, so that rank 0 computes the very figures a
//    one-rank run does. A stage that reads, in the same step, elements
//    computed on other ranks needs one exchange more before it.
//
//    An exchange is one collective (MPI_Alltoallv) of fixed-size slots per
//    pair of ranks that talk, each led by a 4-byte length: the slot sizes
//    follow the traffic (both ends apply one rule to the lengths they saw),
//    and a message longer than its slot sends the rest point to point to
//    the one rank that expects it, without a second collective.
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
  /// Collective (every rank calls it): parts[r] goes to rank r, and
  /// receiveSizes[r] bytes come from rank r, which both ends know; returns
  /// what each rank sent to this one, in rank order (own part: empty).
  virtual std::vector<std::string>
  exchange(std::vector<std::string> parts,
           const std::vector<size_t> &receiveSizes) = 0;
  /// Point to point, between the pairs with bytes to move only: parts[r]
  /// (when not empty) goes to rank r, receiveSizes[r] bytes come from r.
  virtual std::vector<std::string>
  transfer(std::vector<std::string> parts,
           const std::vector<size_t> &receiveSizes) = 0;
};

class Reader;

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
  /// A sliced table's synapses (before any rank keeps only its rows): which
  /// sources reach which rows.
  const std::vector<int32_t> *offsets = nullptr, *targets = nullptr;
};

/// What the exchanges of a run cost.
struct ExchangeStats {
  int64_t exchanges = 0;
  int64_t bytesSent = 0;    // on the wire: slots, and the rest of long messages
  int64_t payloadBytes = 0; // of which spikes, values and counters
  int64_t lateMessages = 0; // messages longer than their slot
  double seconds = 0;
};

using Ranges = std::vector<std::pair<int64_t, int64_t>>;

/// The messages of one exchange point between this rank and the others: a
/// slot per pair of ranks that talk, sized to the traffic seen so far.
class SlotChannel {
public:
  /// sendsTo[r], receivesFrom[r]: whether this rank sends to / receives from
  /// rank r at this point (planned alike on every rank).
  SlotChannel(int me, std::vector<bool> sendsTo, std::vector<bool> receivesFrom);
  /// Collective. payloads[r] goes to rank r (only where sendsTo[r]);
  /// returns what each rank sent here.
  std::vector<std::string> run(SpikeExchange &exchange,
                               std::vector<std::string> payloads,
                               ExchangeStats &stats);

private:
  struct Pair {
    bool active = false;
    int64_t slot = 64;     // bytes on the wire, length included
    int64_t windowMax = 0; // longest payload of the current window
  };
  /// The rule both ends apply after each exchange.
  static void adapt(Pair &pair, int64_t payload, int64_t exchanges);
  int me;
  std::vector<Pair> out, in;
  int64_t runs = 0;
};

/// The counters of one step that a rank adds to the others'.
struct StepCounts {
  Counters *step = nullptr;
  std::vector<CoreCounters> *cores = nullptr;
  std::vector<int64_t> *links = nullptr;
  int *maxHops = nullptr, *maxChipHops = nullptr;
  std::vector<int64_t *> sums; // further whole numbers to add up
  /// Per stage: non-zero elements of its output in the step (filled in).
  std::vector<int64_t> *nonzero = nullptr;
};

class Distribution {
public:
  /// Chips go to ranks in contiguous runs of the chips in use, in chip
  /// order, as even as they can be. With `hostReadsAll`, rank 0 receives
  /// every signal each step (a comparison reads every stage's output).
  Distribution(std::shared_ptr<SpikeExchange> exchange,
               const ChipSystem &system, std::vector<StageShape> stages,
               std::vector<int64_t> signalSizes, std::vector<bool> spikes,
               const std::vector<int> &inputSignals,
               const std::vector<int> &outputSignals, bool hostReadsAll);

  int rank() const { return me; }
  int ranks() const { return numRanks; }
  int rankOfChip(size_t chipIndex) const { return chipRank[chipIndex]; }
  /// The elements of stage k this rank computes, and whether it runs each
  /// slice.
  const Ranges &owned(size_t stage) const { return ownedBy[stage][me]; }
  bool ownsSlice(size_t stage, size_t slice) const;
  /// Exchanges in one step.
  int exchangesPerStep() const;

  /// Completes the elements stage k reads from other ranks (when planned).
  void beforeStage(size_t stage, std::vector<std::vector<int64_t>> &signals);
  /// The step's last exchange: what the other ranks need of this rank's
  /// signals (next steps' delays, the outputs on rank 0), and on rank 0
  /// the counters of every rank added up.
  void endOfStep(std::vector<std::vector<int64_t>> &signals,
                 const StepCounts &counts);
  const ExchangeStats &stats() const { return exchangeStats; }
  /// Completes per-element arrays of stages (membranes, currents) on rank 0
  /// from the ranks computing them: only a neuron's rank keeps its state.
  /// Collective.
  void completeArrays(
      const std::vector<std::pair<size_t, std::vector<int64_t> *>> &arrays);

private:
  struct Transfer {
    int signal = -1;
    std::vector<std::vector<Ranges>> ranges; // [sender][receiver]
  };
  struct Point {
    std::vector<Transfer> transfers;
    std::unique_ptr<SlotChannel> channel;
  };
  void plan(const std::vector<StageShape> &stages,
            const std::vector<int64_t> &signalSizes,
            const std::vector<int> &inputSignals,
            const std::vector<int> &outputSignals, bool hostReadsAll);
  void openChannel(Point &point, bool counters);
  void exchangeSignals(Point &point, std::vector<std::vector<int64_t>> &signals,
                       const StepCounts *counts);
  void packCounters(std::string &out, const std::vector<int64_t> &nonzero,
                    const StepCounts &counts) const;
  void unpackCounters(Reader &in, int from, std::vector<int64_t> &nonzero,
                      const StepCounts &counts) const;

  std::shared_ptr<SpikeExchange> exchanger;
  int me = 0, numRanks = 1;
  std::vector<int> chipRank, coreRank;
  std::vector<std::vector<Ranges>> ownedBy; // per stage, per rank
  std::vector<std::vector<bool>> slicesOwned; // per stage: this rank's
  std::vector<int> stageOutput; // per stage: its output signal
  std::vector<Ranges> counted; // per stage: the output elements whose
                               // non-zero count this rank reports
  std::vector<bool> spikes;
  std::map<size_t, Point> before; // stage -> exchange before it
  Point atEnd;
  std::unique_ptr<SlotChannel> statesChannel;
  ExchangeStats exchangeStats;
};

} // namespace snn::emu

#endif // SNN_RUNTIME_CHIPSYSTEM_H

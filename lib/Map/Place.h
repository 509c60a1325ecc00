//===- Place.h - partition, place and route a chip --------------*- C++ -*-===//
//
// Splits every population and synapse table into groups that fit a core,
// places the groups on the target's mesh so that expected spike traffic
// (spikes per step times mesh hops) is small, writes the routing tables and
// says why each group went where it did.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_MAP_PLACE_H
#define SNN_MAP_PLACE_H

#include "SNNHW/IR/SNNHWOps.h"
#include "Target/Target.h"

#include "llvm/Support/JSON.h"

#include <map>
#include <string>
#include <vector>

namespace snn::map {

struct MapOptions {
  /// Expected spikes per neuron and step where no measured rate is known.
  double activity = 0.1;
  /// Measured rates by node name (snn-run --calibrate), and of the inputs.
  std::map<std::string, double> rates;
  double inputRate = -1;
  /// Expected cycles a core may spend per step: -1 for real time (the
  /// network's dt at the target's clock), 0 for no limit.
  double cycleBudget = -1;

  /// Takes the measured rates of a calibration (snn-run --calibrate).
  template <typename Calibration> void useRates(const Calibration &c) {
    for (const auto &[name, range] : c.nodes)
      if (range.rate >= 0)
        rates[name] = range.rate;
    inputRate = c.inputRate;
  }
};

/// A group: one slice of a population or table, on one core.
struct Group {
  std::string op;           // name of the op it is a slice of
  int64_t slice = 0, begin = 0, end = 0;
  int64_t neurons = 0, synapseBytes = 0, fanIn = 0;
  double cycles = 0;        // expected per step, from the target's costs
  int64_t core = -1;
  std::string reason;       // why it is on that core
};

struct CoreUse {
  int64_t id = 0, x = 0, y = 0, neurons = 0, synapseBytes = 0, fanIn = 0;
  int64_t chip = 0; // on a system of chips; x, y are within the chip
  double cycles = 0;
  std::vector<size_t> groups;
};

struct RouteUse {
  std::string source;
  int64_t slice = 0, from = -1;
  std::vector<int64_t> to, hops;
  double rate = 0; // spikes per step leaving the slice
};

struct MapReport {
  std::string network, target;
  int64_t targetCores = 0, neuronsPerCore = 0, synapseBytesPerCore = 0;
  // A system of chips (targetChips > 1): targetCores counts all chips'.
  int64_t targetChips = 1, coresPerChip = 0, chipsUsed = 1;
  double interChipTraffic = 0; // spikes per step times chip links crossed
  std::vector<Group> groups;
  std::vector<CoreUse> cores;
  std::vector<RouteUse> routes;
  double trafficGreedy = 0, traffic = 0; // spike-hops per step
  double busiestLink = 0;                // spikes per step on one link
  double cycleBudget = 0;                // per core and step; 0: none
  llvm::json::Object toJson() const;
  void print(llvm::raw_ostream &os) const;
};

/// Partitions and places `chip` in place (cores, splits, snnhw.core and
/// snnhw.route ops). Errors, emitted on the op at fault, name what does not
/// fit and what to change.
mlir::LogicalResult placeChip(hw::ChipOp chip, const target::Target &target,
                              const MapOptions &options, MapReport &report);

} // namespace snn::map

#endif // SNN_MAP_PLACE_H

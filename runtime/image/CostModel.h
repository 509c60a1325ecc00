//===- CostModel.h - the cost model an image carries ------------*- C++ -*-===//
//
// A chip image names its cycle model and lists its costs as (key, value)
// pairs, as the target file gives them. The runtime reads them once, when the
// image loads, into a CostModel whose fields the emulator uses directly. The
// schema (kCostKeys) says which keys exist, which cycle model needs which, and
// which are optional: an unknown key, a key given twice, a key the cycle model
// needs but the image lacks, or a value that is negative or not finite is
// refused, naming the key (a misspelled key used to cost 0 cycles silently).
// docs/emulator.md lists the keys.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_RUNTIME_COSTMODEL_H
#define SNN_RUNTIME_COSTMODEL_H

#include <string>

namespace snn::image {

struct Chip;

enum class CycleModel { PerEvent, XyloAnalytic };

/// Cycles and picojoules per operation; a key the image may omit is 0.
struct CostModel {
  CycleModel model = CycleModel::PerEvent;
  // Both models.
  double cyclesPerSynapticEvent = 0, cyclesPerNeuronUpdate = 0,
         cyclesPerSpike = 0;
  // The mesh: per hop of the longest route and per packet on the busiest link.
  double cyclesPerHop = 0, cyclesPerLinkPacket = 0;
  // Rockpool's analytic Xylo model.
  double cyclesPerInputChannel = 0, cyclesPerInputEventPerNeuron = 0,
         cyclesPerHiddenNeuron = 0, cyclesPerReadoutEvent = 0,
         cyclesPerReadoutEventPerOutput = 0, cyclesPerOutputNeuron = 0;
  // Energy: all four keys or none (then the energy is 0).
  double energyPJPerSynapticEvent = 0, energyPJPerNeuronUpdate = 0,
         energyPJPerSpike = 0, energyPJPerHop = 0;
  double clockMHz = 0; // 0: the image does not say
  // Inter-chip links of a system of chips: latency per chip hop of the
  // longest route, occupancy per packet on the busiest link, energy per
  // packet and chip hop.
  double linkLatencyCycles = 0, linkCyclesPerPacket = 0,
         linkEnergyPJPerPacket = 0;
};

/// How a key of the schema is used by each cycle model.
enum class KeyUse {
  Required, // the image must give it
  Optional, // 0 when absent
  Unused,   // refused: the cycle model has no use for it
};

struct CostKey {
  const char *name;
  double CostModel::*field;
  KeyUse perEvent, xyloAnalytic;
  const char *group; // keys of one group come all together, or none; or null
};

/// Every key an image's cost may hold.
extern const CostKey kCostKeys[];
extern const size_t kNumCostKeys;

/// The name of a cycle model as images spell it.
const char *cycleModelName(CycleModel model);

/// Fills `out` from the chip's cycle model and cost entries; false with
/// `error` naming the key at fault when the cost does not fit the schema.
bool readCostModel(const Chip &chip, CostModel &out, std::string &error);

} // namespace snn::image

#endif // SNN_RUNTIME_COSTMODEL_H

//===- CostModel.cpp - reading an image's costs against their schema ------===//

#include "image/CostModel.h"
#include "image/snn_image_generated.h"

#include <cmath>
#include <cstring>
#include <vector>

namespace snn::image {

namespace {
constexpr KeyUse R = KeyUse::Required, O = KeyUse::Optional, U = KeyUse::Unused;
} // namespace

// Name, field, per-event use, xylo-analytic use, group.
// clang-format off
const CostKey kCostKeys[] = {
    {"cycles_per_synaptic_event", &CostModel::cyclesPerSynapticEvent, R, R, nullptr},
    {"cycles_per_neuron_update", &CostModel::cyclesPerNeuronUpdate, R, R, nullptr},
    {"cycles_per_spike", &CostModel::cyclesPerSpike, R, R, nullptr},
    {"cycles_per_hop", &CostModel::cyclesPerHop, R, O, nullptr},
    {"cycles_per_link_packet", &CostModel::cyclesPerLinkPacket, R, O, nullptr},
    {"cycles_per_input_channel", &CostModel::cyclesPerInputChannel, U, R, nullptr},
    {"cycles_per_input_event_per_neuron", &CostModel::cyclesPerInputEventPerNeuron, U, R, nullptr},
    {"cycles_per_hidden_neuron", &CostModel::cyclesPerHiddenNeuron, U, R, nullptr},
    {"cycles_per_readout_event", &CostModel::cyclesPerReadoutEvent, U, R, nullptr},
    {"cycles_per_readout_event_per_output", &CostModel::cyclesPerReadoutEventPerOutput, U, R, nullptr},
    {"cycles_per_output_neuron", &CostModel::cyclesPerOutputNeuron, U, R, nullptr},
    {"energy_pj_per_synaptic_event", &CostModel::energyPJPerSynapticEvent, O, O, "energy"},
    {"energy_pj_per_neuron_update", &CostModel::energyPJPerNeuronUpdate, O, O, "energy"},
    {"energy_pj_per_spike", &CostModel::energyPJPerSpike, O, O, "energy"},
    {"energy_pj_per_hop", &CostModel::energyPJPerHop, O, O, "energy"},
    {"clock_mhz", &CostModel::clockMHz, O, O, nullptr},
    // Systems of chips (docs/scale-out.md): per packet and chip-to-chip hop.
    {"link_latency_cycles", &CostModel::linkLatencyCycles, O, U, "link"},
    {"link_cycles_per_packet", &CostModel::linkCyclesPerPacket, O, U, "link"},
    {"link_energy_pj_per_packet", &CostModel::linkEnergyPJPerPacket, O, U, "link"},
};
// clang-format on
const size_t kNumCostKeys = sizeof kCostKeys / sizeof kCostKeys[0];

const char *cycleModelName(CycleModel model) {
  return model == CycleModel::PerEvent ? "per-event" : "xylo-analytic";
}

bool readCostModel(const Chip &chip, CostModel &out, std::string &error) {
  auto fail = [&](const std::string &message) {
    error = message;
    return false;
  };
  std::string modelName = chip.cycle_model() ? chip.cycle_model()->str() : "";
  CostModel model;
  if (modelName == "per-event")
    model.model = CycleModel::PerEvent;
  else if (modelName == "xylo-analytic")
    model.model = CycleModel::XyloAnalytic;
  else
    return fail("unknown cycle model '" + modelName +
                "' (this runtime has per-event and xylo-analytic)");
  auto use = [&](const CostKey &key) {
    return model.model == CycleModel::PerEvent ? key.perEvent
                                               : key.xyloAnalytic;
  };

  std::vector<bool> given(kNumCostKeys, false);
  if (chip.cost()) {
    for (const Cost *entry : *chip.cost()) {
      std::string name = entry->key() ? entry->key()->str() : "";
      size_t k = 0;
      while (k < kNumCostKeys && name != kCostKeys[k].name)
        ++k;
      if (k == kNumCostKeys) {
        std::string known;
        // The keys of one chip (a system's link keys are in docs/scale-out.md).
        for (const CostKey &key : kCostKeys)
          if (use(key) != KeyUse::Unused &&
              std::string(key.group ? key.group : "") != "link")
            known += std::string(known.empty() ? "" : ", ") + key.name;
        return fail("cost: unknown key '" + name + "' (the " + modelName +
                    " cycle model takes " + known + ")");
      }
      if (use(kCostKeys[k]) == KeyUse::Unused)
        return fail("cost: key '" + name + "' is not used by the " + modelName +
                    " cycle model");
      if (given[k])
        return fail("cost: key '" + name + "' is given twice");
      double value = entry->value();
      if (!std::isfinite(value) || value < 0)
        return fail("cost: key '" + name +
                    "' must be a finite non-negative number");
      given[k] = true;
      model.*kCostKeys[k].field = value;
    }
  }
  for (size_t k = 0; k < kNumCostKeys; ++k) {
    const CostKey &key = kCostKeys[k];
    if (!given[k] && use(key) == KeyUse::Required)
      return fail("cost: key '" + std::string(key.name) + "' is missing; the " +
                  modelName + " cycle model needs it");
    if (given[k] || !key.group)
      continue;
    // An absent key of a group: the group's other keys must be absent too.
    for (size_t j = 0; j < kNumCostKeys; ++j)
      if (given[j] && kCostKeys[j].group &&
          std::strcmp(kCostKeys[j].group, key.group) == 0)
        return fail("cost: key '" + std::string(key.name) + "' is missing; " +
                    "the " + key.group + " costs come all together (" +
                    kCostKeys[j].name + " is given) or not at all");
  }
  out = model;
  return true;
}

} // namespace snn::image

//===- TinyChip.h - a chip image built without the compiler -----*- C++ -*-===//
//
// The small chip of test/Image/Inputs/chip.mlir (inputs x[4], a sparse table
// into three shift-decay LIF neurons y on cores 0 and 1), written with
// FlatBuffers' builder directly, so that the runtime's tests need no MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_RUNTIME_TEST_TINYCHIP_H
#define SNN_RUNTIME_TEST_TINYCHIP_H

#include "image/ChipImage.h"

#include <string>
#include <utility>
#include <vector>

namespace snn::test {

using CostList = std::vector<std::pair<std::string, double>>;

/// The costs test/Image/Inputs/chip.mlir gives.
inline CostList tinyChipCost() {
  return {{"cycles_per_synaptic_event", 2.0},
          {"cycles_per_neuron_update", 1.0},
          {"cycles_per_spike", 0.0},
          {"cycles_per_hop", 0.0},
          {"cycles_per_link_packet", 0.0}};
}

/// The sealed image, with `cost` as its cost list.
inline std::vector<uint8_t>
tinyChipImage(const CostList &cost = tinyChipCost(),
              const char *cycleModel = "per-event") {
  using namespace snn::image;
  flatbuffers::FlatBufferBuilder fb;
  std::vector<int64_t> shape4 = {4}, shape3 = {3};
  std::vector<double> half = {0.5};
  std::vector<flatbuffers::Offset<Signal>> signals = {
      CreateSignalDirect(fb, 4, &shape4, true, nullptr),
      CreateSignalDirect(fb, 3, &shape3, false, &half),
      CreateSignalDirect(fb, 3, &shape3, true, nullptr)};
  std::vector<int32_t> offsets = {0, 2, 3, 5, 6}, targets = {0, 1, 2, 0, 2, 1};
  std::vector<int16_t> weights = {5, -3, 7, 2, 4, 6};
  auto synapses = CreateSynapsesDirect(fb, SynapseFormat::Sparse, 8, 0, 16,
                                       Overflow::Saturate, &offsets, &targets,
                                       &weights, nullptr);
  std::vector<int64_t> vDecay = {2}, theta = {6};
  auto neurons = CreateNeuronsDirect(
      fb, 16, 0, DecayArith::Shift, 0, Rounding::NearestEven,
      Overflow::Saturate, &vDecay, nullptr, nullptr, &theta, nullptr,
      /*reset_subtract=*/true, /*reset_next_step=*/false,
      /*fire_on_equal=*/false, &half, nullptr);
  std::vector<int32_t> in0 = {0}, in1 = {1}, cores = {0, 1};
  std::vector<int64_t> splits = {0, 2, 3};
  std::vector<flatbuffers::Offset<Stage>> stages = {
      CreateStageDirect(fb, StageKind::Synapses, "w", &in0, 1, &cores, &splits,
                        synapses),
      CreateStageDirect(fb, StageKind::Neurons, "y", &in1, 2, &cores, &splits,
                        0, neurons)};
  std::vector<flatbuffers::Offset<Core>> coreTable = {
      CreateCore(fb, 0, 0, 0, 2, 4, 2), CreateCore(fb, 1, 1, 0, 1, 2, 2)};
  std::vector<int32_t> to = {0, 1}, hops = {1, 2};
  std::vector<flatbuffers::Offset<Route>> routes = {
      CreateRouteDirect(fb, "x", 0, -1, &to, &hops, 0.4)};
  std::vector<flatbuffers::Offset<Port>> inputs = {CreatePortDirect(fb, "x",
                                                                    0)},
                                         outputs = {
                                             CreatePortDirect(fb, "y", 2)};
  std::vector<flatbuffers::Offset<Cost>> costTable;
  for (const auto &[key, value] : cost)
    costTable.push_back(CreateCostDirect(fb, key.c_str(), value));
  auto root = CreateChipDirect(fb, "small", "test", 2, 1, 1.0e-3, &costTable,
                               &coreTable, &signals, &inputs, &outputs, &stages,
                               &routes, cycleModel);
  FinishChipBuffer(fb, root);
  return seal(fb.GetBufferPointer(), fb.GetSize());
}

} // namespace snn::test

#endif // SNN_RUNTIME_TEST_TINYCHIP_H

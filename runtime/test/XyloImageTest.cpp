//===- XyloImageTest.cpp - a Xylo core in a chip image, without MLIR ------===//
//
// The hand trace of docs/xylo.md (input 0 -> hidden 0 (10) -> hidden 1 (20)
// -> output (30), dashes 15, thresholds 5, one event at t0) written as an
// image with FlatBuffers' builder: the emulator gives the output spike at t2
// and t3; damaged Xylo tables are refused naming the field.
//
//===----------------------------------------------------------------------===//

#include "emulator/Emulator.h"
#include "image/ChipImage.h"

#include <gtest/gtest.h>

#include <functional>

using namespace snn;
using namespace snn::image;

namespace {

struct ChainTable {
  int32_t hidden = 2, version = 2, shiftIn = 0;
  std::vector<int8_t> win = {10, 0}, wrec = {0, 20, 0, 0}, wout = {0, 30};
  std::vector<uint8_t> dash = {15, 15}, dashOut = {15};
  std::vector<int16_t> threshold = {5, 5}, bias = {0, 0}, thresholdOut = {5},
                       biasOut = {0};
  std::vector<int32_t> aliases = {-1, -1};
};

std::vector<uint8_t> chainImage(const ChainTable &t, StageKind kind =
                                                         StageKind::Xylo) {
  flatbuffers::FlatBufferBuilder fb;
  std::vector<int64_t> one = {1};
  std::vector<flatbuffers::Offset<Signal>> signals = {
      CreateSignalDirect(fb, 1, &one, true, nullptr),
      CreateSignalDirect(fb, 1, &one, true, nullptr)};
  auto xylo = CreateXyloDirect(
      fb, t.version, "syns61201", t.hidden, 2, 2, 1, 1, &t.win, &t.wrec,
      &t.wout, t.shiftIn, 0, 0, &t.dash, &t.dash, &t.dash, &t.threshold,
      &t.bias, &t.dashOut, &t.dashOut, &t.thresholdOut, &t.biasOut,
      &t.aliases);
  std::vector<int32_t> in = {0}, cores = {0};
  std::vector<int64_t> splits = {0, 1};
  std::vector<flatbuffers::Offset<Stage>> stages = {CreateStageDirect(
      fb, kind, "xylo", &in, 1, &cores, &splits, 0, 0, 0, nullptr, xylo)};
  std::vector<flatbuffers::Offset<Core>> coreTable = {
      CreateCore(fb, 0, 0, 0, 3, 3, 1)};
  std::vector<flatbuffers::Offset<Port>> inputs = {CreatePortDirect(fb, "input", 0)},
                                         outputs = {CreatePortDirect(fb, "output", 1)};
  std::vector<std::pair<const char *, double>> cost = {
      {"cycles_per_input_channel", 1},
      {"cycles_per_input_event_per_neuron", 3.5},
      {"cycles_per_synaptic_event", 7},
      {"cycles_per_neuron_update", 3},
      {"cycles_per_hidden_neuron", 19},
      {"cycles_per_spike", 3},
      {"cycles_per_readout_event", 1},
      {"cycles_per_readout_event_per_output", 8},
      {"cycles_per_output_neuron", 12}};
  std::vector<flatbuffers::Offset<Cost>> costTable;
  for (const auto &[key, value] : cost)
    costTable.push_back(CreateCostDirect(fb, key, value));
  std::vector<flatbuffers::Offset<Route>> routes;
  auto root = CreateChipDirect(fb, "xylo", "xylo-audio2", 1, 1, 1e-3,
                               &costTable, &coreTable, &signals, &inputs,
                               &outputs, &stages, &routes, "xylo-analytic");
  FinishChipBuffer(fb, root);
  return seal(fb.GetBufferPointer(), fb.GetSize());
}

std::string refusal(const std::function<void(ChainTable &)> &damage) {
  ChainTable t;
  damage(t);
  std::string error;
  EXPECT_EQ(ChipImage::fromBytes(chainImage(t), error), nullptr);
  return error;
}

} // namespace

TEST(XyloImage, ChainTraceOnTheEmulator) {
  std::vector<uint8_t> bytes = chainImage(ChainTable());
  EXPECT_EQ(bytes[8], 3); // format version 3: a Xylo core
  std::string error;
  std::shared_ptr<const ChipImage> image =
      ChipImage::fromBytes(std::move(bytes), error);
  ASSERT_NE(image, nullptr) << error;
  emu::Emulator e(image);
  std::vector<int64_t> out;
  for (double x : {1.0, 0.0, 0.0, 0.0}) {
    e.setInput(0, &x);
    e.step();
    out.push_back(e.output(0)[0]);
  }
  EXPECT_EQ(out, (std::vector<int64_t>{0, 0, 1, 1}));
  // Rockpool's cycles_model on the step's activity is what the core costs.
  EXPECT_GT(e.totals().cycles, 0);
  EXPECT_DOUBLE_EQ(e.totals().cycles / 4, e.rockpoolCyclesPerStep());
}

TEST(XyloImage, DamagedTablesAreRefusedNamingTheField) {
  EXPECT_NE(refusal([](ChainTable &t) { t.wrec.pop_back(); })
                .find("'weights_rec' has 3 values; it needs 4"),
            std::string::npos);
  EXPECT_NE(refusal([](ChainTable &t) { t.dash[1] = 16; })
                .find("'dash_mem'[1] = 16 is outside [0, 15]"),
            std::string::npos);
  EXPECT_NE(refusal([](ChainTable &t) { t.aliases[0] = 2; })
                .find("'aliases'[0] = 2 is outside [-1, 1]"),
            std::string::npos);
  EXPECT_NE(refusal([](ChainTable &t) { t.hidden = 0; })
                .find("'hidden' is 0, outside [1, 4096]"),
            std::string::npos);
  EXPECT_NE(refusal([](ChainTable &t) { t.shiftIn = 99; })
                .find("'weight_shift_in' is 99"),
            std::string::npos);
  EXPECT_NE(refusal([](ChainTable &t) {
              t.version = 1;
              t.bias[0] = 3;
            }).find("'bias'[0] = 3"),
            std::string::npos);
  // A header older than the table.
  std::string error;
  ChainTable t;
  std::vector<uint8_t> bytes = chainImage(t);
  bytes[8] = 2; // the checksum covers the payload, not the header
  EXPECT_EQ(ChipImage::fromBytes(bytes, error), nullptr);
  EXPECT_NE(error.find("which version 3 introduced"), std::string::npos);
}

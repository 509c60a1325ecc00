//===- RuntimeTest.cpp - the runtime alone: images, costs, the C API ------===//
//
// Builds with the runtime only (SNNC_BUILD_COMPILER=OFF): no MLIR, no LLVM.
// The same figures as test/unit/EmulatorTest.cpp, on the same chip built
// without the compiler.
//
//===----------------------------------------------------------------------===//

#include "TinyChip.h"
#include "api/snn_runtime.hpp"
#include "emulator/Emulator.h"

#include <gtest/gtest.h>

#include <limits>

using namespace snn;

namespace {

std::string loadError(const std::vector<uint8_t> &bytes) {
  std::string error;
  auto img = image::ChipImage::fromBytes(bytes, error);
  return img ? "" : error;
}

TEST(RuntimeAlone, HandTraceAndCycles) {
  std::string error;
  auto img = image::ChipImage::fromBytes(test::tinyChipImage(), error);
  ASSERT_TRUE(img) << error;
  emu::Emulator e(std::shared_ptr<const image::ChipImage>(std::move(img)));
  double step0[] = {1, 0, 0, 0}, step1[] = {1, 0, 1, 0};
  e.setInput(0, step0);
  e.step();
  EXPECT_EQ(*e.membrane(1), (std::vector<int64_t>{5, -3, 0}));
  e.setInput(0, step1);
  e.step();
  EXPECT_EQ(*e.membrane(1), (std::vector<int64_t>{5, -5, 4}));
  EXPECT_EQ(e.output(0), (std::vector<int64_t>{1, 0, 0}));
  // 2 cycles per synaptic event, 1 per neuron update; the slowest core.
  EXPECT_DOUBLE_EQ(e.lastStepCores()[0].cycles, 3 * 2.0 + 2 * 1.0);
  EXPECT_DOUBLE_EQ(e.lastStep().cycles, 8.0);
  EXPECT_EQ(e.lastStep().hopTraversals, 6);
}

TEST(RuntimeAlone, CostKeysFollowTheSchema) {
  EXPECT_EQ(loadError(test::tinyChipImage()), "");
  test::CostList misspelled = test::tinyChipCost();
  misspelled[0].first = "cycles_per_synaptic_events";
  EXPECT_EQ(
      loadError(test::tinyChipImage(misspelled))
          .rfind("cost: unknown key 'cycles_per_synaptic_events' (the "
                 "per-event cycle model takes cycles_per_synaptic_event, ",
                 0),
      0u);
  test::CostList missing = test::tinyChipCost();
  missing.pop_back();
  EXPECT_EQ(loadError(test::tinyChipImage(missing)),
            "cost: key 'cycles_per_link_packet' is missing; the per-event "
            "cycle model needs it");
  test::CostList twice = test::tinyChipCost();
  twice.push_back(twice[1]);
  EXPECT_EQ(loadError(test::tinyChipImage(twice)),
            "cost: key 'cycles_per_neuron_update' is given twice");
  test::CostList nan = test::tinyChipCost();
  nan[2].second = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(
      loadError(test::tinyChipImage(nan)),
      "cost: key 'cycles_per_spike' must be a finite non-negative number");
  // The analytic Xylo model needs its own keys.
  EXPECT_EQ(
      loadError(test::tinyChipImage(test::tinyChipCost(), "xylo-analytic")),
      "cost: key 'cycles_per_input_channel' is missing; the "
      "xylo-analytic cycle model needs it");
}

// Found by the chip-image fuzzer: a sealed payload of fewer than 8 bytes was
// read past its end by FlatBuffers' identifier check.
TEST(RuntimeAlone, ShortPayloadsAreRefused) {
  for (size_t n = 0; n < 8; ++n) {
    std::vector<uint8_t> payload(n, 0x53);
    EXPECT_EQ(loadError(image::seal(payload.data(), payload.size())),
              "the payload is not a well-formed chip table");
  }
}

// Streams are never read: a directory or a device is refused by its kind.
TEST(RuntimeAlone, OnlyRegularFilesAreRead) {
  std::string error;
  EXPECT_EQ(image::ChipImage::fromFile("/dev/zero", error), nullptr);
  EXPECT_EQ(error, "/dev/zero: not a regular file");
  EXPECT_EQ(image::ChipImage::fromFile("/", error), nullptr);
  EXPECT_EQ(error, "/: not a regular file");
}

TEST(RuntimeAlone, CApiRunsTheImage) {
  std::vector<uint8_t> bytes = test::tinyChipImage();
  char error[256];
  snn_device *d =
      snn_open_memory(bytes.data(), bytes.size(), "emu", error, sizeof error);
  ASSERT_NE(d, nullptr) << error;
  EXPECT_EQ(snn_num_inputs(d), 1);
  EXPECT_EQ(snn_clock_mhz(d), 0.0);
  double input[] = {1, 0, 0, 0, 1, 0, 1, 0};
  double output[6] = {-1, -1, -1, -1, -1, -1};
  ASSERT_EQ(snn_bind_input(d, 0, input, 2), 0);
  ASSERT_EQ(snn_bind_output(d, 0, output, 2), 0);
  ASSERT_EQ(snn_run(d, 2), 0);
  EXPECT_EQ(std::vector<double>(output, output + 6),
            (std::vector<double>{0, 0, 0, 1, 0, 0}));
  snn_close(d);
  EXPECT_EQ(snn_open_memory(bytes.data(), 10, "emu", error, sizeof error),
            nullptr);
  EXPECT_STREQ(error, "not a chip image (no SNNCHIP header)");
}

} // namespace

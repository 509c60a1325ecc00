//===- EmulatorTest.cpp - the emulator's arithmetic and counters by hand --===//

#include "SmallChip.h"
#include "api/snn_runtime.hpp"
#include "emulator/Emulator.h"
#include "emulator/EmulatorBackend.h"

using namespace snn;

namespace {

std::unique_ptr<emu::Emulator> smallEmulator() {
  std::string error;
  auto img = image::ChipImage::fromBytes(test::smallChipImage(), error);
  EXPECT_TRUE(img) << error;
  return std::make_unique<emu::Emulator>(
      std::shared_ptr<const image::ChipImage>(std::move(img)));
}

// Weights w(x0) = {y0: 5, y1: -3}, w(x1) = {y2: 7}, w(x2) = {y0: 2, y2: 4},
// w(x3) = {y1: 6}; v <- v - rshift(v, 2) + input, fire above 6, subtract.
TEST(Emulator, HandTrace) {
  auto e = smallEmulator();
  double step0[] = {1, 0, 0, 0}, step1[] = {1, 0, 1, 0};
  e->setInput(0, step0);
  e->step();
  EXPECT_EQ(*e->membrane(1), (std::vector<int64_t>{5, -3, 0}));
  EXPECT_EQ(e->output(0), (std::vector<int64_t>{0, 0, 0}));
  e->setInput(0, step1);
  e->step();
  // y0: 5 - rshift(5, 2) = 4, + 7 = 11 > 6: spike, 11 - 6 = 5.
  // y1: -3 - rshift(-3, 2) = -2, - 3 = -5.  y2: 0 + 4 = 4.
  EXPECT_EQ(*e->membrane(1), (std::vector<int64_t>{5, -5, 4}));
  EXPECT_EQ(e->output(0), (std::vector<int64_t>{1, 0, 0}));
  EXPECT_EQ(e->stageOutput(0), (std::vector<int64_t>{7, -3, 4}));
  EXPECT_DOUBLE_EQ(e->stageUnit(0, 0), 0.5);
}

// Step 1 above: core 0 holds y0, y1 and their synapses, core 1 holds y2.
TEST(Emulator, CountsCyclesPerCore) {
  auto e = smallEmulator();
  double step0[] = {1, 0, 0, 0}, step1[] = {1, 0, 1, 0};
  e->setInput(0, step0);
  e->step();
  e->setInput(0, step1);
  e->step();
  const std::vector<emu::CoreCounters> &cores = e->lastStepCores();
  ASSERT_EQ(cores.size(), 2u);
  EXPECT_EQ(cores[0].synapticEvents, 3); // x0 -> y0, y1; x2 -> y0
  EXPECT_EQ(cores[1].synapticEvents, 1); // x2 -> y2
  EXPECT_EQ(cores[0].neuronUpdates, 2);
  EXPECT_EQ(cores[0].spikes, 1);
  // 2 cycles per synaptic event, 1 per neuron update.
  EXPECT_DOUBLE_EQ(cores[0].cycles, 3 * 2.0 + 2 * 1.0);
  EXPECT_DOUBLE_EQ(cores[1].cycles, 1 * 2.0 + 1 * 1.0);
  EXPECT_DOUBLE_EQ(e->lastStep().cycles, 8.0); // the slowest core
  // Two input spikes from the host to both cores, 1 and 2 hops away.
  EXPECT_EQ(e->lastStep().packets, 4);
  EXPECT_EQ(e->lastStep().hopTraversals, 6);
  EXPECT_EQ(e->totals().steps, 2);
  EXPECT_EQ(e->totals().synapticEvents, 2 + 4);
}

TEST(Emulator, ResetClearsStateNotTotals) {
  auto e = smallEmulator();
  double x[] = {1, 1, 1, 1};
  e->setInput(0, x);
  e->step();
  e->reset();
  EXPECT_EQ(*e->membrane(1), (std::vector<int64_t>{0, 0, 0}));
  EXPECT_EQ(e->totals().steps, 1);
  e->clearTotals();
  EXPECT_EQ(e->totals().steps, 0);
}

// The C API: what a host does, and what it gets wrong.
TEST(RuntimeApi, RunsAndRefusesMisuse) {
  std::vector<uint8_t> bytes = test::smallChipImage();
  char error[256];
  EXPECT_EQ(snn_open_memory(bytes.data(), bytes.size(), "loihi", error,
                            sizeof error),
            nullptr);
  EXPECT_STREQ(error, "unknown backend 'loihi'; this runtime has: emu");
  EXPECT_EQ(snn_open("/nonexistent.img", "emu", error, sizeof error), nullptr);
  EXPECT_STREQ(error, "/nonexistent.img: cannot open");

  snn_device *d =
      snn_open_memory(bytes.data(), bytes.size(), "emu", error, sizeof error);
  ASSERT_NE(d, nullptr) << error;
  EXPECT_STREQ(snn_backend(d), "emu");
  EXPECT_EQ(snn_num_inputs(d), 1);
  EXPECT_EQ(snn_input_size(d, 0), 4);
  EXPECT_STREQ(snn_input_name(d, 0), "x");
  EXPECT_STREQ(snn_output_name(d, 0), "y");
  EXPECT_EQ(snn_input_size(d, 3), -1);
  EXPECT_EQ(snn_run(d, 2), -1);
  EXPECT_STREQ(snn_last_error(d), "input 0 is bound for 0 steps, not 2");

  double input[] = {1, 0, 0, 0, 1, 0, 1, 0};
  double output[6] = {-1, -1, -1, -1, -1, -1};
  ASSERT_EQ(snn_bind_input(d, 0, input, 2), 0);
  ASSERT_EQ(snn_bind_output(d, 0, output, 2), 0);
  ASSERT_EQ(snn_run(d, 2), 0);
  EXPECT_EQ(std::vector<double>(output, output + 6),
            (std::vector<double>{0, 0, 0, 1, 0, 0}));
  double v[3];
  EXPECT_EQ(snn_read(d, "y", "v", v, 3), 3);
  EXPECT_EQ(std::vector<double>(v, v + 3), (std::vector<double>{2.5, -2.5, 2}));
  EXPECT_EQ(snn_read(d, "nope", "v", v, 3), -1);
  EXPECT_EQ(snn_read(d, "y", "v", v, 2), -1); // no room
  snn_counters total;
  ASSERT_EQ(snn_counters_total(d, &total), 0);
  EXPECT_EQ(total.steps, 2);
  EXPECT_EQ(snn_run(d, 1), -1); // the bindings were consumed

  // The last step's output and counters; the image has no clock.
  EXPECT_EQ(snn_num_outputs(d), 1);
  EXPECT_EQ(snn_output_size(d, 0), 3);
  double last[3];
  EXPECT_EQ(snn_read_output(d, 0, last, 3), 3);
  EXPECT_EQ(std::vector<double>(last, last + 3), (std::vector<double>{1, 0, 0}));
  EXPECT_EQ(snn_read_output(d, 0, last, 2), -1);
  snn_counters step;
  ASSERT_EQ(snn_counters_last(d, &step), 0);
  EXPECT_EQ(step.steps, 1);
  EXPECT_EQ(step.synaptic_events, 4);
  EXPECT_EQ(snn_num_cores(d), 2);
  snn_core_counters core;
  ASSERT_EQ(snn_core_counters_last(d, 1, &core), 0);
  EXPECT_EQ(core.id, 1);
  EXPECT_EQ(core.synaptic_events, 1);
  EXPECT_EQ(snn_core_counters_last(d, 2, &core), -1);
  EXPECT_EQ(snn_clock_mhz(d), 0.0);

  // After a reset the same input gives the same output.
  ASSERT_EQ(snn_reset(d), 0);
  double again[6];
  ASSERT_EQ(snn_bind_input(d, 0, input, 2), 0);
  ASSERT_EQ(snn_bind_output(d, 0, again, 2), 0);
  ASSERT_EQ(snn_run(d, 2), 0);
  EXPECT_EQ(std::vector<double>(again, again + 6),
            std::vector<double>(output, output + 6));
  snn_close(d);
}

// A backend registered under a name is what snn_open finds by that name.
TEST(RuntimeApi, RegisteredBackendOpens) {
  // The registry outlives the test: the factory keeps no reference to it.
  static int made = 0;
  runtime::registerBackend(
      "counting-emu",
      [](std::shared_ptr<const image::ChipImage> img, std::string &error) {
        ++made;
        return runtime::makeEmulatorBackend(std::move(img), error);
      });
  std::vector<uint8_t> bytes = test::smallChipImage();
  char error[256];
  snn_device *d = snn_open_memory(bytes.data(), bytes.size(), "counting-emu",
                                  error, sizeof error);
  ASSERT_NE(d, nullptr) << error;
  EXPECT_EQ(made, 1);
  EXPECT_STREQ(snn_backend(d), "emu");
  snn_close(d);
}

TEST(RuntimeApi, CppWrapper) {
  std::string error;
  auto device = Device::open(test::smallChipImage(), "emu", error);
  ASSERT_TRUE(device) << error;
  std::vector<double> out;
  ASSERT_TRUE(device->run({1, 0, 0, 0, 1, 0, 1, 0}, 2, out));
  EXPECT_EQ(out, (std::vector<double>{0, 0, 0, 1, 0, 0}));
  EXPECT_EQ(device->read("w", "out", 3), (std::vector<double>{3.5, -1.5, 2}));
  EXPECT_EQ(device->core(1, true).id, 1);
}

} // namespace

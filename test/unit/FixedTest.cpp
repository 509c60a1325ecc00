//===- FixedTest.cpp - the fixed-point reference against hand traces ------===//
//
// Each test runs a small integer network whose trace is computed by hand
// from docs/quantization.md.
//
//===----------------------------------------------------------------------===//

#include "ExpectedValue.h"
#include "NetworkText.h"
#include "Sim/Fixed.h"

#include <gtest/gtest.h>

using namespace snn;
using snn::sim::Matrix;

namespace {

struct Net {
  mlir::MLIRContext context;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  std::unique_ptr<sim::Fixed> engine;
  std::string error;

  Net(const std::string &body, const std::string &signature) {
    module = test::parseNetwork(context, body, signature);
    if (module)
      engine = test::valueOr(
          sim::Fixed::create(*module->getOps<NetworkOp>().begin()), error);
  }

  /// Feeds `input` (one value per step) and returns output 0's first
  /// integer per step.
  std::vector<int64_t> run(const std::vector<double> &input) {
    std::vector<int64_t> out;
    engine->reset(1);
    for (double x : input) {
      engine->step({Matrix::Constant(engine->inputSize(0), 1, x)});
      out.push_back(engine->rawOutput(0)(0, 0));
    }
    return out;
  }

  int64_t membrane(size_t node = 1) const {
    return (*engine->rawMembrane(node))(0, 0);
  }
};

/// Spikes in through weight 6 into one integer neuron described by
/// `neuron` (its mnemonic's operands and attributes).
Net spikesInto(const std::string &neuron,
               const std::string &result = "spikes") {
  return Net("  %i = snn.qlinear \"in\" %x overflow(saturate) {weight = "
             "dense<[[6]]> : tensor<1x1xi8>, weight_bits = 8, acc_bits = 16, "
             "scale = 0.1} : !snn.spikes<1> -> !snn.values<1>\n"
             "  %n = snn.qneuron \"n\" %i " +
                 neuron + " : !snn.values<1> -> !snn." + result +
                 "<1>\n"
                 "  snn.output %n : !snn." +
                 result + "<1>",
             "(%x: !snn.spikes<1>) -> (y: !snn." + result + "<1>)");
}

const char *kDecay09 =
    "decay(multiply) rounding(nearest_even) overflow(saturate)";

} // namespace

// Tests snnTorch's rule in integers: v = round(0.9 v) + 6 with 0.9 as
// 3686/4096, reset by subtracting 10 in the step after a spike.
// u: 6, 5 + 6 = 11 (spike), round(9.9) + 6 - 10 = 6, 5 + 6 = 11 (spike).
TEST(Fixed, MultiplyDecayNextStepSubtract) {
  Net net = spikesInto(std::string(kDecay09) +
                       " reset(subtract, next_step) fire(gt) {v_bits = 16, "
                       "decay_shift = 12, v_decay = 3686, v_threshold = 10, "
                       "v_scale = 0.1}");
  ASSERT_TRUE(net.engine) << net.error;
  EXPECT_EQ(net.run({1, 1, 1, 1}), (std::vector<int64_t>{0, 1, 0, 1}));
  EXPECT_EQ(net.membrane(), 11);
}

// Tests the reset in the spike's step: 11 fires and becomes 1; then
// round(0.9) + 6 = 7, round(6.3) + 6 = 12 fires and becomes 2.
TEST(Fixed, SameStepSubtract) {
  Net net = spikesInto(std::string(kDecay09) +
                       " reset(subtract, same_step) fire(gt) {v_bits = 16, "
                       "decay_shift = 12, v_decay = 3686, v_threshold = 10, "
                       "v_scale = 0.1}");
  ASSERT_TRUE(net.engine) << net.error;
  EXPECT_EQ(net.run({1, 1, 1, 1, 1}), (std::vector<int64_t>{0, 1, 0, 1, 0}));
  EXPECT_EQ(net.membrane(), 8); // round(1.8) + 6
}

// Tests a reset to a value in the spike's step, and gt against ge:
// 6, 11 (spike, v = -2), round(-1.8) + 6 = 4, round(3.6) + 6 = 10, which
// fires only under fire(ge).
TEST(Fixed, SameStepToValueGreaterOrEqual) {
  std::string attrs = " {v_bits = 16, decay_shift = 12, v_decay = 3686, "
                      "v_threshold = 10, v_reset = -2, v_scale = 0.1}";
  Net gt = spikesInto(std::string(kDecay09) +
                      " reset(to_value, same_step) fire(gt)" + attrs);
  Net ge = spikesInto(std::string(kDecay09) +
                      " reset(to_value, same_step) fire(ge)" + attrs);
  ASSERT_TRUE(gt.engine && ge.engine);
  EXPECT_EQ(gt.run({1, 1, 1, 1}), (std::vector<int64_t>{0, 1, 0, 0}));
  EXPECT_EQ(gt.membrane(), 10);
  EXPECT_EQ(ge.run({1, 1, 1, 1}), (std::vector<int64_t>{0, 1, 0, 1}));
  EXPECT_EQ(ge.membrane(), -2);
}

// Tests a reset to a value in the step after the spike: the spike of step 1
// sets step 2's integrated membrane (round(9.9) + 6 = 16) to v_reset = 0.
TEST(Fixed, NextStepToValue) {
  Net net = spikesInto(std::string(kDecay09) +
                       " reset(to_value, next_step) fire(gt) {v_bits = 16, "
                       "decay_shift = 12, v_decay = 3686, v_threshold = 10, "
                       "v_reset = 0, v_scale = 0.1}");
  ASSERT_TRUE(net.engine) << net.error;
  EXPECT_EQ(net.run({1, 1, 1}), (std::vector<int64_t>{0, 1, 0}));
  EXPECT_EQ(net.membrane(), 0);
}

// Tests the shift-only decay v - (v >> 1) with floor rounding, which never
// fully drains a positive state, on a neuron that emits its membrane.
// 6, 6 - 3 + 6 = 9, 9 - 4 + 6 = 11; then without input 11 - 5 = 6, 3, 2, 1, 1.
TEST(Fixed, ShiftDecayFloor) {
  Net net = spikesInto("decay(shift) rounding(floor) overflow(saturate) "
                       "{v_bits = 16, v_decay = 1, v_scale = 0.1}",
                       "values");
  ASSERT_TRUE(net.engine) << net.error;
  EXPECT_EQ(net.run({1, 1, 1, 0, 0, 0, 0, 0}),
            (std::vector<int64_t>{6, 9, 11, 6, 3, 2, 1, 1}));
  // The real view is the integer times v_scale.
  EXPECT_NEAR(net.engine->output(0)(0, 0), 0.1, 1e-15);
}

// Tests saturation and wrapping of a 4-bit membrane without leak:
// 6, 12 -> 7, 13 -> 7 (both counted); or 12 -> -4 (counted), 2.
TEST(Fixed, StateOverflow) {
  Net saturate = spikesInto("decay(shift) rounding(floor) overflow(saturate) "
                            "{v_bits = 4, v_scale = 0.1}",
                            "values");
  Net wrap = spikesInto("decay(shift) rounding(floor) overflow(wrap) "
                        "{v_bits = 4, v_scale = 0.1}",
                        "values");
  ASSERT_TRUE(saturate.engine && wrap.engine);
  EXPECT_EQ(saturate.run({1, 1, 1}), (std::vector<int64_t>{6, 7, 7}));
  EXPECT_EQ(saturate.engine->stats()[1].saturations, 2);
  EXPECT_EQ(wrap.run({1, 1, 1}), (std::vector<int64_t>{6, -4, 2}));
  EXPECT_EQ(wrap.engine->stats()[1].saturations, 1);
}

// Tests a current-based neuron: the current decays by half (floor) and the
// membrane integrates the new current: i = 6, 9, 11; v = 6, 15, 26.
TEST(Fixed, CurrentThenMembrane) {
  Net net = spikesInto("decay(shift) rounding(floor) overflow(saturate) "
                       "{v_bits = 16, i_bits = 8, i_decay = 1, i_scale = 0.1, "
                       "v_scale = 0.1}",
                       "values");
  ASSERT_TRUE(net.engine) << net.error;
  EXPECT_EQ(net.run({1, 1, 1}), (std::vector<int64_t>{6, 15, 26}));
  EXPECT_EQ((*net.engine->rawCurrent(1))(0, 0), 11);
}

// Tests that a projection's accumulator saturates once, after the exact sum:
// 100 + 100 - 100 stays 100 in 8 bits, where saturating each addition would
// give 27.
TEST(Fixed, AccumulatorExactThenSaturated) {
  Net net("  %y = snn.qlinear \"fc\" %x overflow(saturate) {weight = "
          "dense<[[100, 100, -100]]> : tensor<1x3xi8>, weight_bits = 8, "
          "acc_bits = 8, scale = 1.0} : !snn.spikes<3> -> !snn.values<1>\n"
          "  snn.output %y : !snn.values<1>",
          "(%x: !snn.spikes<3>) -> (y: !snn.values<1>)");
  ASSERT_TRUE(net.engine) << net.error;
  EXPECT_EQ(net.run({1}), (std::vector<int64_t>{100}));
  EXPECT_EQ(net.engine->stats()[0].saturations, 0);
}

// Tests input quantization: ties to even, then saturation to 4 bits.
TEST(Fixed, QuantizeInput) {
  Net net("  %q = snn.quantize \"q\" %x {scale = 0.5, bits = 4} : "
          "!snn.values<1> -> !snn.values<1>\n"
          "  snn.output %q : !snn.values<1>",
          "(%x: !snn.values<1>) -> (y: !snn.values<1>)");
  ASSERT_TRUE(net.engine) << net.error;
  EXPECT_EQ(net.run({1.25, 1.75, -1.25, 0.3, 100, -100}),
            (std::vector<int64_t>{2, 4, -2, 1, 7, -8}));
}

// Tests that an integer delay returns its input d steps later, zero before.
TEST(Fixed, DelayInSteps) {
  Net net("  %d = snn.delay \"d\" %x {steps = 2} : !snn.spikes<1> -> "
          "!snn.spikes<1>\n  snn.output %d : !snn.spikes<1>",
          "(%x: !snn.spikes<1>) -> (y: !snn.spikes<1>)");
  ASSERT_TRUE(net.engine) << net.error;
  EXPECT_EQ(net.run({1, 0, 1, 1, 0}), (std::vector<int64_t>{0, 0, 1, 0, 1}));
}

// Tests that float ops are refused with the way out.
TEST(Fixed, RefusesFloatOps) {
  Net net("  %y = snn.linear \"fc\" %x {weight = dense<[[1.0]]> : "
          "tensor<1x1xf64>} : !snn.spikes<1> -> !snn.values<1>\n"
          "  snn.output %y : !snn.values<1>",
          "(%x: !snn.spikes<1>) -> (y: !snn.values<1>)");
  EXPECT_FALSE(net.engine);
  EXPECT_EQ(
      net.error,
      "-:2:8: snn.linear \"fc\" has no integer semantics; run snn-quantize first");
}

// Tests that real-valued inputs must pass through snn.quantize.
TEST(Fixed, RefusesRealInputsWithoutQuantize) {
  Net net("  %y = snn.qlinear \"fc\" %x overflow(saturate) {weight = "
          "dense<[[1]]> : tensor<1x1xi8>, weight_bits = 8, acc_bits = 8, "
          "scale = 1.0} : !snn.values<1> -> !snn.values<1>\n"
          "  snn.output %y : !snn.values<1>",
          "(%x: !snn.values<1>) -> (y: !snn.values<1>)");
  EXPECT_FALSE(net.engine);
  EXPECT_EQ(net.error, "-:2:8: snn.qlinear \"fc\" reads network input 0, which "
                       "carries real values; an integer network takes them "
                       "through snn.quantize");
}

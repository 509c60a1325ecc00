//===- ReferenceTest.cpp - the float reference against hand traces -------===//
//
// Each test runs a small network whose trace is computed by hand from
// docs/semantics.md.
//
//===----------------------------------------------------------------------===//

#include "ExpectedValue.h"
#include "NetworkText.h"
#include "Sim/Reference.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

using namespace snn;
using snn::sim::Matrix;

namespace {

struct Net {
  mlir::MLIRContext context;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  std::unique_ptr<sim::Reference> ref;

  explicit Net(const std::string &body, const std::string &signature =
                                            "(%x: !snn.values<1>) -> (y: "
                                            "!snn.spikes<1>)") {
    module = test::parseNetwork(context, body, signature);
    if (!module)
      return;
    std::string error;
    ref = test::valueOr(
        sim::Reference::create(*module->getOps<NetworkOp>().begin()), error);
    EXPECT_TRUE(ref) << error;
  }

  /// Feeds `input` (one value per step to every input neuron) and returns
  /// output 0's first element per step.
  std::vector<double> run(const std::vector<double> &input) {
    std::vector<double> out;
    ref->reset(1);
    for (double x : input) {
      ref->step({Matrix::Constant(ref->inputSize(0), 1, x)});
      out.push_back(ref->output(0)(0, 0));
    }
    return out;
  }
};

/// A LIF with beta = 0.9 in the form snnTorch exports (tau = dt/(1-beta),
/// r = tau/dt): u = 0.9 v + I.
std::string lif(const std::string &conventions) {
  return "  %s = snn.lif %x integration(euler) " + conventions +
         " {tau = 1.0e-2, r = 10.0, v_leak = 0.0, v_threshold = 1.0} : "
         "!snn.values<1> -> !snn.spikes<1>\n  snn.output %s : !snn.spikes<1>";
}

} // namespace

// Tests the worked example of docs/semantics.md: next-step subtractive reset.
TEST(Reference, SnnTorchLeakyNextStep) {
  Net net(lif("reset(subtract, next_step) fire(gt)"));
  EXPECT_EQ(net.run({0.6, 0.6, 0.6, 0.6}),
            (std::vector<double>{0, 1, 0, 1}));
  const Matrix *v = net.ref->nodeMembrane(0);
  EXPECT_NEAR((*v)(0, 0), 1.1634, 1e-12);
}

// Tests a reset in the step of the spike: the membrane after the spike is
// u - theta, and the neuron fires again two steps later.
TEST(Reference, SameStepSubtract) {
  Net net(lif("reset(subtract, same_step) fire(gt)"));
  // u: 0.6, 1.14 (spike, v = 0.14), 0.726, 1.2534 (spike)
  EXPECT_EQ(net.run({0.6, 0.6, 0.6, 0.6}),
            (std::vector<double>{0, 1, 0, 1}));
  EXPECT_NEAR((*net.ref->nodeMembrane(0))(0, 0), 0.2534, 1e-12);
}

// Tests a reset to a value and the >= spike condition at exact equality.
TEST(Reference, ToValueAndGreaterEqual) {
  Net net("  %s = snn.if %x reset(to_value, same_step) fire(ge) {r = 500.0, "
          "v_threshold = 1.0, v_reset = -0.5} : !snn.values<1> -> "
          "!snn.spikes<1>\n  snn.output %s : !snn.spikes<1>");
  // dt r I = 0.5 per step: 0.5, 1.0 (fires on equality, v = -0.5), 0.0, 0.5
  EXPECT_EQ(net.run({1, 1, 1, 1}), (std::vector<double>{0, 1, 0, 0}));
  EXPECT_NEAR((*net.ref->nodeMembrane(0))(0, 0), 0.5, 1e-12);
}

// Tests exact exponential integration of a leaky integrator.
TEST(Reference, ExponentialLeakyIntegrator) {
  Net net("  %v = snn.li %x integration(exponential) {tau = 1.0e-3, r = 2.0, "
          "v_leak = 0.0} : !snn.values<1> -> !snn.values<1>\n  snn.output %v "
          ": !snn.values<1>",
          "(%x: !snn.values<1>) -> (y: !snn.values<1>)");
  std::vector<double> v = net.run({1, 0});
  double decay = std::exp(-1.0);
  EXPECT_NEAR(v[0], 2.0 * (1 - decay), 1e-12);
  EXPECT_NEAR(v[1], 2.0 * (1 - decay) * decay, 1e-12);
}

// Tests that a current-based neuron integrates the new current.
TEST(Reference, CurrentBasedUsesNewCurrent) {
  Net net("  %v = snn.cuba_li %x integration(euler) {tau_syn = 2.0e-3, "
          "tau_mem = 4.0e-3, r = 1.0, v_leak = 0.0, w_in = 2.0} : "
          "!snn.values<1> -> !snn.values<1>\n  snn.output %v : !snn.values<1>",
          "(%x: !snn.values<1>) -> (y: !snn.values<1>)");
  // i = 0.5 * 2 * 1 = 1; v = 0.25 * 1 = 0.25; then i = 0.5, v = 0.75*0.25
  // + 0.25*0.5 = 0.3125.
  std::vector<double> v = net.run({1, 0});
  EXPECT_NEAR(v[0], 0.25, 1e-12);
  EXPECT_NEAR(v[1], 0.3125, 1e-12);
}

// Tests that a delay on a cycle reads the previous step and that fan-in sums.
TEST(Reference, RecurrentDelayAndFanIn) {
  Net net("  %d = snn.delay %s {steps = 1} : !snn.values<1> -> "
          "!snn.values<1>\n"
          "  %s = snn.sum %x, %d : !snn.values<1>, !snn.values<1> -> "
          "!snn.values<1>\n  snn.output %s : !snn.values<1>",
          "(%x: !snn.values<1>) -> (y: !snn.values<1>)");
  EXPECT_EQ(net.run({1, 1, 1, 0}), (std::vector<double>{1, 2, 3, 3}));
}

// Tests a 2-step delay in seconds.
TEST(Reference, DelayInSeconds) {
  Net net("  %d = snn.delay %x {delay = 2.0e-3} : !snn.values<1> -> "
          "!snn.values<1>\n  snn.output %d : !snn.values<1>",
          "(%x: !snn.values<1>) -> (y: !snn.values<1>)");
  EXPECT_EQ(net.run({1, 2, 3, 4}), (std::vector<double>{0, 0, 1, 2}));
}

// Tests convolution with padding and stride, and sum and average pooling,
// against sums worked out by hand.
TEST(Reference, ConvolutionAndPooling) {
  Net net("  %c = snn.conv2d %x {weight = dense<[[[[1.0, 2.0], [3.0, 4.0]]]]> "
          ": tensor<1x1x2x2xf64>, bias = dense<0.5> : tensor<1xf64>, stride = "
          "array<i64: 1, 1>, padding = array<i64: 1, 1>, dilation = "
          "array<i64: 1, 1>, groups = 1} : !snn.values<1x2x2> -> "
          "!snn.values<1x3x3>\n"
          "  %p = snn.avg_pool2d %c {kernel_size = array<i64: 2, 2>, stride = "
          "array<i64: 1, 1>, padding = array<i64: 0, 0>} : !snn.values<1x3x3> "
          "-> !snn.values<1x2x2>\n"
          "  %q = snn.sum_pool2d %c {kernel_size = array<i64: 3, 3>, stride = "
          "array<i64: 1, 1>, padding = array<i64: 0, 0>} : !snn.values<1x3x3> "
          "-> !snn.values<1x1x1>\n"
          "  snn.output %c, %p, %q : !snn.values<1x3x3>, !snn.values<1x2x2>, "
          "!snn.values<1x1x1>",
          "(%x: !snn.values<1x2x2>) -> (c: !snn.values<1x3x3>, p: "
          "!snn.values<1x2x2>, q: !snn.values<1x1x1>)");
  Matrix x(4, 1);
  x << 1, 0, 0, 1; // [[1, 0], [0, 1]]
  // Gathered windows times weights (dense) and scattered inputs (event).
  for (auto mode : {sim::Propagation::Dense, sim::Propagation::EventDriven}) {
    net.ref->propagation = mode;
    net.ref->reset(1);
    net.ref->step({x});
    Matrix c = net.ref->output(0);
    // Output (oy, ox) sums W[ky][kx] * x[oy + ky - 1][ox + kx - 1] + 0.5.
    std::vector<double> expected = {4.5, 3.5, 0.5, 2.5, 5.5,
                                    3.5, 0.5, 2.5, 1.5};
    for (int i = 0; i < 9; ++i)
      EXPECT_DOUBLE_EQ(c(i, 0), expected[i]) << i;
    EXPECT_DOUBLE_EQ(net.ref->output(1)(0, 0), (4.5 + 3.5 + 2.5 + 5.5) / 4);
    EXPECT_DOUBLE_EQ(net.ref->output(2)(0, 0), 24.5);
  }
}

// Tests a strided, dilated, grouped convolution: scattering inputs and
// gathering windows give the same outputs.
TEST(Reference, GroupedStridedConvolutionBothWays) {
  // Nested [4][1][3][3] literal of small integers.
  std::string weights = "[";
  for (int o = 0; o < 4; ++o) {
    weights += std::string(o ? ", " : "") + "[[";
    for (int ky = 0; ky < 3; ++ky) {
      weights += std::string(ky ? ", " : "") + "[";
      for (int kx = 0; kx < 3; ++kx)
        weights += std::string(kx ? ", " : "") +
                   std::to_string(((o * 9 + ky * 3 + kx) * 7 % 11) - 5) + ".0";
      weights += "]";
    }
    weights += "]]";
  }
  weights += "]";
  Net net("  %c = snn.conv2d %x {weight = dense<" + weights +
              "> : tensor<4x1x3x3xf64>, bias = dense<[0.5, -0.5, 1.0, 0.0]> : "
              "tensor<4xf64>, stride = array<i64: 2, 1>, padding = array<i64: 1, "
              "2>, dilation = array<i64: 1, 2>, groups = 2} : !snn.values<2x5x6> "
              "-> !snn.values<4x3x6>\n  snn.output %c : !snn.values<4x3x6>",
          "(%x: !snn.values<2x5x6>) -> (y: !snn.values<4x3x6>)");
  Matrix x = Matrix::Zero(60, 2);
  for (int i = 0; i < 60; i += 7)
    x(i, 0) = 1;
  for (int i = 0; i < 60; i += 3)
    x(i, 1) = 0.5 * (i % 5);
  Matrix results[2];
  for (int mode = 0; mode < 2; ++mode) {
    net.ref->propagation =
        mode ? sim::Propagation::EventDriven : sim::Propagation::Dense;
    net.ref->reset(2);
    net.ref->step({x});
    results[mode] = net.ref->output(0);
  }
  EXPECT_TRUE(results[0].isApprox(results[1], 1e-12));
  // And both equal the formula of docs/semantics.md, evaluated directly.
  auto w = [](int o, int ky, int kx) {
    return double(((o * 9 + ky * 3 + kx) * 7 % 11) - 5);
  };
  double bias[4] = {0.5, -0.5, 1.0, 0.0};
  for (int b = 0; b < 2; ++b)
    for (int o = 0; o < 4; ++o)
      for (int oy = 0; oy < 3; ++oy)
        for (int ox = 0; ox < 6; ++ox) {
          double expected = bias[o];
          int channel = o / 2; // 2 groups, 1 input channel each
          for (int ky = 0; ky < 3; ++ky)
            for (int kx = 0; kx < 3; ++kx) {
              int iy = oy * 2 + ky * 1 - 1, ix = ox * 1 + kx * 2 - 2;
              if (iy >= 0 && iy < 5 && ix >= 0 && ix < 6)
                expected += w(o, ky, kx) * x((channel * 5 + iy) * 6 + ix, b);
            }
          EXPECT_DOUBLE_EQ(results[1]((o * 3 + oy) * 6 + ox, b), expected)
              << "sample " << b << " channel " << o << " at " << oy << ","
              << ox;
        }
}

// Tests that event-driven and dense propagation compute the same values on
// sparse spike input, and that each is used when asked.
TEST(Reference, EventDrivenEqualsDense) {
  Net net("  %a = snn.affine %x {weight = dense<[[1.0, -2.0, 3.0, 0.5], "
          "[0.25, 0.0, -1.0, 2.0]]> : tensor<2x4xf64>, bias = dense<[0.1, "
          "-0.1]> : tensor<2xf64>} : !snn.spikes<4> -> !snn.values<2>\n  "
          "snn.output %a : !snn.values<2>",
          "(%x: !snn.spikes<4>) -> (y: !snn.values<2>)");
  Matrix x(4, 3);
  x << 1, 0, 0, //
      0, 0, 1,  //
      0, 0, 0,  //
      1, 0, 1;
  Matrix results[2];
  for (int mode = 0; mode < 2; ++mode) {
    net.ref->propagation =
        mode ? sim::Propagation::EventDriven : sim::Propagation::Dense;
    net.ref->resetStats();
    net.ref->reset(3);
    net.ref->step({x});
    results[mode] = net.ref->output(0);
    const sim::NodeStats &s = net.ref->stats()[0];
    EXPECT_EQ(mode ? s.eventSteps : s.denseSteps, 1);
    EXPECT_EQ(s.synopsEffective, 4 * 2); // four input spikes, fan-out 2
    EXPECT_EQ(s.synopsDense, 8 * 3);
  }
  EXPECT_EQ(results[0], results[1]);
  EXPECT_DOUBLE_EQ(results[1](0, 0), 1.6);
  EXPECT_DOUBLE_EQ(results[1](1, 2), 1.9);
}

// Tests that float32 precision stores every value as a float.
TEST(Reference, Float32StoresFloats) {
  mlir::MLIRContext context;
  auto module = test::parseNetwork(
      context,
      "  %v = snn.integrator %x {r = 1000.0} : !snn.values<1> -> "
      "!snn.values<1>\n  snn.output %v : !snn.values<1>",
      "(%x: !snn.values<1>) -> (y: !snn.values<1>)");
  ASSERT_TRUE(module);
  NetworkOp network = *module->getOps<NetworkOp>().begin();
  double last[2];
  for (int p = 0; p < 2; ++p) {
    std::string error;
    auto ref = test::valueOr(
        sim::Reference::create(network, p ? sim::Precision::Float32
                                          : sim::Precision::Float64),
        error);
    ASSERT_TRUE(ref) << error;
    ref->reset(1);
    ref->step({Matrix::Constant(1, 1, 0.1)});
    ref->step({Matrix::Constant(1, 1, 0.2)});
    last[p] = ref->output(0)(0, 0);
  }
  EXPECT_EQ(last[0], 0.1 + 0.2);
  EXPECT_EQ(last[1], double(float(double(float(0.1)) + 0.2)));
  EXPECT_NE(last[0], last[1]);
}

// Tests that a projection the engine would have to hold dense beyond the
// limit (a valid 10^10-element splat) is refused naming the op and the
// limit, at once and without allocating it.
TEST(Reference, RefusesHugeDenseWeight) {
  mlir::MLIRContext context;
  auto module = test::parseNetwork(
      context,
      "  %y = snn.linear \"zero\" %x {weight = dense<0.0> : "
      "tensor<100000x100000xf32>} : !snn.spikes<100000> -> "
      "!snn.values<100000>\n  snn.output %y : !snn.values<100000>",
      "(%x: !snn.spikes<100000>) -> (y: !snn.values<100000>)");
  ASSERT_TRUE(module);
  std::string error;
  auto ref = test::valueOr(
      sim::Reference::create(*module->getOps<NetworkOp>().begin()), error);
  EXPECT_FALSE(ref);
  // The op's place in the source leads (line 2, column 8 of the string).
  EXPECT_EQ(error, "-:2:8: snn.linear \"zero\": a weight of shape 100000x100000 is "
                   "more than the 268435456 elements an engine holds dense");
}

//===- XyloEngineTest.cpp - snn.xylo in the fixed-point reference ---------===//
//
// The corners of Xylo's arithmetic (docs/semantics.md, "Xylo cores") through
// the IR: a specification becomes an snn.xylo op (lib/Xylo/XyloImport), the
// fixed-point reference (lib/Sim/XyloCore.cpp) runs it, and every expected
// value is derived by hand in the comment beside it. Each case also runs
// lib/Xylo's stepper (over runtime/embedded/snn_xylo.h) on the same
// specification and requires the same outputs and recorded states at every
// step.
//
//===----------------------------------------------------------------------===//

#include "ExpectedValue.h"
#include "SNN/IR/SNNOps.h"
#include "Sim/Fixed.h"
#include "Sim/XyloCore.h"
#include "Xylo/XyloImport.h"
#include "Xylo/XyloStepper.h"

#include "mlir/IR/Verifier.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace snn;

namespace {

/// One specification on the fixed-point reference and on the stepper.
class Core {
public:
  explicit Core(const xylo::Spec &s, int version = 2) : spec(s), version(version) {
    context.loadDialect<SNNDialect>();
    OpBuilder b(&context);
    module = ModuleOp::create(UnknownLoc::get(&context));
    b.setInsertionPointToStart(module->getBody());
    NetworkOp network =
        xylo::buildXyloNetwork(b, UnknownLoc::get(&context), s, version);
    EXPECT_TRUE(succeeded(verify(*module)));
    std::string error;
    fixed = test::valueOr(sim::Fixed::create(network), error);
    EXPECT_TRUE(fixed) << error;
    node = *fixed->findNode("xylo");
  }

  /// One step on the reference; the output spikes.
  std::vector<int64_t> step(const std::vector<int32_t> &counts) {
    sim::Matrix in(spec.nIn, 1);
    for (int64_t i = 0; i < spec.nIn; ++i)
      in(i, 0) = counts[i];
    fixed->step({in});
    inputs.insert(inputs.end(), counts.begin(), counts.end());
    const sim::IntMatrix &out = fixed->rawOutput(0);
    std::vector<int64_t> result(out.data(), out.data() + out.size());
    outputs.insert(outputs.end(), result.begin(), result.end());
    record(core());
    return result;
  }

  const sim::XyloCore &core() const { return *fixed->xyloCore(node); }
  int64_t vmem(int h) const { return core().vmem()(h, 0); }
  int64_t isyn(int h, int s = 0) const { return core().isyn(s)(h, 0); }
  int64_t spikes(int h) const { return core().spikes()(h, 0); }

  /// The stepper on every input given so far: the same outputs and states.
  void expectStepperAgrees() const {
    llvm::Expected<xylo::Stepper> stepper = xylo::Stepper::create(spec, version);
    ASSERT_TRUE(static_cast<bool>(stepper))
        << llvm::toString(stepper.takeError());
    int64_t steps = static_cast<int64_t>(inputs.size()) / spec.nIn;
    xylo::Record r;
    std::vector<int32_t> out = stepper->run(inputs, steps, &r);
    EXPECT_EQ(std::vector<int64_t>(out.begin(), out.end()), outputs);
    EXPECT_EQ(std::vector<int64_t>(r.vmem.begin(), r.vmem.end()), vmems);
    EXPECT_EQ(std::vector<int64_t>(r.isyn.begin(), r.isyn.end()), isyns);
    EXPECT_EQ(std::vector<int64_t>(r.isyn2.begin(), r.isyn2.end()), isyn2s);
    EXPECT_EQ(std::vector<int64_t>(r.spikes.begin(), r.spikes.end()), spks);
    EXPECT_EQ(std::vector<int64_t>(r.vmemOut.begin(), r.vmemOut.end()),
              vmemOuts);
  }

private:
  void record(const sim::XyloCore &c) {
    for (int64_t h = 0; h < spec.nHid; ++h) {
      vmems.push_back(c.vmem()(h, 0));
      isyns.push_back(c.isyn(0)(h, 0));
      isyn2s.push_back(c.isyn(1)(h, 0));
      spks.push_back(c.spikes()(h, 0));
    }
    for (int64_t o = 0; o < spec.nOut; ++o)
      vmemOuts.push_back(c.vmemOut()(o, 0));
  }

  xylo::Spec spec;
  int version;
  MLIRContext context;
  OwningOpRef<ModuleOp> module;
  std::unique_ptr<sim::Fixed> fixed;
  size_t node = 0;
  std::vector<int32_t> inputs;
  std::vector<int64_t> outputs, vmems, isyns, isyn2s, spks, vmemOuts;
};

/// One input, `hidden` hidden neurons, one output; dashes 15 (a leak of 1),
/// thresholds 32767 (nothing fires unless a test says so).
xylo::Spec quiet(int64_t inputs, int64_t hidden) {
  xylo::Spec s = xylo::makeSpec(inputs, hidden, 1, 2);
  for (auto *v : {&s.dashMem, &s.dashSyn, &s.dashSyn2, &s.dashMemOut,
                  &s.dashSynOut})
    std::fill(v->begin(), v->end(), 15);
  std::fill(s.threshold.begin(), s.threshold.end(), 32767);
  std::fill(s.thresholdOut.begin(), s.thresholdOut.end(), 32767);
  return s;
}

int64_t &win(xylo::Spec &s, int i, int h, int syn) {
  return s.weightsIn[(i * s.nIen + h) * s.synIn + syn];
}

} // namespace

// Tests that the leak floors negatives: -17 with dash 4 leaks floor(-17/16)
// = -2 (not -1) to -15; then -15 >> 4 = -1 to -14; a positive 15 with dash
// 4 gives 0, so the sign, 1: 14.
TEST(XyloEngine, NegativeLeakRounding) {
  xylo::Spec s = quiet(1, 2);
  win(s, 0, 0, 0) = -17;
  win(s, 0, 1, 0) = 15;
  s.dashSyn = {4, 4};
  Core c(s);
  c.step({1});
  EXPECT_EQ(c.isyn(0), -15);
  EXPECT_EQ(c.isyn(1), 14);
  c.step({0});
  EXPECT_EQ(c.isyn(0), -14);
  c.expectStepperAgrees();
}

// Tests dash 0: the state leaks entirely in the step it is set (10 - 10),
// so the membrane sees a current of 0; with dash_mem 0 a membrane of 9
// (from the second synapse, dash 15: 10 - 1) also leaks away next step.
TEST(XyloEngine, DashZero) {
  xylo::Spec s = quiet(1, 1);
  win(s, 0, 0, 0) = 10;
  win(s, 0, 0, 1) = 10;
  s.dashSyn = {0};
  s.dashMem = {0};
  Core c(s);
  c.step({1});
  EXPECT_EQ(c.isyn(0, 0), 0);
  EXPECT_EQ(c.isyn(0, 1), 9);
  EXPECT_EQ(c.vmem(0), 9);
  // Next: isyn2 9 - 1 = 8; dv = -leak(9, 0) = -9, + 8: vmem 9 - 1 = 8.
  c.step({0});
  EXPECT_EQ(c.vmem(0), 8);
  c.expectStepperAgrees();
}

// Tests the 31-spike cap with its remainder: weight 100 << 2 = 400, leak 1:
// 399; vmem 399 with threshold 10 fires 31 (310) and keeps 89. Next step,
// no input: isyn 398, vmem 89 - 1 + 398 = 486: 31 again, 176 remains.
TEST(XyloEngine, HiddenSpikeCapWithRemainder) {
  xylo::Spec s = quiet(1, 1);
  win(s, 0, 0, 0) = 100;
  s.weightShiftIn = 2;
  s.threshold = {10};
  Core c(s);
  c.step({1});
  EXPECT_EQ(c.spikes(0), 31);
  EXPECT_EQ(c.vmem(0), 89);
  c.step({0});
  EXPECT_EQ(c.spikes(0), 31);
  EXPECT_EQ(c.vmem(0), 176);
  c.expectStepperAgrees();
}

// Tests threshold 0 (from_specification's default): 31 spikes every step
// with vmem unchanged at 0; the output neuron, threshold 0, fires its one.
TEST(XyloEngine, ThresholdZero) {
  xylo::Spec s = quiet(1, 1);
  s.threshold = {0};
  s.thresholdOut = {0};
  Core c(s);
  EXPECT_EQ(c.step({0}), (std::vector<int64_t>{1}));
  EXPECT_EQ(c.spikes(0), 31);
  EXPECT_EQ(c.vmem(0), 0);
  c.step({0});
  EXPECT_EQ(c.spikes(0), 31);
  c.expectStepperAgrees();
}

// Tests that each event is its own saturating add and that counts are
// clipped at 15: 127 << 7 = 16256, three events saturate at 32767 (leak:
// 32766); weight 1 with 20 events adds 15 (leak: 14).
TEST(XyloEngine, SaturationOnRepeatedAddsAndInputClip) {
  xylo::Spec s = quiet(2, 2);
  win(s, 0, 0, 0) = 127;
  win(s, 1, 1, 0) = 1;
  s.weightShiftIn = 7;
  Core c(s);
  c.step({3, 0});
  EXPECT_EQ(c.isyn(0), 32766);
  xylo::Spec t = quiet(1, 1);
  win(t, 0, 0, 0) = 1;
  Core d(t);
  d.step({20});
  EXPECT_EQ(d.isyn(0), 14);
  c.expectStepperAgrees();
  d.expectStepperAgrees();
}

// Tests that with mixed signs the order is the channels' (shift 7):
// channel 0 adds +16256 three times (32767), then channel 1 -16384: 16383,
// leak 16382. Swapped: -16384, then -128, 16128, 32384; leak 32383.
TEST(XyloEngine, MixedSignOrder) {
  xylo::Spec s = quiet(2, 1);
  s.weightShiftIn = 7;
  win(s, 0, 0, 0) = 127;
  win(s, 1, 0, 0) = -128;
  Core c(s);
  c.step({3, 1});
  EXPECT_EQ(c.isyn(0), 16382);
  xylo::Spec t = quiet(2, 1);
  t.weightShiftIn = 7;
  win(t, 0, 0, 0) = -128;
  win(t, 1, 0, 0) = 127;
  Core d(t);
  d.step({1, 3});
  EXPECT_EQ(d.isyn(0), 32383);
  c.expectStepperAgrees();
  d.expectStepperAgrees();
}

// Tests aliases: h0 (bias 10, threshold 10) fires once and adds it to h1,
// which does not fire itself: both record 1. An alias to a lower neuron
// after it fired: h1 (threshold 0) fires 31 into h0's 1: min(32, 31).
TEST(XyloEngine, Aliases) {
  xylo::Spec s = quiet(1, 2);
  s.bias = {10, 0};
  s.threshold = {10, 100};
  s.aliases = {{1}, {}};
  Core c(s);
  c.step({0});
  EXPECT_EQ(c.spikes(0), 1);
  EXPECT_EQ(c.spikes(1), 1);
  xylo::Spec t = quiet(1, 2);
  t.bias = {10, 0};
  t.threshold = {10, 0};
  t.aliases = {{}, {0}};
  Core d(t);
  d.step({0});
  EXPECT_EQ(d.spikes(0), 31);
  EXPECT_EQ(d.spikes(1), 31);
  c.expectStepperAgrees();
  d.expectStepperAgrees();
}

// Tests that `w << shift` narrows to int16: 127 << 9 = 65024 is -512; the
// leak of -512 with dash 15 is -1 (floor): -511.
TEST(XyloEngine, WeightShiftNarrowing) {
  xylo::Spec s = quiet(1, 1);
  win(s, 0, 0, 0) = 127;
  s.weightShiftIn = 9;
  Core c(s);
  c.step({1});
  EXPECT_EQ(c.isyn(0), -511);
  c.expectStepperAgrees();
}

// Tests the timing (docs/xylo.md's trace): input acts on hidden 0 in step
// 0, hidden 0's spike reaches hidden 1 in step 1, and hidden 1's reaches
// the output in step 2.
TEST(XyloEngine, InputSameStepHiddenNextStep) {
  xylo::Spec s = quiet(1, 2);
  s.nOen = 2;
  win(s, 0, 0, 0) = 10;
  s.weightsRec[(0 * 2 + 1) * 2 + 0] = 20;
  s.weightsOut = {0, 30};
  s.threshold = {5, 5};
  s.thresholdOut = {5};
  Core c(s);
  EXPECT_EQ(c.step({1}), (std::vector<int64_t>{0}));
  EXPECT_EQ(c.spikes(0), 1);
  EXPECT_EQ(c.step({0}), (std::vector<int64_t>{0}));
  EXPECT_EQ(c.spikes(1), 3);
  EXPECT_EQ(c.step({0}), (std::vector<int64_t>{1}));
  EXPECT_EQ(c.spikes(1), 12);
  c.expectStepperAgrees();
}

// Tests version 1's membrane with the wide current (v1: vmem - leak + I,
// saturated once); a negative membrane tells v1 from v2 in
// XyloArith.VersionOneMembraneOrder and the random v1 specifications of
// test/Xylo/xylo-engines.test.
TEST(XyloEngine, VersionOne) {
  xylo::Spec s = quiet(1, 1);
  win(s, 0, 0, 0) = 30000 >> 8;
  win(s, 0, 0, 1) = 30000 >> 8;
  s.weightShiftIn = 8;
  Core c(s, 1);
  c.step({1});
  // 117 << 8 = 29952, leak 1: 29951 twice; vmem 0 + 59902 -> 32767, which
  // reaches the threshold 32767: one spike, vmem 0.
  EXPECT_EQ(c.isyn(0, 0), 29951);
  EXPECT_EQ(c.spikes(0), 1);
  EXPECT_EQ(c.vmem(0), 0);
  c.step({0});
  c.expectStepperAgrees();
}

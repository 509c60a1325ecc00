//===- XyloArithTest.cpp - runtime/embedded/snn_xylo.h by hand ------------===//
//
// Every expected value below is worked out by hand from the rules of
// docs/xylo.md ("One time step"), the derivation in the comment beside it.
// The randomized comparison with an independent implementation is
// XyloSpecTest's XyloStepper tests.
//
//===----------------------------------------------------------------------===//

#include "snn_xylo_table.h"

#include <gtest/gtest.h>

#include <vector>

namespace {

/// A small dense network and its state, for snn_xylo_step: the tables of
/// snn_xylo_table.h with every dash 15 and threshold 5, both synapses.
struct SmallNet : snn::xylo::NetTable, snn::xylo::StateTable {
  std::vector<int32_t> scratch;

  SmallNet(int32_t in, int32_t hid, int32_t out, int32_t version = 2) {
    this->version = version;
    nIn = in;
    nIen = nHid = nOen = hid;
    nOut = out;
    nSyn = 2;
    allocate();
    StateTable::reset(*this);
    for (auto *d : {&dashMem, &dashSyn, &dashSyn2})
      d->assign(size_t(hid), 15);
    for (auto *d : {&dashMemOut, &dashSynOut})
      d->assign(size_t(out), 15);
    threshold.assign(size_t(hid), 5);
    thresholdOut.assign(size_t(out), 5);
    scratch.assign(size_t(in), 0);
  }
  int8_t &win(int i, int h, int s) { return wIn[(i * nHid + h) * 2 + s]; }
  int8_t &wrec(int p, int h, int s) { return wRec[(p * nHid + h) * 2 + s]; }
  int8_t &wout(int h, int o) { return wOut[h * nOut + o]; }

  std::vector<int32_t> step(std::vector<int32_t> input) {
    snn_xylo_net net = NetTable::view();
    snn_xylo_state st = StateTable::view();
    std::vector<int32_t> out(nOut, 0);
    snn_xylo_step(&net, &st, input.data(), out.data(), scratch.data());
    return out;
  }
};

} // namespace

// Tests that the leak floors negatives and moves a non-zero state by at
// least 1 toward zero.
TEST(XyloArith, NegativeLeakRounding) {
  // -17 >> 4 = floor(-1.0625) = -2: -17 - (-2) = -15 (truncation: -16).
  EXPECT_EQ(snn_xylo_leak(-17, 4), -2);
  EXPECT_EQ(snn_xylo_decay(-17, 4), -15);
  // -1 >> 4 = -1: -1 becomes 0 in one step.
  EXPECT_EQ(snn_xylo_decay(-1, 4), 0);
  // -15 >> 4 = -1: -14.
  EXPECT_EQ(snn_xylo_decay(-15, 4), -14);
  // 15 >> 4 = 0, so the sign: 15 - 1 = 14; 17 >> 4 = 1: 16.
  EXPECT_EQ(snn_xylo_decay(15, 4), 14);
  EXPECT_EQ(snn_xylo_decay(17, 4), 16);
  // 0 stays 0 (sign 0).
  EXPECT_EQ(snn_xylo_decay(0, 4), 0);
  // dash 15: 32767 >> 15 = 0 -> 1; -32768 >> 15 = -1.
  EXPECT_EQ(snn_xylo_decay(32767, 15), 32766);
  EXPECT_EQ(snn_xylo_decay(-32768, 15), -32767);
}

// Tests that dash 0 zeroes a synaptic state and a v1 membrane, while v2's
// i16(-leak) wraps for -32768: dv = i16(32768) = -32768, then
// vmem = sat16(-32768 - 32768) = -32768 stays.
TEST(XyloArith, DashZero) {
  EXPECT_EQ(snn_xylo_decay(12345, 0), 0);
  EXPECT_EQ(snn_xylo_decay(-32768, 0), 0);
  EXPECT_EQ(snn_xylo_membrane_v1(-32768, 0, 0), 0);
  EXPECT_EQ(snn_xylo_membrane_v2(-32768, 0, 0, 0, 0), -32768);
  // vmem 500, dash 0, I = 7: dv = -500 + 7 = -493; 500 - 493 = 7.
  EXPECT_EQ(snn_xylo_membrane_v2(500, 7, 0, 0, 0), 7);
  EXPECT_EQ(snn_xylo_membrane_v1(500, 7, 0), 7);
}

// Tests the 31-spike cap: the remainder stays above threshold and fires
// again in the next step.
TEST(XyloArith, HiddenSpikeCapWithRemainder) {
  // vmem = 400, threshold 10: 31 spikes take 310, 90 remains.
  int16_t v = 400;
  EXPECT_EQ(snn_xylo_fire(&v, 10, 0, 31), 31);
  EXPECT_EQ(v, 90);
  // Next step, no input, dash 15: leak(90) = 0 -> 1, vmem 89; 8 spikes take
  // 80, 9 remains.
  v = snn_xylo_membrane_v2(v, 0, 15, 0, 0);
  EXPECT_EQ(v, 89);
  EXPECT_EQ(snn_xylo_fire(&v, 10, 0, 31), 8);
  EXPECT_EQ(v, 9);
  // An output neuron fires at most once: 400 - 10 = 390.
  v = 400;
  EXPECT_EQ(snn_xylo_fire(&v, 10, 0, SNN_XYLO_MAX_OUTPUT_SPIKES), 1);
  EXPECT_EQ(v, 390);
}

// Tests that threshold 0 fires the cap every step without changing vmem
// (vmem - 0), and that a negative vmem does not fire.
TEST(XyloArith, ThresholdZero) {
  int16_t v = 5;
  EXPECT_EQ(snn_xylo_fire(&v, 0, 0, 31), 31);
  EXPECT_EQ(v, 5);
  v = 0;
  EXPECT_EQ(snn_xylo_fire(&v, 0, 0, 31), 31);
  v = -1;
  EXPECT_EQ(snn_xylo_fire(&v, 0, 0, 31), 0);
  // `>=`: vmem equal to the threshold fires and resets to 0.
  v = 7;
  EXPECT_EQ(snn_xylo_fire(&v, 7, 0, 31), 1);
  EXPECT_EQ(v, 0);
}

// Tests that every event is its own saturating add.
TEST(XyloArith, SaturationOnRepeatedAdds) {
  // 127 << 3 = 1016: 32000 + 1016 -> 32767, then stays.
  int16_t s = 32000;
  snn_xylo_add_events(&s, snn_xylo_shifted_weight(127, 3), 3);
  EXPECT_EQ(s, 32767);
  // -128 << 7 = -16384: -20000 - 16384 -> -32768.
  s = -20000;
  snn_xylo_add_events(&s, snn_xylo_shifted_weight(-128, 7), 15);
  EXPECT_EQ(s, -32768);
}

// Tests that with mixed signs the order of the adds matters.
TEST(XyloArith, MixedSignOrder) {
  // +100 then -100: 32800 -> 32767, then 32667.
  int16_t s = 32700;
  snn_xylo_add_events(&s, 100, 1);
  snn_xylo_add_events(&s, -100, 1);
  EXPECT_EQ(s, 32667);
  // -100 then +100: 32600, then 32700.
  s = 32700;
  snn_xylo_add_events(&s, -100, 1);
  snn_xylo_add_events(&s, 100, 1);
  EXPECT_EQ(s, 32700);

  // The same through a step, synapse 0 of hidden 0 at 32700: input 0 (+100)
  // acts before input 1 (-100), so 32767 - 100 = 32667, then the leak with
  // dash 15 takes 1: 32666.
  SmallNet n(2, 1, 1);
  n.isyn[0] = 32700;
  n.win(0, 0, 0) = 100;
  n.win(1, 0, 0) = -100;
  n.threshold[0] = 32767;
  n.step({1, 1});
  EXPECT_EQ(n.isyn[0], 32666);
  // Swapped weights: 32600, 32700, leak: 32699.
  SmallNet m(2, 1, 1);
  m.isyn[0] = 32700;
  m.win(0, 0, 0) = -100;
  m.win(1, 0, 0) = 100;
  m.threshold[0] = 32767;
  m.step({1, 1});
  EXPECT_EQ(m.isyn[0], 32699);
}

// Tests that `w << shift` is computed in int and narrowed to int16.
TEST(XyloArith, WeightShiftNarrowing) {
  EXPECT_EQ(snn_xylo_shifted_weight(127, 7), 16256);
  EXPECT_EQ(snn_xylo_shifted_weight(-128, 7), -16384);
  EXPECT_EQ(snn_xylo_shifted_weight(-128, 8), -32768);
  // 127 << 9 = 65024 = 0xFE00 -> -512.
  EXPECT_EQ(snn_xylo_shifted_weight(127, 9), -512);
  // -128 << 9 = -65536 -> 0.
  EXPECT_EQ(snn_xylo_shifted_weight(-128, 9), 0);
  // 1 << 15 = 32768 -> -32768.
  EXPECT_EQ(snn_xylo_shifted_weight(1, 15), -32768);
}

// Tests that the two synaptic states are summed wide: 29999 + 29999 = 59998
// is not wrapped (-5538) nor saturated before the membrane update.
TEST(XyloArith, SynapsesSummedWide) {
  int16_t isyn[2] = {30000, 30000};
  int32_t dash[2] = {15, 15};
  // v1: vmem -30000 -> decay -29999; -29999 + 59998 = 29999. (Saturating
  // the sum first would give -29999 + 32767 = 2768.)
  int16_t v = -30000;
  int32_t n =
      snn_xylo_neuron(SNN_XYLO_V1, isyn, dash, 2, &v, 15, 0, 0, 32767, 0, 31);
  EXPECT_EQ(isyn[0], 29999);
  EXPECT_EQ(v, 29999);
  EXPECT_EQ(n, 0);
  // v2 from 0: dv = sat16(0 + 59998) = 32767; vmem 32767 (wrapped: -5538).
  int16_t isyn2[2] = {30000, 30000};
  v = 0;
  snn_xylo_neuron(SNN_XYLO_V2, isyn2, dash, 2, &v, 15, 0, 0, 32767, 0, 0);
  EXPECT_EQ(v, 32767);
  // v2 can show the wide sum only through the wrap of -leak: vmem -32768,
  // dash_mem 0: dv = i16(32768) = -32768, dv = sat16(-32768 + 59998) =
  // 27230, vmem = -32768 + 27230 = -5538. (A saturated sum gives
  // dv = -1 and vmem -32768; a wrapped one -5538 - 32768 -> -32768.)
  int16_t isyn3[2] = {30000, 30000};
  v = -32768;
  snn_xylo_neuron(SNN_XYLO_V2, isyn3, dash, 2, &v, 0, 0, 0, 32767, 0, 0);
  EXPECT_EQ(v, -5538);
}

// Tests v1's membrane order against v2's: with a large negative current
// v2 saturates dv first. vmem 30000, dash 15, I = -40000:
// v2: dv = sat16(-1 - 40000) = -32768, vmem = 30000 - 32768 = -2768;
// v1: 30000 - 1 = 29999, sat16(29999 - 40000) = -10001. v1 has no bias.
TEST(XyloArith, VersionOneMembraneOrder) {
  EXPECT_EQ(snn_xylo_membrane_v2(30000, -40000, 15, 0, 0), -2768);
  EXPECT_EQ(snn_xylo_membrane_v1(30000, -40000, 15), -10001);
  // Bias only when the network has one: 100 - 1 + 0 + 5 = 104.
  EXPECT_EQ(snn_xylo_membrane_v2(100, 0, 15, 1, 5), 104);
  EXPECT_EQ(snn_xylo_membrane_v2(100, 0, 15, 0, 5), 99);
}

// Tests that input is clipped at 15 events and leaks in the same step:
// 20 events of weight 1 -> 15; dash_syn 1: 15 - (15 >> 1 = 7) = 8.
TEST(XyloArith, InputClippedAndLeakedSameStep) {
  EXPECT_EQ(snn_xylo_clip_input(20), 15);
  EXPECT_EQ(snn_xylo_clip_input(-3), 0);
  SmallNet n(1, 1, 1);
  n.win(0, 0, 0) = 1;
  n.dashSyn[0] = 1;
  n.threshold[0] = 1000;
  n.step({20});
  EXPECT_EQ(n.isyn[0], 8);
  // vmem: dv = -leak(0) = 0, + 8: 8.
  EXPECT_EQ(n.vmem[0], 8);
}

// Tests the timing: input acts on hidden neurons in the same step, a hidden
// spike reaches hidden and output neurons in the next. Input 0 -> hidden 0
// (10), hidden 0 -> hidden 1 (20), hidden 1 -> output (30); all dashes 15,
// thresholds 5.
// t0: isyn0 10 -> 9, vmem0 9 -> 1 spike, 4. t1: isyn1 20 -> 19, vmem1 19
// -> 3 spikes, 4; isyn0 8, vmem0 4 - 1 + 8 = 11 -> 2 spikes, 1.
// t2: isyn1 19 + 2*20 = 59 -> 58, vmem1 4 - 1 + 58 = 61 -> 12 spikes, 1;
// isyn_out 3*30 = 90 -> 89, vmem_out 89 -> 1 spike (the cap), 84.
TEST(XyloArith, InputSameStepHiddenNextStep) {
  SmallNet n(1, 2, 1);
  n.win(0, 0, 0) = 10;
  n.wrec(0, 1, 0) = 20;
  n.wout(1, 0) = 30;
  EXPECT_EQ(n.step({1})[0], 0);
  EXPECT_EQ(n.spk, (std::vector<int32_t>{1, 0}));
  EXPECT_EQ(n.vmem[0], 4);
  EXPECT_EQ(n.step({0})[0], 0);
  EXPECT_EQ(n.spk, (std::vector<int32_t>{2, 3}));
  EXPECT_EQ(n.vmem, (std::vector<int16_t>{1, 4}));
  EXPECT_EQ(n.step({0})[0], 1);
  EXPECT_EQ(n.spk[1], 12);
  EXPECT_EQ(n.vmem[1], 1);
  EXPECT_EQ(n.vmemOut[0], 84);
}

// Tests aliases: a neuron's spikes are added to its target's count, before
// the target fires when the target has a higher index (its firing then
// starts from the held count) and after it otherwise; the sum is capped at
// 31.
TEST(XyloArith, Aliases) {
  // h0: bias 10, threshold 10 -> vmem 10 -> 1 spike, alias to h1 (held 1).
  // h1: bias 0, threshold 100, vmem 0: no own spike, keeps 1.
  SmallNet n(1, 2, 1);
  n.bias[0] = 10;
  n.threshold = {10, 100};
  n.alias[0] = 1;
  n.step({0});
  EXPECT_EQ(n.spk, (std::vector<int32_t>{1, 1}));

  // Alias to a lower index after it fired: h1 threshold 0 fires 31, h0
  // fired 1, min(1 + 31, 31) = 31.
  SmallNet m(1, 2, 1);
  m.bias[0] = 10;
  m.threshold = {10, 0};
  m.alias[1] = 0;
  m.step({0});
  EXPECT_EQ(m.spk, (std::vector<int32_t>{31, 31}));

  // The held count limits the target's own firing: h0 (threshold 0) sends
  // 31 to h1, whose vmem of 100 with threshold 10 then cannot fire: 31 held,
  // vmem 100 - 1 (leak) = 99 unchanged by firing.
  SmallNet k(1, 2, 1);
  k.threshold = {0, 10};
  k.vmem[1] = 100;
  k.alias[0] = 1;
  k.step({0});
  EXPECT_EQ(k.spk, (std::vector<int32_t>{31, 31}));
  EXPECT_EQ(k.vmem[1], 99);
}

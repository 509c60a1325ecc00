//===- LavaArithTest.cpp - runtime/embedded/snn_lava.h on hand-derived cases =//
//
// Every expected value below is worked out by hand from the formulas of
// Lava's PyLifModelBitAcc, PyDenseModelBitAcc, PyDelayDenseModelBitAcc and
// PyConvModelFixed (the derivation is in the comment beside it); the
// randomized comparison with Lava itself is test/Lava/lava-random.test.
//
//===----------------------------------------------------------------------===//

#include "Sim/IntegerArith.h"
#include "snn_lava.h"

#include <gtest/gtest.h>

#include <vector>

namespace {
constexpr int32_t kMax = 1 << 23; // 2^23

// One neuron with no bias and a large threshold: returns (u, v) after one
// step from (u, v) with input a.
std::pair<int32_t, int32_t> step(int32_t u, int32_t v, int32_t a, int32_t du,
                                 int32_t dv, int32_t bias = 0,
                                 int64_t vth = int64_t(1) << 30) {
  snn_lava_lif_neuron(&u, &v, a, du, dv, bias, snn_lava_threshold(vth));
  return {u, v};
}
} // namespace

// Tests that decays truncate toward zero, not toward minus infinity.
TEST(LavaArith, DecayTruncatesTowardZero) {
  // -5 * (4096 - 2048) = -10240; |-10240| >> 12 = 2; the sign makes -2
  // (floor would give -3).
  EXPECT_EQ(snn_lava_decay(-5, 2048), -2);
  EXPECT_EQ(snn_lava_decay(5, 2048), 2);
  // -1 * 4095 = -4095 -> 0 (floor: -1).
  EXPECT_EQ(snn_lava_decay(-1, 1), 0);
  // -4097 * 4095 = -16777215 -> 16777215 >> 12 = 4095 -> -4095.
  EXPECT_EQ(snn_lava_decay(-4097, 1), -4095);
  EXPECT_EQ(snn_lava_decay(-7, 0), -7);
  EXPECT_EQ(snn_lava_decay(-7, 4096), 0);
}

// Tests du and dv at 0 and 4095: ds_offset = 1 makes du = 0 leak 1/4096
// and du = 4095 forget u entirely; dm_offset = 0 makes dv = 0 keep v.
TEST(LavaArith, DecayConstantsAtTheirEnds) {
  // du = 0: u = 4096 * 4095 / 4096 = 4095; v = 0 + 4095.
  EXPECT_EQ(step(4096, 0, 0, 0, 0), std::make_pair(4095, 4095));
  // du = 4095: factor 4096 - 4096 = 0, u = 0 + (3 << 6) = 192.
  EXPECT_EQ(step(4096, 0, 3, 4095, 0), std::make_pair(192, 192));
  // dv = 0: v = 1000 + u 0 = 1000 (no leak at all).
  EXPECT_EQ(step(0, 1000, 0, 4095, 0), std::make_pair(0, 1000));
  // dv = 4095: factor 1, v = 4096 * 1 / 4096 = 1.
  EXPECT_EQ(step(0, 4096, 0, 4095, 4095), std::make_pair(0, 1));
  // dv = 4095 on a negative v: -4095 * 1 / 4096 truncates to 0.
  EXPECT_EQ(step(0, -4095, 0, 4095, 4095), std::make_pair(0, 0));
}

// Tests that u wraps once at 24 bits, keeping exactly +2^23.
TEST(LavaArith, CurrentWraps) {
  // a = 2^17: a << 6 = 2^23, not > 2^23: kept. v = 2^23 saturates to 2^23-1.
  EXPECT_EQ(step(0, 0, 1 << 17, 4095, 0), std::make_pair(kMax, kMax - 1));
  // a = 2^17 + 1: 2^23 + 64 > 2^23 -> 2^23 + 64 - 2^24 = -2^23 + 64.
  EXPECT_EQ(step(0, 0, (1 << 17) + 1, 4095, 0).first, -kMax + 64);
  // a = -2^17: -2^23 <= -2^23 -> +2^24 = 2^23.
  EXPECT_EQ(step(0, 0, -(1 << 17), 4095, 0).first, kMax);
  // du = 0 on u = 2^23 with a = 1: 2^23 * 4095 / 4096 = 2^23 - 2^11, + 64.
  EXPECT_EQ(step(kMax, 0, 1, 0, 0).first, kMax - 2048 + 64);
  // The correction is applied once: a = 3 * 2^17 gives 3 * 2^23 - 2^24 =
  // 2^23 (in range); one more gives 2^23 + 64, which Lava keeps.
  EXPECT_EQ(step(0, 0, 3 << 17, 4095, 4095).first, kMax);
  EXPECT_EQ(step(0, 0, (3 << 17) + 1, 4095, 4095).first, kMax + 64);
  // a << 6 wraps in int32: 2^25 << 6 = 2^31 -> -2^31; -2^31 + 2^24 once.
  EXPECT_EQ(step(0, 0, 1 << 25, 4095, 4095).first, INT32_MIN + (1 << 24));
}

// Tests that v saturates at +-(2^23 - 1).
TEST(LavaArith, VoltageSaturates) {
  // v = 2^23 - 1 (dv = 0 keeps it) + u 64 -> 2^23 + 63 -> 2^23 - 1.
  EXPECT_EQ(step(0, kMax - 1, 1, 4095, 0).second, kMax - 1);
  // v = -(2^23 - 1) + u -64 -> -2^23 - 63 -> -2^23 + 1.
  EXPECT_EQ(step(0, -kMax + 1, -1, 4095, 0).second, -kMax + 1);
  // bias alone: 2^23 - 1 + 1 -> clipped.
  EXPECT_EQ(step(0, kMax - 1, 0, 4095, 0, 1).second, kMax - 1);
  EXPECT_EQ(snn_lava_clip_voltage(-kMax), -kMax + 1);
}

// Tests that the threshold is vth * 2^6 with a strict compare, and that a
// spike resets v only.
TEST(LavaArith, StrictThresholdResetsVoltageOnly) {
  EXPECT_EQ(snn_lava_threshold(1), 64);
  EXPECT_EQ(snn_lava_threshold(131071), 131071LL * 64);
  int32_t u = 0, v = 0;
  // a = 1: u = 64, v = 64: equal to vth 64, no spike.
  EXPECT_EQ(snn_lava_lif_neuron(&u, &v, 1, 4095, 0, 0, snn_lava_threshold(1)),
            0);
  EXPECT_EQ(v, 64);
  // next step, du = 4095 forgets u: u = 64, v = 64 + 64 = 128 > 64: spike,
  // v = 0, u stays 64.
  EXPECT_EQ(snn_lava_lif_neuron(&u, &v, 1, 4095, 0, 0, snn_lava_threshold(1)),
            1);
  EXPECT_EQ(u, 64);
  EXPECT_EQ(v, 0);
}

// Tests a short trace: du = 2047 halves u, dv = 1024 keeps 3/4 of v, a = 5
// adds 320 per step, vth = 10 (640).
TEST(LavaArith, HandTrace) {
  // u: 320, 160+320=480, 240+320=560, 280+320=600
  // v: 320, 240+480=720>640 -> 0, 0+560=560, 420+600=1020>640 -> 0
  const int32_t us[] = {320, 480, 560, 600}, vs[] = {320, 0, 560, 0};
  const uint8_t ss[] = {0, 1, 0, 1};
  int32_t u = 0, v = 0, a = 5, mant = 0, exp = 0;
  for (int t = 0; t < 4; ++t) {
    uint8_t s;
    snn_lava_lif_step(1, &u, &v, &a, 2047, 1024, &mant, &exp, 10, &s);
    EXPECT_EQ(u, us[t]) << "step " << t + 1;
    EXPECT_EQ(v, vs[t]) << "step " << t + 1;
    EXPECT_EQ(s, ss[t]) << "step " << t + 1;
  }
}

// Tests bias mantissa and exponent, including negative exponents (floor)
// and the int16 storage of the mantissa.
TEST(LavaArith, BiasMantissaExponent) {
  EXPECT_EQ(snn_lava_bias(3, 6), 192);
  EXPECT_EQ(snn_lava_bias(-3, 6), -192);
  EXPECT_EQ(snn_lava_bias(5, -1), 2);   // 5 >> 1
  EXPECT_EQ(snn_lava_bias(-5, -1), -3); // floor(-2.5)
  EXPECT_EQ(snn_lava_bias(-1, -7), -1); // floor(-1/128)
  EXPECT_EQ(snn_lava_bias(4095, -12), 0);
  // 40000 stored in int16 is 40000 - 65536 = -25536.
  EXPECT_EQ(snn_lava_bias(40000, 0), -25536);
  // numpy: shifts by >= 32 give 0 (left) or the sign (right).
  EXPECT_EQ(snn_lava_bias(5, 40), 0);
  EXPECT_EQ(snn_lava_bias(-5, -40), -1);
  // a bias of -3 * 2^6 per step on v.
  EXPECT_EQ(step(0, 0, 0, 4095, 0, snn_lava_bias(-3, 6)).second, -192);
}

// Tests weight_exp from -3 to 4 applied to the sum, not to each weight.
TEST(LavaArith, WeightExponentOnTheSum) {
  // sum -13: >> 3 = floor(-1.625) = -2, >> 2 = -4, >> 1 = -7, << 1..4.
  const int32_t expected[] = {-2, -4, -7, -13, -26, -52, -104, -208};
  for (int32_t e = -3; e <= 4; ++e)
    EXPECT_EQ(snn_lava_scale_sum(-13, e), expected[e + 3]) << e;
  // Two weights 3 and 3 with weight_exp -1: (3 + 3) >> 1 = 3, not
  // (3 >> 1) + (3 >> 1) = 2.
  const int32_t w[] = {3, 3};
  const uint8_t s[] = {1, 1};
  int32_t buff = 0, out = -1;
  snn_lava_dense_step(1, 2, w, s, -1, &buff, &out);
  EXPECT_EQ(out, 0); // what was buffered before: one step of latency
  EXPECT_EQ(buff, 3);
  // The message is int32: 2^31 wraps.
  EXPECT_EQ(snn_lava_scale_sum(int64_t(1) << 27, 4), INT32_MIN);
}

// Tests clip and truncation of each sign mode.
TEST(LavaArith, WeightClipAndTruncation) {
  std::vector<int32_t> mixed = {25, -9, 255, -256, 300, -300, 1, -1};
  ASSERT_EQ(snn_lava_sign_mode(mixed.data(), mixed.size()),
            SNN_LAVA_SIGN_MIXED);
  snn_lava_prepare_weights(mixed.data(), mixed.size(), SNN_LAVA_SIGN_MIXED, 8);
  // clip to [-256, 255], then (w >> 1) << 1 (floor): 25 -> 24, -9 -> -10.
  EXPECT_EQ(mixed,
            (std::vector<int32_t>{24, -10, 254, -256, 254, -256, 0, -2}));

  std::vector<int32_t> exc = {25, 300, 0, 7};
  ASSERT_EQ(snn_lava_sign_mode(exc.data(), exc.size()),
            SNN_LAVA_SIGN_EXCITATORY);
  snn_lava_prepare_weights(exc.data(), exc.size(), SNN_LAVA_SIGN_EXCITATORY, 8);
  EXPECT_EQ(exc, (std::vector<int32_t>{25, 255, 0, 7}));
  exc = {25, 255, 7};
  snn_lava_prepare_weights(exc.data(), exc.size(), SNN_LAVA_SIGN_EXCITATORY, 6);
  EXPECT_EQ(exc, (std::vector<int32_t>{24, 252, 4})); // k = 2

  // Inhibitory works on -w: clipped to [0, 255] and truncated toward zero.
  std::vector<int32_t> inh = {-25, -300, 0, -7};
  ASSERT_EQ(snn_lava_sign_mode(inh.data(), inh.size()),
            SNN_LAVA_SIGN_INHIBITORY);
  snn_lava_prepare_weights(inh.data(), inh.size(), SNN_LAVA_SIGN_INHIBITORY, 6);
  EXPECT_EQ(inh, (std::vector<int32_t>{-24, -252, 0, -4}));

  // An all-zero matrix is excitatory (min >= 0 is tested first).
  const int32_t zero[] = {0, 0};
  EXPECT_EQ(snn_lava_sign_mode(zero, 2), SNN_LAVA_SIGN_EXCITATORY);
}

// Tests that a Dense and a DelayDense add one step of latency, and that a
// delay d adds d more.
TEST(LavaArith, SynapseLatency) {
  const int32_t w[] = {7};
  const uint8_t on[] = {1}, off[] = {0};
  int32_t buff = 0, out = 0;
  snn_lava_dense_step(1, 1, w, on, 0, &buff, &out);
  EXPECT_EQ(out, 0);
  snn_lava_dense_step(1, 1, w, off, 0, &buff, &out);
  EXPECT_EQ(out, 7);
  snn_lava_dense_step(1, 1, w, off, 0, &buff, &out);
  EXPECT_EQ(out, 0);

  // delay 2: the spike of step 1 arrives in step 4.
  const int32_t delay[] = {2};
  int32_t slots[3] = {0, 0, 0};
  int64_t scratch[3];
  std::vector<int32_t> arrivals;
  for (int t = 1; t <= 5; ++t) {
    snn_lava_delay_dense_step(1, 1, w, delay, 2, t == 1 ? on : off, 1, slots,
                              scratch, &out);
    arrivals.push_back(out);
  }
  EXPECT_EQ(arrivals, (std::vector<int32_t>{0, 0, 0, 14, 0}));
}

// Tests the convolution: torch's cross-correlation orientation, stride,
// padding, groups, and the 24-bit wrap of the result.
TEST(LavaArith, Convolution) {
  // 1 channel 3x3 input, 2x2 kernel [[1, 2], [3, 4]], stride 1, pad 0:
  // out[0][0] sees in[0][0], in[0][1], in[1][0], in[1][1].
  snn_lava_conv_shape g = {1, 3, 3, 1, 2, 2, 2, 2, 1, 1, 0, 0, 1, 1, 1};
  const int32_t w[] = {1, 2, 3, 4};
  const uint8_t s[] = {1, 0, 0, //
                       0, 1, 0, //
                       0, 0, 1};
  int32_t buf[4] = {0, 0, 0, 0}, out[4];
  snn_lava_conv_step(&g, w, s, buf, out);
  // (0,0): 1*1 + 4*1 = 5; (0,1): in[0][1]=0,in[0][2]=0,in[1][1]*3=3,in[1][2]=0
  // (1,0): in[1][1]*2 = 2; (1,1): in[1][1]*1 + in[2][2]*4 = 5.
  EXPECT_EQ(std::vector<int32_t>(buf, buf + 4),
            (std::vector<int32_t>{5, 3, 2, 5}));
  EXPECT_EQ(std::vector<int32_t>(out, out + 4),
            (std::vector<int32_t>{0, 0, 0, 0}));

  // padding 1, stride 2 on the same input: 2x2 outputs at (-1,-1), (-1,1),
  // (1,-1), (1,1): (0,0) sees only in[0][0] with w[1][1] = 4.
  snn_lava_conv_shape p = {1, 3, 3, 1, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1};
  snn_lava_conv_step(&p, w, s, buf, nullptr);
  // (0,1): rows -1,0 cols 1,2: in[0][1]=0,in[0][2]=0 -> 0
  // (1,0): rows 1,2 cols -1,0: in[1][0]*2=0, in[2][0]*4 = 0 -> 0
  // (1,1): rows 1,2 cols 1,2: in[1][1]*1 + in[2][2]*4 = 5
  EXPECT_EQ(std::vector<int32_t>(buf, buf + 4),
            (std::vector<int32_t>{4, 0, 0, 5}));

  // groups 2: 2 input channels, 2 outputs, each output sees its own channel.
  snn_lava_conv_shape gr = {2, 1, 1, 2, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 2};
  const int32_t wg[] = {10, 20};
  const uint8_t sg[] = {0, 1};
  int32_t bg[2];
  snn_lava_conv_step(&gr, wg, sg, bg, nullptr);
  EXPECT_EQ(bg[0], 0);
  EXPECT_EQ(bg[1], 20);

  // signed_clamp(x, 24): 2^23 -> -2^23, 2^24 + 5 -> 5, -2^23 - 1 -> 2^23 - 1.
  EXPECT_EQ(snn_lava_conv_message(kMax - 1), kMax - 1);
  EXPECT_EQ(snn_lava_conv_message(kMax), -kMax);
  EXPECT_EQ(snn_lava_conv_message((1 << 24) + 5), 5);
  EXPECT_EQ(snn_lava_conv_message(-kMax - 1), kMax - 1);
  EXPECT_EQ(snn_lava_conv_message(-kMax), -kMax);
}

// Tests numpy's shift semantics that the models inherit.
TEST(LavaArith, NumpyShifts) {
  EXPECT_EQ(snn_lava_shl(5, -1, 32), 0);
  EXPECT_EQ(snn_lava_shl(5, 32, 32), 0);
  EXPECT_EQ(snn_lava_shr(-5, 32, 32), -1);
  EXPECT_EQ(snn_lava_shr(5, -1, 32), 0);
  EXPECT_EQ(snn_lava_shl(5, 31, 32), INT32_MIN);
  EXPECT_EQ(snn_lava_shl(-1, 63, 64), INT64_MIN);
  EXPECT_EQ(snn_lava_shr(-9, 1, 64), -5);
  EXPECT_EQ(snn_lava_wrap32(int64_t(1) << 31), INT32_MIN);
  int32_t a[] = {INT32_MAX, 5};
  const int32_t b[] = {1, -7};
  snn_lava_add_messages(2, a, b);
  EXPECT_EQ(a[0], INT32_MIN);
  EXPECT_EQ(a[1], -2);
}

// Tests the current and voltage halves that the neuron step composes.
TEST(LavaArith, CurrentAndVoltageHalves) {
  // 4096 * 4095 / 4096 + (2 << 6) = 4095 + 128.
  EXPECT_EQ(snn_lava_current(4096, 2, 0), 4223);
  // -5 * 2048 / 4096 truncates to -2; + u 10 + bias -3 = 5.
  EXPECT_EQ(snn_lava_voltage(-5, 10, 2048, -3), 5);
  EXPECT_EQ(snn_lava_voltage(kMax - 1, kMax, 0, 0), kMax - 1);
}

// The IR's Lava attributes (lib/Sim/IntegerArith.h: toward_zero, wrap_once,
// saturate_symmetric, input_shift with input_bits) compute what snn_lava.h
// computes, over values at and beyond every edge.
TEST(LavaArith, IrAttributesAreSnnLava) {
  using namespace snn;
  const int64_t m = SNN_LAVA_MAX_UV;
  std::vector<int64_t> edges = {0,          1,          -1,         4095,
                                -4095,      m - 1,      m,          m + 1,
                                -m + 1,     -m,         -m - 1,     2 * m,
                                -2 * m,     3 * m + 5,  -3 * m - 5, INT32_MAX,
                                INT32_MIN,  int64_t(INT32_MAX) + 7,
                                int64_t(INT32_MIN) - 9, 123456789};
  for (int64_t x : edges) {
    bool changed;
    int64_t x32 = snn_lava_wrap32(x);
    EXPECT_EQ(integer::fitWidth(x, 24, Overflow::WrapOnce, changed),
              snn_lava_wrap_current(static_cast<int32_t>(x32)))
        << x;
    EXPECT_EQ(integer::fitWidth(x, 24, Overflow::SaturateSymmetric, changed),
              snn_lava_clip_voltage(x32))
        << x;
    EXPECT_EQ(integer::shiftInput(x, 6, 32),
              snn_lava_shl(snn_lava_wrap32(x), 6, 32))
        << x;
    if (x32 == x)
      for (int32_t d : {0, 1, 2047, 4095, 4096}) {
        int64_t m12 = SNN_LAVA_DECAY_UNITY - d;
        EXPECT_EQ(integer::decay(x, DecayArith::Multiply, m12, 12,
                                 Rounding::TowardZero),
                  snn_lava_decay(static_cast<int32_t>(x), d))
            << x << " " << d;
      }
  }
  // The one-shot correction keeps +2^23 and moves -2^23.
  bool changed;
  EXPECT_EQ(integer::fitWidth(m, 24, Overflow::WrapOnce, changed), m);
  EXPECT_FALSE(changed);
  EXPECT_EQ(integer::fitWidth(-m, 24, Overflow::WrapOnce, changed), m);
  EXPECT_TRUE(changed);
  EXPECT_EQ(integer::fitWidth(-m, 24, Overflow::SaturateSymmetric, changed),
            -m + 1);
  EXPECT_TRUE(changed);
}

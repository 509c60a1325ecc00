//===- IntegerArithTest.cpp - rounding, overflow and decay primitives -----===//

#include "Sim/IntegerArith.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace snn;
using namespace snn::integer;

namespace {
struct ShiftCase {
  int64_t x, floor, nearestEven, halfAway;
};
} // namespace

// Tests x / 4 under each rounding mode, on both sides of zero and on ties.
TEST(IntegerArith, RoundShiftModes) {
  const ShiftCase cases[] = {
      {0, 0, 0, 0},     {1, 0, 0, 0},     {2, 0, 0, 1},     {3, 0, 1, 1},
      {6, 1, 2, 2},     {10, 2, 2, 3},    {-1, -1, 0, 0},   {-2, -1, 0, -1},
      {-3, -1, -1, -1}, {-5, -2, -1, -1}, {-6, -2, -2, -2}, {-10, -3, -2, -3},
  };
  for (const ShiftCase &c : cases) {
    EXPECT_EQ(roundShift(c.x, 2, Rounding::Floor), c.floor) << c.x;
    EXPECT_EQ(roundShift(c.x, 2, Rounding::NearestEven), c.nearestEven) << c.x;
    EXPECT_EQ(roundShift(c.x, 2, Rounding::HalfAway), c.halfAway) << c.x;
  }
  EXPECT_EQ(roundShift(-7, 0, Rounding::Floor), -7);
}

// Tests saturation and two's-complement wrapping to a width, and that both
// report when they had to act.
TEST(IntegerArith, FitWidth) {
  bool changed = true;
  EXPECT_EQ(fitWidth(5, 8, Overflow::Saturate, changed), 5);
  EXPECT_FALSE(changed);
  EXPECT_EQ(fitWidth(127, 8, Overflow::Wrap, changed), 127);
  EXPECT_FALSE(changed);
  EXPECT_EQ(fitWidth(130, 8, Overflow::Saturate, changed), 127);
  EXPECT_TRUE(changed);
  EXPECT_EQ(fitWidth(-200, 8, Overflow::Saturate, changed), -128);
  EXPECT_TRUE(changed);
  EXPECT_EQ(fitWidth(130, 8, Overflow::Wrap, changed), -126);
  EXPECT_TRUE(changed);
  EXPECT_EQ(fitWidth(-129, 8, Overflow::Wrap, changed), 127);
  EXPECT_EQ(fitWidth(int64_t(1) << 40, 32, Overflow::Wrap, changed), 0);
  EXPECT_EQ(fitWidth(-(int64_t(1) << 40), 24, Overflow::Saturate, changed),
            -(int64_t(1) << 23));
}

// Tests both decay styles: multiply-and-shift (Loihi-style) and
// subtract-a-shift (Xylo-style), including where each gets stuck.
TEST(IntegerArith, DecayStyles) {
  // 0.75 as 3072 / 4096, and as 1 - 2^-2.
  EXPECT_EQ(decay(100, DecayArith::Multiply, 3072, 12, Rounding::NearestEven),
            75);
  EXPECT_EQ(decay(100, DecayArith::Shift, 2, 0, Rounding::Floor), 75);
  EXPECT_EQ(decay(-100, DecayArith::Multiply, 3072, 12, Rounding::NearestEven),
            -75);
  EXPECT_EQ(decay(-100, DecayArith::Shift, 2, 0, Rounding::Floor), -75);
  // 0.9 as 3686 / 4096: 6 * 0.8999 = 5.399 -> 5, 11 * 0.8999 = 9.899 -> 10.
  EXPECT_EQ(decay(6, DecayArith::Multiply, 3686, 12, Rounding::NearestEven), 5);
  EXPECT_EQ(decay(11, DecayArith::Multiply, 3686, 12, Rounding::NearestEven),
            10);
  EXPECT_EQ(decay(11, DecayArith::Multiply, 3686, 12, Rounding::Floor), 9);
  // Small states: floor shifts leave +1 in place and drain -1; nearest-even
  // leaves -1 in place and drains +1.
  EXPECT_EQ(decay(1, DecayArith::Shift, 1, 0, Rounding::Floor), 1);
  EXPECT_EQ(decay(-1, DecayArith::Shift, 1, 0, Rounding::Floor), 0);
  EXPECT_EQ(decay(1, DecayArith::Shift, 1, 0, Rounding::NearestEven), 1);
  EXPECT_EQ(decay(-1, DecayArith::Shift, 1, 0, Rounding::NearestEven), -1);
  EXPECT_EQ(decay(-3, DecayArith::Shift, 1, 0, Rounding::HalfAway), -1);
  // A multiplier of 2^shift keeps the state; 0 clears it.
  EXPECT_EQ(decay(-12345, DecayArith::Multiply, 4096, 12, Rounding::Floor),
            -12345);
  EXPECT_EQ(decay(-12345, DecayArith::Multiply, 0, 12, Rounding::Floor), 0);
}

// Tests the input boundary: ties to even.
TEST(IntegerArith, RoundToInteger) {
  EXPECT_EQ(roundToInteger(2.5), 2);
  EXPECT_EQ(roundToInteger(3.5), 4);
  EXPECT_EQ(roundToInteger(-2.5), -2);
  EXPECT_EQ(roundToInteger(2.6), 3);
  EXPECT_EQ(roundToInteger(1e300), int64_t(1) << 62);
  EXPECT_EQ(roundToInteger(-1e300), -(int64_t(1) << 62));
  EXPECT_EQ(roundToInteger(std::nan("")), 0);
}

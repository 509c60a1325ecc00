//===- CArithTest.cpp - runtime/embedded/snn_arith.h against the reference ===//
//
// The generated C computes with snn_arith.h, the fixed-point reference with
// Sim/IntegerArith.h. Both must agree on every input; this compares them on
// edge cases and a million random ones.
//
//===----------------------------------------------------------------------===//

#include "Sim/IntegerArith.h"

#include "snn_arith.h"

#include <gtest/gtest.h>

#include <random>

using namespace snn;

namespace {
const Rounding kRoundings[] = {Rounding::NearestEven, Rounding::HalfAway,
                               Rounding::Floor};
int32_t cRounding(Rounding r) {
  return r == Rounding::NearestEven ? SNN_NEAREST_EVEN
         : r == Rounding::HalfAway  ? SNN_HALF_AWAY
                                    : SNN_FLOOR;
}
} // namespace

// Tests rounded shifts, fits and decays on edges and random values.
TEST(CArith, MatchesReference) {
  std::vector<int64_t> values = {0,
                                 1,
                                 -1,
                                 2,
                                 -2,
                                 3,
                                 -3,
                                 5,
                                 -5,
                                 6,
                                 -6,
                                 (int64_t(1) << 31) - 1,
                                 -(int64_t(1) << 31),
                                 (int64_t(1) << 40) + 3,
                                 -(int64_t(1) << 40) - 3};
  std::mt19937_64 random(7);
  for (int i = 0; i < 200000; ++i)
    values.push_back(static_cast<int64_t>(random() >> (random() % 40 + 20)) *
                     (random() % 2 ? 1 : -1));
  for (int64_t x : values) {
    for (int32_t k = 0; k <= 16; k += (k < 4 ? 1 : 6))
      for (Rounding r : kRoundings)
        ASSERT_EQ(snn_round_shift(x, k, cRounding(r)),
                  integer::roundShift(x, k, r))
            << x << " >> " << k;
    for (int32_t bits : {2, 4, 8, 12, 16, 24, 32}) {
      bool changed;
      ASSERT_EQ(snn_fit(x, bits, SNN_SATURATE),
                integer::fitWidth(x, bits, Overflow::Saturate, changed));
      ASSERT_EQ(snn_fit(x, bits, SNN_WRAP),
                integer::fitWidth(x, bits, Overflow::Wrap, changed))
          << x << " wrapped to " << bits;
    }
    int64_t state = x % (int64_t(1) << 31);
    for (Rounding r : kRoundings) {
      ASSERT_EQ(snn_decay(state, SNN_DECAY_MULTIPLY, 3686, 12, cRounding(r)),
                integer::decay(state, DecayArith::Multiply, 3686, 12, r));
      ASSERT_EQ(snn_decay(state, SNN_DECAY_SHIFT, 3, 0, cRounding(r)),
                integer::decay(state, DecayArith::Shift, 3, 0, r));
    }
  }
}

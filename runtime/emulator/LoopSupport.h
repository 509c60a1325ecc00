//===- LoopSupport.h - what the emulator's vectorized loops share -*- C++ -*-===//
//
// The 32-bit (Emulator.cpp) and 16-bit (Narrow16.cpp) neuron loops are each
// compiled for the baseline and, on x86-64, for AVX2, chosen when an image
// is loaded; their per-neuron parameters are one value or one per neuron.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_EMULATOR_LOOPSUPPORT_H
#define SNNC_EMULATOR_LOOPSUPPORT_H

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <vector>

#if defined(__GNUC__)
#define SNN_EMU_ALWAYS_INLINE __attribute__((always_inline))
#else
#define SNN_EMU_ALWAYS_INLINE
#endif
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__AVX2__)
#define SNN_EMU_AVX2 1
#else
#define SNN_EMU_AVX2 0
#endif

namespace snn::emu {

/// A parameter inside a neuron loop: one value for every neuron, or one
/// each. Held by value in the loop, so that the compiler sees it is not
/// written there.
template <bool Uniform, typename T> struct Param {
  const T *each;
  T one;
  explicit Param(const std::vector<T> &v) : each(v.data()), one(v[0]) {}
  T operator[](int64_t j) const { return Uniform ? one : each[j]; }
};

/// Whether every value of a parameter is the same (an empty one is).
inline bool allEqual(const std::vector<int64_t> &values) {
  return std::adjacent_find(values.begin(), values.end(),
                            std::not_equal_to<int64_t>()) == values.end();
}

/// The largest |value| (INT64_MIN counts as INT64_MAX), 0 when empty.
inline int64_t largestAbs(const std::vector<int64_t> &values) {
  int64_t most = 0;
  for (int64_t v : values)
    most = std::max(most, v == INT64_MIN ? INT64_MAX : std::abs(v));
  return most;
}

} // namespace snn::emu

#endif // SNNC_EMULATOR_LOOPSUPPORT_H

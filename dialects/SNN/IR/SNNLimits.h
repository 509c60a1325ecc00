//===- SNNLimits.h - sizes the verifiers, engines and lowering share -*- C++ -*-===//
//
// One place for every size limit that input can reach: the verifiers refuse
// IR beyond them, and the engines, the C lowering and the target checks rely
// on them before they allocate. docs/semantics.md ("Limits") lists them.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_IR_SNNLIMITS_H
#define SNN_IR_SNNLIMITS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/MathExtras.h"

#include <cstdint>
#include <optional>

namespace snn::limits {

/// The longest delay, in steps: the engines and generated C keep a ring of
/// this many past inputs per delay op.
constexpr int64_t kMaxDelaySteps = int64_t(1) << 20;

/// The most neurons one signal (`!snn.spikes<...>`, `!snn.values<...>`) may
/// carry; it keeps every neuron index a 32-bit int in generated C.
constexpr int64_t kMaxSignalNeurons = int64_t(1) << 30;

/// The most elements of a weight, kernel or synapse table an engine, the C
/// lowering or a target check expands into a dense array (2^28 elements,
/// 2 GiB of doubles). Splat weights of any size stay valid IR; only what
/// would need them dense beyond this is refused.
constexpr int64_t kMaxDenseElements = int64_t(1) << 28;

/// The product of `dims` in 64-bit arithmetic, or none when it overflows
/// or a dimension is negative.
inline std::optional<int64_t> checkedProduct(llvm::ArrayRef<int64_t> dims) {
  int64_t n = 1;
  for (int64_t d : dims)
    if (d < 0 || llvm::MulOverflow(n, d, n))
      return std::nullopt;
  return n;
}

/// `a * b` in 64-bit arithmetic, or none when it overflows.
inline std::optional<int64_t> checkedMul(int64_t a, int64_t b) {
  int64_t n;
  if (llvm::MulOverflow(a, b, n))
    return std::nullopt;
  return n;
}

} // namespace snn::limits

#endif // SNN_IR_SNNLIMITS_H

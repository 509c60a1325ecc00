//===- CostModel.h - dense or sparse, scan or scatter -----------*- C++ -*-===//
//
// Per projection, the C backend chooses how weights are stored (dense, or
// compressed: a list of (index, weight) per input or per output) and how the
// sum is formed (dense: every output reads every input; event-driven: every
// non-zero input scatters its weights). Memory decides the storage, the
// expected work per step the accumulation (docs/embedded.md).
//
//===----------------------------------------------------------------------===//

#ifndef SNN_CODEGEN_COSTMODEL_H
#define SNN_CODEGEN_COSTMODEL_H

#include <cstdint>
#include <string>

namespace snn::codegen {

enum class Storage { Dense, Compressed };
enum class Accumulation { Dense, EventDriven };

struct KernelChoice {
  Storage storage = Storage::Dense;
  Accumulation accumulation = Accumulation::Dense;
  double weightDensity = 1; // non-zero weights / weights
  double activity = 1;      // expected non-zero inputs / inputs per step
  double bytesPerSynapse = 1;
  double denseCost = 0, eventCost = 0; // work per step, in weight visits
};

/// The kernel for `rows` x `cols` weights of `weightBytes` bytes each, of
/// which `nonzero` are not zero, whose inputs are non-zero with probability
/// `activity` each step.
KernelChoice chooseKernel(int64_t rows, int64_t cols, int64_t nonzero,
                          int64_t weightBytes, double activity);

/// The kernel of a sparse projection (snn.qsparse): always event-driven
/// over compressed lists, `indexBytes` per stored target index.
KernelChoice sparseKernel(int64_t rows, int64_t cols, int64_t nonzero,
                          int64_t weightBytes, int64_t indexBytes,
                          double activity);

/// One line for the generated file's report.
std::string describe(const KernelChoice &choice);

} // namespace snn::codegen

#endif // SNN_CODEGEN_COSTMODEL_H

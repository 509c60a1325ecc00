//===- SynapseTable.h - projections as tables sorted by source --*- C++ -*-===//
//
// A chip stores a projection as, for each source neuron, the list of target
// neurons and weights its spike reaches. These helpers expand the integer
// projections of the snn dialect into that form and compose linear chains
// (sum pooling, then a projection) into one table, exactly.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_MAP_SYNAPSETABLE_H
#define SNN_MAP_SYNAPSETABLE_H

#include "SNN/IR/SNNOps.h"

#include <cstdint>
#include <vector>

namespace snn::map {

/// Synapses of source j: targets/weights[offsets[j] .. offsets[j+1]).
struct SynapseTable {
  int64_t rows = 0, cols = 0; // targets, sources
  std::vector<int64_t> offsets{0}, targets, weights;

  int64_t numSynapses() const { return int64_t(targets.size()); }
  /// Appends the synapses of the next source from a dense column of
  /// `rows` values, skipping zeros.
  void appendSource(const int64_t *column);
};

/// snn.qlinear (block-diagonal over its blocks), raw weights without the
/// exponent.
SynapseTable tableOfLinear(QLinearOp op);
/// snn.qsparse: its compressed rows by source, raw weights.
SynapseTable tableOfSparse(QSparseOp op);
/// snn.qconv1d / snn.qconv2d expanded over every output position.
SynapseTable tableOfConv(mlir::Operation *op);
/// snn.sum_pool2d as weights of one.
SynapseTable tableOfSumPool(SumPool2dOp op);
/// The table of `second ∘ first` (first's targets are second's sources).
SynapseTable compose(const SynapseTable &first, const SynapseTable &second);

} // namespace snn::map

#endif // SNN_MAP_SYNAPSETABLE_H

//===- SNNSparse.h - compressed rows of a sparse projection -----*- C++ -*-===//
//
// The weights of `snn.qsparse` as plain arrays, for the engines, the C
// backend and mapping, and the conversion from a dense matrix that
// snn-quantize uses to choose the sparse form.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_IR_SNNSPARSE_H
#define SNN_IR_SNNSPARSE_H

#include "SNN/IR/SNNOps.h"

#include <cstdint>
#include <vector>

namespace snn {

/// Compressed sparse rows: the entries of row r are [offsets[r],
/// offsets[r+1]) of `indices` (column) and `values` (weight).
struct Csr {
  int64_t rows = 0, cols = 0;
  std::vector<int64_t> offsets{0}, indices, values;

  int64_t nonzeros() const { return int64_t(values.size()); }
  /// The same weights by column: row c of the result lists the rows that
  /// column c feeds (what an event-driven kernel walks per input spike).
  Csr transposed() const;
};

/// The weights of `op` (already verified).
Csr csrOf(QSparseOp op);

/// The non-zero entries of a row-major dense `rows` x `cols` matrix.
Csr csrFromDense(const std::vector<int64_t> &dense, int64_t rows,
                 int64_t cols);

/// Whether snn-quantize holds a projection of this shape and this many
/// non-zero weights sparsely: when compressed rows (a 32-bit index per
/// weight) take less than half the bytes of the dense matrix.
bool preferSparse(int64_t rows, int64_t cols, int64_t nonzeros,
                  int64_t weightBytes);

} // namespace snn

#endif // SNN_IR_SNNSPARSE_H

//===- SNNSparse.h - compressed rows of a sparse projection -----*- C++ -*-===//
//
// The weights of `snn.qsparse` and `snn.sparse` as plain arrays, for the
// engines, the C backend and mapping, and the conversion from a dense matrix
// that the NIR importer and snn-quantize use to choose the sparse form.
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
template <typename T> struct CompressedRows {
  int64_t rows = 0, cols = 0;
  std::vector<int64_t> offsets{0}, indices;
  std::vector<T> values;

  int64_t nonzeros() const { return int64_t(values.size()); }
  /// The same weights by column: row c of the result lists the rows that
  /// column c feeds (what an event-driven kernel walks per input spike).
  CompressedRows transposed() const {
    CompressedRows t;
    t.rows = cols;
    t.cols = rows;
    t.offsets.assign(size_t(cols) + 1, 0);
    for (int64_t c : indices)
      ++t.offsets[c + 1];
    for (int64_t c = 0; c < cols; ++c)
      t.offsets[c + 1] += t.offsets[c];
    t.indices.resize(indices.size());
    t.values.resize(values.size());
    std::vector<int64_t> next(t.offsets.begin(), t.offsets.end() - 1);
    // Rows are visited in order, so each column's list comes out sorted.
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t e = offsets[r]; e < offsets[r + 1]; ++e) {
        int64_t slot = next[indices[e]]++;
        t.indices[slot] = r;
        t.values[slot] = values[e];
      }
    return t;
  }
  /// The row-major dense matrix the entries describe.
  std::vector<T> dense() const {
    std::vector<T> m(size_t(rows * cols), T(0));
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t e = offsets[r]; e < offsets[r + 1]; ++e)
        m[size_t(r * cols + indices[e])] = values[e];
    return m;
  }
};

/// Integer weights (snn.qsparse) and real weights (snn.sparse).
using Csr = CompressedRows<int64_t>;
using FloatCsr = CompressedRows<double>;

/// The weights of `op` (already verified).
Csr csrOf(QSparseOp op);
FloatCsr csrOf(SparseOp op);

/// The non-zero entries of a row-major dense `rows` x `cols` matrix.
template <typename T>
CompressedRows<T> csrFromDense(const std::vector<T> &dense, int64_t rows,
                               int64_t cols) {
  CompressedRows<T> m;
  m.rows = rows;
  m.cols = cols;
  m.offsets.reserve(size_t(rows) + 1);
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c)
      if (T w = dense[size_t(r * cols + c)]; w != T(0)) {
        m.indices.push_back(c);
        m.values.push_back(w);
      }
    m.offsets.push_back(int64_t(m.indices.size()));
  }
  return m;
}

/// Whether snn-quantize (and the NIR importer, for real weights) holds a
/// projection of this shape and this many non-zero weights sparsely: when
/// compressed rows (a 32-bit index per weight) take less than half the bytes
/// of the dense matrix.
bool preferSparse(int64_t rows, int64_t cols, int64_t nonzeros,
                  int64_t weightBytes);

} // namespace snn

#endif // SNN_IR_SNNSPARSE_H

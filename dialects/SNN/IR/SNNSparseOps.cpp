//===- SNNSparseOps.cpp - snn.qsparse: verifier and compressed rows -------===//

#include "SNN/IR/SNNOps.h"
#include "SNN/IR/SNNParams.h"
#include "SNN/IR/SNNSparse.h"
#include "SNN/IR/SNNVerifyHelpers.h"

#include <cmath>

using namespace mlir;

namespace snn {

namespace {

LogicalResult checkRange(Operation *op, StringRef name, int64_t value,
                         int64_t min, int64_t max) {
  if (value < min || value > max)
    return op->emitOpError() << name << " must be in [" << min << ", " << max
                             << "] but is " << value;
  return success();
}

/// A rank-1 integer tensor of `size` elements (or any size when -1).
LogicalResult checkVector(Operation *op, StringRef name,
                          DenseElementsAttr attr, int64_t size) {
  if (attr.getType().getRank() != 1)
    return op->emitOpError() << name << " must be a 1-d tensor";
  if (size >= 0 && attr.getNumElements() != size)
    return op->emitOpError() << name << " has " << attr.getNumElements()
                             << " elements but needs " << size;
  return success();
}

/// offsets: rows + 1 entries from 0, never decreasing, ending at `nnz`.
LogicalResult checkOffsets(Operation *op, const std::vector<int64_t> &offsets,
                           int64_t nnz) {
  if (offsets.front() != 0)
    return op->emitOpError() << "offsets must start at 0 but start at "
                             << offsets.front();
  for (size_t r = 1; r < offsets.size(); ++r)
    if (offsets[r] < offsets[r - 1])
      return op->emitOpError() << "offsets decrease at row " << r - 1 << " ("
                               << offsets[r - 1] << " then " << offsets[r]
                               << ")";
  if (offsets.back() != nnz)
    return op->emitOpError() << "offsets end at " << offsets.back()
                             << " but there are " << nnz << " values";
  return success();
}

/// Each row's indices lie in [0, cols) and increase strictly.
LogicalResult checkIndices(Operation *op, const std::vector<int64_t> &offsets,
                           DenseIntElementsAttr indices, int64_t cols) {
  std::vector<int64_t> idx = intValues(indices);
  for (size_t r = 0; r + 1 < offsets.size(); ++r)
    for (int64_t e = offsets[r]; e < offsets[r + 1]; ++e) {
      if (idx[e] < 0 || idx[e] >= cols)
        return op->emitOpError() << "index " << idx[e] << " of row " << r
                                 << " is outside the " << cols << " inputs";
      if (e > offsets[r] && idx[e] <= idx[e - 1])
        return op->emitOpError()
               << "indices of row " << r << " must increase strictly ("
               << idx[e - 1] << " then " << idx[e] << ")";
    }
  return success();
}

/// The compressed-row structure shared by snn.qsparse and snn.sparse:
/// `rows` + 1 offsets, one index per value, 32-bit counts, valid rows.
LogicalResult checkRows(Operation *op, DenseIntElementsAttr offsetsAttr,
                        DenseIntElementsAttr indices, DenseElementsAttr values,
                        int64_t rows, int64_t cols) {
  if (failed(checkVector(op, "offsets", offsetsAttr, rows + 1)) ||
      failed(checkVector(op, "values", values, -1)) ||
      failed(checkVector(op, "indices", indices, values.getNumElements())))
    return failure();
  // Compressed rows are read with 32-bit offsets and indices.
  if (values.getNumElements() > INT32_MAX)
    return op->emitOpError() << "has " << values.getNumElements()
                             << " weights, more than 2^31 - 1";
  std::vector<int64_t> offsets = intValues(offsetsAttr);
  if (failed(checkOffsets(op, offsets, values.getNumElements())))
    return failure();
  return checkIndices(op, offsets, indices, cols);
}

LogicalResult checkValues(Operation *op, DenseIntElementsAttr values,
                          int64_t bits) {
  int64_t max = signedMax(bits), e = 0;
  for (const APInt &v : values.getValues<APInt>()) {
    int64_t w = v.getSExtValue();
    if (w < -max || w > max)
      return op->emitOpError() << "weight " << w << " (entry " << e
                               << ") does not fit " << bits
                               << "-bit weights [" << -max << ", " << max
                               << "]";
    ++e;
  }
  return success();
}

LogicalResult checkBiasAndScale(QSparseOp op, int64_t rows, int64_t accBits) {
  if (DenseIntElementsAttr bias = op.getBiasAttr()) {
    if (failed(checkVector(op, "bias", bias, rows)))
      return failure();
    int64_t r = 0;
    for (const APInt &v : bias.getValues<APInt>()) {
      int64_t b = v.getSExtValue();
      if (b < -signedMax(accBits) - 1 || b > signedMax(accBits))
        return op.emitOpError() << "bias " << b << " at row " << r
                                << " does not fit the " << accBits
                                << "-bit accumulator";
      ++r;
    }
  }
  Attribute scale = op.getScale();
  int64_t count = 1;
  if (auto t = dyn_cast<DenseFPElementsAttr>(scale)) {
    count = t.getNumElements();
    if (count != 1 && count != rows)
      return op.emitOpError() << "scale has " << count
                              << " values but there are " << rows
                              << " rows (give one, or one per row)";
  }
  for (double s : NeuronParam(scale).expand(count))
    if (!std::isfinite(s) || !(s > 0))
      return op.emitOpError() << "scale must be positive and finite";
  return success();
}

} // namespace

LogicalResult QSparseOp::verify() {
  Operation *op = getOperation();
  int64_t rows = getSignalSize(getOutput()), cols = getSignalSize(getInput());
  int64_t bits = getWeightBitsAttr().getInt();
  int64_t accBits = getAccBitsAttr().getInt();
  if (failed(checkRange(op, "weight_bits", bits, 2, 16)) ||
      failed(checkRange(op, "acc_bits", accBits, 2, 32)))
    return failure();
  if (auto exp = getWeightExpAttr())
    if (failed(checkRange(op, "weight_exp", exp.getInt(), -24, 24)))
      return failure();
  if (getOverflow() != Overflow::Saturate && getOverflow() != Overflow::Wrap)
    return emitOpError() << "overflow(" << stringifyOverflow(getOverflow())
                         << ") is for neuron states; a projection takes "
                            "saturate or wrap";
  if (failed(checkRows(op, getOffsets(), getIndices(), getValues(), rows,
                       cols)) ||
      failed(checkValues(op, getValues(), bits)))
    return failure();
  return checkBiasAndScale(*this, rows, accBits);
}

LogicalResult SparseOp::verify() {
  Operation *op = getOperation();
  int64_t rows = getSignalSize(getOutput()), cols = getSignalSize(getInput());
  if (failed(checkRows(op, getOffsets(), getIndices(), getValues(), rows,
                       cols)) ||
      failed(verify::checkFinite(op, "values", getValues())))
    return failure();
  if (DenseFPElementsAttr bias = getBiasAttr())
    if (failed(checkVector(op, "bias", bias, rows)) ||
        failed(verify::checkFinite(op, "bias", bias)))
      return failure();
  return success();
}

/// The shape, offsets and indices of a compressed-row op (snn.qsparse or
/// snn.sparse); the values are the caller's, integer or real.
template <typename T, typename SparseLikeOp>
static CompressedRows<T> structureOf(SparseLikeOp op) {
  CompressedRows<T> m;
  m.rows = getSignalSize(op.getOutput());
  m.cols = getSignalSize(op.getInput());
  m.offsets = intValues(op.getOffsets());
  m.indices = intValues(op.getIndices());
  return m;
}

Csr csrOf(QSparseOp op) {
  Csr m = structureOf<int64_t>(op);
  m.values = intValues(op.getValues());
  return m;
}

FloatCsr csrOf(SparseOp op) {
  FloatCsr m = structureOf<double>(op);
  m.values.reserve(size_t(op.getValues().getNumElements()));
  for (const APFloat &v : op.getValues().getValues<APFloat>())
    m.values.push_back(v.convertToDouble());
  return m;
}

bool preferSparse(int64_t rows, int64_t cols, int64_t nonzeros,
                  int64_t weightBytes) {
  double dense = double(rows) * double(cols) * double(weightBytes);
  double sparse = double(nonzeros) * double(weightBytes + 4) +
                  double(rows + 1) * 4.0;
  return 2.0 * sparse < dense;
}

} // namespace snn

//===- SynapseTable.cpp - projections as tables sorted by source ----------===//
//
// Convolutions and pooling are expanded by sending a single unit event
// through the same window kernels the engines run, so a table cannot disagree
// with the reference about padding, stride, dilation or groups.
//
//===----------------------------------------------------------------------===//

#include "Map/SynapseTable.h"
#include "SNN/IR/SNNParams.h"
#include "SNN/IR/SNNSparse.h"
#include "Sim/Kernels.h"

namespace snn::map {

void SynapseTable::appendSource(const int64_t *column) {
  for (int64_t r = 0; r < rows; ++r)
    if (column[r] != 0) {
      targets.push_back(r);
      weights.push_back(column[r]);
    }
  offsets.push_back(int64_t(targets.size()));
}

SynapseTable tableOfLinear(QLinearOp op) {
  llvm::ArrayRef<int64_t> shape = op.getWeight().getType().getShape();
  int64_t rows = shape[0], cols = shape[1];
  int64_t blocks = getSignalSize(op.getInput()) / cols;
  SynapseTable t;
  t.rows = rows * blocks;
  t.cols = cols * blocks;
  // An all-zero splat (valid at any size) has no synapses: one empty list
  // per source, without expanding the weight.
  mlir::DenseIntElementsAttr weight = op.getWeight();
  if (weight.isSplat() && weight.getSplatValue<llvm::APInt>().isZero()) {
    t.offsets.assign(size_t(cols * blocks) + 1, 0);
    return t;
  }
  std::vector<int64_t> w = intValues(weight);
  for (int64_t blk = 0; blk < blocks; ++blk)
    for (int64_t j = 0; j < cols; ++j) {
      for (int64_t r = 0; r < rows; ++r)
        if (int64_t v = w[r * cols + j]) {
          t.targets.push_back(blk * rows + r);
          t.weights.push_back(v);
        }
      t.offsets.push_back(int64_t(t.targets.size()));
    }
  return t;
}

SynapseTable tableOfSparse(QSparseOp op) {
  Csr bySource = csrOf(op).transposed();
  SynapseTable t;
  t.rows = bySource.cols;
  t.cols = bySource.rows;
  t.offsets = std::move(bySource.offsets);
  t.targets = std::move(bySource.indices);
  t.weights = std::move(bySource.values);
  return t;
}

namespace {
/// Sends a unit event from each input element through `kernel` and records
/// what arrives where.
template <typename Kernel>
SynapseTable probe(int64_t rows, int64_t cols, Kernel kernel) {
  SynapseTable t;
  t.rows = rows;
  t.cols = cols;
  std::vector<int64_t> x(cols, 0), y(rows, 0);
  for (int64_t j = 0; j < cols; ++j) {
    x[j] = 1;
    kernel(x.data(), y.data());
    x[j] = 0;
    t.appendSource(y.data());
  }
  return t;
}
} // namespace

SynapseTable tableOfConv(mlir::Operation *op) {
  sim::Window g = sim::windowOf(op);
  auto weight = op->getAttrOfType<mlir::DenseIntElementsAttr>("weight");
  std::vector<int64_t> kernel = intValues(weight);
  return probe(getSignalSize(op->getResult(0)),
               getSignalSize(op->getOperand(0)),
               [&](const int64_t *x, int64_t *y) {
                 sim::convolve<int64_t>(g, x, y, kernel.data(), nullptr,
                                        /*event=*/true);
               });
}

SynapseTable tableOfSumPool(SumPool2dOp op) {
  sim::Window g = sim::windowOf(op);
  return probe(getSignalSize(op.getOutput()), getSignalSize(op.getInput()),
               [&](const int64_t *x, int64_t *y) {
                 sim::sumPool<int64_t>(g, x, y);
               });
}

SynapseTable compose(const SynapseTable &first, const SynapseTable &second) {
  SynapseTable t;
  t.rows = second.rows;
  t.cols = first.cols;
  std::vector<int64_t> acc(t.rows, 0);
  std::vector<char> touched(t.rows, 0);
  std::vector<int64_t> order;
  for (int64_t j = 0; j < first.cols; ++j) {
    order.clear();
    for (int64_t a = first.offsets[j]; a < first.offsets[j + 1]; ++a) {
      int64_t mid = first.targets[a], wa = first.weights[a];
      for (int64_t b = second.offsets[mid]; b < second.offsets[mid + 1]; ++b) {
        int64_t r = second.targets[b];
        if (!touched[r]) {
          touched[r] = 1;
          order.push_back(r);
        }
        acc[r] += wa * second.weights[b];
      }
    }
    std::sort(order.begin(), order.end());
    for (int64_t r : order) {
      if (acc[r] != 0) {
        t.targets.push_back(r);
        t.weights.push_back(acc[r]);
      }
      acc[r] = 0;
      touched[r] = 0;
    }
    t.offsets.push_back(int64_t(t.targets.size()));
  }
  return t;
}

} // namespace snn::map

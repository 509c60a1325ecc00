//===- ShapeInference.h - output shapes of snn projections ----*- C++ -*-===//
//
// Output shapes of the shape-changing ops, and the reason when there is none.
// Plain C++ so that verifiers, the NIR importer and the runtimes agree on one
// definition. Shapes never include a batch or time dimension.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_SHAPE_SHAPEINFERENCE_H
#define SNN_SHAPE_SHAPEINFERENCE_H

#include <cstdint>
#include <optional>
#include <utility>
#include <string>
#include <vector>

namespace snn::shape {

using Shape = std::vector<int64_t>;

/// An output shape, or (when `error` is non-empty) why the op is malformed.
/// Error texts are verifier-style: lower case, no trailing period.
struct Inferred {
  Shape shape;
  std::string error;
  bool ok() const { return error.empty(); }
  static Inferred failure(std::string why) { return {{}, std::move(why)}; }
};

/// Product of the dimensions (1 for a scalar); -1 when it would overflow.
int64_t numElements(const Shape &shape);

/// `2x34x34`, the way the IR prints shapes.
std::string toString(const Shape &shape);

/// y = W x over the last input dimension, W of shape [rows, cols].
Inferred affine(const Shape &input, int64_t rows, int64_t cols);

/// Window geometry of a convolution or pooling, one entry per spatial dim.
struct Window {
  Shape kernel, stride, padding, dilation;
};

/// Spatial output extent of one dimension: floor((in + 2p - d(k-1) - 1)/s) + 1.
int64_t windowOutputSize(int64_t in, int64_t kernel, int64_t stride,
                         int64_t padding, int64_t dilation);

/// Convolution of input [C_in, spatial...] with weight
/// [C_out, C_in/groups, kernel...].
Inferred conv(const Shape &input, const Shape &weight, const Shape &stride,
              const Shape &padding, const Shape &dilation, int64_t groups);

/// 2-d pooling of input [C, H, W].
Inferred pool2d(const Shape &input, const Shape &kernel, const Shape &stride,
                const Shape &padding);

/// Merge dims start..end (inclusive, negative counts from the end).
Inferred flatten(const Shape &input, int64_t startDim, int64_t endDim);

/// The first non-negative (start, end) whose flatten turns `input` into
/// `output`; nullopt when no single flatten does.
std::optional<std::pair<int64_t, int64_t>> flattenRange(const Shape &input,
                                                        const Shape &output);

} // namespace snn::shape

#endif // SNN_SHAPE_SHAPEINFERENCE_H

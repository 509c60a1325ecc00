//===- ShapeInference.cpp - output shapes of snn projections --------------===//

#include "Shape/ShapeInference.h"

#include <limits>

namespace snn::shape {

int64_t numElements(const Shape &shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0)
      return -1;
    if (d != 0 && n > std::numeric_limits<int64_t>::max() / d)
      return -1;
    n *= d;
  }
  return n;
}

std::string toString(const Shape &shape) {
  std::string s;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      s += 'x';
    s += std::to_string(shape[i]);
  }
  return s;
}

Inferred affine(const Shape &input, int64_t rows, int64_t cols) {
  if (input.empty())
    return Inferred::failure("input has no dimensions");
  if (rows <= 0 || cols <= 0)
    return Inferred::failure("weight of shape " + std::to_string(rows) + "x" +
                             std::to_string(cols) + " is empty");
  int64_t in = input.back();
  if (cols != in) {
    std::string where = input.size() == 1 ? "the input has "
                                          : "the input's last dimension has ";
    return Inferred::failure("weight has " + std::to_string(cols) +
                             " columns but " + where + std::to_string(in) +
                             " neurons");
  }
  Shape out = input;
  out.back() = rows;
  return {out, {}};
}

int64_t windowOutputSize(int64_t in, int64_t kernel, int64_t stride,
                         int64_t padding, int64_t dilation) {
  int64_t span = dilation * (kernel - 1) + 1;
  int64_t room = in + 2 * padding - span;
  if (room < 0)
    return 0;
  return room / stride + 1;
}

namespace {
/// Checks window parameters and computes the spatial output dims.
std::string spatialOutput(const Shape &spatialIn, const Window &w,
                          Shape &spatialOut) {
  size_t rank = spatialIn.size();
  auto checkLen = [&](const Shape &v, const char *name) -> std::string {
    if (v.size() != rank)
      return std::string(name) + " has " + std::to_string(v.size()) +
             " entries but there are " + std::to_string(rank) +
             " spatial dimensions";
    return {};
  };
  for (auto [v, name] : {std::pair{&w.kernel, "kernel"},
                         std::pair{&w.stride, "stride"},
                         std::pair{&w.padding, "padding"},
                         std::pair{&w.dilation, "dilation"}}) {
    if (std::string e = checkLen(*v, name); !e.empty())
      return e;
  }
  for (size_t i = 0; i < rank; ++i) {
    if (w.kernel[i] <= 0)
      return "kernel size must be positive, got " + std::to_string(w.kernel[i]);
    if (w.stride[i] <= 0)
      return "stride must be positive, got " + std::to_string(w.stride[i]);
    if (w.padding[i] < 0)
      return "padding must be non-negative, got " +
             std::to_string(w.padding[i]);
    if (w.dilation[i] <= 0)
      return "dilation must be positive, got " + std::to_string(w.dilation[i]);
    int64_t o = windowOutputSize(spatialIn[i], w.kernel[i], w.stride[i],
                                 w.padding[i], w.dilation[i]);
    if (o <= 0)
      return "spatial dimension " + std::to_string(i) + " of size " +
             std::to_string(spatialIn[i]) + " is smaller than the window (" +
             std::to_string(w.kernel[i]) + " with dilation " +
             std::to_string(w.dilation[i]) + " and padding " +
             std::to_string(w.padding[i]) + ")";
    spatialOut.push_back(o);
  }
  return {};
}
} // namespace

Inferred conv(const Shape &input, const Shape &weight, const Shape &stride,
              const Shape &padding, const Shape &dilation, int64_t groups) {
  if (weight.size() < 3)
    return Inferred::failure(
        "weight has rank " + std::to_string(weight.size()) +
        " but needs [out_channels, in_channels / groups, kernel...]");
  for (int64_t d : weight)
    if (d <= 0)
      return Inferred::failure("weight of shape " + toString(weight) +
                               " has an empty dimension");
  size_t spatial = weight.size() - 2;
  if (input.size() != spatial + 1)
    return Inferred::failure("input of shape " + toString(input) + " has rank " +
                             std::to_string(input.size()) + " but a " +
                             std::to_string(spatial) +
                             "-d convolution needs [channels, " +
                             (spatial == 1 ? "length]" : "height, width]"));
  if (groups <= 0)
    return Inferred::failure("groups must be positive, got " +
                             std::to_string(groups));
  int64_t outChannels = weight[0];
  if (outChannels % groups != 0)
    return Inferred::failure("out_channels " + std::to_string(outChannels) +
                             " is not a multiple of groups " +
                             std::to_string(groups));
  if (input[0] != weight[1] * groups)
    return Inferred::failure(
        "input has " + std::to_string(input[0]) + " channels but the weight expects " +
        std::to_string(weight[1]) + " per group x " + std::to_string(groups) +
        " groups = " + std::to_string(weight[1] * groups));
  Window w{Shape(weight.begin() + 2, weight.end()), stride, padding, dilation};
  Shape out{outChannels};
  if (std::string e = spatialOutput(Shape(input.begin() + 1, input.end()), w, out);
      !e.empty())
    return Inferred::failure(e);
  return {out, {}};
}

Inferred pool2d(const Shape &input, const Shape &kernel, const Shape &stride,
                const Shape &padding) {
  if (input.size() != 3)
    return Inferred::failure("input of shape " + toString(input) + " has rank " +
                             std::to_string(input.size()) +
                             " but 2-d pooling needs [channels, height, width]");
  Window w{kernel, stride, padding, Shape(2, 1)};
  Shape out{input[0]};
  if (std::string e = spatialOutput(Shape(input.begin() + 1, input.end()), w, out);
      !e.empty())
    return Inferred::failure(e);
  return {out, {}};
}

Inferred flatten(const Shape &input, int64_t startDim, int64_t endDim) {
  int64_t rank = static_cast<int64_t>(input.size());
  if (rank == 0)
    return Inferred::failure("input has no dimensions");
  int64_t start = startDim < 0 ? startDim + rank : startDim;
  int64_t end = endDim < 0 ? endDim + rank : endDim;
  if (start < 0 || start >= rank)
    return Inferred::failure("start_dim " + std::to_string(startDim) +
                             " is out of range for a rank-" +
                             std::to_string(rank) + " input");
  if (end < 0 || end >= rank)
    return Inferred::failure("end_dim " + std::to_string(endDim) +
                             " is out of range for a rank-" +
                             std::to_string(rank) + " input");
  if (end < start)
    return Inferred::failure("end_dim " + std::to_string(endDim) +
                             " comes before start_dim " +
                             std::to_string(startDim));
  Shape out(input.begin(), input.begin() + start);
  int64_t merged = 1;
  for (int64_t i = start; i <= end; ++i)
    merged *= input[i];
  out.push_back(merged);
  out.insert(out.end(), input.begin() + end + 1, input.end());
  return {out, {}};
}

std::optional<std::pair<int64_t, int64_t>> flattenRange(const Shape &input,
                                                        const Shape &output) {
  int64_t rank = static_cast<int64_t>(input.size());
  for (int64_t start = 0; start < rank; ++start)
    for (int64_t end = start; end < rank; ++end) {
      Inferred merged = flatten(input, start, end);
      if (merged.ok() && merged.shape == output)
        return std::make_pair(start, end);
    }
  return std::nullopt;
}

} // namespace snn::shape

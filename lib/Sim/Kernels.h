//===- Kernels.h - convolution and pooling for every engine -----*- C++ -*-===//
//
// The window arithmetic of snn.conv*/snn.qconv* and snn.*_pool2d, written once
// for any number type: the float reference runs it on double, the fixed-point
// reference on int64 (where every sum is exact).
//
//===----------------------------------------------------------------------===//

#ifndef SNN_SIM_KERNELS_H
#define SNN_SIM_KERNELS_H

#include "SNN/IR/SNNOps.h"

#include <Eigen/Dense>

#include <algorithm>
#include <vector>

namespace snn::sim {

/// Window geometry in 2-d; a 1-d convolution is a 2-d one of height 1.
struct Window {
  int64_t channels = 0, height = 1, width = 0; // input
  int64_t outChannels = 0, outHeight = 1, outWidth = 0;
  int64_t kh = 1, kw = 1, sh = 1, sw = 1, ph = 0, pw = 0, dh = 1, dw = 1;
  int64_t groups = 1;
};

/// The geometry of a convolution (float or integer) or a 2-d pooling op.
Window windowOf(mlir::Operation *op);

/// The output position whose window puts kernel tap `k` on input position
/// `i` along one dimension, or -1 when there is none.
inline int64_t windowOrigin(int64_t i, int64_t k, int64_t pad, int64_t dilation,
                            int64_t stride, int64_t outSize) {
  int64_t offset = i + pad - k * dilation;
  if (offset < 0 || offset % stride)
    return -1;
  int64_t o = offset / stride;
  return o < outSize ? o : -1;
}

/// One sample of a convolution: y = bias + kernel ⋆ x. Event-driven scatters
/// each non-zero input into the outputs whose window holds it; dense gathers
/// each group's windows into columns and multiplies. Returns the synaptic
/// events it performed (non-zero input taps times output channels).
template <typename T>
double convolve(const Window &g, const T *x, T *y, const T *kernel,
                const T *bias, bool event) {
  int64_t outPixels = g.outHeight * g.outWidth;
  int64_t inPerGroup = g.channels / g.groups;
  int64_t outPerGroup = g.outChannels / g.groups;
  int64_t patch = inPerGroup * g.kh * g.kw;
  for (int64_t o = 0; o < g.outChannels; ++o)
    std::fill(y + o * outPixels, y + (o + 1) * outPixels,
              bias ? bias[o] : T(0));
  double effective = 0;
  if (event) {
    for (int64_t c = 0; c < g.channels; ++c) {
      int64_t group = c / inPerGroup, cg = c % inPerGroup;
      for (int64_t iy = 0; iy < g.height; ++iy)
        for (int64_t ix = 0; ix < g.width; ++ix) {
          T xv = x[(c * g.height + iy) * g.width + ix];
          if (xv == T(0))
            continue;
          for (int64_t ky = 0; ky < g.kh; ++ky) {
            int64_t oy = windowOrigin(iy, ky, g.ph, g.dh, g.sh, g.outHeight);
            if (oy < 0)
              continue;
            for (int64_t kx = 0; kx < g.kw; ++kx) {
              int64_t ox = windowOrigin(ix, kx, g.pw, g.dw, g.sw, g.outWidth);
              if (ox < 0)
                continue;
              for (int64_t og = 0; og < outPerGroup; ++og) {
                int64_t o = group * outPerGroup + og;
                y[(o * g.outHeight + oy) * g.outWidth + ox] +=
                    xv *
                    kernel[((o * inPerGroup + cg) * g.kh + ky) * g.kw + kx];
              }
              effective += double(outPerGroup);
            }
          }
        }
    }
    return effective;
  }
  using RowMajor =
      Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  for (int64_t group = 0; group < g.groups; ++group) {
    RowMajor columns = RowMajor::Zero(patch, outPixels);
    for (int64_t cg = 0; cg < inPerGroup; ++cg) {
      int64_t c = group * inPerGroup + cg;
      for (int64_t ky = 0; ky < g.kh; ++ky)
        for (int64_t kx = 0; kx < g.kw; ++kx) {
          int64_t row = (cg * g.kh + ky) * g.kw + kx;
          for (int64_t oy = 0; oy < g.outHeight; ++oy) {
            int64_t iy = oy * g.sh + ky * g.dh - g.ph;
            if (iy < 0 || iy >= g.height)
              continue;
            for (int64_t ox = 0; ox < g.outWidth; ++ox) {
              int64_t ix = ox * g.sw + kx * g.dw - g.pw;
              if (ix < 0 || ix >= g.width)
                continue;
              T xv = x[(c * g.height + iy) * g.width + ix];
              columns(row, oy * g.outWidth + ox) = xv;
              effective += xv != T(0) ? double(outPerGroup) : 0.0;
            }
          }
        }
    }
    Eigen::Map<const RowMajor> weights(kernel + group * outPerGroup * patch,
                                       outPerGroup, patch);
    Eigen::Map<RowMajor> result(y + group * outPerGroup * outPixels,
                                outPerGroup, outPixels);
    result.noalias() += weights * columns;
  }
  return effective;
}

/// One sample of a 2-d window sum (zero padding counts as zeros).
template <typename T> void sumPool(const Window &g, const T *x, T *y) {
  for (int64_t c = 0; c < g.channels; ++c)
    for (int64_t oy = 0; oy < g.outHeight; ++oy)
      for (int64_t ox = 0; ox < g.outWidth; ++ox) {
        T acc = 0;
        for (int64_t ky = 0; ky < g.kh; ++ky) {
          int64_t iy = oy * g.sh + ky - g.ph;
          if (iy < 0 || iy >= g.height)
            continue;
          for (int64_t kx = 0; kx < g.kw; ++kx) {
            int64_t ix = ox * g.sw + kx - g.pw;
            if (ix >= 0 && ix < g.width)
              acc += x[(c * g.height + iy) * g.width + ix];
          }
        }
        y[(c * g.outHeight + oy) * g.outWidth + ox] = acc;
      }
}

/// Every sample (column) of y = W x + b over `blocks` blocks of the input:
/// dense, one matrix product per block, or event-driven, adding only the
/// weight columns of non-zero inputs. Both give the same sums (exactly so
/// for integers).
template <typename MatrixT, typename VectorT>
void project(const MatrixT &weight, const VectorT &bias, int64_t blocks,
             const MatrixT &in, MatrixT &out, bool event) {
  int64_t rows = weight.rows(), cols = weight.cols(), samples = in.cols();
  out.resize(rows * blocks, samples);
  for (int64_t blk = 0; blk < blocks; ++blk) {
    auto inBlock = in.middleRows(blk * cols, cols);
    auto outBlock = out.middleRows(blk * rows, rows);
    if (!event) {
      outBlock.noalias() = weight * inBlock;
      outBlock.colwise() += bias;
      continue;
    }
    for (int64_t b = 0; b < samples; ++b) {
      auto column = outBlock.col(b);
      column = bias;
      const auto *x = inBlock.col(b).data();
      for (int64_t j = 0; j < cols; ++j)
        if (x[j] != 0)
          column.noalias() += x[j] * weight.col(j);
    }
  }
}

} // namespace snn::sim

#endif // SNN_SIM_KERNELS_H

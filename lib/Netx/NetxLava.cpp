//===- NetxLava.cpp - the Lava processes netx builds from a file ----------===//
//
// Read from lava-dl src/lava/lib/dl/netx/hdf5.py (get_neuron_params,
// create_input, create_dense, create_conv), netx/utils.py (NetDict,
// optimize_weight_bits) and netx/blocks/process.py (AbstractBlock._neuron,
// Dense, RecurrentDense, Conv).
//
//===----------------------------------------------------------------------===//

#include "Netx/NetxLava.h"

#include "snn_lava.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace snn::netx {

namespace {

/// NetDict's `.astype(int)`: truncation toward zero (the reader has bounded
/// the values to 32-bit integers).
std::vector<int64_t> truncated(const Tensor &t) {
  std::vector<int64_t> out;
  out.reserve(t.values.size());
  for (double v : t.values)
    out.push_back(static_cast<int64_t>(std::trunc(v)));
  return out;
}

/// What a Var of dtype int32 stores of an int64 (py_builder `var[:] = v`).
std::vector<int32_t> asInt32(const std::vector<int64_t> &values) {
  std::vector<int32_t> out;
  out.reserve(values.size());
  for (int64_t v : values)
    out.push_back(snn_lava_wrap32(v));
  return out;
}

/// netx's neuron parameters (get_neuron_params), or its default for a dense
/// layer without neurons: iDecay 0, vDecay 4096, vThMant `1 << 18 - 1`,
/// which Python parses as 1 << 17.
void setNeuron(const Layer &layer, LavaLayer &out) {
  Neuron n;
  if (layer.neuron) {
    n = *layer.neuron;
  } else {
    n.iDecay = 0;
    n.vDecay = 4096;
    n.vThMant = int64_t(1) << 17;
  }
  out.du = static_cast<int32_t>(n.iDecay - 1); // cancels ds_offset = 1
  out.dv = static_cast<int32_t>(n.vDecay);     // dm_offset = 0
  out.vth = n.vThMant;
  out.biasExp = 6;
  out.biasMant.assign(static_cast<size_t>(out.numNeurons), 0);
}

/// The number of trailing zero bits of x (x != 0).
int32_t trailingZeros(int64_t x) {
  int32_t n = 0;
  while (x != 0 && (x & 1) == 0 && n < 64) {
    x >>= 1;
    ++n;
  }
  return n;
}

llvm::Error setDelays(const Layer &layer, LavaLayer &out) {
  const Tensor &d = *layer.delay;
  int64_t rows = out.numNeurons, cols = out.numInputs;
  std::vector<double> values = d.values;
  // create_dense: delays above 62 clamp all of them to [0, 62].
  if (*std::max_element(values.begin(), values.end()) > 62)
    for (double &v : values)
      v = std::clamp(v, 0.0, 62.0);
  out.delays.assign(static_cast<size_t>(rows * cols), 0);
  bool scalar = d.shape.empty();
  int64_t count = static_cast<int64_t>(values.size());
  if (!scalar && count != rows && count != cols) {
    return llvm::createStringError(
        layer.name() + " field delay: " + std::to_string(count) +
        " values fit neither the " + std::to_string(rows) +
        " outputs nor the " + std::to_string(cols) + " inputs");
  }
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) {
      // Per output when the count matches the outputs (netx tests that
      // first), else per input. `.astype(int)` truncates.
      double v = scalar ? values[0] : count == rows ? values[i] : values[j];
      out.delays[i * cols + j] = static_cast<int32_t>(std::trunc(v));
    }
  out.maxDelay = 62; // Dense block: DelayDense(max_delay=62)
  return llvm::Error::success();
}

llvm::Error setDense(const Layer &layer, LavaLayer &out) {
  out.numInputs = layer.weight.numElements() / out.numNeurons;
  std::vector<int64_t> w = truncated(layer.weight);
  std::vector<int64_t> all = w;
  if (layer.weightRec) {
    // create_dense: one optimize_weight_bits over hstack(weight, weight_rec)
    std::vector<int64_t> rec = truncated(*layer.weightRec);
    all.clear();
    for (int64_t i = 0; i < out.numNeurons; ++i) {
      all.insert(all.end(), w.begin() + i * out.numInputs,
                 w.begin() + (i + 1) * out.numInputs);
      all.insert(all.end(), rec.begin() + i * out.numNeurons,
                 rec.begin() + (i + 1) * out.numNeurons);
    }
  }
  llvm::Expected<OptimizedWeights> opt = optimizeWeightBits(all);
  if (!opt)
    return llvm::createStringError(layer.name() + " field weight: " +
                                   llvm::toString(opt.takeError()));
  out.weightExp = opt->weightExp;
  out.numWeightBits = opt->numWeightBits;
  if (!layer.weightRec) {
    out.weight = std::move(opt->weights);
  } else {
    int64_t width = out.numInputs + out.numNeurons;
    for (int64_t i = 0; i < out.numNeurons; ++i) {
      auto row = opt->weights.begin() + i * width;
      out.weight.insert(out.weight.end(), row, row + out.numInputs);
      out.weightRec.insert(out.weightRec.end(), row + out.numInputs,
                           row + width);
    }
  }
  if (layer.delay)
    if (llvm::Error e = setDelays(layer, out))
      return e;
  if (layer.bias) {
    std::vector<int32_t> bias = asInt32(truncated(*layer.bias));
    for (int64_t i = 0; i < out.numNeurons; ++i)
      out.biasMant[i] = bias.size() == 1 ? bias[0] : bias[i];
  }
  return llvm::Error::success();
}

llvm::Error setConv(const Layer &layer, const std::vector<int64_t> &in,
                    LavaLayer &out) {
  const std::vector<int64_t> &ws = layer.weight.shape;
  out.inC = static_cast<int32_t>(in[0]);
  out.inH = static_cast<int32_t>(in[1]);
  out.inW = static_cast<int32_t>(in[2]);
  out.kH = static_cast<int32_t>(ws[2]);
  out.kW = static_cast<int32_t>(ws[3]);
  out.strideH = static_cast<int32_t>(layer.stride[0]);
  out.strideW = static_cast<int32_t>(layer.stride[1]);
  out.padH = static_cast<int32_t>(layer.padding[0]);
  out.padW = static_cast<int32_t>(layer.padding[1]);
  out.dilH = static_cast<int32_t>(layer.dilation[0]);
  out.dilW = static_cast<int32_t>(layer.dilation[1]);
  out.groups = static_cast<int32_t>(layer.groups);
  // Conv's weight Var is int32; PyConvModelFixed uses it as it is.
  out.weight = asInt32(truncated(layer.weight));
  if (layer.bias) {
    // AbstractBlock._neuron: a per-channel bias broadcast over (W, H, C).
    std::vector<int32_t> bias = asInt32(truncated(*layer.bias));
    if (static_cast<int64_t>(bias.size()) != out.shape[0])
      return llvm::createStringError(
          layer.name() +
          " field bias: netx broadcasts a conv bias per channel and needs " +
          std::to_string(out.shape[0]) + " values");
    int64_t plane = out.shape[1] * out.shape[2];
    for (int64_t i = 0; i < out.numNeurons; ++i)
      out.biasMant[i] = bias[i / plane];
  }
  return llvm::Error::success();
}

} // namespace

llvm::Expected<OptimizedWeights>
optimizeWeightBits(const std::vector<int64_t> &weights) {
  std::vector<int64_t> w = weights;
  if (w.empty())
    return llvm::createStringError("no weights");
  auto [lo, hi] = std::minmax_element(w.begin(), w.end());
  int64_t minW = *lo, maxW = *hi;
  auto clip = [&w] {
    for (int64_t &x : w)
      x = std::clamp<int64_t>(x, -256, 254);
  };
  if (maxW > 254 && minW < 0) {
    clip();
    maxW = *std::max_element(w.begin(), w.end());
  }
  if (minW < -256 && maxW > 0) {
    clip();
    minW = *std::min_element(w.begin(), w.end());
  }
  int32_t isSigned = 0;
  double scale;
  if (maxW < 0) {
    scale = -256.0 / static_cast<double>(minW);
  } else if (minW >= 0) {
    if (maxW == 0)
      return llvm::createStringError(
          "all weights are zero; netx's optimize_weight_bits cannot scale "
          "them (255 / 0)");
    scale = 255.0 / static_cast<double>(maxW);
  } else {
    isSigned = 1;
    double pos = maxW > 0 ? 127.0 / static_cast<double>(maxW)
                          : std::numeric_limits<double>::infinity();
    double neg = -128.0 / static_cast<double>(minW);
    scale = std::min(pos, neg);
  }
  // `np.floor(np.log2(scale)) + is_signed`: the ratios of small integers
  // here are never within rounding of a power of two unless exactly one.
  int32_t scaleBits =
      static_cast<int32_t>(std::floor(std::log2(scale))) + isSigned;
  // The largest n <= 8 with every weight a multiple of 2^n.
  int32_t n = 8;
  for (int64_t x : w)
    if (x != 0)
      n = std::min(n, trailingZeros(x));
  n -= isSigned;
  OptimizedWeights out;
  out.numWeightBits = 8 - scaleBits - n;
  out.weightExp = -scaleBits;
  // `np.left_shift(weight.astype(np.int32), int(scale_bits))`.
  out.weights.reserve(w.size());
  for (int64_t x : w)
    out.weights.push_back(
        static_cast<int32_t>(snn_lava_shl(snn_lava_wrap32(x), scaleBits, 32)));
  return out;
}

llvm::Expected<LavaNetwork> toLava(const Network &net) {
  LavaNetwork out;
  std::vector<int64_t> current; // what the next synapse receives, (C, H, W)
  for (const Layer &layer : net.layers) {
    if (layer.kind == LayerKind::Flatten) {
      // (W, H, C) back to (C, H, W) then flattened: in (C, H, W) order
      // that is the plain C-order flattening.
      int64_t n = 1;
      for (int64_t d : current)
        n *= d;
      current = {n};
      continue;
    }
    if (layer.kind == LayerKind::Input && !layer.neuron) {
      // create_input is not called: the shape only sets the input.
      current = layer.shape;
      out.inputShape = layer.shape;
      continue;
    }
    LavaLayer lava;
    lava.index = layer.index;
    lava.kind = layer.kind;
    lava.shape = layer.kind == LayerKind::Conv || layer.kind == LayerKind::Input
                     ? layer.shape
                     : std::vector<int64_t>{layer.numNeurons()};
    lava.numNeurons = layer.numNeurons();
    setNeuron(layer, lava);
    if (out.layers.empty() && out.inputShape.empty()) {
      if (layer.kind == LayerKind::Input) {
        out.biasInput = true;
        out.inputShape = layer.shape;
      } else if (layer.kind == LayerKind::Conv) {
        return llvm::createStringError(
            layer.name() + ": a conv layer needs an input layer before it to "
                           "give its input shape");
      } else {
        out.inputShape = {layer.weight.numElements() / layer.numNeurons()};
      }
    }
    if (layer.kind == LayerKind::Dense || layer.kind == LayerKind::DenseRec)
      if (llvm::Error e = setDense(layer, lava))
        return std::move(e);
    if (layer.kind == LayerKind::Conv)
      if (llvm::Error e = setConv(layer, current, lava))
        return std::move(e);
    current = lava.shape;
    out.layers.push_back(std::move(lava));
  }
  if (out.layers.empty())
    return llvm::createStringError("the network has no layer of neurons");
  return out;
}

int64_t lavaIndex(const std::vector<int64_t> &chw, int64_t chwIndex) {
  if (chw.size() != 3)
    return chwIndex;
  int64_t c = chwIndex / (chw[1] * chw[2]);
  int64_t y = (chwIndex / chw[2]) % chw[1];
  int64_t x = chwIndex % chw[2];
  return (x * chw[1] + y) * chw[0] + c;
}

} // namespace snn::netx

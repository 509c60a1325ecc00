//===- NetxLava.h - the Lava processes netx builds from a file --*- C++ -*-===//
//
// lava-dl's netx.hdf5.Network turns each layer into a LIF population and the
// Dense, DelayDense or Conv process feeding it; this computes the integer
// parameters those processes receive, with netx's own conversions
// (`.astype(int)`, optimize_weight_bits, du = iDecay - 1, dv = vDecay,
// bias_exp = 6), so that runtime/embedded/snn_lava.h then runs them exactly
// as Lava does. Weights are as the processes receive them: Lava's Dense
// model still clips and truncates them (snn_lava_prepare_weights).
//
//===----------------------------------------------------------------------===//

#ifndef SNN_NETX_NETXLAVA_H
#define SNN_NETX_NETXLAVA_H

#include "Netx/NetxModel.h"

#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace snn::netx {

/// netx's optimize_weight_bits (netx/utils.py) on integer weights.
struct OptimizedWeights {
  std::vector<int32_t> weights; // w << scale_bits, int32
  int32_t numWeightBits = 8;
  int32_t weightExp = 0;
};
/// An error when netx itself cannot (an all-zero matrix makes netx take log2
/// of infinity).
llvm::Expected<OptimizedWeights>
optimizeWeightBits(const std::vector<int64_t> &weights);

struct LavaLayer {
  int64_t index = 0;                 // the netx layer
  LayerKind kind = LayerKind::Dense; // Input, Dense, DenseRec or Conv
  std::vector<int64_t> shape;        // (C, H, W) or (N)
  int64_t numNeurons = 0;

  // The LIF (lava/proc/lif/process.py LIF), shared du, dv, vth.
  int32_t du = 0, dv = 0;
  int64_t vth = 0;
  std::vector<int32_t> biasMant; // per neuron, C-order over `shape`
  int32_t biasExp = 6;

  // Dense / DelayDense: (numNeurons, numInputs) row-major.
  int64_t numInputs = 0;
  std::vector<int32_t> weight, weightRec;
  int32_t weightExp = 0, numWeightBits = 8;
  std::vector<int32_t> delays; // empty: no delays; else like weight
  int32_t maxDelay = 0;

  // Conv over (C, H, W), weights (out, in / groups, kH, kW) as stored.
  int32_t inC = 0, inH = 0, inW = 0, kH = 0, kW = 0;
  int32_t strideH = 1, strideW = 1, padH = 0, padW = 0, dilH = 1, dilW = 1;
  int32_t groups = 1;
};

struct LavaNetwork {
  std::vector<LavaLayer> layers;
  /// The shape the network takes: the input layer's, or what the first
  /// synapse receives, in (C, H, W) or (N).
  std::vector<int64_t> inputShape;
  /// True when the first layer is an input population driven by its bias.
  bool biasInput = false;
};

/// The Lava parameters of every layer; an error naming the layer and field
/// for what netx would refuse.
llvm::Expected<LavaNetwork> toLava(const Network &net);

/// Index of (c, y, x) of a (C, H, W) tensor in Lava's (W, H, C) C-order
/// flattening (netx reverses shapes); 1-D shapes are the identity.
int64_t lavaIndex(const std::vector<int64_t> &chw, int64_t chwIndex);

} // namespace snn::netx

#endif // SNN_NETX_NETXLAVA_H

//===- NetxModel.h - a netx network as lava-dl stores it --------*- C++ -*-===//
//
// The plain C++ form of a lava-dl netx HDF5 file: one Layer per /layer/<i>
// group, fields exactly as netx stores them (float32 weights, (C, H, W)
// shapes, 1/4096 decays). No MLIR, no Lava semantics: NetxLava.h turns this
// into the parameters of Lava's processes the way lava-dl's
// netx.hdf5.Network does.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_NETX_NETXMODEL_H
#define SNN_NETX_NETXMODEL_H

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace snn::netx {

enum class LayerKind { Input, Dense, DenseRec, Conv, Flatten };
enum class NeuronKind { Cuba, Loihi };

const char *layerKindName(LayerKind kind);

/// `/layer/<i>/neuron`: what netx reads of it (hdf5.py get_neuron_params).
struct Neuron {
  NeuronKind kind = NeuronKind::Cuba;
  int64_t iDecay = 0;  // current decay, units of 1/4096
  int64_t vDecay = 0;  // voltage decay, units of 1/4096
  int64_t vThMant = 0; // threshold mantissa (Lava compares with vThMant << 6)
  std::optional<int64_t> refDelay; // stored by slayer, not used by netx
};

/// A numeric dataset: its stored shape and its values as double (exact for
/// float32 and for integers below 2^53).
struct Tensor {
  std::vector<int64_t> shape;
  std::vector<double> values;
  int64_t numElements() const { return static_cast<int64_t>(values.size()); }
};

struct Layer {
  int64_t index = 0;
  LayerKind kind = LayerKind::Flatten;
  /// `shape`: (C, H, W), (N,) or (N, 1, 1); empty for flatten.
  std::vector<int64_t> shape;
  /// Absent on an input layer without neurons and on a dense layer that
  /// takes netx's default (a non-leaky integrator).
  std::optional<Neuron> neuron;
  Tensor weight;                   // dense (out, in) or (out * in); conv
                                   // (out, in / groups, kH, kW[, 1])
  std::optional<Tensor> weightRec; // dense_rec (out, out)
  std::optional<Tensor> bias;      // (N,) or per channel (C,)
  std::optional<Tensor> delay;     // dense: per output or per input
  // conv, (H, W) order as stored
  std::array<int64_t, 2> stride{1, 1}, padding{0, 0}, dilation{1, 1};
  int64_t groups = 1;
  // input: the transform netx keeps and does not apply
  std::optional<double> inputWeight, inputBias;

  /// Number of neurons: the product of `shape`.
  int64_t numNeurons() const;
  /// "layer 2 (conv)", for messages.
  std::string name() const;
};

struct Network {
  std::vector<Layer> layers;
  std::optional<int64_t> ts, tSample; // /simulation/Ts, /simulation/tSample
};

} // namespace snn::netx

#endif // SNN_NETX_NETXMODEL_H

//===- XyloSpec.h - a Rockpool Xylo specification --------------*- C++ -*-===//
//
// The plain C++ form of the dict Rockpool's Xylo `mapper()` returns and
// `XyloSim.from_specification(**spec)` takes (rockpool/devices/xylo/
// syns61201/xylo_mapper.py, xylo_sim.py): the same keys, the shapes as
// stored, the values kept wide (int64) so that a value out of the device's
// range can be reported with its key and index instead of being wrapped on
// the way in. No MLIR; docs/xylo.md describes the format.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_XYLO_XYLOSPEC_H
#define SNN_XYLO_XYLOSPEC_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace snn::xylo {

enum class Device { Audio2, Imu, Audio3, CoreV1 };

/// What a device holds (docs/xylo.md, "Limits", with the Rockpool file each
/// number is read from).
struct DeviceLimits {
  Device device;
  const char *name;   // "xylo-audio2"
  const char *title;  // "Xylo Audio 2 (syns61201)"
  int version;        // xylosim core: 1 or 2
  int64_t maxInputs;  // input channels
  int64_t maxHidden;  // hidden neurons
  int64_t maxOutputs; // output neurons
  int64_t synapses;   // synaptic states per hidden neuron usable
  int64_t maxIen;     // hidden neurons the input projection reaches (first)
  int64_t maxOen;     // hidden neurons the readout comes from (last)
  int64_t maxFanOut;  // non-zero recurrent weights of one hidden neuron
  int64_t maxRecurrentWeights; // non-zero recurrent weights in all
  bool hasBias;
};

const DeviceLimits &limits(Device device);
/// "xylo-audio2", "xylo-imu", "xylo-audio3", "xylo-v1" (and the Rockpool
/// package names "syns61201", "syns63300", "syns65302", "syns61300").
std::optional<Device> parseDevice(const std::string &name);

/// A specification. Weights are dense and C-ordered as Rockpool stores them.
struct Spec {
  int64_t nIn = 0;  // weights_in.shape[0]
  int64_t nIen = 0; // weights_in.shape[1]: the first nIen hidden neurons
  int64_t nHid = 0; // weights_rec.shape[0] (nIen when weights_rec is absent)
  int64_t nOen = 0; // weights_out.shape[0]: the last nOen hidden neurons
  int64_t nOut = 0; // weights_out.shape[1]
  /// Synapses in the last dimension of weights_in / weights_rec (1 or 2), and
  /// whether that dimension was stored (rank 3) or implied (rank 2).
  int64_t synIn = 1, synRec = 1;
  bool in3d = false, rec3d = false;

  std::vector<int64_t> weightsIn;  // [nIn][nIen][synIn]
  std::vector<int64_t> weightsRec; // [nHid][nHid][synRec]
  std::vector<int64_t> weightsOut; // [nOen][nOut]
  std::vector<int64_t> dashMem, dashSyn, dashSyn2, threshold, bias;   // [nHid]
  std::vector<int64_t> dashMemOut, dashSynOut, thresholdOut, biasOut; // [nOut]
  int64_t weightShiftIn = 0, weightShiftRec = 0, weightShiftOut = 0;
  std::vector<std::vector<int64_t>> aliases; // nHid lists of targets
  double dt = 1e-3;

  int64_t win(int64_t i, int64_t h, int64_t s) const {
    return weightsIn[(i * nIen + h) * synIn + s];
  }
  int64_t wrec(int64_t p, int64_t h, int64_t s) const {
    return weightsRec[(p * nHid + h) * synRec + s];
  }
  int64_t wout(int64_t p, int64_t o) const { return weightsOut[p * nOut + o]; }
  /// xylo_sim.py: `has_bias = any(bias != 0) or any(bias_out != 0)`.
  bool hasBias() const;
};

/// An all-zero specification of the given sizes, with from_specification's
/// defaults (dash 0, threshold 0, bias 0, no aliases, shifts 0, dt 1 ms).
Spec makeSpec(int64_t nIn, int64_t nHid, int64_t nOut, int64_t synapses);

/// Checks the values and sizes of `spec` against `device`. Returns every
/// violation, each naming the key, the index and the device's number, e.g.
/// "weights_in[3, 7, 0] = 200 is outside int8 [-128, 127]".
std::vector<std::string> validate(const Spec &spec, Device device);

/// The sizes of a specification checked against each other (independent of
/// a device): the vectors have the lengths the sizes imply, nIen and nOen do
/// not exceed nHid. Returns the first inconsistency or an empty string.
std::string checkShapes(const Spec &spec);

/// checkShapes, then every value in the width the chip stores it in (int8
/// weights, 4-bit dashes, int16 thresholds and biases, shifts 0..15, alias
/// targets inside the hidden population), independent of a device: what any
/// xylosim core can run. Returns the first violation ("key[i] = v is outside
/// [lo, hi]") or an empty string.
std::string checkWidths(const Spec &spec);

} // namespace snn::xylo

#endif // SNN_XYLO_XYLOSPEC_H

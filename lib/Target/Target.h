//===- Target.h - a chip described as data ----------------------*- C++ -*-===//
//
// What a neuromorphic target offers, read from a JSON file in targets/:
// cores and what each holds, the limits a network must respect, the numeric
// formats quantization must use, and the costs of its operations. Every
// figure is cited in the file it comes from.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_TARGET_TARGET_H
#define SNN_TARGET_TARGET_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace snn::target {

/// What a SynSense Xylo device adds to the generic limits: Rockpool's
/// specification format and the mapper's design rules (docs/targets.md,
/// "Xylo"; the figures are cited in each targets/xylo-*.json).
struct XyloRules {
  std::string device;              // Rockpool package: syns61201, ...
  int64_t version = 2;             // xylosim core: 1 or 2
  int64_t synapsesPerNeuron = 2;   // synaptic states of a hidden neuron
  int64_t inputExpansionNeurons = 0;  // the input reaches the first N hidden
  int64_t outputExpansionNeurons = 0; // the readout reads the last N hidden
  int64_t maxRecurrentWeights = 0; // non-zero hidden-to-hidden weights
  int64_t maxInputEventsPerStep = 15;
  int64_t maxHiddenSpikesPerStep = 31, maxOutputSpikesPerStep = 1;
  int64_t weightShiftBits = 3;     // per-projection weight shift 0..7
  int64_t dashBits = 4;            // decays as bit shifts 0..15
  bool bias = true;                // neurons have a bias input
  int64_t aliasTargets = 1;
  double clockMargin = 0.2;        // est_clock_freq's margin
};

struct Target {
  std::string name, modelledOn;
  /// The file this one names in `alias_of`, when it is an alias (the name
  /// of the alias is kept so that messages say what the user gave).
  std::string aliasOf;
  std::vector<std::string> sources;
  int64_t cores = 1;
  int64_t meshWidth = 1, meshHeight = 1;   // cores on a 2-d mesh, x then y
  double clockMHz = 0;                     // converts cycles to time; 0: unknown
  int64_t neuronsPerCore = 0;
  int64_t maxInputs = 0, maxOutputs = 0;   // network channels; 0: no limit
  int64_t synapseBytesPerCore = 0;         // 0: synapses are not limited
  int64_t maxFanIn = 0, maxFanOut = 0;     // per neuron; 0: no limit
  int64_t weightBits = 8;
  /// `weight_range`: weights of weight_bits hold the symmetric range
  /// [-(2^(b-1) - 1), 2^(b-1) - 1] (default), or the two's complement one
  /// [-2^(b-1), 2^(b-1) - 1] (Loihi 2: Lava's sign + 8 bits, whose mixed-sign
  /// matrices keep even weights down to -256).
  bool weightTwosComplement = false;
  bool weightExponent = false;
  int64_t stateBits = 16;
  std::string decay = "multiply";          // multiply | shift
  int64_t delaySlots = 0;                  // longest delay in steps; 0: none
  std::vector<std::string> neuronModels;   // lif, cuba_lif, if, li, ...
  std::vector<std::string> projections;    // dense, conv
  std::map<std::string, double> cost;      // cycles and energy per operation
  /// How cost turns a step's events into cycles: "per-event" (each core's
  /// synaptic events, updates and spikes) or "xylo-analytic" (Rockpool's
  /// model of a Xylo core; docs/emulator.md).
  std::string cycleModel = "per-event";
  /// Present on Xylo devices: their format and the mapper's design rules.
  std::optional<XyloRules> xylo;
  /// A system of chips (docs/scale-out.md, "Multi-chip systems"): `chips`
  /// identical chips, each of `cores` cores on the `mesh` above, on a
  /// chip-level mesh joined by links. One chip when the file has no `chips`.
  int64_t chips = 1;
  int64_t chipMeshWidth = 1, chipMeshHeight = 1;
  /// An inter-chip link, per packet crossing one chip-to-chip hop: its
  /// latency, the cycles it occupies the link (the inverse of its
  /// bandwidth) and its energy. They reach images as the cost keys
  /// link_latency_cycles, link_cycles_per_packet, link_energy_pj_per_packet.
  double linkLatencyCycles = 0, linkCyclesPerPacket = 0,
         linkEnergyPJPerPacket = 0;

  /// Cores of the whole system: a core's global id is chip * cores + its
  /// number within its chip.
  int64_t systemCores() const { return chips * cores; }

  /// A cost entry, or `absent` when the file does not give it.
  double costOf(const std::string &key, double absent = 0) const {
    auto it = cost.find(key);
    return it == cost.end() ? absent : it->second;
  }
};

/// The quantization a target imposes on `options`: weight bits and exponent,
/// state widths and decay arithmetic.
template <typename QuantizeOptions>
void applyTarget(const Target &t, QuantizeOptions &options) {
  options.weightBits = t.weightBits;
  options.maxWeightExp = t.weightExponent ? options.maxWeightExp : 0;
  options.stateBits = t.stateBits;
  options.currentBits = t.stateBits;
  options.decay = t.decay == "shift" ? decltype(options.decay)::Shift
                                     : decltype(options.decay)::Multiply;
}

/// The cycle models the emulator implements.
inline bool isCycleModel(llvm::StringRef name) {
  return name == "per-event" || name == "xylo-analytic";
}

/// Reads and checks a target file; errors name the file and the field. A
/// file with `alias_of` reads the target it names (one level, relative to
/// the alias) under the alias's name.
llvm::Expected<Target> readTarget(const std::string &path);
llvm::Expected<Target> readTarget(const std::string &path, bool followAlias);
/// Reads a target from the text of a file already in memory, as readTarget
/// reads `path` (errors name `path`; an alias is resolved beside it).
llvm::Expected<Target> readTargetText(llvm::StringRef text,
                                      const std::string &path);

} // namespace snn::target

#endif // SNN_TARGET_TARGET_H

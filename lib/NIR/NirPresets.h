//===- NirPresets.h - what each exporter means by a NIR file ---*- C++ -*-===//
//
// NIR stores continuous-time parameters but not the conventions that turn
// them into a per-step update. A preset is one exporter's answer; options
// override single fields. docs/nir.md lists the presets and where their choices come from.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_NIR_NIRPRESETS_H
#define SNN_NIR_NIRPRESETS_H

#include "SNN/IR/SNNDialect.h"

#include <optional>
#include <string>
#include <vector>

namespace snn::nir {

/// How a framework adds a LIF node's input to its membrane.
enum class LeakyInput {
  /// NIR's equation, integrated as `integration` says.
  Nir,
  /// Per step onto the decayed membrane, u = e^(-dt/tau)·v + I[t]: Sinabs'
  /// LIF with norm_input=False, which its from_nir builds ignoring r (its
  /// exporter writes r = 1).
  PerStep,
  /// The same with gain r·dt/(tau·e^(-dt/tau)), which is 1 for the r that
  /// Rockpool's to_nir writes for LIFNeuronTorch (tau·e^(-dt/tau)/dt);
  /// LIFNeuronTorch's evolve adds its input with gain 1.
  PerStepRockpool,
};

struct Conventions {
  double dt = 1e-4;
  ResetMode reset = ResetMode::Subtract;
  /// nir-spec: reset to v_reset when the file carries one (NIR >= 1.0.6),
  /// subtract otherwise.
  bool resetFollowsFile = false;
  ResetTiming timing = ResetTiming::SameStep;
  Integration integration = Integration::Euler;
  SpikeCondition spike = SpikeCondition::Greater;
  /// IF and I nodes add r * input per step (no dt), as frameworks that
  /// implement IF as a leak-free accumulator do; the IR's r is then r / dt.
  bool impulseIntegrators = false;
  /// LIF nodes: how the input enters (exponential integration carries it:
  /// the IR's r is gain / (1 - e^(-dt/tau))).
  LeakyInput leakyInput = LeakyInput::Nir;
  /// One step of latency on the input of each Affine, Linear and Conv
  /// (snn.delay {steps = 1}), as Lava's Dense and Conv processes send their
  /// weighted sum one step later (a bias, Lava's neuron's, is not delayed).
  bool projectionLatency = false;
};

struct Preset {
  std::string name;
  Conventions conventions;
};

const std::vector<Preset> &presets();
const Preset *findPreset(const std::string &name);

/// The preset used when none is named (NIR's documented equations).
inline constexpr const char *kDefaultPreset = "nir-spec";

/// What the user chose on the command line; unset fields come from the
/// preset.
struct ImportOptions {
  /// Unset: kDefaultPreset, and the import warns that it assumed it.
  std::optional<std::string> preset;
  std::optional<double> dt;
  std::optional<ResetMode> reset;
  std::optional<ResetTiming> timing;
  std::optional<Integration> integration;
  std::optional<SpikeCondition> spike;
  /// Name of the snn.network symbol; derived from the file name when empty.
  std::string networkName;
};

/// The preset the options name, kDefaultPreset when they name none.
std::string presetName(const ImportOptions &options);

/// The preset with the options applied; nullopt for an unknown preset.
std::optional<Conventions> resolveConventions(const ImportOptions &options);

/// A LIF node's r as the IR holds it under `c`, from the file's tau and r
/// (scalars or per-neuron tensors); the file's r when `c` adds inputs as
/// NIR's equation says. `fileR` is its inverse, for the exporter.
mlir::Attribute leakyRToIR(const Conventions &c, mlir::Attribute tau,
                           mlir::Attribute r);
mlir::Attribute leakyRToFile(const Conventions &c, mlir::Attribute tau,
                             mlir::Attribute r);

} // namespace snn::nir

#endif // SNN_NIR_NIRPRESETS_H

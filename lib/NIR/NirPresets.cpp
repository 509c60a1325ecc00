//===- NirPresets.cpp - what each exporter means by a NIR file ------------===//

#include "NIR/NirPresets.h"

namespace snn::nir {

const std::vector<Preset> &presets() {
  using RM = ResetMode;
  using RT = ResetTiming;
  using IN = Integration;
  using SC = SpikeCondition;
  static const std::vector<Preset> all = {
      // NIR's documented equations; reset to v_reset from NIR 1.0.6 on,
      // subtraction before.
      {"nir-spec",
       {1e-4, RM::Subtract, /*resetFollowsFile=*/true, RT::SameStep, IN::Euler,
        SC::Greater, false}},
      // snnTorch Leaky/Synaptic: beta = 1 - dt/tau, reset_delay=True,
      // reset_mechanism='subtract', spike = mem > threshold; IF read as Leaky
      // with beta = 1.
      {"snntorch",
       {1e-4, RM::Subtract, false, RT::NextStep, IN::Euler, SC::Greater, true}},
      // Norse LIF: forward Euler with dt * tau_mem_inv, spike on v > v_th,
      // v reset to v_reset in the same step.
      {"norse",
       {1e-4, RM::ToValue, false, RT::SameStep, IN::Euler, SC::Greater, false}},
      // Sinabs IAF: v += input, spike on v - threshold > 0, MembraneSubtract
      // in the same step.
      {"sinabs",
       {1e-4, RM::Subtract, false, RT::SameStep, IN::Euler, SC::Greater, true}},
      // Rockpool LIFTorch: exponential decays exp(-dt/tau), subtractive reset
      // in the same step.
      {"rockpool",
       {1e-4, RM::Subtract, false, RT::SameStep, IN::Exponential, SC::Greater,
        false}},
      // Lava LIF (CUBA): current then voltage decays, voltage reset to 0 in
      // the step of the spike; Lava's Dense and Conv deliver their sum one
      // step later (docs/loihi2.md).
      {"lava",
       {1e-4, RM::ToValue, false, RT::SameStep, IN::Euler, SC::Greater, false,
        /*projectionLatency=*/true}},
      // Spyx writes time constants in steps, so dt = 1 step; subtractive reset
      // from the previous step's spike.
      {"spyx",
       {1.0, RM::Subtract, false, RT::NextStep, IN::Euler, SC::Greater, true}},
  };
  return all;
}

std::string presetName(const ImportOptions &options) {
  return options.preset.value_or(kDefaultPreset);
}

const Preset *findPreset(const std::string &name) {
  for (const Preset &p : presets())
    if (p.name == name)
      return &p;
  return nullptr;
}

std::optional<Conventions> resolveConventions(const ImportOptions &options) {
  const Preset *preset = findPreset(presetName(options));
  if (!preset)
    return std::nullopt;
  Conventions c = preset->conventions;
  if (options.dt)
    c.dt = *options.dt;
  if (options.reset) {
    c.reset = *options.reset;
    c.resetFollowsFile = false;
  }
  if (options.timing)
    c.timing = *options.timing;
  if (options.integration)
    c.integration = *options.integration;
  if (options.spike)
    c.spike = *options.spike;
  return c;
}

} // namespace snn::nir

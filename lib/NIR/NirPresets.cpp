//===- NirPresets.cpp - what each exporter means by a NIR file ------------===//

#include "NIR/NirPresets.h"
#include "SNN/IR/SNNParams.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"

#include <cmath>

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
      // Sinabs (sinabs/layers/functional/lif.py, nir.py): IAF v += input;
      // LIF v = exp(-dt/tau)·v + input (norm_input=False, from_nir's
      // choice, which ignores r); MembraneSubtract in the same step; spike on v - threshold
      // > 0 (kept; MultiSpike's v >= threshold differs only at equality).
      {"sinabs",
       {1e-4, RM::Subtract, false, RT::SameStep, IN::Exponential, SC::Greater,
        true, LeakyInput::PerStep}},
      // Rockpool LIFNeuronTorch / LIFTorch (rockpool/nn/modules/torch/
      // lif_neuron_torch.py, lif_torch.py): vmem = exp(-dt/tau)·vmem + input,
      // spikes while vmem >= threshold, subtractive reset in the same step.
      {"rockpool",
       {1e-4, RM::Subtract, false, RT::SameStep, IN::Exponential,
        SC::GreaterEqual, false, LeakyInput::PerStepRockpool}},
      // Lava LIF (CUBA): current then voltage decays, voltage reset to 0 in
      // the step of the spike; Lava's Dense and Conv deliver their sum one
      // step later (docs/loihi2.md).
      {"lava",
       {1e-4, RM::ToValue, false, RT::SameStep, IN::Euler, SC::Greater, false,
        LeakyInput::Nir, /*projectionLatency=*/true}},
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

namespace {

/// The per-step input gain of a LIF neuron with time constant `tau` whose
/// file gives `r`, under `c`.
double gainOf(const Conventions &c, double tau, double r) {
  if (c.leakyInput == LeakyInput::PerStepRockpool)
    return r * c.dt / (tau * std::exp(-c.dt / tau));
  return 1.0; // Sinabs' from_nir ignores a LIF's r (its exporter writes 1)
}

/// `f(tau, r)` per neuron; a scalar when both are, else a tensor shaped like
/// the tensor operand.
mlir::Attribute mapR(mlir::Attribute tau, mlir::Attribute r,
                     double (*f)(const Conventions &, double, double),
                     const Conventions &c) {
  if (!tau || !r)
    return r;
  NeuronParam t(tau), v(r);
  mlir::Builder b(r.getContext());
  if (t.isBroadcast() && v.isBroadcast())
    return b.getF64FloatAttr(f(c, t[0], v[0]));
  auto shaped = mlir::dyn_cast<mlir::ShapedType>(
      (v.isBroadcast() ? mlir::cast<mlir::TypedAttr>(tau)
                       : mlir::cast<mlir::TypedAttr>(r))
          .getType());
  int64_t n = int64_t(std::max(t.stored().size(), v.stored().size()));
  std::vector<double> out(n);
  for (int64_t k = 0; k < n; ++k)
    out[k] = f(c, t[k], v[k]);
  auto type = mlir::RankedTensorType::get(shaped.getShape(), b.getF64Type());
  return mlir::DenseElementsAttr::get(type, llvm::ArrayRef<double>(out));
}

/// Exponential integration adds (1 - e^(-dt/tau))·r·I: r = gain / that.
double toIR(const Conventions &c, double tau, double r) {
  return gainOf(c, tau, r) / -std::expm1(-c.dt / tau);
}

double toFile(const Conventions &c, double tau, double rIR) {
  double gain = rIR * -std::expm1(-c.dt / tau);
  if (c.leakyInput == LeakyInput::PerStepRockpool)
    return gain * tau * std::exp(-c.dt / tau) / c.dt;
  return gain;
}

} // namespace

mlir::Attribute leakyRToIR(const Conventions &c, mlir::Attribute tau,
                           mlir::Attribute r) {
  if (c.leakyInput == LeakyInput::Nir)
    return r;
  return mapR(tau, r, toIR, c);
}

mlir::Attribute leakyRToFile(const Conventions &c, mlir::Attribute tau,
                             mlir::Attribute r) {
  if (c.leakyInput == LeakyInput::Nir)
    return r;
  return mapR(tau, r, toFile, c);
}

} // namespace snn::nir

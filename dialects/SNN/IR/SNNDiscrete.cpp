//===- SNNDiscrete.cpp - neurons and delays as per-step constants ---------===//

#include "SNN/IR/SNNDiscrete.h"
#include "SNN/IR/SNNLimits.h"
#include "SNN/IR/SNNParams.h"
#include "Shape/ShapeInference.h"

#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/Error.h"

#include <cmath>

using namespace mlir;

namespace snn {

namespace {


/// Fraction of the state kept over one step of a time constant.
double keep(double tau, double dt, Integration integration) {
  return integration == Integration::Euler ? 1.0 - dt / tau
                                           : std::exp(-dt / tau);
}

struct Builder {
  StepConstants c;
  int64_t n;
  double dt;

  std::vector<double> get(Attribute attr) {
    return NeuronParam(attr).expand(n);
  }

  /// dv/dt = r I (integrator, IF).
  void integrate(Attribute r) {
    c.vDecay.assign(n, 1.0);
    c.vGain = get(r);
    for (double &g : c.vGain)
      g *= dt;
    c.vBias.assign(n, 0.0);
  }

  /// tau dv/dt = v_leak - v + r x.
  void leak(Attribute tau, Attribute r, Attribute vLeak,
            Integration integration) {
    std::vector<double> t = get(tau), rr = get(r), leakTo = get(vLeak);
    for (int64_t j = 0; j < n; ++j) {
      double a = keep(t[j], dt, integration);
      c.vDecay.push_back(a);
      c.vGain.push_back((1.0 - a) * rr[j]);
      c.vBias.push_back((1.0 - a) * leakTo[j]);
    }
  }

  /// tau_syn di/dt = -i + w_in I.
  void current(Attribute tauSyn, Attribute wIn, Integration integration) {
    c.hasCurrent = true;
    std::vector<double> t = get(tauSyn), w = get(wIn);
    for (int64_t j = 0; j < n; ++j) {
      double a = keep(t[j], dt, integration);
      c.iDecay.push_back(a);
      c.iGain.push_back((1.0 - a) * w[j]);
    }
  }

  void fire(Attribute threshold, Attribute vReset, ResetMode reset,
            ResetTiming timing, SpikeCondition spike) {
    c.fires = true;
    c.threshold = get(threshold);
    if (vReset)
      c.vReset = get(vReset);
    c.reset = reset;
    c.timing = timing;
    c.spike = spike;
  }
};

} // namespace

std::optional<StepConstants> stepConstants(Operation *op, double dt) {
  if (!op->hasTrait<OpTrait::NeuronOp>() || isa<QNeuronOp>(op))
    return std::nullopt;
  Builder b{{}, getSignalSize(op->getResult(0)), dt};
  llvm::TypeSwitch<Operation *>(op)
      .Case<IntegratorOp>([&](IntegratorOp o) { b.integrate(o.getR()); })
      .Case<IFOp>([&](IFOp o) {
        b.integrate(o.getR());
        b.fire(o.getVThreshold(), o.getVResetAttr(), o.getReset(),
               o.getResetTiming(), o.getSpike());
      })
      .Case<LIOp>([&](LIOp o) {
        b.leak(o.getTau(), o.getR(), o.getVLeak(), o.getIntegration());
      })
      .Case<LIFOp>([&](LIFOp o) {
        b.leak(o.getTau(), o.getR(), o.getVLeak(), o.getIntegration());
        b.fire(o.getVThreshold(), o.getVResetAttr(), o.getReset(),
               o.getResetTiming(), o.getSpike());
      })
      .Case<CubaLIOp>([&](CubaLIOp o) {
        b.current(o.getTauSyn(), o.getWIn(), o.getIntegration());
        b.leak(o.getTauMem(), o.getR(), o.getVLeak(), o.getIntegration());
      })
      .Case<CubaLIFOp>([&](CubaLIFOp o) {
        b.current(o.getTauSyn(), o.getWIn(), o.getIntegration());
        b.leak(o.getTauMem(), o.getR(), o.getVLeak(), o.getIntegration());
        b.fire(o.getVThreshold(), o.getVResetAttr(), o.getReset(),
               o.getResetTiming(), o.getSpike());
      })
      .Case<NeuronStepOp>([&](NeuronStepOp o) {
        b.c.vDecay = b.get(o.getVDecay());
        b.c.vGain = b.get(o.getVGain());
        b.c.vBias = b.get(o.getVBias());
        if (o.getIDecayAttr()) {
          b.c.hasCurrent = true;
          b.c.iDecay = b.get(o.getIDecayAttr());
          b.c.iGain = b.get(o.getIGainAttr());
        }
        if (o.getVThresholdAttr())
          b.fire(o.getVThresholdAttr(), o.getVResetAttr(), *o.getReset(),
                 *o.getResetTiming(), *o.getSpike());
      });
  return b.c;
}

/// Every neuron's delay in steps, or what makes it no delay the engines can
/// keep (without the op's name, which the caller's diagnostic carries).
static llvm::Expected<std::vector<int64_t>> wholeSteps(DelayOp op,
                                                       double dt) {
  int64_t n = getSignalSize(op.getResult());
  if (Attribute s = op.getStepsAttr())
    return IntParam(s).expand(n); // the verifier bounds them
  NeuronParam seconds(op.getDelayAttr());
  std::vector<int64_t> steps;
  for (auto [i, value] : llvm::enumerate(seconds.stored())) {
    std::string delay =
        "delay " + formatNumber(value) + " s" +
        (seconds.isBroadcast() ? "" : " at neuron " + std::to_string(i));
    double d = value / dt;
    if (d > double(limits::kMaxDelaySteps))
      return llvm::createStringError(
          delay + " is more than the limit of " +
          std::to_string(limits::kMaxDelaySteps) + " steps of " +
          formatNumber(dt) + " s");
    if (std::abs(d - std::round(d)) > 1e-6 * std::max(1.0, d))
      return llvm::createStringError(delay +
                                     " is not a whole number of steps of " +
                                     formatNumber(dt) + " s");
    if (std::llround(d) == 0)
      return llvm::createStringError(
          delay + " is 0 steps; remove the op (-canonicalize does when every "
                  "neuron's delay is 0) or give at least 1 step");
    steps.push_back(std::llround(d));
  }
  if (seconds.isBroadcast())
    steps.assign(n, steps.front());
  return steps;
}

FailureOr<std::vector<int64_t>> delayInSteps(DelayOp op, double dt) {
  llvm::Expected<std::vector<int64_t>> steps = wholeSteps(op, dt);
  if (!steps)
    return op.emitOpError() << llvm::toString(steps.takeError());
  return std::move(*steps);
}

std::optional<std::vector<int64_t>> delayStepsIfWhole(DelayOp op,
                                                      double dt) {
  llvm::Expected<std::vector<int64_t>> steps = wholeSteps(op, dt);
  if (!steps) {
    llvm::consumeError(steps.takeError());
    return std::nullopt;
  }
  return std::move(*steps);
}

} // namespace snn

//===- Passes.td - snn transformation passes ---------------*- tablegen -*-===//

#ifndef SNN_TRANSFORMS_PASSES_TD
#define SNN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def Discretize : Pass<"snn-discretize", "::snn::NetworkOp"> {
  let summary = "Time constants to per-step constants; delays to steps";
  let description = [{
    Rewrites every continuous-time neuron (`snn.if`, `snn.lif`, `snn.li`,
    `snn.integrator`, `snn.cuba_li`, `snn.cuba_lif`) into `snn.neuron` with
    the decay, gain and bias that its integration convention gives for the
    network's `dt` (docs/semantics.md), and every delay in seconds into whole
    steps. The network computes exactly what it computed before.
  }];
}

def Quantize : Pass<"snn-quantize", "::mlir::ModuleOp"> {
  let summary = "Integer weights, integer state and integer arithmetic";
  let description = [{
    Rewrites neurons into `snn.qneuron` and the projections that feed them
    into `snn.qlinear` / `snn.qconv*`, real-valued network inputs into
    `snn.quantize`, following docs/quantization.md. Units are chosen per
    neuron population (or per output channel) to minimize weight error while
    the membrane, current and accumulators stay within their widths, from
    weight statistics alone or from a calibration file written by
    `snn-run --calibrate`. Every `snn.network` of the module is quantized;
    `report=FILE` writes one JSON array with a report per network.
  }];
  // Defaults come from quant::QuantizeOptions, which snn-run shares; the
  // enum values from lib/Quant, so both tools spell them alike.
  let options = [
    Option<"weightBits", "weight-bits", "int64_t",
           "::snn::quant::QuantizeOptions().weightBits",
           "Bits of a weight, 2 to 16 (symmetric: ±(2^(b-1) - 1)) (default 8)">,
    Option<"maxWeightExp", "weight-exp-max", "int64_t",
           "::snn::quant::QuantizeOptions().maxWeightExp",
           "Largest weight exponent: outputs 2^e · Σ w·x resolve finer than a "
           "weight step (0: none) (default 7)">,
    Option<"stateBits", "state-bits", "int64_t", "::snn::quant::QuantizeOptions().stateBits",
           "Bits of the membrane (default 16)">,
    Option<"currentBits", "current-bits", "int64_t", "::snn::quant::QuantizeOptions().currentBits",
           "Bits of the synaptic current (default 0: as the membrane)">,
    Option<"accBits", "acc-bits", "int64_t", "::snn::quant::QuantizeOptions().accBits",
           "Bits of a projection's output (default 32)">,
    Option<"inputBits", "input-bits", "int64_t", "::snn::quant::QuantizeOptions().inputBits",
           "Bits of real-valued network inputs (default 8)">,
    Option<"perChannel", "per-channel", "bool", "::snn::quant::QuantizeOptions().perChannel",
           "One unit per output row or channel instead of per layer "
           "(default false)">,
    Option<"powerOfTwo", "power-of-two", "bool", "::snn::quant::QuantizeOptions().powerOfTwo",
           "Round units up to powers of two (default false)">,
    Option<"decay", "decay", "::snn::DecayArith", "::snn::quant::QuantizeOptions().decay",
           "Decay arithmetic", "::snn::quant::decayValues()">,
    Option<"decayShift", "decay-shift", "int64_t", "::snn::quant::QuantizeOptions().decayShift",
           "Shift of decay(multiply), the decay_shift of snn.qneuron "
           "(default 12)">,
    Option<"rounding", "rounding", "::snn::Rounding", "::snn::quant::QuantizeOptions().rounding",
           "Right shifts", "::snn::quant::roundingValues()">,
    Option<"overflow", "overflow", "::snn::Overflow", "::snn::quant::QuantizeOptions().overflow",
           "Results wider than their bits", "::snn::quant::overflowValues()">,
    Option<"scaleMethod", "scale-method", "::snn::quant::ScaleMethod",
           "::snn::quant::QuantizeOptions().scaleMethod", "Weight units",
           "::snn::quant::scaleMethodValues()">,
    Option<"targetPath", "target", "std::string", "\"\"",
           "Take weight bits, weight exponent, state widths and decay "
           "arithmetic from a target description (targets/*.json)">,
    Option<"calibration", "calibration", "std::string", "\"\"",
           "Ranges from snn-run --calibrate">,
    Option<"reportPath", "report", "std::string", "\"\"",
           "Write the per-layer quantization report (JSON) here">,
  ];
}

def LowerToLoops : Pass<"snn-lower-to-loops", "::mlir::ModuleOp"> {
  let summary = "Quantized networks to func, scf, arith and memref";
  let description = [{
    Replaces every quantized `snn.network` by constant globals (weights,
    per-neuron constants), mutable globals (state, signals, delay rings) and
    two functions, `<name>_reset()` and `<name>_step(input, output)`, that
    compute what the fixed-point reference computes. Integer primitives are
    `emitc.call_opaque` calls into runtime/embedded/snn_arith.h. Each
    projection's kernel (dense or compressed weights, dense or event-driven
    sums) follows the cost model of docs/embedded.md.
  }];
  let options = [
    Option<"spikeActivity", "spike-activity", "double", "0.1",
           "Expected spikes per neuron and step, for the choice of kernels "
           "(default 0.1)">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::emitc::EmitCDialect",
                           "::mlir::func::FuncDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect"];
}

def ConvertToEmitC : Pass<"snn-convert-to-emitc", "::mlir::ModuleOp"> {
  let summary = "func, scf, arith and memref to EmitC, signatures included";
  let description = [{
    Upstream's arith, scf and memref conversions to EmitC under one type
    converter (memref to C arrays, index to size_t) that also converts
    function signatures, which MLIR 19's func-to-emitc leaves alone. The
    result prints as C with `mlir-translate --mlir-to-cpp`.
  }];
  let dependentDialects = ["::mlir::emitc::EmitCDialect"];
}

def CheckTarget : Pass<"snn-check-target", "::snn::NetworkOp"> {
  let summary = "Design-rule checks of a network against a target";
  let description = [{
    Reads a target description (targets/*.json) and reports every way the
    network does not fit it — input and output channels, neurons, synapse
    memory, fan-in, fan-out, weight bits, neuron models, projection kinds,
    delays — each naming the op, the resource, what is needed, what the
    target has, and a change that would make it fit. Fails when anything
    does not fit; otherwise remarks what the network uses.
  }];
  let options = [
    Option<"targetPath", "target", "std::string", "\"\"",
           "Target description (targets/*.json)">,
  ];
}

def Map : Pass<"snn-map", "::mlir::ModuleOp"> {
  let summary = "Map a quantized network onto a chip: partition, place, route";
  let description = [{
    Replaces each quantized `snn.network` by an `snnhw.chip` for the target:
    projections become synapse tables (pooling folded in), populations and
    tables are split into groups that fit a core (neurons, synapse memory,
    and the cycles a step may take at the expected activity), groups are
    placed on the
    mesh to keep expected spike traffic (spikes per step × hops) small, and
    routing tables are written. Design-rule violations are reported all at
    once, as snn-check-target does, plus the quantization formats the target
    cannot run. `report=FILE` writes per-core utilization, NoC traffic and
    why each group is where it is (JSON when FILE ends in .json, the cores
    drawn on the mesh as one HTML page when it ends in .html, else text).
  }];
  let options = [
    Option<"targetPath", "target", "std::string", "\"\"",
           "Target description (targets/*.json)">,
    Option<"spikeActivity", "spike-activity", "double", "0.1",
           "Expected spikes per neuron and step where no rate is measured "
           "(default 0.1)">,
    Option<"calibrationPath", "calibration", "std::string", "\"\"",
           "Measured rates (snn-run --calibrate)">,
    Option<"reportPath", "report", "std::string", "\"\"",
           "Write the mapping report to this file">,
    Option<"cycleBudget", "cycle-budget", "double", "-1",
           "Expected cycles a core may spend per step (default -1: real "
           "time, the network's dt at the target's clock; 0: no limit)">,
  ];
  let dependentDialects = ["::snn::hw::SNNHWDialect"];
}

#endif // SNN_TRANSFORMS_PASSES_TD

//===- SNNXyloOps.td - a Xylo core as one op ---------------*- tablegen -*-===//
//
// SynSense Xylo's neuron core (xylosim v1 and v2, the simulator behind
// Rockpool's XyloSim) as one op whose step is the chip's step. Its meaning
// is in docs/semantics.md ("Xylo cores"); docs/dialect.md says why it is one
// op rather than attributes on snn.qlinear and snn.qneuron.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_XYLO_OPS_TD
#define SNN_XYLO_OPS_TD

def SNN_XyloOp : SNN_Op<"xylo", []> {
  let summary = "a Xylo core: input, recurrent and readout synapses and "
                "xylosim's integer neurons, stepped as the chip steps";
  let description = [{
    The dict Rockpool's Xylo `mapper()` returns (`XyloSim.from_specification`),
    with its keys as attribute names. The input holds event counts per input
    channel (0/1 spikes are counts), the result one 0/1 spike per output
    neuron. Shapes: `weights_in` [Nin, Nien(, S)] reaches the first Nien
    hidden neurons, `weights_rec` [Nhid, Nhid(, S)], `weights_out` [Noen,
    Nout] comes from the last Noen hidden neurons; S is 1 or 2 synapses.
    Every state is int16. In step t, with `spk` the hidden spike counts of
    step t-1 (docs/semantics.md, "Xylo cores"):

    1. each input channel in order, `n = min(x, 15)`; each of its synapses
       (synapse-0 targets ascending, then synapse-1) receives n separate
       saturating adds of `i16(w << weight_shift_in)`;
    2. each hidden neuron's `min(spk, 31)` spikes the same with
       `weight_shift_rec`; 3. the readout's with `weight_shift_out`;
    4. hidden neurons in index order: each synaptic state leaks
       (`s - leak(s, dash)`, `leak(x, d) = x >> d`, or sign(x) when that is
       0), the current is their wide sum; v2: `dv = sat16(i16(-leak(v,
       dash_mem)) + I)`, `dv = sat16(dv + bias)`, `v = sat16(v + dv)`; v1:
       `v = sat16(v - leak(v, dash_mem) + I)`; then while `v >= threshold`
       and fewer than 31 spikes, one spike and `v = i16(v - threshold)`;
       the count is added to the neuron's alias target (capped at 31);
    5. output neurons the same with one synapse and at most one spike.
  }];
  let arguments = (ins SNN_SpikesType:$input, I64Attr:$version,
                       SNN_IntTensorAttr:$weights_in,
                       SNN_IntTensorAttr:$weights_rec,
                       SNN_IntTensorAttr:$weights_out,
                       I64Attr:$weight_shift_in, I64Attr:$weight_shift_rec,
                       I64Attr:$weight_shift_out,
                       SNN_IntParamAttr:$dash_mem, SNN_IntParamAttr:$dash_syn,
                       SNN_IntParamAttr:$dash_syn_2,
                       SNN_IntParamAttr:$threshold,
                       OptionalAttr<SNN_IntParamAttr>:$bias,
                       SNN_IntParamAttr:$dash_mem_out,
                       SNN_IntParamAttr:$dash_syn_out,
                       SNN_IntParamAttr:$threshold_out,
                       OptionalAttr<SNN_IntParamAttr>:$bias_out,
                       OptionalAttr<DenseI64ArrayAttr>:$aliases,
                       OptionalAttr<StrAttr>:$name);
  let results = (outs SNN_SpikesType:$output);
  let assemblyFormat = [{
    ($name^)? $input `version` `(` $version `)`
    attr-dict `:` qualified(type($input)) `->` qualified(type($output))
  }];
  let extraClassDeclaration = [{
    /// Hidden, input-expansion and readout neuron counts.
    int64_t getNumHidden() { return getWeightsRec().getType().getDimSize(0); }
    int64_t getNumInputExpansion() {
      return getWeightsIn().getType().getDimSize(1);
    }
    int64_t getNumOutputExpansion() {
      return getWeightsOut().getType().getDimSize(0);
    }
    /// Synapses of weights_in / weights_rec (1 for rank-2 weights).
    int64_t getInputSynapses() {
      auto t = getWeightsIn().getType();
      return t.getRank() == 3 ? t.getDimSize(2) : 1;
    }
    int64_t getRecurrentSynapses() {
      auto t = getWeightsRec().getType();
      return t.getRank() == 3 ? t.getDimSize(2) : 1;
    }
  }];
  let hasVerifier = 1;
}

#endif // SNN_XYLO_OPS_TD

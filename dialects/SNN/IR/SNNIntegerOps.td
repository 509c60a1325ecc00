//===- SNNIntegerOps.td - per-step and integer ops ---------*- tablegen -*-===//
//
// Two lower levels of the same network. `snn.neuron` is any neuron after
// snn-discretize: per-step constants instead of time constants. The `q` ops
// are the network after snn-quantize: integer weights, integer state of a
// given width and the integer arithmetic that updates it. Their exact meaning
// is in docs/quantization.md; it is what the fixed-point reference, the
// generated C and the emulator compute bit for bit.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_INTEGER_OPS_TD
#define SNN_INTEGER_OPS_TD

def SNN_NeuronStepOp : SNN_Op<"neuron", [SNN_NeuronTrait]> {
  let summary = "a neuron as per-step constants (after snn-discretize)";
  let description = [{
    In step t, with `v`, `i` the state of step t-1 and `I` the input:
    `i[t] = i_decay·i + i_gain·I` (when `i_decay` is present), then
    `u = v_decay·v + v_gain·x + v_bias` with `x = i[t]` or `I`. Without
    `v_threshold` the neuron emits `u`; with it, it fires and resets exactly
    as the continuous neurons do (docs/semantics.md).
  }];
  let arguments = (ins SNN_Signal:$input, SNN_ParamAttr:$v_decay,
                       SNN_ParamAttr:$v_gain, SNN_ParamAttr:$v_bias,
                       OptionalAttr<SNN_ParamAttr>:$i_decay,
                       OptionalAttr<SNN_ParamAttr>:$i_gain,
                       OptionalAttr<SNN_ParamAttr>:$v_threshold,
                       OptionalAttr<SNN_ParamAttr>:$v_reset,
                       OptionalAttr<SNN_ResetMode>:$reset,
                       OptionalAttr<SNN_ResetTiming>:$reset_timing,
                       OptionalAttr<SNN_SpikeCondition>:$spike,
                       OptionalAttr<StrAttr>:$name);
  let results = (outs SNN_Signal:$output);
  let assemblyFormat = [{
    ($name^)? $input (`reset` `(` $reset^ `,` $reset_timing `)`)?
    (`fire` `(` $spike^ `)`)?
    attr-dict `:` type($input) `->` qualified(type($output))
  }];
  let hasVerifier = 1;
}

def SNN_QuantizeOp : SNN_Op<"quantize", [Pure]> {
  let summary = "float input values to integers: round(x / scale), saturated";
  let description = [{
    The boundary between a host's real-valued input and the integer network:
    `q = clamp(round_nearest_even(x / scale), -2^(bits-1), 2^(bits-1) - 1)`.
  }];
  let arguments = (ins SNN_ValuesType:$input, SNN_ParamAttr:$scale,
                       I64Attr:$bits, OptionalAttr<StrAttr>:$name);
  let results = (outs SNN_ValuesType:$output);
  let assemblyFormat =
      "($name^)? $input attr-dict `:` type($input) `->` qualified(type($output))";
  let hasVerifier = 1;
}

def SNN_QLinearOp : SNN_Op<"qlinear", [Pure]> {
  let summary = "integer y = W x (+ b) over the last dimension";
  let description = [{
    `weight` holds signed integers of `weight_bits` bits, `bias` integers in
    output units. Each output is `2^weight_exp · Σ w·x + bias`, computed
    exactly, then brought to `acc_bits` by `overflow`; the weight exponent
    (Loihi's) lets the output, and the membrane it feeds, resolve finer than
    one weight step. One output unit is `scale` in real terms (one value, or
    one per row). A negative `weight_exp` shifts the exact sum right,
    rounding toward minus infinity (Lava's Dense).
  }];
  let arguments = (ins SNN_Signal:$input, SNN_IntTensorAttr:$weight,
                       OptionalAttr<SNN_IntTensorAttr>:$bias,
                       I64Attr:$weight_bits, OptionalAttr<I64Attr>:$weight_exp,
                       I64Attr:$acc_bits,
                       SNN_Overflow:$overflow, SNN_ParamAttr:$scale,
                       OptionalAttr<StrAttr>:$name);
  let results = (outs SNN_ValuesType:$output);
  let assemblyFormat = [{
    ($name^)? $input `overflow` `(` $overflow `)`
    attr-dict `:` type($input) `->` qualified(type($output))
  }];
  let hasVerifier = 1;
}

class SNN_QConvOp<string mnemonic, int rank> : SNN_Op<mnemonic, [Pure]> {
  let summary = "integer cross-correlation (snn.conv" # rank # "d's layout)";
  let description = [{
    Integer form of `snn.conv` with the same layout and geometry. Each output
    is `2^weight_exp` times the exact sum plus `bias`, then brought to
    `acc_bits` by `overflow`; `scale` is one value or one per output channel.
  }];
  let arguments = (ins SNN_Signal:$input, SNN_IntTensorAttr:$weight,
                       OptionalAttr<SNN_IntTensorAttr>:$bias,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding,
                       DenseI64ArrayAttr:$dilation, I64Attr:$groups,
                       I64Attr:$weight_bits, OptionalAttr<I64Attr>:$weight_exp,
                       I64Attr:$acc_bits,
                       SNN_Overflow:$overflow, SNN_ParamAttr:$scale,
                       OptionalAttr<StrAttr>:$name);
  let results = (outs SNN_ValuesType:$output);
  let assemblyFormat = [{
    ($name^)? $input `overflow` `(` $overflow `)`
    attr-dict `:` type($input) `->` qualified(type($output))
  }];
  let hasVerifier = 1;
}

def SNN_QConv1dOp : SNN_QConvOp<"qconv1d", 1>;
def SNN_QConv2dOp : SNN_QConvOp<"qconv2d", 2>;

def SNN_QNeuronOp : SNN_Op<"qneuron", [SNN_NeuronTrait]> {
  let summary = "a neuron with integer state and integer arithmetic";
  let description = [{
    In step t, with the integer input `x`:
    `i[t] = ovf_i(decay(i, i_decay) + x)` when the neuron has a current
    (`i_bits`), then `u = ovf_v(decay(v, v_decay) + (i[t] or x) + v_bias)`.
    `decay(multiply)` is `rshift(s·m, decay_shift)`, `decay(shift)` is
    `s - rshift(s, k)`, each right shift rounded by `rounding`; no decay
    attribute means no leak. Firing compares `u` with the integer
    `v_threshold`; resets and their timing are those of the float neurons.
    `v_scale` (and `i_scale`) give one state unit in real terms.
  }];
  let arguments = (ins SNN_Signal:$input, I64Attr:$v_bits,
                       OptionalAttr<I64Attr>:$i_bits,
                       SNN_DecayArith:$decay, OptionalAttr<I64Attr>:$decay_shift,
                       OptionalAttr<SNN_IntParamAttr>:$v_decay,
                       OptionalAttr<SNN_IntParamAttr>:$i_decay,
                       OptionalAttr<SNN_IntParamAttr>:$v_bias,
                       OptionalAttr<SNN_IntParamAttr>:$v_threshold,
                       OptionalAttr<SNN_IntParamAttr>:$v_reset,
                       SNN_Rounding:$rounding, SNN_Overflow:$overflow,
                       SNN_ParamAttr:$v_scale, OptionalAttr<SNN_ParamAttr>:$i_scale,
                       OptionalAttr<SNN_ResetMode>:$reset,
                       OptionalAttr<SNN_ResetTiming>:$reset_timing,
                       OptionalAttr<SNN_SpikeCondition>:$spike,
                       OptionalAttr<StrAttr>:$name,
                       // Lava's LIF (docs/quantization.md): the current's own
                       // overflow (default `overflow`), and the input wrapped
                       // to input_bits and shifted left by input_shift.
                       OptionalAttr<SNN_Overflow>:$i_overflow,
                       OptionalAttr<I64Attr>:$input_shift,
                       OptionalAttr<I64Attr>:$input_bits);
  let results = (outs SNN_Signal:$output);
  let assemblyFormat = [{
    ($name^)? $input `decay` `(` $decay `)` `rounding` `(` $rounding `)`
    `overflow` `(` $overflow `)` (`i_overflow` `(` $i_overflow^ `)`)?
    (`reset` `(` $reset^ `,` $reset_timing `)`)? (`fire` `(` $spike^ `)`)?
    attr-dict `:` type($input) `->` qualified(type($output))
  }];
  // The builder of a neuron without Lava's attributes (all absent).
  let builders = [
    OpBuilder<(ins "::mlir::Type":$output, "::mlir::Value":$input,
      "::mlir::IntegerAttr":$v_bits, "::mlir::IntegerAttr":$i_bits,
      "::snn::DecayArithAttr":$decay, "::mlir::IntegerAttr":$decay_shift,
      "::mlir::Attribute":$v_decay, "::mlir::Attribute":$i_decay,
      "::mlir::Attribute":$v_bias, "::mlir::Attribute":$v_threshold,
      "::mlir::Attribute":$v_reset, "::snn::RoundingAttr":$rounding,
      "::snn::OverflowAttr":$overflow, "::mlir::Attribute":$v_scale,
      "::mlir::Attribute":$i_scale, "::snn::ResetModeAttr":$reset,
      "::snn::ResetTimingAttr":$reset_timing,
      "::snn::SpikeConditionAttr":$spike, "::mlir::StringAttr":$name), [{
      build($_builder, $_state, output, input, v_bits, i_bits, decay,
            decay_shift, v_decay, i_decay, v_bias, v_threshold, v_reset,
            rounding, overflow, v_scale, i_scale, reset, reset_timing, spike,
            name, ::snn::OverflowAttr(), ::mlir::IntegerAttr(),
            ::mlir::IntegerAttr());
    }]>
  ];
  let hasVerifier = 1;
}

#endif // SNN_INTEGER_OPS_TD

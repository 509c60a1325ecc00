//===- SNNOps.td - snn dialect operations ------------------*- tablegen -*-===//
//
// One op per NIR primitive, plus the network that holds them, an explicit
// fan-in sum and the output terminator. The per-step meaning of each op is in
// docs/semantics.md.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_OPS_TD
#define SNN_OPS_TD

include "SNN/IR/SNNBase.td"
include "SNN/IR/SNNTypes.td"
include "SNN/IR/SNNAttrs.td"
include "mlir/IR/OpAsmInterface.td"
include "mlir/IR/RegionKindInterface.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

/// Ops that keep a membrane (and possibly a current) from step to step.
def SNN_NeuronTrait : NativeOpTrait<"NeuronOp"> {
  let cppNamespace = "::snn::OpTrait";
}

// Every node of a network may carry the name it has in the source model
// (NIR node names); its SSA result is printed under that name.
class SNN_Op<string mnemonic, list<Trait> traits = []>
    : Op<SNN_Dialect, mnemonic, !listconcat(traits, [HasParent<"NetworkOp">,
        DeclareOpInterfaceMethods<OpAsmOpInterface, ["getAsmResultNames"]>])> {
  let extraClassDefinition = [{
    void $cppClass::getAsmResultNames(::mlir::OpAsmSetValueNameFn setNameFn) {
      ::snn::nameResultAfterNode(getOperation(), setNameFn);
    }
  }];
}

//===----------------------------------------------------------------------===//
// Network structure
//===----------------------------------------------------------------------===//

def SNN_NetworkOp : Op<SNN_Dialect, "network", [
    Symbol, IsolatedFromAbove, SingleBlock,
    DeclareOpInterfaceMethods<RegionKindInterface>,
    DeclareOpInterfaceMethods<OpAsmOpInterface, ["getAsmBlockArgumentNames"]>]> {
  let summary = "a spiking network: named inputs and outputs over a graph of ops";
  let description = [{
    ```mlir
    snn.network @braille(%input: !snn.spikes<12>) -> (output: !snn.spikes<7>)
        attributes {dt = 1.0e-4 : f64} {
      ...
      snn.output %y : !snn.spikes<7>
    }
    ```
    The body is a graph region: ops may use values defined later in the
    block, so a recurrent edge is written directly. Every cycle must pass
    through an `snn.delay`; a cycle of stateless ops is a combinational loop
    and is rejected. `dt` is the simulation step in seconds.
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
                       TypeAttrOf<FunctionType>:$function_type,
                       StrArrayAttr:$input_names,
                       StrArrayAttr:$output_names,
                       F64Attr:$dt);
  let regions = (region SizedRegion<1>:$body);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
  let extraClassDeclaration = [{
    ::mlir::FunctionType getNetworkType() { return getFunctionType(); }
    ::mlir::Block &getBodyBlock() { return getBody().front(); }
    /// The terminator that names the network's results.
    OutputOp getOutputOp();
  }];
}

def SNN_OutputOp : Op<SNN_Dialect, "output",
    [Terminator, Pure, HasParent<"NetworkOp">]> {
  let summary = "the values the network emits each step";
  let arguments = (ins Variadic<SNN_Signal>:$outputs);
  let assemblyFormat = "$outputs attr-dict `:` type($outputs)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Projections and structural ops
//===----------------------------------------------------------------------===//

def SNN_AffineOp : SNN_Op<"affine", [Pure]> {
  let summary = "y = W x + b over the last dimension (NIR Affine)";
  let arguments = (ins SNN_Signal:$input, SNN_FloatTensorAttr:$weight,
                       SNN_FloatTensorAttr:$bias, OptionalAttr<StrAttr>:$name);
  let results = (outs SNN_ValuesType:$output);
  let assemblyFormat =
      "($name^)? $input attr-dict `:` type($input) `->` qualified(type($output))";
  let hasVerifier = 1;
  let hasCanonicalizer = 1;
}

def SNN_LinearOp : SNN_Op<"linear", [Pure]> {
  let summary = "y = W x over the last dimension (NIR Linear)";
  let arguments = (ins SNN_Signal:$input, SNN_FloatTensorAttr:$weight,
                       OptionalAttr<StrAttr>:$name);
  let results = (outs SNN_ValuesType:$output);
  let assemblyFormat =
      "($name^)? $input attr-dict `:` type($input) `->` qualified(type($output))";
  let hasVerifier = 1;
  let hasCanonicalizer = 1;
  let hasFolder = 1;
}

def SNN_ScaleOp : SNN_Op<"scale", [Pure]> {
  let summary = "y = s * x elementwise (NIR Scale)";
  let arguments = (ins SNN_Signal:$input, SNN_ParamAttr:$scale,
                       OptionalAttr<StrAttr>:$name);
  let results = (outs SNN_ValuesType:$output);
  let assemblyFormat =
      "($name^)? $input attr-dict `:` type($input) `->` qualified(type($output))";
  let hasVerifier = 1;
  let hasCanonicalizer = 1;
}

class SNN_ConvOp<string mnemonic, int rank> : SNN_Op<mnemonic, [Pure]> {
  let summary = "cross-correlation as in PyTorch (NIR Conv" # rank # "d)";
  let description = [{
    Input `[C_in, spatial...]`, weight `[C_out, C_in / groups, kernel...]`,
    bias `[C_out]`; `stride`, `padding` (zeros, on both sides) and `dilation`
    have one entry per spatial dimension.
  }];
  let arguments = (ins SNN_Signal:$input, SNN_FloatTensorAttr:$weight,
                       SNN_FloatTensorAttr:$bias, DenseI64ArrayAttr:$stride,
                       DenseI64ArrayAttr:$padding, DenseI64ArrayAttr:$dilation,
                       I64Attr:$groups, OptionalAttr<StrAttr>:$name);
  let results = (outs SNN_ValuesType:$output);
  let assemblyFormat =
      "($name^)? $input attr-dict `:` type($input) `->` qualified(type($output))";
  let hasVerifier = 1;
}

def SNN_Conv1dOp : SNN_ConvOp<"conv1d", 1>;
def SNN_Conv2dOp : SNN_ConvOp<"conv2d", 2>;

class SNN_Pool2dOp<string mnemonic, string what> : SNN_Op<mnemonic, [Pure]> {
  let summary = what # " over 2-d windows of each channel";
  let description = [{
    Input `[C, H, W]`; zero padding on both sides; windows that overlap the
    padding count the padded zeros (PyTorch's `count_include_pad`).
  }];
  let arguments = (ins SNN_Signal:$input, DenseI64ArrayAttr:$kernel_size,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding,
                       OptionalAttr<StrAttr>:$name);
  let results = (outs SNN_ValuesType:$output);
  let assemblyFormat =
      "($name^)? $input attr-dict `:` type($input) `->` qualified(type($output))";
  let hasVerifier = 1;
}

def SNN_SumPool2dOp : SNN_Pool2dOp<"sum_pool2d", "sum (NIR SumPool2d)">;
def SNN_AvgPool2dOp : SNN_Pool2dOp<"avg_pool2d", "mean (NIR AvgPool2d)">;

def SNN_FlattenOp : SNN_Op<"flatten", [Pure]> {
  let summary = "merge dimensions start_dim..end_dim into one (NIR Flatten)";
  let description = [{
    Dimensions count from 0 over the signal's shape (there is no batch
    dimension in the IR); negative values count from the end. Spikes stay
    spikes and values stay values.
  }];
  let arguments = (ins SNN_Signal:$input, I64Attr:$start_dim, I64Attr:$end_dim,
                       OptionalAttr<StrAttr>:$name);
  let results = (outs SNN_Signal:$output);
  let assemblyFormat =
      "($name^)? $input attr-dict `:` type($input) `->` qualified(type($output))";
  let hasVerifier = 1;
  let hasCanonicalizer = 1;
  let hasFolder = 1;
}

def SNN_SumOp : SNN_Op<"sum", [Pure, Commutative]> {
  let summary = "elementwise sum of every edge into a node (fan-in)";
  let arguments = (ins Variadic<SNN_Signal>:$inputs, OptionalAttr<StrAttr>:$name);
  let results = (outs SNN_ValuesType:$output);
  let assemblyFormat =
      "($name^)? $inputs attr-dict `:` type($inputs) `->` qualified(type($output))";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def SNN_DelayOp : SNN_Op<"delay", []> {
  let summary = "output the input of an earlier step (NIR Delay)";
  let description = [{
    `delay` gives the delay in seconds (NIR's form, one value or one per
    neuron); `steps` gives it in whole steps. Exactly one is present. A delay
    holds state, so it is what makes a cycle in the graph well defined: its
    output in step t is its input of step t - d, and zero before that.
  }];
  let arguments = (ins SNN_Signal:$input, OptionalAttr<SNN_ParamAttr>:$delay,
                       OptionalAttr<SNN_IntParamAttr>:$steps,
                       OptionalAttr<StrAttr>:$name);
  let results = (outs SNN_Signal:$output);
  let assemblyFormat =
      "($name^)? $input attr-dict `:` type($input) `->` qualified(type($output))";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def SNN_ThresholdOp : SNN_Op<"threshold", [Pure]> {
  let summary = "stateless spike when the input crosses a threshold (NIR Threshold)";
  let arguments = (ins SNN_Signal:$input, SNN_ParamAttr:$threshold,
                       SNN_SpikeCondition:$spike, OptionalAttr<StrAttr>:$name);
  let results = (outs SNN_SpikesType:$output);
  let assemblyFormat = [{
    ($name^)? $input `fire` `(` $spike `)` attr-dict `:` type($input) `->` qualified(type($output))
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Neurons
//===----------------------------------------------------------------------===//

class SNN_NeuronOp<string mnemonic, string what, Type resultType>
    : SNN_Op<mnemonic, [SNN_NeuronTrait]> {
  let summary = what;
  let results = (outs resultType:$output);
  let hasVerifier = 1;
}

def SNN_IntegratorOp : SNN_NeuronOp<"integrator",
    "dv/dt = r I; outputs v (NIR I)", SNN_ValuesType> {
  let arguments = (ins SNN_Signal:$input, SNN_ParamAttr:$r,
                       OptionalAttr<StrAttr>:$name);
  let assemblyFormat = "($name^)? $input attr-dict `:` type($input) `->` qualified(type($output))";
}

def SNN_LIOp : SNN_NeuronOp<"li",
    "tau dv/dt = (v_leak - v) + r I; outputs v (NIR LI)", SNN_ValuesType> {
  let arguments = (ins SNN_Signal:$input, SNN_ParamAttr:$tau, SNN_ParamAttr:$r,
                       SNN_ParamAttr:$v_leak, SNN_Integration:$integration,
                       OptionalAttr<StrAttr>:$name);
  let assemblyFormat = [{
    ($name^)? $input `integration` `(` $integration `)`
    attr-dict `:` type($input) `->` qualified(type($output))
  }];
}

def SNN_IFOp : SNN_NeuronOp<"if",
    "dv/dt = r I; spike and reset at v_threshold (NIR IF)", SNN_SpikesType> {
  let arguments = (ins SNN_Signal:$input, SNN_ParamAttr:$r,
                       SNN_ParamAttr:$v_threshold, OptionalAttr<SNN_ParamAttr>:$v_reset,
                       SNN_ResetMode:$reset, SNN_ResetTiming:$reset_timing,
                       SNN_SpikeCondition:$spike, OptionalAttr<StrAttr>:$name);
  let assemblyFormat = [{
    ($name^)? $input `reset` `(` $reset `,` $reset_timing `)` `fire` `(` $spike `)`
    attr-dict `:` type($input) `->` qualified(type($output))
  }];
}

def SNN_LIFOp : SNN_NeuronOp<"lif",
    "tau dv/dt = (v_leak - v) + r I; spike and reset (NIR LIF)", SNN_SpikesType> {
  let arguments = (ins SNN_Signal:$input, SNN_ParamAttr:$tau, SNN_ParamAttr:$r,
                       SNN_ParamAttr:$v_leak, SNN_ParamAttr:$v_threshold,
                       OptionalAttr<SNN_ParamAttr>:$v_reset,
                       SNN_Integration:$integration, SNN_ResetMode:$reset,
                       SNN_ResetTiming:$reset_timing,
                       SNN_SpikeCondition:$spike, OptionalAttr<StrAttr>:$name);
  let assemblyFormat = [{
    ($name^)? $input `integration` `(` $integration `)`
    `reset` `(` $reset `,` $reset_timing `)` `fire` `(` $spike `)`
    attr-dict `:` type($input) `->` qualified(type($output))
  }];
}

def SNN_CubaLIOp : SNN_NeuronOp<"cuba_li",
    "current-based leaky integrator; outputs v (NIR CubaLI)", SNN_ValuesType> {
  let arguments = (ins SNN_Signal:$input, SNN_ParamAttr:$tau_syn,
                       SNN_ParamAttr:$tau_mem, SNN_ParamAttr:$r,
                       SNN_ParamAttr:$v_leak, SNN_ParamAttr:$w_in,
                       SNN_Integration:$integration, OptionalAttr<StrAttr>:$name);
  let assemblyFormat = [{
    ($name^)? $input `integration` `(` $integration `)`
    attr-dict `:` type($input) `->` qualified(type($output))
  }];
}

def SNN_CubaLIFOp : SNN_NeuronOp<"cuba_lif",
    "current-based leaky integrate-and-fire (NIR CubaLIF)", SNN_SpikesType> {
  let arguments = (ins SNN_Signal:$input, SNN_ParamAttr:$tau_syn,
                       SNN_ParamAttr:$tau_mem, SNN_ParamAttr:$r,
                       SNN_ParamAttr:$v_leak, SNN_ParamAttr:$v_threshold,
                       OptionalAttr<SNN_ParamAttr>:$v_reset, SNN_ParamAttr:$w_in,
                       SNN_Integration:$integration, SNN_ResetMode:$reset,
                       SNN_ResetTiming:$reset_timing,
                       SNN_SpikeCondition:$spike, OptionalAttr<StrAttr>:$name);
  let assemblyFormat = [{
    ($name^)? $input `integration` `(` $integration `)`
    `reset` `(` $reset `,` $reset_timing `)` `fire` `(` $spike `)`
    attr-dict `:` type($input) `->` qualified(type($output))
  }];
}

include "SNN/IR/SNNIntegerOps.td"
include "SNN/IR/SNNXyloOps.td"

#endif // SNN_OPS_TD

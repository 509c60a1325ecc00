//===- SNNHWOps.td - a network mapped onto a chip ----------*- tablegen -*-===//
//
// The hardware level: what a neuromorphic chip holds after snn-map. Cores at
// mesh positions, neuron groups and synapse tables assigned to them, and the
// routes spikes take between cores. Each op computes exactly what the integer
// snn op it comes from computes (docs/quantization.md); what it adds is where
// the work happens and in which storage format. docs/targets.md explains the
// mapping, docs/image.md how these tables are written to a chip image.
//
//===----------------------------------------------------------------------===//

#ifndef SNNHW_OPS_TD
#define SNNHW_OPS_TD

include "SNN/IR/SNNBase.td"
include "SNN/IR/SNNTypes.td"
include "SNN/IR/SNNAttrs.td"
include "SNNHW/IR/SNNHWEnums.td"
include "mlir/IR/OpAsmInterface.td"
include "mlir/IR/RegionKindInterface.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def SNNHW_Dialect : Dialect {
  let name = "snnhw";
  let cppNamespace = "::snn::hw";
  let summary = "A spiking network placed on the cores of a neuromorphic chip";
  let description = [{
    `snnhw.chip` holds one mapped network: `snnhw.core` declares each core
    in use and what it holds, the computing ops carry `cores` and `splits`
    (slice k of the output, rows `splits[k]` to `splits[k+1]`, runs on core
    `cores[k]`), and `snnhw.route` is one entry of the routing tables. The
    ops and their tables are exactly what `snn-translate --emit-image` writes.
  }];
  let dependentDialects = ["::snn::SNNDialect"];
}

class SNNHW_Op<string mnemonic, list<Trait> traits = []>
    : Op<SNNHW_Dialect, mnemonic, !listconcat(traits, [HasParent<"ChipOp">])>;

/// Ops whose output is computed in slices on cores.
class SNNHW_SlicedOp<string mnemonic, list<Trait> traits = []>
    : SNNHW_Op<mnemonic, traits> {
  let hasVerifier = 1;
}

def SNNHW_ChipOp : Op<SNNHW_Dialect, "chip", [
    Symbol, IsolatedFromAbove, SingleBlock,
    DeclareOpInterfaceMethods<RegionKindInterface>,
    DeclareOpInterfaceMethods<OpAsmOpInterface, ["getAsmBlockArgumentNames"]>]> {
  let summary = "a network mapped onto a target chip";
  let description = [{
    ```mlir
    snnhw.chip @mlp(%input: !snn.spikes<784>) -> (output: !snn.spikes<10>)
        attributes {target = "loihi-class", mesh = array<i64: 8, 16>, ...} {
      snnhw.core 0 at (0, 0) {neurons = 128 : i64, ...}
      ...
      snnhw.output %y : !snn.spikes<10>
    }
    ```
    `target` names the target description, `mesh` its width and height,
    `cost` its cost model (cycles and energy per operation) and
    `cycle_model` how costs make cycles (`per-event` or `xylo-analytic`), so
    that an image is all an emulator needs; `dt` is the step in seconds.
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
                       TypeAttrOf<FunctionType>:$function_type,
                       StrArrayAttr:$input_names, StrArrayAttr:$output_names,
                       StrAttr:$target, DenseI64ArrayAttr:$mesh,
                       DictionaryAttr:$cost, StrAttr:$cycle_model,
                       F64Attr:$dt);
  let regions = (region SizedRegion<1>:$body);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    ::mlir::Block &getBodyBlock() { return getBody().front(); }
    OutputOp getOutputOp();
  }];
}

def SNNHW_OutputOp : SNNHW_Op<"output", [Terminator, Pure]> {
  let summary = "the signals the chip reports each step";
  let arguments = (ins Variadic<SNN_Signal>:$outputs);
  let assemblyFormat = "$outputs attr-dict `:` type($outputs)";
}

def SNNHW_CoreOp : SNNHW_Op<"core"> {
  let summary = "a core in use, its mesh position and what it holds";
  let description = [{
    `neurons` and `synapse_bytes` are what the groups and tables placed on
    the core take; `fan_in` the largest number of synapses into one of its
    neurons.
  }];
  let arguments = (ins I64Attr:$id, I64Attr:$x, I64Attr:$y, I64Attr:$neurons,
                       I64Attr:$synapse_bytes, I64Attr:$fan_in);
  let assemblyFormat = "$id `at` ` ` `(` $x `,` $y `)` attr-dict";
}

def SNNHW_QuantizeOp : SNNHW_Op<"quantize", [Pure]> {
  let summary = "host values to integers as they enter the chip";
  let description = [{ Exactly `snn.quantize`: done by the host interface. }];
  let arguments = (ins SNN_ValuesType:$input, SNN_ParamAttr:$scale,
                       I64Attr:$bits, StrAttr:$name);
  let results = (outs SNN_ValuesType:$output);
  let assemblyFormat =
      "$name $input attr-dict `:` type($input) `->` qualified(type($output))";
}

def SNNHW_SynapsesOp : SNNHW_SlicedOp<"synapses", [Pure]> {
  let summary = "a synapse table: y = fit(2^weight_exp · Σ w·x + bias)";
  let description = [{
    A negative `weight_exp` is `floor(Σ w·x / 2^-weight_exp) + bias`
    (Lava's Dense). Sorted by source: the synapses of input element `j` are
    `targets[offsets[j] .. offsets[j+1])` with `weights` alongside. Each
    output is brought to `acc_bits` by `overflow`, as `snn.qlinear` and
    `snn.qconv*` do; a chain of pooling and reshaping before the projection
    is folded into the table (sum pooling is linear and exact). `format` is
    the storage a core uses for it and sets the bytes it takes; `scale` is
    the real value of one output unit.
  }];
  let arguments = (ins SNN_Signal:$input, SNNHW_SynapseFormat:$format,
                       I64Attr:$weight_bits, I64Attr:$weight_exp,
                       I64Attr:$acc_bits, SNN_Overflow:$overflow,
                       SNN_IntTensorAttr:$offsets, SNN_IntTensorAttr:$targets,
                       SNN_IntTensorAttr:$weights,
                       OptionalAttr<SNN_IntTensorAttr>:$bias,
                       SNN_ParamAttr:$scale, DenseI64ArrayAttr:$cores,
                       DenseI64ArrayAttr:$splits, StrAttr:$name);
  let results = (outs SNN_ValuesType:$output);
  let assemblyFormat = [{
    $name $input `format` `(` $format `)` `overflow` `(` $overflow `)`
    attr-dict `:` type($input) `->` qualified(type($output))
  }];
}

def SNNHW_NeuronsOp : SNNHW_SlicedOp<"neurons", [Pure]> {
  let summary = "a neuron population in groups on cores";
  let description = [{
    Exactly `snn.qneuron` with the same attributes; the population is split
    into groups by `splits`, one group per entry of `cores`.
  }];
  let arguments = (ins SNN_ValuesType:$input, I64Attr:$v_bits,
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
                       DenseI64ArrayAttr:$cores, DenseI64ArrayAttr:$splits,
                       StrAttr:$name,
                       // Lava's LIF, as on snn.qneuron.
                       OptionalAttr<SNN_Overflow>:$i_overflow,
                       OptionalAttr<I64Attr>:$input_shift,
                       OptionalAttr<I64Attr>:$input_bits);
  let results = (outs SNN_Signal:$output);
  let assemblyFormat = [{
    $name $input `decay` `(` $decay `)` `rounding` `(` $rounding `)`
    `overflow` `(` $overflow `)` (`i_overflow` `(` $i_overflow^ `)`)?
    (`reset` `(` $reset^ `,` $reset_timing `)`)? (`fire` `(` $spike^ `)`)?
    attr-dict `:` type($input) `->` qualified(type($output))
  }];
}

def SNNHW_XyloOp : SNNHW_SlicedOp<"xylo"> {
  let summary = "a SynSense Xylo core: snn.xylo on one core";
  let description = [{
    Exactly `snn.xylo` (docs/semantics.md, "Xylo cores"; docs/xylo.md): `core`
    holds that op's attributes under their names. The input holds event
    counts per channel, the output one spike per output neuron. `device` is
    the Rockpool package of the target (`syns61201`, ...), which selects
    Rockpool's cycle model. One slice: `cores` has one entry.
  }];
  let arguments = (ins SNN_SpikesType:$input, DictionaryAttr:$core,
                       StrAttr:$device, DenseI64ArrayAttr:$cores,
                       DenseI64ArrayAttr:$splits, StrAttr:$name);
  let results = (outs SNN_SpikesType:$output);
  let assemblyFormat = [{
    $name $input `device` `(` $device `)` attr-dict `:`
    qualified(type($input)) `->` qualified(type($output))
  }];
}

def SNNHW_SumOp : SNNHW_Op<"sum", [Pure]> {
  let summary = "element-wise sum of integer signals (no narrowing)";
  let arguments = (ins Variadic<SNN_ValuesType>:$inputs, StrAttr:$name);
  let results = (outs SNN_ValuesType:$output);
  let assemblyFormat =
      "$name $inputs attr-dict `:` type($inputs) `->` qualified(type($output))";
}

def SNNHW_DelayOp : SNNHW_Op<"delay"> {
  let summary = "each element delayed by whole steps (one value or one each)";
  let arguments = (ins SNN_Signal:$input, DenseI64ArrayAttr:$steps,
                       StrAttr:$name);
  let results = (outs SNN_Signal:$output);
  let assemblyFormat =
      "$name $input attr-dict `:` type($input) `->` qualified(type($output))";
  let hasVerifier = 1;
}

def SNNHW_ReshapeOp : SNNHW_Op<"reshape", [Pure]> {
  let summary = "the same elements under another shape";
  let arguments = (ins SNN_Signal:$input, StrAttr:$name);
  let results = (outs SNN_Signal:$output);
  let assemblyFormat =
      "$name $input attr-dict `:` type($input) `->` qualified(type($output))";
  let hasVerifier = 1;
}

def SNNHW_RouteOp : SNNHW_Op<"route"> {
  let summary = "a routing-table entry: where a group's spikes go";
  let description = [{
    Spikes of slice `slice` of the op named `source` (or of the network
    input named so) leave core `from` (-1: the host port) for each core in
    `to`, `hops[k]` mesh hops away; `rate` is the expected number of spikes
    the slice sends per step, the figure placement weighed.
  }];
  let arguments = (ins StrAttr:$source, I64Attr:$slice, I64Attr:$from,
                       DenseI64ArrayAttr:$to, DenseI64ArrayAttr:$hops,
                       F64Attr:$rate);
  let assemblyFormat = "$source `[` $slice `]` `from` $from `to` $to attr-dict";
  let hasVerifier = 1;
}

#endif // SNNHW_OPS_TD

//===- SNNAttrs.td - snn neuron conventions ----------------*- tablegen -*-===//
//
// The conventions that NIR files leave implicit and that frameworks disagree
// on. Each neuron op carries the ones that apply to it; docs/semantics.md
// gives the equations under each choice.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_ATTRS_TD
#define SNN_ATTRS_TD

include "SNN/IR/SNNBase.td"
include "mlir/IR/EnumAttr.td"

def SNN_ResetMode : I32EnumAttr<"ResetMode", "what a spike does to the membrane", [
    I32EnumAttrCase<"Subtract", 0, "subtract">,
    I32EnumAttrCase<"ToValue", 1, "to_value">]> {
  let cppNamespace = "::snn";
}

def SNN_ResetTiming : I32EnumAttr<"ResetTiming", "when the reset takes effect", [
    I32EnumAttrCase<"SameStep", 0, "same_step">,
    I32EnumAttrCase<"NextStep", 1, "next_step">]> {
  let cppNamespace = "::snn";
}

def SNN_Integration : I32EnumAttr<"Integration",
    "how the continuous-time equations become a per-step update", [
    I32EnumAttrCase<"Euler", 0, "euler">,
    I32EnumAttrCase<"Exponential", 1, "exponential">]> {
  let cppNamespace = "::snn";
}

def SNN_SpikeCondition : I32EnumAttr<"SpikeCondition",
    "comparison of membrane and threshold that emits a spike", [
    I32EnumAttrCase<"Greater", 0, "gt">,
    I32EnumAttrCase<"GreaterEqual", 1, "ge">]> {
  let cppNamespace = "::snn";
}

//===----------------------------------------------------------------------===//
// Integer arithmetic of quantized ops (docs/quantization.md)
//===----------------------------------------------------------------------===//

def SNN_DecayArith : I32EnumAttr<"DecayArith", "how an integer state decays each step", [
    I32EnumAttrCase<"Multiply", 0, "multiply">,
    I32EnumAttrCase<"Shift", 1, "shift">]> {
  let cppNamespace = "::snn";
}

def SNN_Rounding : I32EnumAttr<"Rounding", "how a right shift rounds", [
    I32EnumAttrCase<"NearestEven", 0, "nearest_even">,
    I32EnumAttrCase<"HalfAway", 1, "half_away">,
    I32EnumAttrCase<"Floor", 2, "floor">,
    // Lava's decays: sign(x) * (|x| >> k).
    I32EnumAttrCase<"TowardZero", 3, "toward_zero">]> {
  let cppNamespace = "::snn";
}

def SNN_Overflow : I32EnumAttr<"Overflow",
    "what an integer result does when it leaves its width", [
    I32EnumAttrCase<"Saturate", 0, "saturate">,
    I32EnumAttrCase<"Wrap", 1, "wrap">,
    // Neuron states only, computed in an int32 register as Lava's LIF does
    // (docs/quantization.md): one correction by 2^bits, and a clamp to the
    // symmetric range.
    I32EnumAttrCase<"WrapOnce", 2, "wrap_once">,
    I32EnumAttrCase<"SaturateSymmetric", 3, "saturate_symmetric">]> {
  let cppNamespace = "::snn";
}

//===----------------------------------------------------------------------===//
// Attribute constraints for parameters
//===----------------------------------------------------------------------===//

// A dense tensor of floating-point numbers of any width (weights keep the
// precision the exporter wrote).
def SNN_FloatTensorAttr : ElementsAttrBase<
    CPred<"::llvm::isa<::mlir::DenseFPElementsAttr>($_self)">,
    "dense floating-point tensor"> {
  let storageType = "::mlir::DenseFPElementsAttr";
  let returnType = "::mlir::DenseFPElementsAttr";
  let convertFromStorage = "$_self";
}

// A per-neuron parameter: one f64 broadcast to every neuron, or one number
// per neuron (NIR writes both, NIR#176).
def SNN_ParamAttr : AnyAttrOf<[F64Attr, SNN_FloatTensorAttr]> {
  let summary = "f64 scalar or floating-point tensor";
}

// A dense tensor of integers of any width (quantized weights).
def SNN_IntTensorAttr : ElementsAttrBase<
    CPred<"::llvm::isa<::mlir::DenseIntElementsAttr>($_self)">,
    "dense integer tensor"> {
  let storageType = "::mlir::DenseIntElementsAttr";
  let returnType = "::mlir::DenseIntElementsAttr";
  let convertFromStorage = "$_self";
}

// A per-neuron integer parameter (delays in steps, quantized constants).
def SNN_IntParamAttr : AnyAttrOf<[I64Attr, I64ElementsAttr]> {
  let summary = "i64 scalar or i64 tensor";
}

#endif // SNN_ATTRS_TD

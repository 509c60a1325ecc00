//===- SNNHWEnums.td - enums of the snnhw dialect ----------*- tablegen -*-===//

#ifndef SNNHW_ENUMS_TD
#define SNNHW_ENUMS_TD

include "mlir/IR/EnumAttr.td"

def SNNHW_SynapseFormat : I32EnumAttr<"SynapseFormat",
    "how a core stores a synapse table", [
  I32EnumAttrCase<"dense", 0>,  // a run of weights per source, index implicit
  I32EnumAttrCase<"sparse", 1>  // (target index, weight) per synapse
]> {
  let cppNamespace = "::snn::hw";
}

#endif // SNNHW_ENUMS_TD

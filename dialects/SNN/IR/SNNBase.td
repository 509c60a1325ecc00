//===- SNNBase.td - snn dialect definition -----------------*- tablegen -*-===//
//
// The `snn` dialect: spiking neural networks as dataflow graphs of NIR-level
// primitives, with every numeric convention spelled out in the IR.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_BASE_TD
#define SNN_BASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def SNN_Dialect : Dialect {
  let name = "snn";
  let cppNamespace = "::snn";
  let summary = "Spiking neural networks at the level of NIR primitives";
  let description = [{
    A network is an `snn.network` symbol whose body is a graph region: one
    block of ops that may refer to each other in any order, so recurrent
    networks are written as they are drawn. Every op has a per-step meaning
    given in docs/semantics.md; neuron ops carry their reset mode, reset
    timing, integration method and spike condition as attributes, so nothing
    about a network's behaviour depends on a default hidden in a tool.

    Values flowing between ops are per-step signals: `!snn.spikes<shape>`
    (binary events) or `!snn.values<shape>` (real-valued currents, membranes
    or projections).
  }];
  let useDefaultTypePrinterParser = 1;
  let extraClassDeclaration = [{
    /// Adds the types; lives beside their storage in SNNTypes.cpp.
    void registerTypes();
  }];
}

#endif // SNN_BASE_TD

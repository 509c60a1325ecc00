//===- SNNTypes.td - snn signal types ----------------------*- tablegen -*-===//

#ifndef SNN_TYPES_TD
#define SNN_TYPES_TD

include "SNN/IR/SNNBase.td"

class SNN_SignalType<string name, string typeMnemonic, string doc>
    : TypeDef<SNN_Dialect, name> {
  let mnemonic = typeMnemonic;
  let summary = doc;
  let parameters = (ins ArrayRefParameter<"int64_t", "neuron shape">:$shape);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Number of neurons (elements) the signal carries each step.
    int64_t getNumNeurons() const;
  }];
}

def SNN_SpikesType : SNN_SignalType<"Spikes", "spikes",
    "binary events of a neuron population, one per neuron and step"> {
  let description = [{
    `!snn.spikes<12>` or `!snn.spikes<2x34x34>`: each step, every element is
    either a spike (1) or silence (0). Neuron ops that fire produce spikes;
    event-driven backends rely on this type to skip silent inputs.
  }];
}

def SNN_ValuesType : SNN_SignalType<"Values", "values",
    "real-valued per-step signal of a neuron population"> {
  let description = [{
    `!snn.values<38>`: each step, one real number per element (projection
    outputs, currents, membrane readouts of non-spiking neurons).
  }];
}

def SNN_Signal : AnyTypeOf<[SNN_SpikesType, SNN_ValuesType], "snn signal">;

#endif // SNN_TYPES_TD

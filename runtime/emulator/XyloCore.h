//===- XyloCore.h - a Xylo core of a chip image, step by step ---*- C++ -*-===//
//
// The emulator's form of an snn.xylo core (an image stage of kind Xylo): the
// table's weights and parameters laid out as runtime/embedded/snn_xylo.h's
// snn_xylo_net, stepped by snn_xylo_step, the same header the generated C
// and lib/Xylo's stepper call (xylosim's arithmetic; docs/xylo.md). Each
// step is charged with Rockpool's cycle model (emulator/XyloCycles.h) at the
// step's own activity. No MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_RUNTIME_EMULATOR_XYLOCORE_H
#define SNN_RUNTIME_EMULATOR_XYLOCORE_H

#include "embedded/snn_xylo_table.h"
#include "emulator/XyloCycles.h"
#include "image/snn_image_generated.h"

#include <cstdint>
#include <vector>

namespace snn::emu {

class XyloCore {
public:
  /// `table` was checked when its image loaded (image::checkXyloTable):
  /// `nIn` input channels, `nOut` output neurons.
  XyloCore(const image::Xylo &table, int64_t nIn, int64_t nOut);

  /// Zeroes every state.
  void reset();
  /// One step: `counts` holds the input event counts (clipped at 15 by the
  /// core), `out` receives the output spikes (0 or 1).
  void step(const std::vector<int64_t> &counts, std::vector<int64_t> &out);

  /// The output neurons' membranes and synaptic currents after the step.
  const std::vector<int64_t> &vmemOut() const { return vmemOutWide; }
  const std::vector<int64_t> &isynOut() const { return isynOutWide; }

  /// This step's activity: input events (after the clip), hidden spikes
  /// (counts, aliases included), synaptic additions, neuron updates.
  int64_t inputEvents() const { return stepInputEvents; }
  int64_t hiddenSpikes() const { return stepHiddenSpikes; }
  int64_t outputSpikes() const { return stepOutputSpikes; }
  int64_t synapticEvents() const { return stepSynapticEvents; }
  int64_t neuronUpdates() const { return nHid + nOutputs; }

  /// Rockpool's cycles_model at the activity `a` (1.0: its worst case).
  double cycles(const xylo::Activity &a) const;
  /// cycles_model at this step's activity: input events per channel and
  /// hidden spikes per hidden neuron as the spiking probabilities.
  double stepCycles() const;
  const xylo::CycleShape &shape() const { return cycleShape; }
  int64_t inputs() const { return nInputs; }
  int64_t hidden() const { return nHid; }
  int64_t outputs() const { return nOutputs; }
  /// Non-zero hidden-to-hidden weights (synapse 0), cycles_model's fan-out.
  int64_t recurrentSynapses() const { return recurrent; }

private:
  int64_t nInputs = 0, nIen = 0, nHid = 0, nOen = 0, nOutputs = 0, nSyn = 1;
  // snn_xylo_net's arrays (weights with nSyn synapses, the larger of the
  // table's input and recurrent synapse counts; the other padded with 0).
  xylo::NetTable net;
  // The state.
  xylo::StateTable state;
  std::vector<int32_t> input, output, scratch;
  std::vector<int64_t> vmemOutWide, isynOutWide;
  // Synapses per source, for counting synaptic events.
  std::vector<int64_t> inputFanOut, hiddenFanOut;
  int64_t recurrent = 0;
  xylo::CycleShape cycleShape;
  int64_t stepInputEvents = 0, stepHiddenSpikes = 0, stepOutputSpikes = 0,
          stepSynapticEvents = 0;
};

} // namespace snn::emu

#endif // SNN_RUNTIME_EMULATOR_XYLOCORE_H

//===- XyloStepper.h - run a Xylo specification on snn_xylo.h ---*- C++ -*-===//
//
// The reference stepper: a specification's values converted once to the
// hardware widths snn_xylo.h takes, then snn_xylo_step per time step. Input
// is event counts [steps][Nin]; output is spike counts [steps][Nout] and,
// when asked, the states XyloSim records (after the reset, spikes counting
// aliases).
//
//===----------------------------------------------------------------------===//

#ifndef SNN_XYLO_XYLOSTEPPER_H
#define SNN_XYLO_XYLOSTEPPER_H

#include "Xylo/XyloSpec.h"
#include "embedded/snn_xylo_table.h"

#include "llvm/Support/Error.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace snn::xylo {

/// What XyloSim records with record=True, each [steps][N] flattened.
struct Record {
  std::vector<int32_t> vmem, isyn, isyn2, spikes; // [steps][Nhid]
  std::vector<int32_t> vmemOut, isynOut;          // [steps][Nout]
};

class Stepper {
public:
  /// Fails (naming key and index) when a value does not fit the width the
  /// hardware stores it in: int8 weights, 4-bit dashes, int16 thresholds
  /// and biases, shifts 0..15, alias targets inside the hidden population.
  /// `version` is 1 or 2 (docs/xylo.md, v1's membrane order).
  static llvm::Expected<Stepper> create(const Spec &spec, int version);

  /// Runs `steps` steps from the zero state on `input` ([steps][Nin]; fewer
  /// steps if it holds fewer rows); returns [steps][Nout] output spike counts.
  std::vector<int32_t> run(const std::vector<int32_t> &input, int64_t steps,
                           Record *record = nullptr);

  int64_t numInputs() const { return net.nIn; }
  int64_t numOutputs() const { return net.nOut; }

private:
  // Dense, both synapses always present ([.][.][2]) as snn_xylo_step takes.
  NetTable net;
};

} // namespace snn::xylo

#endif // SNN_XYLO_XYLOSTEPPER_H

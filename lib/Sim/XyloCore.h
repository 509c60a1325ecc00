//===- XyloCore.h - snn.xylo in the fixed-point reference -------*- C++ -*-===//
//
// The golden model of an snn.xylo op (docs/semantics.md, "Xylo cores"),
// written from that page in 64-bit integers with explicit clamps, wraps and
// floor shifts, and sharing no code with runtime/embedded/snn_xylo.h: the
// generated C, the emulator and lib/Xylo's stepper call the header, so the
// tests that compare them with this model compare two implementations.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_SIM_XYLOCORE_H
#define SNN_SIM_XYLOCORE_H

#include "SNN/IR/SNNOps.h"

#include <Eigen/Dense>

#include <cstdint>
#include <vector>

namespace snn::sim {

class XyloCore {
public:
  using IntMatrix = Eigen::Matrix<int64_t, Eigen::Dynamic, Eigen::Dynamic>;

  /// The op's numbers, with each source's synapses listed in Rockpool's
  /// order (synapse-0 targets ascending, then synapse-1).
  explicit XyloCore(XyloOp op);

  /// Zeroes the state for `samples` independent runs.
  void reset(int64_t samples);
  /// One step: `counts` is [Nin x samples] input event counts (negative
  /// counts act as 0), `out` becomes [Nout x samples] output spikes.
  /// Returns how many additions saturated.
  int64_t step(const IntMatrix &counts, IntMatrix &out);

  /// The state after the step, as XyloSim records it.
  const IntMatrix &vmem() const { return vmemHid; }
  const IntMatrix &isyn(int s) const { return s == 0 ? isyn0 : isyn1; }
  const IntMatrix &spikes() const { return spk; }
  const IntMatrix &vmemOut() const { return vmemOutput; }
  const IntMatrix &isynOut() const { return isynOutput; }

private:
  struct Synapse {
    int64_t target, synapse, weight; // weight already shifted and narrowed
  };
  int version = 2;
  int64_t nIn = 0, nHid = 0, nOen = 0, nOut = 0;
  std::vector<std::vector<Synapse>> inputSyn, recSyn, outSyn;
  std::vector<int64_t> dashMem, dashSyn, dashSyn2, threshold, bias, alias;
  std::vector<int64_t> dashMemOut, dashSynOut, thresholdOut, biasOut;
  IntMatrix isyn0, isyn1, vmemHid, spk, isynOutput, vmemOutput;
  int64_t saturated = 0;

  int64_t neuron(int64_t *syn, const int64_t *dash, int nSyn, int64_t &v,
                 int64_t dashV, int64_t b, int64_t theta, int64_t n,
                 int64_t max);
  void addEvents(int64_t &state, int64_t weight, int64_t n);
};

} // namespace snn::sim

#endif // SNN_SIM_XYLOCORE_H

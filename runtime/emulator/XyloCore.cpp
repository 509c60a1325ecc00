//===- XyloCore.cpp - a Xylo core of a chip image, step by step -----------===//

#include "emulator/XyloCore.h"
#include "embedded/snn_xylo.h"

#include <algorithm>

namespace snn::emu {

namespace {

template <typename T, typename V>
std::vector<T> copyOf(const V *values, size_t n, T absent) {
  std::vector<T> out(n, absent);
  if (values)
    for (size_t k = 0; k < n && k < values->size(); ++k)
      out[k] = T(values->Get(k));
  return out;
}

/// A table's weights [rows][cols][syn] as [rows][cols][nSyn].
std::vector<int8_t> widen(const flatbuffers::Vector<int8_t> *w, int64_t rows,
                          int64_t cols, int64_t syn, int64_t nSyn) {
  std::vector<int8_t> out(size_t(rows * cols * nSyn), 0);
  if (!w)
    return out;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      for (int64_t s = 0; s < syn; ++s)
        out[size_t((r * cols + c) * nSyn + s)] =
            w->Get(flatbuffers::uoffset_t((r * cols + c) * syn + s));
  return out;
}

} // namespace

XyloCore::XyloCore(const image::Xylo &t, int64_t nIn, int64_t nOut)
    : nInputs(nIn), nIen(t.input_expansion()), nHid(t.hidden()),
      nOen(t.output_expansion()), nOutputs(nOut),
      nSyn(std::max(t.synapses_in(), t.synapses_rec())) {
  net.version = t.version();
  net.nIn = int32_t(nIn);
  net.nIen = int32_t(nIen);
  net.nHid = int32_t(nHid);
  net.nOen = int32_t(nOen);
  net.nOut = int32_t(nOut);
  net.nSyn = int32_t(nSyn);
  net.wIn = widen(t.weights_in(), nIn, nIen, t.synapses_in(), nSyn);
  net.wRec = widen(t.weights_rec(), nHid, nHid, t.synapses_rec(), nSyn);
  net.wOut = widen(t.weights_out(), nOen, nOut, 1, 1);
  size_t h = size_t(nHid), o = size_t(nOut);
  net.dashMem = copyOf<int32_t>(t.dash_mem(), h, 0);
  net.dashSyn = copyOf<int32_t>(t.dash_syn(), h, 0);
  net.dashSyn2 = copyOf<int32_t>(t.dash_syn_2(), h, 0);
  net.threshold = copyOf<int16_t>(t.threshold(), h, 0);
  net.bias = copyOf<int16_t>(t.bias(), h, 0);
  net.alias = copyOf<int32_t>(t.aliases(), h, SNN_XYLO_NO_ALIAS);
  net.dashMemOut = copyOf<int32_t>(t.dash_mem_out(), o, 0);
  net.dashSynOut = copyOf<int32_t>(t.dash_syn_out(), o, 0);
  net.thresholdOut = copyOf<int16_t>(t.threshold_out(), o, 0);
  net.biasOut = copyOf<int16_t>(t.bias_out(), o, 0);
  net.shiftIn = t.weight_shift_in();
  net.shiftRec = t.weight_shift_rec();
  net.shiftOut = t.weight_shift_out();
  const std::vector<int8_t> &wIn = net.wIn, &wRec = net.wRec, &wOut = net.wOut;

  inputFanOut.assign(size_t(nIn), 0);
  for (int64_t i = 0; i < nIn; ++i)
    for (int64_t k = 0; k < nIen * nSyn; ++k)
      inputFanOut[size_t(i)] += wIn[size_t(i * nIen * nSyn + k)] != 0;
  int64_t oen0 = nHid - nOen;
  hiddenFanOut.assign(h, 0);
  for (int64_t p = 0; p < nHid; ++p) {
    for (int64_t k = 0; k < nHid * nSyn; ++k)
      hiddenFanOut[size_t(p)] += wRec[size_t(p * nHid * nSyn + k)] != 0;
    if (p >= oen0)
      for (int64_t k = 0; k < nOut; ++k)
        hiddenFanOut[size_t(p)] += wOut[size_t((p - oen0) * nOut + k)] != 0;
  }
  int64_t aliased = 0;
  for (int32_t a : net.alias)
    aliased += a >= 0;
  const char *device = t.device() ? t.device()->c_str() : "";
  // config_from_specification (Audio 2): synapse2_enable when weights_in
  // and weights_rec both have a second synapse.
  bool whole = xylo::countsWholeCore(device);
  bool isyn2 = whole && t.synapses_in() == 2 && t.synapses_rec() == 2;
  // IMU and Audio 3 configure the first / last 128 hidden neurons
  // (syns63300/xylo_samna.py config_from_specification).
  cycleShape = xylo::cycleShape(
      whole, 128, nIn, nIen, nHid, nOen, nOut,
      [&](int64_t i, int64_t hh) { return wIn[size_t((i * nIen + hh) * nSyn)]; },
      [&](int64_t p, int64_t hh) { return wRec[size_t((p * nHid + hh) * nSyn)]; },
      [&](int64_t p, int64_t oo) { return wOut[size_t(p * nOut + oo)]; },
      aliased, isyn2);
  recurrent = int64_t(cycleShape.meanFanOut * double(nHid) + 0.5);
  reset();
}

void XyloCore::reset() {
  state.reset(net);
  input.assign(size_t(nInputs), 0);
  output.assign(size_t(nOutputs), 0);
  scratch.assign(size_t(nInputs), 0);
  vmemOutWide.assign(size_t(nOutputs), 0);
  isynOutWide.assign(size_t(nOutputs), 0);
  stepInputEvents = stepHiddenSpikes = stepOutputSpikes = 0;
  stepSynapticEvents = 0;
}

void XyloCore::step(const std::vector<int64_t> &counts,
                    std::vector<int64_t> &out) {
  stepInputEvents = stepSynapticEvents = 0;
  for (int64_t i = 0; i < nInputs; ++i) {
    // Counts beyond int32 are clipped at 15 all the same.
    int64_t c = std::min<int64_t>(std::max<int64_t>(counts[size_t(i)], 0),
                                  SNN_XYLO_MAX_INPUT_EVENTS);
    input[size_t(i)] = int32_t(c);
    stepInputEvents += c;
    stepSynapticEvents += c * inputFanOut[size_t(i)];
  }
  // The last step's hidden spikes reach their synapses in this one.
  for (int64_t p = 0; p < nHid; ++p)
    stepSynapticEvents +=
        int64_t(state.spk[size_t(p)]) * hiddenFanOut[size_t(p)];

  snn_xylo_net view = net.view();
  snn_xylo_state st = state.view();
  snn_xylo_step(&view, &st, input.data(), output.data(), scratch.data());

  stepHiddenSpikes = stepOutputSpikes = 0;
  for (int32_t n : state.spk)
    stepHiddenSpikes += n;
  for (int64_t o = 0; o < nOutputs; ++o) {
    out[size_t(o)] = output[size_t(o)];
    stepOutputSpikes += output[size_t(o)];
    vmemOutWide[size_t(o)] = state.vmemOut[size_t(o)];
    isynOutWide[size_t(o)] = state.isynOut[size_t(o)];
  }
}

double XyloCore::cycles(const xylo::Activity &a) const {
  return xylo::cyclesModel(cycleShape, a).total();
}

double XyloCore::stepCycles() const {
  xylo::Activity a;
  a.input = nInputs ? double(stepInputEvents) / double(nInputs) : 0;
  a.hidden = nHid ? double(stepHiddenSpikes) / double(nHid) : 0;
  a.output = nOutputs ? double(stepOutputSpikes) / double(nOutputs) : 0;
  return cycles(a);
}

} // namespace snn::emu

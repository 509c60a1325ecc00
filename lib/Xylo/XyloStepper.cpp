//===- XyloStepper.cpp - run a Xylo specification on snn_xylo.h -----------===//

#include "Xylo/XyloStepper.h"

#include "embedded/snn_xylo.h"

#include <algorithm>

namespace snn::xylo {

namespace {

/// [rows][cols][syn] int64 -> [rows][cols][2] int8.
std::vector<int8_t> widen2(const std::vector<int64_t> &w, int64_t rows,
                           int64_t cols, int64_t syn) {
  std::vector<int8_t> out(static_cast<size_t>(rows * cols * 2), 0);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      for (int64_t k = 0; k < syn; ++k)
        out[(r * cols + c) * 2 + k] =
            static_cast<int8_t>(w[(r * cols + c) * syn + k]);
  return out;
}

template <typename T> std::vector<T> narrow(const std::vector<int64_t> &v) {
  return std::vector<T>(v.begin(), v.end());
}

} // namespace

llvm::Expected<Stepper> Stepper::create(const Spec &s, int version) {
  std::string error = checkWidths(s);
  if (!error.empty())
    return llvm::createStringError(llvm::inconvertibleErrorCode(), error);
  if (version != 1 && version != 2)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "xylosim version " +
                                       std::to_string(version) +
                                       " is not 1 or 2");
  Stepper st;
  NetTable &n = st.net;
  n.version = version;
  n.nIn = static_cast<int32_t>(s.nIn);
  n.nIen = static_cast<int32_t>(s.nIen);
  n.nHid = static_cast<int32_t>(s.nHid);
  n.nOen = static_cast<int32_t>(s.nOen);
  n.nOut = static_cast<int32_t>(s.nOut);
  n.nSyn = 2;
  n.shiftIn = static_cast<int32_t>(s.weightShiftIn);
  n.shiftRec = static_cast<int32_t>(s.weightShiftRec);
  n.shiftOut = static_cast<int32_t>(s.weightShiftOut);
  n.wIn = widen2(s.weightsIn, s.nIn, s.nIen, s.synIn);
  n.wRec = widen2(s.weightsRec, s.nHid, s.nHid, s.synRec);
  n.wOut = narrow<int8_t>(s.weightsOut);
  n.dashMem = narrow<int32_t>(s.dashMem);
  n.dashSyn = narrow<int32_t>(s.dashSyn);
  n.dashSyn2 = narrow<int32_t>(s.dashSyn2);
  n.dashMemOut = narrow<int32_t>(s.dashMemOut);
  n.dashSynOut = narrow<int32_t>(s.dashSynOut);
  n.threshold = narrow<int16_t>(s.threshold);
  n.bias = narrow<int16_t>(s.bias);
  n.thresholdOut = narrow<int16_t>(s.thresholdOut);
  n.biasOut = narrow<int16_t>(s.biasOut);
  // The hardware uses only the first alias target (facts page, aliases).
  n.alias.assign(static_cast<size_t>(s.nHid), SNN_XYLO_NO_ALIAS);
  for (size_t h = 0; h < s.aliases.size(); ++h)
    if (!s.aliases[h].empty())
      n.alias[h] = static_cast<int32_t>(s.aliases[h][0]);
  return st;
}

std::vector<int32_t> Stepper::run(const std::vector<int32_t> &input,
                                  int64_t steps, Record *record) {
  snn_xylo_net view = net.view();

  // Never read past the input: at most the steps it holds.
  if (net.nIn > 0)
    steps = std::min<int64_t>(steps,
                              static_cast<int64_t>(input.size()) / net.nIn);
  steps = std::max<int64_t>(steps, 0);
  size_t h = static_cast<size_t>(net.nHid), o = static_cast<size_t>(net.nOut);
  StateTable st;
  st.reset(net);
  snn_xylo_state state = st.view();
  std::vector<int32_t> scratch(static_cast<size_t>(net.nIn), 0);
  std::vector<int32_t> out(static_cast<size_t>(steps) * o, 0);
  if (record)
    *record = Record();
  for (int64_t t = 0; t < steps; ++t) {
    snn_xylo_step(&view, &state, input.data() + t * net.nIn,
                  out.data() + t * o, scratch.data());
    if (!record)
      continue;
    for (size_t i = 0; i < h; ++i) {
      record->vmem.push_back(st.vmem[i]);
      record->isyn.push_back(st.isyn[2 * i]);
      record->isyn2.push_back(st.isyn[2 * i + 1]);
      record->spikes.push_back(st.spk[i]);
    }
    for (size_t i = 0; i < o; ++i) {
      record->vmemOut.push_back(st.vmemOut[i]);
      record->isynOut.push_back(st.isynOut[i]);
    }
  }
  return out;
}

} // namespace snn::xylo

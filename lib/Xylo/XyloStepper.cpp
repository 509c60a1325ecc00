//===- XyloStepper.cpp - run a Xylo specification on snn_xylo.h -----------===//

#include "Xylo/XyloStepper.h"

#include "snn_xylo.h"

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

std::optional<Stepper> Stepper::create(const Spec &s, int version,
                                       std::string &error) {
  error = checkWidths(s);
  if (!error.empty())
    return std::nullopt;
  if (version != 1 && version != 2) {
    error = "xylosim version " + std::to_string(version) + " is not 1 or 2";
    return std::nullopt;
  }
  Stepper st;
  st.version = version;
  st.nIn = s.nIn;
  st.nIen = s.nIen;
  st.nHid = s.nHid;
  st.nOen = s.nOen;
  st.nOut = s.nOut;
  st.shiftIn = static_cast<int32_t>(s.weightShiftIn);
  st.shiftRec = static_cast<int32_t>(s.weightShiftRec);
  st.shiftOut = static_cast<int32_t>(s.weightShiftOut);
  st.hasBias = s.hasBias();
  st.wIn = widen2(s.weightsIn, s.nIn, s.nIen, s.synIn);
  st.wRec = widen2(s.weightsRec, s.nHid, s.nHid, s.synRec);
  st.wOut = narrow<int8_t>(s.weightsOut);
  st.dashMem = narrow<int32_t>(s.dashMem);
  st.dashSyn = narrow<int32_t>(s.dashSyn);
  st.dashSyn2 = narrow<int32_t>(s.dashSyn2);
  st.dashMemOut = narrow<int32_t>(s.dashMemOut);
  st.dashSynOut = narrow<int32_t>(s.dashSynOut);
  st.threshold = narrow<int16_t>(s.threshold);
  st.bias = narrow<int16_t>(s.bias);
  st.thresholdOut = narrow<int16_t>(s.thresholdOut);
  st.biasOut = narrow<int16_t>(s.biasOut);
  // The hardware uses only the first alias target (facts page, aliases).
  st.alias.assign(static_cast<size_t>(s.nHid), SNN_XYLO_NO_ALIAS);
  for (size_t h = 0; h < s.aliases.size(); ++h)
    if (!s.aliases[h].empty())
      st.alias[h] = static_cast<int32_t>(s.aliases[h][0]);
  return st;
}

std::vector<int32_t> Stepper::run(const std::vector<int32_t> &input,
                                  int64_t steps, Record *record) {
  snn_xylo_net net{};
  net.version = version;
  net.n_in = static_cast<int32_t>(nIn);
  net.n_ien = static_cast<int32_t>(nIen);
  net.n_hid = static_cast<int32_t>(nHid);
  net.n_oen = static_cast<int32_t>(nOen);
  net.n_out = static_cast<int32_t>(nOut);
  net.n_syn = 2;
  net.w_in = wIn.data();
  net.w_rec = wRec.data();
  net.w_out = wOut.data();
  net.dash_mem = dashMem.data();
  net.dash_syn = dashSyn.data();
  net.dash_syn_2 = dashSyn2.data();
  net.dash_mem_out = dashMemOut.data();
  net.dash_syn_out = dashSynOut.data();
  net.threshold = threshold.data();
  net.bias = bias.data();
  net.threshold_out = thresholdOut.data();
  net.bias_out = biasOut.data();
  net.alias = alias.data();
  net.shift_in = shiftIn;
  net.shift_rec = shiftRec;
  net.shift_out = shiftOut;
  net.has_bias = hasBias;

  // Never read past the input: at most the steps it holds.
  if (nIn > 0)
    steps = std::min<int64_t>(steps, static_cast<int64_t>(input.size()) / nIn);
  steps = std::max<int64_t>(steps, 0);
  size_t h = static_cast<size_t>(nHid), o = static_cast<size_t>(nOut);
  std::vector<int16_t> isyn(2 * h, 0), vmem(h, 0), isynOut(o, 0), vmemOut(o, 0);
  std::vector<int32_t> spk(h, 0), scratch(static_cast<size_t>(nIn), 0);
  snn_xylo_state state{isyn.data(), vmem.data(), isynOut.data(), vmemOut.data(),
                       spk.data()};
  std::vector<int32_t> out(static_cast<size_t>(steps) * o, 0);
  if (record)
    *record = Record();
  for (int64_t t = 0; t < steps; ++t) {
    snn_xylo_step(&net, &state, input.data() + t * nIn, out.data() + t * o,
                  scratch.data());
    if (!record)
      continue;
    for (size_t i = 0; i < h; ++i) {
      record->vmem.push_back(vmem[i]);
      record->isyn.push_back(isyn[2 * i]);
      record->isyn2.push_back(isyn[2 * i + 1]);
      record->spikes.push_back(spk[i]);
    }
    for (size_t i = 0; i < o; ++i) {
      record->vmemOut.push_back(vmemOut[i]);
      record->isynOut.push_back(isynOut[i]);
    }
  }
  return out;
}

} // namespace snn::xylo

//===- snn_xylo_table.h - snn_xylo.h's network and state, owned -*- C++ -*-===//
//
// C++17, header-only, beside the C99 snn_xylo.h: the arrays snn_xylo_net and
// snn_xylo_state point to, held in vectors, and the one place that fills the
// C structs from them. The emulator's Xylo core, lib/Xylo's reference
// stepper and the hand-derived arithmetic tests build one of each, so that a
// field added to snn_xylo_net is filled in one place. No MLIR, no LLVM.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_RUNTIME_EMBEDDED_SNN_XYLO_TABLE_H
#define SNN_RUNTIME_EMBEDDED_SNN_XYLO_TABLE_H

#include "snn_xylo.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace snn::xylo {

/// A network for snn_xylo_step: weights dense [rows][cols][nSyn] (nSyn 1 or
/// 2 for weights_in and weights_rec), per-neuron arrays of nHid or nOut.
struct NetTable {
  int32_t version = SNN_XYLO_V2;
  int32_t nIn = 0, nIen = 0, nHid = 0, nOen = 0, nOut = 0, nSyn = 1;
  std::vector<int8_t> wIn, wRec, wOut;
  std::vector<int32_t> dashMem, dashSyn, dashSyn2; // [nHid]
  std::vector<int32_t> dashMemOut, dashSynOut;     // [nOut]
  std::vector<int16_t> threshold, bias;            // [nHid]
  std::vector<int16_t> thresholdOut, biasOut;      // [nOut]
  std::vector<int32_t> alias;                      // [nHid], SNN_XYLO_NO_ALIAS
  int32_t shiftIn = 0, shiftRec = 0, shiftOut = 0;

  /// Every array sized for the counts above, zero (no alias, dash 0,
  /// threshold 0, bias 0: from_specification's defaults).
  void allocate() {
    size_t h = size_t(nHid), o = size_t(nOut);
    wIn.assign(size_t(nIn) * size_t(nIen) * size_t(nSyn), 0);
    wRec.assign(h * h * size_t(nSyn), 0);
    wOut.assign(size_t(nOen) * o, 0);
    for (auto *v : {&dashMem, &dashSyn, &dashSyn2})
      v->assign(h, 0);
    for (auto *v : {&dashMemOut, &dashSynOut})
      v->assign(o, 0);
    for (auto *v : {&threshold, &bias})
      v->assign(h, 0);
    for (auto *v : {&thresholdOut, &biasOut})
      v->assign(o, 0);
    alias.assign(h, SNN_XYLO_NO_ALIAS);
  }

  /// xylo_sim.py's has_bias: any bias or bias_out non-zero.
  bool hasBias() const {
    auto any = [](const std::vector<int16_t> &v) {
      return std::any_of(v.begin(), v.end(), [](int16_t x) { return x != 0; });
    };
    return any(bias) || any(biasOut);
  }

  /// The C struct over these arrays; valid while the table is neither
  /// resized nor destroyed.
  snn_xylo_net view() const {
    snn_xylo_net net{};
    net.version = version;
    net.n_in = nIn;
    net.n_ien = nIen;
    net.n_hid = nHid;
    net.n_oen = nOen;
    net.n_out = nOut;
    net.n_syn = nSyn;
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
    net.has_bias = hasBias() ? 1 : 0;
    return net;
  }
};

/// A network's state for snn_xylo_step: two synaptic states per hidden
/// neuron ([nHid][2]), membranes, the last step's spike counts.
struct StateTable {
  std::vector<int16_t> isyn, vmem, isynOut, vmemOut;
  std::vector<int32_t> spk;

  /// The zero state of `net`.
  void reset(const NetTable &net) {
    size_t h = size_t(net.nHid), o = size_t(net.nOut);
    isyn.assign(2 * h, 0);
    vmem.assign(h, 0);
    isynOut.assign(o, 0);
    vmemOut.assign(o, 0);
    spk.assign(h, 0);
  }

  /// The C struct over these arrays (valid as NetTable::view's).
  snn_xylo_state view() {
    return snn_xylo_state{isyn.data(), vmem.data(), isynOut.data(),
                          vmemOut.data(), spk.data()};
  }
};

} // namespace snn::xylo

#endif // SNN_RUNTIME_EMBEDDED_SNN_XYLO_TABLE_H

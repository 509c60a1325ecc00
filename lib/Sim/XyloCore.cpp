//===- XyloCore.cpp - snn.xylo in the fixed-point reference ---------------===//
//
// Each rule of docs/semantics.md ("Xylo cores") in the order that page gives
// it. Arithmetic is in int64, where no intermediate here can overflow, and
// every narrowing to 16 bits is spelled out: clamp16 for xylosim's
// saturating adds, wrap16 for its two's-complement casts.
//
//===----------------------------------------------------------------------===//

#include "Sim/XyloCore.h"
#include "SNN/IR/SNNParams.h"

#include <algorithm>

using namespace mlir;

namespace snn::sim {

namespace {

constexpr int64_t kMaxInputEvents = 15, kMaxHiddenSpikes = 31,
                  kMaxOutputSpikes = 1;

int64_t clamp16(int64_t x) {
  return std::min<int64_t>(std::max<int64_t>(x, -32768), 32767);
}

int64_t wrap16(int64_t x) {
  int64_t m = ((x % 65536) + 65536) % 65536;
  return m >= 32768 ? m - 65536 : m;
}

/// floor(x / 2^d), written without relying on >> of negative numbers.
int64_t floorShift(int64_t x, int64_t d) {
  int64_t p = int64_t(1) << d;
  int64_t q = x / p;
  return (x % p != 0 && x < 0) ? q - 1 : q;
}

/// The decrement: x >> d, or the sign of x when that is 0.
int64_t leak(int64_t x, int64_t d) {
  int64_t k = floorShift(x, d);
  if (k == 0)
    k = (x > 0) - (x < 0);
  return k;
}

std::vector<int64_t> expand(Attribute attr, int64_t n) {
  return attr ? IntParam(attr).expand(n) : std::vector<int64_t>(n, 0);
}

} // namespace

XyloCore::XyloCore(XyloOp op) {
  version = static_cast<int>(op.getVersion());
  nIn = getSignalSize(op.getInput());
  nHid = op.getNumHidden();
  nOen = op.getNumOutputExpansion();
  nOut = getSignalSize(op.getType());
  int64_t nIen = op.getNumInputExpansion();
  int64_t synIn = op.getInputSynapses(), synRec = op.getRecurrentSynapses();

  auto lists = [](DenseIntElementsAttr w, int64_t rows, int64_t cols,
                  int64_t syn, int64_t shift, int64_t colOffset) {
    std::vector<std::vector<Synapse>> out(static_cast<size_t>(rows));
    std::vector<int64_t> flat;
    if (w.isSplat()) {
      int64_t v = w.getSplatValue<APInt>().getSExtValue();
      if (v == 0)
        return out;
      flat.assign(static_cast<size_t>(rows * cols * syn), v);
    } else {
      flat = intValues(w);
    }
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t s = 0; s < syn; ++s)
        for (int64_t c = 0; c < cols; ++c) {
          int64_t v = flat[(r * cols + c) * syn + s];
          if (v != 0)
            out[r].push_back({c + colOffset, s, wrap16(v * (int64_t(1) << shift))});
        }
    return out;
  };
  inputSyn = lists(op.getWeightsIn(), nIn, nIen, synIn, op.getWeightShiftIn(),
                   0);
  recSyn = lists(op.getWeightsRec(), nHid, nHid, synRec,
                 op.getWeightShiftRec(), 0);
  outSyn = lists(op.getWeightsOut(), nOen, nOut, 1, op.getWeightShiftOut(), 0);

  dashMem = expand(op.getDashMemAttr(), nHid);
  dashSyn = expand(op.getDashSynAttr(), nHid);
  dashSyn2 = expand(op.getDashSyn_2Attr(), nHid);
  threshold = expand(op.getThresholdAttr(), nHid);
  bias = expand(op.getBiasAttr(), nHid);
  dashMemOut = expand(op.getDashMemOutAttr(), nOut);
  dashSynOut = expand(op.getDashSynOutAttr(), nOut);
  thresholdOut = expand(op.getThresholdOutAttr(), nOut);
  biasOut = expand(op.getBiasOutAttr(), nOut);
  alias.assign(static_cast<size_t>(nHid), -1);
  if (auto a = op.getAliasesAttr())
    alias.assign(a.asArrayRef().begin(), a.asArrayRef().end());
  reset(1);
}

void XyloCore::reset(int64_t samples) {
  isyn0 = IntMatrix::Zero(nHid, samples);
  isyn1 = IntMatrix::Zero(nHid, samples);
  vmemHid = IntMatrix::Zero(nHid, samples);
  spk = IntMatrix::Zero(nHid, samples);
  isynOutput = IntMatrix::Zero(nOut, samples);
  vmemOutput = IntMatrix::Zero(nOut, samples);
}

void XyloCore::addEvents(int64_t &state, int64_t weight, int64_t n) {
  for (int64_t k = 0; k < n; ++k) {
    int64_t sum = state + weight;
    state = clamp16(sum);
    saturated += state != sum;
  }
}

int64_t XyloCore::neuron(int64_t *syn, const int64_t *dash, int nSyn,
                         int64_t &v, int64_t dashV, int64_t b, int64_t theta,
                         int64_t n, int64_t max) {
  int64_t current = 0;
  for (int s = 0; s < nSyn; ++s) {
    syn[s] -= leak(syn[s], dash[s]);
    current += syn[s];
  }
  int64_t before;
  if (version == 1) {
    v -= leak(v, dashV);
    before = v + current;
    v = clamp16(before);
    saturated += v != before;
  } else {
    int64_t dv = wrap16(-leak(v, dashV));
    dv = clamp16(dv + current);
    dv = clamp16(dv + b);
    before = v + dv;
    v = clamp16(before);
    saturated += v != before;
  }
  while (v >= theta && n < max) {
    ++n;
    v = wrap16(v - theta);
  }
  return n;
}

int64_t XyloCore::step(const IntMatrix &counts, IntMatrix &out) {
  saturated = 0;
  int64_t samples = spk.cols();
  out = IntMatrix::Zero(nOut, samples);
  int64_t oen0 = nHid - nOen;
  for (int64_t b = 0; b < samples; ++b) {
    auto state = [&](int64_t h, int64_t s) -> int64_t & {
      return s == 0 ? isyn0(h, b) : isyn1(h, b);
    };
    // 1. input events, 2. recurrent spikes of the last step, 3. readout.
    for (int64_t i = 0; i < nIn; ++i) {
      int64_t n = std::min(std::max<int64_t>(counts(i, b), 0), kMaxInputEvents);
      for (const Synapse &syn : inputSyn[i])
        addEvents(state(syn.target, syn.synapse), syn.weight, n);
    }
    for (int64_t p = 0; p < nHid; ++p)
      for (const Synapse &syn : recSyn[p])
        addEvents(state(syn.target, syn.synapse), syn.weight,
                  std::min(spk(p, b), kMaxHiddenSpikes));
    for (int64_t r = 0; r < nOen; ++r)
      for (const Synapse &syn : outSyn[r])
        addEvents(isynOutput(syn.target, b), syn.weight, spk(oen0 + r, b));
    // 4. clear, 5. hidden neurons in order with their aliases.
    spk.col(b).setZero();
    for (int64_t h = 0; h < nHid; ++h) {
      int64_t syn[2] = {isyn0(h, b), isyn1(h, b)};
      int64_t dash[2] = {dashSyn[h], dashSyn2[h]};
      int64_t n = neuron(syn, dash, 2, vmemHid(h, b), dashMem[h], bias[h],
                         threshold[h], spk(h, b), kMaxHiddenSpikes);
      isyn0(h, b) = syn[0];
      isyn1(h, b) = syn[1];
      spk(h, b) = n;
      if (alias[h] >= 0)
        spk(alias[h], b) = std::min(spk(alias[h], b) + n, kMaxHiddenSpikes);
    }
    // 6. output neurons.
    for (int64_t o = 0; o < nOut; ++o) {
      int64_t syn[1] = {isynOutput(o, b)};
      int64_t dash[1] = {dashSynOut[o]};
      out(o, b) = neuron(syn, dash, 1, vmemOutput(o, b), dashMemOut[o],
                         biasOut[o], thresholdOut[o], 0, kMaxOutputSpikes);
      isynOutput(o, b) = syn[0];
    }
  }
  return saturated;
}

} // namespace snn::sim

//===- XyloTable.cpp - checks on an image's Xylo core table ---------------===//

#include "image/XyloTable.h"

namespace snn::image {

namespace {

struct XyloChecker {
  const Xylo &t;
  const std::string &where;
  std::string &error;

  bool fail(const std::string &message) {
    error = where + ": " + message;
    return false;
  }

  template <typename V>
  bool sized(const V *values, int64_t n, const char *field) {
    int64_t count = values ? int64_t(values->size()) : 0;
    if (count == n)
      return true;
    return fail("Xylo field '" + std::string(field) + "' has " +
                std::to_string(count) + " values; it needs " +
                std::to_string(n));
  }

  template <typename V>
  bool within(const V *values, int64_t lo, int64_t hi, const char *field) {
    if (!values)
      return true;
    for (size_t k = 0; k < values->size(); ++k) {
      int64_t v = int64_t(values->Get(flatbuffers::uoffset_t(k)));
      if (v < lo || v > hi)
        return fail("Xylo field '" + std::string(field) + "'[" +
                    std::to_string(k) + "] = " + std::to_string(v) +
                    " is outside [" + std::to_string(lo) + ", " +
                    std::to_string(hi) + "]");
    }
    return true;
  }

  bool range(int64_t v, int64_t lo, int64_t hi, const char *field) {
    if (v >= lo && v <= hi)
      return true;
    return fail("Xylo field '" + std::string(field) + "' is " +
                std::to_string(v) + ", outside [" + std::to_string(lo) + ", " +
                std::to_string(hi) + "]");
  }

  bool run(int64_t nIn, int64_t nOut);
};

bool XyloChecker::run(int64_t nIn, int64_t nOut) {
  int64_t nHid = t.hidden();
  if (!range(t.version(), 1, 2, "version") ||
      !range(nHid, 1, kMaxXyloHidden, "hidden") ||
      !range(t.input_expansion(), 0, nHid, "input_expansion") ||
      !range(t.output_expansion(), 0, nHid, "output_expansion") ||
      !range(t.synapses_in(), 1, 2, "synapses_in") ||
      !range(t.synapses_rec(), 1, 2, "synapses_rec") ||
      !range(t.weight_shift_in(), 0, 15, "weight_shift_in") ||
      !range(t.weight_shift_rec(), 0, 15, "weight_shift_rec") ||
      !range(t.weight_shift_out(), 0, 15, "weight_shift_out"))
    return false;
  if (nIn > kMaxXyloHidden || nOut > kMaxXyloHidden)
    return fail("a Xylo core reads at most " + std::to_string(kMaxXyloHidden) +
                " input channels and has at most as many output neurons");
  int64_t in = nIn * t.input_expansion() * t.synapses_in();
  int64_t rec = nHid * nHid * t.synapses_rec();
  if (in > kMaxXyloWeights || rec > kMaxXyloWeights)
    return fail("a Xylo weight array holds more than 2^25 values");
  return sized(t.weights_in(), in, "weights_in") &&
         sized(t.weights_rec(), rec, "weights_rec") &&
         sized(t.weights_out(), t.output_expansion() * nOut, "weights_out") &&
         sized(t.dash_mem(), nHid, "dash_mem") &&
         sized(t.dash_syn(), nHid, "dash_syn") &&
         sized(t.dash_syn_2(), nHid, "dash_syn_2") &&
         sized(t.threshold(), nHid, "threshold") &&
         sized(t.bias(), nHid, "bias") &&
         sized(t.aliases(), nHid, "aliases") &&
         sized(t.dash_mem_out(), nOut, "dash_mem_out") &&
         sized(t.dash_syn_out(), nOut, "dash_syn_out") &&
         sized(t.threshold_out(), nOut, "threshold_out") &&
         sized(t.bias_out(), nOut, "bias_out") &&
         within(t.dash_mem(), 0, 15, "dash_mem") &&
         within(t.dash_syn(), 0, 15, "dash_syn") &&
         within(t.dash_syn_2(), 0, 15, "dash_syn_2") &&
         within(t.dash_mem_out(), 0, 15, "dash_mem_out") &&
         within(t.dash_syn_out(), 0, 15, "dash_syn_out") &&
         within(t.aliases(), -1, nHid - 1, "aliases") &&
         (t.version() == 2 || (within(t.bias(), 0, 0, "bias") &&
                               within(t.bias_out(), 0, 0, "bias_out")));
}

} // namespace

bool checkXyloTable(const Stage &s, int64_t inputs, int64_t outputs,
                    const std::string &where, std::string &error) {
  if (!s.xylo()) {
    error = where + ": has no Xylo table";
    return false;
  }
  return XyloChecker{*s.xylo(), where, error}.run(inputs, outputs);
}

} // namespace snn::image

//===- XyloSpec.cpp - Xylo devices and specification checks ---------------===//
//
// The limits are those of docs/xylo.md ("Limits"): the mappers' defaults
// (syns61201/xylo_mapper.py max_hidden_neurons=1000, max_output_neurons=8;
// syns63300/xylo_mapper.py 496, 16; syns65302/xylo_mapper.py 992, 32), the
// 16 input channels of every mapper's le_16_input_channels, the 128 input
// and output expansion neurons of syns63300/xylo_samna.py
// config_from_specification (which keeps only the first 128 / last 128),
// its refusal of a second synapse, and the fan-out figures of the devices'
// documentation as given on the facts page.
//
//===----------------------------------------------------------------------===//

#include "Xylo/XyloSpec.h"

#include <cmath>
#include <string>

namespace snn::xylo {

namespace {

// Recurrent weight memory: mean fan-out x hidden neurons (IMU: 64 x 496 =
// 31 744, which its documentation states; Audio 2 and 3: (32 + 32) x N).
const DeviceLimits kDevices[] = {
    {Device::Audio2, "xylo-audio2", "Xylo Audio 2 (syns61201)", 2, 16, 1000, 8,
     2, 1000, 1000, 64, 64 * 1000, true},
    {Device::Imu, "xylo-imu", "Xylo IMU (syns63300)", 2, 16, 496, 16, 1, 128,
     128, 512, 31744, true},
    {Device::Audio3, "xylo-audio3", "Xylo Audio 3 (syns65302)", 2, 16, 992, 32,
     1, 128, 128, 1024, 64 * 992, true},
    {Device::CoreV1, "xylo-v1", "Xylo core v1 (syns61300)", 1, 16, 1000, 8, 2,
     1000, 1000, 64, 64 * 1000, false},
};

std::string index(const std::string &key, std::vector<int64_t> idx) {
  if (idx.empty())
    return key;
  std::string s = key + "[";
  for (size_t i = 0; i < idx.size(); ++i)
    s += (i ? ", " : "") + std::to_string(idx[i]);
  return s + "]";
}

std::string range(int64_t lo, int64_t hi) {
  return "[" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
}

/// Collects violations, at most a few per key so that a wholly wrong array
/// does not produce a million lines.
class Checker {
public:
  Checker(const DeviceLimits &dev) : dev(dev) {}

  void fail(const std::string &message) {
    errors.push_back(std::string(dev.name) + ": " + message);
  }

  /// Every element of a flat array with `shape` inside [lo, hi].
  void values(const std::string &key, const std::vector<int64_t> &v,
              const std::vector<int64_t> &shape, int64_t lo, int64_t hi,
              const std::string &what) {
    int reported = 0;
    for (size_t k = 0; k < v.size(); ++k) {
      if (v[k] >= lo && v[k] <= hi)
        continue;
      if (++reported > kPerKey) {
        fail(key + ": more values outside " + what + " " + range(lo, hi));
        return;
      }
      std::vector<int64_t> idx(shape.size());
      int64_t rest = static_cast<int64_t>(k);
      for (size_t d = shape.size(); d-- > 0;) {
        idx[d] = shape[d] ? rest % shape[d] : 0;
        rest = shape[d] ? rest / shape[d] : 0;
      }
      fail(index(key, idx) + " = " + std::to_string(v[k]) + " is outside " +
           what + " " + range(lo, hi));
    }
  }

  void size(const std::string &what, int64_t n, int64_t max,
            const std::string &fix) {
    if (n > max)
      fail(what + ": " + std::to_string(n) + " > " + std::to_string(max) +
           " (" + dev.title + " has " + std::to_string(max) + "); " + fix);
  }

  static constexpr int kPerKey = 8;
  const DeviceLimits &dev;
  std::vector<std::string> errors;
};

void checkSizes(const Spec &s, Checker &c) {
  const DeviceLimits &d = c.dev;
  c.size("input channels (weights_in.shape[0])", s.nIn, d.maxInputs,
         "merge input channels");
  c.size("hidden neurons (weights_rec.shape[0])", s.nHid, d.maxHidden,
         "use fewer hidden neurons");
  c.size("output neurons (weights_out.shape[1])", s.nOut, d.maxOutputs,
         "use fewer output channels");
  c.size("input expansion neurons (weights_in.shape[1])", s.nIen, d.maxIen,
         "let the input layer reach only the first " +
             std::to_string(d.maxIen) + " hidden neurons");
  c.size("output expansion neurons (weights_out.shape[0])", s.nOen, d.maxOen,
         "read out only from the last " + std::to_string(d.maxOen) +
             " hidden neurons");
  // syns61201/xylo_samna.py config_from_specification takes Nhidden from
  // weights_out.shape[0]: every hidden neuron has a readout row.
  if (d.maxOen == d.maxHidden && s.nOen != s.nHid)
    c.fail("weights_out has " + std::to_string(s.nOen) + " rows but " +
           std::string(d.title) + " needs one per hidden neuron (" +
           std::to_string(s.nHid) + "); pad weights_out with zero rows");
}

/// A second synapse where the device has one (or writes only synapse 0).
void checkSecondSynapse(const Spec &s, Checker &c) {
  if (c.dev.synapses >= 2)
    return;
  auto check = [&](const std::string &key, const std::vector<int64_t> &w,
                   int64_t rows, int64_t cols, int64_t syn) {
    if (syn < 2)
      return;
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t k = 0; k < cols; ++k)
        if (w[(r * cols + k) * 2 + 1] != 0) {
          c.fail(index(key, {r, k, 1}) + " = " +
                 std::to_string(w[(r * cols + k) * 2 + 1]) + ": " +
                 c.dev.title +
                 " configures one synapse per hidden neuron; put every "
                 "weight on synapse 0");
          return;
        }
  };
  check("weights_in", s.weightsIn, s.nIn, s.nIen, s.synIn);
  check("weights_rec", s.weightsRec, s.nHid, s.nHid, s.synRec);
}

void checkFanOut(const Spec &s, Checker &c) {
  int64_t total = 0;
  int reported = 0;
  for (int64_t p = 0; p < s.nHid; ++p) {
    int64_t fan = 0;
    for (int64_t h = 0; h < s.nHid; ++h)
      for (int64_t k = 0; k < s.synRec; ++k)
        fan += s.wrec(p, h, k) != 0;
    total += fan;
    if (fan > c.dev.maxFanOut && ++reported <= Checker::kPerKey)
      c.fail("weights_rec[" + std::to_string(p) + "]: fan-out " +
             std::to_string(fan) + " > " + std::to_string(c.dev.maxFanOut) +
             " (" + c.dev.title + " allows " + std::to_string(c.dev.maxFanOut) +
             " recurrent weights per neuron); prune its recurrent weights");
  }
  if (total > c.dev.maxRecurrentWeights)
    c.fail("weights_rec: " + std::to_string(total) + " non-zero weights > " +
           std::to_string(c.dev.maxRecurrentWeights) + " (" + c.dev.title +
           "'s recurrent weight memory); prune");
}

void checkAliases(const Spec &s, Checker &c) {
  for (size_t h = 0; h < s.aliases.size(); ++h) {
    const auto &a = s.aliases[h];
    std::string key = "aliases[" + std::to_string(h) + "]";
    if (a.size() > 1)
      c.fail(key + " has " + std::to_string(a.size()) +
             " targets: Xylo uses one alias target per neuron");
    for (size_t k = 0; k < a.size(); ++k)
      if (a[k] < 0 || a[k] >= s.nHid)
        c.fail(key + "[" + std::to_string(k) + "] = " + std::to_string(a[k]) +
               " is not a hidden neuron " + range(0, s.nHid - 1));
  }
}

} // namespace

const DeviceLimits &limits(Device device) {
  for (const DeviceLimits &d : kDevices)
    if (d.device == device)
      return d;
  return kDevices[0];
}

std::optional<Device> parseDevice(const std::string &name) {
  static const char *packages[] = {"syns61201", "syns63300", "syns65302",
                                   "syns61300"};
  for (size_t i = 0; i < 4; ++i)
    if (name == kDevices[i].name || name == packages[i])
      return kDevices[i].device;
  return std::nullopt;
}

bool Spec::hasBias() const {
  for (int64_t b : bias)
    if (b != 0)
      return true;
  for (int64_t b : biasOut)
    if (b != 0)
      return true;
  return false;
}

Spec makeSpec(int64_t nIn, int64_t nHid, int64_t nOut, int64_t synapses) {
  Spec s;
  s.nIn = nIn;
  s.nIen = s.nHid = s.nOen = nHid;
  s.nOut = nOut;
  s.synIn = s.synRec = synapses;
  s.in3d = s.rec3d = synapses == 2;
  size_t h = static_cast<size_t>(nHid), o = static_cast<size_t>(nOut);
  s.weightsIn.assign(static_cast<size_t>(nIn) * h * synapses, 0);
  s.weightsRec.assign(h * h * synapses, 0);
  s.weightsOut.assign(h * o, 0);
  for (auto *v : {&s.dashMem, &s.dashSyn, &s.dashSyn2, &s.threshold, &s.bias})
    v->assign(h, 0);
  for (auto *v : {&s.dashMemOut, &s.dashSynOut, &s.thresholdOut, &s.biasOut})
    v->assign(o, 0);
  s.aliases.assign(h, {});
  return s;
}

std::string checkShapes(const Spec &s) {
  auto n = [](const std::vector<int64_t> &v) {
    return static_cast<int64_t>(v.size());
  };
  if (s.nIen > s.nHid)
    return "weights_in has " + std::to_string(s.nIen) +
           " columns but there are " + std::to_string(s.nHid) +
           " hidden neurons (weights_rec.shape[0])";
  if (s.nOen > s.nHid)
    return "weights_out has " + std::to_string(s.nOen) +
           " rows but there are " + std::to_string(s.nHid) +
           " hidden neurons (weights_rec.shape[0])";
  if (n(s.weightsIn) != s.nIn * s.nIen * s.synIn ||
      n(s.weightsRec) != s.nHid * s.nHid * s.synRec ||
      n(s.weightsOut) != s.nOen * s.nOut)
    return "weight arrays do not match their shapes";
  struct Vec {
    const char *key;
    const std::vector<int64_t> &v;
    int64_t n;
  } vecs[] = {{"dash_mem", s.dashMem, s.nHid},
              {"dash_syn", s.dashSyn, s.nHid},
              {"dash_syn_2", s.dashSyn2, s.nHid},
              {"threshold", s.threshold, s.nHid},
              {"bias", s.bias, s.nHid},
              {"dash_mem_out", s.dashMemOut, s.nOut},
              {"dash_syn_out", s.dashSynOut, s.nOut},
              {"threshold_out", s.thresholdOut, s.nOut},
              {"bias_out", s.biasOut, s.nOut}};
  for (const Vec &v : vecs)
    if (n(v.v) != v.n)
      return std::string(v.key) + " has " + std::to_string(n(v.v)) +
             " entries but needs " + std::to_string(v.n);
  if (static_cast<int64_t>(s.aliases.size()) != s.nHid)
    return "aliases has " + std::to_string(s.aliases.size()) +
           " lists but needs one per hidden neuron (" + std::to_string(s.nHid) +
           ")";
  return "";
}

std::vector<std::string> validate(const Spec &s, Device device) {
  Checker c(limits(device));
  std::string shapes = checkShapes(s);
  if (!shapes.empty()) {
    c.fail(shapes);
    return c.errors;
  }
  checkSizes(s, c);
  // Indices as the file stores them: rank 2 or 3.
  std::vector<int64_t> inShape{s.nIn, s.nIen}, recShape{s.nHid, s.nHid};
  if (s.in3d)
    inShape.push_back(s.synIn);
  if (s.rec3d)
    recShape.push_back(s.synRec);
  c.values("weights_in", s.weightsIn, inShape, -128, 127, "int8");
  c.values("weights_rec", s.weightsRec, recShape, -128, 127, "int8");
  c.values("weights_out", s.weightsOut, {s.nOen, s.nOut}, -128, 127, "int8");
  for (auto [key, v] : {std::pair<const char *, const std::vector<int64_t> *>{
                            "dash_mem", &s.dashMem},
                        {"dash_syn", &s.dashSyn},
                        {"dash_syn_2", &s.dashSyn2},
                        {"dash_mem_out", &s.dashMemOut},
                        {"dash_syn_out", &s.dashSynOut}})
    c.values(key, *v, {static_cast<int64_t>(v->size())}, 0, 15, "4 bits");
  for (auto [key, v] : {std::pair<const char *, const std::vector<int64_t> *>{
                            "threshold", &s.threshold},
                        {"threshold_out", &s.thresholdOut},
                        {"bias", &s.bias},
                        {"bias_out", &s.biasOut}})
    c.values(key, *v, {static_cast<int64_t>(v->size())}, -32768, 32767,
             "int16");
  c.values("weight_shift_in", {s.weightShiftIn}, {}, 0, 7, "3 bits");
  c.values("weight_shift_rec", {s.weightShiftRec}, {}, 0, 7, "3 bits");
  c.values("weight_shift_out", {s.weightShiftOut}, {}, 0, 7, "3 bits");
  if (!c.dev.hasBias && s.hasBias())
    c.fail(std::string("bias / bias_out: ") + c.dev.title +
           " has no bias; set them to 0");
  if (!(s.dt > 0) || !std::isfinite(s.dt))
    c.fail("dt = " + std::to_string(s.dt) + " is not a positive time");
  checkSecondSynapse(s, c);
  checkFanOut(s, c);
  checkAliases(s, c);
  return c.errors;
}

namespace {

/// The first value of `v` outside [lo, hi], as "key[i] = v", or "".
std::string outside(const char *key, const std::vector<int64_t> &v, int64_t lo,
                    int64_t hi) {
  for (size_t i = 0; i < v.size(); ++i)
    if (v[i] < lo || v[i] > hi)
      return std::string(key) + "[" + std::to_string(i) +
             "] (flat index) = " + std::to_string(v[i]) + " is outside [" +
             std::to_string(lo) + ", " + std::to_string(hi) + "]";
  return "";
}

} // namespace

std::string checkWidths(const Spec &s) {
  std::string e = checkShapes(s);
  if (!e.empty())
    return e;
  struct Range {
    const char *key;
    const std::vector<int64_t> &v;
    int64_t lo, hi;
  } ranges[] = {{"weights_in", s.weightsIn, -128, 127},
                {"weights_rec", s.weightsRec, -128, 127},
                {"weights_out", s.weightsOut, -128, 127},
                {"dash_mem", s.dashMem, 0, 15},
                {"dash_syn", s.dashSyn, 0, 15},
                {"dash_syn_2", s.dashSyn2, 0, 15},
                {"dash_mem_out", s.dashMemOut, 0, 15},
                {"dash_syn_out", s.dashSynOut, 0, 15},
                {"threshold", s.threshold, -32768, 32767},
                {"bias", s.bias, -32768, 32767},
                {"threshold_out", s.thresholdOut, -32768, 32767},
                {"bias_out", s.biasOut, -32768, 32767}};
  for (const Range &r : ranges) {
    e = outside(r.key, r.v, r.lo, r.hi);
    if (!e.empty())
      return e;
  }
  for (auto [key, v] : {std::pair{"weight_shift_in", s.weightShiftIn},
                        {"weight_shift_rec", s.weightShiftRec},
                        {"weight_shift_out", s.weightShiftOut}})
    if (v < 0 || v > 15)
      return std::string(key) + " = " + std::to_string(v) +
             " is outside [0, 15]";
  for (size_t h = 0; h < s.aliases.size(); ++h)
    for (int64_t a : s.aliases[h])
      if (a < 0 || a >= s.nHid)
        return "aliases[" + std::to_string(h) + "] = " + std::to_string(a) +
               " is not a hidden neuron";
  return "";
}


} // namespace snn::xylo

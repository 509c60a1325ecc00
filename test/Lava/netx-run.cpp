//===- netx-run.cpp - run a netx file on snn_lava.h like run_netx.py ------===//
//
//   snn-lava-netx-run NET.net SPIKES.npy OUT.npy
//   snn-lava-netx-run NET.net BIAS.npy OUT.npy --steps T
//   (--stats: per layer, the weight_exp netx chose and how often u wrapped
//   and v saturated)
//
// The test driver that compares runtime/embedded/snn_lava.h with Lava: it
// takes the same arguments and writes the same output as
// ../shared/oracles/lava/run_netx.py (inputs and outputs flattened in Lava's
// (W, H, C) order, OUT uint8 [samples, steps, outputs], every sample from a
// zero state), reading the file with lib/Netx and running each layer with
// the functions of snn_lava.h.
//
//===----------------------------------------------------------------------===//

#include "Netx/NetxLava.h"
#include "Netx/NetxReader.h"
#include "Support/Npy.h"

#include "snn_lava.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace snn;
using namespace snn::netx;

namespace {

/// One layer's state and its weights as Lava's models hold them.
struct Layer {
  const LavaLayer *params = nullptr;
  std::vector<int32_t> u, v, buff, buffRec, weight, weightRec, biasMant,
      biasExp;
  std::vector<int64_t> scratch;
  std::vector<uint8_t> spikes;
  snn_lava_conv_shape conv{};
  int64_t wraps = 0, saturations = 0, spikeCount = 0; // for --stats
};

/// Counts the neurons whose current wraps or whose voltage saturates this
/// step (before the step changes them), so that a comparison can show it
/// exercised both.
void countOverflows(Layer &l, const std::vector<int32_t> &a) {
  const LavaLayer &p = *l.params;
  for (int64_t i = 0; i < p.numNeurons; ++i) {
    int64_t unwrapped = snn_lava_wrap32(
        (int64_t)snn_lava_decay(l.u[i], p.du + SNN_LAVA_DS_OFFSET) +
        snn_lava_shl(a[i], SNN_LAVA_ACT_SHIFT, 32));
    int32_t u = snn_lava_current(l.u[i], a[i], p.du);
    l.wraps += u != unwrapped;
    int64_t unclipped = snn_lava_wrap32(
        (int64_t)snn_lava_decay(l.v[i], p.dv + SNN_LAVA_DM_OFFSET) + u +
        snn_lava_bias(l.biasMant[i], p.biasExp));
    l.saturations +=
        snn_lava_voltage(l.v[i], u, p.dv,
                         snn_lava_bias(l.biasMant[i], p.biasExp)) != unclipped;
  }
}

void prepare(std::vector<int32_t> &w, int32_t numWeightBits) {
  int32_t mode = snn_lava_sign_mode(w.data(), static_cast<int64_t>(w.size()));
  snn_lava_prepare_weights(w.data(), static_cast<int64_t>(w.size()), mode,
                           numWeightBits);
}

Layer makeLayer(const LavaLayer &p) {
  Layer l;
  l.params = &p;
  size_t n = static_cast<size_t>(p.numNeurons);
  l.u.assign(n, 0);
  l.v.assign(n, 0);
  l.spikes.assign(n, 0);
  l.biasMant = p.biasMant;
  l.biasExp.assign(n, p.biasExp);
  l.weight = p.weight;
  l.weightRec = p.weightRec;
  if (p.kind == LayerKind::Dense || p.kind == LayerKind::DenseRec) {
    prepare(l.weight, p.numWeightBits);
    if (!l.weightRec.empty())
      prepare(l.weightRec, p.numWeightBits);
    l.buff.assign(n * (p.delays.empty() ? 1 : p.maxDelay + 1), 0);
    l.buffRec.assign(n, 0);
    l.scratch.assign(static_cast<size_t>(p.maxDelay) + 1, 0);
  } else if (p.kind == LayerKind::Conv) {
    l.conv = {p.inC,
              p.inH,
              p.inW,
              static_cast<int32_t>(p.shape[0]),
              static_cast<int32_t>(p.shape[1]),
              static_cast<int32_t>(p.shape[2]),
              p.kH,
              p.kW,
              p.strideH,
              p.strideW,
              p.padH,
              p.padW,
              p.dilH,
              p.dilW,
              p.groups};
    l.buff.assign(n, 0);
  }
  return l;
}

/// One time step of one layer: the synapse hands over last step's sums and
/// takes this step's spikes `in`, then the neurons step.
void stepLayer(Layer &l, const uint8_t *in) {
  const LavaLayer &p = *l.params;
  std::vector<int32_t> a(static_cast<size_t>(p.numNeurons), 0);
  if (p.kind == LayerKind::Dense || p.kind == LayerKind::DenseRec) {
    if (p.delays.empty())
      snn_lava_dense_step(p.numNeurons, p.numInputs, l.weight.data(), in,
                          p.weightExp, l.buff.data(), a.data());
    else
      snn_lava_delay_dense_step(p.numNeurons, p.numInputs, l.weight.data(),
                                p.delays.data(), p.maxDelay, in, p.weightExp,
                                l.buff.data(), l.scratch.data(), a.data());
    if (p.kind == LayerKind::DenseRec)
      snn_lava_add_messages(p.numNeurons, a.data(), l.buffRec.data());
  } else if (p.kind == LayerKind::Conv) {
    snn_lava_conv_step(&l.conv, l.weight.data(), in, l.buff.data(), a.data());
  }
  countOverflows(l, a);
  snn_lava_lif_step(p.numNeurons, l.u.data(), l.v.data(), a.data(), p.du, p.dv,
                    l.biasMant.data(), l.biasExp.data(), p.vth,
                    l.spikes.data());
  for (uint8_t spike : l.spikes)
    l.spikeCount += spike;
  // The recurrent Dense takes this step's own spikes, sent next step.
  if (p.kind == LayerKind::DenseRec)
    snn_lava_dense_step(p.numNeurons, p.numNeurons, l.weightRec.data(),
                        l.spikes.data(), p.weightExp, l.buffRec.data(),
                        nullptr);
}

int64_t product(const std::vector<int64_t> &shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

/// Runs one sample; `input` is in Lava's order: [steps, inputs] spikes, or
/// [inputs] biases held for `steps`. Returns [steps, outputs] in Lava order.
std::vector<double> runSample(const LavaNetwork &net, const double *input,
                              int64_t steps, bool stats) {
  std::vector<Layer> layers;
  for (const LavaLayer &p : net.layers)
    layers.push_back(makeLayer(p));
  int64_t numIn = product(net.inputShape);
  // run_netx.py sets the input neurons' bias_mant to the sample.
  if (net.biasInput)
    for (int64_t i = 0; i < numIn; ++i)
      layers[0].biasMant[i] = snn_lava_wrap32(
          static_cast<int64_t>(input[lavaIndex(net.inputShape, i)]));
  const LavaLayer &last = net.layers.back();
  std::vector<double> out;
  std::vector<uint8_t> spikes(static_cast<size_t>(numIn), 0);
  for (int64_t t = 0; t < steps; ++t) {
    const uint8_t *in = spikes.data();
    if (!net.biasInput)
      for (int64_t i = 0; i < numIn; ++i)
        spikes[i] = input[t * numIn + lavaIndex(net.inputShape, i)] != 0;
    for (Layer &l : layers) {
      stepLayer(l, in);
      in = l.spikes.data();
    }
    std::vector<double> row(static_cast<size_t>(last.numNeurons));
    for (int64_t i = 0; i < last.numNeurons; ++i)
      row[lavaIndex(last.shape, i)] = layers.back().spikes[i];
    out.insert(out.end(), row.begin(), row.end());
  }
  for (const Layer &l : layers)
    if (stats)
      std::printf("layer %lld: %s, weight_exp %d, %d weight bits, %lld spikes, "
                  "%lld current wraps, %lld voltage saturations\n",
                  (long long)l.params->index, layerKindName(l.params->kind),
                  l.params->weightExp, l.params->numWeightBits,
                  (long long)l.spikeCount, (long long)l.wraps,
                  (long long)l.saturations);
  return out;
}

int fail(const std::string &message) {
  std::fprintf(stderr, "snn-lava-netx-run: %s\n", message.c_str());
  return 1;
}

} // namespace

int main(int argc, char **argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  int64_t steps = -1;
  bool stats = false;
  for (size_t i = 0; i < args.size(); ++i)
    if (args[i] == "--stats") {
      stats = true;
      args.erase(args.begin() + i);
      break;
    }
  for (size_t i = 0; i + 1 < args.size(); ++i)
    if (args[i] == "--steps") {
      steps = std::atoll(args[i + 1].c_str());
      args.erase(args.begin() + i, args.begin() + i + 2);
      break;
    }
  if (args.size() != 3)
    return fail("usage: snn-lava-netx-run NET.net IN.npy OUT.npy "
                "[--steps T] [--stats]");
  std::string error;
  llvm::Expected<Network> file = readNetx(args[0]);
  if (!file)
    return fail(llvm::toString(file.takeError()));
  llvm::Expected<LavaNetwork> net = toLava(*file);
  if (!net)
    return fail(args[0] + ": " + llvm::toString(net.takeError()));
  std::optional<npy::Array> x = npy::load(args[1], error);
  if (!x)
    return fail(error);
  int64_t numIn = product(net->inputShape);
  int64_t samples, perSample;
  if (net->biasInput) {
    if (steps < 1)
      return fail("a network with an input layer needs --steps T");
    samples = x->shape.empty() ? 0 : x->shape[0];
    perSample = numIn;
  } else {
    if (x->shape.size() < 2)
      return fail("spikes must be [samples, steps, inputs...]");
    if (x->shape.size() == 2)
      x->shape.insert(x->shape.begin(), 1);
    samples = x->shape[0];
    steps = x->shape[1];
    perSample = steps * numIn;
  }
  if (samples < 1 || x->size() != samples * perSample)
    return fail(args[1] + ": " + std::to_string(x->size()) +
                " values do not make samples of " + std::to_string(perSample));
  std::vector<double> out;
  for (int64_t s = 0; s < samples; ++s) {
    std::vector<double> o =
        runSample(*net, x->values.data() + s * perSample, steps, stats);
    out.insert(out.end(), o.begin(), o.end());
  }
  if (!npy::save(args[2], {samples, steps, net->layers.back().numNeurons}, out,
                 "uint8", error))
    return fail(error);
  return 0;
}

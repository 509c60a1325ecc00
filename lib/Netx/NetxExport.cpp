//===- NetxExport.cpp - an snn.network as a lava-dl netx file -------------===//
//
// The network is read as the importer writes it (docs/loihi2.md, "Lava's
// arithmetic in the IR"): netx layer i is an optional snn.flatten, an
// snn.qlinear or snn.qconv2d, `snn.delay {steps = 1}` (Lava's latency), for
// dense_rec an snn.sum with the layer's own spikes through its recurrent
// snn.qlinear and delay, and the snn.qneuron with Lava's attributes. A
// sum-pooling before a projection is folded into its weights (netx has no
// pooling). What is written is converted back by netx's own rules (toLava and
// Lava's weight preparation) and must give the ops' integers exactly.
//
//===----------------------------------------------------------------------===//

#include "Netx/NetxExport.h"
#include "NIR/Hdf5.h"
#include "Netx/NetxLava.h"
#include "SNN/IR/SNNParams.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/ADT/TypeSwitch.h"

#include "snn_lava.h"

#include <cmath>

using namespace mlir;

namespace snn::netx {

namespace {

constexpr int64_t kStateMax = SNN_LAVA_MAX_UV - 1;

/// The integers of an optional SNN_IntParamAttr over `n` neurons (a scalar
/// or splat is broadcast); nullopt when absent.
std::optional<std::vector<int64_t>> intsOf(Attribute attr, int64_t n) {
  if (!attr)
    return std::nullopt;
  if (auto i = dyn_cast<IntegerAttr>(attr))
    return std::vector<int64_t>(size_t(n), i.getInt());
  if (auto d = dyn_cast<DenseIntElementsAttr>(attr)) {
    std::vector<int64_t> v = intValues(d);
    if (v.size() == 1)
      v.assign(size_t(n), v[0]);
    return v;
  }
  return std::nullopt;
}

/// One value shared by every neuron, or nullopt.
std::optional<int64_t> uniform(const std::vector<int64_t> &v) {
  if (v.empty() || llvm::any_of(v, [&](int64_t x) { return x != v[0]; }))
    return std::nullopt;
  return v[0];
}

/// A sum-pooling waiting to be folded into the next projection.
struct Pool {
  Operation *op = nullptr;
  std::vector<int64_t> in;  // (C, H, W) before the pooling
  std::vector<int64_t> out; // after
  int64_t kH = 1, kW = 1, sH = 1, sW = 1, pH = 0, pW = 0;
};

class Exporter {
public:
  explicit Exporter(NetworkOp network) : network(network) {}
  FailureOr<Network> run();

private:
  NetworkOp network;
  Network net;
  std::optional<Pool> pool;

  LogicalResult inputLayer(QuantizeOp q, Value &signal);
  /// The layer that `projection` (reading the previous layer) starts.
  LogicalResult layer(Operation *projection, Value &signal);
  LogicalResult neuron(QNeuronOp n, Layer &out, bool input);
  /// The effective integer weights of a qlinear: weight * 2^weight_exp.
  FailureOr<std::vector<int64_t>> effectiveWeights(QLinearOp op);
  LogicalResult dense(QLinearOp op, Layer &out);
  LogicalResult conv(QConv2dOp op, Layer &out);
  /// What netx makes of what is written must be what the ops compute.
  LogicalResult checkRoundTrip();
  std::vector<Operation *> layerProjection; // per netx layer (null: none)
  std::vector<Operation *> layerRecurrent;
  std::vector<Operation *> layerNeuron;
  void addLayer(Layer layer, Operation *proj, Operation *rec, Operation *n) {
    layer.index = int64_t(net.layers.size());
    net.layers.push_back(std::move(layer));
    layerProjection.push_back(proj);
    layerRecurrent.push_back(rec);
    layerNeuron.push_back(n);
  }
};

/// The single user of `v`, or null.
Operation *onlyUser(Value v) {
  return v.hasOneUse() ? *v.getUsers().begin() : nullptr;
}

/// A `snn.delay {steps = 1}` (uniform), the latency Lava adds per Dense/Conv.
bool isOneStep(Operation *op) {
  auto d = dyn_cast_or_null<DelayOp>(op);
  if (!d || !d.getStepsAttr())
    return false;
  std::optional<std::vector<int64_t>> steps =
      intsOf(d.getStepsAttr(), getSignalSize(d.getResult()));
  return steps && uniform(*steps) == 1;
}

LogicalResult Exporter::neuron(QNeuronOp n, Layer &out, bool input) {
  Operation *op = n.getOperation();
  int64_t count = getSignalSize(n.getResult());
  auto refuse = [&](const Twine &what) {
    return op->emitOpError()
           << "cannot be a netx layer: " << what
           << " (quantize it with snn-quantize target=targets/loihi2.json)";
  };
  auto enumIs = [&](StringRef name, auto expected) {
    auto a = op->getAttr(name);
    using A = decltype(expected);
    return a && isa<A>(a) && cast<A>(a).getValue() == expected.getValue();
  };
  MLIRContext *ctx = op->getContext();
  if (!enumIs("decay", DecayArithAttr::get(ctx, DecayArith::Multiply)) ||
      n.getDecayShift() != std::optional<uint64_t>(12))
    return refuse("Lava's decays are multipliers in units of 1/4096 "
                  "(decay(multiply), decay_shift = 12)");
  if (!enumIs("rounding", RoundingAttr::get(ctx, Rounding::TowardZero)))
    return refuse("Lava's decays truncate toward zero (rounding(toward_zero))");
  if (n.getVBits() != 24 ||
      !enumIs("overflow",
              OverflowAttr::get(ctx, Overflow::SaturateSymmetric)))
    return refuse("Lava's voltage is 24 bits saturating symmetrically "
                  "(v_bits = 24, overflow(saturate_symmetric))");
  bool current = n.getIBits().has_value();
  if (current == input)
    return refuse(input ? "netx's input layer has no current"
                        : "Lava's LIF has a current (i_bits = 24)");
  if (current && (*n.getIBits() != 24 ||
                  !enumIs("i_overflow",
                          OverflowAttr::get(ctx, Overflow::WrapOnce))))
    return refuse("Lava's current is 24 bits wrapping once "
                  "(i_bits = 24, i_overflow(wrap_once))");
  if (n.getInputShift() != std::optional<uint64_t>(6) ||
      n.getInputBits() != std::optional<uint64_t>(32))
    return refuse("Lava shifts its int32 input by 6 bits "
                  "(input_shift = 6, input_bits = 32)");
  std::optional<std::vector<int64_t>> reset = intsOf(n.getVResetAttr(), count);
  if (!enumIs("reset", ResetModeAttr::get(ctx, ResetMode::ToValue)) ||
      !enumIs("reset_timing",
              ResetTimingAttr::get(ctx, ResetTiming::SameStep)) ||
      !enumIs("spike", SpikeConditionAttr::get(ctx, SpikeCondition::Greater)) ||
      !reset || uniform(*reset) != 0)
    return refuse("Lava's neuron fires when v > threshold and sets v to 0 in "
                  "the same step (reset(to_value, same_step), v_reset = 0, "
                  "fire(gt))");
  Neuron nr;
  nr.kind = NeuronKind::Cuba;
  auto uniformOf = [&](Attribute a) -> std::optional<int64_t> {
    std::optional<std::vector<int64_t>> v = intsOf(a, count);
    return v ? uniform(*v) : std::nullopt;
  };
  std::optional<int64_t> vDecay = n.getVDecayAttr()
                                      ? uniformOf(n.getVDecayAttr())
                                      : std::optional<int64_t>(4096);
  std::optional<int64_t> iDecay = !current ? std::optional<int64_t>(0)
                                  : n.getIDecayAttr()
                                      ? uniformOf(n.getIDecayAttr())
                                      : std::optional<int64_t>(4096);
  if (!vDecay || !iDecay)
    return refuse("netx has one current and one voltage decay per layer; "
                  "this op's decays differ between neurons");
  if (*vDecay < 0 || *vDecay > 4096 || *iDecay < 0 || *iDecay > 4096)
    return refuse("a decay outside Lava's 12-bit range");
  // i_decay = 4096 - (du + 1) with du = iDecay - 1; v_decay = 4096 - dv with
  // dv = vDecay (docs/loihi2.md).
  nr.iDecay = 4096 - *iDecay;
  nr.vDecay = 4096 - *vDecay;
  std::optional<std::vector<int64_t>> theta =
      intsOf(n.getVThresholdAttr(), count);
  std::optional<int64_t> vth = theta ? uniform(*theta) : std::nullopt;
  if (!vth)
    return refuse("netx has one threshold per layer");
  if (*vth == kStateMax)
    nr.vThMant = int64_t(1) << 17; // beyond v's range: never fires
  else if (*vth >= 0 && *vth % 64 == 0)
    nr.vThMant = *vth / 64;
  else
    return refuse("Lava's threshold is vth * 64 with vth >= 0; v_threshold = " +
                  std::to_string(*vth) + " is not");
  out.neuron = nr;
  if (!input) {
    std::optional<std::vector<int64_t>> bias = intsOf(n.getVBiasAttr(), count);
    if (bias && llvm::any_of(*bias, [](int64_t b) { return b != 0; })) {
      Tensor t;
      for (int64_t b : *bias) {
        if (b % 64 != 0 || b / 64 < INT16_MIN || b / 64 > INT16_MAX)
          return refuse("Lava's bias is an int16 mantissa times 2^6; v_bias " +
                        std::to_string(b) + " is not");
        t.values.push_back(double(b / 64));
      }
      t.shape = {int64_t(t.values.size())};
      out.bias = std::move(t);
    }
  } else if (n.getVBiasAttr()) {
    return refuse("netx's input layer is driven through its bias; it has "
                  "none of its own");
  }
  return success();
}

FailureOr<std::vector<int64_t>> Exporter::effectiveWeights(QLinearOp op) {
  std::vector<int64_t> w = intValues(op.getWeight());
  int64_t exp = op.getWeightExp() ? *op.getWeightExp() : 0;
  for (int64_t &x : w) {
    if (exp >= 0) {
      x = x * (int64_t(1) << exp);
    } else if (x % (int64_t(1) << -exp) != 0) {
      return op.emitOpError()
             << "cannot be a netx layer: weight " << x
             << " is not a multiple of 2^" << -exp
             << "; netx applies weight_exp to whole weights only";
    } else {
      x /= int64_t(1) << -exp;
    }
  }
  return w;
}

/// The weights of `w` (rows x (C*H*W after pooling)) over the input before a
/// sum-pooling: each input pixel adds the weights of every pooled pixel
/// whose window holds it.
std::vector<int64_t> unpoolDense(const std::vector<int64_t> &w, int64_t rows,
                                 const Pool &p) {
  int64_t C = p.in[0], H = p.in[1], W = p.in[2];
  int64_t OH = p.out[1], OW = p.out[2];
  int64_t inCount = C * H * W, outCount = C * OH * OW;
  std::vector<int64_t> out(size_t(rows * inCount), 0);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < C; ++c)
      for (int64_t oy = 0; oy < OH; ++oy)
        for (int64_t ox = 0; ox < OW; ++ox) {
          int64_t weight = w[r * outCount + (c * OH + oy) * OW + ox];
          for (int64_t ky = 0; ky < p.kH; ++ky)
            for (int64_t kx = 0; kx < p.kW; ++kx) {
              int64_t y = oy * p.sH - p.pH + ky, x = ox * p.sW - p.pW + kx;
              if (y < 0 || y >= H || x < 0 || x >= W)
                continue;
              out[r * inCount + (c * H + y) * W + x] += weight;
            }
        }
  return out;
}

LogicalResult Exporter::dense(QLinearOp op, Layer &out) {
  if (op.getBias())
    return op.emitOpError() << "cannot be a netx layer: Lava's Dense has no "
                               "bias (the neuron's v_bias holds one)";
  if (op.getAccBits() != 32 || op.getOverflow() != Overflow::Wrap)
    return op.emitOpError() << "cannot be a netx layer: Lava's Dense sends "
                               "an int32 (acc_bits = 32, overflow(wrap))";
  FailureOr<std::vector<int64_t>> w = effectiveWeights(op);
  if (failed(w))
    return failure();
  ArrayRef<int64_t> shape = op.getWeight().getType().getShape();
  int64_t rows = shape[0], cols = shape[1];
  if (pool) {
    *w = unpoolDense(*w, rows, *pool);
    cols = pool->in[0] * pool->in[1] * pool->in[2];
    pool.reset();
  }
  out.kind = LayerKind::Dense;
  out.shape = {rows};
  out.weight.shape = {rows, cols};
  out.weight.values.assign(w->begin(), w->end());
  return success();
}

LogicalResult Exporter::conv(QConv2dOp op, Layer &out) {
  if (op.getBias())
    return op.emitOpError() << "cannot be a netx layer: Lava's Conv has no "
                               "bias (the neuron's v_bias holds one)";
  if (op.getWeightExp() && *op.getWeightExp() != 0)
    return op.emitOpError() << "cannot be a netx layer: Lava's Conv ignores "
                               "weight_exp";
  if (op.getAccBits() != 24 || op.getOverflow() != Overflow::Wrap)
    return op.emitOpError() << "cannot be a netx layer: Lava's Conv wraps its "
                               "sum to 24 bits (acc_bits = 24, overflow(wrap))";
  if (pool)
    return pool->op->emitOpError()
           << "cannot be folded into the conv after it: netx has no pooling, "
              "and only a dense layer takes it into its weights here";
  ArrayRef<int64_t> ws = op.getWeight().getType().getShape();
  ArrayRef<int64_t> outShape = getSignalShape(op.getType());
  out.kind = LayerKind::Conv;
  out.shape.assign(outShape.begin(), outShape.end());
  out.weight.shape.assign(ws.begin(), ws.end());
  for (int64_t x : intValues(op.getWeight()))
    out.weight.values.push_back(double(x));
  ArrayRef<int64_t> s = op.getStride(), p = op.getPadding(),
                    d = op.getDilation();
  out.stride = {s[0], s[1]};
  out.padding = {p[0], p[1]};
  out.dilation = {d[0], d[1]};
  out.groups = op.getGroups();
  return success();
}

/// A conv bias netx broadcasts per channel: the neuron's per-neuron bias
/// must be one value per channel.
LogicalResult perChannelBias(QNeuronOp n, Layer &layer) {
  if (!layer.bias)
    return success();
  int64_t channels = layer.shape[0];
  int64_t plane = layer.numNeurons() / channels;
  Tensor t;
  t.shape = {channels};
  for (int64_t c = 0; c < channels; ++c) {
    double b = layer.bias->values[c * plane];
    for (int64_t k = 1; k < plane; ++k)
      if (layer.bias->values[c * plane + k] != b)
        return n.emitOpError()
               << "cannot be a netx layer: netx gives a conv layer one bias "
                  "per channel; channel "
               << c << " has different biases";
    t.values.push_back(b);
  }
  layer.bias = std::move(t);
  return success();
}

LogicalResult Exporter::inputLayer(QuantizeOp q, Value &signal) {
  auto scale = dyn_cast<FloatAttr>(q.getScale());
  if (!scale || scale.getValueAsDouble() != 1.0 || q.getBits() != 16)
    return q.emitOpError() << "cannot be netx's input layer: run_netx.py "
                              "feeds the input as an int16 bias_mant "
                              "(scale = 1, bits = 16)";
  auto n = dyn_cast_or_null<QNeuronOp>(onlyUser(q.getResult()));
  if (!n)
    return q.emitOpError() << "cannot be netx's input layer: it must feed one "
                              "snn.qneuron alone";
  Layer layer;
  layer.kind = LayerKind::Input;
  ArrayRef<int64_t> shape = getSignalShape(n.getType());
  layer.shape.assign(shape.begin(), shape.end());
  if (failed(neuron(n, layer, /*input=*/true)))
    return failure();
  addLayer(std::move(layer), nullptr, nullptr, n);
  signal = n.getResult();
  return success();
}

LogicalResult Exporter::layer(Operation *proj, Value &signal) {
  Layer out;
  Operation *rec = nullptr;
  if (net.layers.empty() && isa<QConv2dOp>(proj)) {
    // netx gives a first conv its input shape through an input layer
    // without neurons. (A first dense reads its input flat in (C, H, W)
    // order, which is SNNC's: no input layer and no flatten before it.)
    ArrayRef<int64_t> in = getSignalShape(proj->getOperand(0).getType());
    Layer input;
    input.kind = LayerKind::Input;
    input.shape.assign(in.begin(), in.end());
    addLayer(std::move(input), nullptr, nullptr, nullptr);
  }
  if (auto l = dyn_cast<QLinearOp>(proj)) {
    if (failed(dense(l, out)))
      return failure();
  } else if (auto c = dyn_cast<QConv2dOp>(proj)) {
    if (failed(conv(c, out)))
      return failure();
  }
  Operation *delay = onlyUser(proj->getResult(0));
  if (!isOneStep(delay))
    return proj->emitOpError()
           << "cannot be a netx layer: Lava delivers a Dense's or Conv's sum "
              "one step later, so it must feed one snn.delay {steps = 1} "
              "alone (synaptic delays are not exported yet)";
  Operation *next = onlyUser(delay->getResult(0));
  QNeuronOp n = dyn_cast_or_null<QNeuronOp>(next);
  if (auto sum = dyn_cast_or_null<SumOp>(next)) {
    n = dyn_cast_or_null<QNeuronOp>(onlyUser(sum.getResult()));
    if (!n)
      return sum.emitOpError()
             << "cannot be in a netx network: it must feed one snn.qneuron "
                "alone";
    for (Value in : sum.getInputs()) {
      if (in.getDefiningOp() == delay)
        continue;
      Operation *d = in.getDefiningOp();
      auto r = d && isOneStep(d) && d->getResult(0).hasOneUse()
                   ? dyn_cast_or_null<QLinearOp>(
                         d->getOperand(0).getDefiningOp())
                   : QLinearOp();
      if (!r || r.getInput() != n.getResult() || rec ||
          !r.getResult().hasOneUse())
        return sum.emitOpError()
               << "cannot be in a netx network: a layer's input is one "
                  "projection of the layer before, plus at most its own "
                  "spikes through one snn.qlinear and snn.delay {steps = 1} "
                  "(dense_rec); this is fan-in netx cannot express";
      rec = r;
    }
    if (rec && out.kind != LayerKind::Dense)
      return rec->emitOpError() << "cannot be a netx layer: netx has "
                                   "recurrence for dense layers only";
    if (rec) {
      FailureOr<std::vector<int64_t>> w = effectiveWeights(cast<QLinearOp>(rec));
      if (failed(w))
        return failure();
      auto q = cast<QLinearOp>(rec);
      if (q.getBias() || q.getAccBits() != 32 ||
          q.getOverflow() != Overflow::Wrap)
        return rec->emitOpError()
               << "cannot be a netx layer: Lava's Dense has no bias and sends "
                  "an int32 (acc_bits = 32, overflow(wrap))";
      out.kind = LayerKind::DenseRec;
      Tensor t;
      t.shape = {out.shape[0], out.shape[0]};
      t.values.assign(w->begin(), w->end());
      out.weightRec = std::move(t);
    }
  } else if (!n) {
    return delay->emitOpError()
           << "cannot be in a netx network: a Dense's or Conv's sum must feed "
              "the layer's snn.qneuron";
  }
  if (failed(neuron(n, out, /*input=*/false)))
    return failure();
  if (out.kind == LayerKind::Conv && failed(perChannelBias(n, out)))
    return failure();
  addLayer(std::move(out), proj, rec, n);
  signal = n.getResult();
  return success();
}

/// The prepared weights Lava computes with, scaled by its weight_exp to
/// whole weights; nullopt when the exponent would cut bits.
std::optional<std::vector<int64_t>> lavaEffective(std::vector<int32_t> w,
                                                  int32_t numWeightBits,
                                                  int32_t weightExp) {
  int64_t n = int64_t(w.size());
  snn_lava_prepare_weights(w.data(), n, snn_lava_sign_mode(w.data(), n),
                           numWeightBits);
  std::vector<int64_t> out;
  for (int32_t x : w) {
    int64_t v = x;
    if (weightExp >= 0) {
      v *= int64_t(1) << weightExp;
    } else {
      if (v % (int64_t(1) << -weightExp) != 0)
        return std::nullopt;
      v /= int64_t(1) << -weightExp;
    }
    out.push_back(v);
  }
  return out;
}

LogicalResult Exporter::checkRoundTrip() {
  llvm::Expected<LavaNetwork> lava = toLava(net);
  if (!lava)
    return network.emitOpError()
           << "cannot be written as netx: " << llvm::toString(lava.takeError());
  size_t k = 0;
  for (size_t i = 0; i < net.layers.size(); ++i) {
    const Layer &l = net.layers[i];
    if (l.kind == LayerKind::Flatten ||
        (l.kind == LayerKind::Input && !l.neuron))
      continue; // toLava makes no process of these
    const LavaLayer &ll = lava->layers[k++];
    if (l.kind != LayerKind::Dense && l.kind != LayerKind::DenseRec)
      continue;
    auto expect = [&](const Tensor &t, const std::vector<int32_t> &w,
                      Operation *op, StringRef which) -> LogicalResult {
      std::optional<std::vector<int64_t>> got =
          lavaEffective(w, ll.numWeightBits, ll.weightExp);
      for (size_t j = 0; got && j < t.values.size(); ++j)
        if ((*got)[j] != int64_t(t.values[j]))
          return op->emitOpError()
                 << "cannot be a netx layer: netx's optimize_weight_bits and "
                    "Lava's weight preparation turn "
                 << which << " weight " << int64_t(t.values[j]) << " (index "
                 << j << ") into " << (*got)[j]
                 << " (Loihi 2 keeps 8 bits plus sign: mixed-sign weights in "
                    "[-256, 254], one-signed in [-255, 255])";
      if (!got)
        return op->emitOpError()
               << "cannot be a netx layer: netx's weight exponent "
               << ll.weightExp << " cuts bits of the " << which << " weights";
      return success();
    };
    if (failed(expect(l.weight, ll.weight, layerProjection[i], "forward")))
      return failure();
    if (l.weightRec &&
        failed(expect(*l.weightRec, ll.weightRec, layerRecurrent[i],
                      "recurrent")))
      return failure();
  }
  return success();
}

FailureOr<Network> Exporter::run() {
  Block &body = network.getBodyBlock();
  unsigned outputs = body.getTerminator()->getNumOperands();
  if (body.getNumArguments() != 1 || outputs != 1)
    return network.emitOpError()
           << "cannot be written as netx: netx networks have one input and "
              "one output, this one has "
           << body.getNumArguments() << " and " << outputs;
  Value signal = body.getArgument(0);
  if (!isSpikes(signal.getType())) {
    auto q = dyn_cast_or_null<QuantizeOp>(onlyUser(signal));
    if (!q)
      return network.emitOpError()
             << "cannot be written as netx: a real-valued input must feed one "
                "snn.quantize into netx's input layer";
    if (failed(inputLayer(q, signal)))
      return failure();
  }
  Operation *terminator = body.getTerminator();
  while (true) {
    SmallVector<Operation *> users;
    for (Operation *u : signal.getUsers()) {
      // The layer's own recurrence was taken with the layer.
      if (!layerRecurrent.empty() && u == layerRecurrent.back())
        continue;
      users.push_back(u);
    }
    if (users.size() == 1 && users[0] == terminator)
      break;
    if (users.size() != 1) {
      Operation *at = signal.getDefiningOp();
      InFlightDiagnostic d = at ? at->emitOpError() : network.emitOpError();
      d << "cannot be written as netx: " << (at ? "its output" : "its input")
        << (users.empty() ? " reaches no layer and is not the network's output"
                          : " feeds " + std::to_string(users.size()) +
                                " ops; netx layers form one chain (no "
                                "branches or skip connections)");
      return failure();
    }
    Operation *u = users[0];
    if (u == terminator)
      break;
    if (auto f = dyn_cast<FlattenOp>(u)) {
      ArrayRef<int64_t> in = getSignalShape(f.getInput().getType());
      // After a pooling the flattening goes into the dense's weights.
      if (!pool && in.size() > 1 && !net.layers.empty()) {
        Layer layer;
        layer.kind = LayerKind::Flatten;
        addLayer(std::move(layer), nullptr, nullptr, nullptr);
      }
      signal = f.getResult();
      continue;
    }
    if (auto p = dyn_cast<SumPool2dOp>(u)) {
      if (pool)
        return p.emitOpError() << "cannot be folded: two poolings in a row";
      Pool pl;
      pl.op = p;
      ArrayRef<int64_t> in = getSignalShape(p.getInput().getType());
      ArrayRef<int64_t> out = getSignalShape(p.getType());
      if (in.size() != 3)
        return p.emitOpError() << "cannot be folded: needs a (C, H, W) input";
      pl.in.assign(in.begin(), in.end());
      pl.out.assign(out.begin(), out.end());
      pl.kH = p.getKernelSize()[0];
      pl.kW = p.getKernelSize()[1];
      pl.sH = p.getStride()[0];
      pl.sW = p.getStride()[1];
      pl.pH = p.getPadding()[0];
      pl.pW = p.getPadding()[1];
      pool = pl;
      // netx's dense after the pooling reads the unpooled (C, H, W), which
      // netx flattens itself (a first dense reads it flat already).
      if (!net.layers.empty()) {
        Layer layer;
        layer.kind = LayerKind::Flatten;
        addLayer(std::move(layer), nullptr, nullptr, nullptr);
      }
      signal = p.getResult();
      continue;
    }
    if (isa<QLinearOp, QConv2dOp>(u)) {
      if (isa<QLinearOp>(u) && getSignalShape(signal.getType()).size() > 1 &&
          !pool)
        return u->emitOpError()
               << "cannot be a netx layer: netx's dense reads a flat input; "
                  "flatten it first";
      if (failed(layer(u, signal)))
        return failure();
      continue;
    }
    return u->emitOpError() << "cannot be written as netx: netx layers are "
                               "input, dense, dense_rec, conv and flatten, "
                               "and this op is none of them";
  }
  if (layerNeuron.empty() || !layerNeuron.back())
    return network.emitOpError()
           << "cannot be written as netx: it has no layer of neurons";
  // A flatten emitted for a pooling that no dense followed is not netx.
  if (pool)
    return pool->op->emitOpError()
           << "cannot be folded: no dense layer follows it";
  if (failed(checkRoundTrip()))
    return failure();
  net.ts = 1;
  return net;
}

llvm::Error writeLayer(hdf5::Id layers, const Layer &l) {
  llvm::Expected<hdf5::Handle> g =
      hdf5::createGroup(layers, std::to_string(l.index));
  if (!g)
    return g.takeError();
  hdf5::Id id = g->get();
  if (llvm::Error e =
          hdf5::writeStringTable(id, "type", {layerKindName(l.kind)}, {1}))
    return e;
  if (l.kind == LayerKind::Flatten)
    return llvm::Error::success();
  if (llvm::Error e = hdf5::writeInts(id, "shape", l.shape,
                                      {int64_t(l.shape.size())}))
    return e;
  if (l.neuron) {
    llvm::Expected<hdf5::Handle> ng = hdf5::createGroup(id, "neuron");
    if (!ng)
      return ng.takeError();
    hdf5::Id n = ng->get();
    if (llvm::Error e = hdf5::writeString(n, "type", "CUBA"))
      return e;
    for (auto [name, value] :
         {std::pair<const char *, int64_t>{"iDecay", l.neuron->iDecay},
          {"vDecay", l.neuron->vDecay},
          {"vThMant", l.neuron->vThMant},
          {"refDelay", 1}})
      if (llvm::Error e = hdf5::writeInts(n, name, {value}, {}))
        return e;
  }
  auto tensor = [&](const char *name, const Tensor &t) {
    return hdf5::writeDoubles(id, name, t.values, t.shape, /*asFloat32=*/true);
  };
  if (l.kind == LayerKind::Dense || l.kind == LayerKind::DenseRec) {
    if (llvm::Error e = tensor("weight", l.weight))
      return e;
    if (l.weightRec)
      if (llvm::Error e = tensor("weight_rec", *l.weightRec))
        return e;
    if (llvm::Error e = hdf5::writeInts(id, "inFeatures",
                                        {l.weight.shape[1]}, {}))
      return e;
    if (llvm::Error e = hdf5::writeInts(id, "outFeatures",
                                        {l.weight.shape[0]}, {}))
      return e;
  }
  if (l.kind == LayerKind::Conv) {
    if (llvm::Error e = tensor("weight", l.weight))
      return e;
    const std::vector<int64_t> &ws = l.weight.shape;
    for (auto [name, v] :
         {std::pair<const char *, std::vector<int64_t>>{
              "kernelSize", {ws[2], ws[3]}},
          {"stride", {l.stride[0], l.stride[1]}},
          {"padding", {l.padding[0], l.padding[1]}},
          {"dilation", {l.dilation[0], l.dilation[1]}}})
      if (llvm::Error e = hdf5::writeInts(id, name, v, {2}))
        return e;
    for (auto [name, value] :
         {std::pair<const char *, int64_t>{"groups", l.groups},
          {"inChannels", ws[1] * l.groups},
          {"outChannels", ws[0]}})
      if (llvm::Error e = hdf5::writeInts(id, name, {value}, {}))
        return e;
  }
  if (l.bias)
    if (llvm::Error e = tensor("bias", *l.bias))
      return e;
  return llvm::Error::success();
}

} // namespace

FailureOr<Network> toNetx(NetworkOp network) {
  return Exporter(network).run();
}

llvm::Expected<std::string> writeNetx(const Network &net) {
  llvm::Expected<hdf5::File> file = hdf5::File::create();
  if (!file)
    return file.takeError();
  llvm::Expected<hdf5::Handle> layers =
      hdf5::createGroup(file->root(), "layer");
  if (!layers)
    return layers.takeError();
  for (const Layer &l : net.layers)
    if (llvm::Error e = writeLayer(layers->get(), l))
      return llvm::createStringError("layer " + std::to_string(l.index) +
                                     ": " + llvm::toString(std::move(e)));
  llvm::Expected<hdf5::Handle> sim =
      hdf5::createGroup(file->root(), "simulation");
  if (!sim)
    return sim.takeError();
  if (llvm::Error e = hdf5::writeInts(sim->get(), "Ts", {net.ts.value_or(1)}, {}))
    return std::move(e);
  return file->image();
}

void registerNetxExport() {
  static TranslateFromMLIRRegistration emitNetx(
      "emit-netx",
      "write a network quantized for Loihi 2 as a lava-dl netx (HDF5) file",
      [](Operation *op, llvm::raw_ostream &os) -> LogicalResult {
        auto module = dyn_cast<ModuleOp>(op);
        SmallVector<NetworkOp> networks;
        if (module)
          module.walk([&](NetworkOp n) { networks.push_back(n); });
        else if (auto n = dyn_cast<NetworkOp>(op))
          networks.push_back(n);
        if (networks.size() != 1)
          return op->emitError()
                 << "--emit-netx writes one snn.network; the input has "
                 << networks.size();
        FailureOr<Network> net = toNetx(networks.front());
        if (failed(net))
          return failure();
        llvm::Expected<std::string> bytes = writeNetx(*net);
        if (!bytes)
          return networks.front().emitOpError()
                 << "cannot be written as netx: "
                 << llvm::toString(bytes.takeError());
        os << *bytes;
        return success();
      },
      [](DialectRegistry &registry) { registry.insert<SNNDialect>(); });
}

} // namespace snn::netx

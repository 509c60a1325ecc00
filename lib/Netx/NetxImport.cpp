//===- NetxImport.cpp - a netx file as a quantized snn.network ------------===//
//
// Every number comes from NetxLava.cpp (what netx hands Lava's processes)
// after Lava's own one-time weight preparation (snn_lava_prepare_weights),
// so the network's integers are exactly the ones Lava computes with. The
// mapping of each rule to an attribute is in docs/loihi2.md.
//
//===----------------------------------------------------------------------===//

#include "Netx/NetxImport.h"
#include "Netx/NetxExport.h"
#include "Netx/NetxLava.h"
#include "Netx/NetxReader.h"
#include "SNN/IR/SNNOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

#include "snn_lava.h"

#include <algorithm>
#include <map>

using namespace mlir;

namespace snn::netx {

namespace {

/// Lava's LIF state width (uv_bitwidth) and its largest magnitude.
constexpr int64_t kStateBits = SNN_LAVA_UV_BITS;
constexpr int64_t kStateMax = SNN_LAVA_MAX_UV - 1;

class Importer {
public:
  Importer(MLIRContext *ctx, const std::string &path, Location fileLoc,
           const std::vector<LayerNames> *names = nullptr)
      : ctx(ctx), b(ctx), path(path), fileLoc(fileLoc), names(names) {}

  OwningOpRef<ModuleOp> run();
  /// The network of `net` (what toLava made of `file`) at the end of
  /// `block`; null after an error.
  NetworkOp build(Block *block, const Network &file, const LavaNetwork &net,
                  StringRef name);

private:
  MLIRContext *ctx;
  OpBuilder b;
  std::string path;
  Location fileLoc;
  const std::vector<LayerNames> *names;

  /// The names and units given for netx layer `index`, if any.
  const LayerNames *namesOf(int64_t index) const {
    if (!names || index < 0 || index >= int64_t(names->size()))
      return nullptr;
    return &(*names)[index];
  }
  /// `layer/<i>` over the file: where each op of netx layer i comes from
  /// (or the location given for it).
  Location layerLoc(int64_t index) {
    if (const LayerNames *n = namesOf(index); n && n->loc)
      return *n->loc;
    return NameLoc::get(b.getStringAttr("layer/" + std::to_string(index)),
                        fileLoc);
  }
  InFlightDiagnostic error(const LavaLayer &l) {
    return emitError(layerLoc(l.index))
           << path << ": layer " << l.index << " ("
           << layerKindName(l.kind) << "): ";
  }

  Type spikes(ArrayRef<int64_t> shape) { return SpikesType::get(ctx, shape); }
  Type values(ArrayRef<int64_t> shape) { return ValuesType::get(ctx, shape); }
  DenseIntElementsAttr ints(ArrayRef<int64_t> shape,
                            ArrayRef<int64_t> data, unsigned width = 64) {
    SmallVector<APInt> bits;
    for (int64_t x : data)
      bits.push_back(APInt(width, static_cast<uint64_t>(x), /*isSigned=*/true));
    return DenseIntElementsAttr::get(
        RankedTensorType::get(shape, b.getIntegerType(width)), bits);
  }

  Value flattened(Value in, Location loc);
  Value delayed(Value in, Attribute steps, Location loc);
  std::optional<SmallVector<Value>> dense(const LavaLayer &l, Value in,
                                          ArrayRef<int32_t> weight,
                                          int64_t numInputs, bool withDelays,
                                          bool mayBeEmpty, bool recurrent);
  Value conv(const LavaLayer &l, Value in);
  Value neuron(const LavaLayer &l, Value in, bool biasInput);
};

/// The smallest weight_bits whose symmetric range holds every weight.
int64_t weightBits(ArrayRef<int64_t> w) {
  int64_t top = 0;
  for (int64_t x : w)
    top = std::max(top, x < 0 ? -x : x);
  int64_t bits = 2;
  while (((int64_t(1) << (bits - 1)) - 1) < top)
    ++bits;
  return bits;
}

/// Lava's Dense weights after its one-time clip and truncation.
std::vector<int32_t> prepared(std::vector<int32_t> w, int32_t numWeightBits) {
  int64_t n = static_cast<int64_t>(w.size());
  snn_lava_prepare_weights(w.data(), n, snn_lava_sign_mode(w.data(), n),
                           numWeightBits);
  return w;
}

Value Importer::flattened(Value in, Location loc) {
  ArrayRef<int64_t> shape = getSignalShape(in.getType());
  if (shape.size() <= 1)
    return in;
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  Type t = isSpikes(in.getType()) ? spikes({n}) : values({n});
  return b.create<FlattenOp>(loc, t, in, b.getI64IntegerAttr(0),
                             b.getI64IntegerAttr(int64_t(shape.size()) - 1),
                             StringAttr());
}

Value Importer::delayed(Value in, Attribute steps, Location loc) {
  return b.create<DelayOp>(loc, in.getType(), in, Attribute(), steps,
                           StringAttr());
}

/// A Dense (or DelayDense) as Lava runs it: one snn.qlinear per distinct
/// synaptic delay d (the other synapses zero), each followed by a delay of
/// d + 1 steps; Lava adds their int32 messages, which the neuron's
/// input_bits = 32 reproduces. Without delays: one qlinear and one step.
std::optional<SmallVector<Value>>
Importer::dense(const LavaLayer &l, Value in, ArrayRef<int32_t> weight,
                int64_t numInputs, bool withDelays, bool mayBeEmpty,
                bool recurrent) {
  Location loc = layerLoc(l.index);
  const LayerNames *given = namesOf(l.index);
  int64_t n = l.numNeurons;
  std::vector<int32_t> w =
      prepared(std::vector<int32_t>(weight.begin(), weight.end()),
               l.numWeightBits);
  std::map<int32_t, std::vector<int64_t>> byDelay;
  bool delays = withDelays && !l.delays.empty();
  for (size_t k = 0; k < w.size(); ++k) {
    int32_t d = delays ? l.delays[k] : 0;
    auto [it, fresh] = byDelay.try_emplace(d);
    if (fresh)
      it->second.assign(w.size(), 0);
    it->second[k] = w[k];
  }
  // A group of zero weights sends zeros: left out (Lava drops a dense_rec
  // layer's forward weights this way, docs/loihi2.md), unless nothing else
  // would drive the neuron.
  for (auto it = byDelay.begin(); it != byDelay.end();)
    it = llvm::all_of(it->second, [](int64_t x) { return x == 0; })
             ? byDelay.erase(it)
             : std::next(it);
  if (byDelay.empty() && !mayBeEmpty)
    byDelay[0].assign(w.size(), 0);
  SmallVector<Value> out;
  for (auto &[d, group] : byDelay) {
    int64_t bits = weightBits(group);
    if (bits > 16) {
      error(l) << "weight beyond 16 bits after Lava's clipping";
      return std::nullopt;
    }
    std::vector<int64_t> wide(group.begin(), group.end());
    NamedAttrList attrs;
    attrs.append("weight", ints({n, numInputs}, wide, 16));
    attrs.append("weight_bits", b.getI64IntegerAttr(bits));
    if (l.weightExp != 0)
      attrs.append("weight_exp", b.getI64IntegerAttr(l.weightExp));
    attrs.append("acc_bits", b.getI64IntegerAttr(32));
    attrs.append("overflow", OverflowAttr::get(ctx, Overflow::Wrap));
    attrs.append("scale",
                 b.getF64FloatAttr(given ? (recurrent ? given->recurrentScale
                                                      : given->forwardScale)
                                         : 1.0));
    if (given && !(recurrent ? given->recurrent : given->forward).empty())
      attrs.append("name", b.getStringAttr(recurrent ? given->recurrent
                                                     : given->forward));
    Value sum = b.create<QLinearOp>(loc, TypeRange{values({n})},
                                    ValueRange{in}, attrs.getAttrs());
    out.push_back(delayed(sum, b.getI64IntegerAttr(int64_t(d) + 1), loc));
  }
  return out;
}

/// Lava's Conv: the exact sum wrapped to 24 bits, weight_exp ignored, sent
/// one step later.
Value Importer::conv(const LavaLayer &l, Value in) {
  Location loc = layerLoc(l.index);
  std::vector<int64_t> w(l.weight.begin(), l.weight.end());
  int64_t bits = weightBits(w);
  if (bits > 16) {
    error(l) << "field 'weight': conv weights beyond 16 bits (largest "
                "magnitude needs "
             << bits << ")";
    return {};
  }
  int64_t out = l.shape[0];
  NamedAttrList attrs;
  attrs.append("weight",
               ints({out, l.inC / l.groups, l.kH, l.kW}, w, 16));
  attrs.append("stride", b.getDenseI64ArrayAttr({l.strideH, l.strideW}));
  attrs.append("padding", b.getDenseI64ArrayAttr({l.padH, l.padW}));
  attrs.append("dilation", b.getDenseI64ArrayAttr({l.dilH, l.dilW}));
  attrs.append("groups", b.getI64IntegerAttr(l.groups));
  attrs.append("weight_bits", b.getI64IntegerAttr(bits));
  attrs.append("acc_bits", b.getI64IntegerAttr(kStateBits));
  attrs.append("overflow", OverflowAttr::get(ctx, Overflow::Wrap));
  const LayerNames *given = namesOf(l.index);
  attrs.append("scale", b.getF64FloatAttr(given ? given->forwardScale : 1.0));
  if (given && !given->forward.empty())
    attrs.append("name", b.getStringAttr(given->forward));
  Value sum = b.create<QConv2dOp>(loc, TypeRange{values(l.shape)},
                                  ValueRange{in}, attrs.getAttrs());
  return delayed(sum, b.getI64IntegerAttr(1), loc);
}

/// Lava's LIF (PyLifModelBitAcc) as an snn.qneuron; see docs/loihi2.md for
/// each attribute. An input population (`biasInput`) has no current: its
/// input is the bias mantissa, shifted by bias_exp into v.
Value Importer::neuron(const LavaLayer &l, Value in, bool biasInput) {
  Location loc = layerLoc(l.index);
  int64_t iDecay = SNN_LAVA_DECAY_UNITY - (int64_t(l.du) + SNN_LAVA_DS_OFFSET);
  int64_t vDecay = SNN_LAVA_DECAY_UNITY - (int64_t(l.dv) + SNN_LAVA_DM_OFFSET);
  if (iDecay < 0 || iDecay > SNN_LAVA_DECAY_UNITY || vDecay < 0 ||
      vDecay > SNN_LAVA_DECAY_UNITY) {
    error(l) << "field 'neuron': du " << l.du << " or dv " << l.dv
             << " leaves Lava's 12-bit decay range";
    return {};
  }
  if (biasInput && l.biasExp != SNN_LAVA_ACT_SHIFT) {
    error(l) << "field 'neuron': bias_exp " << l.biasExp << " is not 6";
    return {};
  }
  // v never exceeds 2^23 - 1 (it saturates there), so a larger threshold is
  // the same as 2^23 - 1 (never fires) and a smaller one as -2^23 (always).
  int64_t vth = std::clamp<int64_t>(snn_lava_threshold(l.vth), -kStateMax - 1,
                                    kStateMax);
  std::vector<int64_t> bias;
  bool anyBias = false;
  for (int32_t mant : l.biasMant) {
    bias.push_back(snn_lava_bias(mant, l.biasExp));
    anyBias |= bias.back() != 0;
  }
  NamedAttrList attrs;
  attrs.append("v_bits", b.getI64IntegerAttr(kStateBits));
  if (!biasInput)
    attrs.append("i_bits", b.getI64IntegerAttr(kStateBits));
  attrs.append("decay", DecayArithAttr::get(ctx, DecayArith::Multiply));
  attrs.append("decay_shift", b.getI64IntegerAttr(SNN_LAVA_DECAY_SHIFT));
  attrs.append("v_decay", b.getI64IntegerAttr(vDecay));
  if (!biasInput)
    attrs.append("i_decay", b.getI64IntegerAttr(iDecay));
  if (anyBias)
    attrs.append("v_bias", ints(l.shape, bias));
  attrs.append("v_threshold", b.getI64IntegerAttr(vth));
  attrs.append("v_reset", b.getI64IntegerAttr(0));
  attrs.append("rounding", RoundingAttr::get(ctx, Rounding::TowardZero));
  attrs.append("overflow", OverflowAttr::get(ctx, Overflow::SaturateSymmetric));
  const LayerNames *given = namesOf(l.index);
  attrs.append("v_scale", b.getF64FloatAttr(given ? given->vScale : 1.0));
  if (!biasInput) {
    attrs.append("i_scale", b.getF64FloatAttr(given ? given->iScale : 1.0));
    attrs.append("i_overflow", OverflowAttr::get(ctx, Overflow::WrapOnce));
  }
  attrs.append("reset", ResetModeAttr::get(ctx, ResetMode::ToValue));
  attrs.append("reset_timing", ResetTimingAttr::get(ctx, ResetTiming::SameStep));
  attrs.append("spike", SpikeConditionAttr::get(ctx, SpikeCondition::Greater));
  attrs.append("name", b.getStringAttr(given && !given->neuron.empty()
                                           ? given->neuron
                                           : "layer" + std::to_string(l.index)));
  attrs.append("input_shift", b.getI64IntegerAttr(SNN_LAVA_ACT_SHIFT));
  attrs.append("input_bits", b.getI64IntegerAttr(32));
  return b.create<QNeuronOp>(loc, TypeRange{spikes(l.shape)}, ValueRange{in},
                             attrs.getAttrs());
}

/// A symbol name from the file name: letters, digits and '_'.
std::string networkName(const std::string &path) {
  std::string stem = llvm::sys::path::stem(path).str(), out = "netx_";
  for (char c : stem)
    out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}

OwningOpRef<ModuleOp> Importer::run() {
  llvm::Expected<Network> file = readNetx(path);
  if (!file) {
    emitError(fileLoc) << llvm::toString(file.takeError());
    return {};
  }
  llvm::Expected<LavaNetwork> net = toLava(*file);
  if (!net) {
    emitError(fileLoc) << path << ": " << llvm::toString(net.takeError());
    return {};
  }
  ctx->loadDialect<SNNDialect>();
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  if (!build(module->getBody(), *file, *net, networkName(path)))
    return {};
  if (failed(mlir::verify(*module)))
    return {};
  return module;
}

NetworkOp Importer::build(Block *block, const Network &file,
                          const LavaNetwork &lava, StringRef name) {
  const LavaNetwork *net = &lava;
  b.setInsertionPointToEnd(block);
  const LavaLayer &last = net->layers.back();
  Type inType =
      net->biasInput ? values(net->inputShape) : spikes(net->inputShape);
  Type outType = spikes(last.shape);
  double dt = file.ts ? double(*file.ts) : 1.0;
  auto network = b.create<NetworkOp>(
      fileLoc, b.getStringAttr(name),
      TypeAttr::get(b.getFunctionType({inType}, {outType})),
      b.getArrayAttr({b.getStringAttr("input")}),
      b.getArrayAttr({b.getStringAttr("layer" + std::to_string(last.index))}),
      b.getF64FloatAttr(dt > 0 ? dt : 1.0));
  Block *body = new Block();
  network.getBody().push_back(body);
  Value signal = body->addArgument(inType, fileLoc);
  b.setInsertionPointToStart(body);
  auto fail = [&]() -> NetworkOp {
    network.erase();
    return {};
  };
  for (const LavaLayer &l : net->layers) {
    Location loc = layerLoc(l.index);
    bool biasInput = l.kind == LayerKind::Input;
    SmallVector<Value> drive;
    UnrealizedConversionCastOp self;
    if (biasInput) {
      // run_netx.py's input: the sample is the population's bias_mant, an
      // int16; a real-valued network input quantized with unit 1.
      NamedAttrList attrs;
      attrs.append("scale", b.getF64FloatAttr(1.0));
      attrs.append("bits", b.getI64IntegerAttr(16));
      drive.push_back(b.create<QuantizeOp>(loc, TypeRange{values(l.shape)},
                                           ValueRange{signal},
                                           attrs.getAttrs()));
    } else if (l.kind == LayerKind::Conv) {
      Value c = conv(l, signal);
      if (!c)
        return fail();
      drive.push_back(c);
    } else {
      std::optional<SmallVector<Value>> forward =
          dense(l, flattened(signal, loc), l.weight, l.numInputs, true,
                /*mayBeEmpty=*/l.kind == LayerKind::DenseRec, /*recurrent=*/false);
      if (!forward)
        return fail();
      drive.append(*forward);
      if (l.kind == LayerKind::DenseRec) {
        // The layer's own spikes, through its recurrent Dense: stands in
        // until the neuron exists.
        self = b.create<UnrealizedConversionCastOp>(
            loc, TypeRange{spikes({l.numNeurons})}, ValueRange{});
        std::optional<SmallVector<Value>> rec = dense(
            l, self.getResult(0), l.weightRec, l.numNeurons, false,
            /*mayBeEmpty=*/!drive.empty(), /*recurrent=*/true);
        if (!rec)
          return fail();
        drive.append(*rec);
      }
    }
    Value in = drive.front();
    if (drive.size() > 1)
      in = b.create<SumOp>(loc, drive.front().getType(), drive, StringAttr());
    Value out = neuron(l, in, biasInput);
    if (!out)
      return fail();
    if (self) {
      self.getResult(0).replaceAllUsesWith(out);
      self.erase();
    }
    signal = out;
  }
  b.create<OutputOp>(fileLoc, ValueRange{signal});
  return network;
}


} // namespace

OwningOpRef<ModuleOp> importNetx(const std::string &path, MLIRContext *ctx) {
  return Importer(ctx, path, FileLineColLoc::get(ctx, path, 0, 0)).run();
}

FailureOr<NetworkOp> buildNetwork(Block *block, const Network &file,
                                  StringRef name, Location loc,
                                  const std::vector<LayerNames> &names) {
  llvm::Expected<LavaNetwork> net = toLava(file);
  if (!net)
    return emitError(loc) << "netx cannot hold this network: "
                          << llvm::toString(net.takeError());
  MLIRContext *ctx = loc.getContext();
  ctx->loadDialect<SNNDialect>();
  NetworkOp built = Importer(ctx, "the netx form", loc, &names)
                        .build(block, file, *net, name);
  if (!built)
    return failure();
  return built;
}

void registerNetxTranslations() {
  static TranslateToMLIRRegistration importNetxFile(
      "import-netx", "import a lava-dl netx (HDF5) file as an snn.network",
      [](llvm::SourceMgr &sourceMgr,
         MLIRContext *context) -> OwningOpRef<Operation *> {
        const llvm::MemoryBuffer *buffer =
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
        OwningOpRef<ModuleOp> module =
            importNetx(buffer->getBufferIdentifier().str(), context);
        return OwningOpRef<Operation *>(module.release());
      },
      [](DialectRegistry &registry) { registry.insert<SNNDialect>(); });
  registerNetxExport();
}

} // namespace snn::netx

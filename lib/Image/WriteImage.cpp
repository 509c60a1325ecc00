//===- WriteImage.cpp - an snnhw.chip as a chip image ---------------------===//

#include "Image/ImageTranslate.h"
#include "SNN/IR/SNNParams.h"
#include "Xylo/XyloExport.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;

namespace snn::image {

namespace {

using Builder = flatbuffers::FlatBufferBuilder;

/// The stored values of a scalar-or-tensor parameter: one, or one each.
std::vector<int64_t> ints(Attribute attr) {
  return attr ? IntParam(attr).stored() : std::vector<int64_t>();
}

std::vector<double> reals(Attribute attr) {
  return attr ? NeuronParam(attr).stored() : std::vector<double>();
}

Overflow overflowOf(snn::Overflow o) {
  switch (o) {
  case snn::Overflow::Saturate:
    return Overflow::Saturate;
  case snn::Overflow::Wrap:
    return Overflow::Wrap;
  case snn::Overflow::WrapOnce:
    return Overflow::WrapOnce;
  case snn::Overflow::SaturateSymmetric:
    return Overflow::SaturateSymmetric;
  }
  llvm_unreachable("every snn::Overflow has an image value");
}

Rounding roundingOf(snn::Rounding r) {
  switch (r) {
  case snn::Rounding::NearestEven:
    return Rounding::NearestEven;
  case snn::Rounding::HalfAway:
    return Rounding::HalfAway;
  case snn::Rounding::Floor:
    return Rounding::Floor;
  case snn::Rounding::TowardZero:
    return Rounding::TowardZero;
  }
  llvm_unreachable("every snn::Rounding has an image value");
}

struct Writer {
  hw::ChipOp chip;
  Builder fb{1 << 16};
  llvm::DenseMap<Value, int> signalOf;
  std::vector<flatbuffers::Offset<Signal>> signals;
  std::vector<flatbuffers::Offset<Stage>> stages;

  /// The real value of one integer of `v`, as the engines report it.
  std::vector<double> unitOf(Value v) {
    Operation *def = v.getDefiningOp();
    if (!def || isSpikes(v.getType()))
      return {};
    return llvm::TypeSwitch<Operation *, std::vector<double>>(def)
        .Case<hw::QuantizeOp>([](auto o) { return reals(o.getScale()); })
        .Case<hw::SynapsesOp>([](auto o) { return reals(o.getScale()); })
        .Case<hw::NeuronsOp>([](auto o) { return reals(o.getVScale()); })
        .Default([&](Operation *o) { return unitOf(o->getOperand(0)); });
  }

  void addSignal(Value v) {
    signalOf[v] = int(signals.size());
    llvm::ArrayRef<int64_t> dims = getSignalShape(v.getType());
    std::vector<int64_t> shape(dims.begin(), dims.end());
    std::vector<double> unit = unitOf(v);
    signals.push_back(CreateSignalDirect(fb, getSignalSize(v.getType()), &shape,
                                         isSpikes(v.getType()),
                                         unit.empty() ? nullptr : &unit));
  }

  flatbuffers::Offset<Synapses> synapses(hw::SynapsesOp o) {
    std::vector<int32_t> offsets, targets;
    for (int64_t v : intValues(o.getOffsets()))
      offsets.push_back(int32_t(v));
    for (int64_t v : intValues(o.getTargets()))
      targets.push_back(int32_t(v));
    std::vector<int16_t> weights;
    for (int64_t v : intValues(o.getWeights()))
      weights.push_back(int16_t(v));
    std::vector<int64_t> bias;
    if (o.getBias())
      bias = intValues(*o.getBias());
    return CreateSynapsesDirect(
        fb,
        o.getFormat() == hw::SynapseFormat::sparse ? SynapseFormat::Sparse
                                                   : SynapseFormat::Dense,
        int32_t(o.getWeightBits()), int32_t(o.getWeightExp()),
        int32_t(o.getAccBits()), overflowOf(o.getOverflow()), &offsets,
        &targets, &weights, bias.empty() ? nullptr : &bias);
  }

  flatbuffers::Offset<Neurons> neurons(hw::NeuronsOp o) {
    std::vector<int64_t> vDecay = ints(o.getVDecayAttr()),
                         iDecay = ints(o.getIDecayAttr()),
                         vBias = ints(o.getVBiasAttr()),
                         theta = ints(o.getVThresholdAttr()),
                         vReset = ints(o.getVResetAttr());
    std::vector<double> vUnit = reals(o.getVScale()),
                        iUnit = reals(o.getIScaleAttr());
    auto list = [](std::vector<int64_t> &v) { return v.empty() ? nullptr : &v; };
    bool fires = static_cast<bool>(o.getVThresholdAttr());
    flatbuffers::Optional<Overflow> iOverflow = flatbuffers::nullopt;
    if (o.getIOverflow())
      iOverflow = overflowOf(*o.getIOverflow());
    return CreateNeuronsDirect(
        fb, int32_t(o.getVBits()), int32_t(o.getIBits().value_or(0)),
        o.getDecay() == snn::DecayArith::Shift ? DecayArith::Shift
                                               : DecayArith::Multiply,
        int32_t(o.getDecayShift().value_or(0)), roundingOf(o.getRounding()),
        overflowOf(o.getOverflow()), list(vDecay), list(iDecay), list(vBias),
        list(theta), list(vReset),
        fires && *o.getReset() == snn::ResetMode::Subtract,
        fires && *o.getResetTiming() == snn::ResetTiming::NextStep,
        fires && *o.getSpike() == snn::SpikeCondition::GreaterEqual, &vUnit,
        iUnit.empty() ? nullptr : &iUnit, iOverflow,
        int32_t(o.getInputShift().value_or(0)),
        int32_t(o.getInputBits().value_or(0)));
  }

  /// An snnhw.xylo's core as the image's Xylo table (version 3): every
  /// per-neuron value spelled out, weights dense in Rockpool's order.
  flatbuffers::Offset<Xylo> xylo(hw::XyloOp o) {
    xylo::Spec s = xylo::specOf(o.getCore(), chip.getDt().convertToDouble());
    auto narrow = [](const std::vector<int64_t> &v, auto type) {
      using T = decltype(type);
      return std::vector<T>(v.begin(), v.end());
    };
    std::vector<int8_t> win = narrow(s.weightsIn, int8_t()),
                        wrec = narrow(s.weightsRec, int8_t()),
                        wout = narrow(s.weightsOut, int8_t());
    std::vector<uint8_t> dashMem = narrow(s.dashMem, uint8_t()),
                         dashSyn = narrow(s.dashSyn, uint8_t()),
                         dashSyn2 = narrow(s.dashSyn2, uint8_t()),
                         dashMemOut = narrow(s.dashMemOut, uint8_t()),
                         dashSynOut = narrow(s.dashSynOut, uint8_t());
    std::vector<int16_t> threshold = narrow(s.threshold, int16_t()),
                         bias = narrow(s.bias, int16_t()),
                         thresholdOut = narrow(s.thresholdOut, int16_t()),
                         biasOut = narrow(s.biasOut, int16_t());
    std::vector<int32_t> aliases(size_t(s.nHid), -1);
    for (size_t h = 0; h < s.aliases.size() && h < aliases.size(); ++h)
      if (!s.aliases[h].empty())
        aliases[h] = int32_t(s.aliases[h][0]);
    auto version = o.getCore().getAs<IntegerAttr>("version");
    return CreateXyloDirect(
        fb, int32_t(version.getInt()), o.getDevice().str().c_str(),
        int32_t(s.nHid), int32_t(s.nIen), int32_t(s.nOen), int32_t(s.synIn),
        int32_t(s.synRec), &win, &wrec, &wout, int32_t(s.weightShiftIn),
        int32_t(s.weightShiftRec), int32_t(s.weightShiftOut), &dashMem,
        &dashSyn, &dashSyn2, &threshold, &bias, &dashMemOut, &dashSynOut,
        &thresholdOut, &biasOut, &aliases);
  }

  void addStage(Operation *op, StageKind kind) {
    std::vector<int32_t> inputs, cores;
    for (Value v : op->getOperands())
      inputs.push_back(signalOf.lookup(v));
    std::vector<int64_t> splits;
    if (auto c = op->getAttrOfType<DenseI64ArrayAttr>("cores"))
      for (int64_t v : c.asArrayRef())
        cores.push_back(int32_t(v));
    if (auto s = op->getAttrOfType<DenseI64ArrayAttr>("splits"))
      splits.assign(s.asArrayRef().begin(), s.asArrayRef().end());
    auto name = op->getAttrOfType<StringAttr>("name").str();
    flatbuffers::Offset<Synapses> syn;
    flatbuffers::Offset<Neurons> neu;
    flatbuffers::Offset<Quantize> quant;
    flatbuffers::Offset<Xylo> core;
    if (auto o = dyn_cast<hw::XyloOp>(op))
      core = xylo(o);
    std::vector<int64_t> steps;
    if (auto o = dyn_cast<hw::SynapsesOp>(op))
      syn = synapses(o);
    if (auto o = dyn_cast<hw::NeuronsOp>(op))
      neu = neurons(o);
    if (auto o = dyn_cast<hw::QuantizeOp>(op)) {
      std::vector<double> scale = reals(o.getScale());
      quant = CreateQuantizeDirect(fb, &scale, int32_t(o.getBits()));
    }
    if (auto o = dyn_cast<hw::DelayOp>(op))
      steps.assign(o.getSteps().begin(), o.getSteps().end());
    stages.push_back(CreateStageDirect(
        fb, kind, name.c_str(), &inputs, signalOf.lookup(op->getResult(0)),
        cores.empty() ? nullptr : &cores, splits.empty() ? nullptr : &splits,
        syn, neu, quant, steps.empty() ? nullptr : &steps, core));
  }

  std::vector<uint8_t> run();
};

std::vector<uint8_t> Writer::run() {
  Block &body = chip.getBodyBlock();
  for (BlockArgument arg : body.getArguments())
    addSignal(arg);
  for (Operation &op : body)
    if (op.getNumResults() == 1)
      addSignal(op.getResult(0));
  std::vector<flatbuffers::Offset<Core>> cores;
  std::vector<flatbuffers::Offset<Route>> routes;
  for (Operation &op : body) {
    llvm::TypeSwitch<Operation *>(&op)
        .Case<hw::CoreOp>([&](hw::CoreOp o) {
          // A system of chips: the core's chip, and its place on the
          // mesh of chips the chip op's `chips` gives (count, width, height).
          int32_t onChip = 0, chipX = 0, chipY = 0;
          auto system = chip->getAttrOfType<DenseI64ArrayAttr>("chips");
          if (auto c = o->getAttrOfType<IntegerAttr>("chip");
              c && system && system.size() == 3 && system[1] > 0) {
            onChip = int32_t(c.getInt());
            chipX = int32_t(c.getInt() % system[1]);
            chipY = int32_t(c.getInt() / system[1]);
          }
          cores.push_back(CreateCore(fb, int32_t(o.getId()), int32_t(o.getX()),
                                     int32_t(o.getY()), o.getNeurons(),
                                     o.getSynapseBytes(), o.getFanIn(), onChip,
                                     chipX, chipY));
        })
        .Case<hw::RouteOp>([&](hw::RouteOp o) {
          std::vector<int32_t> to(o.getTo().begin(), o.getTo().end()),
              hops(o.getHops().begin(), o.getHops().end());
          routes.push_back(CreateRouteDirect(
              fb, o.getSource().str().c_str(), int32_t(o.getSlice()),
              int32_t(o.getFrom()), &to, &hops,
              o.getRate().convertToDouble()));
        })
        .Case<hw::QuantizeOp>([&](Operation *o) { addStage(o, StageKind::Quantize); })
        .Case<hw::SynapsesOp>([&](Operation *o) { addStage(o, StageKind::Synapses); })
        .Case<hw::NeuronsOp>([&](Operation *o) { addStage(o, StageKind::Neurons); })
        .Case<hw::SumOp>([&](Operation *o) { addStage(o, StageKind::Sum); })
        .Case<hw::DelayOp>([&](Operation *o) { addStage(o, StageKind::Delay); })
        .Case<hw::ReshapeOp>([&](Operation *o) { addStage(o, StageKind::Reshape); })
        .Case<hw::XyloOp>([&](Operation *o) { addStage(o, StageKind::Xylo); });
  }
  std::vector<flatbuffers::Offset<Port>> inputs, outputs;
  for (auto [arg, name] : llvm::zip(body.getArguments(),
                                    chip.getInputNames().getAsRange<StringAttr>()))
    inputs.push_back(CreatePortDirect(fb, name.str().c_str(), signalOf[arg]));
  for (auto [v, name] : llvm::zip(chip.getOutputOp().getOutputs(),
                                  chip.getOutputNames().getAsRange<StringAttr>()))
    outputs.push_back(CreatePortDirect(fb, name.str().c_str(), signalOf[v]));
  std::vector<flatbuffers::Offset<Cost>> cost;
  for (NamedAttribute entry : chip.getCost())
    cost.push_back(CreateCostDirect(
        fb, entry.getName().str().c_str(),
        cast<FloatAttr>(entry.getValue()).getValueAsDouble()));
  std::string name = chip.getSymName().str(), target = chip.getTarget().str(),
              model = chip.getCycleModel().str();
  auto root = CreateChipDirect(
      fb, name.c_str(), target.c_str(), int32_t(chip.getMesh()[0]),
      int32_t(chip.getMesh()[1]), chip.getDt().convertToDouble(), &cost,
      &cores, &signals, &inputs, &outputs, &stages, &routes, model.c_str());
  FinishChipBuffer(fb, root);
  return seal(fb.GetBufferPointer(), fb.GetSize());
}

} // namespace

std::vector<uint8_t> writeImage(hw::ChipOp chip) { return Writer{chip}.run(); }

} // namespace snn::image

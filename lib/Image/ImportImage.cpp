//===- ImportImage.cpp - a chip image back as an snnhw.chip ---------------===//
//
// The inverse of WriteImage: reading an image back gives the same chip, op
// for op, which is how the round-trip tests compare tables.
//
//===----------------------------------------------------------------------===//

#include "Image/ImageTranslate.h"
#include "SNN/IR/SNNParams.h"
#include "Xylo/XyloImport.h"

#include "mlir/IR/Builders.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;

namespace snn::image {

namespace {

template <typename T>
std::vector<int64_t> toInts(const flatbuffers::Vector<T> *v) {
  return v ? std::vector<int64_t>(v->begin(), v->end())
           : std::vector<int64_t>();
}

std::vector<double> toReals(const flatbuffers::Vector<double> *v) {
  return v ? std::vector<double>(v->begin(), v->end()) : std::vector<double>();
}

snn::Overflow overflowOf(Overflow o) {
  switch (o) {
  case Overflow::Wrap:
    return snn::Overflow::Wrap;
  case Overflow::WrapOnce:
    return snn::Overflow::WrapOnce;
  case Overflow::SaturateSymmetric:
    return snn::Overflow::SaturateSymmetric;
  default: // the image was checked: Saturate
    return snn::Overflow::Saturate;
  }
}

snn::Rounding roundingOf(Rounding r) {
  switch (r) {
  case Rounding::HalfAway:
    return snn::Rounding::HalfAway;
  case Rounding::Floor:
    return snn::Rounding::Floor;
  case Rounding::TowardZero:
    return snn::Rounding::TowardZero;
  default: // the image was checked: NearestEven
    return snn::Rounding::NearestEven;
  }
}

struct Importer {
  const Chip &image;
  OpBuilder b;
  std::vector<Type> types;
  std::vector<Value> values, placeholders;

  Importer(const Chip &image, MLIRContext *context)
      : image(image), b(context) {}

  llvm::ArrayRef<int64_t> shapeOf(int signal) {
    return getSignalShape(types[signal]);
  }

  Value valueOf(int signal) {
    if (values[signal])
      return values[signal];
    if (!placeholders[signal])
      placeholders[signal] =
          b.create<UnrealizedConversionCastOp>(b.getUnknownLoc(),
                                               types[signal], ValueRange{})
              .getResult(0);
    return placeholders[signal];
  }

  Attribute reals(const std::vector<double> &v, int signal) {
    if (v.size() == 1)
      return b.getF64FloatAttr(v[0]);
    return paramAttr(b, v, shapeOf(signal));
  }
  Attribute ints(const flatbuffers::Vector<int64_t> *v, int signal) {
    if (!v || v->size() == 0)
      return {};
    return intParamAttr(b, toInts(v), v->size() == 1 ? llvm::ArrayRef<int64_t>{}
                                                     : shapeOf(signal));
  }
  Operation *stage(const Stage &s);
  Operation *xyloStage(const Stage &s, Value in, Type type, StringAttr name,
                       DenseI64ArrayAttr cores, DenseI64ArrayAttr splits);
  OwningOpRef<ModuleOp> run();
};

Operation *Importer::stage(const Stage &s) {
  Location loc = b.getUnknownLoc();
  int out = s.output();
  Type type = types[out];
  Value in = valueOf(s.inputs()->Get(0));
  StringAttr name = b.getStringAttr(s.name() ? s.name()->str() : "");
  std::vector<int64_t> coreList = toInts(s.cores()), splits = toInts(s.splits());
  auto cores = b.getDenseI64ArrayAttr(coreList);
  auto splitAttr = b.getDenseI64ArrayAttr(splits);
  switch (s.kind()) {
  case StageKind::Quantize:
    return b.create<hw::QuantizeOp>(
        loc, type, in, reals(toReals(s.quantize()->scale()), out),
        b.getI64IntegerAttr(s.quantize()->bits()), name);
  case StageKind::Synapses: {
    const Synapses *t = s.synapses();
    std::vector<double> unit = toReals(image.signals()->Get(out)->unit());
    return b.create<hw::SynapsesOp>(
        loc, type, in,
        t->format() == SynapseFormat::Sparse ? hw::SynapseFormat::sparse
                                             : hw::SynapseFormat::dense,
        t->weight_bits(), t->weight_exp(), t->acc_bits(),
        overflowOf(t->overflow()), intTensorAttr(b, toInts(t->offsets()), 32),
        intTensorAttr(b, toInts(t->targets()), 32),
        intTensorAttr(b, toInts(t->weights()), 32),
        t->bias() && t->bias()->size()
            ? intTensorAttr(b, toInts(t->bias()), 64)
            : DenseIntElementsAttr(),
        reals(unit, out), cores, splitAttr, name);
  }
  case StageKind::Neurons: {
    const Neurons *n = s.neurons();
    OperationState state(loc, hw::NeuronsOp::getOperationName());
    state.addOperands(in);
    state.addTypes(type);
    auto set = [&](const char *key, Attribute a) {
      if (a)
        state.addAttribute(key, a);
    };
    set("v_bits", b.getI64IntegerAttr(n->v_bits()));
    if (n->i_bits())
      set("i_bits", b.getI64IntegerAttr(n->i_bits()));
    bool shift = n->decay() == DecayArith::Shift;
    set("decay", snn::DecayArithAttr::get(b.getContext(),
                                          shift ? snn::DecayArith::Shift
                                                : snn::DecayArith::Multiply));
    if (!shift)
      set("decay_shift", b.getI64IntegerAttr(n->decay_shift()));
    set("v_decay", ints(n->v_decay(), out));
    set("i_decay", ints(n->i_decay(), out));
    set("v_bias", ints(n->v_bias(), out));
    set("v_threshold", ints(n->v_threshold(), out));
    set("v_reset", ints(n->v_reset(), out));
    set("rounding",
        snn::RoundingAttr::get(b.getContext(), roundingOf(n->rounding())));
    set("overflow",
        snn::OverflowAttr::get(b.getContext(), overflowOf(n->overflow())));
    if (n->i_overflow())
      set("i_overflow", snn::OverflowAttr::get(b.getContext(),
                                               overflowOf(*n->i_overflow())));
    if (n->input_shift())
      set("input_shift", b.getI64IntegerAttr(n->input_shift()));
    if (n->input_bits())
      set("input_bits", b.getI64IntegerAttr(n->input_bits()));
    set("v_scale", reals(toReals(n->v_unit()), out));
    if (n->i_unit() && n->i_unit()->size())
      set("i_scale", reals(toReals(n->i_unit()), out));
    if (n->v_threshold() && n->v_threshold()->size()) {
      set("reset", snn::ResetModeAttr::get(
                       b.getContext(), n->reset_subtract()
                                           ? snn::ResetMode::Subtract
                                           : snn::ResetMode::ToValue));
      set("reset_timing", snn::ResetTimingAttr::get(
                              b.getContext(), n->reset_next_step()
                                                  ? snn::ResetTiming::NextStep
                                                  : snn::ResetTiming::SameStep));
      set("spike", snn::SpikeConditionAttr::get(
                       b.getContext(), n->fire_on_equal()
                                           ? snn::SpikeCondition::GreaterEqual
                                           : snn::SpikeCondition::Greater));
    }
    set("cores", cores);
    set("splits", splitAttr);
    set("name", name);
    return b.create(state);
  }
  case StageKind::Sum: {
    SmallVector<Value> inputs;
    for (int k : *s.inputs())
      inputs.push_back(valueOf(k));
    return b.create<hw::SumOp>(loc, type, inputs, name);
  }
  case StageKind::Delay:
    return b.create<hw::DelayOp>(
        loc, type, in, b.getDenseI64ArrayAttr(toInts(s.delay_steps())), name);
  case StageKind::Reshape:
    return b.create<hw::ReshapeOp>(loc, type, in, name);
  case StageKind::Xylo:
    return xyloStage(s, in, type, name, cores, splitAttr);
  }
  return nullptr;
}

/// A Xylo table back as snnhw.xylo: its specification made an snn.xylo
/// (lib/Xylo's import, one definition of the attributes), whose attributes
/// become the core's.
Operation *Importer::xyloStage(const Stage &s, Value in, Type type,
                               StringAttr name, DenseI64ArrayAttr cores,
                               DenseI64ArrayAttr splits) {
  const Xylo &t = *s.xylo();
  xylo::Spec spec;
  spec.nIn = getSignalSize(in.getType());
  spec.nOut = getSignalSize(type);
  spec.nHid = t.hidden();
  spec.nIen = t.input_expansion();
  spec.nOen = t.output_expansion();
  spec.synIn = t.synapses_in();
  spec.synRec = t.synapses_rec();
  spec.in3d = spec.synIn == 2;
  spec.rec3d = spec.synRec == 2;
  spec.weightsIn = toInts(t.weights_in());
  spec.weightsRec = toInts(t.weights_rec());
  spec.weightsOut = toInts(t.weights_out());
  spec.weightShiftIn = t.weight_shift_in();
  spec.weightShiftRec = t.weight_shift_rec();
  spec.weightShiftOut = t.weight_shift_out();
  spec.dashMem = toInts(t.dash_mem());
  spec.dashSyn = toInts(t.dash_syn());
  spec.dashSyn2 = toInts(t.dash_syn_2());
  spec.threshold = toInts(t.threshold());
  spec.bias = toInts(t.bias());
  spec.dashMemOut = toInts(t.dash_mem_out());
  spec.dashSynOut = toInts(t.dash_syn_out());
  spec.thresholdOut = toInts(t.threshold_out());
  spec.biasOut = toInts(t.bias_out());
  spec.aliases.assign(size_t(spec.nHid), {});
  for (int64_t h = 0; h < spec.nHid; ++h)
    if (t.aliases()->Get(flatbuffers::uoffset_t(h)) >= 0)
      spec.aliases[size_t(h)].push_back(t.aliases()->Get(flatbuffers::uoffset_t(h)));
  OpBuilder detached(b.getContext());
  XyloOp made = xylo::buildXyloOp(detached, b.getUnknownLoc(), in, spec,
                                  t.version(), name.getValue());
  NamedAttrList attrs(made->getAttrDictionary());
  attrs.erase("name");
  DictionaryAttr core = attrs.getDictionary(b.getContext());
  made->erase();
  return b.create<hw::XyloOp>(
      b.getUnknownLoc(), type, in, core,
      b.getStringAttr(t.device() ? t.device()->str() : ""), cores, splits,
      name);
}

OwningOpRef<ModuleOp> Importer::run() {
  MLIRContext *context = b.getContext();
  for (const Signal *s : *image.signals()) {
    std::vector<int64_t> shape = toInts(s->shape());
    types.push_back(s->spikes() ? Type(SpikesType::get(context, shape))
                                : Type(ValuesType::get(context, shape)));
  }
  values.assign(types.size(), Value());
  placeholders.assign(types.size(), Value());
  OwningOpRef<ModuleOp> module = ModuleOp::create(b.getUnknownLoc());
  b.setInsertionPointToEnd(module->getBody());
  SmallVector<Type> inputTypes, outputTypes;
  SmallVector<Attribute> inputNames, outputNames;
  for (const Port *p : *image.inputs()) {
    inputTypes.push_back(types[p->signal()]);
    inputNames.push_back(b.getStringAttr(p->name() ? p->name()->str() : ""));
  }
  for (const Port *p : *image.outputs()) {
    outputTypes.push_back(types[p->signal()]);
    outputNames.push_back(b.getStringAttr(p->name() ? p->name()->str() : ""));
  }
  SmallVector<NamedAttribute> cost;
  if (image.cost())
    for (const Cost *c : *image.cost())
      cost.push_back(b.getNamedAttr(c->key() ? c->key()->str() : "",
                                    b.getF64FloatAttr(c->value())));
  auto chip = b.create<hw::ChipOp>(
      b.getUnknownLoc(),
      b.getStringAttr(image.name() ? image.name()->str() : "chip"),
      TypeAttr::get(b.getFunctionType(inputTypes, outputTypes)),
      b.getArrayAttr(inputNames), b.getArrayAttr(outputNames),
      b.getStringAttr(image.target() ? image.target()->str() : ""),
      b.getDenseI64ArrayAttr({image.mesh_width(), image.mesh_height()}),
      b.getDictionaryAttr(cost), b.getStringAttr(image.cycle_model()->str()),
      b.getF64FloatAttr(image.dt()));
  Block *body = new Block();
  chip.getBody().push_back(body);
  for (const Port *p : *image.inputs())
    values[p->signal()] = body->addArgument(types[p->signal()], chip.getLoc());
  b.setInsertionPointToStart(body);
  int64_t chipsWide = 1, chipsHigh = 1, chips = 1;
  for (const Core *c : *image.cores()) {
    auto core = b.create<hw::CoreOp>(chip.getLoc(), c->id(), c->x(), c->y(),
                                     c->neurons(), c->synapse_bytes(),
                                     c->fan_in());
    // A system of chips (docs/scale-out.md): the chip of each core, and
    // the mesh of chips as far as the cores in use show it.
    if (c->chip() || c->chip_x() || c->chip_y()) {
      core->setAttr("chip", b.getI64IntegerAttr(c->chip()));
      chipsWide = std::max<int64_t>(chipsWide, c->chip_x() + 1);
      chipsHigh = std::max<int64_t>(chipsHigh, c->chip_y() + 1);
      chips = std::max<int64_t>(chips, c->chip() + 1);
    }
  }
  if (chips > 1)
    chip->setAttr("chips", b.getDenseI64ArrayAttr(
                               {std::max(chips, chipsWide * chipsHigh),
                                chipsWide, chipsHigh}));
  for (const Stage *s : *image.stages())
    values[s->output()] = stage(*s)->getResult(0);
  if (image.routes())
    for (const Route *r : *image.routes())
      b.create<hw::RouteOp>(
          chip.getLoc(), b.getStringAttr(r->source() ? r->source()->str() : ""),
          b.getI64IntegerAttr(r->slice()), b.getI64IntegerAttr(r->from()),
          b.getDenseI64ArrayAttr(toInts(r->to())),
          b.getDenseI64ArrayAttr(toInts(r->hops())),
          b.getF64FloatAttr(r->rate()));
  SmallVector<Value> outputs;
  for (const Port *p : *image.outputs())
    outputs.push_back(valueOf(p->signal()));
  b.create<hw::OutputOp>(chip.getLoc(), outputs);
  for (size_t k = 0; k < placeholders.size(); ++k)
    if (placeholders[k]) {
      placeholders[k].replaceAllUsesWith(values[k]);
      placeholders[k].getDefiningOp()->erase();
    }
  return module;
}

hw::ChipOp onlyChip(Operation *op) {
  SmallVector<hw::ChipOp> found;
  op->walk([&](hw::ChipOp c) { found.push_back(c); });
  if (found.size() != 1) {
    op->emitError() << "--emit-image needs exactly one snnhw.chip (run "
                       "snn-map first), found "
                    << found.size();
    return {};
  }
  return found.front();
}

} // namespace

OwningOpRef<ModuleOp> importImage(const Chip &chip, MLIRContext *context) {
  return Importer(chip, context).run();
}

void registerImageTranslations() {
  static TranslateFromMLIRRegistration emit(
      "emit-image", "Write a mapped chip (snnhw.chip) as a chip image",
      [](Operation *op, llvm::raw_ostream &os) -> LogicalResult {
        hw::ChipOp chip = onlyChip(op);
        if (!chip)
          return failure();
        std::vector<uint8_t> bytes = writeImage(chip);
        // What a runtime would refuse is refused here, before it ships.
        std::string error;
        if (!ChipImage::fromBytes(bytes, error))
          return chip.emitError() << "the image does not verify: " << error;
        os.write(reinterpret_cast<const char *>(bytes.data()), bytes.size());
        return success();
      },
      [](DialectRegistry &registry) {
        registry.insert<SNNDialect, hw::SNNHWDialect>();
      });
  static TranslateToMLIRRegistration import(
      "import-image", "Read a chip image back as an snnhw.chip",
      [](llvm::SourceMgr &sourceMgr,
         MLIRContext *context) -> OwningOpRef<Operation *> {
        const llvm::MemoryBuffer *buffer =
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
        std::vector<uint8_t> bytes(buffer->getBufferStart(),
                                   buffer->getBufferEnd());
        std::string error;
        std::unique_ptr<ChipImage> image =
            ChipImage::fromBytes(std::move(bytes), error);
        if (!image) {
          emitError(UnknownLoc::get(context))
              << buffer->getBufferIdentifier() << ": " << error;
          return nullptr;
        }
        context->loadDialect<SNNDialect, hw::SNNHWDialect>();
        return OwningOpRef<Operation *>(
            importImage(image->chip(), context).release());
      },
      [](DialectRegistry &registry) {
        registry.insert<SNNDialect, hw::SNNHWDialect>();
      });
}

} // namespace snn::image

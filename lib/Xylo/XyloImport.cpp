//===- XyloImport.cpp - a Rockpool Xylo specification as snn IR -----------===//

#include "Xylo/XyloImport.h"
#include "SNN/IR/SNNParams.h"
#include "Xylo/XyloSpecIO.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;

namespace snn::xylo {

namespace {

/// Weights as int8, an all-zero array (weights_rec by default) as a splat so
/// that a 1000-neuron core without recurrence stays small.
DenseIntElementsAttr weights(OpBuilder &b, ArrayRef<int64_t> shape,
                             const std::vector<int64_t> &values) {
  auto type = RankedTensorType::get(shape, b.getIntegerType(8));
  if (std::all_of(values.begin(), values.end(),
                  [](int64_t v) { return v == 0; }))
    return DenseIntElementsAttr::get(type, ArrayRef<int8_t>{0});
  std::vector<int8_t> narrow(values.begin(), values.end());
  return DenseIntElementsAttr::get(type, ArrayRef<int8_t>(narrow));
}

SmallVector<int64_t, 3> inShape(const Spec &s) {
  if (s.in3d)
    return {s.nIn, s.nIen, s.synIn};
  return {s.nIn, s.nIen};
}

SmallVector<int64_t, 3> recShape(const Spec &s) {
  if (s.rec3d)
    return {s.nHid, s.nHid, s.synRec};
  return {s.nHid, s.nHid};
}

bool anyNonZero(const std::vector<int64_t> &v) {
  return std::any_of(v.begin(), v.end(), [](int64_t x) { return x != 0; });
}

} // namespace

XyloOp buildXyloOp(OpBuilder &b, Location loc, Value input, const Spec &s,
                   int version, llvm::StringRef opName) {
  Type out = SpikesType::get(b.getContext(), {s.nOut});
  SmallVector<int64_t, 1> hid{s.nHid}, outs{s.nOut};
  auto param = [&](const std::vector<int64_t> &v, ArrayRef<int64_t> shape) {
    return intParamAttr(b, v, shape);
  };
  OperationState state(loc, XyloOp::getOperationName());
  XyloOp::Properties &p = state.getOrAddProperties<XyloOp::Properties>();
  p.version = b.getI64IntegerAttr(version);
  p.weights_in = weights(b, inShape(s), s.weightsIn);
  p.weights_rec = weights(b, recShape(s), s.weightsRec);
  p.weights_out = weights(b, {s.nOen, s.nOut}, s.weightsOut);
  p.weight_shift_in = b.getI64IntegerAttr(s.weightShiftIn);
  p.weight_shift_rec = b.getI64IntegerAttr(s.weightShiftRec);
  p.weight_shift_out = b.getI64IntegerAttr(s.weightShiftOut);
  p.dash_mem = param(s.dashMem, hid);
  p.dash_syn = param(s.dashSyn, hid);
  p.dash_syn_2 = param(s.dashSyn2, hid);
  p.threshold = param(s.threshold, hid);
  if (anyNonZero(s.bias))
    p.bias = param(s.bias, hid);
  p.dash_mem_out = param(s.dashMemOut, outs);
  p.dash_syn_out = param(s.dashSynOut, outs);
  p.threshold_out = param(s.thresholdOut, outs);
  if (anyNonZero(s.biasOut))
    p.bias_out = param(s.biasOut, outs);
  std::vector<int64_t> alias(static_cast<size_t>(s.nHid), -1);
  bool anyAlias = false;
  for (size_t h = 0; h < s.aliases.size() && h < alias.size(); ++h)
    if (!s.aliases[h].empty()) {
      alias[h] = s.aliases[h][0];
      anyAlias = true;
    }
  if (anyAlias)
    p.aliases = b.getDenseI64ArrayAttr(alias);
  p.name = b.getStringAttr(opName);
  state.addOperands(input);
  state.addTypes(out);
  return cast<XyloOp>(b.create(state));
}

NetworkOp buildXyloNetwork(OpBuilder &b, Location loc, const Spec &s,
                           int version, llvm::StringRef name) {
  MLIRContext *ctx = b.getContext();
  Type in = SpikesType::get(ctx, {s.nIn});
  Type out = SpikesType::get(ctx, {s.nOut});
  auto network = b.create<NetworkOp>(
      loc, b.getStringAttr(name), TypeAttr::get(b.getFunctionType({in}, {out})),
      b.getStrArrayAttr({"input"}), b.getStrArrayAttr({"output"}),
      b.getF64FloatAttr(s.dt > 0 ? s.dt : 1e-3));
  Block *body = new Block();
  network.getBody().push_back(body);
  Value input = body->addArgument(in, loc);

  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(body);
  XyloOp core = buildXyloOp(b, loc, input, s, version);
  b.create<OutputOp>(loc, ValueRange{core.getResult()});
  return network;
}

OwningOpRef<ModuleOp> importXyloSpec(const std::string &path,
                                     MLIRContext *context, int version) {
  context->loadDialect<SNNDialect>();
  Location fileLoc = FileLineColLoc::get(context, path, 0, 0);
  llvm::Expected<Spec> spec = readSpec(path);
  if (!spec) {
    emitError(fileLoc) << llvm::toString(spec.takeError());
    return {};
  }
  if (version != 1 && version != 2) {
    emitError(fileLoc) << path << ": xylosim version " << version
                       << " is not 1 or 2";
    return {};
  }
  std::string widths = checkWidths(*spec);
  if (!widths.empty()) {
    emitError(fileLoc) << path << ": " << widths;
    return {};
  }
  if (version == 1 && spec->hasBias()) {
    emitError(fileLoc) << path
                       << ": key 'bias' or 'bias_out' is non-zero but "
                          "version 1 cores have no bias";
    return {};
  }
  OpBuilder b(context);
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  b.setInsertionPointToStart(module->getBody());
  buildXyloNetwork(b, fileLoc, *spec, version);
  if (failed(verify(*module)))
    return {};
  return module;
}

void registerXyloTranslations() {
  static llvm::cl::opt<int> xyloVersion(
      "xylo-version",
      llvm::cl::desc("xylosim core of an imported Xylo specification: 2 "
                     "(Audio 2, IMU, Audio 3) or 1 (the first core)"),
      llvm::cl::init(2));
  static TranslateToMLIRRegistration importSpec(
      "import-xylo-spec",
      "import a Rockpool Xylo specification (.npz or .json) as an snn.network",
      [](llvm::SourceMgr &sourceMgr,
         MLIRContext *context) -> OwningOpRef<Operation *> {
        const llvm::MemoryBuffer *buffer =
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
        OwningOpRef<ModuleOp> module = importXyloSpec(
            buffer->getBufferIdentifier().str(), context, xyloVersion);
        return OwningOpRef<Operation *>(module.release());
      },
      [](DialectRegistry &registry) { registry.insert<SNNDialect>(); });
}

} // namespace snn::xylo

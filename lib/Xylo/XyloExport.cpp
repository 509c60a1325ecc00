//===- XyloExport.cpp - snn.xylo as a Rockpool specification --------------===//

#include "Xylo/XyloExport.h"
#include "SNN/IR/SNNDialect.h"
#include "SNN/IR/SNNParams.h"
#include "Xylo/XyloSpecIO.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace mlir;

namespace snn::xylo {

namespace {

/// Every element of an integer weight, in its (C) order.
std::vector<int64_t> elements(DenseIntElementsAttr attr) {
  return intValues(attr);
}

/// A per-neuron parameter expanded to `n` values (0 when absent).
std::vector<int64_t> perNeuron(Attribute attr, int64_t n) {
  if (!attr)
    return std::vector<int64_t>(n, 0);
  return IntParam(attr).expand(n);
}

/// The one snn.xylo op of a module, or an error on it saying what is found.
FailureOr<XyloOp> onlyXylo(Operation *root, llvm::StringRef flag) {
  SmallVector<XyloOp> found;
  root->walk([&](XyloOp op) { found.push_back(op); });
  if (found.size() != 1)
    return root->emitError()
           << "--" << flag << " needs exactly one snn.xylo (a network "
           << "quantized for Xylo), found " << found.size();
  return found.front();
}

/// Writes `spec` with `write` (a path-based writer of XyloSpecIO) into `os`,
/// through a temporary file.
LogicalResult writeTo(const Spec &spec, XyloOp op, llvm::raw_ostream &os,
                      bool json) {
  llvm::SmallString<128> path;
  if (llvm::sys::fs::createTemporaryFile("snn-xylo-spec", json ? "json" : "npz",
                                         path))
    return op.emitError() << "cannot create a temporary file for the "
                             "specification";
  llvm::Error written = json ? writeSpecJson(spec, std::string(path))
                             : writeSpecNpz(spec, std::string(path));
  std::string error = written ? llvm::toString(std::move(written)) : "";
  bool ok = error.empty();
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> bytes =
      ok ? llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                       /*RequiresNullTerminator=*/false)
         : llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>>(
               std::make_error_code(std::errc::io_error));
  llvm::sys::fs::remove(path);
  if (!ok)
    return op.emitError() << "cannot write the specification: " << error;
  if (!bytes)
    return op.emitError() << "cannot read back the specification";
  os << (*bytes)->getBuffer();
  return success();
}

LogicalResult emit(Operation *root, llvm::raw_ostream &os, bool json) {
  FailureOr<XyloOp> op =
      onlyXylo(root, json ? "emit-xylo-spec-json" : "emit-xylo-spec");
  if (failed(op))
    return failure();
  auto network = (*op)->getParentOfType<NetworkOp>();
  double dt = network ? network.getDt().convertToDouble() : 1e-3;
  Spec spec = specOf(*op, dt);
  if (std::string bad = checkShapes(spec); !bad.empty())
    return op->emitOpError() << "does not make a specification: " << bad;
  return writeTo(spec, *op, os, json);
}

} // namespace

Spec specOf(XyloOp op, double dt) {
  Spec s;
  auto win = op.getWeightsIn().getType(), wrec = op.getWeightsRec().getType(),
       wout = op.getWeightsOut().getType();
  s.nIn = win.getDimSize(0);
  s.nIen = win.getDimSize(1);
  s.nHid = wrec.getDimSize(0);
  s.nOen = wout.getDimSize(0);
  s.nOut = wout.getDimSize(1);
  s.in3d = win.getRank() == 3;
  s.rec3d = wrec.getRank() == 3;
  s.synIn = op.getInputSynapses();
  s.synRec = op.getRecurrentSynapses();
  s.weightsIn = elements(cast<DenseIntElementsAttr>(op.getWeightsInAttr()));
  s.weightsRec = elements(cast<DenseIntElementsAttr>(op.getWeightsRecAttr()));
  s.weightsOut = elements(cast<DenseIntElementsAttr>(op.getWeightsOutAttr()));
  s.dashMem = perNeuron(op.getDashMemAttr(), s.nHid);
  s.dashSyn = perNeuron(op.getDashSynAttr(), s.nHid);
  s.dashSyn2 = perNeuron(op.getDashSyn_2Attr(), s.nHid);
  s.threshold = perNeuron(op.getThresholdAttr(), s.nHid);
  s.bias = perNeuron(op.getBiasAttr(), s.nHid);
  s.dashMemOut = perNeuron(op.getDashMemOutAttr(), s.nOut);
  s.dashSynOut = perNeuron(op.getDashSynOutAttr(), s.nOut);
  s.thresholdOut = perNeuron(op.getThresholdOutAttr(), s.nOut);
  s.biasOut = perNeuron(op.getBiasOutAttr(), s.nOut);
  s.weightShiftIn = int64_t(op.getWeightShiftIn());
  s.weightShiftRec = int64_t(op.getWeightShiftRec());
  s.weightShiftOut = int64_t(op.getWeightShiftOut());
  s.aliases.assign(s.nHid, {});
  if (auto aliases = op.getAliasesAttr())
    for (auto [h, a] : llvm::enumerate(aliases.asArrayRef()))
      if (a >= 0)
        s.aliases[h].push_back(a);
  s.dt = dt;
  return s;
}

void registerXyloExportTranslations() {
  auto dialects = [](DialectRegistry &registry) {
    registry.insert<SNNDialect>();
  };
  static TranslateFromMLIRRegistration npz(
      "emit-xylo-spec",
      "Write an snn.xylo core as a Rockpool specification (.npz)",
      [](Operation *op, llvm::raw_ostream &os) { return emit(op, os, false); },
      dialects);
  static TranslateFromMLIRRegistration json(
      "emit-xylo-spec-json",
      "Write an snn.xylo core as a Rockpool specification (.json)",
      [](Operation *op, llvm::raw_ostream &os) { return emit(op, os, true); },
      dialects);
}

} // namespace snn::xylo

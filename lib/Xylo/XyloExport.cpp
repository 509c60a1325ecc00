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
  if (written) {
    llvm::sys::fs::remove(path);
    return op.emitError() << "cannot write the specification: "
                          << llvm::toString(std::move(written));
  }
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> bytes =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  llvm::sys::fs::remove(path);
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

Spec specOf(DictionaryAttr core, double dt) {
  Spec s;
  auto weights = [&](StringRef key) {
    return core.getAs<DenseIntElementsAttr>(key);
  };
  auto param = [&](StringRef key, int64_t n) {
    return perNeuron(core.get(key), n);
  };
  auto scalar = [&](StringRef key) {
    auto a = core.getAs<IntegerAttr>(key);
    return a ? a.getValue().getSExtValue() : 0;
  };
  DenseIntElementsAttr win = weights("weights_in"), wrec = weights("weights_rec"),
                       wout = weights("weights_out");
  auto inType = win.getType(), recType = wrec.getType(),
       outType = wout.getType();
  s.nIn = inType.getDimSize(0);
  s.nIen = inType.getDimSize(1);
  s.nHid = recType.getDimSize(0);
  s.nOen = outType.getDimSize(0);
  s.nOut = outType.getDimSize(1);
  s.in3d = inType.getRank() == 3;
  s.rec3d = recType.getRank() == 3;
  s.synIn = s.in3d ? inType.getDimSize(2) : 1;
  s.synRec = s.rec3d ? recType.getDimSize(2) : 1;
  s.weightsIn = elements(win);
  s.weightsRec = elements(wrec);
  s.weightsOut = elements(wout);
  s.dashMem = param("dash_mem", s.nHid);
  s.dashSyn = param("dash_syn", s.nHid);
  s.dashSyn2 = param("dash_syn_2", s.nHid);
  s.threshold = param("threshold", s.nHid);
  s.bias = param("bias", s.nHid);
  s.dashMemOut = param("dash_mem_out", s.nOut);
  s.dashSynOut = param("dash_syn_out", s.nOut);
  s.thresholdOut = param("threshold_out", s.nOut);
  s.biasOut = param("bias_out", s.nOut);
  s.weightShiftIn = scalar("weight_shift_in");
  s.weightShiftRec = scalar("weight_shift_rec");
  s.weightShiftOut = scalar("weight_shift_out");
  s.aliases.assign(s.nHid, {});
  if (auto aliases = core.getAs<DenseI64ArrayAttr>("aliases"))
    for (auto [h, a] : llvm::enumerate(aliases.asArrayRef()))
      if (a >= 0 && int64_t(h) < s.nHid)
        s.aliases[h].push_back(a);
  s.dt = dt;
  return s;
}

Spec specOf(XyloOp op, double dt) {
  return specOf(op->getAttrDictionary(), dt);
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

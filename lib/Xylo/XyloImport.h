//===- XyloImport.h - a Rockpool Xylo specification as snn IR ---*- C++ -*-===//
//
// `snn-translate --import-xylo-spec FILE.npz|FILE.json` and `snn-run
// FILE.npz`: a specification (lib/Xylo/XyloSpecIO.h) becomes a network of
// one snn.xylo op, key for key (docs/semantics.md, "Xylo cores"). Weights
// are stored as int8 tensors (an all-zero array as a splat), per-neuron
// parameters as one i64 when every neuron agrees. Only the first alias
// target of a neuron is kept: it is the only one the chip uses.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_XYLO_XYLOIMPORT_H
#define SNN_XYLO_XYLOIMPORT_H

#include "SNN/IR/SNNOps.h"
#include "Xylo/XyloSpec.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <string>

namespace snn::xylo {

/// Builds `snn.xylo "opName" %input` for `spec` at the builder's insertion
/// point (values within the chip's widths, checkWidths; `version` 1 or 2).
XyloOp buildXyloOp(mlir::OpBuilder &b, mlir::Location loc, mlir::Value input,
                   const Spec &spec, int version,
                   llvm::StringRef opName = "xylo");

/// Builds `snn.network @name(%input: !snn.spikes<Nin>) -> (output:
/// !snn.spikes<Nout>)` holding one `snn.xylo "xylo"` at the builder's
/// insertion point. Values must fit the chip's widths (checkWidths);
/// `version` is 1 or 2.
NetworkOp buildXyloNetwork(mlir::OpBuilder &b, mlir::Location loc,
                           const Spec &spec, int version,
                           llvm::StringRef name = "xylo");

/// Reads `path` and builds its network in a new module; every error (file,
/// key and index) goes to the context's diagnostic engine located at the
/// file, and the result is then null.
mlir::OwningOpRef<mlir::ModuleOp> importXyloSpec(const std::string &path,
                                                 mlir::MLIRContext *context,
                                                 int version = 2);

/// Registers --import-xylo-spec (and its --xylo-version) with MLIR's
/// translation registry.
void registerXyloTranslations();

} // namespace snn::xylo

#endif // SNN_XYLO_XYLOIMPORT_H

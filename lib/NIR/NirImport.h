//===- NirImport.h - NIR graphs to the snn dialect -------------*- C++ -*-===//

#ifndef SNN_NIR_NIRIMPORT_H
#define SNN_NIR_NIRIMPORT_H

#include "NIR/NirModel.h"
#include "NIR/NirPresets.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace snn::nir {

/// Imports the bytes of a NIR file as a module holding one snn.network.
/// Problems are recorded in `diags` (errors make the result null); the
/// caller decides how to print them, see printDiagnostics.
mlir::OwningOpRef<mlir::ModuleOp>
importNir(const std::string &bytes, const std::string &fileName,
          const ImportOptions &options, mlir::MLIRContext *context,
          Diagnostics &diags);

/// Prints `file: error: node 'x', field 'y': message` lines (warnings too).
void printDiagnostics(const Diagnostics &diags, const std::string &fileName,
                      llvm::raw_ostream &os);

/// Reads a file from disk and imports it, printing diagnostics to stderr.
/// For tools that accept `.nir` wherever they accept `.mlir`.
mlir::OwningOpRef<mlir::ModuleOp> importNirFile(const std::string &path,
                                                const ImportOptions &options,
                                                mlir::MLIRContext *context);

} // namespace snn::nir

#endif // SNN_NIR_NIRIMPORT_H

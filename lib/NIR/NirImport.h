//===- NirImport.h - NIR graphs to the snn dialect -------------*- C++ -*-===//

#ifndef SNN_NIR_NIRIMPORT_H
#define SNN_NIR_NIRIMPORT_H

#include "NIR/NirModel.h"
#include "NIR/NirPresets.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/MemoryBuffer.h"

#include <memory>

namespace snn::nir {

/// A NIR file on disk may have at most this many bytes.
constexpr uint64_t kMaxFileBytes = uint64_t(1) << 31;

/// Imports the bytes of a NIR file as a module holding one snn.network.
/// Problems are MLIR diagnostics on `context`, located at the NIR node they
/// concern (see NirDiagnostics.h); the result is null after an error. The
/// ops carry the same locations.
mlir::OwningOpRef<mlir::ModuleOp> importNir(llvm::StringRef bytes,
                                            llvm::StringRef fileName,
                                            const ImportOptions &options,
                                            mlir::MLIRContext *context);

/// importNir with the file read in this process rather than in a child
/// (readDocument and loadDeferred directly): what the child of importNir
/// runs, for the fuzzer, which runs it at full speed. Tools call importNir,
/// since HDF5 may loop or crash on corrupt files.
mlir::OwningOpRef<mlir::ModuleOp>
importNirInProcess(llvm::StringRef bytes, llvm::StringRef fileName,
                   const ImportOptions &options, mlir::MLIRContext *context);

/// The bytes of a NIR file on disk ("-" for stdin); refuses what is not a
/// regular file (directories, devices such as /dev/zero) and files larger
/// than kMaxFileBytes, with an error on `context`.
mlir::FailureOr<std::unique_ptr<llvm::MemoryBuffer>>
readNirBytes(llvm::StringRef path, mlir::MLIRContext *context);

/// Reads a file from disk and imports it, printing diagnostics to stderr
/// as `file: error: node 'x', field 'y': message` lines. For tools that
/// accept `.nir` wherever they accept `.mlir`.
mlir::OwningOpRef<mlir::ModuleOp> importNirFile(const std::string &path,
                                                const ImportOptions &options,
                                                mlir::MLIRContext *context);

} // namespace snn::nir

#endif // SNN_NIR_NIRIMPORT_H

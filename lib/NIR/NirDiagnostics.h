//===- NirDiagnostics.h - NIR problems through MLIR's diagnostics -*- C++ -*-===//
//
// Every problem found in a NIR file is an MLIR diagnostic located where it
// is: a NameLoc of the NIR node path ("lif1", or "hidden/lif" inside the
// nested graph "hidden") over a FileLineColLoc of the file, as CIRCT's
// importers locate their ops. The same locations are given to the ops the
// importer builds, so `--mlir-print-debuginfo` shows each op's NIR node.
//
// HDF5 has no lines or columns: the file location has line 0 and column 0,
// which MLIR's handlers print without a source excerpt.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_NIR_NIRDIAGNOSTICS_H
#define SNN_NIR_NIRDIAGNOSTICS_H

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/MLIRContext.h"

#include <string>

namespace snn::nir {

/// The text shown for a node path: nested graphs joined by dots, as the
/// imported ops are named ("hidden/lif" is shown as "hidden.lif").
std::string displayPath(llvm::StringRef path);

/// `node 'lif1.lin', field 'weight': ` (either part may be empty).
std::string describeWhere(llvm::StringRef path, llvm::StringRef field);

/// Emits diagnostics about one NIR file at the locations of its nodes, and
/// counts the errors so that callers can tell whether a step added any.
class Reporter {
public:
  Reporter(mlir::MLIRContext *context, llvm::StringRef fileName);

  mlir::MLIRContext *getContext() const { return context; }
  /// The file as a whole.
  mlir::Location file() const { return fileLoc; }
  /// A node, by its path in the file ("" for the file itself).
  mlir::Location node(llvm::StringRef path) const;
  /// The node path a location of this file names ("" for the file).
  static std::string pathOf(mlir::Location loc);

  /// An error at `path` whose message starts with the node and the field.
  mlir::InFlightDiagnostic error(llvm::StringRef path, llvm::StringRef field);
  mlir::InFlightDiagnostic warning(llvm::StringRef path,
                                   llvm::StringRef field);
  /// A diagnostic with a message given whole (re-emitted from elsewhere).
  void emit(mlir::DiagnosticSeverity severity, llvm::StringRef path,
            llvm::StringRef message);

  unsigned errorCount() const { return errors; }

private:
  mlir::MLIRContext *context;
  mlir::Location fileLoc;
  unsigned errors = 0;
};

/// Prints diagnostics while it lives as `file: error: message` lines (notes
/// too), the form SNNC's tools use for NIR files, whose locations have no
/// line to show.
class DiagnosticPrinter : public mlir::ScopedDiagnosticHandler {
public:
  DiagnosticPrinter(mlir::MLIRContext *context, llvm::raw_ostream &os);

  /// One diagnostic and its notes in that form.
  static void print(mlir::Diagnostic &diag, llvm::raw_ostream &os);
};

} // namespace snn::nir

#endif // SNN_NIR_NIRDIAGNOSTICS_H

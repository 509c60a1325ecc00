//===- NirDiagnostics.cpp - NIR problems through MLIR's diagnostics -------===//

#include "NIR/NirDiagnostics.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

using namespace mlir;

namespace snn::nir {

std::string displayPath(llvm::StringRef path) {
  std::string shown = path.str();
  std::replace(shown.begin(), shown.end(), '/', '.');
  return shown;
}

std::string describeWhere(llvm::StringRef path, llvm::StringRef field) {
  std::string s;
  if (!path.empty())
    s += "node '" + displayPath(path) + "'";
  if (!field.empty())
    s += (s.empty() ? "" : ", ") + std::string("field '") + field.str() + "'";
  return s.empty() ? s : s + ": ";
}

Reporter::Reporter(MLIRContext *context, llvm::StringRef fileName)
    : context(context),
      fileLoc(FileLineColLoc::get(context, fileName, /*line=*/0,
                                  /*column=*/0)) {}

Location Reporter::node(llvm::StringRef path) const {
  if (path.empty())
    return fileLoc;
  return NameLoc::get(StringAttr::get(context, path), fileLoc);
}

std::string Reporter::pathOf(Location loc) {
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  return "";
}

InFlightDiagnostic Reporter::error(llvm::StringRef path,
                                   llvm::StringRef field) {
  ++errors;
  InFlightDiagnostic d = mlir::emitError(node(path));
  d << describeWhere(path, field);
  return d;
}

InFlightDiagnostic Reporter::warning(llvm::StringRef path,
                                     llvm::StringRef field) {
  InFlightDiagnostic d = mlir::emitWarning(node(path));
  d << describeWhere(path, field);
  return d;
}

void Reporter::emit(DiagnosticSeverity severity, llvm::StringRef path,
                    llvm::StringRef message) {
  switch (severity) {
  case DiagnosticSeverity::Error:
    ++errors;
    mlir::emitError(node(path)) << message;
    break;
  case DiagnosticSeverity::Warning:
    mlir::emitWarning(node(path)) << message;
    break;
  default:
    mlir::emitRemark(node(path)) << message;
    break;
  }
}

namespace {
const char *severityName(DiagnosticSeverity severity) {
  switch (severity) {
  case DiagnosticSeverity::Error:
    return "error";
  case DiagnosticSeverity::Warning:
    return "warning";
  case DiagnosticSeverity::Remark:
    return "remark";
  case DiagnosticSeverity::Note:
    return "note";
  }
  return "error";
}

void printOne(Location loc, DiagnosticSeverity severity,
              const std::string &message, llvm::raw_ostream &os) {
  FileLineColLoc file;
  loc->walk([&](Location inner) {
    if (auto f = dyn_cast<FileLineColLoc>(inner)) {
      file = f;
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  if (file) {
    os << file.getFilename().getValue();
    if (file.getLine() != 0)
      os << ":" << file.getLine() << ":" << file.getColumn();
    os << ": ";
  }
  os << severityName(severity) << ": " << message << "\n";
}
} // namespace

void DiagnosticPrinter::print(Diagnostic &diag, llvm::raw_ostream &os) {
  printOne(diag.getLocation(), diag.getSeverity(), diag.str(), os);
  for (Diagnostic &note : diag.getNotes())
    printOne(note.getLocation(), note.getSeverity(), note.str(), os);
}

DiagnosticPrinter::DiagnosticPrinter(MLIRContext *context,
                                     llvm::raw_ostream &os)
    : ScopedDiagnosticHandler(context, [&os](Diagnostic &diag) {
        print(diag, os);
        os.flush();
        return success();
      }) {}

} // namespace snn::nir

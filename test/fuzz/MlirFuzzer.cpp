//===- MlirFuzzer.cpp - libFuzzer target for parsing and verifying snn IR -===//
//
// Any text, parsed with SNNC's dialects (snn, snnhw) and func registered and
// then verified, must
// give a module that verifies or at least one error diagnostic; never a
// crash, an LLVM fatal error, a hang or a huge allocation. Diagnostics are
// counted, not printed. Run with scripts/fuzz.sh mlir.
//
//===----------------------------------------------------------------------===//

#include "SNN/IR/SNNOps.h"
#include "SNNHW/IR/SNNHWOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static mlir::DialectRegistry *registry = [] {
    auto *r = new mlir::DialectRegistry();
    r->insert<snn::SNNDialect, snn::hw::SNNHWDialect,
              mlir::func::FuncDialect>();
    return r;
  }();
  mlir::MLIRContext context(*registry, mlir::MLIRContext::Threading::DISABLED);
  context.allowUnregisteredDialects(false);
  int errors = 0;
  mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &d) {
    if (d.getSeverity() == mlir::DiagnosticSeverity::Error)
      ++errors;
    return mlir::success();
  });
  mlir::ParserConfig config(&context, /*verifyAfterParse=*/false);
  // The tools read files into NUL-terminated buffers, and MLIR's lexer reads
  // the terminator: without one it reads a byte past the input (found by
  // this fuzzer in libMLIR, unreachable from the tools).
  std::string text(reinterpret_cast<const char *>(data), size);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(text, config);
  if (!module) {
    if (errors == 0)
      std::abort(); // a failure that says nothing
    return 0;
  }
  if (mlir::failed(mlir::verify(*module)) && errors == 0)
    std::abort();
  return 0;
}

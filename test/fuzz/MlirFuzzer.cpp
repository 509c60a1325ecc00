//===- MlirFuzzer.cpp - libFuzzer target for parsing and verifying snn IR -===//
//
// Any text, parsed with SNNC's dialects (snn, snnhw) and func loaded and
// then verified, must give a module that verifies or at least one error diagnostic; never a
// crash, an LLVM fatal error, a hang or a huge allocation. Diagnostics are
// counted, not printed. Run with scripts/fuzz.sh mlir.
//
//===----------------------------------------------------------------------===//

#include "SNN/IR/SNNOps.h"
#include "Support/IrNesting.h"
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

/// libMLIR is not instrumented, but the LLVM headers this file includes are:
/// their BumpPtrAllocator poisons the rest of each new slab for ASan, and
/// libMLIR's own copy of the same inline code then hands out pieces of that
/// slab without unpoisoning them. With one context kept across inputs the
/// slabs live long enough for this to show as a use-after-poison inside
/// libMLIR (a false report, not SNNC's); user poisoning is turned off.
extern "C" const char *__asan_default_options() {
  return "allow_user_poisoning=0";
}

namespace {

/// One context for all inputs, with the dialects loaded once: making a
/// context per input cost most of each execution. Each input still parses
/// into a fresh module; what a context keeps between inputs (uniqued types
/// and attributes) is what a tool's context keeps between the ops of a file.
struct Session {
  mlir::MLIRContext context{mlir::MLIRContext::Threading::DISABLED};
  int errors = 0;
  Session() {
    context.loadDialect<snn::SNNDialect, snn::hw::SNNHWDialect,
                        mlir::func::FuncDialect>();
    context.allowUnregisteredDialects(false);
    // Diagnostics are counted, not printed.
    context.getDiagEngine().registerHandler([this](mlir::Diagnostic &d) {
      if (d.getSeverity() == mlir::DiagnosticSeverity::Error)
        ++errors;
      return mlir::success();
    });
  }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static Session *session = new Session();
  mlir::MLIRContext &context = session->context;
  int &errors = session->errors;
  errors = 0;
  mlir::ParserConfig config(&context, /*verifyAfterParse=*/false);
  // The tools read files into NUL-terminated buffers, and MLIR's lexer reads
  // the terminator: without one it reads a byte past the input (found by
  // this fuzzer in libMLIR, unreachable from the tools).
  std::string text(reinterpret_cast<const char *>(data), size);
  // snn-opt refuses deeper text before MLIR's recursive parser sees it
  // (7 255 nested arrays overflowed the stack; found by this fuzzer).
  if (snn::irNestingDepth(text, snn::kMaxIrNesting) > snn::kMaxIrNesting)
    return 0;
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

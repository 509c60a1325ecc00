//===- InitAll.h - everything SNNC's tools register -----------*- C++ -*-===//
//
// The one registration point shared by snn-opt, snn-translate and snn-run, so
// that every tool understands the same dialects and passes.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_INIT_INITALL_H
#define SNN_INIT_INITALL_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace snn {

/// The snn dialect and the upstream dialects SNNC's pipelines produce.
void registerAllDialects(mlir::DialectRegistry &registry);

/// SNNC's passes and the upstream ones its pipelines use.
void registerAllPasses();

/// NIR import and export, C and chip-image emission.
void registerAllTranslations();

/// Makes --version print "SNNC <version>" and the MLIR/LLVM it was built
/// with, instead of LLVM's own banner.
void registerVersionPrinter();

/// Hides every command-line option registered so far (LLVM's backend and
/// code generation options) except SNNC's own and --help/--version; options
/// MLIR's tool mains register afterwards stay visible.
void hideUnrelatedOptions();

} // namespace snn

#endif // SNN_INIT_INITALL_H

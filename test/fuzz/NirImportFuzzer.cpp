//===- NirImportFuzzer.cpp - libFuzzer target for the NIR importer --------===//
//
// Any bytes must give either a network that verifies or at least one error;
// never a crash, a hang or a silent failure. The file is read in process
// (importNirInProcess: what the tools' child process runs), so that the
// fuzzer runs at full speed and sees every step; HDF5's own loops and
// crashes on corrupt files (which the tools' child turns into errors) stop
// it here. Run with scripts/fuzz.sh nir-import.
//
//===----------------------------------------------------------------------===//

#include "NIR/NirImport.h"
#include "SNN/IR/SNNOps.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  context.loadDialect<snn::SNNDialect>();
  unsigned errors = 0;
  mlir::ScopedDiagnosticHandler count(&context, [&](mlir::Diagnostic &d) {
    errors += d.getSeverity() == mlir::DiagnosticSeverity::Error;
    return mlir::success();
  });
  snn::nir::ImportOptions options;
  options.preset = "nir-spec";
  auto module = snn::nir::importNirInProcess(
      llvm::StringRef(reinterpret_cast<const char *>(data), size), "fuzz.nir",
      options, &context);
  if (!module && errors == 0)
    std::abort(); // a failure that says nothing
  return 0;
}

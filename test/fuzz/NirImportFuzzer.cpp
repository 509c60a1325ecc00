//===- NirImportFuzzer.cpp - libFuzzer target for the NIR importer --------===//
//
// Any bytes must give either a network that verifies or at least one error;
// never a crash, a hang or a silent failure. Run with scripts/fuzz.sh.
//
//===----------------------------------------------------------------------===//

#include "NIR/NirImport.h"
#include "SNN/IR/SNNOps.h"

#include "mlir/IR/MLIRContext.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  context.loadDialect<snn::SNNDialect>();
  snn::nir::Diagnostics diags;
  // In process, so that libFuzzer sees the reader's coverage; HDF5's own
  // hangs on corrupt heaps then show up as timeouts (see scripts/fuzz.sh).
  snn::nir::ImportOptions options;
  options.isolateReader = false;
  auto module = snn::nir::importNir(
      std::string(reinterpret_cast<const char *>(data), size), "fuzz.nir",
      options, &context, diags);
  if (!module && diags.errors.empty())
    std::abort(); // a failure that says nothing
  return 0;
}

//===- InitAll.cpp - everything SNNC's tools register ---------------------===//

#include "Init/InitAll.h"
#include "Codegen/CTranslate.h"
#include "Image/ImageTranslate.h"
#include "NIR/NirTranslate.h"
#include "Netx/NetxImport.h"
#include "SNN/IR/SNNOps.h"
#include "SNNHW/IR/SNNHWOps.h"
#include "Transforms/Passes.h"
#include "Xylo/XyloExport.h"
#include "Xylo/XyloImport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/EmitC/IR/EmitC.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

void snn::registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<snn::SNNDialect, snn::hw::SNNHWDialect, mlir::arith::ArithDialect,
                  mlir::emitc::EmitCDialect, mlir::func::FuncDialect,
                  mlir::memref::MemRefDialect, mlir::scf::SCFDialect>();
}

void snn::registerAllPasses() {
  // Upstream passes that apply to snn networks as they are.
  mlir::registerCanonicalizerPass();
  mlir::registerCSEPass();
  mlir::registerSymbolDCEPass();
  registerSNNTransformsPasses();
}

void snn::registerAllTranslations() {
  registerNirTranslations();
  netx::registerNetxTranslations();
  xylo::registerXyloTranslations();
  xylo::registerXyloExportTranslations();
  codegen::registerCTranslations();
  image::registerImageTranslations();
}

void snn::registerVersionPrinter() {
  llvm::cl::SetVersionPrinter([](llvm::raw_ostream &os) {
    os << "SNNC " << SNNC_VERSION << "\n"
       << "  built with MLIR and LLVM " << LLVM_VERSION_STRING << "\n";
  });
}

void snn::hideUnrelatedOptions() {
  llvm::cl::HideUnrelatedOptions({&nirOptionCategory()});
}

//===- CTranslate.h - snn-translate --emit-c / --emit-c-header --*- C++ -*-===//

#ifndef SNN_CODEGEN_CTRANSLATE_H
#define SNN_CODEGEN_CTRANSLATE_H

#include "Codegen/LowerToLoops.h"
#include "Quant/Calibration.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

namespace snn::codegen {

/// Writes the C source of the quantized `network` (and fills `interface`).
/// Errors are emitted on the network.
mlir::LogicalResult emitC(NetworkOp network, llvm::raw_ostream &os,
                          const CodegenOptions &options, Interface &interface);

/// Measured activity per node from a calibration run.
std::map<std::string, double> activityFrom(const quant::Calibration &c);

/// Activity assumptions from --c-spike-activity and --c-calibration, and the
/// symbol prefix of --c-prefix, which every tool linking the C backend
/// accepts; the error names the option at fault.
llvm::Expected<CodegenOptions> codegenOptionsFromCommandLine();

void registerCTranslations();

} // namespace snn::codegen

#endif // SNN_CODEGEN_CTRANSLATE_H

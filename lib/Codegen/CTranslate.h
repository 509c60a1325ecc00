//===- CTranslate.h - snn-translate --emit-c / --emit-c-header --*- C++ -*-===//

#ifndef SNN_CODEGEN_CTRANSLATE_H
#define SNN_CODEGEN_CTRANSLATE_H

#include "Codegen/LowerToLoops.h"

#include "llvm/Support/raw_ostream.h"

namespace snn::codegen {

/// Writes the C source of the quantized `network` (and fills `interface`).
/// Errors are emitted on the network.
mlir::LogicalResult emitC(NetworkOp network, llvm::raw_ostream &os,
                          Interface &interface);

void registerCTranslations();

} // namespace snn::codegen

#endif // SNN_CODEGEN_CTRANSLATE_H

//===- Passes.h - snn transformation passes ---------------------*- C++ -*-===//

#ifndef SNN_TRANSFORMS_PASSES_H
#define SNN_TRANSFORMS_PASSES_H

#include "SNN/IR/SNNOps.h"

#include "mlir/Pass/Pass.h"

namespace snn {

#define GEN_PASS_DECL
#include "Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "Transforms/Passes.h.inc"

} // namespace snn

#endif // SNN_TRANSFORMS_PASSES_H

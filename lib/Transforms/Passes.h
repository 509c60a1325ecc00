//===- Passes.h - snn transformation passes ---------------------*- C++ -*-===//

#ifndef SNN_TRANSFORMS_PASSES_H
#define SNN_TRANSFORMS_PASSES_H

// The pass options of snn-quantize take their defaults and values here.
#include "Quant/Quantize.h"
#include "SNN/IR/SNNOps.h"
#include "SNNHW/IR/SNNHWOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/EmitC/IR/EmitC.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Pass/Pass.h"

namespace snn {

#define GEN_PASS_DECL
#include "Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "Transforms/Passes.h.inc"

} // namespace snn

#endif // SNN_TRANSFORMS_PASSES_H

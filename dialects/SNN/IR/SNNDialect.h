//===- SNNDialect.h - snn dialect, types and attributes -------*- C++ -*-===//

#ifndef SNN_IR_SNNDIALECT_H
#define SNN_IR_SNNDIALECT_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/DialectImplementation.h"

#include "SNN/IR/SNNDialect.h.inc"
#include "SNN/IR/SNNEnums.h.inc"

#define GET_TYPEDEF_CLASSES
#include "SNN/IR/SNNTypes.h.inc"

namespace snn {

/// The per-step shape of a spikes or values signal.
llvm::ArrayRef<int64_t> getSignalShape(mlir::Type signal);

/// Number of neurons (elements) of a spikes or values signal.
int64_t getSignalSize(mlir::Type signal);
inline int64_t getSignalSize(mlir::Value signal) {
  return getSignalSize(signal.getType());
}

/// True for `!snn.spikes`.
inline bool isSpikes(mlir::Type signal) {
  return llvm::isa<SpikesType>(signal);
}

} // namespace snn

#endif // SNN_IR_SNNDIALECT_H

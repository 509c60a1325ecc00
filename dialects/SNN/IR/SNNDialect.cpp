//===- SNNDialect.cpp - snn dialect registration --------------------------===//

#include "SNN/IR/SNNDialect.h"
#include "SNN/IR/SNNOps.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace snn;

#include "SNN/IR/SNNDialect.cpp.inc"
#include "SNN/IR/SNNEnums.cpp.inc"

void SNNDialect::initialize() {
  registerTypes();
  addOperations<
#define GET_OP_LIST
#include "SNN/IR/SNNOps.cpp.inc"
      >();
}

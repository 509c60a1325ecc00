//===- SNNHWOps.h - the snnhw dialect -------------------------*- C++ -*-===//

#ifndef SNNHW_IR_SNNHWOPS_H
#define SNNHW_IR_SNNHWOPS_H

#include "SNN/IR/SNNOps.h"

#include "SNNHW/IR/SNNHWDialect.h.inc"
#include "SNNHW/IR/SNNHWEnums.h.inc"

namespace snn::hw {
class ChipOp;
class OutputOp;
} // namespace snn::hw

#define GET_OP_CLASSES
#include "SNNHW/IR/SNNHWOps.h.inc"

#endif // SNNHW_IR_SNNHWOPS_H

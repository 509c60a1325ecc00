//===- SNNOps.h - snn dialect operations ----------------------*- C++ -*-===//

#ifndef SNN_IR_SNNOPS_H
#define SNN_IR_SNNOPS_H

#include "SNN/IR/SNNDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/RegionKindInterface.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace snn {
namespace OpTrait {
/// Marks ops whose output depends on state kept from earlier steps
/// (a membrane, a current).
template <typename ConcreteType>
class NeuronOp : public mlir::OpTrait::TraitBase<ConcreteType, NeuronOp> {};
} // namespace OpTrait

class NetworkOp;
class OutputOp;

/// True for ops that hold state across steps: neurons and delays.
bool holdsState(mlir::Operation *op);

/// Names an op's SSA result after its `name` attribute, when it has one.
void nameResultAfterNode(mlir::Operation *op, mlir::OpAsmSetValueNameFn setNameFn);

/// A short, human-readable label for diagnostics: `snn.lif "hidden"`.
std::string describeOp(mlir::Operation *op);
/// How calibration files, reports and engines name a node: its `name`, or
/// `#k` for the k-th op of the network body when it has none.
std::string nodeKey(mlir::Operation *op);

/// The assembly of a graph op with named inputs and outputs (snn.network,
/// snnhw.chip): `@name(%in: type, ...) -> (out: type, ...) attributes {...}
/// { body }`, over the attributes sym_name, function_type, input_names and
/// output_names.
mlir::ParseResult parseGraphOp(mlir::OpAsmParser &parser,
                               mlir::OperationState &result);
void printGraphOp(mlir::OpAsmPrinter &p, mlir::Operation *op);
} // namespace snn

#define GET_OP_CLASSES
#include "SNN/IR/SNNOps.h.inc"

#endif // SNN_IR_SNNOPS_H

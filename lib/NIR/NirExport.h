//===- NirExport.h - snn networks to NIR ------------------------*- C++ -*-===//

#ifndef SNN_NIR_NIREXPORT_H
#define SNN_NIR_NIREXPORT_H

#include "NIR/NirModel.h"
#include "SNN/IR/SNNOps.h"

namespace snn::nir {

/// The NIR graph of a network: one node per named op, fan-in sums and the
/// delays that close cycles dissolved into plain edges, parameters written
/// back in the units and conventions of the network's `nir_preset`.
/// Ops NIR cannot express are errors on the op (emitOpError).
mlir::FailureOr<Document> exportNetwork(NetworkOp network);

} // namespace snn::nir

#endif // SNN_NIR_NIREXPORT_H

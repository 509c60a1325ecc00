//===- Lower.h - a quantized network as chip tables -------------*- C++ -*-===//

#ifndef SNN_MAP_LOWER_H
#define SNN_MAP_LOWER_H

#include "SNNHW/IR/SNNHWOps.h"
#include "Target/Target.h"

namespace snn::map {

/// Builds, before `network`, an snnhw.chip computing exactly what the
/// quantized network computes: projections become synapse tables (pooling
/// and reshapes in front of a projection folded in), neurons keep their
/// integer attributes. Every op starts on core 0 in one slice; placement
/// comes after. Errors are emitted on the op that has no chip form.
mlir::FailureOr<hw::ChipOp> lowerToChip(NetworkOp network,
                                        const target::Target &target);

/// Builds, with `b` (before `network`), an snnhw.chip with `network`'s name,
/// signature and dt, `target`'s name, mesh, costs and cycle model, and an
/// empty body block of no arguments: what every lowering starts from.
hw::ChipOp createEmptyChip(mlir::OpBuilder &b, NetworkOp network,
                           const target::Target &target);

} // namespace snn::map

#endif // SNN_MAP_LOWER_H

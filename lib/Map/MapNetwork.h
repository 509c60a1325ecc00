//===- MapNetwork.h - a quantized network onto a target ---------*- C++ -*-===//

#ifndef SNN_MAP_MAPNETWORK_H
#define SNN_MAP_MAPNETWORK_H

#include "Map/Place.h"

namespace snn::map {

/// Checks `network` against `target` (every design rule and the integer
/// formats the target runs), lowers it to an snnhw.chip, partitions, places
/// and routes it, and erases the network. Every violation is emitted as an
/// error on its op, followed by one summary error.
mlir::FailureOr<hw::ChipOp> mapNetwork(NetworkOp network,
                                       const target::Target &target,
                                       const MapOptions &options,
                                       MapReport &report);

} // namespace snn::map

#endif // SNN_MAP_MAPNETWORK_H

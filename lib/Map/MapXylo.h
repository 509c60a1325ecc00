//===- MapXylo.h - an snn.xylo network onto a Xylo device -------*- C++ -*-===//
//
// A network quantized for a Xylo device (snn-quantize=target=xylo-*.json) or
// imported from a Rockpool specification is one snn.xylo op: the whole
// chip. Mapping it places that core on the device's one core as an
// snnhw.xylo (the op's attributes unchanged) after checking it against the
// device's limits (xylo::validate: every violation named with the device's
// number), so that the chip image carries it and the emulator runs it with
// xylosim's arithmetic (docs/xylo.md).
//
//===----------------------------------------------------------------------===//

#ifndef SNN_MAP_MAPXYLO_H
#define SNN_MAP_MAPXYLO_H

#include "Map/Place.h"
#include "SNN/IR/SNNOps.h"
#include "SNNHW/IR/SNNHWOps.h"
#include "Target/Target.h"

namespace snn::map {

/// Whether `network` holds an snn.xylo core (then mapXyloNetwork maps it).
bool holdsXyloCore(NetworkOp network);

/// The snnhw.chip of a network that is one snn.xylo core from its input to
/// its output, on `target`, a Xylo device. Errors (on the op at fault) name
/// what does not fit: another target, other ops beside the core, a limit of
/// the device.
mlir::FailureOr<hw::ChipOp> mapXyloNetwork(NetworkOp network,
                                           const target::Target &target,
                                           const MapOptions &options,
                                           MapReport &report);

} // namespace snn::map

#endif // SNN_MAP_MAPXYLO_H

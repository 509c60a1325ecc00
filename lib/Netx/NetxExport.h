//===- NetxExport.h - an snn.network as a lava-dl netx file -----*- C++ -*-===//
//
// The inverse of --import-netx: a network whose integers follow Lava's
// arithmetic (snn-quantize target=targets/loihi2.json, or an imported netx
// file) becomes the netx HDF5 file that netx.hdf5.Network loads into the same
// Lava processes. Every layer is checked by running netx's own conversion
// (toLava, then Lava's weight preparation) on what is written and comparing
// with the ops' integers: what netx would not reproduce exactly is refused on
// the op at fault, as is every structure netx cannot express.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_NETX_NETXEXPORT_H
#define SNN_NETX_NETXEXPORT_H

#include "Netx/NetxModel.h"
#include "SNN/IR/SNNOps.h"

#include "mlir/Support/LogicalResult.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

namespace snn::netx {

/// The netx layers of `network`; errors are emitted on the op netx cannot
/// express, with the reason.
mlir::FailureOr<Network> toNetx(NetworkOp network);

/// `net` as netx HDF5 bytes, in the layout slayer's export_hdf5 writes
/// (fixed-length `type` strings, float32 weights, int64 shapes and neuron
/// fields).
llvm::Expected<std::string> writeNetx(const Network &net);

/// Registers --emit-netx with MLIR's translation registry.
void registerNetxExport();

} // namespace snn::netx

#endif // SNN_NETX_NETXEXPORT_H

//===- NetxImport.h - a netx file as a quantized snn.network ----*- C++ -*-===//
//
// Turns the Lava processes netx builds (NetxLava.h) into the integer form of
// the snn dialect, with Lava's arithmetic spelled out as attributes
// (docs/loihi2.md, "Lava's arithmetic in the IR"): each Dense or Conv is an
// snn.qlinear / snn.qconv2d followed by `snn.delay {steps = 1}` (Lava's one
// step of latency), each LIF population an snn.qneuron with Lava's decays,
// overflows, input shift and threshold.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_NETX_NETXIMPORT_H
#define SNN_NETX_NETXIMPORT_H

#include "Netx/NetxModel.h"
#include "SNN/IR/SNNOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <optional>
#include <string>
#include <vector>

namespace snn::netx {

/// Reads the netx file `path` and builds its network; errors go to the
/// context's diagnostic engine, located at the file (and layer), and the
/// result is then null.
mlir::OwningOpRef<mlir::ModuleOp> importNetx(const std::string &path,
                                             mlir::MLIRContext *context);

/// What a netx layer's ops are called and the real units of their integers
/// when the network comes from somewhere else than a file (snn-quantize for
/// Loihi 2 keeps the source network's names, so that --compare pairs nodes).
struct LayerNames {
  std::string neuron, forward, recurrent; // empty: netx's own naming
  double vScale = 1, iScale = 1, forwardScale = 1, recurrentScale = 1;
  std::optional<mlir::Location> loc; // of every op of the layer
};

/// Builds `file` exactly as --import-netx would (through toLava) as an
/// snn.network named `name` at the end of `block`, with `names[i]` for netx
/// layer i. Errors are emitted at `loc` (or the layer's location).
mlir::FailureOr<NetworkOp> buildNetwork(mlir::Block *block,
                                        const Network &file,
                                        llvm::StringRef name,
                                        mlir::Location loc,
                                        const std::vector<LayerNames> &names);

/// Registers --import-netx with MLIR's translation registry.
void registerNetxTranslations();

} // namespace snn::netx

#endif // SNN_NETX_NETXIMPORT_H

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

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <string>

namespace snn::netx {

/// Reads the netx file `path` and builds its network; errors go to the
/// context's diagnostic engine, located at the file (and layer), and the
/// result is then null.
mlir::OwningOpRef<mlir::ModuleOp> importNetx(const std::string &path,
                                             mlir::MLIRContext *context);

/// Registers --import-netx with MLIR's translation registry.
void registerNetxTranslations();

} // namespace snn::netx

#endif // SNN_NETX_NETXIMPORT_H

//===- QuantizeLoihi2.h - a float network in Lava's arithmetic --*- C++ -*-===//
//
// snn-quantize target=targets/loihi2.json: the network becomes the layers of
// a lava-dl netx file (integer weights netx reproduces exactly, 12-bit
// decays, one threshold mantissa per layer, int16 bias mantissas), built into
// the IR by the netx importer, so that its integers and attributes are the
// ones Lava computes with and --emit-netx writes it back unchanged. Where
// Lava's neuron differs from the source network's conventions (reset,
// decays, the bias, one step of latency per layer) a diagnostic on the op
// says so; snn-run --compare float,fixed measures what it costs.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_QUANT_QUANTIZELOIHI2_H
#define SNN_QUANT_QUANTIZELOIHI2_H

#include "Quant/Quantize.h"
#include "Target/Target.h"

namespace snn::quant {

/// True for a target whose arithmetic is Lava's (targets/loihi2.json).
bool isLavaTarget(const target::Target &t);

/// Rewrites `network` in place into Lava's integer form; errors on the op
/// that netx cannot hold, naming the reason.
mlir::LogicalResult quantizeLoihi2(NetworkOp network, QuantReport &report);

} // namespace snn::quant

#endif // SNN_QUANT_QUANTIZELOIHI2_H

//===- QuantizeXylo.h - a float network as one Xylo core --------*- C++ -*-===//
//
// snn-quantize target=targets/xylo-audio2.json (xylo-imu, xylo-audio3: any
// target file with a `xylo` section, read under its own name): a float
// network of the shape Xylo runs (input -> dense -> current-based LIF [with
// recurrence] -> ... -> dense -> LIF output) becomes one snn.xylo op, built
// by the specification importer (lib/Xylo/XyloImport.h), so that
// --emit-xylo-spec writes what Rockpool loads. Where Xylo's neuron differs
// from the source network's conventions a remark or warning on the op says
// so; what does not fit is refused on the op at fault with the reason. A
// current-based neuron is an snn.cuba_lif, or an snn.lif fed by snn.li
// synapses (NIR LI nodes); two synaptic time constants into one snn.lif
// take a hidden neuron's two synaptic states (dash_syn, dash_syn_2) where
// the device has them.
// docs/targets.md ("Xylo") gives the rules.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_QUANT_QUANTIZEXYLO_H
#define SNN_QUANT_QUANTIZEXYLO_H

#include "Quant/Calibration.h"
#include "Quant/Quantize.h"
#include "Target/Target.h"

namespace snn::quant {

/// True for a Xylo device file read under its own name. `xylo-class.json`,
/// the retired alias, keeps the generic quantizer (snn.qlinear and
/// snn.qneuron with shift decays) so that networks written for it still run
/// on every engine and map onto the generic emulator.
bool isXyloTarget(const target::Target &t);

/// Rewrites `network` in place into one snn.xylo op for `t`. With `ranges`
/// (snn-run --calibrate), each population's membrane unit comes from its
/// measured peak membrane and current instead of the threshold's headroom.
mlir::LogicalResult quantizeXylo(NetworkOp network, const target::Target &t,
                                 QuantReport &report,
                                 const Calibration *ranges = nullptr);

} // namespace snn::quant

#endif // SNN_QUANT_QUANTIZEXYLO_H

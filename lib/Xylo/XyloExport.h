//===- XyloExport.h - snn.xylo as a Rockpool specification ------*- C++ -*-===//
//
// The other direction of a Xylo deployment: an snn.xylo op (a Xylo core in
// the dialect) written as the specification Rockpool's
// XyloSim.from_specification(**spec) and config_from_specification(**spec)
// take, through lib/Xylo/XyloSpecIO's writers (.npz with Rockpool's keys,
// shapes and dtypes, or .json). docs/xylo.md describes the format.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_XYLO_XYLOEXPORT_H
#define SNN_XYLO_XYLOEXPORT_H

#include "SNN/IR/SNNOps.h"
#include "Xylo/XyloSpec.h"

namespace snn::xylo {

/// The specification `op` holds; `dt` is its network's.
Spec specOf(XyloOp op, double dt);

/// The specification of snn.xylo's attributes `core` (an snnhw.xylo's, or
/// an snn.xylo's attribute dictionary), whose weights must be present.
Spec specOf(mlir::DictionaryAttr core, double dt);

/// snn-translate --emit-xylo-spec (.npz) and --emit-xylo-spec-json.
void registerXyloExportTranslations();

} // namespace snn::xylo

#endif // SNN_XYLO_XYLOEXPORT_H

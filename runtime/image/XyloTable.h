//===- XyloTable.h - checks on an image's Xylo core table -------*- C++ -*-===//
//
// A stage of kind Xylo (format version 3) holds a whole Xylo core
// (snn_image.fbs, table Xylo). Before the emulator indexes its arrays, the
// image loader checks them here: every size against the sizes it implies,
// every value within the width the chip stores it in, the alias targets
// inside the hidden population. No MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_RUNTIME_XYLOTABLE_H
#define SNN_RUNTIME_XYLOTABLE_H

#include "image/snn_image_generated.h"

#include <cstdint>
#include <string>

namespace snn::image {

/// The largest Xylo core an image may hold: hidden neurons, and weights in
/// one array (the devices have at most 1000 hidden neurons and 2 synapses).
inline constexpr int64_t kMaxXyloHidden = 4096;
inline constexpr int64_t kMaxXyloWeights = int64_t(1) << 25;

/// Checks the Xylo table of stage `s`, which reads `inputs` event counts and
/// writes `outputs` spikes; false with `error` naming the field (prefixed by
/// `where`) when something does not hold.
bool checkXyloTable(const Stage &s, int64_t inputs, int64_t outputs,
                    const std::string &where, std::string &error);

} // namespace snn::image

#endif // SNN_RUNTIME_XYLOTABLE_H

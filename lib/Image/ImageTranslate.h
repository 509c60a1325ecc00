//===- ImageTranslate.h - snnhw.chip to and from chip images ----*- C++ -*-===//

#ifndef SNN_IMAGE_IMAGETRANSLATE_H
#define SNN_IMAGE_IMAGETRANSLATE_H

#include "SNNHW/IR/SNNHWOps.h"
#include "image/ChipImage.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace snn::image {

/// The sealed image (header and FlatBuffer) of a mapped chip.
std::vector<uint8_t> writeImage(hw::ChipOp chip);

/// The snnhw.chip an image holds, in a new module.
mlir::OwningOpRef<mlir::ModuleOp> importImage(const Chip &chip,
                                              mlir::MLIRContext *context);

/// snn-translate --emit-image and --import-image.
void registerImageTranslations();

} // namespace snn::image

#endif // SNN_IMAGE_IMAGETRANSLATE_H

//===- SmallChip.h - the small mapped chip of test/Image/Inputs -*- C++ -*-===//

#ifndef SNNC_TEST_SMALLCHIP_H
#define SNNC_TEST_SMALLCHIP_H

#include "Image/ImageTranslate.h"
#include "Init/InitAll.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace snn::test {

/// The sealed image of test/Image/Inputs/chip.mlir: inputs x[4], a sparse
/// table into three shift-decay LIF neurons y on cores 0 and 1. With `from`,
/// its first occurrence in the text is replaced by `to` first.
inline std::vector<uint8_t> smallChipImage(const std::string &from = "",
                                           const std::string &to = "") {
  std::ifstream in(SNNC_TEST_DIR "/Image/Inputs/chip.mlir");
  std::stringstream text;
  text << in.rdbuf();
  std::string source = text.str();
  if (!from.empty()) {
    size_t at = source.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at == std::string::npos)
      return {};
    source.replace(at, from.size(), to);
  }
  mlir::DialectRegistry registry;
  registerAllDialects(registry);
  mlir::MLIRContext context(registry);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(source, &context);
  EXPECT_TRUE(module);
  if (!module)
    return {};
  hw::ChipOp chip = *module->getOps<hw::ChipOp>().begin();
  return image::writeImage(chip);
}

} // namespace snn::test

#endif // SNNC_TEST_SMALLCHIP_H

//===- snn-opt.cpp - run passes over snn IR -------------------------------===//

#include "Init/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  snn::registerAllDialects(registry);
  snn::registerAllPasses();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "SNNC optimizer: passes over the snn dialect\n", registry));
}

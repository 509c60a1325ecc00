//===- snn-translate.cpp - NIR in and out of the snn dialect --------------===//

#include "Init/InitAll.h"

#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  snn::registerAllTranslations();
  return mlir::failed(mlir::mlirTranslateMain(argc, argv, "SNNC translations"))
             ? 1
             : 0;
}

//===- snn-opt.cpp - run passes over snn IR -------------------------------===//

#include "Init/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/ADT/StringRef.h"

#include <vector>

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  snn::registerAllDialects(registry);
  snn::registerAllPasses();
  // A diagnostic names its op and line; dumping the whole op after it (MLIR's
  // default) would print every weight of a network. Asked for, it still does.
  std::vector<char *> args(argv, argv + argc);
  static char quiet[] = "--mlir-print-op-on-diagnostic=false";
  bool asked = false;
  for (char *arg : args)
    asked |= llvm::StringRef(arg).contains("mlir-print-op-on-diagnostic");
  if (!asked)
    args.insert(args.begin() + 1, quiet);
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      int(args.size()), args.data(),
      "SNNC optimizer: passes over the snn dialect\n", registry));
}

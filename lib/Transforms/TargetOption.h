//===- TargetOption.h - the target=FILE option of a pass --------*- C++ -*-===//

#ifndef SNN_TRANSFORMS_TARGETOPTION_H
#define SNN_TRANSFORMS_TARGETOPTION_H

#include "Target/Target.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Operation.h"

namespace snn {

/// The target a pass was given, or an error on `op` naming the pass and
/// what is wrong with the option or the file.
inline std::optional<target::Target>
targetOption(mlir::Operation *op, llvm::StringRef pass,
             const std::string &path) {
  if (path.empty()) {
    op->emitError() << pass << ": give target=FILE";
    return std::nullopt;
  }
  llvm::Expected<target::Target> t = target::readTarget(path);
  if (!t) {
    op->emitError() << pass << ": " << llvm::toString(t.takeError());
    return std::nullopt;
  }
  return std::move(*t);
}

} // namespace snn

#endif // SNN_TRANSFORMS_TARGETOPTION_H

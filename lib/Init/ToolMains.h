//===- ToolMains.h - what snn-opt and snn-translate do ---------*- C++ -*-===//
//
// The tools' mains only call these (as IREE's tools call their tooling
// library): input kinds recognised, `.nir` read by snn-opt, large modules
// kept off the terminal, SNNC's options alone in --help.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_INIT_TOOLMAINS_H
#define SNN_INIT_TOOLMAINS_H

#include <cstdint>

namespace snn {

/// snn-opt prints at most this many bytes of module to a terminal; a larger
/// result is replaced by a note saying to pass -o (docs/nir.md).
constexpr uint64_t kMaxTerminalModuleBytes = 256 * 1024;

/// snn-opt: MlirOptMain over .mlir, and over .nir files imported first.
int optMain(int argc, char **argv);

/// snn-translate: what mlirTranslateMain does, after checking that the input
/// is of a kind the chosen translation reads; an error on an op shows the
/// message and location, not the op (--mlir-print-op-on-diagnostic asks).
int translateMain(int argc, char **argv);

} // namespace snn

#endif // SNN_INIT_TOOLMAINS_H

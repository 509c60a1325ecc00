//===- NirTranslate.h - NIR translations and their options -----*- C++ -*-===//

#ifndef SNN_NIR_NIRTRANSLATE_H
#define SNN_NIR_NIRTRANSLATE_H

#include "NIR/NirPresets.h"

#include "llvm/Support/CommandLine.h"

namespace snn {

/// Registers --import-nir and --export-nir with MLIR's translation registry.
void registerNirTranslations();

/// Registers the --nir-* command-line options (idempotent); tools that accept
/// .nir files call it before parsing their command line.
void registerNirOptions();

/// The category of the --nir-* options.
llvm::cl::OptionCategory &nirOptionCategory();

/// Whether any --nir-* option was given (they do nothing on .mlir input).
bool nirOptionsGiven();

/// The import options the command line chose; nullopt (after printing why)
/// when an option has a value it does not take.
std::optional<nir::ImportOptions> nirOptionsFromCommandLine();

} // namespace snn

#endif // SNN_NIR_NIRTRANSLATE_H

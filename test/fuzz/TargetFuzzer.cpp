//===- TargetFuzzer.cpp - libFuzzer target for the target reader ----------===//
//
// Any bytes, as a target file, must give either a target or an error naming
// the file; never a crash or a hang. The bytes go through readTargetText,
// the reader readTarget uses once the file is in memory (nesting bound, JSON
// parse, every field's check), with no file written per input. Run with
// scripts/fuzz.sh target.
//
//===----------------------------------------------------------------------===//

#include "Target/Target.h"

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // An alias's `alias_of` is read beside this name: a folder that does not
  // exist, so that inputs cannot reach the files of the machine.
  static const std::string path = "/nonexistent/snnc-fuzz/target.json";
  llvm::Expected<snn::target::Target> target = snn::target::readTargetText(
      llvm::StringRef(reinterpret_cast<const char *>(data), size), path);
  if (!target) {
    std::string error = llvm::toString(target.takeError());
    if (error.find(path) == std::string::npos)
      std::abort(); // an error that does not name the file
  }
  return 0;
}

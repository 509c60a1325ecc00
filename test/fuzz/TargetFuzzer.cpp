//===- TargetFuzzer.cpp - libFuzzer target for the target reader ----------===//
//
// Any bytes, as a target file, must give either a target or an error naming
// the file; never a crash or a hang. readTarget reads a path, so each input
// is written to a file of this process's own. Run with
// scripts/fuzz.sh target.
//
//===----------------------------------------------------------------------===//

#include "Target/Target.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const std::string path =
      "/tmp/snnc-target-fuzz-" + std::to_string(getpid()) + ".json";
  FILE *file = std::fopen(path.c_str(), "wb");
  if (!file)
    std::abort();
  if (size && std::fwrite(data, 1, size, file) != size)
    std::abort();
  std::fclose(file);
  llvm::Expected<snn::target::Target> target = snn::target::readTarget(path);
  if (!target) {
    std::string error = llvm::toString(target.takeError());
    if (error.find(path) == std::string::npos)
      std::abort(); // an error that does not name the file
  }
  return 0;
}

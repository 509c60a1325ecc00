//===- NpyFuzzer.cpp - libFuzzer target for the .npy reader ---------------===//
//
// Any bytes must give either an array whose values fill its shape or an
// error; never a crash, a hang or a huge allocation (libFuzzer's
// -rss_limit_mb and -malloc_limit_mb catch those). Run with
// scripts/fuzz.sh npy.
//
//===----------------------------------------------------------------------===//

#include "Support/Npy.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string error;
  std::optional<snn::npy::Array> array = snn::npy::parse(
      std::string(reinterpret_cast<const char *>(data), size), error);
  if (!array) {
    if (error.empty())
      std::abort(); // a failure that says nothing
    return 0;
  }
  int64_t elements = 1;
  for (int64_t d : array->shape) {
    if (d < 0)
      std::abort(); // a negative dimension accepted
    elements *= d;
  }
  if (elements != array->size())
    std::abort(); // values that do not fill the shape
  return 0;
}

//===- NetxFuzzer.cpp - libFuzzer target for the lava-dl netx reader ------===//
//
// Any bytes, as a netx (HDF5) file, must give either a network whose tensors
// fill their shapes and whose Lava parameters are computed or refused with a
// message, or an error naming the file; never a crash, a hang or a huge
// allocation. The bytes are read from memory (readNetxImage, HDF5's core
// driver) as snn-translate --import-netx reads a file: first in a child with
// a deadline (HDF5 loops on some corrupt heaps; 10 s here, under libFuzzer's
// 20 s), then, when the child finished, in this process, where the fuzzer
// sees every step. Run with scripts/fuzz.sh netx.
//
//===----------------------------------------------------------------------===//

#include "Netx/NetxLava.h"
#include "Netx/NetxReader.h"

#include <cstdint>
#include <cstdlib>
#include <string>

namespace {

/// Whether a tensor's values fill its shape.
bool fills(const snn::netx::Tensor &t) {
  int64_t n = 1;
  for (int64_t d : t.shape) {
    if (d < 0)
      return false;
    n *= d;
  }
  return n == t.numElements();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const std::string name = "fuzz.net";
  llvm::Expected<snn::netx::Network> net = snn::netx::readNetxImage(
      llvm::StringRef(reinterpret_cast<const char *>(data), size), name,
      /*timeoutSeconds=*/10);
  if (!net) {
    if (llvm::toString(net.takeError()).find(name) == std::string::npos)
      std::abort(); // an error that does not name the file
    return 0;
  }
  for (const snn::netx::Layer &layer : net->layers) {
    if (layer.kind != snn::netx::LayerKind::Input &&
        layer.kind != snn::netx::LayerKind::Flatten && !fills(layer.weight))
      std::abort(); // a weight that does not fill its shape
    for (const auto &t : {layer.weightRec, layer.bias, layer.delay})
      if (t && !fills(*t))
        std::abort();
  }
  // What reads goes on to Lava's parameters, or is refused with a message.
  llvm::Expected<snn::netx::LavaNetwork> lava = snn::netx::toLava(*net);
  if (!lava && llvm::toString(lava.takeError()).empty())
    std::abort(); // a refusal that says nothing
  return 0;
}

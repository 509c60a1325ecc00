//===- NetxFuzzer.cpp - libFuzzer target for the lava-dl netx reader ------===//
//
// Any bytes, as a netx (HDF5) file, must give either a network whose tensors
// fill their shapes and whose Lava parameters are computed or refused with a
// message, or an error naming the file; never a crash, a hang or a huge
// allocation. The bytes are read from memory by the reader the tools run in
// their child process (readNetxImageInProcess, HDF5's core driver), here in
// process so that the fuzzer runs at full speed and sees every step; the
// network then goes through the child's pipe encoding and back, which must
// give it unchanged, and the bytes themselves through the pipe decoder,
// which must refuse them or give a network. HDF5's own loops and crashes on
// corrupt files (which the tools' child turns into errors) stop the fuzzer
// here. Run with scripts/fuzz.sh netx.
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
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  // The pipe decoder takes any bytes without crashing.
  llvm::Expected<snn::netx::Network> decoded = snn::netx::decodeNetwork(bytes);
  if (!decoded)
    llvm::consumeError(decoded.takeError());
  llvm::Expected<snn::netx::Network> net =
      snn::netx::readNetxImageInProcess(bytes, name);
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
  // What the child sends, the parent reads back unchanged.
  std::string encoded = snn::netx::encodeNetwork(*net);
  llvm::Expected<snn::netx::Network> back = snn::netx::decodeNetwork(encoded);
  if (!back || snn::netx::encodeNetwork(*back) != encoded)
    std::abort();
  // What reads goes on to Lava's parameters, or is refused with a message.
  llvm::Expected<snn::netx::LavaNetwork> lava = snn::netx::toLava(*net);
  if (!lava && llvm::toString(lava.takeError()).empty())
    std::abort(); // a refusal that says nothing
  return 0;
}

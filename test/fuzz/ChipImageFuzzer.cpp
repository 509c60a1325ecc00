//===- ChipImageFuzzer.cpp - libFuzzer target for the chip-image loader ---===//
//
// Any bytes must give either an image that runs or an error; never a crash,
// a hang or a silent failure. Random bytes rarely pass the checksum, so the
// first byte chooses: odd, the rest is a whole file (header included); even,
// the rest is a payload sealed with a fresh header and checksum, so that the
// fuzzer explores the table checks and the emulator behind them.
// Run with scripts/fuzz.sh chip-image.
//
//===----------------------------------------------------------------------===//

#include "emulator/Emulator.h"
#include "image/ChipImage.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  bool whole = data[0] & 1;
  std::vector<uint8_t> bytes = whole
                                   ? std::vector<uint8_t>(data + 1, data + size)
                                   : snn::image::seal(data + 1, size - 1);
  std::string error;
  auto image = snn::image::ChipImage::fromBytes(std::move(bytes), error);
  if (!image) {
    if (error.empty())
      std::abort(); // a failure that says nothing
    return 0;
  }
  // What loads must run: a few steps with every input element set.
  snn::emu::Emulator emulator(
      std::shared_ptr<const snn::image::ChipImage>(std::move(image)));
  std::vector<std::vector<double>> inputs(emulator.numInputs());
  for (size_t k = 0; k < inputs.size(); ++k)
    inputs[k].assign(size_t(emulator.inputSize(k)), 1.0);
  for (int t = 0; t < 3; ++t) {
    for (size_t k = 0; k < inputs.size(); ++k)
      emulator.setInput(k, inputs[k].data());
    emulator.step();
  }
  return 0;
}

//===- XyloSpecFuzzer.cpp - libFuzzer target for Xylo specifications -----===//
//
// Any bytes, read both as a `.npz` and as a `.json` Xylo specification (the
// two readers behind --import-xylo-spec; each refuses the other's format at
// once), must give either a specification whose sizes agree with its arrays
// or an error; never a crash, a hang or a huge allocation. What parses is
// validated against every device and, when its values fit the chip's
// widths and it is small, stepped twice on all-ones input.
// Run with scripts/fuzz.sh xylo-spec.
//
//===----------------------------------------------------------------------===//

#include "Xylo/XyloSpecIO.h"
#include "Xylo/XyloStepper.h"

#include <cstdint>
#include <cstdlib>
#include <string>

namespace {

void check(llvm::Expected<snn::xylo::Spec> spec) {
  if (!spec) {
    if (llvm::toString(spec.takeError()).empty())
      std::abort(); // a failure that says nothing
    return;
  }
  if (!snn::xylo::checkShapes(*spec).empty())
    std::abort(); // sizes that disagree with the arrays were accepted
  for (snn::xylo::Device device :
       {snn::xylo::Device::Audio2, snn::xylo::Device::Imu,
        snn::xylo::Device::Audio3, snn::xylo::Device::CoreV1})
    (void)snn::xylo::validate(*spec, device);
  if (!snn::xylo::checkWidths(*spec).empty())
    return;
  // The stepper holds the weights dense with both synapses: keep it small.
  if (spec->nHid * spec->nHid > (int64_t(1) << 16) ||
      spec->nIn * spec->nHid > (int64_t(1) << 16))
    return;
  for (int version : {1, 2}) {
    llvm::Expected<snn::xylo::Stepper> stepper =
        snn::xylo::Stepper::create(*spec, version);
    if (!stepper) {
      if (llvm::toString(stepper.takeError()).empty())
        std::abort();
      continue;
    }
    std::vector<int32_t> input(size_t(2 * stepper->numInputs()), 1);
    std::vector<int32_t> out = stepper->run(input, 2);
    if (out.size() != size_t(2 * stepper->numOutputs()))
      std::abort(); // not one count per step and output
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string bytes(reinterpret_cast<const char *>(data), size);
  check(snn::xylo::parseSpecNpz(bytes));
  check(snn::xylo::parseSpecJson(bytes));
  return 0;
}

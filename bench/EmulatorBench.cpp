//===- EmulatorBench.cpp - emulator throughput through the runtime API ----===//
//
// snn-bench-emulator IMAGE INPUT.npy [REPEATS]: runs every sample of the
// input ([samples, steps, neurons...]) through the "emu" backend of
// snn_runtime.h, as an embedded host would, and prints the wall time,
// steps/s and synaptic events/s (best of REPEATS), plus the emulated cycles.
// bench/emulator-throughput.sh sets it against the generated C.
//
//===----------------------------------------------------------------------===//

#include "Support/Npy.h"
#include "api/snn_runtime.hpp"

#include <chrono>
#include <cstdio>
#include <string>

int main(int argc, char **argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: snn-bench-emulator IMAGE INPUT.npy [REPEATS]\n");
    return 2;
  }
  int repeats = argc > 3 ? std::atoi(argv[3]) : 3;
  std::string error;
  std::unique_ptr<snn::Device> device = snn::Device::open(argv[1], "emu", error);
  if (!device) {
    std::fprintf(stderr, "snn-bench-emulator: %s\n", error.c_str());
    return 1;
  }
  std::optional<snn::npy::Array> input = snn::npy::load(argv[2], error);
  if (!input || input->shape.size() < 3) {
    std::fprintf(stderr, "snn-bench-emulator: %s\n",
                 input ? "the input must be [samples, steps, neurons...]"
                       : error.c_str());
    return 1;
  }
  int64_t samples = input->shape[0], steps = input->shape[1];
  int64_t neurons = input->size() / (samples * steps);
  if (neurons != device->inputSize(0)) {
    std::fprintf(stderr, "snn-bench-emulator: the input has %lld neurons, the "
                         "image %lld\n",
                 (long long)neurons, (long long)device->inputSize(0));
    return 1;
  }
  double best = 1e30;
  snn_counters total{};
  std::vector<double> output;
  for (int r = 0; r < repeats; ++r) {
    auto start = std::chrono::steady_clock::now();
    snn_counters before = device->total();
    for (int64_t n = 0; n < samples; ++n) {
      device->reset();
      std::vector<double> sample(input->values.begin() + n * steps * neurons,
                                 input->values.begin() + (n + 1) * steps * neurons);
      if (!device->run(sample, steps, output)) {
        std::fprintf(stderr, "snn-bench-emulator: %s\n", device->error().c_str());
        return 1;
      }
    }
    double seconds = std::chrono::duration<double>(
                         std::chrono::steady_clock::now() - start)
                         .count();
    snn_counters after = device->total();
    total.synaptic_events = after.synaptic_events - before.synaptic_events;
    total.cycles = after.cycles - before.cycles;
    best = std::min(best, seconds);
  }
  double stepsRun = double(samples * steps);
  std::printf("emulator: %lld samples x %lld steps in %.3f s: %.0f steps/s, "
              "%.3g synaptic events/s (%lld events), %.1f emulated cycles per "
              "step\n",
              (long long)samples, (long long)steps, best, stepsRun / best,
              double(total.synaptic_events) / best,
              (long long)total.synaptic_events, total.cycles / stepsRun);
  return 0;
}

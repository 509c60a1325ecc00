//===- EmulatorBench.cpp - emulator throughput through the runtime API ----===//
//
//   snn-bench-emulator IMAGE INPUT.npy [REPEATS]
//   snn-bench-emulator IMAGE --poisson P,STEPS[,SEED] [--no-output]
//
// The first form runs every sample of the input ([samples, steps,
// neurons...]) through the "emu" backend of snn_runtime.h, as an embedded
// host would, and prints the wall time, steps/s and synaptic events/s (best
// of REPEATS), plus the emulated cycles. bench/emulator-throughput.sh sets it
// against the generated C.
//
// The second form is bench/cuba's step loop for the emulator: spikes with
// probability P per input and step, drawn before the clock starts as
// bench/cuba_main.c draws them (xorshift64, geometric gaps), then STEPS
// steps of one snn_run each with the input row bound and the output row
// read (not with --no-output). Prints the loop's CPU time (process CPU time,
// steadier than wall time on a shared machine), microseconds per step, and
// the emulator's spike, input spike and synaptic event counts.
//
//===----------------------------------------------------------------------===//

#include "Support/Npy.h"
#include "api/snn_runtime.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>

namespace {

uint64_t state = 88172645463325252ull;
double uniform() { // xorshift64, (0, 1], as bench/cuba_main.c
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return (double(state >> 11) + 1.0) / 9007199254740992.0;
}

double cpuSeconds() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

int poissonLoop(snn::Device &device, const char *spec, bool readOutput) {
  double p = 0;
  long long steps = 0, seed = 0;
  int got = std::sscanf(spec, "%lf,%lld,%lld", &p, &steps, &seed);
  if (got < 2 || !(p >= 0 && p <= 1) || steps < 1) {
    std::fprintf(stderr, "snn-bench-emulator: --poisson wants P,STEPS[,SEED] "
                         "with 0 <= P <= 1 and STEPS >= 1, not '%s'\n",
                 spec);
    return 1;
  }
  if (got == 3 && seed != 0)
    state = uint64_t(seed);
  int64_t inputs = device.inputSize(0), outputs = device.outputSize(0);
  // Input events as flat positions step * inputs + input.
  std::vector<int64_t> at;
  if (p > 0) {
    int64_t cell = -1, cells = int64_t(steps) * inputs;
    double lq = std::log(1.0 - p);
    for (;;) {
      cell += p >= 1 ? 1 : 1 + int64_t(std::floor(std::log(uniform()) / lq));
      if (cell >= cells)
        break;
      at.push_back(cell);
    }
  }
  std::vector<double> input(size_t(inputs), 0.0), output(size_t(outputs), 0.0);
  snn_device *d = device.handle();
  device.reset();
  size_t e = 0;
  double start = cpuSeconds();
  for (long long t = 0; t < steps; ++t) {
    size_t first = e;
    while (e < at.size() && at[e] / inputs == t)
      input[size_t(at[e++] % inputs)] = 1;
    if (snn_bind_input(d, 0, input.data(), 1) != 0 ||
        (readOutput && snn_bind_output(d, 0, output.data(), 1) != 0) ||
        snn_run(d, 1) != 0) {
      std::fprintf(stderr, "snn-bench-emulator: %s\n", device.error().c_str());
      return 1;
    }
    for (size_t k = first; k < e; ++k)
      input[size_t(at[k] % inputs)] = 0;
  }
  double seconds = cpuSeconds() - start;
  snn_counters total = device.total();
  std::printf("emulator: %lld steps in %.4f s CPU: %.2f us per step, %lld "
              "spikes, %zu input spikes, %lld synaptic events, %.1f emulated "
              "cycles per step%s\n",
              steps, seconds, 1e6 * seconds / double(steps),
              (long long)total.spikes, at.size(),
              (long long)total.synaptic_events,
              total.cycles / double(steps),
              readOutput ? "" : " (output not read)");
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 3) {
    std::fprintf(stderr,
                 "usage: snn-bench-emulator IMAGE INPUT.npy [REPEATS]\n"
                 "       snn-bench-emulator IMAGE --poisson P,STEPS[,SEED] "
                 "[--no-output]\n");
    return 2;
  }
  std::string error;
  std::unique_ptr<snn::Device> device = snn::Device::open(argv[1], "emu", error);
  if (!device) {
    std::fprintf(stderr, "snn-bench-emulator: %s\n", error.c_str());
    return 1;
  }
  if (std::strcmp(argv[2], "--poisson") == 0) {
    if (argc < 4) {
      std::fprintf(stderr, "snn-bench-emulator: --poisson needs P,STEPS\n");
      return 2;
    }
    bool readOutput = !(argc > 4 && std::strcmp(argv[4], "--no-output") == 0);
    return poissonLoop(*device, argv[3], readOutput);
  }
  int repeats = argc > 3 ? std::atoi(argv[3]) : 3;
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

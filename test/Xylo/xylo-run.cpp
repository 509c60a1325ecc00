//===- xylo-run.cpp - run a Rockpool Xylo specification on snn_xylo.h -----===//
//
//   snn-xylo-run SPEC.{npz,json} [INPUT.{npy,txt}] [options]
//     --device NAME   validate against xylo-audio2 | xylo-imu | xylo-audio3 |
//                     xylo-v1 (errors name key, index and the device's
//                     number; exit 1); xylo-v1 also selects v1's arithmetic
//     --v1            v1's membrane order without validating
//     --steps T       steps to run (default: the input's rows)
//     --out OUT.npy   output spike counts int32 [T, Nout] (else printed)
//     --record        print Vmem/Isyn/Isyn2/Spikes and Vmem_out/Isyn_out
//     --write SPEC2.{npz,json}  write the specification read
//     --summary       print sizes, the counts of spikes and, with --device,
//                     Rockpool's worst-case cycles per step and
//                     est_clock_freq (lib/Xylo/XyloCycles.h)
//
// INPUT is event counts [T, Nin]: a .npy of integers, or text with one step
// per line, counts separated by spaces. The test driver of test/Xylo: it
// reads with lib/Xylo and steps with runtime/embedded/snn_xylo.h through
// lib/Xylo's Stepper.
//
//===----------------------------------------------------------------------===//

#include "Support/Npy.h"
#include "Xylo/XyloCycles.h"
#include "Xylo/XyloSpecIO.h"
#include "Xylo/XyloStepper.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace snn;
using namespace snn::xylo;

namespace {

int fail(const std::string &message) {
  std::fprintf(stderr, "snn-xylo-run: %s\n", message.c_str());
  return 1;
}

bool endsWith(const std::string &s, const std::string &tail) {
  return s.size() >= tail.size() &&
         s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

/// Event counts [T][nIn] from a .npy or a text file.
bool readInput(const std::string &path, int64_t nIn,
               std::vector<int32_t> &counts, int64_t &steps,
               std::string &error) {
  std::vector<double> values;
  if (endsWith(path, ".npy")) {
    auto a = npy::load(path, error);
    if (!a)
      return false;
    if (a->shape.size() != 2 || a->shape[1] != nIn) {
      error = path + ": input must be [T, " + std::to_string(nIn) + "]";
      return false;
    }
    values = a->values;
  } else {
    std::ifstream in(path);
    if (!in) {
      error = path + ": cannot be opened";
      return false;
    }
    std::string line;
    int64_t row = 0;
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      double v;
      int64_t n = 0;
      while (fields >> v) {
        values.push_back(v);
        ++n;
      }
      if (n == 0)
        continue;
      if (n != nIn) {
        error = path + ": line " + std::to_string(row + 1) + " has " +
                std::to_string(n) + " counts, the specification " +
                std::to_string(nIn) + " inputs";
        return false;
      }
      ++row;
    }
  }
  steps = nIn ? static_cast<int64_t>(values.size()) / nIn : 0;
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i] < 0 || values[i] > 1e6 ||
        values[i] != std::floor(values[i])) {
      error = path + ": input " + std::to_string(i) + " is not an event count";
      return false;
    }
    counts.push_back(static_cast<int32_t>(values[i]));
  }
  return true;
}

void printRows(const char *name, const std::vector<int32_t> &v, int64_t n,
               int64_t steps) {
  for (int64_t t = 0; t < steps; ++t) {
    std::printf("%s t=%lld:", name, static_cast<long long>(t));
    for (int64_t i = 0; i < n; ++i)
      std::printf(" %d", v[t * n + i]);
    std::printf("\n");
  }
}

} // namespace

int main(int argc, char **argv) {
  std::string specPath, inputPath, outPath, writePath, device;
  bool record = false, summary = false, v1 = false;
  int64_t steps = -1;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--device")
      device = next();
    else if (a == "--steps")
      steps = std::atoll(next().c_str());
    else if (a == "--out")
      outPath = next();
    else if (a == "--write")
      writePath = next();
    else if (a == "--record")
      record = true;
    else if (a == "--summary")
      summary = true;
    else if (a == "--v1")
      v1 = true;
    else if (specPath.empty())
      specPath = a;
    else if (inputPath.empty())
      inputPath = a;
    else
      return fail("unexpected argument '" + a + "'");
  }
  if (specPath.empty())
    return fail("usage: snn-xylo-run SPEC.{npz,json} [INPUT] [options]");

  std::string error;
  auto spec = readSpec(specPath);
  if (!spec)
    return fail(llvm::toString(spec.takeError()));
  int version = v1 ? 1 : 2;
  if (!device.empty()) {
    auto d = parseDevice(device);
    if (!d)
      return fail("unknown device '" + device + "'");
    std::vector<std::string> errors = validate(*spec, *d);
    for (const std::string &e : errors)
      std::fprintf(stderr, "snn-xylo-run: %s: %s\n", specPath.c_str(),
                   e.c_str());
    if (!errors.empty())
      return 1;
    version = limits(*d).version;
  }
  if (!writePath.empty())
    if (llvm::Error e = writeSpec(*spec, writePath))
      return fail(llvm::toString(std::move(e)));
  if (summary)
    std::printf("Nin=%lld Nien=%lld Nhid=%lld Noen=%lld Nout=%lld "
                "synapses=%lld/%lld\n",
                (long long)spec->nIn, (long long)spec->nIen,
                (long long)spec->nHid, (long long)spec->nOen,
                (long long)spec->nOut, (long long)spec->synIn,
                (long long)spec->synRec);
  if (summary && !device.empty()) {
    Device d = *parseDevice(device);
    Cycles c = cyclesModel(*spec, d);
    std::printf("cycles/step: input %g hidden_isyn %g output_isyn %g "
                "hidden_spk %g output_spk %g total %g; est_clock_freq %g Hz\n",
                c.input, c.hiddenIsyn, c.outputIsyn, c.hiddenSpikes,
                c.outputSpikes, c.total(), estClockFreq(*spec, d));
  }
  if (inputPath.empty())
    return 0;

  std::vector<int32_t> input;
  int64_t rows = 0;
  if (!readInput(inputPath, spec->nIn, input, rows, error))
    return fail(error);
  if (steps < 0)
    steps = rows;
  if (steps > rows)
    return fail("--steps " + std::to_string(steps) + " but the input has " +
                std::to_string(rows) + " rows");
  auto stepper = Stepper::create(*spec, version);
  if (!stepper)
    return fail(specPath + ": " + llvm::toString(stepper.takeError()));
  Record rec;
  std::vector<int32_t> out =
      stepper->run(input, steps, record ? &rec : nullptr);
  if (!outPath.empty()) {
    std::vector<double> values(out.begin(), out.end());
    if (!npy::save(outPath, {steps, spec->nOut}, values, "int32", error))
      return fail(error);
  } else {
    printRows("out", out, spec->nOut, steps);
  }
  if (record) {
    printRows("Vmem", rec.vmem, spec->nHid, steps);
    printRows("Isyn", rec.isyn, spec->nHid, steps);
    printRows("Isyn2", rec.isyn2, spec->nHid, steps);
    printRows("Spikes", rec.spikes, spec->nHid, steps);
    printRows("Vmem_out", rec.vmemOut, spec->nOut, steps);
    printRows("Isyn_out", rec.isynOut, spec->nOut, steps);
  }
  if (summary) {
    long long total = 0;
    for (int32_t v : out)
      total += v;
    std::printf("output spikes: %lld\n", total);
  }
  return 0;
}

//===- CostModel.cpp - dense or sparse, scan or scatter -------------------===//

#include "Codegen/CostModel.h"

#include "llvm/Support/FormatVariadic.h"

namespace snn::codegen {

namespace {
// Work in units of one dense multiply-accumulate (weight load, input load,
// multiply, add into a register). A compressed entry also loads its index.
// Measured on the MLP with callgrind (bench/embedded-kernels.sh, gcc -O2,
// docs/embedded.md): a scattered multiply-add into the accumulator array
// costs the same as a dense one, and testing an input about 1.2.
constexpr double kCompressedVisit = 1.5;
constexpr double kScatter = 1.0, kInputTest = 1.2, kRowFinish = 2;
// Index of a compressed entry, and the offsets that start each list.
constexpr int64_t kIndexBytes = 2, kOffsetBytes = 4;
} // namespace

KernelChoice chooseKernel(int64_t rows, int64_t cols, int64_t nonzero,
                          int64_t weightBytes, double activity) {
  KernelChoice c;
  double synapses = double(rows) * double(cols);
  c.weightDensity = synapses > 0 ? double(nonzero) / synapses : 0;
  c.activity = activity;
  double denseBytes = synapses * double(weightBytes);
  // Lists by input (event-driven) or by output (dense) cost the same.
  double listBytes = double(nonzero) * double(weightBytes + kIndexBytes) +
                     double(std::max(rows, cols) + 1) * kOffsetBytes;
  bool compressed = rows <= 65535 && cols <= 65535 && listBytes < denseBytes;
  c.storage = compressed ? Storage::Compressed : Storage::Dense;
  c.bytesPerSynapse =
      synapses > 0 ? (compressed ? listBytes : denseBytes) / synapses : 0;
  // Work per step: dense reads every weight once; event-driven tests every
  // input and reads the weights of the non-zero ones.
  double perWeight = compressed ? kCompressedVisit : 1.0;
  double visited = compressed ? double(nonzero) : synapses;
  c.denseCost = visited * perWeight + kRowFinish * double(rows);
  c.eventCost =
      kInputTest * double(cols) + activity * visited * perWeight * kScatter;
  c.accumulation = c.eventCost < c.denseCost ? Accumulation::EventDriven
                                             : Accumulation::Dense;
  return c;
}

KernelChoice sparseKernel(int64_t rows, int64_t cols, int64_t nonzero,
                          int64_t weightBytes, int64_t indexBytes,
                          double activity) {
  KernelChoice c;
  double synapses = double(rows) * double(cols);
  c.weightDensity = synapses > 0 ? double(nonzero) / synapses : 0;
  c.activity = activity;
  c.storage = Storage::Compressed;
  c.accumulation = Accumulation::EventDriven;
  // Per stored synapse (not per entry of the dense matrix): its weight and
  // target index, and the offsets that start each input's list.
  double bytes = double(nonzero) * double(weightBytes + indexBytes) +
                 double(cols + 1) * kOffsetBytes;
  c.bytesPerSynapse = nonzero > 0 ? bytes / double(nonzero) : 0;
  c.denseCost = double(nonzero) * kCompressedVisit + kRowFinish * double(rows);
  c.eventCost = kInputTest * double(cols) +
                activity * double(nonzero) * kCompressedVisit * kScatter;
  return c;
}

std::string describe(const KernelChoice &c) {
  return llvm::formatv(
             "{0}, {1} weights, {2:F2} bytes per synapse (weight density "
             "{3:F3}, expected input activity {4:F3}; work per step dense "
             "{5:F0}, event-driven {6:F0})",
             c.accumulation == Accumulation::EventDriven ? "event-driven"
                                                         : "dense",
             c.storage == Storage::Compressed ? "compressed" : "dense",
             c.bytesPerSynapse, c.weightDensity, c.activity, c.denseCost,
             c.eventCost)
      .str();
}

} // namespace snn::codegen

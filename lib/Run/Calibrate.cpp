//===- Calibrate.cpp - ranges of a float run for snn-quantize -------------===//

#include "Run/Calibrate.h"

namespace snn::run {

llvm::Expected<quant::Calibration>
calibrate(NetworkOp network, const Inputs &inputs, const RunOptions &options,
          CalibrationCounts *counts) {
  llvm::Expected<std::unique_ptr<sim::Reference>> made =
      sim::Reference::create(network);
  if (!made)
    return made.takeError();
  std::unique_ptr<sim::Reference> ref = std::move(*made);
  quant::Calibration c;
  c.network = network.getSymName().str();
  c.samples = inputs.samples;
  c.steps = inputs.steps;
  c.inputMax.assign(1, 0.0);
  const std::vector<sim::NodeStats> &stats = ref->stats();
  std::vector<quant::NodeRange> ranges(stats.size());
  auto absMax = [](const sim::Matrix &m) {
    return m.size() ? m.cwiseAbs().maxCoeff() : 0.0;
  };
  RunOptions quiet = options;
  quiet.record.clear();
  double inputNonzero = 0, inputTotal = 0;
  auto observe = [&](int64_t, int64_t, int64_t,
                     const std::vector<sim::Matrix> &input) {
    c.inputMax[0] = std::max(c.inputMax[0], absMax(input[0]));
    inputNonzero += double((input[0].array() != 0).count());
    inputTotal += double(input[0].size());
    for (size_t i = 0; i < ranges.size(); ++i) {
      if (!stats[i].spikes)
        ranges[i].outputMax =
            std::max(ranges[i].outputMax, absMax(ref->nodeOutput(i)));
      if (const sim::Matrix *v = ref->nodeMembrane(i))
        ranges[i].membraneMax = std::max(ranges[i].membraneMax, absMax(*v));
      if (const sim::Matrix *cur = ref->nodeCurrent(i))
        ranges[i].currentMax = std::max(ranges[i].currentMax, absMax(*cur));
    }
  };
  if (llvm::Error e =
          runEngine(*ref, network, inputs, std::nullopt, quiet, observe)
              .takeError())
    return std::move(e);
  const std::vector<sim::NodeStats> &seen = ref->stats();
  for (size_t i = 0; i < ranges.size(); ++i) {
    if (seen[i].outputs > 0)
      ranges[i].rate = seen[i].nonzero / seen[i].outputs;
    ranges[i].neurons = seen[i].neurons;
    c.nodes[seen[i].key] = ranges[i];
    if (counts)
      counts->nodes[seen[i].key] = {seen[i].nonzero, seen[i].outputs};
  }
  if (counts) {
    counts->inputNonzero = inputNonzero;
    counts->inputTotal = inputTotal;
  }
  c.inputRate = inputTotal > 0 ? inputNonzero / inputTotal : -1;
  return c;
}

} // namespace snn::run

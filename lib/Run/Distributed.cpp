//===- Distributed.cpp - snn-run's samples split over ranks ---------------===//

#include "Run/Distributed.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace snn::run {

std::vector<std::string> Communicator::gather(std::string bytes) {
  std::vector<std::string> all;
  all.push_back(std::move(bytes));
  return all;
}

Block blockOf(int64_t samples, int64_t batch, int rank, int ranks) {
  int64_t batches = batch > 0 ? (samples + batch - 1) / batch : 0;
  // Batches [b0, b0 + count): the first ranks take one more when they do
  // not divide evenly, so that rank 0 (which shows progress and holds the
  // traced samples) always has work.
  int64_t base = batches / ranks, extra = batches % ranks;
  int64_t b0 = rank * base + std::min<int64_t>(rank, extra);
  int64_t count = base + (rank < extra ? 1 : 0);
  return {std::min(samples, b0 * batch),
          std::min(samples, (b0 + count) * batch)};
}

Inputs sliceInputs(const Inputs &inputs, Block block) {
  Inputs out;
  out.samples = block.size();
  out.steps = inputs.steps;
  out.neurons = inputs.neurons;
  size_t per = size_t(inputs.steps * inputs.neurons);
  size_t from = size_t(block.first) * per, to = size_t(block.end) * per;
  if (inputs.isSpikes())
    out.spikes.assign(inputs.spikes.begin() + from, inputs.spikes.begin() + to);
  else
    out.values.assign(inputs.values.begin() + from, inputs.values.begin() + to);
  return out;
}

std::optional<npy::Array>
sliceLabels(const std::optional<npy::Array> &labels, Block block) {
  if (!labels)
    return std::nullopt;
  npy::Array out = *labels;
  out.shape = {block.size()};
  out.values.assign(labels->values.begin() + block.first,
                    labels->values.begin() + block.end);
  return out;
}

//===----------------------------------------------------------------------===//
// Bytes
//===----------------------------------------------------------------------===//

void Packer::int64(int64_t v) {
  bytes.append(reinterpret_cast<const char *>(&v), sizeof v);
}
void Packer::real(double v) {
  bytes.append(reinterpret_cast<const char *>(&v), sizeof v);
}
void Packer::text(const std::string &s) {
  int64(int64_t(s.size()));
  bytes.append(s);
}
void Packer::reals(const std::vector<double> &v) {
  int64(int64_t(v.size()));
  if (!v.empty())
    bytes.append(reinterpret_cast<const char *>(v.data()),
               v.size() * sizeof(double));
}

// The bytes come from another rank of the same program: a short read is a
// bug, not bad input.
void Unpacker::read(void *out, size_t size) {
  if (size == 0)
    return; // an empty vector's data() may be null: no memcpy from it
  if (at + size > bytes.size())
    llvm::report_fatal_error("a rank's partial result is shorter than its "
                             "layout");
  std::memcpy(out, bytes.data() + at, size);
  at += size;
}
int64_t Unpacker::int64() {
  int64_t v;
  read(&v, sizeof v);
  return v;
}
double Unpacker::real() {
  double v;
  read(&v, sizeof v);
  return v;
}
std::string Unpacker::text() {
  std::string s(size_t(int64()), '\0');
  read(s.data(), s.size());
  return s;
}
std::vector<double> Unpacker::reals() {
  size_t size = size_t(int64());
  std::vector<double> v(size);
  read(v.data(), v.size() * sizeof(double));
  return v;
}

//===----------------------------------------------------------------------===//
// Results
//===----------------------------------------------------------------------===//

namespace {

/// The counts of NodeStats that add up over samples (whole numbers).
std::vector<double *> counts(sim::NodeStats &s) {
  return {&s.nonzero,    &s.outputs,    &s.synopsEffective, &s.synopsDense,
          &s.eventSteps, &s.denseSteps, &s.saturations};
}

} // namespace

void packResult(const RunResult &r, Packer &p) {
  p.int64(r.samples);
  p.real(r.seconds);
  p.reals(r.outputs);
  p.int64(int64_t(r.stats.size()));
  for (sim::NodeStats s : r.stats)
    for (double *v : counts(s))
      p.real(*v);
  p.int64(int64_t(r.traces.size()));
  for (const Trace &t : r.traces)
    p.reals(t.data);
}

RunResult unpackResult(Unpacker &u) {
  RunResult r;
  r.samples = u.int64();
  r.seconds = u.real();
  r.outputs = u.reals();
  r.stats.resize(size_t(u.int64()));
  for (sim::NodeStats &s : r.stats)
    for (double *v : counts(s))
      *v = u.real();
  r.traces.resize(size_t(u.int64()));
  for (Trace &t : r.traces)
    t.data = u.reals();
  return r;
}

RunResult mergeResults(std::vector<RunResult> parts,
                       const std::optional<npy::Array> &labels,
                       Readout readout) {
  // Rank 0's own result carries the names, shapes and trace files.
  RunResult merged = std::move(parts.front());
  for (size_t k = 1; k < parts.size(); ++k) {
    RunResult &part = parts[k];
    merged.samples += part.samples;
    merged.seconds = std::max(merged.seconds, part.seconds);
    merged.outputs.insert(merged.outputs.end(), part.outputs.begin(),
                          part.outputs.end());
    for (size_t n = 0; n < merged.stats.size(); ++n) {
      std::vector<double *> to = counts(merged.stats[n]),
                            from = counts(part.stats[n]);
      for (size_t i = 0; i < to.size(); ++i)
        *to[i] += *from[i];
    }
    for (size_t t = 0; t < merged.traces.size(); ++t)
      merged.traces[t].data.insert(merged.traces[t].data.end(),
                                   part.traces[t].data.begin(),
                                   part.traces[t].data.end());
  }
  merged.accuracy.reset();
  classify(merged, labels, readout);
  return merged;
}

//===----------------------------------------------------------------------===//
// Comparisons
//===----------------------------------------------------------------------===//

namespace {

std::vector<double *> counts(NodeAgreement &n) {
  return {&n.equal,        &n.total,           &n.spikesA,
          &n.spikesB,      &n.saturationsB,    &n.finalStateEqual,
          &n.finalStateTotal};
}

} // namespace

void packComparison(const Comparison &c, Packer &p) {
  packResult(c.a, p);
  packResult(c.b, p);
  p.int64(int64_t(c.nodes.size()));
  for (NodeAgreement n : c.nodes) {
    for (double *v : counts(n))
      p.real(*v);
    p.real(n.maxDifference);
    p.real(n.maxMagnitude);
  }
  p.int64(c.first.found);
  p.int64(c.first.sample);
  p.int64(c.first.step);
  p.int64(c.first.neuron);
  p.text(c.first.node);
  p.real(c.first.a);
  p.real(c.first.b);
}

Comparison unpackComparison(Unpacker &u) {
  Comparison c;
  c.a = unpackResult(u);
  c.b = unpackResult(u);
  c.nodes.resize(size_t(u.int64()));
  for (NodeAgreement &n : c.nodes) {
    for (double *v : counts(n))
      *v = u.real();
    n.maxDifference = u.real();
    n.maxMagnitude = u.real();
  }
  c.first.found = u.int64();
  c.first.sample = u.int64();
  c.first.step = u.int64();
  c.first.neuron = u.int64();
  c.first.node = u.text();
  c.first.a = u.real();
  c.first.b = u.real();
  return c;
}

Comparison mergeComparisons(std::vector<Comparison> parts,
                            const std::vector<int64_t> &firsts,
                            const std::optional<npy::Array> &labels,
                            Readout readout) {
  Comparison merged = std::move(parts.front());
  std::vector<RunResult> as, bs;
  as.push_back(std::move(merged.a));
  bs.push_back(std::move(merged.b));
  for (size_t k = 1; k < parts.size(); ++k) {
    Comparison &part = parts[k];
    as.push_back(std::move(part.a));
    bs.push_back(std::move(part.b));
    for (size_t n = 0; n < merged.nodes.size(); ++n) {
      NodeAgreement &to = merged.nodes[n], &from = part.nodes[n];
      std::vector<double *> t = counts(to), f = counts(from);
      for (size_t i = 0; i < t.size(); ++i)
        *t[i] += *f[i];
      to.maxDifference = std::max(to.maxDifference, from.maxDifference);
      to.maxMagnitude = std::max(to.maxMagnitude, from.maxMagnitude);
    }
    // The one-rank run keeps the earliest (step, sample); samples of
    // different ranks never tie.
    Divergence d = part.first;
    d.sample += firsts[k];
    if (merged.first.isAfter(d))
      merged.first = d;
  }
  merged.a = mergeResults(std::move(as), labels, readout);
  merged.b = mergeResults(std::move(bs), labels, readout);
  // saturationsB is the second engine's count per node, summed above.
  merged.samplesAgreeing = 0;
  for (int64_t n = 0; n < merged.a.samples; ++n)
    merged.samplesAgreeing += merged.a.predictions[n] == merged.b.predictions[n];
  return merged;
}

//===----------------------------------------------------------------------===//
// The emulator
//===----------------------------------------------------------------------===//

namespace {

void packInts(const std::vector<int64_t> &v, Packer &p) {
  p.int64(int64_t(v.size()));
  for (int64_t x : v)
    p.int64(x);
}
std::vector<int64_t> unpackInts(Unpacker &u) {
  std::vector<int64_t> v(size_t(u.int64()));
  for (int64_t &x : v)
    x = u.int64();
  return v;
}

/// The whole-number counters of the emulator's totals (the real-valued
/// ones travel step by step).
std::vector<int64_t *> counts(emu::Counters &c) {
  return {&c.steps,   &c.synapticEvents, &c.neuronUpdates,     &c.spikes,
          &c.packets, &c.hopTraversals,  &c.busiestLinkPackets,
          &c.chipPackets, &c.chipHopTraversals, &c.busiestChipLinkPackets};
}

} // namespace

void packEmulator(const EmuEngine::Partial &e, Packer &p) {
  p.int64(e.samples);
  emu::Emulator::RunTotals t = e.totals;
  for (int64_t *v : counts(t.total))
    p.int64(*v);
  p.int64(int64_t(t.cores.size()));
  for (const emu::CoreCounters &c : t.cores) {
    p.int64(c.synapticEvents);
    p.int64(c.neuronUpdates);
    p.int64(c.spikes);
  }
  packInts(t.links, p);
  packInts(t.saturations, p);
  p.int64(t.inputEvents);
  p.int64(t.hiddenSpikes);
  p.reals(e.stepReals);
}

EmuEngine::Partial unpackEmulator(Unpacker &u) {
  EmuEngine::Partial e;
  e.samples = u.int64();
  emu::Emulator::RunTotals &t = e.totals;
  for (int64_t *v : counts(t.total))
    *v = u.int64();
  t.cores.resize(size_t(u.int64()));
  for (emu::CoreCounters &c : t.cores) {
    c.synapticEvents = u.int64();
    c.neuronUpdates = u.int64();
    c.spikes = u.int64();
  }
  t.links = unpackInts(u);
  t.saturations = unpackInts(u);
  t.inputEvents = u.int64();
  t.hiddenSpikes = u.int64();
  e.stepReals = u.reals();
  return e;
}

//===----------------------------------------------------------------------===//
// Calibrations
//===----------------------------------------------------------------------===//

void packCalibration(const CalibrationPart &c, Packer &p) {
  p.text(c.ranges.network);
  p.int64(c.ranges.samples);
  p.int64(c.ranges.steps);
  p.reals(c.ranges.inputMax);
  p.int64(int64_t(c.ranges.nodes.size()));
  for (const auto &[key, r] : c.ranges.nodes) {
    p.text(key);
    p.real(r.outputMax);
    p.real(r.membraneMax);
    p.real(r.currentMax);
    p.int64(r.neurons);
    auto it = c.counts.nodes.find(key);
    p.real(it == c.counts.nodes.end() ? 0 : it->second.first);
    p.real(it == c.counts.nodes.end() ? 0 : it->second.second);
  }
  p.real(c.counts.inputNonzero);
  p.real(c.counts.inputTotal);
}

CalibrationPart unpackCalibration(Unpacker &u) {
  CalibrationPart c;
  c.ranges.network = u.text();
  c.ranges.samples = u.int64();
  c.ranges.steps = u.int64();
  c.ranges.inputMax = u.reals();
  int64_t nodes = u.int64();
  for (int64_t k = 0; k < nodes; ++k) {
    std::string key = u.text();
    quant::NodeRange &r = c.ranges.nodes[key];
    r.outputMax = u.real();
    r.membraneMax = u.real();
    r.currentMax = u.real();
    r.neurons = u.int64();
    double nonzero = u.real();
    c.counts.nodes[key] = {nonzero, u.real()};
  }
  c.counts.inputNonzero = u.real();
  c.counts.inputTotal = u.real();
  return c;
}

quant::Calibration
mergeCalibrations(const std::vector<CalibrationPart> &parts) {
  quant::Calibration merged = parts.front().ranges;
  CalibrationCounts total = parts.front().counts;
  for (size_t k = 1; k < parts.size(); ++k) {
    const CalibrationPart &part = parts[k];
    merged.samples += part.ranges.samples;
    for (size_t i = 0; i < merged.inputMax.size(); ++i)
      merged.inputMax[i] = std::max(merged.inputMax[i], part.ranges.inputMax[i]);
    for (auto &[key, r] : merged.nodes) {
      const quant::NodeRange &p = part.ranges.nodes.at(key);
      r.outputMax = std::max(r.outputMax, p.outputMax);
      r.membraneMax = std::max(r.membraneMax, p.membraneMax);
      r.currentMax = std::max(r.currentMax, p.currentMax);
      std::pair<double, double> &c = total.nodes[key];
      c.first += part.counts.nodes.at(key).first;
      c.second += part.counts.nodes.at(key).second;
    }
    total.inputNonzero += part.counts.inputNonzero;
    total.inputTotal += part.counts.inputTotal;
  }
  // Rates as calibrate() forms them, from the summed counts.
  for (auto &[key, r] : merged.nodes) {
    const std::pair<double, double> &c = total.nodes[key];
    r.rate = c.second > 0 ? c.first / c.second : -1;
  }
  merged.inputRate =
      total.inputTotal > 0 ? total.inputNonzero / total.inputTotal : -1;
  return merged;
}

namespace {

class RanksExchange : public emu::SpikeExchange {
public:
  explicit RanksExchange(Communicator &ranks) : ranks(ranks) {}
  int rank() const override { return ranks.rank(); }
  int size() const override { return ranks.size(); }
  std::vector<std::string>
  exchange(std::vector<std::string> parts,
           const std::vector<size_t> &receiveSizes) override {
    return ranks.exchange(std::move(parts), receiveSizes);
  }
  std::vector<std::string>
  transfer(std::vector<std::string> parts,
           const std::vector<size_t> &receiveSizes) override {
    return ranks.transfer(std::move(parts), receiveSizes);
  }

private:
  Communicator &ranks;
};

} // namespace

std::shared_ptr<emu::SpikeExchange> spikeExchange(Communicator &ranks) {
  return std::make_shared<RanksExchange>(ranks);
}

} // namespace snn::run

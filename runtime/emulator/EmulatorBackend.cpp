//===- EmulatorBackend.cpp - the emulator behind snn_runtime.h ------------===//

#include "emulator/EmulatorBackend.h"

#include <string>

namespace snn::runtime {

namespace {

snn_counters toC(const emu::Counters &c) {
  snn_counters out{};
  out.steps = c.steps;
  out.cycles = c.cycles;
  out.noc_cycles = c.nocCycles;
  out.energy_pj = c.energyPJ;
  out.synaptic_events = c.synapticEvents;
  out.neuron_updates = c.neuronUpdates;
  out.spikes = c.spikes;
  out.packets = c.packets;
  out.hop_traversals = c.hopTraversals;
  return out;
}

class EmulatorBackend final : public Backend {
public:
  explicit EmulatorBackend(std::shared_ptr<const image::ChipImage> image)
      : emulator(std::move(image)) {
    for (size_t k = 0; k < emulator.numInputs(); ++k)
      inputNames.push_back(emulator.inputName(k));
    for (size_t k = 0; k < emulator.numOutputs(); ++k)
      outputNames.push_back(emulator.outputName(k));
  }

  const char *name() const override { return "emu"; }
  double clockMHz() const override { return emulator.clockMHz(); }
  int numInputs() const override { return int(emulator.numInputs()); }
  int numOutputs() const override { return int(emulator.numOutputs()); }
  int64_t inputSize(int k) const override { return emulator.inputSize(k); }
  int64_t outputSize(int k) const override { return emulator.outputSize(k); }
  const std::string &inputName(int k) const override { return inputNames[k]; }
  const std::string &outputName(int k) const override {
    return outputNames[k];
  }
  void reset() override { emulator.reset(); }
  void step(const std::vector<const double *> &inputs) override {
    for (size_t k = 0; k < inputs.size(); ++k)
      emulator.setInput(k, inputs[k]);
    emulator.step();
  }
  void readOutput(int k, double *values) const override {
    emulator.outputReal(size_t(k), values);
  }
  int64_t read(const std::string &node, const std::string &what,
               double *values, int64_t size) const override {
    int stage = emulator.findStage(node);
    if (stage < 0)
      return -1;
    const std::vector<int64_t> *raw =
        what == "out" ? &emulator.stageOutput(stage)
        : what == "v" ? emulator.membrane(stage)
        : what == "i" ? emulator.current(stage)
                      : nullptr;
    if (!raw || int64_t(raw->size()) > size)
      return -1;
    for (size_t j = 0; j < raw->size(); ++j) {
      int64_t e = int64_t(j);
      double unit = what == "out" ? emulator.stageUnit(stage, e)
                    : what == "v" ? emulator.membraneUnit(stage, e)
                                  : emulator.currentUnit(stage, e);
      values[j] = double((*raw)[j]) * unit;
    }
    return int64_t(raw->size());
  }
  snn_counters lastCounters() const override {
    return toC(emulator.lastStep());
  }
  snn_counters totalCounters() const override {
    return toC(emulator.totals());
  }
  int numCores() const override { return int(emulator.numCores()); }
  snn_core_counters coreCounters(int core, bool total) const override {
    const emu::CoreCounters &c =
        (total ? emulator.totalCores() : emulator.lastStepCores())[core];
    snn_core_counters out{};
    out.id = emulator.coreId(core);
    out.cycles = c.cycles;
    out.synaptic_events = c.synapticEvents;
    out.neuron_updates = c.neuronUpdates;
    out.spikes = c.spikes;
    return out;
  }

  emu::Emulator emulator;

private:
  std::vector<std::string> inputNames, outputNames;
};

} // namespace

std::unique_ptr<Backend>
makeEmulatorBackend(std::shared_ptr<const image::ChipImage> image,
                    std::string &error) {
  if (!image) {
    error = "no image";
    return nullptr;
  }
  return std::make_unique<EmulatorBackend>(std::move(image));
}

const emu::Emulator *emulatorOf(const snn_device *device) {
  const Backend *b = backendOf(device);
  if (!b || std::string(b->name()) != "emu")
    return nullptr;
  return &static_cast<const EmulatorBackend *>(b)->emulator;
}

} // namespace snn::runtime

//===- EmuEngine.h - a chip image on the emulator as an engine --*- C++ -*-===//
//
// Maps a quantized network onto a target (snn-map), writes its chip image,
// opens it through the runtime API on the "emu" backend and runs it one
// sample at a time, so that snn-run compares it node by node with the other
// integer engines and reports what the chip would spend: cycles, time,
// energy, per-core utilization, NoC traffic. Optional traces: a VCD of
// spikes (GTKWave) and a Chrome trace-event JSON of per-core activity
// (Perfetto, chrome://tracing).
//
//===----------------------------------------------------------------------===//

#ifndef SNN_RUN_EMUENGINE_H
#define SNN_RUN_EMUENGINE_H

#include "Map/Place.h"
#include "SNN/IR/SNNOps.h"
#include "Sim/Engine.h"
#include "Target/Target.h"
#include "emulator/ChipSystem.h"
#include "emulator/Emulator.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>

namespace snn::emu {
class Emulator;
} // namespace snn::emu

namespace snn::run {

struct EmuOptions {
  map::MapOptions map;
  std::string imagePath;  // also write the image here
  std::string vcdPath;    // spikes of every population, per step
  std::string tracePath;  // per-core activity per step
  int64_t traceSamples = 1; // samples the traces cover (they grow fast)
  bool progress = false;  // a progress line on stderr
  int64_t expectedSamples = 0;
  /// Keep every step's real-valued figures, for another engine to absorb
  /// this run's (a rank of a data-parallel run).
  bool logSteps = false;
};

class EmuEngine : public sim::Engine {
public:
  ~EmuEngine() override;
  /// An error (after diagnostics on the ops) when the network does not map
  /// onto the target.
  static llvm::Expected<std::unique_ptr<EmuEngine>>
  create(NetworkOp network, const target::Target &target,
         const EmuOptions &options);

  /// Runs an existing chip image (an image file's bytes, or one written
  /// from an snnhw.chip): nothing is quantized or mapped again. An error
  /// when the image does not load.
  static llvm::Expected<std::unique_ptr<EmuEngine>>
  fromImage(std::vector<uint8_t> bytes, const EmuOptions &options);

  void reset(int64_t samples) override;
  void step(const std::vector<sim::Matrix> &inputs) override;
  int64_t maxBatch() const override { return 1; }
  bool exact() const override { return true; }
  size_t numInputs() const override;
  size_t numOutputs() const override;
  int64_t inputSize(size_t k) const override;
  int64_t outputSize(size_t k) const override;
  bool outputIsSpikes(size_t k) const override;
  const sim::Matrix &output(size_t k) const override;
  std::optional<size_t> findNode(const std::string &name) const override;
  std::vector<std::string> nodeNames() const override;
  const sim::Matrix &nodeOutput(size_t node) const override;
  const sim::Matrix *nodeMembrane(size_t node) const override;
  const sim::Matrix *nodeCurrent(size_t node) const override;
  const std::vector<sim::NodeStats> &stats() const override;
  void resetStats() override;

  /// What the chip spent over the run, for people and as JSON.
  void printSummary(llvm::raw_ostream &os) const;
  /// Which loop ran each stage (Emulator::stagePath), for --emu-loops.
  void printLoops(llvm::raw_ostream &os) const;
  llvm::json::Object summaryJson() const;
  const map::MapReport &mapReport() const;
  /// The emulator itself, for counters per step (snn-run --report).
  const emu::Emulator &emulator() const;
  /// Runs the chips of this rank of a system spread over ranks
  /// (emu::Emulator::distribute).
  void distribute(std::shared_ptr<emu::SpikeExchange> exchange,
                  bool hostReadsAll);
  /// Writes the traces asked for; call after the run.
  llvm::Error finish();

  /// What a run added up, for putting together runs over blocks of the
  /// samples: counts, and each step's real-valued figures (with logSteps).
  struct Partial {
    int64_t samples = 0;
    emu::Emulator::RunTotals totals;
    std::vector<double> stepReals;
  };
  Partial partial() const;
  /// Adds a run of the same chip on the samples after this run's, so that
  /// the summary is the one of a single run over both (bit for bit).
  void absorb(const Partial &later);

  struct Impl;

private:
  static llvm::Expected<std::unique_ptr<EmuEngine>>
  fromImage(std::vector<uint8_t> bytes, std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl;
};

} // namespace snn::run

#endif // SNN_RUN_EMUENGINE_H

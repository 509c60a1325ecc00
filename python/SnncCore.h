//===- SnncCore.h - what the snnc Python module calls -----------*- C++ -*-===//
//
// The compiler, the engines and the emulator behind plain C++ types, so that
// the pybind11 module (built with exceptions and RTTI, which Debian's LLVM
// is not) includes no LLVM or MLIR header. Every call runs the library
// functions snn-run, snn-opt and snn-translate run (run::loadModel,
// run::runEngine, run::compareEngines, quant::quantizeFromOptions,
// map::mapNetwork, codegen::emitC, image::writeImage) and returns failure as
// the message those tools print: diagnostics and warnings written to stderr
// during a call are collected and become the message. The binding turns a
// failure into snnc.Error; this layer cannot throw (it is built like LLVM,
// without exceptions), hence the `std::string &error` of each call.
//
//===----------------------------------------------------------------------===//

#ifndef SNNC_PYTHON_SNNCCORE_H
#define SNNC_PYTHON_SNNCCORE_H

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace snnc {

/// NIR import choices (snn-translate's --nir-* flags).
struct LoadOptions {
  std::string preset;  // empty: nir-spec, with a warning
  std::string network; // the network to pick in a module of several
  std::optional<double> dt;
  std::string reset, resetTiming, integration, spike; // empty: the preset's
};

/// Quantization choices (snn-quantize's options); unset: the defaults.
struct QuantizeRequest {
  std::optional<int64_t> weightBits, stateBits, currentBits, accBits, inputBits,
      maxWeightExp;
  std::optional<bool> perChannel, powerOfTwo;
  std::string target, calibration; // files
};

/// A numpy array's data, viewed (never owned) in C order.
struct InputView {
  const double *f64 = nullptr; // one of the two is set
  const uint8_t *u8 = nullptr;
  std::vector<int64_t> shape;
};

struct RunRequest {
  std::string engine = "float"; // float, fixed, c, emu
  QuantizeRequest quantize;     // for a float model on an integer engine
  double mapSpikeActivity = 0.1;
  int64_t batch = 256;
  std::string readout = "count"; // count, max, final
  std::string propagation = "auto", precision = "float64";
  std::vector<std::string> record;
  std::vector<int64_t> reportSamples; // empty: sample 0
  std::optional<std::vector<int64_t>> labels;
};

/// One recorded trace: [samples, steps, neurons] of a node's spikes or
/// values ("out"), membrane ("v") or current ("i").
struct Recorded {
  std::string node, kind;
  int64_t neurons = 0;
  bool spikes = false;
  std::vector<double> data;
};

/// What a run's report draws (report::ReportData), kept for writeReport.
struct ReportHandle {
  ReportHandle();
  ~ReportHandle();
  struct Data;
  std::unique_ptr<Data> data;
};

struct RunOutput {
  int64_t samples = 0, steps = 0;
  std::vector<int64_t> outputShape;
  bool outputSpikes = false;
  std::vector<double> outputs; // [samples][steps][output neurons]
  std::vector<double> counts;  // [samples][output neurons], summed over steps
  std::vector<int64_t> predictions;
  std::string summaryJson; // snn-run --json, with "quantization", "emulator"
  std::vector<Recorded> records;
  std::shared_ptr<ReportHandle> report;
};

/// Writes the report of a run (snn-run --report) to `path`.
bool writeReport(const ReportHandle &report, const std::string &path,
                 std::string &error);

class Chip;

/// A network (float or integer) in its own MLIR module.
class Network {
public:
  ~Network();
  static std::unique_ptr<Network>
  load(const std::string &path, const LoadOptions &options, std::string &error);
  std::string text() const; // the IR
  std::string name() const;
  bool quantized() const;
  std::vector<int64_t> inputShape() const;
  std::vector<int64_t> outputShape() const;
  bool inputIsSpikes() const;
  std::vector<std::string> nodeNames() const;
  /// The quantization report (JSON) of a network made by quantize().
  const std::string &quantReportJson() const;

  std::unique_ptr<Network> quantize(const QuantizeRequest &request,
                                    std::string &error) const;
  std::unique_ptr<RunOutput> run(const InputView &input,
                                 const RunRequest &request,
                                 std::string &error) const;
  /// `dir`/<name>.c and `dir`/<name>.h; their paths in `written`.
  bool emitC(const std::string &dir, std::vector<std::string> &written,
             std::string &error) const;
  std::unique_ptr<Chip> map(const std::string &target, double activity,
                            std::string &error) const;
  bool save(const std::string &path, std::string &error) const;

  Network();
  struct Impl;
  std::unique_ptr<Impl> impl;
};

/// Two networks (or one on two engines) on the same input, step by step:
/// snn-run --compare's report as JSON, and the run's report.
struct CompareOutput {
  std::string json;
  std::shared_ptr<ReportHandle> report;
};
std::unique_ptr<CompareOutput>
compare(const Network &a, const std::string &engineA, const Network &b,
        const std::string &engineB, const InputView &input,
        const RunRequest &request, std::string &error);

/// A network mapped onto a target (snn-map's snnhw.chip).
class Chip {
public:
  Chip();
  ~Chip();
  std::string text() const;
  std::string mapReport() const;
  bool emitImage(const std::string &path, std::string &error) const;

  struct Impl;
  std::unique_ptr<Impl> impl;
};

} // namespace snnc

#endif // SNNC_PYTHON_SNNCCORE_H

//===- snn-run.cpp - run a network on recorded or generated input ---------===//
//
// Parses flags into run::RunModelOptions and calls run::runModel; the work
// is in lib/Run. The defaults are those of the options structs.
//
//===----------------------------------------------------------------------===//

#include "Codegen/CTranslate.h"
#include "NIR/NirTranslate.h"
#include "Run/Mpi.h"
#include "Run/RunModel.h"
#include "Terminate.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/StringSaver.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

using namespace llvm;
using namespace snn;

#ifndef SNNC_VERSION
#define SNNC_VERSION "unknown"
#endif

namespace {

run::RunModelOptions opts;
quant::QuantizeOptions &q = opts.quantize;

BumpPtrAllocator allocator;
StringSaver saver(allocator);

/// `text` followed by the default, kept alive for the option's lifetime.
template <typename T> cl::desc withDefault(StringRef text, const T &value) {
  std::string s;
  raw_string_ostream os(s);
  os << text << " (default ";
  if constexpr (std::is_floating_point_v<T>)
    os << format("%g", value);
  else
    os << value;
  os << ")";
  return cl::desc(saver.save(s));
}

cl::OptionCategory runCategory("snn-run options");
cl::OptionCategory quantCategory("Quantization on the way (as snn-quantize)");
cl::OptionCategory emuCategory("The emulator (--engine emu)");

template <typename T> using ExtOpt = cl::opt<T, /*ExternalStorage=*/true>;

/// An enum flag shown on one line, `--engine=<float|fixed|c|emu>`, so that
/// --help fits a screen; a value it does not know is named with the choices.
template <typename T> class OneLineEnum : public cl::parser<T> {
public:
  using cl::parser<T>::parser;

  std::string choices(StringRef separator) const {
    std::string out;
    for (const auto &v : this->Values)
      out += (out.empty() ? "" : separator.str()) + v.Name.str();
    return out;
  }
  size_t getOptionWidth(const cl::Option &o) const override {
    return o.ArgStr.size() + choices("|").size() + 8;
  }
  void printOptionInfo(const cl::Option &o, size_t width) const override {
    std::string head = "  --" + o.ArgStr.str() + "=<" + choices("|") + ">";
    outs() << head;
    outs().indent(width > head.size() + 3 ? width - head.size() - 3 : 0)
        << " - " << o.HelpStr << "\n";
  }
  bool parse(cl::Option &o, StringRef name, StringRef arg, T &value) {
    for (const auto &v : this->Values)
      if (v.Name == arg) {
        value = v.V.getValue();
        return false;
      }
    return o.error("'" + arg + "' is not one of " + choices(", "));
  }
};
template <typename T>
using EnumOpt = cl::opt<T, /*ExternalStorage=*/true, OneLineEnum<T>>;

cl::opt<std::string, true> modelPath(cl::Positional, cl::Required,
                                     cl::desc("<model.mlir|model.nir|model.net|chip.img>"),
                                     cl::location(opts.modelPath),
                                     cl::cat(runCategory));
cl::opt<std::string, true>
    inputPath("input", cl::location(opts.inputPath), cl::cat(runCategory),
              cl::desc("Input spikes or values: .npy of [steps, ...] or "
                       "[samples, steps, ...], or .csv with one row per step"));
ExtOpt<int64_t> holdSteps(
    "steps", cl::location(opts.holdSteps), cl::cat(runCategory),
    cl::desc("Hold an --input of one array per sample, [samples, ...], over "
             "N steps (netx input layers, as run_netx.py --steps)"));
cl::list<int64_t, std::vector<int64_t>>
    inputColumns("input-columns", cl::CommaSeparated, cl::cat(runCategory),
                 cl::location(opts.inputColumns),
                 cl::desc("CSV columns to use as input neurons"));
cl::opt<std::string, true>
    poisson("poisson", cl::location(opts.poisson), cl::cat(runCategory),
            cl::desc("Synthetic Poisson input instead of --input: "
                     "RATE,STEPS,SAMPLES[,SEED]"));
cl::opt<std::string, true> labelsPath("labels", cl::location(opts.labelsPath),
                                      cl::cat(runCategory),
                                      cl::desc("Class labels .npy, one per "
                                               "sample"));
EnumOpt<run::EngineKind> engine("engine", cl::location(opts.engine),
                                      cl::cat(runCategory), cl::desc("Engine: the float reference (default), the "
                                   "fixed-point reference, the generated C, "
                                   "the emulator (needs --target), Lava itself "
                                   "(needs SNNC_LAVA_PATH)"),
                                      run::engineValues());
cl::list<run::EngineKind, std::vector<run::EngineKind>,
         OneLineEnum<run::EngineKind>>
    compare("compare", cl::CommaSeparated, cl::location(opts.compare),
            cl::cat(runCategory), run::engineValues(),
            cl::desc("Run two engines in lockstep and report where they "
                     "differ: A,B (e.g. float,fixed or fixed,emu)"));
cl::opt<std::string, true>
    calibrateOut("calibrate", cl::location(opts.calibrateOut),
                 cl::cat(runCategory),
                 cl::desc("Write the value ranges of a float run on the input "
                          "(for --calibration and snn-quantize)"));

ExtOpt<int64_t> weightBits("weight-bits", cl::location(q.weightBits),
                           cl::cat(quantCategory),
                           withDefault("Bits of a weight", q.weightBits));
ExtOpt<int64_t> maxWeightExp("weight-exp-max", cl::location(q.maxWeightExp),
                             cl::cat(quantCategory),
                             withDefault("Largest weight exponent (0: none)",
                                         q.maxWeightExp));
ExtOpt<int64_t> stateBits("state-bits", cl::location(q.stateBits),
                          cl::cat(quantCategory),
                          withDefault("Bits of the membrane", q.stateBits));
ExtOpt<int64_t> currentBits("current-bits", cl::location(q.currentBits),
                            cl::cat(quantCategory),
                            withDefault("Bits of the current (0: as the "
                                        "membrane)",
                                        q.currentBits));
ExtOpt<int64_t> accBits("acc-bits", cl::location(q.accBits),
                        cl::cat(quantCategory),
                        withDefault("Bits of a projection's output",
                                    q.accBits));
ExtOpt<int64_t> inputBits("input-bits", cl::location(q.inputBits),
                          cl::cat(quantCategory),
                          withDefault("Bits of real-valued inputs",
                                      q.inputBits));
ExtOpt<bool> perChannel("per-channel", cl::location(q.perChannel),
                        cl::cat(quantCategory),
                        cl::desc("One unit per output row or channel"));
ExtOpt<bool> powerOfTwo("power-of-two", cl::location(q.powerOfTwo),
                        cl::cat(quantCategory),
                        cl::desc("Units rounded up to powers of two"));
EnumOpt<DecayArith> decay("decay", cl::location(q.decay),
                         cl::cat(quantCategory),
                         cl::desc("Decay arithmetic: multiply by an n-bit constant "
                                  "then shift (default), or s - (s >> k)"),
                         quant::decayValues());
ExtOpt<int64_t> decayShift("decay-shift", cl::location(q.decayShift),
                           cl::cat(quantCategory),
                           withDefault("Shift of decay(multiply), the IR's "
                                       "decay_shift",
                                       q.decayShift));
EnumOpt<Rounding> rounding("rounding", cl::location(q.rounding),
                          cl::cat(quantCategory),
                          cl::desc("Right shifts (default nearest_even)"),
                          quant::roundingValues());
EnumOpt<Overflow> overflow("overflow", cl::location(q.overflow),
                          cl::cat(quantCategory),
                          cl::desc("Results wider than their bits (default "
                                   "saturate)"),
                          quant::overflowValues());
EnumOpt<quant::ScaleMethod> scaleMethod("scale-method",
                                       cl::location(q.scaleMethod),
                                       cl::cat(quantCategory),
                                       cl::desc("Weight units: least squared error "
                                                "(default) or largest |w|"),
                                       quant::scaleMethodValues());
ExtOpt<std::string>
    targetPath("target", cl::location(opts.targetPath), cl::cat(quantCategory),
               cl::desc("Quantize (and map) as this target requires "
                        "(targets/*.json)"));
ExtOpt<std::string> calibrationIn("calibration",
                                  cl::location(opts.calibrationPath),
                                  cl::cat(quantCategory),
                                  cl::desc("Ranges from --calibrate"));
ExtOpt<std::string>
    quantizeReport("quantize-report", cl::location(opts.quantizeReport),
                   cl::cat(quantCategory),
                   cl::desc("Write the quantization report (and the "
                            "comparison) as JSON"));
cl::alias quantReportAlias("quant-report", cl::aliasopt(quantizeReport),
                           cl::Hidden, cl::desc("Old spelling of "
                                                "--quantize-report"));

ExtOpt<std::string> imageOut("image", cl::location(opts.imageOut),
                             cl::cat(emuCategory),
                             cl::desc("Also write the chip image to FILE"));
ExtOpt<std::string> vcdOut("vcd", cl::location(opts.vcdOut),
                           cl::cat(emuCategory),
                           cl::desc("Spikes of every population as a VCD "
                                    "(GTKWave)"));
ExtOpt<std::string> traceOut("trace", cl::location(opts.traceOut),
                             cl::cat(emuCategory),
                             cl::desc("Per-core activity per step as Chrome "
                                      "trace-event JSON (Perfetto)"));
ExtOpt<int64_t> traceSamples("trace-samples", cl::location(opts.traceSamples),
                             cl::cat(emuCategory),
                             withDefault("Samples the VCD and trace cover",
                                         opts.traceSamples));
ExtOpt<bool> progress("progress", cl::location(opts.progress),
                      cl::cat(runCategory),
                      cl::desc("Show progress on stderr (on by default when "
                               "stderr is a terminal)"));
ExtOpt<double> mapSpikeActivity(
    "map-spike-activity", cl::location(opts.mapSpikeActivity),
    cl::cat(emuCategory),
    withDefault("Spikes per neuron and step placement assumes where "
                "--calibration gives none",
                opts.mapSpikeActivity));
cl::alias mapActivityAlias("map-activity", cl::aliasopt(mapSpikeActivity),
                           cl::Hidden,
                           cl::desc("Old spelling of --map-spike-activity"));
ExtOpt<std::string> emuJson("emu-json", cl::location(opts.emuJson),
                            cl::cat(emuCategory),
                            cl::desc("Write the emulator's summary as JSON"));
ExtOpt<bool> emuLoops(
    "emu-loops", cl::location(opts.emuLoops), cl::cat(emuCategory),
    cl::desc("Print which of the emulator's loops ran each stage (a fast "
             "path chosen from what the image proves, or the general code; "
             "docs/performance.md)"));

ExtOpt<std::string> emuExchange(
    "emu-exchange", cl::location(opts.emuExchange), cl::cat(emuCategory),
    cl::desc("Under mpirun, a system of chips spread over the ranks: write "
             "where each chip ran and the time each rank spent exchanging "
             "spikes, as JSON (docs/scale-out.md)"));

ExtOpt<std::string> networkName("network", cl::location(opts.networkName),
                                cl::cat(runCategory), cl::Hidden,
                                cl::desc("Network to run when there are "
                                         "several"));
cl::list<std::string, std::vector<std::string>>
    record("record", cl::CommaSeparated, cl::location(opts.record),
           cl::cat(runCategory), cl::desc("Nodes whose traces to write"));
ExtOpt<std::string> reportPath(
    "report", cl::location(opts.report.path), cl::cat(runCategory),
    cl::desc("Write an HTML page of the run: rasters, rates, --record "
             "membranes, --compare agreement, the emulator's mesh "
             "(--report-samples=0,3 picks the samples drawn)"));
cl::list<int64_t, std::vector<int64_t>> reportSamples(
    "report-samples", cl::CommaSeparated, cl::location(opts.report.samples),
    cl::cat(runCategory), cl::Hidden,
    cl::desc("Samples the report draws rasters and traces of (default 0)"));
ExtOpt<std::string> recordDir("record-dir", cl::location(opts.recordDir),
                              cl::cat(runCategory),
                              withDefault("Folder for --record traces",
                                          opts.recordDir));
ExtOpt<std::string>
    outputPath("output", cl::location(opts.outputPath), cl::cat(runCategory),
               cl::desc("Write output 0 as [samples, steps, ...] (with "
                        "--compare: of the first engine, or of --engine)"));
ExtOpt<int64_t> maxSamples("samples", cl::location(opts.maxSamples),
                           cl::cat(runCategory),
                           cl::desc("Run only the first N samples of the "
                                    "input"));
ExtOpt<std::string>
    writeInput("write-input", cl::location(opts.writeInput),
               cl::cat(runCategory),
               cl::desc("Write the input as run, [samples, steps, ...] (uint8 "
                        "for spikes): e.g. the --poisson draw"));
ExtOpt<std::string> countsPath("counts", cl::location(opts.countsPath),
                               cl::cat(runCategory),
                               cl::desc("Write output spike counts per sample, "
                                        "[samples, neurons]"));
ExtOpt<std::string> jsonPath("json", cl::location(opts.jsonPath),
                             cl::cat(runCategory),
                             cl::desc("Write the summary as JSON"));
EnumOpt<run::Readout> readout("readout", cl::location(opts.readout),
                             cl::cat(runCategory),
                             cl::desc("Class readout: most spikes (default), "
                                      "largest or final value"),
                             run::readoutValues());
ExtOpt<int64_t> batch("batch", cl::location(opts.batch), cl::cat(runCategory),
                      withDefault("Samples simulated together", opts.batch));
EnumOpt<sim::Propagation> propagation("propagation",
                                     cl::location(opts.propagation),
                                     cl::cat(runCategory),
                                     cl::desc("Projections: event-driven where "
                                              "inputs are sparse (auto, "
                                              "default), or always one way"),
                                     run::propagationValues());
EnumOpt<sim::Precision> precision("precision", cl::location(opts.precision),
                                 cl::cat(runCategory),
                                 cl::desc("Float engine arithmetic (default "
                                          "float64)"),
                                 run::precisionValues());

/// Options a first run does not need: --help leaves them to --help-hidden
/// so that it fits a screen (fine quantization formats, the NIR import's
/// overrides of a preset, kernel choices of the generated C, the float
/// engine's tuning, tracing details).
bool isExpertOption(StringRef name) {
  static const llvm::StringSet<> expert = {
      "current-bits",    "input-bits",    "overflow",
      "per-channel",     "power-of-two",  "rounding",
      "scale-method",    "weight-exp-max", "input-columns",
      "batch",           "propagation",   "precision",
      "record-dir",      "write-input",   "progress",
      "trace-samples",   "emu-json",      "emu-exchange",    "emu-loops",
      "nir-dt",          "nir-integration", "nir-name",
      "nir-reset",       "nir-reset-timing", "nir-spike",
      "c-calibration",   "c-spike-activity", "c-prefix"};
  return expert.contains(name);
}

/// --help lists SNNC's options only: snn-run's categories, and the NIR
/// import and C generation flags their libraries register; expert ones
/// show with --help-hidden.
void hideUnrelatedOptions() {
  cl::HideUnrelatedOptions({&runCategory, &quantCategory, &emuCategory});
  for (auto &entry : cl::getRegisteredOptions()) {
    StringRef name = entry.getKey();
    if (name.starts_with("nir-") || name.starts_with("c-"))
      entry.getValue()->setHiddenFlag(cl::NotHidden);
    if (isExpertOption(name))
      entry.getValue()->setHiddenFlag(cl::Hidden);
  }
}

void printVersion(raw_ostream &os) {
  os << "snn-run (SNNC) " << SNNC_VERSION << "\n"
     << "  built with MLIR/LLVM " << LLVM_VERSION_STRING << "\n"
     << "  data-parallel over " << run::mpiDescription() << "\n";
}

/// Reports what would otherwise abort (an LLVM fatal error, an allocation
/// that fails) as an error with exit status 1.
[[noreturn]] void fatalError(void *, const char *reason, bool) {
  errs() << "snn-run: error: " << reason << "\n";
  std::_Exit(1);
}

/// Records which flags were given, for warnings about those that do nothing.
void noteGivenFlags() {
  opts.engineGiven = engine.getNumOccurrences() > 0;
  opts.samplesGiven = maxSamples.getNumOccurrences() > 0;
  for (cl::Option *o : {(cl::Option *)&weightBits, (cl::Option *)&maxWeightExp,
                        (cl::Option *)&stateBits, (cl::Option *)&currentBits,
                        (cl::Option *)&accBits, (cl::Option *)&inputBits,
                        (cl::Option *)&perChannel, (cl::Option *)&powerOfTwo,
                        (cl::Option *)&decay, (cl::Option *)&decayShift,
                        (cl::Option *)&rounding, (cl::Option *)&overflow,
                        (cl::Option *)&scaleMethod, (cl::Option *)&targetPath,
                        (cl::Option *)&calibrationIn})
    if (o->getNumOccurrences())
      opts.quantizeFlagsGiven.push_back(o->ArgStr.str());
  for (cl::Option *o : {(cl::Option *)&emuJson, (cl::Option *)&emuLoops})
    if (o->getNumOccurrences())
      opts.emuFlagsGiven.push_back(o->ArgStr.str());
  for (auto &entry : cl::getRegisteredOptions())
    if (entry.getKey().starts_with("nir-") &&
        entry.getValue()->getNumOccurrences())
      opts.nirFlagsGiven = true;
}

int runMain(int argc, char **argv) {
  registerNirOptions();
  hideUnrelatedOptions();
  cl::SetVersionPrinter(printVersion);
  cl::ParseCommandLineOptions(argc, argv,
                              "snn-run: execute a spiking network and "
                              "summarize what it did\n");
  noteGivenFlags();
  std::optional<nir::ImportOptions> importOptions = nirOptionsFromCommandLine();
  if (!importOptions)
    return 1;
  opts.import = *importOptions;
  Expected<codegen::CodegenOptions> codegenOptions =
      codegen::codegenOptionsFromCommandLine();
  if (!codegenOptions) {
    errs() << "snn-run: error: " << toString(codegenOptions.takeError())
           << "\n";
    return 1;
  }
  opts.codegen = *codegenOptions;
  return failed(run::runModel(opts, outs())) ? 1 : 0;
}

} // namespace

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  install_fatal_error_handler(fatalError);
  install_bad_alloc_error_handler(fatalError);
  installTerminateHandler();
  // Under mpirun every rank runs a block of the samples (docs/scale-out.md).
  std::unique_ptr<run::Communicator> world = run::openWorld(argc, argv);
  opts.ranks = world.get();
  int status = runMain(argc, argv);
  closeWorld(std::move(world), status);
  return status;
}

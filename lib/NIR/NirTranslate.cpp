//===- NirTranslate.cpp - NIR translations and their options --------------===//

#include "NIR/NirTranslate.h"
#include "NIR/NirExport.h"
#include "NIR/NirImport.h"
#include "SNN/IR/SNNOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;

namespace snn {

namespace {

struct NirOptions {
  llvm::cl::OptionCategory category{"NIR import options"};
  llvm::cl::opt<std::string> preset{
      "nir-preset",
      llvm::cl::desc("What the file's exporter means: nir-spec (default), "
                     "snntorch, norse, sinabs, rockpool, lava, spyx"),
      llvm::cl::init("nir-spec"), llvm::cl::cat(category)};
  llvm::cl::opt<double> dt{"nir-dt",
                           llvm::cl::desc("Step in seconds (overrides the preset)"),
                           llvm::cl::init(0.0), llvm::cl::cat(category)};
  llvm::cl::opt<std::string> reset{
      "nir-reset", llvm::cl::desc("Reset mode: subtract | to_value"),
      llvm::cl::cat(category)};
  llvm::cl::opt<std::string> timing{
      "nir-reset-timing", llvm::cl::desc("Reset timing: same_step | next_step"),
      llvm::cl::cat(category)};
  llvm::cl::opt<std::string> integration{
      "nir-integration", llvm::cl::desc("Integration: euler | exponential"),
      llvm::cl::cat(category)};
  llvm::cl::opt<std::string> spike{
      "nir-spike", llvm::cl::desc("Spike condition: gt | ge"),
      llvm::cl::cat(category)};
  llvm::cl::opt<std::string> name{
      "nir-name",
      llvm::cl::desc("Name of the imported network (default: file name)"),
      llvm::cl::cat(category)};
};

NirOptions &options() {
  static NirOptions opts;
  return opts;
}

/// Reports an enum option that names no case.
template <typename Enum>
bool parseEnum(const std::string &text, const char *flag,
               std::optional<Enum> (*symbolize)(llvm::StringRef),
               std::optional<Enum> &out) {
  if (text.empty())
    return true;
  out = symbolize(text);
  if (!out)
    llvm::errs() << "error: --" << flag << "=" << text
                 << " is not one of its values (see --help)\n";
  return out.has_value();
}

} // namespace

void registerNirOptions() { (void)options(); }

llvm::cl::OptionCategory &nirOptionCategory() { return options().category; }

bool nirOptionsGiven() {
  NirOptions &o = options();
  return o.preset.getNumOccurrences() || o.dt.getNumOccurrences() ||
         o.reset.getNumOccurrences() || o.timing.getNumOccurrences() ||
         o.integration.getNumOccurrences() || o.spike.getNumOccurrences();
}

std::optional<nir::ImportOptions> nirOptionsFromCommandLine() {
  NirOptions &o = options();
  nir::ImportOptions result;
  if (o.preset.getNumOccurrences())
    result.preset = o.preset;
  if (o.dt.getNumOccurrences())
    result.dt = o.dt;
  result.networkName = o.name;
  bool ok = parseEnum<ResetMode>(o.reset, "nir-reset", symbolizeResetMode,
                                 result.reset) &&
            parseEnum<ResetTiming>(o.timing, "nir-reset-timing",
                                   symbolizeResetTiming, result.timing) &&
            parseEnum<Integration>(o.integration, "nir-integration",
                                   symbolizeIntegration, result.integration) &&
            parseEnum<SpikeCondition>(o.spike, "nir-spike",
                                      symbolizeSpikeCondition, result.spike);
  if (!ok)
    return std::nullopt;
  return result;
}

void registerNirTranslations() {
  registerNirOptions();
  static TranslateToMLIRRegistration importNir(
      "import-nir", "import a NIR (HDF5) file as an snn.network",
      [](llvm::SourceMgr &sourceMgr, MLIRContext *context)
          -> OwningOpRef<Operation *> {
        const llvm::MemoryBuffer *buffer =
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
        std::string fileName = buffer->getBufferIdentifier().str();
        std::optional<nir::ImportOptions> options = nirOptionsFromCommandLine();
        if (!options)
          return nullptr;
        // NIR locations have no line to show: printed as `file: error: ...`.
        nir::DiagnosticPrinter printer(context, llvm::errs());
        OwningOpRef<ModuleOp> module =
            nir::importNir(buffer->getBuffer(), fileName, *options, context);
        return OwningOpRef<Operation *>(module.release());
      },
      [](DialectRegistry &registry) { registry.insert<SNNDialect>(); });

  static TranslateFromMLIRRegistration exportNir(
      "export-nir", "write an snn.network as a NIR (HDF5) file",
      [](Operation *op, llvm::raw_ostream &os) -> LogicalResult {
        SmallVector<NetworkOp> networks;
        op->walk([&](NetworkOp n) { networks.push_back(n); });
        std::string wanted = options().name;
        if (!wanted.empty())
          llvm::erase_if(networks, [&](NetworkOp n) {
            return n.getSymName() != wanted;
          });
        // Diagnostics name the place, without dumping the whole module.
        if (networks.size() != 1)
          return mlir::emitError(op->getLoc())
                 << "export-nir writes one network but the input has "
                 << networks.size()
                 << (wanted.empty() ? "" : " named " + wanted)
                 << "; choose one with --nir-name";
        FailureOr<nir::Document> doc = nir::exportNetwork(networks.front());
        if (failed(doc))
          return failure();
        llvm::Expected<std::string> bytes = nir::writeDocument(*doc);
        if (!bytes)
          return networks.front()->emitOpError("cannot be written as NIR: ")
                 << llvm::toString(bytes.takeError());
        os << *bytes;
        return success();
      },
      [](DialectRegistry &registry) { registry.insert<SNNDialect>(); });
}

} // namespace snn

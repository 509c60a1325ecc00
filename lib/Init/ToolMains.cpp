//===- ToolMains.cpp - what snn-opt and snn-translate do ------------------===//

#include "Init/ToolMains.h"
#include "Init/InitAll.h"
#include "NIR/InputKind.h"
#include "NIR/NirImport.h"
#include "NIR/NirTranslate.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/Support/FileUtilities.h"
#include "Support/IrNesting.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Support/ToolUtilities.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <limits>
#include <vector>

using namespace mlir;

namespace snn {

namespace {

/// `tool: error: FILE is KIND; ADVICE`, for inputs a tool does not read.
int refuse(llvm::StringRef tool, llvm::StringRef path, InputKind kind) {
  llvm::errs() << tool << ": error: '" << path << "' is "
               << describeInputKind(kind) << "; " << adviceFor(kind) << "\n";
  return 1;
}

/// A diagnostic names its op and line; dumping the whole op after it (MLIR's
/// default) would print every weight of a network. Asked for, it still does.
std::vector<char *> withQuietDiagnostics(int argc, char **argv) {
  std::vector<char *> args(argv, argv + argc);
  static char quiet[] = "--mlir-print-op-on-diagnostic=false";
  bool asked = false;
  for (char *arg : args)
    asked |= llvm::StringRef(arg).contains("mlir-print-op-on-diagnostic");
  if (!asked)
    args.insert(args.begin() + 1, quiet);
  return args;
}

/// The module of a .nir file as MLIR text with its locations, for
/// MlirOptMain to parse like any input.
std::unique_ptr<llvm::MemoryBuffer> importForOpt(const std::string &path,
                                                 DialectRegistry &registry) {
  std::optional<nir::ImportOptions> options = nirOptionsFromCommandLine();
  if (!options)
    return nullptr;
  MLIRContext context(registry);
  OwningOpRef<ModuleOp> module = nir::importNirFile(path, *options, &context);
  if (!module)
    return nullptr;
  std::string text;
  llvm::raw_string_ostream os(text);
  // Whatever the printing flags of the command line say, the text must
  // parse back whole: every weight, and locations in their plain form.
  module->print(os, OpPrintingFlags()
                        .enableDebugInfo(/*enable=*/true, /*prettyForm=*/false)
                        .elideLargeElementsAttrs(
                            std::numeric_limits<int64_t>::max()));
  return llvm::MemoryBuffer::getMemBufferCopy(text, path);
}

/// Where snn-opt writes: the -o file, or stdout. On a terminal a module of
/// more than kMaxTerminalModuleBytes (a network's weights) is not printed
/// after the passes' reports; a note says how to get it.
class OptOutput {
public:
  explicit OptOutput(const std::string &path) : path(path) {
    toTerminal = path == "-" && llvm::sys::Process::StandardOutIsDisplayed();
  }

  llvm::Expected<llvm::raw_ostream *> open() {
    if (toTerminal)
      return &buffer;
    std::string error;
    file = openOutputFile(path, &error); // MLIR's helper reports in a string
    if (!file)
      return llvm::createStringError(error);
    return &file->os();
  }

  void finish() {
    if (!toTerminal) {
      file->keep();
      return;
    }
    if (text.size() <= kMaxTerminalModuleBytes) {
      llvm::outs() << text;
      return;
    }
    llvm::outs().flush();
    llvm::errs() << "snn-opt: note: the resulting module (" << text.size()
                 << " bytes) is not printed to the terminal; pass -o FILE to "
                    "keep it, or pipe the output\n";
  }

private:
  std::string path;
  bool toTerminal = false;
  std::string text;
  llvm::raw_string_ostream buffer{text};
  std::unique_ptr<llvm::ToolOutputFile> file;
};

/// The input of snn-translate (its only positional argument), found before
/// runTranslation parses the command line, and whether a flag is there.
struct TranslateArgs {
  std::string input = "-";
  bool importNir = false, importImage = false, importNetx = false,
       importXylo = false;
};

/// Options may take their value as the next argument (`--nir-preset x`), so
/// the input is the first argument that is not an option and names a file;
/// when none does, runTranslation reports the missing file itself.
TranslateArgs scanTranslateArgs(int argc, char **argv) {
  TranslateArgs result;
  bool found = false;
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef arg(argv[i]);
    if (arg == "-o" || arg == "--o") {
      ++i; // its value is the output
      continue;
    }
    if (arg == "--import-nir" || arg == "-import-nir")
      result.importNir = true;
    else if (arg == "--import-image" || arg == "-import-image")
      result.importImage = true;
    else if (arg == "--import-netx" || arg == "-import-netx")
      result.importNetx = true;
    else if (arg == "--import-xylo-spec" || arg == "-import-xylo-spec")
      result.importXylo = true;
    else if (!found && !arg.starts_with("-") &&
             detectInputKind(arg) != InputKind::Missing) {
      result.input = arg.str();
      found = true;
    }
  }
  return result;
}

/// Runs the translation asked for on the command line, as mlirTranslateMain
/// does (one translation, --split-input-file, --verify-diagnostics), but
/// leaving the context's printing of ops on diagnostics to the command line:
/// mlirTranslateMain turns it on in every context it makes, whatever
/// --mlir-print-op-on-diagnostic says, so a translation error would be
/// followed by the whole network in generic form.
/// `mlirInput`: the input is IR text (not the bytes an importer reads), whose
/// nesting is bounded before MLIR's recursive parser sees it.
LogicalResult runTranslation(int argc, char **argv, bool mlirInput) {
  static llvm::cl::opt<std::string> inputFilename(
      llvm::cl::Positional, llvm::cl::desc("<input file>"),
      llvm::cl::init("-"));
  static llvm::cl::opt<std::string> outputFilename(
      "o", llvm::cl::desc("Output filename"), llvm::cl::value_desc("filename"),
      llvm::cl::init("-"));
  static llvm::cl::opt<bool> splitInputFile(
      "split-input-file",
      llvm::cl::desc("Split the input file into pieces and process each "
                     "chunk independently"));
  static llvm::cl::opt<bool> verifyDiagnostics(
      "verify-diagnostics",
      llvm::cl::desc("Check that emitted diagnostics match expected-* lines "
                     "on the corresponding line"));
  llvm::cl::opt<const Translation *, false, TranslationParser> translation(
      "", llvm::cl::desc("Translation to perform"), llvm::cl::Required);
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  registerTranslationCLOptions();
  llvm::cl::ParseCommandLineOptions(argc, argv, "SNNC translations\n");

  std::string error;
  std::optional<llvm::Align> alignment = translation->getInputAlignment();
  std::unique_ptr<llvm::MemoryBuffer> input =
      alignment ? openInputFile(inputFilename, *alignment, &error)
                : openInputFile(inputFilename, &error);
  if (!input) {
    llvm::errs() << error << "\n";
    return failure();
  }
  if (mlirInput) {
    if (llvm::Error deep = checkIrNesting(input->getBuffer(), inputFilename)) {
      llvm::errs() << "snn-translate: error: "
                   << llvm::toString(std::move(deep)) << "\n";
      return failure();
    }
  }
  std::unique_ptr<llvm::ToolOutputFile> output =
      openOutputFile(outputFilename, &error);
  if (!output) {
    llvm::errs() << error << "\n";
    return failure();
  }
  auto processBuffer = [&](std::unique_ptr<llvm::MemoryBuffer> buffer,
                           llvm::raw_ostream &os) -> LogicalResult {
    // Translations read null-terminated buffers; split chunks are not.
    if (!buffer->getBuffer().ends_with('\0'))
      buffer = llvm::MemoryBuffer::getMemBufferCopy(
          buffer->getBuffer(), buffer->getBufferIdentifier());
    MLIRContext context; // takes --mlir-print-op-on-diagnostic
    if (verifyDiagnostics)
      context.printOpOnDiagnostic(false);
    auto sourceMgr = std::make_shared<llvm::SourceMgr>();
    sourceMgr->AddNewSourceBuffer(std::move(buffer), llvm::SMLoc());
    if (!verifyDiagnostics) {
      SourceMgrDiagnosticHandler handler(*sourceMgr, &context);
      return (*translation)(sourceMgr, os, &context);
    }
    // The translation is expected to fail; the diagnostics must match.
    SourceMgrDiagnosticVerifierHandler handler(*sourceMgr, &context);
    (void)(*translation)(sourceMgr, os, &context);
    return handler.verify();
  };
  if (failed(splitAndProcessBuffer(std::move(input), processBuffer,
                                   output->os(),
                                   splitInputFile ? kDefaultSplitMarker : "")))
    return failure();
  output->keep();
  return success();
}

} // namespace

int optMain(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllPasses();
  registerNirOptions();
  registerVersionPrinter();
  hideUnrelatedOptions();
  std::vector<char *> args = withQuietDiagnostics(argc, argv);
  auto [inputPath, outputPath] = registerAndParseCLIOptions(
      int(args.size()), args.data(),
      "SNNC optimizer: passes over the snn dialect (.mlir or .nir input)\n",
      registry);
  MlirOptMainConfig config = MlirOptMainConfig::createFromCLOptions();
  if (config.shouldShowDialects()) {
    llvm::outs() << "Available Dialects: ";
    llvm::interleave(registry.getDialectNames(), llvm::outs(), ",");
    llvm::outs() << "\n";
    return 0;
  }

  InputKind kind = detectInputKind(inputPath);
  std::unique_ptr<llvm::MemoryBuffer> input;
  if (kind == InputKind::Nir) {
    input = importForOpt(inputPath, registry);
    if (!input)
      return 1;
  } else if (kind == InputKind::MlirText || kind == InputKind::Stdin) {
    if (nirOptionsGiven())
      llvm::errs() << "snn-opt: warning: the --nir-* options apply to .nir "
                      "input only; '"
                   << inputPath << "' is MLIR\n";
    std::string error;
    input = openInputFile(inputPath, &error);
    if (!input) {
      llvm::errs() << "snn-opt: error: " << error << "\n";
      return 1;
    }
    // MLIR's recursive parser would overflow the stack on deeper text.
    if (llvm::Error deep = checkIrNesting(input->getBuffer(), inputPath)) {
      llvm::errs() << "snn-opt: error: " << llvm::toString(std::move(deep))
                   << "\n";
      return 1;
    }
  } else {
    return refuse("snn-opt", inputPath, kind);
  }

  OptOutput output(outputPath);
  llvm::Expected<llvm::raw_ostream *> os = output.open();
  if (!os) {
    llvm::errs() << "snn-opt: error: " << llvm::toString(os.takeError())
                 << "\n";
    return 1;
  }
  if (failed(MlirOptMain(**os, std::move(input), registry, config)))
    return 1;
  (*os)->flush();
  output.finish();
  return 0;
}

int translateMain(int argc, char **argv) {
  registerAllTranslations();
  registerVersionPrinter();
  hideUnrelatedOptions();
  TranslateArgs args = scanTranslateArgs(argc, argv);
  InputKind kind = detectInputKind(args.input);
  bool readsBytes = args.importNir || args.importImage || args.importNetx ||
                    args.importXylo;
  switch (kind) {
  case InputKind::Stdin:
  case InputKind::Missing: // runTranslation says it cannot open it
  case InputKind::MlirText:
    break;
  case InputKind::Nir:
    if (!args.importNir)
      return refuse("snn-translate", args.input, kind);
    break;
  case InputKind::ChipImage:
    if (!args.importImage)
      return refuse("snn-translate", args.input, kind);
    break;
  case InputKind::Netx:
    if (!args.importNetx)
      return refuse("snn-translate", args.input, kind);
    break;
  case InputKind::RockpoolSpec:
  case InputKind::Json:
    if (!args.importXylo)
      return refuse("snn-translate", args.input, kind);
    break;
  case InputKind::Binary:
  case InputKind::Hdf5:
  case InputKind::CorruptHdf5:
    // The importers name what is wrong with such bytes themselves.
    if (!readsBytes)
      return refuse("snn-translate", args.input, kind);
    break;
  default:
    return refuse("snn-translate", args.input, kind);
  }
  std::vector<char *> quiet = withQuietDiagnostics(argc, argv);
  return failed(runTranslation(int(quiet.size()), quiet.data(), !readsBytes))
             ? 1
             : 0;
}

} // namespace snn

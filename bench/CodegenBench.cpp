//===- CodegenBench.cpp - time from a network to C, by size ---------------===//
//
// Builds quantized two-layer networks (inputs -> LIF, int8 weights) of a
// given number of synapses and times each stage of --emit-c: lowering to
// loops plus simplification, conversion to EmitC, and printing C. With
// MODEL arguments it times whole models from .nir or .mlir instead
// (import and quantization included). Usage:
//   snn-bench-codegen [--synapses 10000,100000,1000000,10000000]
//   snn-bench-codegen model.nir --nir-preset=snntorch
//
//===----------------------------------------------------------------------===//

#include "Codegen/CTranslate.h"
#include "Init/InitAll.h"
#include "NIR/NirTranslate.h"
#include "Quant/Quantize.h"
#include "Run/Run.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <random>

using namespace llvm;
using namespace snn;

static cl::list<std::string> models(cl::Positional, cl::desc("[models]"));
static cl::list<int64_t> synapses("synapses", cl::CommaSeparated,
                                  cl::desc("Network sizes in synapses"));

namespace {

double seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since)
      .count();
}

/// A quantized network with `inputs` spikes into `outputs` LIF neurons.
std::string syntheticNetwork(int64_t inputs, int64_t outputs) {
  std::mt19937 random(1);
  std::string weights;
  weights.reserve(size_t(inputs * outputs * 2 + 16));
  weights = "\"0x";
  static const char hex[] = "0123456789ABCDEF";
  for (int64_t k = 0; k < inputs * outputs; ++k) {
    uint8_t w = uint8_t(int8_t(int(random() % 255) - 127));
    weights += hex[w >> 4];
    weights += hex[w & 15];
  }
  weights += "\"";
  std::string in = std::to_string(inputs), out = std::to_string(outputs);
  return "snn.network @synthetic(%x: !snn.spikes<" + in +
         ">) -> (y: !snn.spikes<" + out +
         ">) attributes {dt = 1.0e-3} {\n"
         "  %fc = snn.qlinear \"fc\" %x overflow(saturate) {weight = dense<" +
         weights + "> : tensor<" + out + "x" + in +
         "xi8>, weight_bits = 8, acc_bits = 32, scale = 0.01} : !snn.spikes<" +
         in + "> -> !snn.values<" + out +
         ">\n"
         "  %y = snn.qneuron \"lif\" %fc decay(multiply) "
         "rounding(nearest_even) "
         "overflow(saturate) reset(subtract, next_step) fire(gt) {v_bits = 16, "
         "decay_shift = 12, v_decay = 3686, v_threshold = 100, v_scale = 0.01} "
         ": !snn.values<" +
         out + "> -> !snn.spikes<" + out +
         ">\n"
         "  snn.output %y : !snn.spikes<" +
         out + ">\n}\n";
}

/// Times --emit-c of `network`; prints one row.
void timeEmit(const std::string &label, NetworkOp network, int64_t count,
              double before) {
  std::string c;
  raw_string_ostream os(c);
  codegen::Interface interface;
  auto start = std::chrono::steady_clock::now();
  if (failed(
          codegen::emitC(network, os, codegen::CodegenOptions(), interface))) {
    errs() << label << ": --emit-c failed\n";
    return;
  }
  double t = seconds(start);
  outs() << format("%-40s %12lld %10.3f %10.3f %12.3f %10.1f MB\n",
                   label.c_str(), static_cast<long long>(count), before, t,
                   count ? t / double(count) * 1e6 : 0.0,
                   double(c.size()) / 1e6);
}

} // namespace

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  registerNirOptions();
  cl::ParseCommandLineOptions(argc, argv, "time from a network to C\n");
  auto importOptions = nirOptionsFromCommandLine();
  if (!importOptions)
    return 1;
  mlir::DialectRegistry registry;
  registerAllDialects(registry);
  outs()
      << "network                                      synapses   import s   "
         "emit-c s  s per 1M syn        C size\n";
  for (const std::string &path : models) {
    mlir::MLIRContext context(registry);
    NetworkOp network;
    auto start = std::chrono::steady_clock::now();
    auto module = run::loadModel(path, *importOptions, "", &context, network);
    if (!module)
      return 1;
    quant::QuantReport report;
    if (!quant::isQuantized(network) &&
        failed(quant::quantizeNetwork(network, quant::QuantizeOptions(),
                                      nullptr, report)))
      return 1;
    int64_t count = 0;
    network.walk([&](mlir::Operation *op) {
      if (auto w = op->getAttrOfType<mlir::DenseIntElementsAttr>("weight"))
        count += w.getNumElements();
    });
    timeEmit(path.substr(path.find_last_of('/') + 1), network, count,
             seconds(start));
  }
  std::vector<int64_t> sizes(synapses.begin(), synapses.end());
  if (sizes.empty() && models.empty())
    sizes = {10000, 100000, 1000000, 10000000};
  for (int64_t n : sizes) {
    int64_t outputs = 100, inputs = std::max<int64_t>(1, n / outputs);
    mlir::MLIRContext context(registry);
    auto start = std::chrono::steady_clock::now();
    auto module = mlir::parseSourceString<mlir::ModuleOp>(
        syntheticNetwork(inputs, outputs), &context);
    if (!module)
      return 1;
    NetworkOp network = *module->getOps<NetworkOp>().begin();
    timeEmit("synthetic " + std::to_string(inputs) + " -> " +
                 std::to_string(outputs),
             network, inputs * outputs, seconds(start));
  }
  return 0;
}

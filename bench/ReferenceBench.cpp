//===- ReferenceBench.cpp - throughput of the float reference -------------===//
//
// Runs a model on recorded or Poisson input with dense and with event-driven
// propagation and prints sample-steps per second and synaptic events per
// second for each. Usage:
//   snn-bench-reference MODEL (--input X.npy | --poisson R,T,N) [--nir-...]
//
//===----------------------------------------------------------------------===//

#include "Init/InitAll.h"
#include "NIR/NirTranslate.h"
#include "Run/Run.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"

using namespace llvm;
using namespace snn;

static cl::opt<std::string> modelPath(cl::Positional, cl::Required,
                                      cl::desc("<model>"));
static cl::opt<std::string> inputPath("input", cl::desc("Input .npy"));
static cl::opt<std::string> poisson("poisson", cl::init("0.05,100,64"),
                                    cl::desc("RATE,STEPS,SAMPLES"));
static cl::opt<int> repeats("repeats", cl::init(3),
                            cl::desc("Runs per mode; the fastest counts"));

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  registerNirOptions();
  cl::ParseCommandLineOptions(argc, argv, "float reference throughput\n");
  auto options = nirOptionsFromCommandLine();
  if (!options)
    return 1;
  mlir::DialectRegistry registry;
  registerAllDialects(registry);
  mlir::MLIRContext context(registry);
  NetworkOp network;
  auto module = run::loadModel(modelPath, *options, "", &context, network);
  if (!module)
    return 1;
  int64_t neurons = 1;
  for (int64_t d : getSignalShape(network.getFunctionType().getInput(0)))
    neurons *= d;
  std::string error;
  std::optional<run::Inputs> inputs;
  if (!inputPath.empty()) {
    auto array = npy::load(inputPath, error);
    if (array) {
      auto in = run::inputsFromArray(
          *array, getSignalShape(network.getFunctionType().getInput(0)));
      if (in)
        inputs = std::move(*in);
      else
        error = llvm::toString(in.takeError());
    }
  } else {
    SmallVector<StringRef> p;
    StringRef(poisson).split(p, ',');
    double rate;
    int64_t steps, samples;
    if (p.size() != 3 || p[0].getAsDouble(rate) || p[1].getAsInteger(10, steps) ||
        p[2].getAsInteger(10, samples)) {
      errs() << "--poisson takes RATE,STEPS,SAMPLES\n";
      return 1;
    }
    inputs = run::poissonInputs(rate, steps, samples, neurons, 1);
  }
  if (!inputs) {
    errs() << error << "\n";
    return 1;
  }
  outs() << "mode            seconds   sample-steps/s    syn. events/s  "
            "synops/step\n";
  for (auto [name, mode] : {std::pair{"dense", sim::Propagation::Dense},
                            std::pair{"event", sim::Propagation::EventDriven},
                            std::pair{"auto", sim::Propagation::Auto}}) {
    double best = 1e300, events = 0;
    for (int r = 0; r < repeats; ++r) {
      auto result = run::runReference(network, *inputs, std::nullopt,
                                      run::RunOptions(), mode);
      if (!result) {
        errs() << toString(result.takeError()) << "\n";
        return 1;
      }
      best = std::min(best, result->seconds);
      events = 0;
      for (const sim::NodeStats &s : result->stats)
        events += s.synopsEffective;
    }
    double sampleSteps = double(inputs->samples * inputs->steps);
    outs() << format("%-8s %14.4f %16.0f %16.4g %12.4g\n", name, best,
                     sampleSteps / best, events / best, events / sampleSteps);
  }
  return 0;
}

//===- LavaEngine.cpp - Lava itself as an engine --------------------------===//

#include "Run/LavaEngine.h"
#include "Netx/NetxExport.h"
#include "Netx/NetxLava.h"
#include "Support/NpyFile.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace mlir;

namespace snn::run {

namespace {

/// A scratch directory removed with everything in it.
struct Scratch {
  llvm::SmallString<128> dir;
  std::vector<std::string> files;
  std::string file(const std::string &name) {
    llvm::SmallString<128> p(dir);
    llvm::sys::path::append(p, name);
    files.push_back(std::string(p));
    return files.back();
  }
  ~Scratch() {
    for (const std::string &f : files)
      llvm::sys::fs::remove(f);
    if (!dir.empty())
      llvm::sys::fs::remove(dir);
  }
};

llvm::Error fail(const llvm::Twine &message) {
  return llvm::createStringError("--engine lava: " + message.str());
}

/// The runner script and the Python that runs it, from the environment.
llvm::Expected<std::pair<std::string, std::string>> findLava() {
  std::string runner;
  if (std::optional<std::string> r = llvm::sys::Process::GetEnv(
          "SNNC_LAVA_RUNNER"))
    runner = *r;
  else if (std::optional<std::string> dir =
               llvm::sys::Process::GetEnv("SNNC_LAVA_PATH")) {
    llvm::SmallString<128> p(*dir);
    llvm::sys::path::append(p, "run_netx.py");
    runner = std::string(p);
  } else {
    return fail("Lava is found at run time: set SNNC_LAVA_PATH to a "
                "directory holding run_netx.py (Lava's runner: "
                "../shared/oracles/lava in this project's tests), or "
                "SNNC_LAVA_RUNNER to a runner script");
  }
  if (!llvm::sys::fs::is_regular_file(runner))
    return fail("no runner script at " + runner);
  std::string python = "python3";
  if (std::optional<std::string> p =
          llvm::sys::Process::GetEnv("SNNC_LAVA_PYTHON"))
    python = *p;
  llvm::ErrorOr<std::string> found = llvm::sys::findProgramByName(python);
  if (!found)
    return fail("no Python '" + python + "' (set SNNC_LAVA_PYTHON)");
  return std::make_pair(runner, *found);
}

int64_t product(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

} // namespace

llvm::Expected<std::unique_ptr<LavaEngine>>
LavaEngine::create(NetworkOp network, const Inputs &inputs) {
  FunctionType type = network.getFunctionType();
  if (type.getNumInputs() != 1 || type.getNumResults() != 1)
    return fail("netx networks have one input and one output");
  std::vector<int64_t> inShape(getSignalShape(type.getInput(0)).begin(),
                               getSignalShape(type.getInput(0)).end());
  std::vector<int64_t> outShape(getSignalShape(type.getResult(0)).begin(),
                                getSignalShape(type.getResult(0)).end());
  FailureOr<netx::Network> net = netx::toNetx(network);
  if (failed(net))
    return fail("the network has no netx form (see above; a float model is "
                "quantized for Lava with --target targets/loihi2.json)");
  // Lava's order of the input and output: netx's shapes (a first dense
  // reads its input flat, in SNNC's order).
  llvm::Expected<netx::LavaNetwork> lavaNet = netx::toLava(*net);
  if (!lavaNet)
    return fail(llvm::toString(lavaNet.takeError()));
  if (product(lavaNet->inputShape) == product(inShape))
    inShape = lavaNet->inputShape;
  if (product(lavaNet->layers.back().shape) == product(outShape))
    outShape = lavaNet->layers.back().shape;
  llvm::Expected<std::string> bytes = netx::writeNetx(*net);
  if (!bytes)
    return fail("cannot write the netx file: " +
                llvm::toString(bytes.takeError()));
  llvm::Expected<std::pair<std::string, std::string>> lava = findLava();
  if (!lava)
    return lava.takeError();

  Scratch scratch;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueDirectory("snn-lava", scratch.dir))
    return fail("cannot create a scratch directory: " + ec.message());
  std::string netPath = scratch.file("network.net");
  std::string inPath = scratch.file("input.npy");
  std::string outPath = scratch.file("output.npy");
  std::string logPath = scratch.file("runner.log");
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(netPath, ec);
    if (ec)
      return fail(netPath + ": " + ec.message());
    os << *bytes;
  }

  // The input in Lava's (W, H, C) order: spikes per step, or (an input
  // layer driven by its bias) one bias per sample, held over the steps.
  int64_t n = inputs.neurons, T = inputs.steps, S = inputs.samples;
  if (n != product(inShape))
    return fail("the input has " + std::to_string(n) +
                " neurons, the network " + std::to_string(product(inShape)));
  bool held = !isSpikes(type.getInput(0));
  std::vector<double> x;
  std::vector<int64_t> xShape;
  if (held) {
    x.assign(size_t(S * n), 0.0);
    for (int64_t s = 0; s < S; ++s)
      for (int64_t j = 0; j < n; ++j) {
        double v = inputs.at(s, 0, j);
        for (int64_t t = 1; t < T; ++t)
          if (inputs.at(s, t, j) != v)
            return fail("netx's input layer holds one bias per sample; "
                        "sample " +
                        std::to_string(s) + " changes at step " +
                        std::to_string(t) + " (neuron " + std::to_string(j) +
                        ")");
        x[size_t(s * n + netx::lavaIndex(inShape, j))] = v;
      }
    xShape = {S, n};
  } else {
    x.assign(size_t(S * T * n), 0.0);
    for (int64_t s = 0; s < S; ++s)
      for (int64_t t = 0; t < T; ++t)
        for (int64_t j = 0; j < n; ++j)
          x[size_t((s * T + t) * n + netx::lavaIndex(inShape, j))] =
              inputs.at(s, t, j);
    xShape = {S, T, n};
  }
  if (llvm::Error error =
          npy::write(inPath, xShape, x, held ? "float64" : "uint8"))
    return error;

  std::vector<std::string> argv = {lava->second, lava->first, netPath, inPath,
                                   outPath};
  if (held) {
    argv.push_back("--steps");
    argv.push_back(std::to_string(T));
  }
  std::vector<llvm::StringRef> args(argv.begin(), argv.end());
  std::optional<llvm::StringRef> redirects[] = {std::nullopt,
                                                llvm::StringRef(logPath),
                                                llvm::StringRef(logPath)};
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(args[0], args, std::nullopt, redirects,
                                     0, 0, &message);
  if (rc != 0) {
    std::string log;
    if (auto buffer = llvm::MemoryBuffer::getFile(logPath))
      log = (*buffer)->getBuffer().take_back(2000).str();
    return fail(lava->first + " failed (" +
                (message.empty() ? "exit " + std::to_string(rc) : message) +
                "):\n" + log);
  }
  llvm::Expected<npy::Array> y = npy::read(outPath);
  if (!y)
    return fail("the runner's output: " + llvm::toString(y.takeError()));
  int64_t m = product(outShape);
  if (y->shape != std::vector<int64_t>{S, T, m})
    return fail("the runner wrote an array of another shape than [" +
                std::to_string(S) + ", " + std::to_string(T) + ", " +
                std::to_string(m) + "]");

  std::unique_ptr<LavaEngine> e(new LavaEngine());
  e->inSize = n;
  e->outSize = m;
  e->steps = T;
  e->spikes.assign(size_t(S * T * m), 0);
  for (int64_t s = 0; s < S; ++s)
    for (int64_t t = 0; t < T; ++t)
      for (int64_t j = 0; j < m; ++j)
        e->spikes[size_t((s * T + t) * m + j)] =
            y->values[size_t((s * T + t) * m + netx::lavaIndex(outShape, j))] !=
            0;
  Value result = network.getBodyBlock().getTerminator()->getOperand(0);
  Operation *producer = result.getDefiningOp();
  e->outName = producer ? nodeKey(producer) : "input";
  sim::NodeStats stats;
  stats.name = stats.key = e->outName;
  stats.op = "lava";
  stats.spikes = true;
  stats.neurons = m;
  e->nodeStats.push_back(stats);
  return std::move(e);
}

void LavaEngine::reset(int64_t samples) {
  first = next;
  count = samples;
  next += samples;
  t = 0;
  out = sim::Matrix::Zero(outSize, samples);
}

void LavaEngine::step(const std::vector<sim::Matrix> &) {
  // The input is the one given to create(): snn-run feeds the samples in
  // order, and Lava has already run them.
  out.setZero();
  if (t < steps) {
    int64_t total = int64_t(spikes.size()) / std::max<int64_t>(1, steps * outSize);
    for (int64_t k = 0; k < count && first + k < total; ++k)
      for (int64_t j = 0; j < outSize; ++j)
        out(j, k) = spikes[size_t(((first + k) * steps + t) * outSize + j)];
  }
  sim::NodeStats &s = nodeStats.front();
  s.nonzero += out.sum();
  s.outputs += double(out.size());
  ++t;
}

std::optional<size_t> LavaEngine::findNode(const std::string &name) const {
  return name == outName ? std::optional<size_t>(0) : std::nullopt;
}

void LavaEngine::resetStats() {
  nodeStats.front().nonzero = nodeStats.front().outputs = 0;
}

} // namespace snn::run
